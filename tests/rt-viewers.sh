#!/bin/sh
# Viewer presence heals itself: ten viewers killed with SIGKILL leave no
# trace in the target's viewer count once their slots expire (2 s), and a
# viewer that detaches normally gives its slot back at once.
. "${top_srcdir:-.}/tests/lib.sh"
need_flametop
wl="$top_builddir/tests/wl-spinsleep"
[ -x "$wl" ] || skip "$wl not built"

env FLAMETOP=1 FLAMETOP_QUIET=1 LD_PRELOAD="$FT_LIB" "$wl" 60 >/dev/null 2>&1 &
pid=$!
bg_pid "$pid"
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "no segment for $pid"

viewers=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$FLAMETOP_BIN" record -p "$pid" -d 50 -o /dev/null >/dev/null 2>&1 &
	viewers="$viewers $!"
	bg_pid $!
done
sleep 1.5
# while they run, the count sees them (6 slots: at most 6 are counted)
ft record -p "$pid" -d 0.3 --stats -o /dev/null
expect_status 0
n=$(sed -n 's/.* viewers=\([0-9]*\).*/\1/p' "$FT_TMP/err")
[ "${n:-0}" -ge 2 ] || { ft_dump; fail "with 11 viewers attached the count is '$n'"; }
note "ok: $n viewers counted while 11 were attached"
kill -9 $viewers 2>/dev/null
wait $viewers 2>/dev/null || true
sleep 4
ft record -p "$pid" -d 0.5 --stats -o /dev/null
expect_status 0
n=$(sed -n 's/.* viewers=\([0-9]*\).*/\1/p' "$FT_TMP/err")
[ "$n" = 1 ] || { ft_dump; fail "after 10 viewers were killed the count is '$n' (want 1: this one)"; }
note "ok: 10 killed viewers expired; the count is $n"
exit 0
