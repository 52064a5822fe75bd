#!/bin/sh
# rec-python.sh: a pure-Python loop recorded for 3 s: the interpreter's
# exported functions are named (not module+0x...) and the eval loop has a
# sensible share.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3
# the interpreter itself, not a version manager's shim in front of it (a
# script that starts a dozen processes before it execs python, which can
# take the recording's seconds on a loaded machine)
py=$(python3 -c 'import sys; print(sys.executable)') && [ -x "$py" ] || py=python3

ft record -F 499 -d 3 -o "$FT_TMP/py.folded" -- "$py" -c '
x = 0
while True:
    for i in range(1000):
        x = (x * 31 + i) % 1000003
'
expect_status 0
n=$(samples "$FT_TMP/py.folded")
[ "$n" -ge 30 ] || { ft_dump; fail "only $n samples"; }
ft report --top 0 --json "$FT_TMP/py.folded"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || fail "report of the python profile"
import json, re, sys
r = json.load(open(sys.argv[1]))
fs = r["functions"]
ev = [f for f in fs if f["name"].startswith("_PyEval_EvalFrameDefault")]
assert ev, "no _PyEval_EvalFrameDefault among %d functions" % len(fs)
print("_PyEval_EvalFrameDefault total %.1f%%" % ev[0]["total_pct"], file=sys.stderr)
assert ev[0]["total_pct"] > 20, "eval loop total only %.1f%%" % ev[0]["total_pct"]
raw = sum(f["self"] for f in fs if re.search(r"\+0x[0-9a-f]+$", f["name"]))
print("unresolved self: %d of %d" % (raw, r["total"]), file=sys.stderr)
assert raw < 0.5 * r["total"], "most samples unresolved"
PY
exit 0
