# tests/ui-term.sh - the target's terminal under `flametop run`, in tmux:
# a prompt-and-answer program gets what is typed after I (Enter ends a
# line, C-c interrupts it, C-] comes back); colours, a \r progress bar, a
# 300-character line and a write to /dev/tty show in the output pane as a
# terminal shows them; 200 lines scroll back to the first; standard input
# from a file reaches the target byte for byte; --keep leaves the target
# running after q, its output drained to a log, and the user's terminal
# going away does not hang it up.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/wl-term"
[ -x "$WL" ] || skip "$WL not built"
ESC=$(printf '\033')

# the pane's rows of the terminal (a 120x40 screen: the pane is the 12
# rows above the bottom line, its title first)
pane() {
	ui_screen | sed -n '29,39p'
}
pane_expect() {
	_n=$(( ${2:-10} * 10 ))
	while [ "$_n" -gt 0 ]; do
		pane | grep -Eq -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	echo "--- screen:" >&2
	ui_screen >&2
	fail "${3:-the pane never matched /$1/}"
}

ui_start

# a program that prompts and reads lines, as people write them
ui_cmd "'$FLAMETOP_BIN' run -- '$WL' ask"
ui_expect '^ pid [0-9]+ ' 15 "ask: did not start"
ui_expect 'I types into it' 5 "the message line does not say how to type into the target"
ui_keys o
ui_expect '^ output of the target ' 5 "o did not open the pane"
# its prompt has no newline: it shows because its stdout is a terminal
pane_expect '^name\? ?$' 5 "the prompt did not show"
# outside input mode, keys are the viewer's: w reaches the viewer only
ui_keys w
ui_expect '\| window last 5s \|' 5 "w did not reach the viewer"
pane | grep -q 'name? w' && fail "a viewer key reached the target"
ui_keys I
ui_expect '^INPUT: keys go to the target' 5 "I: the status line does not say keys go to the target"
ui_expect 'TYPING INTO THE TARGET' 5 "I: the pane does not say it is typed into"
tm send-keys -l 'hello pty'
tm send-keys Enter
pane_expect '^got hello pty$' 5 "the typed line did not reach the target (or its answer did not show)"
pane_expect '^name\? hello pty$' 5 "the typed line was not echoed as a terminal does"
# while typing, q and Tab are the target's
tm send-keys -l 'q'
tm send-keys Tab Enter
pane_expect '^got q	?$|^got q {1,8}$' 5 "q and Tab did not reach the target"
ui_screen | grep -q '^ pid [0-9]* .*running' || { ui_screen >&2; fail "q quit the viewer while typing"; }
# C-] comes back
ui_keys 'C-]'
ui_wait_gone '^INPUT: keys go' 5 || fail "C-] did not leave input mode"
ui_keys w
ui_expect '\| window last 30s \|' 5 "after C-] keys are not the viewer's"
# C-d at the start of a line is end of input: the program ends by itself
ui_keys I
ui_expect '^INPUT: keys go to the target' 5
ui_keys C-d
pane_expect '(^|name\? )bye$' 5 "C-d did not end the target's input"
ui_expect 'exited \(status 0\)' 10 "the target did not exit after end of input"
ui_wait_gone '^INPUT: keys go' 5 || fail "input mode stayed on after the terminal closed"
# what it wrote stays, and scrolls
pane_expect '^got hello pty$' 2 "the output went away when the target ended"
ui_keys q
ui_quit_ok

# C-c while typing is the terminal's interrupt: the target gets SIGINT
# from its line discipline, and run exits as a shell would (128 + 2)
ui_cmd "clear; '$FLAMETOP_BIN' run --stdin -- '$WL' ask"
ui_expect '^INPUT: keys go to the target' 15 "--stdin does not start in input mode"
pane_expect '^name\? ?$' 10 "ask (--stdin): no prompt"
ui_keys C-c
ui_expect 'killed by SIGINT' 10 "C-c while typing did not interrupt the target"
ui_keys q
ui_wait_normal 10 || fail "the alternate screen is still on after q"
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=130' 10 "a target ended by C-c: run did not exit with 130"

# colours, a progress bar drawn with \r, a long line, /dev/tty
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL' paint"
ui_expect '^ pid [0-9]+ ' 15 "paint: did not start"
ui_keys o
pane_expect '^painted$' 10 "paint: the output did not show"
# /dev/tty is the target's own terminal: its line is in the pane only
n=$(ui_screen | grep -n '^TTY-WRITE$' | cut -d: -f1)
[ -n "$n" ] && [ "$n" -ge 29 ] || { ui_screen >&2; fail "the write to /dev/tty is not in the pane (row '$n')"; }
# the bar redrawn in place: one line, at its last state
[ "$(pane | grep -c progress)" = 1 ] || { pane >&2; fail "the progress bar is not one line"; }
pane | grep -qx 'progress 100% \[##########\]' || { pane >&2; fail "the progress bar's last state is wrong"; }
# 300 characters wrap over three rows of 120, nothing lost or changed
want="$(printf '0123456789%.0s' $(seq 30))<END-300"
got=$(pane | grep -m1 -A2 '^0123456789' | tr -d '\n')
[ "$got" = "$want" ] || { pane >&2; fail "the 300-character line reads '$got'"; }
# escape sequences are not printed; the colours are the terminal's
pane | grep -q '\[3[0-9]m\|?\[' && { pane >&2; fail "escape sequences printed as text"; }
tm capture-pane -p -e >"$FT_TMP/colours"
grep -Eq "${ESC}\\[31m(${ESC}\\[[0-9;]*m)*RED-TEXT" "$FT_TMP/colours" ||
	{ cat -v "$FT_TMP/colours" >&2; fail "RED-TEXT is not red"; }
