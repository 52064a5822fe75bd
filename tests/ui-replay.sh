# tests/ui-replay.sh - a recording replayed in the viewer: ui-wl recorded
# for 4 s to a .ftr, then `view` shows its hot function with the header
# of the target it was (pid, command, mode) marked replay; the heatmap
# reaches the recording's oldest second, whose samples the graph then
# shows alone; the window and the thread picker work as on a live target;
# B takes the time shown as a baseline named by its seconds in the
# recording, against which a second from the heatmap is compared.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

R="$FT_TMP/ui-wl.ftr"
ft record -F 199 -d 4 -o "$R" -- "$WL"
expect_status 0

ui_start
ui_cmd "'$FLAMETOP_BIN' view '$R'"
ui_expect 'ui_wl_hot_spin' 10 "the hot function is not on screen"
ui_expect '^ pid [0-9]+ ui-wl \| recording \| cpu 199 Hz \| [0-9]+ samples \| lost [0-9]+ \| window all \| replay' 5 \
	"the header does not say what was recorded"

# the heatmap: the oldest second kept is the recording's first
ui_keys BTab
ui_expect '^ a column a second' 5 "Shift-Tab is not the heatmap"
ui_expect '^ [4-6] seconds kept' 5 "the heatmap does not hold the whole recording"
ui_keys g
ui_expect '^ second 0s: [0-9]+ samples \| Enter' 5 "g did not put the cursor on the first second"
n=$(ui_screen | sed -n 's/^ second 0s: \([0-9]*\) samples .*/\1/p')
[ "${n:-0}" -gt 0 ] || { ui_screen >&2; fail "no samples in the first second"; }
ui_keys Enter
ui_expect "the graph shows [0-9.]+-[0-9.]+s only" 5 "Enter did not show the first second"
ui_expect "\\| range [-0-9.]+-[0-9.]+s \\|" 5 "the header does not show the range"
ui_expect "^ all \\| $n samples \\|" 5 "the graph does not hold the first second's $n samples"
ui_expect 'ui_wl_hot_spin' 5
note "ok: the first second of the recording, $n samples"

# back to the whole recording, then the last 5 s
ui_keys BTab Escape
ui_expect '\| window all \|' 5 "Esc did not show the whole recording again"
ui_keys w
ui_expect '\| window last 5s \|' 5 "w did not set a window"
# threads: the picker lists the recorded thread
ui_keys t
ui_expect 'all threads' 5 "t did not open the thread picker"
ui_screen | grep -q 'not available' && { ui_screen >&2; fail "the thread picker says not available"; }
ui_keys Escape
ui_keys q
ui_quit_ok

# B freezes the time shown as the baseline, named by its seconds in the
# recording; the first second, shown from the heatmap, is then compared
# with it; B drops it
ui_cmd "'$FLAMETOP_BIN' view '$R'"
ui_expect '\| window all \| replay' 10 "the recording did not open again"
ui_keys B
ui_expect '\| vs baseline -?[0-9]+\.[0-9]--?[0-9]+\.[0-9]s$' 5 \
	"the header does not name the baseline by its time in the recording"
ui_screen | grep -q 'vs baseline taken' && { ui_screen >&2; fail "a replay's baseline is named by the clock"; }
ui_expect 'baseline -?[0-9.]+--?[0-9.]+s taken: show another time' 5 "no message for the baseline"
ui_keys / ; ui_keys -l '^ui_wl_hot_spin$' ; ui_keys Enter
ui_expect '^ ui_wl_hot_spin .*\| [0-9.]+% of the window, [0-9.]+% of the baseline, [+-][0-9.]+ points' 5 \
	"the hot function's status line does not compare the window with the baseline"
ui_keys BTab g Enter
ui_expect '\| range [-0-9.]+-[0-9.]+s \|.*\| vs baseline [-0-9.]+-[0-9.]+s$' 5 \
	"the first second is not shown against the baseline"
ui_keys B
ui_wait_gone 'vs baseline' 5 || fail "B did not drop the baseline"
note "ok: B in a replay takes the time shown as the baseline"
ui_keys q
ui_quit_ok
