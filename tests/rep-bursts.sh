#!/bin/sh
# rep-bursts.sh: `report --bursts -p PID` finds the time ranges where a
# program's CPU rate jumps (wl-bursts: a 400 ms report every 2 s in a
# mostly idle service, sampled at 499 Hz so that a tenth holds enough
# samples on a loaded machine) at the times the program says it ran them, and the
# demo's periodic cache flush as a change of mix (same CPU, one function);
# a profile too short for a baseline says so; --bursts on a file without
# sample times and with --findings is refused.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

FLAMETOP=1 FLAMETOP_FREQ=499 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-bursts" 30 >"$FT_TMP/wl.out" &
pid=$!
bg_pid "$pid"
wait_ready "$FT_TMP/wl.out"
ft report --bursts --json -p "$pid" -d 9
expect_status 0
python3 - "$FT_TMP/out" "$FT_TMP/wl.out" <<'PY' || { ft_dump; cat "$FT_TMP/wl.out" >&2; fail "rate bursts"; }
import json, sys
def is_report(x, r):
    """burst x is report r: its edges within 0.25 s of the report's, but
    for a report that began before the baseline (2.5 s of samples) was
    there: found from then on, inside the report"""
    if abs(r[1] - x["end_s"]) > 0.25 or x["start_s"] < r[0] - 0.25:
        return False
    return abs(r[0] - x["start_s"]) <= 0.25 or (r[0] < 3.0 and x["start_s"] < r[1])
doc = json.load(open(sys.argv[1]))
runs = [tuple(map(float, l.split()[1:])) for l in open(sys.argv[2]) if l.startswith("report ")]
b = doc["bursts"]
print("bursts:", [(x["kind"], x["start_s"], x["end_s"], x["top"], x["ratio"]) for x in b])
print("reports:", runs)
assert len(b) >= 2, "two of the four reports in 9 s at least"
# the CPU rate jumps (on a loaded machine a report may get less CPU than
# twice the baseline at its start: then it is found as a change of mix)
assert sum(x["kind"] == "rate" for x in b) >= len(b) - 1, "rate bursts"
for x in b:
    assert x["top"] in ("build_report", "format_rows"), "the report's functions"
    assert x["kind"] == "mix" or x["ratio"] > 2, "above twice the baseline"
    assert [f["name"] for f in x["functions"]][:2] != [], "functions named"
    # each burst is one report the program ran, edges within 0.25 s
    assert any(is_report(x, r) for r in runs), \
        "burst %.3f-%.3f is no report of the program" % (x["start_s"], x["end_s"])
    assert round(x["start_s"], 3) == x["start_s"]
PY
note "ok: rate bursts at the program's reports"

# a recording keeps the times: the same bursts from the file
ft record -F 499 -d 9 -o "$FT_TMP/b.ftr" -- "$top_builddir/tests/wl-bursts" 10
expect_status 0
grep '^report ' "$FT_TMP/out" >"$FT_TMP/wl2.out"
ft report --bursts --json "$FT_TMP/b.ftr"
expect_status 0
python3 - "$FT_TMP/out" "$FT_TMP/wl2.out" <<'PY' || { ft_dump; fail "rate bursts from a recording"; }
import json, sys
def is_report(x, r):
    """burst x is report r: its edges within 0.25 s of the report's, but
    for a report that began before the baseline (2.5 s of samples) was
    there: found from then on, inside the report"""
    if abs(r[1] - x["end_s"]) > 0.25 or x["start_s"] < r[0] - 0.25:
        return False
    return abs(r[0] - x["start_s"]) <= 0.25 or (r[0] < 3.0 and x["start_s"] < r[1])
b = json.load(open(sys.argv[1]))["bursts"]
runs = [tuple(map(float, l.split()[1:])) for l in open(sys.argv[2])]
print("recorded bursts:", [(x["kind"], x["start_s"], x["end_s"], x["top"]) for x in b])
print("recorded reports:", runs)
assert len(b) >= 2 and sum(x["kind"] == "rate" for x in b) >= len(b) - 1
assert all(x["top"] in ("build_report", "format_rows") for x in b)
for x in b:
    assert any(is_report(x, r) for r in runs)
PY
note "ok: rate bursts from a recording"

# too short for a baseline: no bursts, and why
ft report --bursts -p "$pid" -d 1
expect_status 0
grep -q '^no bursts: .* too short for a baseline' "$FT_TMP/out" || { ft_dump; fail "short profile"; }
kill "$pid"

demo="$top_builddir/examples/flametop-demo"
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$demo" --seconds 30 >/dev/null &
pid=$!
bg_pid "$pid"
ft report --bursts --json -p "$pid" -d 8
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "demo: mix bursts"; }
import json, sys
def is_report(x, r):
    """burst x is report r: its edges within 0.25 s of the report's, but
    for a report that began before the baseline (2.5 s of samples) was
    there: found from then on, inside the report"""
    if abs(r[1] - x["end_s"]) > 0.25 or x["start_s"] < r[0] - 0.25:
        return False
    return abs(r[0] - x["start_s"]) <= 0.25 or (r[0] < 3.0 and x["start_s"] < r[1])
b = json.load(open(sys.argv[1]))["bursts"]
print("bursts:", [(x["kind"], x["start_s"], x["end_s"], x["top"]) for x in b])
flush = [x for x in b if x["top"] in ("flush_cache", "compact_entries")]
assert flush, "the cache flush is found"
for x in flush:
    assert x["kind"] == "mix" and x["end_s"] - x["start_s"] <= 0.45
assert len(flush) >= len(b) - 1, "at most one other burst"
PY
note "ok: the demo's cache flush is a mix burst"
kill "$pid"

ft report --bursts "$top_srcdir/tests/data/perf-collapsed.folded"
expect_status 1
grep -q "^flametop: cannot find bursts in '.*': it keeps no sample times (a recording does" "$FT_TMP/err" ||
	{ ft_dump; fail "--bursts on a folded file"; }
ft report --bursts --findings -p 1
expect_status 2
exit 0
