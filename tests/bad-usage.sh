#!/bin/sh
# bad-usage.sh: the command line itself: --help, --version, CMD --help,
# no command, unknown command.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
[ -x "$FLAMETOP_BIN" ] || skip "$FLAMETOP_BIN not built"

ft --help
expect_status 0
for c in record report list; do
	grep -Eq "^ +$c " "$FT_TMP/out" || { ft_dump; fail "--help does not list $c"; }
done
ft -h
expect_status 0
ft --version
expect_status 0
grep -Eq '^flametop [0-9]+\.[0-9]+' "$FT_TMP/out" || { ft_dump; fail "--version"; }

ft
expect_status 2
grep -q '^usage: flametop' "$FT_TMP/err" || { ft_dump; fail "no command: no usage on stderr"; }
[ ! -s "$FT_TMP/out" ] || fail "no command: help went to stdout"

for c in record report list; do
	ft "$c" --help
	expect_status 0
	grep -q "^usage: flametop $c" "$FT_TMP/out" || { ft_dump; fail "$c --help"; }
done
ft record --help
grep -q -- '--mode' "$FT_TMP/out" || { ft_dump; fail "record --help lacks its options"; }
ft report -h
expect_status 0
grep -q -- '--json' "$FT_TMP/out" || { ft_dump; fail "report -h lacks its options"; }

# the options are those of the command's table (test-cli walks them all):
# every usage error names the command and points to its --help
ft help record
expect_status 0
grep -q '^usage: flametop record' "$FT_TMP/out" || { ft_dump; fail "help record"; }
ft run --freq 50
expect_error "run --freq 50" "^flametop: run: no command to run \\(see flametop run --help\\)$"
ft report --json=yes f
expect_error "flag with a value" "^flametop: report: option '--json' takes no value \\(see flametop report --help\\)$"
ft record -o "$FT_TMP/h.folded" -- sh -c 'exit 0' --help
[ "$st" -eq 0 ] && ! grep -q usage "$FT_TMP/out" || { ft_dump; fail "--help after -- is the command's"; }
ft attach 12 13
expect_error "attach: two pids" "unexpected argument '13' \\(see flametop attach --help\\)$"

ft nosuchcommand
expect_error "unknown command" "'nosuchcommand' is not a flametop command"
expect_status 2
ft --nosuchoption
expect_status 2
exit 0
