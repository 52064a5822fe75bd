#!/bin/sh
# rec-split.sh: wl-split spends its CPU 3:1 in chain_a and chain_b; a CPU
# mode recording must show that split within 6 points.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record --stats -F 499 --mode cpu -o "$FT_TMP/split.folded" -- "$top_builddir/tests/wl-split"
expect_status 0
grep -q 'wl-split: done' "$FT_TMP/out" || fail "the workload's output did not pass through"
grep -Eq "^flametop: recorded .* of 'wl-split', [0-9]+ samples" "$FT_TMP/err" ||
	{ ft_dump; fail "no summary line"; }
n=$(samples "$FT_TMP/split.folded")
[ "$n" -ge 200 ] || fail "only $n samples"
# every sample the runtime wrote, up to its exit, is in the file
written=$(sed -n 's/.*samples_written=\([0-9]*\).*/\1/p' "$FT_TMP/err")
[ "$n" = "$written" ] || { ft_dump; fail "the file has $n samples, the runtime wrote $written"; }
note "ok: all $n samples written by the runtime were recorded"
a=$(share "$FT_TMP/split.folded" chain_a)
b=$(share "$FT_TMP/split.folded" chain_b)
note "chain_a $a%, chain_b $b% of $n samples"
# shares among the samples of the two chains
pa=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (a + b) ? 100 * a / (a + b) : 0 }')
in_range "$(awk -v a="$a" -v b="$b" 'BEGIN { print a + b }')" 80 100 ||
	fail "the chains have only $a% + $b% of the samples (want >= 80%)"
in_range "$pa" 69 81 || fail "chain_a has $pa% of the chains' samples (want 75 +- 6)"
exit 0
