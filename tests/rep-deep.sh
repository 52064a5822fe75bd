#!/bin/sh
# rep-deep.sh: `flametop report` of one stack 100,000 frames deep (tables,
# JSON, shape findings): every walk over the tree is iterative, so nothing
# overflows the stack, and the numbers are right.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

D="$FT_TMP/deep.folded"
# main, 99,998 frames of recurse_step, deep_leaf; and a flat neighbour
awk 'BEGIN { printf "main"; for (i = 0; i < 99998; i++) printf ";recurse_step"
	print ";deep_leaf 3"; print "main;flat 97" }' >"$D"

ft report "$D"
expect_status 0
grep -q '^total: 100 samples' "$FT_TMP/out" || { ft_dump; fail "deep report: total"; }
grep -Eq '^ +3\.0% +3\.0% +3 +3 +deep_leaf$' "$FT_TMP/out" || { ft_dump; fail "deep report: leaf row"; }
note "ok: report tables of a 100,000-frame stack"

ft report --json --top 0 "$D"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "deep report: JSON"; }
import json, sys
r = json.load(open(sys.argv[1]))
f = {x["name"]: x for x in r["functions"]}
assert r["total"] == 100
assert f["recurse_step"]["total"] == 3 and f["recurse_step"]["self"] == 0
assert f["main"]["total"] == 100 and f["flat"]["self"] == 97
PY

ft report --findings --json "$D"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "deep report: findings"; }
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
kinds = sorted((x["kind"], x["frame"]) for x in f)
assert ("wide-peak", "flat") in kinds, kinds
spike = [x for x in f if x["kind"] == "spike"]
assert len(spike) == 1 and spike[0]["frame"] == "recurse_step", kinds
assert spike[0]["depth"] == 99999 and spike[0]["repeats"] == 99998
assert len(spike[0]["path"]) == 2
PY
note "ok: findings of a 100,000-frame stack"
exit 0
