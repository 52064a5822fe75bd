#!/bin/sh
# rec-demo.sh: the bundled demo has a known shape: a wide, shallow
# handle_request plateau, a deep walk_tree tower, a mostly busy worker
# thread and an idle one.  Check the recorded shares are plausible, and
# that report --findings finds the plateau and the tower.
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
# expected within main: handle_request ~72%, walk_tree ~5%
expect_share "$FT_TMP/main.folded" handle_request 60 92
expect_share "$FT_TMP/main.folded" parse_headers 18 45
expect_share "$FT_TMP/main.folded" compute_checksum 18 45
expect_share "$FT_TMP/main.folded" walk_tree 2 12
expect_share "$FT_TMP/demo.folded" crunch_numbers 5 70
expect_share "$FT_TMP/demo.folded" idle_wait 0 3
# the tower is deep: some stack has 25 walk_tree frames
deep=$(awk '{ n = gsub(/walk_tree/, "&"); if (n > m) m = n } END { print m + 0 }' \
	"$FT_TMP/demo.folded")
[ "$deep" -ge 25 ] || fail "deepest walk_tree tower has $deep frames (want 25)"
note "ok: walk_tree tower $deep frames deep"
# and the shape classifier finds them on its own: one wide peak, the
# request handler; one spike, the index rebuild's recursion
ft report --findings --json "$FT_TMP/demo.folded"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "the demo's findings"; }
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
print("findings:", [(x["kind"], x["frame"], round(x["share"], 3)) for x in f])
assert [x["frame"] for x in f if x["kind"] == "wide-peak"] == ["handle_request"]
assert [(x["frame"], x["recursion"]) for x in f if x["kind"] == "spike"] == [("rebuild_index", "walk_tree")]
PY
exit 0
