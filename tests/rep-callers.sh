#!/bin/sh
# rep-callers.sh: wl-callers calls crunch from three places with 5:3:2
# units of work; report --callers crunch on a recording must list exactly
# those three callers, each with the share of crunch's time the program
# measured for it (within 6 points).  Recorded again with the calls going
# through direct recursion (descend) and through a ping/pong pair, the
# recursive functions count once per stack.  An unknown function is a
# one-line error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record -F 499 --mode cpu -o "$FT_TMP/c.folded" -- "$top_builddir/tests/wl-callers"
expect_status 0
measured=$(cat "$FT_TMP/out")
note "$measured"
n=$(samples "$FT_TMP/c.folded")
[ "$n" -ge 200 ] || fail "only $n samples"

ft report --callers crunch --top 0 "$FT_TMP/c.folded"
expect_status 0
cp "$FT_TMP/out" "$FT_TMP/callers.txt"
cat "$FT_TMP/callers.txt" >&2
total=$(sed -n 's/^callers of crunch.*: \([0-9.]*\)% of the total.*/\1/p' "$FT_TMP/callers.txt")
[ -n "$total" ] || fail "no header line for crunch"
in_range "$total" 80 100 || fail "crunch has $total% of the samples (want >= 80)"
# direct callers: the rows at the first level (no indentation), callers only
direct=$(sed -n '/^callers of/,/^callees of/p' "$FT_TMP/callers.txt" |
	sed -n 's/^ *\([0-9.]*\)%  \([a-z_]*\)\( \[.*\]\)\{0,1\}$/\2 \1/p')
[ "$(echo "$direct" | wc -l)" -eq 3 ] || fail "want 3 direct callers, got: $direct"
for f in parse_input render_page store_rows; do
	got=$(echo "$direct" | awk -v f="$f" -v t="$total" '$1 == f { printf "%.1f", 100 * $2 / t }')
	want=$(echo "$measured" | awk -v f="$f" '{ for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }')
	[ -n "$got" ] || fail "$f is not a direct caller of crunch"
	lo=$(awk -v w="$want" 'BEGIN { print w - 6 }')
	hi=$(awk -v w="$want" 'BEGIN { print w + 6 }')
	in_range "$got" "$lo" "$hi" || fail "$f: $got% of crunch's time recorded, $want% measured"
	note "ok: $f calls $got% of crunch's time (measured $want%)"
done
# each caller's own caller is main, one level further in
grep -Eq '^ +[0-9.]+%    main( \[|$)' "$FT_TMP/callers.txt" || fail "no second-level caller main"

# recursion: descend calls itself six times; each stack counts once
ft record -F 499 --mode cpu -o "$FT_TMP/r.folded" -- "$top_builddir/tests/wl-callers" recurse
expect_status 0
measured=$(cat "$FT_TMP/out")
ft report --callers descend --top 0 "$FT_TMP/r.folded"
expect_status 0
cat "$FT_TMP/out" >&2
total=$(sed -n 's/^callers of descend.*: \([0-9.]*\)% of the total.*/\1/p' "$FT_TMP/out")
direct=$(sed -n '/^callers of/,/^callees of/p' "$FT_TMP/out" |
	sed -n 's/^ *\([0-9.]*\)%  \([a-z_]*\)\( \[.*\]\)\{0,1\}$/\2 \1/p')
[ "$(echo "$direct" | wc -l)" -eq 2 ] || fail "want 2 direct callers of descend, got: $direct"
sum=$(echo "$direct" | awk '{ s += $2 } END { print s }')
in_range "$sum" "$(awk -v t="$total" 'BEGIN { print t - 0.2 }')" \
	"$(awk -v t="$total" 'BEGIN { print t + 0.2 }')" ||
	fail "descend's callers add up to $sum%, its total is $total%"
echo "$direct" | grep -q '^descend ' && fail "descend is listed as its own caller"
p=$(echo "$direct" | awk -v t="$total" '$1 == "parse_input" { printf "%.1f", 100 * $2 / t }')
want=$(echo "$measured" | awk '{ printf "%.1f", 100 * $3 / ($3 + $5) }')
in_range "$p" "$(awk -v w="$want" 'BEGIN { print w - 6 }')" \
	"$(awk -v w="$want" 'BEGIN { print w + 6 }')" ||
	fail "parse_input has $p% of descend's time, measured $want%"
note "ok: descend's callers add up to its total $total%; parse_input $p% (measured $want%)"
# crunch's callers: descend and ping (pong calls it only below ping)
ft report --callers crunch "$FT_TMP/r.folded"
direct=$(sed -n '/^callers of/,/^callees of/p' "$FT_TMP/out" |
	sed -n 's/^ *\([0-9.]*\)%  \([a-z_]*\)\( \[.*\]\)\{0,1\}$/\2/p' | sort | tr '\n' ' ')
[ "$direct" = "descend ping " ] || { ft_dump; fail "crunch's direct callers: $direct"; }

# bad input
ft report --callers no_such_function "$FT_TMP/c.folded"
expect_error "an unknown function" "no function of that name"
ft report --callers crunch --diff "$FT_TMP/c.folded" "$FT_TMP/r.folded"
expect_error "--callers with --diff" "do not go together"
exit 0
