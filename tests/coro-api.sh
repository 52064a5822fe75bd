#!/bin/sh
# coro-api.sh: a program with its own stack switching that reports its two
# tasks through flametop.h.  coros --json lists them with their names,
# inherited and own labels, and the parked one's stack (task_main ->
# task_wait); the six deliberate misuses are counted, no more; a
# recording grouped by coroutine and labels gives heavy the share of the
# tasks' CPU that the program measured around their turns (about 75%),
# to within 4 points, every sample under its labels.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3

FLAMETOP=1 FLAMETOP_FREQ=997 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-coro-api" 60 >"$FT_TMP/wl.out" &
pid=$!
bg_pid $pid
wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
sleep 0.5
# the tasks park for a few milliseconds at a time: a dump catches a parked
# one before the runtime thread has read its stack now and then, so take
# up to five dumps for one that shows it
for try in 1 2 3 4 5; do
	ft coros --json -p "$pid"
	expect_status 0
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(c["state"] == "parked" and "task_wait" in c["stack"]
                  for c in d["coroutines"]) else 1)' "$FT_TMP/out" && break
done
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "coros --json is not what the program did"; }
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["name"]: x for x in d["coroutines"]}
assert set(c) >= {"light", "heavy"}, c.keys()
assert c["light"]["labels"] == {"job": "batch"}, c["light"]["labels"]
assert c["heavy"]["labels"] == {"job": "batch", "phase": "crunch"}, c["heavy"]["labels"]
for x in c.values():
    for k in ("id", "name", "state", "tid", "state_ns", "reason", "stack"):
        assert k in x, k
parked = [x for x in (c["light"], c["heavy"]) if x["state"] == "parked"]
assert parked, "neither task parked"
for x in parked:
    assert x["reason"] == "yield", x
    s = x["stack"]
    assert "task_wait" in s and "task_main" in s, s
    assert s.index("task_main") < s.index("task_wait"), s
assert d["misuse"] == 6, d["misuse"]
assert d["unfollowed"] == 0
PY
note "ok: coros --json lists both tasks, labels, parked stacks, 6 misuses"

before=$(grep '^cpu ' "$FT_TMP/wl.out" | tail -n 1)
ft record -p "$pid" -d 4 --group coroutine,label:job,label:phase -o "$FT_TMP/a.folded"
expect_status 0
roots "$FT_TMP/a.folded" >"$FT_TMP/roots"
note "$(cat "$FT_TMP/roots")"
l=$(awk -F'\t' '$2 ~ /^\[coro [0-9]+ light\]$/ { print $1 }' "$FT_TMP/roots")
h=$(awk -F'\t' '$2 ~ /^\[coro [0-9]+ heavy\]$/ { print $1 }' "$FT_TMP/roots")
[ -n "$l" ] && [ -n "$h" ] || fail "no samples of light or heavy"
after=$(grep '^cpu ' "$FT_TMP/wl.out" | tail -n 1)
want=$(echo "$before $after" | awk '{ l = $5 - $2; h = $6 - $3; if (l + h > 0) printf "%.1f", 100 * h / (l + h) }')
[ -n "$want" ] || fail "the program measured no CPU while recorded ($before / $after)"
ph=$(awk -v l="$l" -v h="$h" 'BEGIN { printf "%.1f", 100 * h / (l + h) }')
lo=$(awk -v w="$want" 'BEGIN { print w - 4 }')
hi=$(awk -v w="$want" 'BEGIN { print w + 4 }')
in_range "$ph" "$lo" "$hi" || fail "heavy has $ph% of the tasks' CPU (the program measured $want%)"
note "ok: heavy $ph% of the tasks (the program measured $want%)"
bad=$(grep -E '^\[coro [0-9]+ heavy\];' "$FT_TMP/a.folded" |
	grep -cv ';\[job=batch\];\[phase=crunch\];') || true
[ "$bad" -eq 0 ] || { grep -E "^\[coro [0-9]+ heavy\];" "$FT_TMP/a.folded" | grep -v ";\[job=batch\];\[phase=crunch\];" >&2; fail "$bad heavy stacks without job=batch, phase=crunch"; }
bad=$(grep -E '^\[coro [0-9]+ light\];' "$FT_TMP/a.folded" |
	grep -cv ';\[job=batch\];\[phase unset\];') || true
[ "$bad" -eq 0 ] || fail "$bad light stacks without job=batch, phase unset"
kill -0 "$pid" 2>/dev/null || fail "the workload died while flametop read it"
kill "$pid"
exit 0
