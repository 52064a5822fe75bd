# tests/alloc-lib.sh - helpers of the allocation tests; sourced after lib.sh.
WL="$top_builddir/tests/wl-alloc"
[ -x "$WL" ] || skip "wl-alloc not built"

# sum_of FILE REGEX: the summed counts of the stacks of the folded FILE
# that have a frame matching REGEX as a whole frame name.
sum_of() {
	awk -v re="^($2)( \\\\[.*\\\\])?\$" '
		/^#/ || NF == 0 { next }
		{
			n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
			k = split(stack, f, ";")
			for (i = 1; i <= k; i++) if (f[i] ~ re) { hit += n; break }
		}
		END { printf "%.0f\n", hit }' "$1"
}

# near EST TRUTH PCT WHAT: EST within PCT percent of TRUTH
near() {
	awk -v e="$1" -v t="$2" -v p="$3" 'BEGIN { d = e - t; if (d < 0) d = -d; exit !(t > 0 && 100 * d / t <= p) }' ||
		fail "$4: estimated $1, truly $2 (more than $3% off)"
	note "ok: $4: estimated $1, truly $2 (within $3%)"
}

# exactly GOT WANT WHAT (the last ft call's output shown when not)
exactly() {
	[ "$1" = "$2" ] || { ft_dump; fail "$3: $1, want exactly $2"; }
	note "ok: $3: $1"
}
