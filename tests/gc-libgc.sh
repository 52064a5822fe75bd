#!/bin/sh
# gc-libgc.sh: GC events of unmodified programs that use libgc, checked
# against libgc's own count of collections (GC_get_gc_no): one thread,
# several threads, explicit collections, 999 Hz sampling during hundreds
# of collections, a libgc loaded by dlopen after start, gctrace -p on a
# running process, report -p --gc.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/gc-lib.sh"
need_flametop
PIPE="$top_builddir/examples/flametop-gc-pipeline"
[ -x "$PIPE" ] || skip "flametop-gc-pipeline not built (libgc-dev missing)"

# gc_no FILE: libgc's count as the program printed it at the end
gc_no() {
	sed -n 's/^array done: .* gc_no \([0-9]*\)$/\1/p' "$1"
}

ft record --gc-log "$FT_TMP/one.log" -o "$FT_TMP/one.folded" -- "$PIPE" --rounds 5
expect_status 0
want=$(gc_no "$FT_TMP/out")
[ "${want:-0}" -ge 20 ] || { ft_dump; fail "the pipeline collected only '$want' times"; }
expect_gc_log "$FT_TMP/one.log" "$want" "one thread"
grep -q 'ms mark+reclaim, ' "$FT_TMP/one.log" || fail "one thread: no mark+reclaim phases"
[ "$(grep -c ', alloc$' "$FT_TMP/one.log")" -eq "$want" ] || fail "one thread: not all 'alloc'"
# the plain-array traversal collects nothing: the count did not move
grep -q "^pipeline done: .* gc_no $want\$" "$FT_TMP/out" || { ft_dump; fail "the array traversal collected"; }

ft record --gc-log "$FT_TMP/threads.log" -o /dev/null -- "$PIPE" --threads 4 --rounds 4
expect_status 0
expect_gc_log "$FT_TMP/threads.log" "$(gc_no "$FT_TMP/out")" "4 threads"

ft record --gc-log "$FT_TMP/explicit.log" -o /dev/null -- "$PIPE" --rounds 6 --explicit
expect_status 0
expect_gc_log "$FT_TMP/explicit.log" "$(gc_no "$FT_TMP/out")" "explicit"
n=$(grep -c ', explicit$' "$FT_TMP/explicit.log")
[ "$n" -eq 6 ] || fail "explicit: $n collections marked explicit, GC_gcollect was called 6 times"

# 999 Hz in two threads while they collect hundreds of times
ft record -F 999 --gc-log "$FT_TMP/fast.log" -o "$FT_TMP/fast.folded" -- "$PIPE" --threads 2 --rounds 20 --no-history
expect_status 0
want=$(gc_no "$FT_TMP/out")
[ "${want:-0}" -ge 200 ] || { ft_dump; fail "999 Hz: only '$want' collections"; }
expect_gc_log "$FT_TMP/fast.log" "$want" "999 Hz sampling"
[ "$(samples "$FT_TMP/fast.folded")" -ge 100 ] || fail "999 Hz: too few samples"

# the program's own callback is chained, and its getter returns it
ft record --gc-log "$FT_TMP/chain.log" -o /dev/null -- "$top_builddir/tests/wl-gc-chain" 20
expect_status 0
read -r _ ends _ want _ getter <"$FT_TMP/out"
[ "$ends" = "$want" ] && [ "$getter" = ok ] || { ft_dump; fail "the program's own callback: $(cat "$FT_TMP/out")"; }
expect_gc_log "$FT_TMP/chain.log" "$want" "a program with its own callback"

# a libgc the program loads with dlopen after it started
LIBGC=$(ldd "$PIPE" | sed -n 's/.*libgc\.so[^ ]* => \([^ ]*\) .*/\1/p')
[ -n "$LIBGC" ] || fail "cannot find the libgc the pipeline links"
ft record --gc-log "$FT_TMP/dl.log" -o /dev/null -- "$top_builddir/tests/wl-gc-dlopen" "$LIBGC" 200
expect_status 0
want=$(sed -n 's/^gc_no //p' "$FT_TMP/out")
[ "${want:-0}" -ge 50 ] || { ft_dump; fail "dlopen: only '$want' collections"; }
expect_gc_log "$FT_TMP/dl.log" "$want" "libgc loaded by dlopen"

# gctrace -p follows a running process until it exits
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$PIPE" --rounds 30 --pause 60 >"$FT_TMP/bg.out" &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
ft gctrace -p "$pid"
expect_status 0
wait "$pid" || fail "the pipeline failed under gctrace"
cp "$FT_TMP/out" "$FT_TMP/trace.log"
expect_gc_log "$FT_TMP/trace.log" "$(gc_no "$FT_TMP/bg.out")" "gctrace -p"

# gctrace --stack: the trigger stacks name the allocating path
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$PIPE" --rounds 0 --pause 5 >/dev/null &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
ft gctrace --stack -d 1.5 -p "$pid"
expect_status 0
kill "$pid"
awk '/^gc / { n++; if (got) hit++; got = 0; want = 1; next }
	want && /^    GC_malloc_kind / { k = 1 }
	want && k && /^    box_element \[flametop-gc-pipeline\]$/ { got = 1; k = 0 }
	END { if (got) hit++; print n + 0, hit + 0 }' "$FT_TMP/out" >"$FT_TMP/hits"
read -r n hit <"$FT_TMP/hits"
[ "$n" -ge 20 ] && [ "$hit" -ge $((n / 2)) ] ||
	{ ft_dump; fail "gctrace --stack: $hit of $n stacks show GC_malloc_kind <- box_element"; }
note "ok: gctrace --stack: $hit of $n stacks show GC_malloc_kind <- box_element"

# report -p --gc summarises what it saw
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$PIPE" --rounds 0 --pause 5 >/dev/null &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
ft report -p "$pid" --gc --json -d 1
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "report --gc --json"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["collections"] >= 5, r
p = r["pause_ms"]
assert 0 < p["p50"] <= p["p99"] <= p["max"] <= p["total"], p
assert 0 < r["pause_share"] <= r["gc_share"] <= 1, r
assert r["allocated_per_gc"] > 100000, r
PY
ft report -p "$pid" --gc -d 0.5
expect_status 0
grep -Eq '^pause +p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms$' "$FT_TMP/out" || { ft_dump; fail "report --gc text"; }
kill "$pid"

# no runtime in the target: the usual error
sleep 5 &
pid=$!
bg_pid "$pid"
ft gctrace -p "$pid"
expect_error "gctrace -p on a process without the runtime" "cannot attach.* pid $pid .*runtime"
exit 0
