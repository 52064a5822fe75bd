#!/bin/sh
# rep-shapes.sh: wl-shapes has one wide flat peak (plateau, 50%) and one
# tall thin spike (solve -> recurse x 28, 2.5%); `report --findings` on a
# recording must find exactly those, explained, in text and in JSON; bad
# thresholds are refused.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

ft record -F 999 -o "$FT_TMP/shapes.folded" -- "$top_builddir/tests/wl-shapes"
expect_status 0
n=$(samples "$FT_TMP/shapes.folded")
[ "$n" -ge 300 ] || { ft_dump; fail "only $n samples"; }

ft report --findings --json "$FT_TMP/shapes.folded"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "findings are not what the workload is"; }
import json, sys
doc = json.load(open(sys.argv[1]))
f = doc["findings"]
wide = [x for x in f if x["kind"] == "wide-peak"]
spikes = [x for x in f if x["kind"] == "spike"]
print("findings:", [(x["kind"], x["frame"], round(x["share"], 3), x["depth"]) for x in f])
assert len(wide) == 1 and wide[0]["frame"] == "plateau", "one wide peak, plateau"
assert 0.40 <= wide[0]["share"] <= 0.60, "plateau's share"
assert wide[0]["depth"] == 1 and wide[0]["path"][-1] == "plateau"
assert "main" in wide[0]["path"]
assert len(spikes) == 1 and spikes[0]["frame"] == "solve", "one spike, at solve"
assert spikes[0]["depth"] == 29, "solve + 28 levels of recurse"
assert spikes[0]["recursion"] == "recurse" and spikes[0]["repeats"] == 28
assert 0.005 <= spikes[0]["share"] <= 0.05
ev = wide[0]["evidence"]
assert [c["name"] for c in ev["callers"]] == ["main"] and ev["callers"][0]["share"] == 1
assert ev["offcpu_share"] is None and ev["allocated_bytes"] is None, "a file: no data"
assert "called from main (100%)" in wide[0]["explanation"]
assert "off CPU: no data" in wide[0]["explanation"]
assert [c["name"] for c in spikes[0]["evidence"]["callers"]] == ["main"]
for x in f:
    assert x["explanation"], "every finding explained"
PY
note "ok: one wide peak (plateau), one spike (solve, recursion)"

ft report --findings "$FT_TMP/shapes.folded"
expect_status 0
grep -q '^wide-peak .* plateau$' "$FT_TMP/out" || { ft_dump; fail "text: no wide peak line"; }
grep -q 'recursion: recurse appears 28 times' "$FT_TMP/out" || { ft_dump; fail "text: spike"; }

# thresholds move the findings: a 60% floor leaves no wide peak
ft report --findings --json --wide-share 60 "$FT_TMP/shapes.folded"
expect_status 0
grep -q '"wide-peak"' "$FT_TMP/out" && { ft_dump; fail "--wide-share 60 still finds plateau"; }

for bad in "--wide-share 0" "--wide-share abc" "--spike-share 101" "--wide-depth 0" \
	"--spike-depth x"; do
	# shellcheck disable=SC2086
	ft report --findings $bad "$FT_TMP/shapes.folded"
	expect_status 2
	grep -q "^flametop: report: ${bad%% *} " "$FT_TMP/err" || { ft_dump; fail "$bad: message"; }
done
note "ok: bad thresholds refused"
exit 0
