#!/bin/sh
# rec-demo.sh: the bundled demo has a known shape: a wide, shallow
# handle_request plateau, a deep walk_tree tower, a mostly busy worker
# thread and an idle one.  Check the recorded shares are plausible.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
demo="$top_builddir/examples/flametop-demo"
[ -x "$demo" ] || skip "demo not built"

ft record -F 499 -d 3 -o "$FT_TMP/demo.folded" -- "$demo"
expect_status 0
grep -q '^demo: serving' "$FT_TMP/out" || { ft_dump; fail "demo output did not pass through"; }
n=$(samples "$FT_TMP/demo.folded")
[ "$n" -ge 100 ] || fail "only $n samples"
# expected: handle_request ~58%, walk_tree ~8%, worker ~25%, idle ~0%
expect_share "$FT_TMP/demo.folded" handle_request 40 75
expect_share "$FT_TMP/demo.folded" parse_headers 20 45
expect_share "$FT_TMP/demo.folded" compute_checksum 15 38
expect_share "$FT_TMP/demo.folded" walk_tree 3 16
expect_share "$FT_TMP/demo.folded" crunch_numbers 10 40
expect_share "$FT_TMP/demo.folded" idle_wait 0 3
# the tower is deep: some stack has 25 walk_tree frames
deep=$(awk '{ n = gsub(/walk_tree/, "&"); if (n > m) m = n } END { print m + 0 }' \
	"$FT_TMP/demo.folded")
[ "$deep" -ge 25 ] || fail "deepest walk_tree tower has $deep frames (want 25)"
note "ok: walk_tree tower $deep frames deep"
exit 0
