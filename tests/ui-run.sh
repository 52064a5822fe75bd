# tests/ui-run.sh - `flametop run` in tmux: the workload's hot function
# shows within seconds, its output stays off the screen (the output pane
# shows its terminal; tests/ui-term.sh tests that terminal), zoom changes the root, q ends the target and restores the
# terminal; a target that dies of SIGSEGV is reported and the UI stays up.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

# the command line: our own one-line errors, status 2
ft run --bogus -- "$WL"
[ "$st" = 2 ] || { ft_dump; fail "run --bogus: status $st, want 2"; }
[ "$(cat "$FT_TMP/err")" = "flametop: run: unknown option '--bogus' (see flametop run --help)" ] ||
	{ ft_dump; fail "run --bogus: wrong message"; }
ft run -x -- "$WL"
[ "$st" = 2 ] && [ "$(cat "$FT_TMP/err")" = "flametop: run: unknown option '-x' (see flametop run --help)" ] ||
	{ ft_dump; fail "run -x: wrong message or status"; }
# demo takes only --interval: no command of its own
for args in "extra" "-- ls"; do
	# shellcheck disable=SC2086
	ft demo $args
	[ "$st" = 2 ] || { ft_dump; fail "demo $args: status $st, want 2"; }
	want="flametop: demo: unexpected argument '${args#-- }' (see flametop demo --help)"
	[ "$(cat "$FT_TMP/err")" = "$want" ] || { ft_dump; fail "demo $args: wrong message"; }
done
ft demo --bogus
[ "$st" = 2 ] && [ "$(cat "$FT_TMP/err")" = "flametop: demo: unknown option '--bogus' (see flametop demo --help)" ] ||
	{ ft_dump; fail "demo --bogus: wrong message or status"; }

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$WL'"
ui_expect 'ui_wl_hot_spin' 15 "the hot function did not show"
ui_expect '^ pid [0-9]+ .*\| running \| cpu 199 Hz' 5 "header lacks pid/state/rate"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "target pid '$pid' not running"
bg_pid "$pid"
ui_screen | grep -q 'WORKLOAD-OUTPUT' && fail "the target's output reached the screen"

# the target's output goes to its own terminal, shown in the output pane
ui_expect 'o shows the target.s terminal, I types into it' 5 "no word on the output pane"
ui_keys o
ui_expect 'output of the target ' 5 "no output pane"
ui_expect 'WORKLOAD-OUTPUT' 10 "the output pane does not show the target's output"
ui_keys o
ui_wait_gone 'WORKLOAD-OUTPUT' 5 || fail "o did not hide the pane"
# no output log is made for it
ls "$FT_TMP"/flametop-*.log >/dev/null 2>&1 && fail "run made an output log: $(ls "$FT_TMP"/flametop-*.log)"

# zoom into the hottest leaf's parent: the root stays as a caller row
# above it, and the selected zoomed root spans the width
ui_keys G k Enter
ui_expect 'zoom: ' 5 "no zoom"
ui_expect '^ [^ ].* \| 100\.00% of zoom' 5 "the zoomed root is not selected"
ui_line 2 | grep -q '^all' || { ui_screen >&2; fail "zoom: the root is not kept as a caller row"; }
ui_keys r
ui_wait_gone 'zoom: ' 5 || fail "reset did not zoom out"
ui_expect '^all' 5 "reset did not bring the root back"

# freeze: the picture stops while sampling goes on
ui_keys z
ui_expect '\| FROZEN' 5 "not frozen"
root1=$(ui_screen | grep '^ all | [0-9]* samples')
head1=$(ui_line 1 | sed -n 's/.*| \([0-9]*\) samples |.*/\1/p')
sleep 1.5
root2=$(ui_screen | grep '^ all | [0-9]* samples')
head2=$(ui_line 1 | sed -n 's/.*| \([0-9]*\) samples |.*/\1/p')
new2=$(ui_line 1 | sed -n 's/.*| FROZEN +\([0-9]*\) new.*/\1/p')
[ -n "$root1" ] && [ "$root1" = "$root2" ] || fail "frozen picture changed: '$root1' -> '$root2'"
# the header counts what is shown, and says what was read since
[ "$head2" = "$head1" ] || fail "frozen: the header's count changed ($head1 -> $head2)"
[ "${new2:-0}" -gt 0 ] || { ui_screen >&2; fail "sampling stopped while frozen (no new samples)"; }
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
# t opens the thread picker: all threads first (marked: shown now), then
# the workload's thread with its tid, name, samples and share
ui_keys t
ui_expect 'show which thread\? ' 5 "t did not open the thread picker"
ui_expect ' tid +name +samples +share' 5 "the picker lacks its column heads"
ui_expect '\* all threads +[0-9]+ +100\.0%' 5 "the picker lacks the marked all-threads row"
ui_expect '   [0-9]+ +ui-wl +[0-9]+ +[0-9]+\.[0-9]%' 5 "the picker lacks the workload's thread"
tid=$(ui_screen | sed -n 's/.*   \([0-9][0-9]*\)  *ui-wl  .*/\1/p' | head -n 1)
[ -n "$tid" ] || { ui_screen >&2; fail "no tid in the picker"; }
# Esc closes it as it was
ui_keys Escape
ui_wait_gone 'show which thread' 5 || fail "Esc did not close the thread picker"
ui_line 1 | grep -q '| thread ' && fail "Esc in the picker changed the filter"
# Down, Enter: the workload's thread, which the header then shows
ui_keys t
ui_expect 'show which thread\? ' 5 "t did not open the thread picker again"
ui_keys Down Enter
ui_wait_gone 'show which thread' 5 || fail "Enter did not close the thread picker"
ui_expect "showing thread $tid ui-wl" 5 "Enter did not pick the thread"
ui_expect "\\| thread $tid ui-wl \\|" 5 "the header does not show the thread filter"
# at 80 columns the header still shows state, rate, lost, window, the
# thread filter and frozen/live; the command is what gets shortened
ui_keys z
ui_expect '\| FROZEN' 5 "not frozen"
tm resize-window -x 80 -y 24
ui_expect '^ .*running \| [0-9]+/s \| .*lost [0-9]+ \| (window )?(last 30s|last 5s|all) \| (thread|tid) [0-9]+.* \| FROZEN *$' 5 \
	"the header at 80 columns lacks a field"
