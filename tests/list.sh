#!/bin/sh
# list.sh: list shows a running target, calls the segment of a process
# that died without cleaning up (SIGKILL, an uncaught SIGTERM) "stale" and
# removes it; --clean removes nothing live.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
live=$!
bg_pid "$live"
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
dead=$!
bg_pid "$dead"
wait_for_file "/dev/shm/flametop.$live" 10 || fail "no segment for $live"
wait_for_file "/dev/shm/flametop.$dead" 10 || fail "no segment for $dead"
sleep 0.3
kill -9 "$dead"
wait "$dead" 2>/dev/null
[ -e "/dev/shm/flametop.$dead" ] || skip "the killed process left no segment"

ft list
expect_status 0
head -n 1 "$FT_TMP/out" | grep -Eq 'PID +STATE +AGE +COMMAND' || { ft_dump; fail "list header"; }
grep -Eq "^ *$live +running +[0-9]+s +.*wl-spinsleep 25" "$FT_TMP/out" ||
	{ ft_dump; fail "list does not show $live running"; }
grep -Eq "^ *$dead +stale " "$FT_TMP/out" || { ft_dump; fail "list does not show $dead stale"; }
grep -q "removed stale segment of pid $dead" "$FT_TMP/out" || { ft_dump; fail "list: no removal message"; }
[ ! -e "/dev/shm/flametop.$dead" ] || fail "list left the stale segment"
note "ok: $live running, $dead stale and removed"

# an uncaught SIGTERM leaves a segment too; list removes it (the other
# commands remove what has been stale for a minute)
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-spinsleep" 25 >/dev/null &
term=$!
bg_pid "$term"
wait_for_file "/dev/shm/flametop.$term" 10 || fail "no segment for $term"
kill -TERM "$term"
wait "$term" 2>/dev/null
[ -e "/dev/shm/flametop.$term" ] || skip "the process left no segment after SIGTERM"
ft list
grep -q "removed stale segment of pid $term" "$FT_TMP/out" || { ft_dump; fail "list did not remove $term's segment"; }
[ ! -e "/dev/shm/flametop.$term" ] || fail "list left the segment of $term (SIGTERM)"
note "ok: list removed the segment of $term, ended by SIGTERM"

# unwatched, a runtime makes its segment when first needed and names it
# 20 ms after start: a process that ends sooner leaves nothing, one
# killed after its first coroutine made the segment leaves the private
# name, which list removes
FLAMETOP=1 LD_PRELOAD="$FT_LIB" /bin/true || fail "a FLAMETOP=1 /bin/true failed"
# (other tests' commands remove such names too: try again when one did
# before list could)
removed=
for try in 1 2 3; do
	FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-start" coro kill 1 &
	killed=$!
	wait "$killed" 2>/dev/null
	ls /dev/shm | grep -q "^flametop\.$killed\.[0-9a-f]*\.new$" || continue
	ft list
	expect_status 0
	grep -q "removed unpublished segment of pid $killed" "$FT_TMP/out" && { removed=1; break; }
	ls /dev/shm | grep -q "^flametop\.$killed\.[0-9a-f]*\.new$" &&
		{ ft_dump; fail "list did not remove the private name of a killed process"; }
done
[ -n "$removed" ] || skip "no private name of a killed process was left for list"
ls /dev/shm | grep "^flametop\.$killed\." && fail "a name of $killed is left"
note "ok: the private name of a process killed at start removed"

ft list --clean
expect_status 0
[ -e "/dev/shm/flametop.$live" ] || fail "--clean removed a live segment"
ft list
grep -Eq "^ *$dead " "$FT_TMP/out" && fail "stale segment still listed"
grep -Eq "^ *$live +running" "$FT_TMP/out" || fail "running target no longer listed"
kill "$live"

# nothing to list: a private, empty /dev/shm and its own processes (as in
# a container: the processes outside are not its to list; root and
# unshare(1) needed)
if [ "$(id -u)" -eq 0 ] && unshare -m -p -f --mount-proc true 2>/dev/null; then
	out=$(timeout 20 unshare -m -p -f --mount-proc sh -c \
		'mount -t tmpfs none /dev/shm && "$0" list && "$0" list --clean' "$FLAMETOP_BIN") ||
		fail "list in an empty /dev/shm failed"
	[ "$out" = "no flametop processes
no flametop processes" ] || fail "empty list printed: $out"
	note "ok: no flametop processes"
fi
exit 0
