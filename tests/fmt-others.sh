#!/bin/sh
# fmt-others.sh: other tools' files open in report and view.  Written by
# hand as the tools write them (perf and py-spy need root or a Python
# target to run): perf script | stackcollapse-perf.pl --kernel (the
# fixture tests/data/perf-collapsed.folded), py-spy record --format raw
# (frames "name (file:line)", a "process ...:" root with --subprocesses)
# and py-spy record --format speedscope (one sampled profile per thread,
# in seconds, weights of 1/rate).  report gives each the shares its
# numbers make; view shows each with its heaviest frame; convert turns
# the speedscope file into folded stacks with the same stacks.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop

PERF="$top_srcdir/tests/data/perf-collapsed.folded"
RAW="$FT_TMP/py-spy.txt"
cat >"$RAW" <<'X'
process 4242:"python3 app.py";<module> (app.py:1);serve (app.py:12);parse (parse.py:40) 30
process 4242:"python3 app.py";<module> (app.py:1);serve (app.py:12);loads (json/__init__.py:346) 10
process 4242:"python3 app.py";<module> (app.py:1);serve (app.py:12) 10
X
SS="$FT_TMP/py-spy.speedscope.json"
printf '%s\n' '{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[{"type":"sampled","name":"Thread 4242 \"MainThread\"","unit":"seconds","startValue":0.0,"endValue":0.05,"samples":[[0,1,2],[0,1,2],[0,1,2],[0,1,3],[0,1]],"weights":[0.01,0.01,0.01,0.01,0.01]},{"type":"sampled","name":"Thread 4243 \"worker\"","unit":"seconds","startValue":0.0,"endValue":0.03,"samples":[[4,2],[4,2],[4,2]],"weights":[0.01,0.01,0.01]}],"shared":{"frames":[{"name":"<module>","file":"/app/app.py","line":1,"col":null},{"name":"serve","file":"/app/app.py","line":12,"col":null},{"name":"parse","file":"/app/parse.py","line":40,"col":null},{"name":"loads","file":"/usr/lib/python3.11/json/__init__.py","line":346,"col":null},{"name":"run","file":"/usr/lib/python3.11/threading.py","line":975,"col":null}]},"activeProfileIndex":null,"exporter":"py-spy@0.3.14","name":"py-spy profile"}' >"$SS"

# --- report ---------------------------------------------------------------------
ft report "$PERF"
expect_status 0
grep -q '^total: 2191 samples$' "$FT_TMP/out" || { ft_dump; fail "perf: total"; }
# intel_idle: 1520 of 2191
grep -Eq '^ +69\.4% +69\.4% +1520 +1520 +intel_idle_\[k\]$' "$FT_TMP/out" || { ft_dump; fail "perf: intel_idle row"; }

ft report "$RAW"
expect_status 0
grep -Eq '^ +60\.0% +60\.0% +30 +30 +parse \(parse\.py:40\)$' "$FT_TMP/out" || { ft_dump; fail "py-spy raw: parse row"; }

# speedscope: 8 samples of 10 ms, parse in 6 of them (3 on each thread)
ft report --json "$SS"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || fail "py-spy speedscope: shares"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["unit"] == "ns", r["unit"]
assert r["total"] == 80000000, r["total"]
f = {x["name"]: x for x in r["functions"]}
assert abs(f["parse"]["self_pct"] - 75.0) < 0.01, f["parse"]
assert abs(f["serve"]["total_pct"] - 62.5) < 0.01, f["serve"]
assert f["parse"]["module"] == "/app/parse.py", f["parse"]
PY
ft convert "$SS" "$FT_TMP/ss.folded"
expect_status 0
# folded stacks count samples
printf '%s\n' '<module>;serve 1' '<module>;serve;loads 1' '<module>;serve;parse 3' 'run;parse 3' \
	>"$FT_TMP/ss.want"
cmp "$FT_TMP/ss.want" "$FT_TMP/ss.folded" || { diff "$FT_TMP/ss.want" "$FT_TMP/ss.folded" >&2; fail "speedscope -> folded"; }
note "ok: report reads perf collapsed, py-spy raw and py-spy speedscope"

# a broken speedscope file: one line, exit 1
printf '{"shared":{"frames":[]},"profiles":[{"type":"sampled","unit":"none","samples":[[3]]}]}' >"$FT_TMP/bad.speedscope.json"
ft report "$FT_TMP/bad.speedscope.json"
expect_status 1
expect_error "bad speedscope" "^flametop: cannot read '$FT_TMP/bad.speedscope.json': sample 1: not a frame index$"

# --- view -----------------------------------------------------------------------
ui_start
# FILE SEARCH STATUS: view FILE, search, the status line names the frame
view_finds() {
	ui_cmd "'$FLAMETOP_BIN' view '$1'"
	ui_expect "^ $(basename "$1" | sed 's/\./\\./g') \\| " 10 "view $1: no header"
	ui_keys / ; ui_keys -l "$2" ; ui_keys Enter
	ui_expect "^ $3 .*\\|" 5 "view $1: the search does not find the hot frame"
	ui_keys Escape q
	ui_quit_ok
}
view_finds "$PERF" '^intel_idle' 'intel_idle_\[k\]'
view_finds "$RAW" '^parse' 'parse \(parse\.py:40\)'
view_finds "$SS" '^parse$' 'parse'

note "ok: view opens them"
exit 0
