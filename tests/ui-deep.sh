# tests/ui-deep.sh - `flametop view` of one stack 100,000 frames deep (a
# folded file of about 500 KB): the viewer draws the graph, walks to the
# leaf, zooms there, searches, flips, shows the table, and q quits with
# status 0.  Its walks over the tree and the layout must not recurse once
# per level (that overflowed the stack).
. "$top_srcdir/tests/ui-lib.sh"

D="$FT_TMP/deep.folded"
# main, 99,998 frames of recurse_step, deep_leaf: the leaf is at depth 100000
awk 'BEGIN { printf "main"; for (i = 0; i < 99998; i++) printf ";recurse_step"
	print ";deep_leaf 7" }' >"$D"
[ "$(tr ';' '\n' <"$D" | wc -l)" = 100000 ] || fail "the deep file is not 100,000 frames"

ui_start
ui_cmd "'$FLAMETOP_BIN' view '$D'"
ui_expect '7 samples \| static' 20 "deep view: no header"
ui_expect '^ all \| 7 samples \| 100\.00% of all' 10 "deep view: no status line"
ui_line 2 | grep -q '^all' && ui_line 3 | grep -q '^main' && ui_line 4 | grep -q '^recurse_step' ||
	{ ui_screen >&2; fail "deep view: the graph is not drawn"; }
# G walks down the heaviest children to the leaf
ui_keys G
ui_expect '^ deep_leaf \| 7 samples \| 100\.00% of all' 20 "G did not reach the deep leaf"
# (all of the profile in the leaf itself: a wide peak, marked ~)
ui_expect '^~deep_leaf' 5 "the leaf's row is not on screen"
# zoomed there, the callers are rows above and the path ends with the depth
ui_keys Enter
ui_expect 'zoom: \.\.\. > .*recurse_step > deep_leaf \(depth 100000\) \|' 20 \
	"deep zoom: path end or depth not shown"
ui_expect 'more' 5 "deep zoom: no marker row for the farther callers"
# a search walks the whole tree
ui_keys / ; ui_keys -l deep_leaf ; ui_keys Enter
ui_expect 'search /deep_leaf/: 100\.00% of all' 20 "deep search: wrong share"
ui_keys r i
ui_expect ' flame \| name order$' 20 "deep flip: not flipped"
ui_keys Tab
ui_expect 'SELF%\*' 20 "deep: no top table"
ui_expect '^ 100\.00% +100\.00% +deep_leaf' 5 "deep: table row wrong"
ui_keys Tab
ui_expect '^ ~ wide-peak +100\.00% +1 deep +deep_leaf$' 20 "deep: no findings panel"
ui_keys Tab
ui_expect ' flame \| name order$' 10 "deep: Tab did not come back to the graph"
ui_keys q
ui_quit_ok
exit 0
