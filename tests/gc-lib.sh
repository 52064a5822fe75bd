# tests/gc-lib.sh - helpers for the GC tests; sourced after tests/lib.sh.

# The gctrace line of flametop(1), as an extended regex.
GC_LINE='^gc [0-9]+ @[0-9]+\.[0-9]{3}s: [0-9]+\.[0-9]{3} ms pause(, [0-9]+\.[0-9]{3}(\+[0-9]+\.[0-9]{3})* ms [!-~]+)?, [0-9]+\.[0-9]{2}->[0-9]+\.[0-9]{2} MB(, [0-9]+\.[0-9]{2} MB heap)?(, [0-9]+\.[0-9]{2} MB allocated)?(, [0-9]+\.[0-9]{2} MB freed)?, (alloc|explicit|other|unknown)$'

# expect_gc_log FILE COUNT WHAT: FILE has exactly COUNT gctrace lines,
# every one well formed, numbered 1..COUNT in order.
expect_gc_log() {
	bad=$(grep -Evc "$GC_LINE" "$1")
	[ "$bad" -eq 0 ] || { grep -Ev "$GC_LINE" "$1" | head -n 3 >&2; fail "$3: $bad malformed lines"; }
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || { tail -n 3 "$1" >&2; fail "$3: $n collections seen, the collector counted $2"; }
	awk '$2 != NR { print "line " NR ": " $0; exit 1 }' "$1" >&2 ||
		fail "$3: collections not numbered 1..$2 in order"
	note "ok: $3: $n collections, as the collector counted"
}
