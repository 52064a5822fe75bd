#!/bin/sh
# coro-bad.sh: bad input around coroutines and labels gets one clear line.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record --group label: -- true
expect_error "--group label:" "'label:' needs a key"
ft record --group coroutines -- true
expect_error "--group coroutines" "unknown grouping 'coroutines'"
ft record --label stage -- true
expect_error "--label without =" "expected KEY=VALUE"
ft report --group thread "$FT_TMP/none"
expect_error "report FILE --group" "need -p PID"
ft coros
expect_error "coros without -p" "no process given"
sleep 30 &
plain=$!
bg_pid $plain
ft coros -p "$plain"
expect_error "coros on a process without the runtime" "no flametop segment"
[ "$st" -eq 1 ] || fail "exit status $st (want 1)"
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
pid=$!
bg_pid $pid
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
ft coros -p "$pid"
expect_status 0
[ ! -s "$FT_TMP/out" ] || { ft_dump; fail "coros of a program without coroutines printed something"; }
ft coros --json -p "$pid"
expect_status 0
grep -q '"coroutines":\[\]' "$FT_TMP/out" || { ft_dump; fail "--json: not an empty list"; }
exit 0
