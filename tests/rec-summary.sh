#!/bin/sh
# rec-summary.sh: record's summary line tells the truth.  Its rate is per
# busy thread: samples per second of the CPU time the threads used, which
# the workload measures itself (two threads busy a fifth of the time, in
# a run shorter than the runtime's one-second rate window).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record -F 999 -o "$FT_TMP/duty.folded" -- "$top_builddir/tests/wl-duty" 2 0.8
expect_status 0
cpu_ms=$(sed -n 's/^cpu_ms //p' "$FT_TMP/out")
hz=$(sed -n 's/.* samples (\([0-9.]*\) Hz per busy thread).*/\1/p' "$FT_TMP/err")
n=$(samples "$FT_TMP/duty.folded")
[ -n "$cpu_ms" ] && [ -n "$hz" ] || { ft_dump; fail "no cpu_ms or no rate in the summary"; }
grep -q "recorded .* $n samples" "$FT_TMP/err" || { ft_dump; fail "the summary does not count the $n samples written"; }
[ "$n" -ge 10 ] || skip "only $n samples (machine too busy to check a rate)"
# what the rate must be: samples per CPU second
want=$(awk -v n="$n" -v ms="$cpu_ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
in_range "$hz" "$(awk -v w="$want" 'BEGIN { print w * 0.7 }')" \
	"$(awk -v w="$want" 'BEGIN { print w * 1.3 }')" ||
	{ ft_dump; fail "summary says $hz Hz per busy thread; $n samples in $cpu_ms ms of CPU is $want Hz"; }
in_range "$hz" 1 1100 || { ft_dump; fail "-F 999 gave $hz Hz per busy thread"; }
note "ok: $hz Hz per busy thread; $n samples in $cpu_ms ms of CPU is $want Hz"
exit 0
