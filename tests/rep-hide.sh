#!/bin/sh
# rep-hide.sh: --hide and --collapse-recursion on real recorded stacks.
# wl-callers calls crunch from three callers (5:3:2), with "recurse"
# through descend (direct recursion, seven frames) and ping/pong (not
# direct).  Hiding the callers leaves main calling crunch with all its
# time; hiding libc's module takes its frames out; collapsing makes
# descend one frame and leaves ping;pong;ping alone, on record and on
# report of a file recorded as it was.  Invalid regexes are one-line
# errors.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
WL="$top_builddir/tests/wl-callers"

ft record -F 499 --mode cpu --hide '^(parse_input|render_page|store_rows)$' \
	--hide 'libc\.so' -o "$FT_TMP/h.folded" -- "$WL"
expect_status 0
n=$(samples "$FT_TMP/h.folded")
[ "$n" -ge 200 ] || fail "only $n samples"
grep -Eq '(^|;)(parse_input|render_page|store_rows)(;| )' "$FT_TMP/h.folded" &&
	fail "a hidden caller is in the recording"
grep -q '__libc_start' "$FT_TMP/h.folded" && fail "a libc frame is in the recording"
expect_share "$FT_TMP/h.folded" crunch 80 100 "crunch with its callers hidden"
ft report --callers crunch "$FT_TMP/h.folded"
expect_status 0
direct=$(sed -n '/^callers of/,/^callees of/p' "$FT_TMP/out" |
	sed -n 's/^ *\([0-9.]*\)%  \([a-z_]*\)$/\2/p' | tr '\n' ' ')
[ "$direct" = "main " ] || { ft_dump; fail "crunch's callers with theirs hidden: $direct"; }
note "ok: hidden callers' time went to main ($n samples)"

# collapsing, recorded
ft record -F 499 --mode cpu --collapse-recursion -o "$FT_TMP/c.folded" -- "$WL" recurse
expect_status 0
measured=$(cat "$FT_TMP/out")
grep -q 'descend;descend' "$FT_TMP/c.folded" && fail "descend;descend left after collapsing"
grep -q 'ping;pong;ping;pong;ping;crunch' "$FT_TMP/c.folded" ||
	fail "ping;pong;ping was collapsed (or is missing)"
# descend's share: parse_input's and render_page's, as measured
want=$(echo "$measured" | awk '{ printf "%.1f", $3 + $5 }')
got=$(share "$FT_TMP/c.folded" descend)
got=$(awk -v g="$got" -v t="$(share "$FT_TMP/c.folded" crunch)" 'BEGIN { printf "%.1f", 100 * g / t }')
in_range "$got" "$(awk -v w="$want" 'BEGIN { print w - 6 }')" \
	"$(awk -v w="$want" 'BEGIN { print w + 6 }')" ||
	fail "collapsed descend has $got% of crunch's time, measured $want%"
note "ok: collapsed descend $got% of crunch's time (measured $want%)"

# collapsing a file recorded as it was: the same stacks as recording so
ft record -F 499 --mode cpu -o "$FT_TMP/r.folded" -- "$WL" recurse
expect_status 0
grep -q 'descend;descend;descend;descend;descend;descend;descend;crunch' "$FT_TMP/r.folded" ||
	fail "the plain recording has no seven-frame descend"
ft report --top 0 "$FT_TMP/r.folded"
cp "$FT_TMP/out" "$FT_TMP/plain.txt"
ft report --top 0 --collapse-recursion "$FT_TMP/r.folded"
expect_status 0
# totals (a stack counts once) are the same; descend's self is still 0
t1=$(grep -E '  descend$' "$FT_TMP/plain.txt" | tail -1)
t2=$(grep -E '  descend$' "$FT_TMP/out" | tail -1)
[ -n "$t1" ] && [ "$t1" = "$t2" ] || fail "descend's row changed: '$t1' -> '$t2'"
ft report --collapse-recursion --callers crunch "$FT_TMP/r.folded"
expect_status 0
direct=$(sed -n '/^callers of/,/^callees of/p' "$FT_TMP/out" |
	sed -n 's/^ *\([0-9.]*\)%  \([a-z_]*\)$/\2/p' | sort | tr '\n' ' ')
[ "$direct" = "descend ping " ] ||
	{ ft_dump; fail "collapsed: crunch's callers and theirs: $direct"; }
note "ok: report --collapse-recursion of a plain recording"

# bad input
ft record --hide '(' -o "$FT_TMP/x.folded" -- "$WL"
expect_error "record --hide with an invalid regex" "invalid regex"
[ -e "$FT_TMP/x.folded" ] && fail "a file was written after a bad --hide"
ft report --hide 'a[' "$FT_TMP/r.folded"
expect_error "report --hide with an invalid regex" "invalid regex"
exit 0
