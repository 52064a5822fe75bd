#!/bin/sh
# rec-lines.sh: wl-lines (built -O2 -g) spends 2/6 of its time in
# scramble(), always inlined into work(): the recording shows it as a
# frame of its own, "scramble (inlined)" above work, with its share.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

wl="$top_builddir/tests/wl-lines"
FT_TIMEOUT=120 # a loaded machine stretches the fixed work
ft record -F 499 --mode cpu -o "$FT_TMP/l.folded" -- "$wl" 1
expect_status 0
n=$(samples "$FT_TMP/l.folded")
[ "$n" -ge 150 ] || { ft_dump; fail "only $n samples"; }
expect_share "$FT_TMP/l.folded" "work" 90 100 "work"
expect_share "$FT_TMP/l.folded" "scramble \\(inlined\\)" 26 41 "scramble (inlined), 2/6 of the work"
# always above work, never a root or work's caller
bad=$(grep -c 'scramble (inlined)' "$FT_TMP/l.folded" | tr -d ' ')
good=$(grep -c ';work;scramble (inlined)' "$FT_TMP/l.folded" | tr -d ' ')
[ "$bad" -eq "$good" ] || fail "scramble (inlined) outside work: $bad stacks, $good under work"
exit 0
