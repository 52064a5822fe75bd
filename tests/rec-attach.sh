#!/bin/sh
# rec-attach.sh: record -p and report -p on a process started with the
# runtime preloaded but no viewer (it samples only while one attaches).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

FLAMETOP=1 FLAMETOP_FREQ=499 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"

ft record -d 2 -o "$FT_TMP/p.folded" -p "$pid"
expect_status 0
n=$(samples "$FT_TMP/p.folded")
[ "$n" -ge 30 ] || { ft_dump; fail "record -p: only $n samples"; }
expect_share "$FT_TMP/p.folded" spin_main 90 100 "record -p: spinner"
grep -q "of 'wl-spinsleep'" "$FT_TMP/err" || { ft_dump; fail "record -p: summary names the target"; }

# detaching must leave the target and its segment alone
kill -0 "$pid" 2>/dev/null || fail "the target died while record -p was attached"
[ -e "/dev/shm/flametop.$pid" ] || fail "the target's segment vanished after record -p detached"

ft report -d 2 --json --top 0 -p "$pid"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "report -p"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["unit"] == "ns" and r["total"] > 0, r
by = {f["name"]: f for f in r["functions"]}
assert "spin_work" in by, sorted(by)[:20]
assert by["spin_main"]["total_pct"] > 90, by["spin_main"]
assert by["spin_work"]["module"].endswith("wl-spinsleep"), by["spin_work"]
PY
ft report -d 1 --count --json -p "$pid"
expect_status 0
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["unit"] == "samples" and r["total"] > 0, r
assert r["functions"][0]["self"] <= r["total"]' "$FT_TMP/out" || { ft_dump; fail "report --count -p"; }
ft report -d 1 -p "$pid"
expect_status 0
grep -Eq 'spin_work \[wl-spinsleep\]' "$FT_TMP/out" || { ft_dump; fail "report -p text: module"; }
kill "$pid"

# record -p records from the moment it attaches: a target that sampled on
# its own for 3 s (FLAMETOP_ALWAYS, about 300 samples in its ring) gives a
# 0.3 s recording only the samples of those 0.3 s (about 30)
FLAMETOP=1 FLAMETOP_ALWAYS=1 FLAMETOP_FREQ=99 LD_PRELOAD="$FT_LIB" \
	"$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
sleep 3
ft record -d 0.3 -o "$FT_TMP/late.folded" -p "$pid"
expect_status 0
n=$(samples "$FT_TMP/late.folded")
[ "$n" -lt 150 ] || { ft_dump; fail "record -p -d 0.3 gave $n samples: it read the ring's past"; }
ft report -d 0.3 --count --json -p "$pid"
expect_status 0
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["total"] < 150, ("report -p read the past", r["total"])' "$FT_TMP/out" || { ft_dump; fail "report -p backlog"; }
kill "$pid"

# a process killed by a signal leaves a stale segment: -p says the process
# is gone and fails
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
for cmd in "record -d 1 -o $FT_TMP/gone.folded" "report -d 1"; do
	# shellcheck disable=SC2086
	ft $cmd -p "$pid"
	[ "$st" = 1 ] || { ft_dump; fail "$cmd -p on a dead process: status $st, want 1"; }
	grep -Eq "has exited|no process $pid" "$FT_TMP/err" ||
		{ ft_dump; fail "$cmd -p on a dead process: message"; }
done
rm -f "/dev/shm/flametop.$pid"

# the runtime preloaded by a relative path (LD_PRELOAD=runtime/.libs/...):
# its own frames are known and left out, none is "[unknown]"
DEMO="$top_builddir/examples/flametop-demo"
if [ -x "$DEMO" ]; then
	(cd "$top_builddir" && FLAMETOP=1 LD_PRELOAD="runtime/.libs/libflametop.so" exec "$DEMO" >/dev/null) &
	pid=$!
	bg_pid "$pid"
	wait_for_file "/dev/shm/flametop.$pid" 10 || fail "relative LD_PRELOAD: no segment for $pid"
	ft record -d 1.5 -o "$FT_TMP/rel.folded" -p "$pid"
	expect_status 0
	grep -q 'unknown' "$FT_TMP/rel.folded" && { head -n 3 "$FT_TMP/rel.folded" >&2; fail "relative LD_PRELOAD: unknown frames"; }
	grep -q '__libc_start_call_main;main;' "$FT_TMP/rel.folded" || { head -n 3 "$FT_TMP/rel.folded" >&2; fail "relative LD_PRELOAD: the runtime's frames are in the stacks"; }
	note "ok: a runtime preloaded by a relative path leaves no frame of its own"
	kill "$pid"
fi
exit 0
