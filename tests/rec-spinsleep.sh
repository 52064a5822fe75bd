#!/bin/sh
# rec-spinsleep.sh: one thread spins, one sleeps.  CPU mode must give the
# sleeper (almost) nothing; wall mode must give it about half.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record -F 499 --mode cpu -o "$FT_TMP/cpu.folded" -- "$top_builddir/tests/wl-spinsleep" 2.5
expect_status 0
n=$(samples "$FT_TMP/cpu.folded")
[ "$n" -ge 30 ] || fail "cpu mode: only $n samples"
expect_share "$FT_TMP/cpu.folded" 'sleeper_main|sleeper_wait' 0 5 "cpu mode: sleeper"
expect_share "$FT_TMP/cpu.folded" 'spin_main' 90 100 "cpu mode: spinner"

ft record --mode wall -o "$FT_TMP/wall.folded" -- "$top_builddir/tests/wl-spinsleep" 2.5
expect_status 0
n=$(samples "$FT_TMP/wall.folded")
[ "$n" -ge 100 ] || fail "wall mode: only $n samples"
expect_share "$FT_TMP/wall.folded" 'sleeper_main|sleeper_wait' 35 65 "wall mode: sleeper"
exit 0
