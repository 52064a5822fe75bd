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
# The main thread does fixed work, so its own split does not depend on how
# the scheduler shares the two cores with the worker thread (and with
# other tests): check the main thread's shares, and the worker's presence.
grep ';main;' "$FT_TMP/demo.folded" >"$FT_TMP/main.folded"
# expected within main: handle_request ~78%, walk_tree ~9%
expect_share "$FT_TMP/main.folded" handle_request 60 92
expect_share "$FT_TMP/main.folded" parse_headers 28 58
expect_share "$FT_TMP/main.folded" compute_checksum 22 50
expect_share "$FT_TMP/main.folded" walk_tree 4 20
expect_share "$FT_TMP/demo.folded" crunch_numbers 5 70
expect_share "$FT_TMP/demo.folded" idle_wait 0 3
# the tower is deep: some stack has 25 walk_tree frames
deep=$(awk '{ n = gsub(/walk_tree/, "&"); if (n > m) m = n } END { print m + 0 }' \
	"$FT_TMP/demo.folded")
[ "$deep" -ge 25 ] || fail "deepest walk_tree tower has $deep frames (want 25)"
note "ok: walk_tree tower $deep frames deep"
exit 0
