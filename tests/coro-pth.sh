#!/bin/sh
# coro-pth.sh: a GNU Pth program (followed through ucontext, unchanged):
# its two Pth threads do work in a 1:3 ratio; grouped by coroutine, the
# heavy one has 75% +- 4 of the two.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
[ -x "$top_builddir/tests/wl-pth" ] || skip "GNU Pth not installed (libpth-dev)"
FT_TIMEOUT=60

ft record -F 997 --group coroutine -o "$FT_TMP/pth.folded" -- "$top_builddir/tests/wl-pth" 6
expect_status 0
# the two busiest coroutines, with the functions they ran
for f in light_main heavy_main; do
	grep -E "^\[coro [0-9]+[^]]*\];.*(^|;)$f(;| )" "$FT_TMP/pth.folded" |
		awk '{ t += $NF } END { print t + 0 }' >"$FT_TMP/$f"
	# one coroutine runs it; a sample taken inside a switch carries the
	# coroutine being entered (flametop(3)), so allow 3% elsewhere
	grep -E "(^|;)$f(;| )" "$FT_TMP/pth.folded" | awk '{ r = $0; sub(/;.*/, "", r)
		n[r] += $NF; t += $NF } END { for (r in n) if (n[r] > m) m = n[r]
		print (t && m >= 0.97 * t) ? "one" : "split" }' >"$FT_TMP/$f.roots"
	[ "$(cat "$FT_TMP/$f.roots")" = one ] || fail "$f ran on more than one coroutine"
done
l=$(cat "$FT_TMP/light_main")
h=$(cat "$FT_TMP/heavy_main")
[ "$l" -gt 0 ] && [ "$h" -gt 0 ] || fail "no samples of one of the Pth threads"
ph=$(awk -v l="$l" -v h="$h" 'BEGIN { printf "%.1f", 100 * h / (l + h) }')
in_range "$ph" 71 79 || fail "heavy has $ph% of the Pth threads' CPU (want 75 +- 4)"
note "ok: heavy $ph% ($h vs $l samples)"
exit 0
