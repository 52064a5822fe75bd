# tests/ui-run.sh - `flametop run` in tmux: the workload's hot function
# shows within seconds, its output stays off the screen (the output pane
# shows it), zoom changes the root, q ends the target and restores the
# terminal; a target that dies of SIGSEGV is reported and the UI stays up.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$WL'"
ui_expect 'ui_wl_hot_spin' 15 "the hot function did not show"
ui_expect '^ pid [0-9]+ .*\| running \| cpu 199 Hz' 5 "header lacks pid/state/rate"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "target pid '$pid' not running"
bg_pid "$pid"
ui_screen | grep -q 'WORKLOAD-OUTPUT' && fail "the target's output reached the screen"

# the output pane shows what the target printed
ui_keys o
ui_expect 'output of the target: ' 5 "no output pane"
ui_expect 'WORKLOAD-OUTPUT' 10 "the output pane does not show the target's output"
ui_keys o
ui_wait_gone 'WORKLOAD-OUTPUT' 5 || fail "o did not hide the pane"

# zoom into the hottest leaf's parent: the root row changes
ui_keys G k Enter
ui_expect 'zoom: ' 5 "no zoom"
ui_line 2 | grep -q '^all' && { ui_screen >&2; fail "zoom did not change the root row"; }
ui_keys r
ui_expect '^all' 5 "reset did not bring the root back"

# freeze: the picture stops while sampling goes on
ui_keys z
ui_expect '\| FROZEN' 5 "not frozen"
root1=$(ui_screen | grep '^ all | [0-9]* samples')
head1=$(ui_line 1 | sed -n 's/.*| \([0-9]*\) samples |.*/\1/p')
sleep 1.5
root2=$(ui_screen | grep '^ all | [0-9]* samples')
head2=$(ui_line 1 | sed -n 's/.*| \([0-9]*\) samples |.*/\1/p')
[ -n "$root1" ] && [ "$root1" = "$root2" ] || fail "frozen picture changed: '$root1' -> '$root2'"
[ "$head2" -gt "$head1" ] || fail "sampling stopped while frozen ($head1 -> $head2)"
ui_keys z
ui_expect '\| live' 5 "not live again"
n=0
while ui_screen | grep -qxF -- "$root1" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
ui_screen | grep -qxF -- "$root1" && fail "the picture did not move on after unfreezing"

# the time window and the thread filter show in the header
ui_keys w
ui_expect '\| window last 5s \|' 5 "w did not set a 5 s window"
ui_keys w
ui_expect '\| window last 30s \|' 5
ui_keys w
ui_expect '\| window all \|' 5
ui_keys t
ui_expect 'showing thread [0-9]+' 5 "t did not pick a thread"
ui_expect '\| thread [0-9]+' 5 "the header does not show the thread filter"
ui_keys t
ui_expect 'showing all threads' 5
ui_expect 'ui_wl_hot_spin' 5

# top table lists the hot function
ui_keys Tab
ui_expect '%  ui_wl_hot_spin' 5 "top table lacks the hot function"
ui_keys Tab

ui_keys q
ui_quit_ok
n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$pid" 2>/dev/null && fail "the target (pid $pid) still runs after q"
[ -e "/dev/shm/flametop.$pid" ] && fail "segment of pid $pid left behind"

# the viewer dying of a fatal signal restores the terminal and takes the
# target with it
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL'"
ui_expect '^ pid [0-9]+ ' 15 "second run did not start"
pid2=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid2"
kill -SEGV "$(ui_child_pid)"
ui_wait_normal 10 || fail "viewer crash: the alternate screen is still on"
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=139' 10 "viewer crash: not re-raised"
n=0
while kill -0 "$pid2" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$pid2" 2>/dev/null && fail "the target outlived its crashed viewer"

# a target that crashes while viewed
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL' crash 2"
ui_expect 'ui_wl_hot_spin' 15 "crash run: the hot function did not show"
ui_expect 'killed by SIGSEGV' 15 "the crash was not reported"
sleep 0.5
[ "$(ui_alt)" = 1 ] || fail "the UI left after the target crashed"
ui_expect 'ui_wl_hot_spin' 2 "the graph went away after the crash"
ui_keys j
ui_expect '^ (all|ui_wl|main|_start|__libc)' 5
# C-c quits too
ui_keys C-c
ui_quit_ok
exit 0
