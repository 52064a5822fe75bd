# tests/ui-heat.sh - the time heatmap on a live target (ui-wl, one busy
# thread): a column a second with its shades and legend, a cursor on a
# past second whose sample count is what the flame graph then shows for
# that second alone (the header says the range), a tenth of it, a range
# of two seconds, and Esc back to the time window.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$WL'"
ui_expect 'ui_wl_hot_spin' 15 "the workload did not show"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid"
sleep 4
# the heatmap is the last view with data (no GC here): Shift-Tab
ui_keys BTab
ui_expect '^ a column a second, a row a tenth of it; ░▒▓█ up to [0-9]+ samples a cell' 5 \
	"Shift-Tab is not the heatmap"
ui_expect '^\.9s  ' 5 "the heatmap has not its ten rows"
ui_screen | grep -Eq '^\.[0-9]s  .*[░▒▓█]' || { ui_screen >&2; fail "no shaded cell"; }
ui_expect '^ [0-9]+ seconds kept, [0-9]+ bursts? \| ' 5

# the cursor two seconds back: a whole past second, its samples counted
ui_keys Left Left
ui_expect '^ second [0-9]+s: [0-9]+ samples \| Enter' 5 "Left did not put the cursor on a second"
sec=$(ui_screen | sed -n 's/^ second \([0-9]*\)s: \([0-9]*\) samples .*/\1/p')
n=$(ui_screen | sed -n 's/^ second \([0-9]*\)s: \([0-9]*\) samples .*/\2/p')
[ "${n:-0}" -gt 10 ] || { ui_screen >&2; fail "second $sec has only '$n' samples at 199 Hz"; }
ui_keys Enter
ui_expect "the graph shows [0-9.]+-[0-9.]+s only" 5 "Enter did not filter the graph"
from=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\1/p')
to=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\2/p')
[ "${from%.*}" = "$sec" ] || [ "${from%.*}" = "$((sec - 1))" ] || { ui_screen >&2; fail "second ${sec}s shown as $from-$to"; }
python3 -c "import sys; sys.exit(abs($to - $from - 1) > 0.01)" || fail "$from-$to is not one second"
ui_expect "\\| range $from-${to}s \\|" 5 "the header does not show the range"
# the graph holds exactly the samples of that second, and stays so
ui_expect "^ all \\| $n samples \\| 100\\.00% of all" 5 "the graph does not hold the second's $n samples"
ui_expect 'ui_wl_hot_spin' 5
sleep 1.5
ui_screen | grep -q "^ all | $n samples |" || { ui_screen >&2; fail "new samples entered a past range"; }

# a tenth of that second: Down makes the cursor a cell (the first tenth)
ui_keys BTab
ui_keys Down Down
ui_expect '^ tenth [0-9.]+s: [0-9]+ samples \| Enter' 5 "Down did not put the cursor on a tenth"
tn=$(ui_screen | sed -n 's/^ tenth \([0-9.]*\)s: \([0-9]*\) samples .*/\2/p')
ui_keys Enter
ui_expect "the graph shows [0-9.]+-[0-9.]+s only" 5 "Enter did not show the tenth"
ui_expect "^ all \\| $tn samples \\|" 5 "the graph does not hold the tenth's $tn samples"
f2=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\1/p')
t2=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\2/p')
python3 -c "import sys; sys.exit(abs($t2 - $f2 - 0.1) > 0.01 or abs($f2 - $from - 0.1) > 0.01)" ||
	{ ui_screen >&2; fail "the second tenth of $from is not $f2-$t2"; }
note "ok: a tenth, $f2-$t2, $tn samples"

# the mouse: a click puts the cursor on a cell (the third tenth of the
# second column), a double click shows it
ui_keys BTab
ui_click 6 4
ui_expect '^ tenth [0-9.]+s: [0-9]+ samples \| Enter' 5 "a click did not put the cursor on the cell"
sleep 0.5 # the single click resolved before the double one comes
ui_click 6 4 2
ui_expect "the graph shows [0-9.]+-[0-9.]+s only" 5 "a double click did not show the cell"
f3=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\1/p')
t3=$(ui_screen | sed -n 's/.*the graph shows \([0-9.]*\)-\([0-9.]*\)s only.*/\2/p')
python3 -c "import sys; sys.exit(abs($t3 - $f3 - 0.1) > 0.01)" || { ui_screen >&2; fail "a double click showed $f3-$t3"; }

# a range of two seconds: G (whole seconds again), v, Left, Enter
ui_keys BTab G Left Left
ui_keys v Left
ui_expect '^ range [0-9.]+-[0-9.]+s \(2\.0 s\): [0-9]+ samples \| Enter' 5 "v and Left did not make a range of two seconds"
ui_keys Enter
ui_expect "\\| range [0-9.]+-[0-9.]+s \\|" 5 "the header does not show the two-second range"
# Esc in the heatmap: the window again, and new samples come in
ui_keys BTab Escape
ui_expect 'the graph shows the time window again' 5
ui_expect '\| window all \|' 5 "the header does not show the window again"
ui_keys q
ui_quit_ok
exit 0
