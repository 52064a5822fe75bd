#!/bin/sh
# rt-start.sh: a runtime nobody watches makes its segment when it is
# first needed, and loses nothing written before: no segment is mapped
# as main starts; collections and a coroutine (with its label and parked
# stack) made in the first instant are seen by a viewer that comes
# later, whichever made the segment; a process attached 5 ms after its
# start is recorded; one that ends at once leaves no name, one killed
# after its segment was made leaves a private name that list removes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3
WL="$top_builddir/tests/wl-start"

# start_early ARGS: wl-start ARGS in the background as $pid, looked at
# 0.3 s after its segment is named
start_early() {
	FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$WL" "$@" >/dev/null &
	pid=$!
	bg_pid $pid
	wait_for_file "/dev/shm/flametop.$pid" 10 || fail "no segment for $pid"
	sleep 0.3
}

# nothing at start: main finds no segment mapped (on a loaded machine
# the runtime thread may make it 20 ms after start before main runs, so
# one run of five is enough)
n=0
for i in 1 2 3 4 5; do
	out=$(FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$WL" maps 0) || fail "wl-start maps failed"
	case "$out" in
	"no segment mapped"*) n=$((n + 1)) ;;
	esac
done
[ "$n" -ge 1 ] || fail "a segment was mapped as main started, 5 times of 5"
note "ok: no segment mapped as main starts ($n of 5)"

# three collections in the first instant make the segment (the event
# ring's first record); a viewer 0.3 s later reads them all
start_early gc 30
ft gctrace -p "$pid" -d 0.5
expect_status 0
n=$(grep -Ec '^gc [0-9]+ @0\.[0-9]{3}s: .*3\.00->1\.00 MB, 2\.00 MB freed, explicit$' "$FT_TMP/out")
[ "$n" -eq 3 ] || { ft_dump; fail "early collections: $n of 3 seen"; }
note "ok: 3 collections of the first instant seen later"
kill "$pid"

# a coroutine of the first instant makes the segment: a viewer 0.3 s
# later sees it parked, with its label and where it parked
start_early coro 30
ft coros --json -p "$pid"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "the early coroutine is not what the program did"; }
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["coroutines"] if x["name"] == "early"]
assert len(c) == 1, d["coroutines"]
c = c[0]
assert c["state"] == "parked" and c["reason"] == "early wait", c
assert c["labels"] == {"phase": "early"}, c["labels"]
s = c["stack"]
assert "main" in s and "early_task" in s and s.index("main") < s.index("early_task"), s
assert d["created"] == 1 and d["misuse"] == 0, d
PY
note "ok: the coroutine of the first instant seen later, parked, labelled"
kill "$pid"

# both, and the segment made by the runtime thread: a viewer attaching
# 5 ms after start (it waits for a young process) records it
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$WL" 3 >/dev/null &
pid=$!
bg_pid $pid
sleep 0.005
ft record -p "$pid" -d 1 -o "$FT_TMP/a.folded"
expect_status 0
n=$(samples "$FT_TMP/a.folded")
b=$(share "$FT_TMP/a.folded" burn)
[ "$n" -ge 20 ] || { ft_dump; fail "attached 5 ms after start: $n samples"; }
in_range "$b" 90 100 || fail "attached 5 ms after start: burn has $b% of the samples"
note "ok: attached 5 ms after start: $n samples, burn $b%"
kill "$pid" 2>/dev/null

# a process that ends at once leaves no name of any kind
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$WL" 0 >/dev/null &
pid=$!
wait "$pid" || fail "wl-start 0 failed"
ls /dev/shm | grep "^flametop\.$pid\(\..*\)\?$" && fail "a name of $pid is left"
note "ok: a process that ended at once left no name"
exit 0
