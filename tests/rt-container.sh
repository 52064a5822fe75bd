#!/bin/sh
# rt-container.sh: a process in a container (its own mount and pid
# namespaces, its own /dev/shm, its program only in its own filesystem) is
# found by its pid on this side: list shows it, record -p reads its
# segment through /proc/PID/root and names its functions from the binary
# there; its segment is never in this /dev/shm.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_root
need_cmd unshare
DEMO="$top_builddir/examples/flametop-demo"
[ -x "$DEMO" ] || skip "flametop-demo not built"
unshare --mount --pid --fork true 2>/dev/null || skip "unshare is refused here"

inner="$FT_TMP/inner"
mkdir "$inner"
cp "$DEMO" "$FT_TMP/demo"
# inside: a private /dev/shm, and the program on a tmpfs this side never sees
unshare --mount --pid --fork --mount-proc sh -c "
	mount --make-rprivate / &&
	mount -t tmpfs tmpfs /dev/shm &&
	mount -t tmpfs tmpfs '$inner' &&
	cp '$FT_TMP/demo' '$inner/demo' &&
	FLAMETOP=1 LD_PRELOAD='$FT_LIB' exec '$inner/demo'" >"$FT_TMP/ctr.out" 2>&1 &
u=$!
bg_pid $u
pid=
for i in $(seq 1 100); do
	pid=$(pgrep -P "$u" | head -n 1)
	[ -n "$pid" ] && [ -e "/proc/$pid/root/dev/shm/flametop.1" ] && break
	pid=
	sleep 0.1
done
[ -n "$pid" ] || { cat "$FT_TMP/ctr.out" >&2; fail "the contained program did not start"; }
bg_pid "$pid"
# inside, the runtime names its segment by the pid it has there, 1
[ ! -e "/dev/shm/flametop.1" ] || fail "the contained program's segment is in this /dev/shm"
[ ! -e "$inner/demo" ] || fail "the contained program's file is visible here"

ft list
expect_status 0
grep -Eq "^ *$pid +running .*\\[container\\] .*demo" "$FT_TMP/out" || { ft_dump; fail "list does not show the contained process"; }
note "ok: list shows pid $pid [container]"

ft record -p "$pid" -d 2 -o "$FT_TMP/c.folded"
expect_status 0
for f in compute_checksum crunch_numbers parse_headers; do
	grep -Eq ";$f( |;)" "$FT_TMP/c.folded" || { head -n 5 "$FT_TMP/c.folded" >&2; fail "record -p: no $f (not named from the binary in the container)"; }
done
grep -q 'unknown' "$FT_TMP/c.folded" && { grep unknown "$FT_TMP/c.folded" | head -n 3 >&2; fail "record -p: unnamed frames"; }
note "ok: record -p named the contained program's functions"
# the first process of a pid namespace ignores SIGTERM from outside
kill -KILL "$pid"
exit 0
