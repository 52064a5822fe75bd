#!/bin/sh
# coro-pipeline.sh: flametop-pipeline (three ucontext coroutines over
# channels, work 1:3:1 per item) recorded with --group coroutine: each
# coroutine's share of the coroutines' samples is within 2 points of the
# share of the CPU the program itself measured for it (about 20/60/20);
# every sample of a stage carries its stage label; --label keeps only the
# samples of that stage.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
PIPE="$top_builddir/examples/flametop-pipeline"
FT_TIMEOUT=150

# a fixed amount of work (7 s of CPU on a 2-core test machine, enough for
# 2500 samples on one twice as fast), so the sample count does not depend
# on how busy the machine is
ft record -F 997 --group coroutine,label:stage -o "$FT_TMP/p.folded" -- "$PIPE" -n 60000 120 1 3 1
expect_status 0
n=$(samples "$FT_TMP/p.folded")
[ "$n" -ge 2500 ] || { ft_dump; fail "only $n samples"; }
roots "$FT_TMP/p.folded" >"$FT_TMP/roots"
note "$(cat "$FT_TMP/roots")"
total=$(awk -F'\t' '$2 ~ /^\[coro [0-9]+ (producer|transformer|consumer)\]$/ { s += $1 }
	END { print s + 0 }' "$FT_TMP/roots")
in_range "$total" 95 100.1 || fail "the three coroutines have only $total% of the samples"
# the truth: each stage's share of the CPU as the program's scheduler
# measured it around every switch (1:3:1 by work, more or less on a busy
# machine)
grep '^stages:' "$FT_TMP/out" >"$FT_TMP/stages" || { ft_dump; fail "the pipeline did not say its stages' CPU"; }
note "$(cat "$FT_TMP/stages")"
for stage in producer transformer consumer; do
	truth=$(sed -n "s/.* $stage \([0-9.]*\)%.*/\1/p" "$FT_TMP/stages")
	got=$(awk -F'\t' -v s="$stage" -v t="$total" \
		'$2 ~ "^\\[coro [0-9]+ " s "\\]$" { printf "%.1f", 100 * $1 / t }' "$FT_TMP/roots")
	[ -n "$got" ] || fail "no [coro N $stage] root"
	in_range "$got" "$(awk -v t="$truth" 'BEGIN { print t - 2 }')" "$(awk -v t="$truth" 'BEGIN { print t + 2 }')" ||
		fail "$stage has $got% of the coroutines' CPU (the program measured $truth%, want +- 2)"
	note "ok: $stage $got% (truth $truth%)"
	# the label under every sample of the stage's work
	bad=$(grep -E "^\[coro [0-9]+ $stage\];.*;burn " "$FT_TMP/p.folded" |
		grep -cv "^\[coro [0-9]* $stage\];\[stage=$stage\];") || true
	[ "$bad" -eq 0 ] || fail "$bad stacks of $stage lack [stage=$stage]"
done

ft record -F 499 --label stage=transformer -o "$FT_TMP/t.folded" -- "$PIPE" -n 3000 60 1 3 1
expect_status 0
n=$(samples "$FT_TMP/t.folded")
[ "$n" -ge 50 ] || { ft_dump; fail "--label kept only $n samples"; }
# a sample taken inside swapcontext may carry the labels of the
# coroutine being entered (flametop(3)): at most 3% of them
other=$(grep -E '(^|;)(producer|consumer|main)(;| )' "$FT_TMP/t.folded" |
	awk '{ t += $NF } END { print t + 0 }')
[ $((other * 100)) -le $((3 * n)) ] || fail "--label stage=transformer kept $other samples of other stages"
expect_share "$FT_TMP/t.folded" transformer 96 100 "transformer under --label"
exit 0
