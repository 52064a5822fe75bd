#!/bin/sh
# rec-jit.sh: wl-jit runs two copies of a loop it generates at run time,
# one named in /tmp/perf-PID.map, one not; the recording must name the
# first after the map (jit_countdown) and the second "[jit]", one frame
# for all its addresses, each with about half of the samples.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
[ "$(uname -m)" = x86_64 ] || skip "wl-jit writes x86-64 code"

FT_TIMEOUT=120 # a loaded machine stretches the fixed work
ft record -F 499 --mode cpu -o "$FT_TMP/jit.folded" -- "$top_builddir/tests/wl-jit"
expect_status 0
grep -q 'wl-jit: done' "$FT_TMP/out" || { ft_dump; fail "the workload did not finish"; }
n=$(samples "$FT_TMP/jit.folded")
[ "$n" -ge 150 ] || fail "only $n samples"
expect_share "$FT_TMP/jit.folded" "jit_countdown" 35 65 "the mapped JIT function"
expect_share "$FT_TMP/jit.folded" '\[jit\]' 35 65 "the unmapped JIT code"
# no root or leaf per address: nothing unknown left
u=$(share "$FT_TMP/jit.folded" '\[unknown\].*')
in_range "$u" 0 2 || fail "$u% of the samples have [unknown] frames"
exit 0
