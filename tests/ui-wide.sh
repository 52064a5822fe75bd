# tests/ui-wide.sh - `flametop view` of 200,000 distinct stacks (about
# 4 million call-tree nodes): the top table is computed once, not at every
# redraw, so after Tab and a new sort order the viewer still answers q at
# once (it used to spin for minutes, recomputing between keys).
. "$top_srcdir/tests/ui-lib.sh"

W="$FT_TMP/wide.folded"
# 200,000 stacks of 5 to 40 frames over 3,000 functions; f7 is the hot
# leaf of every 10th stack
awk 'BEGIN { srand(1); for (i = 0; i < 200000; i++) {
	d = 5 + int(rand() * 36); s = "main"
	for (j = 0; j < d; j++) s = s ";f" int(rand() * 3000)
	if (i % 10 == 0) s = s ";f7"
	print s, 1 + int(rand() * 100) } }' >"$W"
[ "$(wc -l <"$W")" = 200000 ] || fail "the wide file is not 200,000 stacks"

ui_start
ui_cmd "'$FLAMETOP_BIN' view '$W'"
ui_expect 'samples \| static' 60 "wide view: not loaded within 60 s"
ui_keys Tab
ui_expect 'sorted by self' 30 "wide view: the top table did not show"
ui_keys 2
# the redraws that follow reuse the table: the sort shows and q is read
ui_expect 'sorted by total' 10 "wide view: sorting by total did not show within 10 s"
ui_keys q
ui_wait_normal 20 || fail "wide view: q was not answered within 20 s"
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=0' 10 "wide view: status after q"
exit 0
