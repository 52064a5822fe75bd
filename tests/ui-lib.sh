# tests/ui-lib.sh - helpers for the viewer's terminal tests; sourced.
#
# Each test drives the real binary in its own tmux server
# (tmux -L flametop-test-<pid>), a 120x40 window running sh, and reads the
# screen with capture-pane.  The server is always killed at exit.  Waits
# poll the screen until a pattern shows, with a deadline (no timing
# assertions).  Skips (77) when tmux is missing.

. "$top_srcdir/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
[ -x "$FLAMETOP_BIN" ] || skip "$FLAMETOP_BIN not built"

UI_SOCK="flametop-test-$$"
UI_W=120
UI_H=40

ui_cleanup() {
	tmux -L "$UI_SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$UI_SOCK"
	ft_cleanup
}
trap ui_cleanup EXIT

tm() {
	tmux -L "$UI_SOCK" "$@"
}

# ui_start: a detached session with a plain sh in a UTF-8 locale.
ui_start() {
	tm -f /dev/null new-session -d -x "$UI_W" -y "$UI_H" \
		"env -u TMUX PS1='ui-shell\$ ' LC_ALL=C.UTF-8 TERM=screen-256color HOME='$FT_TMP' TMPDIR='$FT_TMP' sh" ||
		fail "cannot start tmux"
	tm set-option -g status off >/dev/null
	tm set-option -g remain-on-exit on >/dev/null
	ui_wait 'ui-shell\$' 10 || fail "the shell did not start"
}

# ui_cmd LINE: types LINE and Enter into the shell (in the window
# given by UI_TARGET, default the first).
ui_cmd() {
	tm send-keys -t "${UI_TARGET:-0}" -l "$1"
	tm send-keys -t "${UI_TARGET:-0}" Enter
}

# ui_keys KEY...: tmux key names (q, Enter, Escape, Down, C-c, ...).
ui_keys() {
	tm send-keys -t "${UI_TARGET:-0}" "$@"
}

ui_screen() {
	tm capture-pane -p -t "${UI_TARGET:-0}"
}

# ui_wait REGEX SECONDS: true once the screen matches (grep -E).
ui_wait() {
	_n=$(( ${2:-10} * 10 ))
	while [ "$_n" -gt 0 ]; do
		ui_screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# ui_wait_gone REGEX SECONDS: true once the screen stops matching.
ui_wait_gone() {
	_n=$(( ${2:-10} * 10 ))
	while [ "$_n" -gt 0 ]; do
		ui_screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# ui_expect REGEX [SECONDS] [WHAT]: fails with the screen when it never shows.
ui_expect() {
	ui_wait "$1" "${2:-10}" && return 0
	echo "--- screen:" >&2
	ui_screen >&2
	fail "${3:-screen never matched /$1/}"
}

# ui_line N: line N (1-based) of the screen.
ui_line() {
	ui_screen | sed -n "${1}p"
}

# ui_alt: 1 while the pane is on the alternate screen (a curses program).
ui_alt() {
	tm display-message -p -t "${UI_TARGET:-0}" '#{alternate_on}'
}

# ui_wait_normal SECONDS: true once the pane has left the alternate screen.
ui_wait_normal() {
	_n=$(( ${1:-10} * 10 ))
	while [ "$_n" -gt 0 ]; do
		[ "$(ui_alt)" = 0 ] && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# ui_quit_ok: after q the program left, the terminal is back: normal
# screen, the shell answering, exit status 0.
ui_quit_ok() {
	ui_wait_normal 10 || fail "the alternate screen is still on after quitting"
	ui_cmd 'echo "FT-EXIT=$?"'
	ui_expect 'FT-EXIT=0' 10 "flametop did not exit with status 0 after q"
	[ "$(ui_alt)" = 0 ] || fail "the alternate screen is still on after quitting"
}

# ui_child_pid: pid of the program the pane's shell runs (flametop).
ui_child_pid() {
	_sh=$(tm display-message -p -t "${UI_TARGET:-0}" '#{pane_pid}')
	ps -o pid= --ppid "$_sh" | tr -d ' ' | head -n 1
}

# ui_click X Y [2]: a left click (2: a double click) at cell X, Y (from 0),
# sent as the xterm mouse reports the terminal would send.
_ui_byte() {
	printf "\\$(printf %o "$1")"
}
ui_click() {
	_x=$(_ui_byte $((32 + $1 + 1)))
	_y=$(_ui_byte $((32 + $2 + 1)))
	_c=$(printf '\033[M %s%s\033[M#%s%s' "$_x" "$_y" "$_x" "$_y")
	[ "${3:-1}" = 2 ] && _c="$_c$_c"
	tm send-keys -t "${UI_TARGET:-0}" -l "$_c"
}
