#!/bin/sh
# rec-halfsleep.sh: a thread that works 5 ms and sleeps 5 ms in usleep, in
# turn (and retries nothing).  Wall mode must give the sleep the share of
# the samples that the program itself measured (about half, more on a
# loaded machine) within 5 points, and show where it sleeps
# (clock_nanosleep <- nanosleep <- usleep <- the program's functions).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record --stats --mode wall -F 999 -o "$FT_TMP/wall.folded" -- "$top_builddir/tests/wl-target" halfsleep 2
expect_status 0
# no signal comes from a timer the runtime no longer knows (a timer it
# wrongly took for closed by the program, left armed, made thousands)
v=$(sed -n 's/.* drop_nothread=\([0-9]*\).*/\1/p' "$FT_TMP/err")
[ "$v" = 0 ] || { ft_dump; fail "wall mode: drop_nothread=$v (want 0)"; }
truth=$(sed -n 's/^halfsleep slept \([0-9.]*\)%$/\1/p' "$FT_TMP/out")
[ -n "$truth" ] || { ft_dump; fail "the workload did not say how long it slept"; }
note "the program measured $truth% of its time in half_sleep"
n=$(samples "$FT_TMP/wall.folded")
[ "$n" -ge 200 ] || fail "wall mode: only $n samples"
lo=$(awk -v t="$truth" 'BEGIN { print t - 5 }')
hi=$(awk -v t="$truth" 'BEGIN { print t + 5 }')
expect_share "$FT_TMP/wall.folded" 'half_sleep' "$lo" "$hi" "wall mode: sleeping"
expect_share "$FT_TMP/wall.folded" 'half_work' "$(awk -v t="$hi" 'BEGIN { print 100 - t }')" \
	"$(awk -v t="$lo" 'BEGIN { print 100 - t }')" "wall mode: working"
# the blocked samples carry the whole chain, read without a signal
chain=$(awk '/half_sleep;usleep;(__)?nanosleep;(__)?clock_nanosleep( |$)/ { n += $NF }
	END { print n + 0 }' "$FT_TMP/wall.folded")
s=$(awk -v c="$chain" -v n="$n" 'BEGIN { printf "%.1f", 100 * c / n }')
in_range "$s" "$lo" "$hi" || fail "wall mode: where it sleeps: $s% in half_sleep;usleep;nanosleep;clock_nanosleep"
note "ok: where it sleeps: $s%"
exit 0
