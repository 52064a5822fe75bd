# tests/ui-view.sh - `flametop view` in tmux: the hot function shows, search
# share, zoom, flip, help, top table, resize, too small, q restores.
. "$top_srcdir/tests/ui-lib.sh"

F="$FT_TMP/prof.folded"
cat >"$F" <<'EOT'
main;parse_input;read_line 30
main;parse_input;tokenize 20
main;compute;hot_loop 120
main;compute;ns::Parser::parse_header(char const*) 25
main;output 5
EOT

# a malformed file: one line naming the line, before any screen
printf 'main;a 3\nmain;b three\n' >"$FT_TMP/bad.folded"
ft view "$FT_TMP/bad.folded"
[ "$st" = 1 ] || { ft_dump; fail "malformed file: status $st, want 1"; }
[ "$(wc -l <"$FT_TMP/err")" = 1 ] || { ft_dump; fail "malformed file: not one line"; }
grep -q '^flametop: .*line 2' "$FT_TMP/err" || { ft_dump; fail "error does not name line 2"; }
ft view
[ "$st" = 2 ] || fail "view without a file: status $st, want 2"
# a directory: what it is, not "line 1: read error"
ft view "$FT_TMP"
[ "$st" = 1 ] || { ft_dump; fail "view DIR: status $st, want 1"; }
[ "$(cat "$FT_TMP/err")" = "flametop: cannot read '$FT_TMP': Is a directory" ] ||
	{ ft_dump; fail "view DIR: wrong message"; }
# getopt's own messages are ours: one "flametop: view: ..." line
ft view --bogus "$F"
[ "$st" = 2 ] || { ft_dump; fail "view --bogus: status $st, want 2"; }
[ "$(cat "$FT_TMP/err")" = "flametop: view: unknown option '--bogus' (see flametop view --help)" ] ||
	{ ft_dump; fail "view --bogus: wrong message"; }
ft view --interval
[ "$st" = 2 ] || { ft_dump; fail "view --interval: status $st, want 2"; }
grep -q "^flametop: view: option '--interval' needs a value" "$FT_TMP/err" ||
	{ ft_dump; fail "view --interval: wrong message"; }

ui_start
ui_cmd "'$FLAMETOP_BIN' view '$F'"
ui_expect 'hot_loop' 10 "the hot function is not on screen"
ui_expect '200 samples \| static'
[ "$(ui_alt)" = 1 ] || fail "not on the alternate screen"
# root on top (icicle): line 2 is the root
ui_line 2 | grep -q '^all' || fail "root not on the first graph row"

# search: hot_loop is 120 of 200
ui_keys / ; ui_keys -l hot_loop ; ui_keys Enter
ui_expect 'search /hot_loop/: 60\.00% of all' 10 "search share wrong"
# n selects the match: the status line names it with its share
ui_expect '^ hot_loop \| 120 samples \| 60\.00% of all'
# two patterns whose frames nest count once: compute contains hot_loop
ui_keys / ; ui_keys -l 'compute|hot' ; ui_keys Enter
ui_expect 'search /compute\|hot/: 72\.50% of all' 10 "nested matches counted twice"
ui_keys Escape   # not zoomed: clears the search
ui_wait_gone 'search /' 5 || fail "Esc did not clear the search"

# zoom: select compute (root -> main -> compute) and Enter
ui_keys r g j j
ui_expect '^ compute \| 145 samples'
ui_keys Enter
ui_expect 'zoom: main > compute' 5 "zoom path not shown"
# its callers stay above it as context rows, the zoomed root below them
ui_line 2 | grep -q '^all' && ui_line 3 | grep -q '^main' && ui_line 4 | grep -q '^compute' ||
	{ ui_screen >&2; fail "the zoomed root is not below its callers"; }
ui_screen | grep -q 'parse_input' && fail "zoom still shows a sibling of the zoomed frame"
# Up from the zoomed root selects its caller; Enter zooms out to it
ui_keys g k
ui_expect '^ main \| 200 samples \| 100\.00% of all \| caller of the zoom' 5 \
	"Up did not reach the caller row"
ui_keys Enter
ui_expect 'parse_input' 5 "Enter on a caller did not zoom out to it"
ui_expect 'zoom: main \|' 5 "Enter on a caller: wrong zoom"
ui_keys Escape
ui_wait_gone 'zoom: ' 5 || fail "Esc did not zoom out one level"

# flip: the root goes to the bottom row of the graph
ui_keys r i
ui_expect '^ flame \| name order'
root_line=$(ui_screen | grep -n '^all' | head -n 1 | cut -d: -f1)
[ -n "$root_line" ] && [ "$root_line" -gt 30 ] ||
	{ ui_screen >&2; fail "flipped: root not at the bottom (line ${root_line:-none})"; }
ui_keys i

# mouse: a click selects (the status shows the long name in full), a
# double click zooms
ui_click 80 4
ui_expect '^ ns::Parser::parse_header\(char const\*\) \| 25 samples \| 12\.50% of all' 5 \
	"click did not select the frame under it"