grep -Eq "(${ESC}\\[[0-9;]*m)*${ESC}\\[(1m${ESC}\\[32|32m${ESC}\\[1|1;32)m(${ESC}\\[[0-9;]*m)*GREEN-BOLD" "$FT_TMP/colours" ||
	{ cat -v "$FT_TMP/colours" >&2; fail "GREEN-BOLD is not bold green"; }
grep -Eq "${ESC}\\[44m(${ESC}\\[[0-9;]*m)*ON-BLUE" "$FT_TMP/colours" ||
	{ cat -v "$FT_TMP/colours" >&2; fail "ON-BLUE is not on blue"; }
ui_keys q
ui_quit_ok

# 200 lines: the pane scrolls back to the first and forward again
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL' lines 200"
ui_expect '^ pid [0-9]+ ' 15 "lines: did not start"
ui_keys o
pane_expect '^line-200$' 10 "lines: the last line did not show"
i=0
while [ $i -lt 45 ]; do ui_keys '{'; i=$((i + 1)); done
pane_expect '^line-1$' 5 "{ did not scroll back to the first line"
ui_expect 'output of the target: [0-9]+ lines back of [0-9]+' 2 "the pane does not say it is scrolled back"
i=0
while [ $i -lt 45 ]; do ui_keys '}'; i=$((i + 1)); done
pane_expect '^line-200$' 5 "} did not come back to the last line"
ui_wait_gone 'lines back of' 2 || fail "the pane still says it is scrolled back"
ui_keys q
ui_quit_ok

# standard input from a file is the target's, unchanged (no terminal in
# between: a CR, a control character and a byte that is not UTF-8 pass)
printf 'one\r\ntwo\001\377three\n' >"$FT_TMP/in"
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL' copy '$FT_TMP/copy' < '$FT_TMP/in'"
ui_expect '^ pid [0-9]+ ' 15 "copy: did not start"
ui_keys o
pane_expect '^copied$' 10 "copy: the target did not finish reading its input"
cmp "$FT_TMP/in" "$FT_TMP/copy" || fail "the target's standard input is not the file, unchanged"
# the viewer's keys come from the terminal meanwhile
ui_keys q
ui_quit_ok

# --keep: after q the target goes on; what it writes goes to a log (a
# full terminal would block it), and losing the user's terminal does not
# hang it up
ui_cmd "clear; '$FLAMETOP_BIN' run --keep -- '$WL' tick '$FT_TMP/tick.pid' 300000"
ui_expect '^ pid [0-9]+ ' 15 "tick: did not start"
wait_for_file "$FT_TMP/tick.pid" 10 || fail "tick: no pid file"
tpid=$(cat "$FT_TMP/tick.pid")
bg_pid "$tpid"
ui_keys o
pane_expect '^tick [0-9]+$' 10 "tick: no ticks in the pane"
ui_keys q
ui_wait_normal 10 || fail "--keep: the alternate screen is still on after q"
ui_expect "pid $tpid keeps running \\(--keep\\); its output goes to " 10 \
	"--keep: no word on where the output goes"
# (the name may wrap: read the joined lines)
log=$(tm capture-pane -p -J | sed -n 's/.*its output goes to \([^ ]*\.log\).*/\1/p' | head -n 1)
case $log in "$FT_TMP"/flametop-??????.log) ;; *) fail "--keep: the log is named '$log'" ;; esac
ui_cmd 'echo "FT-EXIT=$?"'
ui_expect 'FT-EXIT=0' 10 "--keep: flametop did not exit with status 0 after q"
[ "$(stat -c %a "$log")" = 600 ] || fail "the log's mode is $(stat -c %a "$log"), want 600"
grep -q '^tick ' "$log" || fail "the log does not start with what the terminal showed"
# the target wrote 300 KB to a terminal nobody shows: it did not block
n=0
while ! grep -q '^wrote 300000 bytes$' "$log" && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
a=$(grep -c '^tick ' "$log")
sleep 1
b=$(grep -c '^tick ' "$log")
[ "$b" -gt "$a" ] || fail "the kept target's ticks do not reach the log ($a, then $b)"
# the user's terminal goes away: the kept target is not hung up
tm kill-server
sleep 1
kill -0 "$tpid" 2>/dev/null || fail "the kept target died when the terminal went away"
a=$(grep -c '^tick ' "$log")
sleep 1
b=$(grep -c '^tick ' "$log")
[ "$b" -gt "$a" ] || fail "the kept target stopped writing after the terminal went away"
# when it ends, nothing is left holding its log
kill "$tpid"
n=0
while ls -l /proc/[0-9]*/fd 2>/dev/null | grep -qF -- "$log" && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
ls -l /proc/[0-9]*/fd 2>/dev/null | grep -qF -- "$log" && fail "something still holds the log after the target ended"
rm -f "$log"
# its segment, kept for a viewer to come, is this test's to remove
rm -f "/dev/shm/flametop.$tpid"
exit 0