[ "$(ui_line 1 | LC_ALL=C.UTF-8 wc -L)" -le 80 ] || fail "the header is wider than 80"
ui_keys z
ui_expect '\| live *$' 5 "not live at 80 columns"
tm resize-window -x "$UI_W" -y "$UI_H"
ui_expect '\| thread [0-9]+' 5 "the header at 120 columns lacks the thread"
# the picker marks the thread shown; Up, Enter: all threads again
ui_keys t
ui_expect "\\* $tid +ui-wl " 5 "the picker does not mark the thread shown"
ui_keys Up Enter
ui_expect 'showing all threads' 5
ui_wait_gone '\| thread [0-9]+' 5 || fail "the header still shows a thread filter"
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
# C-c quits too; run exits with the target's status, 128 + SIGSEGV
ui_keys C-c
ui_wait_normal 10 || fail "the alternate screen is still on after C-c"
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=139' 10 "run: a target killed by SIGSEGV, status not 139"

# a target that ends before any sample: the UI says so, not "waiting"
ui_cmd "clear; '$FLAMETOP_BIN' run -- true"
ui_expect 'exited \(status 0\)' 15 "run true: the exit was not reported"
ui_expect 'the target ended before any was taken' 5 "run true: still waiting for samples"
ui_keys q
ui_quit_ok

# a finished profile stays: the 5 s window ends at the last sample, so
# waiting past it neither empties the graph nor says "no samples"
ui_cmd "clear; '$FLAMETOP_BIN' run -F 199 -- '$top_builddir/tests/rt-work' spin 1.5 0"
ui_expect 'exited \(status 0\)' 20 "run spin: the exit was not reported"
ui_expect 'spin_leaf' 5 "run spin: the hot function did not show"
ui_keys w
ui_expect 'last 5s' 5 "w did not set the window to the last 5 s"
sleep 6
ui_screen | grep -q 'spin_leaf' || { ui_screen >&2; fail "the finished profile emptied after its window"; }
ui_screen | grep -q 'no samples' && { ui_screen >&2; fail "the finished profile says no samples"; }
# the thread picker lists the spinning threads heaviest first
ui_keys t
ui_expect 'show which thread\? ' 5 "t did not open the thread picker"
ui_screen | sed -n 's/.* \([0-9][0-9]*\.[0-9]\)% *$/\1/p' | sed 1d >"$FT_TMP/shares"
[ "$(wc -l <"$FT_TMP/shares")" -ge 2 ] || { ui_screen >&2; fail "the picker lacks the two spinning threads"; }
sort -rn "$FT_TMP/shares" | cmp -s - "$FT_TMP/shares" ||
	{ ui_screen >&2; fail "the picker is not sorted by share"; }
ui_keys Escape
ui_wait_gone 'show which thread' 5 || fail "Esc did not close the thread picker"
# R clears: the header counts what is shown, not every sample ever read
ui_line 1 | grep -Eq '\| [1-9][0-9]* samples \|' || { ui_screen >&2; fail "no sample count in the header"; }
ui_keys R
ui_expect '^ pid .*\| 0 samples \|' 5 "after R the header still counts the cleared samples"
ui_keys q
ui_quit_ok

# the target's own exit status is run's, as with time(1)
ui_cmd "clear; '$FLAMETOP_BIN' run -- sh -c 'exit 3'"
ui_expect 'exited \(status 3\)' 15 "run exit 3: the exit was not reported"
ui_keys q
ui_wait_normal 10 || fail "the alternate screen is still on after q"
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=3' 10 "run: the target exited with 3, flametop did not"

# a terminal that cannot show the viewer: refused before the command runs,
# no output log left behind
logs=$(ls "$FT_TMP"/flametop-*.log 2>/dev/null | wc -l)
ui_cmd "clear; TERM=dumb '$FLAMETOP_BIN' run -- touch '$FT_TMP/ran'; echo \"FT-EXIT=\$?\""
ui_expect 'FT-EXIT=1' 10 "run with TERM=dumb: not refused"
ui_expect "terminal 'dumb' cannot show the viewer" 2
[ ! -e "$FT_TMP/ran" ] || fail "run with TERM=dumb ran the command"
[ "$(ls "$FT_TMP"/flametop-*.log 2>/dev/null | wc -l)" = "$logs" ] ||
	fail "run with TERM=dumb left an output log"

# a slow redraw does not slow the reading: with --interval 5000 and a
# small ring (about a second of samples at 1000 Hz) nothing is lost
ui_cmd "clear; FLAMETOP_RING_KB=256 '$FLAMETOP_BIN' run -F 1000 --interval 5000 -- '$WL'"
ui_expect '^ pid [0-9]+ ' 15 "--interval 5000: did not start"
ui_expect '\| [0-9]{4,} samples \|' 30 "--interval 5000: no redraw with samples"
ui_line 1 | grep -q '| lost 0 |' || { ui_screen >&2; fail "--interval 5000: samples lost between redraws"; }
ui_keys q
ui_quit_ok
exit 0
