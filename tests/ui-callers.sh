#!/bin/sh
# tests/ui-callers.sh - the callers view in tmux: c in the graph and in the
# top table opens it on the selected function, with its three callers and
# its callee at their shares of the whole profile; Enter centres it on a
# caller, Esc goes back to the function and then to the view it came from.
# Then hiding and collapsing: x hides a frame (its time to its caller, the
# status line says so), C collapses fib;fib;fib;fib into "fib ×4", U
# shows everything again.
. "$top_srcdir/tests/ui-lib.sh"

F="$FT_TMP/prof.folded"
cat >"$F" <<'EOT'
main;parse_input;crunch 50
main;render_page;crunch 30
main;store_rows;crunch 15
main;store_rows;crunch;helper 5
main;idle 100
EOT

ui_start
ui_cmd "'$FLAMETOP_BIN' view '$F'"
ui_expect 'crunch' 10 "the graph did not show"
# the graph: search crunch, select the first match, c
ui_keys / ; ui_keys -l '^crunch$' ; ui_keys Enter
ui_keys n
ui_expect '^ crunch \|' 5 "crunch not selected"
ui_keys c
ui_expect 'callers of crunch \(nearest first' 5 "c did not open the callers view"
ui_expect 'callers view: crunch \| 6 caller rows, 1 callee row'
# shares of all 200 samples: callers 25/15/10, each called from main
ui_expect '^ +25\.0% +parse_input$'
ui_expect '^ +15\.0% +render_page$'
ui_expect '^ +10\.0% +store_rows$'
ui_expect '^ +25\.0% +  main$'
ui_expect '^ +50\.0% +47\.5% += crunch$' 5 "the centre row is wrong"
ui_expect '^ +2\.5% +2\.5% +  helper$' 5 "the callee is wrong"
# heaviest first: parse_input above render_page above store_rows
ui_screen | grep -E '^ +[0-9.]+% +(parse_input|render_page|store_rows)$' |
	awk '{ print $2 }' | tr '\n' ' ' | grep -qx 'parse_input render_page store_rows ' ||
	{ ui_screen >&2; fail "callers not heaviest first"; }
# Up to store_rows (the nearest caller row above the centre's main), Enter
ui_keys Up Up Enter
ui_expect 'callers of store_rows' 5 "Enter did not centre on store_rows"
ui_expect '^ +10\.0% +0\.0% += store_rows$'
ui_expect '^ +10\.0% +7\.5% +  crunch$'
# Esc: crunch again, then the graph
ui_keys Escape
ui_expect 'callers of crunch' 5 "Esc did not go back to crunch"
ui_keys Escape
ui_wait_gone 'callers view' 5 || fail "Esc did not leave the callers view"
ui_expect '^ crunch \|' 5 "not back in the graph with crunch selected"
# help lists the key
ui_keys '?'
ui_expect 'c +callers view of the frame' 5 "c is not in the help"
ui_keys Escape
# the top table: select crunch, c
ui_keys Tab
ui_expect 'SELF%' 5 "Tab did not reach the table"
ui_keys / ; ui_keys -l '^crunch$' ; ui_keys Enter
ui_keys c
ui_expect 'callers of crunch \(nearest first' 5 "c in the table did not open the callers view"
ui_keys Escape
ui_expect 'SELF%' 5 "Esc did not go back to the table"
ui_keys q
ui_quit_ok

R="$FT_TMP/rec.folded"
cat >"$R" <<'EOT'
main;parse_input;crunch 60
main;fib;fib;fib;fib;leaf 30
main;fib;fib;leaf 10
EOT
ui_cmd "'$FLAMETOP_BIN' view '$R'"
ui_expect 'parse_input' 10 "the graph did not show"
ui_keys / ; ui_keys -l '^parse_input$' ; ui_keys Enter
ui_keys n
ui_expect '^ parse_input \|' 5 "parse_input not selected"
ui_keys x
ui_expect 'hidden: parse_input \(U: show all\)' 5 "x: the status line does not say what is hidden"
ui_wait_gone '^(main +)?parse_input' 5 || fail "parse_input is still drawn"
# its time went to main: crunch is main's child now, 60 of 100
ui_keys / ; ui_keys -l '^crunch$' ; ui_keys Enter
ui_expect 'search /\^crunch\$/: 60\.00% of all' 5 "crunch's share changed"
ui_keys Escape
ui_keys C
ui_expect 'hidden: parse_input; recursion collapsed' 5 "C: not in the status line"
ui_expect 'fib ×4' 5 "no fib ×4 box"
[ "$(ui_screen | grep -c 'fib')" = 1 ] || { ui_screen >&2; fail "more than one fib row left"; }
ui_keys U
ui_wait_gone 'fib ×4' 5 || fail "U did not expand fib"
[ "$(ui_screen | grep -c 'fib')" = 4 ] || { ui_screen >&2; fail "fib is not four rows again"; }
ui_wait_gone 'hidden:|recursion collapsed' 5 || fail "U did not show everything again"
ui_expect 'parse_input' 5 "parse_input not back after U"
ui_keys q
ui_quit_ok

# the same from the command line; U still shows everything
ui_cmd "'$FLAMETOP_BIN' view --hide '^parse_input\$' --collapse-recursion '$R'"
ui_expect 'hidden: /\^parse_input\$/; recursion collapsed' 10 "view --hide: not in the status line"
ui_expect 'fib ×4' 5 "view --collapse-recursion: no fib ×4 box"
ui_keys U
ui_wait_gone 'hidden:' 5 || fail "U did not undo --hide"
ui_keys q
ui_quit_ok
exit 0
