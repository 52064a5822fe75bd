#!/bin/sh
# fmt-gopprof.sh: pprof checked against the reference reader, and Go's
# own profiles read.
#  - wl-split recorded to .pb.gz: `go tool pprof -top` reads it, and its
#    flat and cum shares equal flametop's report of the same file (within
#    the rounding of the two printouts).
#  - a Go program (tests/data/goprof.go, standard library only) writes a
#    CPU profile in which spinA does 3x the work of spinB, and a heap
#    profile in which keepA keeps 3 MiB live and keepB 1 MiB: report reads
#    both with the shares go tool pprof prints and the known 3:1 split,
#    and the viewer opens them.
# Needs go (Debian package golang-go): skipped without it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd go
need_cmd python3
export GOCACHE="$FT_TMP/gocache" GOPATH="$FT_TMP/gopath" GOFLAGS=-mod=mod GO111MODULE=off
export GOTOOLCHAIN=local HOME="${HOME:-$FT_TMP}"

# compare FILE: flametop report --json and go tool pprof -top agree on
# every function's flat and cum share (go prints 2 decimals, we 2 in JSON)
compare() {
	ft report --json --top 0 "$1"
	expect_status 0
	cp "$FT_TMP/out" "$FT_TMP/ours.json"
	go tool pprof -top -nodecount=100000 -nodefraction=0 -edgefraction=0 "$1" \
		>"$FT_TMP/go.top" 2>"$FT_TMP/go.err" || { cat "$FT_TMP/go.err" >&2; fail "go tool pprof cannot read $1"; }
	python3 - "$FT_TMP/ours.json" "$FT_TMP/go.top" <<'PY' || fail "shares of $1 differ"
import json, re, sys
ours = {f["name"]: f for f in json.load(open(sys.argv[1]))["functions"]}
rows = 0
for line in open(sys.argv[2]):
    m = re.match(r"\s*\S+\s+([\d.]+)%\s+[\d.]+%\s+\S+\s+([\d.]+)%\s+(.*)$", line)
    if not m:
        continue
    flat, cum, name = float(m.group(1)), float(m.group(2)), m.group(3).strip()
    name = re.sub(r" \(inline\)$", "", name)
    assert name in ours, "go lists %r, flametop does not" % name
    o = ours[name]
    assert abs(o["self_pct"] - flat) <= 0.02, (name, o["self_pct"], flat)
    assert abs(o["total_pct"] - cum) <= 0.02, (name, o["total_pct"], cum)
    rows += 1
assert rows >= 3, "go tool pprof listed %d functions" % rows
assert rows == sum(1 for o in ours.values() if o["self"] or o["total"]), "function counts differ"
print("%d functions with equal shares" % rows, file=sys.stderr)
PY
}

# --- our pprof, read by go tool pprof -------------------------------------------
ft record -F 499 -o "$FT_TMP/split.pb.gz" -- "$top_builddir/tests/wl-split"
expect_status 0
compare "$FT_TMP/split.pb.gz"
go tool pprof -top -sample_index=samples "$FT_TMP/split.pb.gz" >"$FT_TMP/go.top" 2>&1 ||
	fail "go tool pprof -sample_index=samples"
grep -q 'Type: samples' "$FT_TMP/go.top" || fail "no samples type"
note "ok: go tool pprof reads flametop's pprof, with the same shares"

# the samples' own labels, threads and coroutines become pprof labels
ft record -F 499 -o "$FT_TMP/pipe.pb.gz" -- "$top_builddir/examples/flametop-pipeline" -n 3000 60 1 3 1
expect_status 0
go tool pprof -tags "$FT_TMP/pipe.pb.gz" >"$FT_TMP/tags" 2>&1 || fail "go tool pprof -tags"
for tag in stage thread coroutine transformer; do
	grep -q "$tag" "$FT_TMP/tags" || { cat "$FT_TMP/tags" >&2; fail "no $tag in the pprof labels"; }
done
note "ok: labels, threads and coroutines as pprof labels"

# --- Go's own profiles ------------------------------------------------------------
go build -o "$FT_TMP/goprof" "$top_srcdir/tests/data/goprof.go" 2>"$FT_TMP/build.err" ||
	{ cat "$FT_TMP/build.err" >&2; fail "cannot build goprof.go"; }
"$FT_TMP/goprof" "$FT_TMP/cpu.pb.gz" "$FT_TMP/heap.pb.gz" || fail "goprof failed"
compare "$FT_TMP/cpu.pb.gz"
compare "$FT_TMP/heap.pb.gz"

# the known splits: CPU 3:1 (by total, within the noise of sampling),
# live bytes 3:1 exactly (every allocation sampled)
ft report --json --top 0 "$FT_TMP/cpu.pb.gz"
python3 - "$FT_TMP/out" <<'PY' || fail "CPU profile split"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unit"] == "ns", d["unit"]
f = {x["name"]: x for x in d["functions"]}
a, b = f["main.spinA"]["total"], f["main.spinB"]["total"]
print("cpu: spinA %.1f%% of the spins" % (100.0 * a / (a + b)), file=sys.stderr)
assert 0.65 <= a / (a + b) <= 0.85
PY
ft report --json --top 0 "$FT_TMP/heap.pb.gz"
python3 - "$FT_TMP/out" <<'PY' || fail "heap profile split"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unit"] == "bytes", d["unit"]
f = {x["name"]: x for x in d["functions"]}
a, b = f["main.keepA"]["self"], f["main.keepB"]["self"]
print("heap: keepA %d bytes, keepB %d bytes" % (a, b), file=sys.stderr)
assert 0 <= a - (3 << 20) <= 4096 and 0 <= b - (1 << 20) <= 4096, (a, b)
PY
ft report "$FT_TMP/heap.pb.gz"
grep -q '^total: 4\.[0-9]* MiB inuse_space$' "$FT_TMP/out" || { ft_dump; fail "heap total line"; }

# a conversion of Go's profile to folded stacks keeps its shares
ft convert "$FT_TMP/heap.pb.gz" "$FT_TMP/heap.folded"
expect_status 0
expect_share "$FT_TMP/heap.folded" main.keepA 73 76 "keepA in folded bytes"

# the viewer opens both (in tmux), showing the hot function
if command -v tmux >/dev/null 2>&1; then
	for p in cpu heap; do
		sess="ft-gopprof-$$-$p"
		tmux new-session -d -s "$sess" -x 160 -y 40 \
			"$FLAMETOP_BIN view $FT_TMP/$p.pb.gz; sleep 5" || fail "tmux"
		ok=0
		for i in $(seq 1 50); do
			tmux capture-pane -p -t "$sess" >"$FT_TMP/screen" 2>/dev/null
			if grep -q "main\.\(work\|keepA\)" "$FT_TMP/screen"; then ok=1; break; fi
			sleep 0.1
		done
		tmux send-keys -t "$sess" q 2>/dev/null
		sleep 0.3
		tmux kill-session -t "$sess" 2>/dev/null
		[ "$ok" = 1 ] || { cat "$FT_TMP/screen" >&2; fail "view $p.pb.gz does not show its hot function"; }
	done
	note "ok: view opens Go's CPU and heap profiles"
fi
exit 0
