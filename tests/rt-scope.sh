#!/bin/sh
# A setting scoped to a pid (FLAMETOP_KEEP_SEGMENT=PID, as flametop run
# and record pass it) holds in that process only: a child that inherits
# the environment removes its own segment at exit instead of leaking it.
. "${top_srcdir:-.}/tests/lib.sh"
need_flametop

cd "$FT_TMP" || exit 1
timeout "$FT_TIMEOUT" env FLAMETOP=1 LD_PRELOAD="$FT_LIB" FLAMETOP_QUIET=1 \
	sh -c 'exec env FLAMETOP_KEEP_SEGMENT=$$ sh -c "echo \$\$ > parent; sleep 0.2 & echo \$! > child; wait"' ||
	fail "target failed"
parent=$(cat parent) child=$(cat child)
[ -n "$parent" ] && [ -n "$child" ] || fail "pids not written"
if [ -e "/dev/shm/flametop.$child" ]; then
	rm -f "/dev/shm/flametop.$child" "/dev/shm/flametop.$parent"
	fail "the child inherited FLAMETOP_KEEP_SEGMENT=$parent and kept its segment"
fi
[ -e "/dev/shm/flametop.$parent" ] || fail "the process named by the pid did not keep its segment"
rm -f "/dev/shm/flametop.$parent"
exit 0
