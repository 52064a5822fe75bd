#!/bin/sh
# rep-folded.sh: report on a hand-made folded file whose numbers are known:
# self and total shares, recursion counted once in total, --top, --count,
# stdin, and JSON that parses (with names that need escaping).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
[ -x "$FLAMETOP_BIN" ] || skip "$FLAMETOP_BIN not built"

f="$FT_TMP/known.folded"
cat >"$f" <<'F'
# a comment
main;serve;parse 55
main;serve;check 30
main;walk;walk;walk 10

main;odd"na\me 5
F
ft report "$f"
expect_status 0
grep -q '^total: 100 samples' "$FT_TMP/out" || { ft_dump; fail "header line"; }
grep -Eq 'SELF%  TOTAL% +SELF +TOTAL  FUNCTION' "$FT_TMP/out" || { ft_dump; fail "column titles"; }
# first row by self: parse 55%
awk '/^by self:/ { getline; getline; print; exit }' "$FT_TMP/out" |
	grep -Eq '^ +55\.0% +55\.0% +55 +55 +parse$' || { ft_dump; fail "top self row"; }
# by total: main 100%, then serve 85%, with their total samples
awk '/^by total:/ { getline; getline; print; getline; print; exit }' "$FT_TMP/out" >"$FT_TMP/tot"
grep -Eq '^ +0\.0% +100\.0% +0 +100 +main$' "$FT_TMP/tot" || { cat "$FT_TMP/tot" >&2; fail "main row"; }
grep -Eq '^ +0\.0% +85\.0% +0 +85 +serve$' "$FT_TMP/tot" || { cat "$FT_TMP/tot" >&2; fail "serve row"; }
# walk recurses: total 10%, not 30%
grep -Eq '^ +10\.0% +10\.0% +10 +10 +walk$' "$FT_TMP/out" || { ft_dump; fail "recursive walk row"; }

ft report --top 2 "$f"
expect_status 0
rows=$(awk '/^by self:/ { s = 1; next } /^by total:/ { s = 0 } s && /^ +[0-9.]+%/' "$FT_TMP/out" | wc -l)
[ "$rows" -eq 2 ] || { ft_dump; fail "--top 2 printed $rows rows"; }

ft report --json --top 0 - <"$f"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || fail "JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["total"] == 100, r["total"]
by = {f["name"]: f for f in r["functions"]}
assert by["parse"]["self"] == 55 and by["parse"]["self_pct"] == 55.0, by["parse"]
assert by["main"]["total"] == 100 and by["main"]["self"] == 0
assert by["walk"]["total"] == 10, by["walk"]
assert 'odd"na\\me' in by, sorted(by)
assert r["functions"][0]["name"] == "parse"
for f in r["functions"]:
    assert set(f) >= {"name", "module", "self", "total", "self_pct", "total_pct"}
PY
note "ok: JSON parses and has the known numbers"

: >"$FT_TMP/empty.folded"
ft report "$FT_TMP/empty.folded"
expect_status 0
grep -q 'total: 0 samples' "$FT_TMP/out" || { ft_dump; fail "empty file"; }
ft report --json "$FT_TMP/empty.folded"
python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); assert r["total"] == 0' \
	"$FT_TMP/out" || fail "empty file JSON"
exit 0
