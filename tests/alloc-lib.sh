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
# outside_stdio FILE: the total of FILE's stacks that are not stdio's own
# buffers (_IO_*), which the workloads do not count
outside_stdio() {
	grep -v '_IO_' "$1" | awk '/^#/ || NF == 0 { next } { t += $NF } END { printf "%.0f\n", t }'
}

# attributed GOT WANT WHAT FILE SITES: a site's sum is exactly WANT; when
# not, the stacks of FILE that name none of SITES (a grep pattern) are
# shown: a stack missing a frame, or read before its modules were known
attributed() {
	if [ "$1" != "$2" ]; then
		echo "--- stacks of $4 without $5:" >&2
		grep -v "$5" "$4" | head -n 5 >&2
		ft_dump
		fail "$3: $1, want exactly $2"
	fi
	note "ok: $3: $1"
}

exactly() {
	[ "$1" = "$2" ] || { ft_dump; fail "$3: $1, want exactly $2"; }
	note "ok: $3: $1"
}
