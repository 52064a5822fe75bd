#!/bin/sh
# rec-diff.sh: wl-move before and after --validate-late, which moves 20%
# of its CPU time from read_records (50% -> 30%) to write_records (30% ->
# 50%); compress_records keeps its 20%.  report --diff of the two
# recordings must find that move, with its sign and size (+-5 points),
# and no other change above noise.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3
WL="$top_builddir/tests/wl-move"

ft record -F 999 --mode cpu -o "$FT_TMP/before.folded" -- "$WL"
expect_status 0
grep -q 'validated when read' "$FT_TMP/out" || { ft_dump; fail "the workload did not run"; }
ft record -F 999 --mode cpu -o "$FT_TMP/after.folded" -- "$WL" --validate-late
expect_status 0
grep -q 'validated when written' "$FT_TMP/out" || { ft_dump; fail "the workload did not switch"; }
for f in before after; do
	n=$(samples "$FT_TMP/$f.folded")
	[ "$n" -ge 500 ] || fail "$f: only $n samples"
	note "$f: $n samples, read_records $(share "$FT_TMP/$f.folded" read_records)%," \
		"write_records $(share "$FT_TMP/$f.folded" write_records)%"
done

ft report --diff --json --top 0 "$FT_TMP/before.folded" "$FT_TMP/after.folded"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "report --diff did not find the move alone"; }
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["name"]: x for x in d["functions"]}
def near(v, want):
    return abs(v - want) <= 5
r, w, c = f["read_records"], f["write_records"], f["compress_records"]
print("read_records %+.1f (noise %.1f), write_records %+.1f (noise %.1f), compress %+.1f"
      % (r["self_change"], r["self_noise"], w["self_change"], w["self_noise"],
         c["self_change"]), file=sys.stderr)
assert near(r["self_change"], -20) and near(r["total_change"], -20), r
assert near(w["self_change"], 20) and near(w["total_change"], 20), w
assert r["significant"] and w["significant"], (r, w)
# the noise threshold is well under the move
assert r["self_noise"] < 10 and w["self_noise"] < 10, (r, w)
# nothing else changed above noise: compress, main, libc's frames
for name, x in f.items():
    if name not in ("read_records", "write_records"):
        assert not x["significant"], x
# the two largest changes come first
assert {x["name"] for x in d["functions"][:2]} == {"read_records", "write_records"}, d
PY
note "ok: report --diff found the 20-point move and nothing else"
exit 0
