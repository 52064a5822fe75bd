#!/bin/sh
# The runtime owns no descriptor a program can close or reuse: a daemon
# that closes every descriptor and opens its own (tests/wl-daemon.c),
# sampled all the time, never hangs and finds its descriptors untouched
# (libunwind's memory-check pipe would otherwise be reused and written).
. "${top_srcdir:-.}/tests/lib.sh"
need_flametop
wl="$top_builddir/tests/wl-daemon"
[ -x "$wl" ] || skip "$wl not built"

for cfg in cpu:posix cpu:perf wall:auto; do
	mode=${cfg%:*} timer=${cfg#*:}
	for i in 1 2; do
		st=0
		timeout -k 2 20 env FLAMETOP=1 FLAMETOP_ALWAYS=1 FLAMETOP_MODE=$mode FLAMETOP_FREQ=999 \
			FLAMETOP_TIMER=$timer \
			FLAMETOP_QUIET=1 LD_PRELOAD="$FT_LIB" "$wl" 1 >"$FT_TMP/out" 2>&1 || st=$?
		[ "$st" -ne 124 ] && [ "$st" -ne 137 ] || fail "$cfg run $i: the daemon hung"
		[ "$st" -eq 0 ] || { cat "$FT_TMP/out" >&2; fail "$cfg run $i: status $st"; }
		note "ok: $cfg run $i: $(cat "$FT_TMP/out")"
	done
done
exit 0
