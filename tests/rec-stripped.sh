#!/bin/sh
# rec-stripped.sh: a stripped copy of wl-split (3:1 between a_leaf and
# b_leaf) is recorded; each function must be one frame named after its
# start, "wl-split+0xSTART" with START from the unstripped binary's
# symbols, carrying the split within 6 points.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd strip
need_cmd nm

wl="$FT_TMP/wl-split"
strip -o "$wl" "$top_builddir/tests/wl-split" || fail "cannot strip a copy of wl-split"
[ -z "$(nm "$wl" 2>/dev/null)" ] || fail "the copy still has symbols"
addr() {
	nm "$top_builddir/tests/wl-split" | awk -v f="$1" '$3 == f { sub(/^0+/, "", $1); print $1 }'
}
a="wl-split\\+0x$(addr a_leaf)"
b="wl-split\\+0x$(addr b_leaf)"

FT_TIMEOUT=120 # a loaded machine stretches the fixed work
ft record -F 499 --mode cpu -o "$FT_TMP/s.folded" -- "$wl" 0.6
expect_status 0
n=$(samples "$FT_TMP/s.folded")
[ "$n" -ge 150 ] || fail "only $n samples"
sa=$(share "$FT_TMP/s.folded" "$a")
sb=$(share "$FT_TMP/s.folded" "$b")
note "$a: $sa%, $b: $sb% of $n samples"
expect_share "$FT_TMP/s.folded" "$a|$b" 80 100 "the two leaves"
pa=$(awk -v a="$sa" -v b="$sb" 'BEGIN { printf "%.1f", 100 * a / (a + b) }')
in_range "$pa" 69 81 || fail "a_leaf has $pa% of the leaves' samples (want 75 +- 6)"
# no stray module+offset leaf inside the two functions: every leaf frame
# in wl-split is one of the function starts the unwind table knows
leaves=$(awk '/^#/ || NF == 0 { next } { s = $0; sub(/ [0-9]+$/, "", s); k = split(s, f, ";"); print f[k] }' \
	"$FT_TMP/s.folded" | sed 's/ \[.*\]$//' | grep '^wl-split+' | sort -u | wc -l)
[ "$leaves" -le 4 ] || fail "$leaves distinct wl-split leaf frames (one per function expected)"
exit 0
