# tests/ui-attach.sh - `flametop attach PID` in tmux: two viewers at once
# on a target started with the runtime; quitting leaves it running.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$WL" >"$FT_TMP/wl.out" 2>&1 &
pid=$!
bg_pid "$pid"
n=0
while [ ! -e "/dev/shm/flametop.$pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -e "/dev/shm/flametop.$pid" ] || fail "the target published no segment"

ui_start
tm new-window -d "env -u TMUX PS1='ui-shell\$ ' LC_ALL=C.UTF-8 TERM=screen-256color TMPDIR='$FT_TMP' sh"
ui_cmd "'$FLAMETOP_BIN' attach $pid"
UI_TARGET=1 ui_wait 'ui-shell\$' 10 || fail "second shell did not start"
UI_TARGET=1 ui_cmd "'$FLAMETOP_BIN' attach $pid"
ui_expect 'ui_wl_hot_spin' 15 "viewer 1: the hot function did not show"
UI_TARGET=1 ui_expect 'ui_wl_hot_spin' 15 "viewer 2: the hot function did not show"
ui_expect "^ pid $pid " 5 "viewer 1: header lacks the pid"

ui_keys q
ui_quit_ok
kill -0 "$pid" 2>/dev/null || fail "quitting viewer 1 disturbed the target"
# viewer 2 goes on receiving samples
UI_TARGET=1 ui_expect 'ui_wl_hot_spin' 5
UI_TARGET=1 ui_keys q
UI_TARGET=1 ui_quit_ok
sleep 0.5
kill -0 "$pid" 2>/dev/null || fail "quitting viewer 2 disturbed the target"

# attaching to a process without the runtime: one line, status 1
ft attach 1
[ "$st" = 1 ] || { ft_dump; fail "attach 1: status $st, want 1"; }
[ "$(wc -l <"$FT_TMP/err")" = 1 ] || { ft_dump; fail "attach 1: not one line"; }
ft attach notapid
[ "$st" = 2 ] || fail "attach notapid: status $st, want 2"
ft attach --bogus "$pid"
[ "$st" = 2 ] || { ft_dump; fail "attach --bogus: status $st, want 2"; }
[ "$(cat "$FT_TMP/err")" = "flametop: attach: unknown option '--bogus' (see flametop attach --help)" ] ||
	{ ft_dump; fail "attach --bogus: wrong message"; }
exit 0