ui_click 100 3 2
ui_expect 'zoom: main > parse_input' 5 "double click did not zoom"
ui_keys r

# help, generated from the key table
ui_keys '?'
ui_expect 'flametop keys' 5 "no help overlay"
ui_expect 'Enter +zoom into the selected frame'
# the box is as wide as its longest line: nothing cut
ui_expect 'choose the thread to show \(all threads or one\) from a list' 5 "help cuts its lines"
ui_expect 'move up: to the parent \(icicle\) / a child \(flame\)' 5 "help cuts its lines"
# the graph's own keys and the screen's, not the table's
ui_screen | grep -q 'sort by self' && fail "help of the graph lists the table's keys"
# and it leaves the status line alone
ui_expect ' samples \| [0-9.]+% of all \| [0-9.]+% of zoom' 5 "the help box covers the status line"
ui_keys x
ui_wait_gone 'flametop keys' 5 || fail "help did not close"

# top table: hot_loop first by self, 60%
ui_keys Tab
ui_expect 'SELF%\*' 5 "no top table"
ui_expect '^  60\.00%  60\.00%  hot_loop'
ui_keys 2
ui_expect 'TOTAL%\*'
# filter with /, Enter jumps to the function's heaviest frame in the graph
ui_keys / ; ui_keys -l tok ; ui_keys Enter
ui_expect ' 1 function matching /tok/' 5 "top table filter"
ui_keys Enter
ui_expect '^ tokenize \| 20 samples \| 10\.00% of all' 5 "Enter did not show the function in the graph"
# the key bar names where Tab goes; Shift-Tab goes the other way
ui_expect '  Tab table  ' 5 "key bar: no Tab hint in the graph"
ui_keys BTab
ui_expect '^ [0-9]+ findings?: ' 5 "Shift-Tab did not go to the findings"
ui_expect '  Tab graph  ' 5 "key bar: no Tab hint in the findings"
ui_keys BTab
ui_expect 'SELF%' 5 "Shift-Tab did not go to the table"
ui_expect '  Tab findings  ' 5 "key bar: no Tab hint in the table"
ui_keys BTab
ui_expect '^ tokenize \| 20 samples' 5 "Shift-Tab did not come back to the graph"
# a live-only key on a static profile says so
ui_keys w
ui_expect 'not available on a static profile' 5

# resize redraws for the new size; too small shows a message
tm resize-window -x 80 -y 24
ui_expect '^ prof\.folded \| 200 samples' 5
sleep 0.5
[ "$(ui_screen | wc -l)" -le 24 ] || fail "screen not resized"
[ "$(ui_screen | LC_ALL=C.UTF-8 wc -L)" -le 80 ] || fail "lines wider than the window"
ui_expect 'hot_loop' 5 "graph not redrawn after resize"
tm resize-window -x 39 -y 9
ui_expect 'terminal too small: need at least 40x10' 5 "too small not reported"
# narrower: a shorter message, the size never cut
tm resize-window -x 30 -y 8
ui_expect '^ *too small: need 40x10 *$' 5 "too small at 30x8: the size is not shown whole"
ui_screen | grep -q 'need at le' && fail "too small at 30x8: a cut message"
tm resize-window -x "$UI_W" -y "$UI_H"
ui_expect 'hot_loop' 5 "graph not back after growing"

# colours: 256-colour frames here; the selection is its own colour
tm capture-pane -p -e | grep -q '48;5;' || fail "no 256-colour frames"

ui_keys q
ui_quit_ok
ui_screen | grep -q 'hot_loop' && fail "the graph is still on screen after q"

# NO_COLOR: monochrome; the selection is reverse video, matches bold and
# underlined
ui_cmd "clear; NO_COLOR=1 '$FLAMETOP_BIN' view '$F'"
ui_expect 'hot_loop' 10 "NO_COLOR view did not start"
ui_keys / ; ui_keys -l 'hot_loop|tokenize' ; ui_keys Enter
ui_expect 'search /hot_loop\|tokenize/' 5
tm capture-pane -p -e >"$FT_TMP/mono"
grep -q '48;5;\|\[4[1-7]m' "$FT_TMP/mono" && fail "NO_COLOR: colours on screen"
# (hot_loop, all self time and 60% wide, is a wide peak: marked ~)
grep -q '\[1;4;7m~hot_loop' "$FT_TMP/mono" || fail "NO_COLOR: selected match not reverse+bold+underline"
grep -q '\[1;4mtokenize' "$FT_TMP/mono" || fail "NO_COLOR: match not bold+underline"
ui_keys q
ui_quit_ok

# a terminal without cursor movement: one line, status 1, no screen
ui_cmd "clear; TERM=dumb '$FLAMETOP_BIN' view '$F'; echo \"FT-EXIT=\$?\""
ui_expect "FT-EXIT=[0-9]+" 10 "TERM=dumb: flametop did not return"
ui_expect "^flametop: terminal 'dumb' cannot show the viewer \\(needs cursor movement\\)" 5 \
	"TERM=dumb: no message"
