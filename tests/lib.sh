# tests/lib.sh - helpers for flametop's shell tests; sourced, not run.
#
# The test environment sets top_builddir, top_srcdir and FLAMETOP_BIN (the
# built binary); running a test by hand works too:
#   top_builddir=/tmp/build FLAMETOP_BIN=/tmp/build/flametop sh tests/rec-split.sh
# Exit codes follow automake: 0 pass, 1 fail, 77 skip.  Every helper that
# runs flametop wraps it in timeout(1), so a hang fails instead of waiting.

set -u

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FLAMETOP_BIN:=$top_builddir/flametop}"
FT_LIB="$top_builddir/runtime/.libs/libflametop.so"
FT_TIMEOUT="${FT_TIMEOUT:-30}"
export LC_ALL=C

FT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/flametop-test.XXXXXX") || exit 1
FT_BG_PIDS=""

ft_cleanup() {
	for p in $FT_BG_PIDS; do
		kill -9 "$p" 2>/dev/null
		rm -f "/dev/shm/flametop.$p"
	done
	rm -rf "$FT_TMP"
}
trap ft_cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

note() {
	echo "$*" >&2
}

# Skips the test unless the binary and the runtime library are built.
need_flametop() {
	[ -x "$FLAMETOP_BIN" ] || skip "$FLAMETOP_BIN not built"
	[ -f "$FT_LIB" ] || skip "runtime library $FT_LIB not built"
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# Registers a background pid to kill (and whose segment to remove) at exit.
bg_pid() {
	FT_BG_PIDS="$FT_BG_PIDS $1"
}

# ft ARGS...: runs flametop with a timeout; stdout in $FT_TMP/out, stderr
# in $FT_TMP/err, exit status in $st.  Never fails by itself.
ft() {
	st=0
	timeout -k 5 "$FT_TIMEOUT" "$FLAMETOP_BIN" "$@" >"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
	return 0
}

# Shows what the last ft call printed (for failure messages).
ft_dump() {
	echo "--- status $st; stdout:" >&2
	head -n 40 "$FT_TMP/out" | cut -c 1-2000 >&2
	echo "--- stderr:" >&2
	head -n 20 "$FT_TMP/err" >&2
}

# expect_status N: the last ft call exited with N.
expect_status() {
	[ "$st" -eq "$1" ] || { ft_dump; fail "expected exit status $1, got $st"; }
}

# expect_error WHAT [REGEX]: the last ft call failed cleanly: status 1 or 2
# (not a crash, not a timeout), exactly one stderr line "flametop: ...",
# matching REGEX (extended) when given.
expect_error() {
	what=$1
	case "$st" in
	1 | 2) ;;
	*) ft_dump; fail "$what: exit status $st (want 1 or 2)" ;;
	esac
	n=$(wc -l <"$FT_TMP/err")
	[ "$n" -eq 1 ] || { ft_dump; fail "$what: $n lines on stderr (want 1)"; }
	grep -q '^flametop: ' "$FT_TMP/err" || { ft_dump; fail "$what: message not 'flametop: ...'"; }
	if [ $# -ge 2 ]; then
		grep -Eq -- "$2" "$FT_TMP/err" || { ft_dump; fail "$what: message does not match /$2/"; }
	fi
	note "ok: $what: $(cat "$FT_TMP/err")"
}

# share FILE REGEX: the percentage (0-100, one decimal) of samples in the
# folded FILE whose stack has a frame matching the extended REGEX as a
# whole frame name (a " [module]" suffix is allowed after it).
share() {
	awk -v re="^($2)( \\\\[.*\\\\])?\$" '
		/^#/ || NF == 0 { next }
		{
			n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
			total += n
			k = split(stack, f, ";")
			for (i = 1; i <= k; i++) if (f[i] ~ re) { hit += n; break }
		}
		END { printf "%.1f\n", total ? 100 * hit / total : 0 }' "$1"
}

# samples FILE: the total sample count of a folded file.
samples() {
	awk '/^#/ || NF == 0 { next } { t += $NF } END { print t + 0 }' "$1"
}

# in_range VALUE LO HI: true if LO <= VALUE <= HI (decimals allowed).
in_range() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}

# expect_share FILE REGEX LO HI [WHAT]: share() within [LO, HI].
expect_share() {
	s=$(share "$1" "$2")
	if ! in_range "$s" "$3" "$4"; then
		echo "--- $1 (heaviest stacks):" >&2
		sort -t' ' -k2 -n -r "$1" 2>/dev/null | awk '{ print $NF, substr($0, 1, 200) }' |
			sort -n -r | head -n 15 >&2
		fail "${5:-$2}: share $s% not in [$3, $4]"
	fi
	note "ok: ${5:-$2}: $s% in [$3, $4]"
}

# wait_for_file PATH [SECONDS]: polls until PATH exists.
wait_for_file() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ "$i" -le $((${2:-10} * 20)) ] || return 1
		sleep 0.05
	done
}

# roots FILE: the share (percent) of each outermost frame of folded FILE,
# one "SHARE<TAB>FRAME" line per distinct outermost frame.
roots() {
	awk '/^#/ || NF == 0 { next }
		{ n = $NF; s = $0; sub(/ [0-9]+$/, "", s); k = index(s, ";");
		  r = k ? substr(s, 1, k - 1) : s; c[r] += n; t += n }
		END { for (r in c) printf "%.1f\t%s\n", 100 * c[r] / t, r }' "$1"
}

# wait_ready FILE: waits (up to 30 s) for a line "ready" in FILE.
wait_ready() {
	for _i in $(seq 300); do
		grep -q '^ready' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "the workload never got ready"
}
