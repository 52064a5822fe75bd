# tests/ui-lines.sh - L: the selected function's hot source lines, from the
# top table and from the flame graph, with the lines' text; Esc goes back;
# a recorded file has none, and says so.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/wl-lines"
[ -x "$WL" ] || skip "$WL not built"
body=$(grep -n 'first loop \*/' "$top_srcdir/tests/wl-lines.c" | head -n 1 | cut -d: -f1)
body=$((body + 1))

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 499 -- '$WL' 1000"
ui_expect 'work' 15 "the workload's function did not show"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
[ -n "$pid" ] && bg_pid "$pid"

# the table: filter to work, L
ui_keys Tab
ui_expect 'SELF' 5 "no top table"
ui_keys / ; ui_keys -l '^work$' ; ui_keys Enter
sleep 1
ui_keys L
ui_expect 'lines of work \[wl-lines\]: self .*% of the total' 5 "L did not open work's lines"
ui_expect 'LINE +FUNC% +TOTAL% +SOURCE' 5 "no column header"
ui_expect "^ +$body +[0-9.]+% +[0-9.]+% +x \\^= x << 13" 5 "line $body without its text"
ui_expect 'wl-lines\.c' 5 "the source file is not named"
ui_keys Escape
ui_wait_gone 'lines of work' 5 || fail "Esc did not leave the lines"

# the graph: the hottest leaf, L
ui_keys G
sleep 0.5
ui_keys L
ui_expect 'lines of (work|scramble \(inlined\)) \[wl-lines\]' 5 "L from the graph"
ui_keys L
ui_wait_gone 'lines of ' 5 || fail "L did not leave the lines"
ui_keys q
ui_quit_ok

# a recorded file keeps no lines
printf 'main;work 30\nmain;other 10\n' >"$FT_TMP/p.folded"
ui_cmd "'$FLAMETOP_BIN' view '$FT_TMP/p.folded'"
ui_expect 'work' 10 "the file's function did not show"
ui_keys G L
ui_expect 'no source lines' 5 "L on a file: no message"
ui_keys q
ui_quit_ok