ui_expect 'FT-EXIT=1' 5 "TERM=dumb: status is not 1"
ui_screen | grep -q 'hot_loop' && fail "TERM=dumb: the viewer drew"

# SIGTERM and SIGHUP quit cleanly; a fatal signal in the viewer restores
# the terminal before the viewer dies of it
for sig in TERM HUP SEGV; do
	ui_cmd "clear; '$FLAMETOP_BIN' view '$F'"
	ui_expect 'hot_loop' 10 "view did not start again"
	vp=$(ui_child_pid)
	[ -n "$vp" ] || fail "cannot find the viewer's pid"
	kill -$sig "$vp"
	ui_wait_normal 10 || fail "SIG$sig: the alternate screen is still on"
	ui_cmd 'echo "FT-EXIT=$?"'
	ui_expect 'FT-EXIT=[0-9]+' 10 "SIG$sig: the shell did not come back"
	[ "$(ui_alt)" = 0 ] || fail "SIG$sig: the alternate screen is still on"
	code=$(ui_screen | sed -n 's/.*FT-EXIT=\([0-9]*\).*/\1/p' | tail -n 1)
	case $sig in
	SEGV) [ "$code" = 139 ] || fail "SIGSEGV: status $code, want 139 (re-raised)" ;;
	*) [ "$code" = 0 ] || fail "SIG$sig: status $code, want 0" ;;
	esac
	ui_screen | grep -q 'hot_loop' && fail "SIG$sig: the graph is still on screen"
done

# zoomed deep into a recursion, the info line keeps the innermost frames
# and the depth, not the outermost ones
D="$FT_TMP/deep.folded"
awk 'BEGIN { s = "main"; for (i = 0; i < 40; i++) s = s ";recurse_step"; print s ";leaf 10" }' >"$D"
ui_cmd "clear; '$FLAMETOP_BIN' view '$D'"
ui_expect 'recurse_step' 10 "deep view: did not start"
ui_keys G
ui_keys Enter
ui_expect 'zoom: \.\.\. > .*recurse_step > leaf \(depth 42\) \|' 5 "deep zoom: path end or depth not shown"
ui_keys q
ui_quit_ok
# `view -`: the profile on standard input, keys from the terminal (as less)
ui_cmd "clear; '$FLAMETOP_BIN' view - < '$F'"
ui_expect 'standard input \| 200 samples \| static' 10 "view -: did not start on stdin"
ui_expect 'hot_loop'
ui_keys q
ui_quit_ok
# a 900-character C++ name: one status line, its own name kept; and
# without colours, boxes end with an edge
L="$FT_TMP/long.folded"
python3 -c 'print("main;ns::" + "Tmpl<" * 60 + "int" + ">" * 60 + "::method 50\nmain;work 900")' >"$L"
ui_cmd "clear; NO_COLOR=1 '$FLAMETOP_BIN' view '$L'"
ui_expect 'work +\|' 10 "long name: no box edge without colours"
ui_keys j j h
ui_expect '^ ns::Tmpl<.*>::method \| 50 samples' 5 "long name: the status line lost the function's name"
[ "$(ui_screen | grep -c 'Tmpl<Tmpl<Tmpl<')" -eq 0 ] || { ui_screen >&2; fail "long name: the whole name wraps the status line"; }
ui_keys q
ui_quit_ok
# the table's Enter: every occurrence highlighted, n walks them; Esc
# leaves the table, Space pages
O="$FT_TMP/occ.folded"
{
	printf 'main;a;shared 30\nmain;b;shared 20\nmain;c;x;shared 10\nmain;other 40\n'
	awk 'BEGIN { for (i = 0; i < 60; i++) printf "main;filler%02d 1\n", i }'
} >"$O"
ui_cmd "clear; '$FLAMETOP_BIN' view '$O'"
ui_expect 'shared' 10 "occurrences: did not start"
ui_keys Tab
ui_expect 'SELF%\*' 5 "occurrences: no table"
ui_keys Enter
ui_expect 'search /\^shared\$/: [0-9.]+% of all, match 1/3' 5 "table Enter: not every occurrence highlighted"
ui_expect '^ shared \| 30 samples'
ui_keys n
ui_expect 'match 2/3' 5 "n did not walk to the next occurrence"
ui_expect '^ shared \| 20 samples'
ui_keys Tab
ui_expect 'SELF%\*' 5 "occurrences: no table again"
ui_expect '^ +37\.50% +37\.50% +shared' 5 "occurrences: shared is not the first row"
ui_keys Space
ui_wait_gone '^ +37\.50% +37\.50% +shared' 5 || fail "Space did not page the table"
ui_keys Escape
ui_expect '  Tab table  ' 5 "Esc did not leave the table"
ui_keys q
ui_quit_ok
exit 0
