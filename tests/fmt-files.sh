#!/bin/sh
# fmt-files.sh: record -o writes the format its name (or --format) says,
# and convert turns one format into another.  wl-split spends its CPU 3:1
# in chain_a and chain_b: the speedscope JSON (parsed with python3's json)
# and the SVG (parsed as XML) must show that split, one speedscope profile
# per thread; folded -> pprof -> folded gives the same bytes; bad input
# and unwritable outputs give one line, a non-zero exit and no file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3
WL="$top_builddir/tests/wl-split"
D="$FT_TMP/d"
mkdir "$D"

# --- record in every format -------------------------------------------------
ft record -F 499 -o "$D/split.speedscope.json" -- "$WL"
expect_status 0
grep -q "written to $D/split.speedscope.json" "$FT_TMP/err" || { ft_dump; fail "no summary"; }
python3 - "$D/split.speedscope.json" <<'PY' || fail "speedscope JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["$schema"] == "https://www.speedscope.app/file-format-schema.json"
frames = d["shared"]["frames"]
names = [f["name"] for f in frames]
ps = d["profiles"]
assert ps, "no profiles"
tids = [p["name"] for p in ps]
assert len(set(tids)) == len(tids), "a thread has two profiles: %s" % tids
a = b = 0
for p in ps:
    assert p["type"] == "sampled" and p["unit"] == "nanoseconds", p["type"]
    assert len(p["samples"]) == len(p["weights"])
    assert p["endValue"] == sum(p["weights"])
    for s, w in zip(p["samples"], p["weights"]):
        assert all(0 <= i < len(frames) for i in s)
        st = [names[i] for i in s]
        a += w if "chain_a" in st else 0
        b += w if "chain_b" in st else 0
share = 100.0 * a / (a + b)
print("speedscope: chain_a %.1f%% of the chains, %d profiles" % (share, len(ps)), file=sys.stderr)
assert 69 <= share <= 81, share
PY

ft record -F 499 -o "$D/split.svg" -- "$WL"
expect_status 0
python3 - "$D/split.svg" <<'PY' || fail "SVG"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg"
assert root.find(ns + "script") is not None, "no script"
w = {}
for g in root.iter(ns + "g"):
    name = g.get("data-name")
    rect = g.find(ns + "rect")
    title = g.find(ns + "title").text
    assert name in title
    assert float(rect.get("width")) >= 0.1
    assert rect.get("fill").startswith("rgb(")
    w[name] = w.get(name, 0) + float(rect.get("width"))
assert w["all"] > 1100, w["all"]
share = 100 * w["chain_a"] / (w["chain_a"] + w["chain_b"])
print("svg: chain_a %.1f%% of the chains' width" % share, file=sys.stderr)
assert 69 <= share <= 81, share
PY

# --format wins over the name; -o - is folded on stdout
ft record -F 499 --format pprof -o "$D/split.folded" -- "$WL"
expect_status 0
[ "$(head -c 2 "$D/split.folded" | od -An -tx1 | tr -d ' ')" = 1f8b ] || fail "--format pprof not gzipped"
ft record -F 499 -d 0.5 -o - -- "$WL"
expect_status 0
grep -q '^chain_\|main' "$FT_TMP/out" || grep -q ' [0-9][0-9]*$' "$FT_TMP/out" || { ft_dump; fail "-o - is not folded"; }
note "ok: --format, -o -"

# --- round trips --------------------------------------------------------------
F="$top_srcdir/tests/data/perf-collapsed.folded"
ft convert "$F" "$D/perf.pb.gz"
expect_status 0
ft convert "$D/perf.pb.gz" "$D/perf.folded"
expect_status 0
# the fixture has comments, a CRLF line and repeated stacks: its own
# canonical form (folded -> folded) is what the round trip must give
ft convert "$F" "$D/want"
expect_status 0
cmp "$D/want" "$D/perf.folded" || { diff "$D/want" "$D/perf.folded" | head >&2; fail "folded -> pprof -> folded changed"; }
ft convert "$D/perf.pb.gz" -
cmp "$D/want" "$FT_TMP/out" || fail "convert to - is not the folded text"
ft convert --format speedscope "$D/perf.pb.gz" "$D/perf.json"
expect_status 0
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$D/perf.json" || fail "speedscope of perf"
ft convert "$F" "$D/perf.svg"
expect_status 0
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$D/perf.svg" || fail "svg of perf"
note "ok: folded -> pprof -> folded identical; speedscope and SVG of it parse"

# --- report --diff: shares of each total, largest change first -----------------
printf 'main;work;a 500\nmain;work;b 300\nmain;idle 200\n' >"$D/before.folded"
# after: twice as long, a takes 20 points more of the total, b 20 less
printf 'main;work;a 1400\nmain;work;b 200\nmain;idle 400\n' >"$D/after.folded"
ft convert "$D/after.folded" "$D/after.pb.gz"
ft report --diff "$D/before.folded" "$D/after.pb.gz"
expect_status 0
sed -n '6,7p' "$FT_TMP/out" >"$D/top2"
grep -q '^  50.0%   70.0%  +20.0    50.0%   70.0%  +20.0  a$' "$D/top2" &&
	grep -q '^  30.0%   10.0%  -20.0    30.0%   10.0%  -20.0  b$' "$D/top2" ||
	{ ft_dump; fail "report --diff"; }
ft report --diff --json "$D/before.folded" "$D/after.pb.gz"
python3 - "$FT_TMP/out" <<'PY' || fail "report --diff --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["a"]["total"] == 1000 and d["b"]["total"] == 2000, d
f = {x["name"]: x for x in d["functions"]}
assert f["a"]["self_change"] == 20 and f["b"]["self_change"] == -20, f
assert f["idle"]["self_change"] == 0 and f["main"]["total_change"] == 0
assert [x["name"] for x in d["functions"][:2]] in (["a", "b"], ["b", "a"])
PY
ft report --diff "$D/before.folded"
expect_error "--diff with one file" "needs two files"
note "ok: report --diff"

# --- bad input ----------------------------------------------------------------
ft record --format json -o "$D/x" -- true
expect_error "unknown --format" "unknown format 'json' \(known: folded, pprof, speedscope, svg, ftr\)"
[ "$st" -eq 2 ] || fail "unknown --format: status $st, want 2"
ft convert --format xml "$F" "$D/x"
expect_error "convert unknown --format" "unknown format 'xml'"
printf 'main;a 1\n' >"$D/plain.pb.gz"
ft report "$D/plain.pb.gz"
expect_error "not gzipped" "^flametop: cannot read '.*plain.pb.gz': not gzipped"
printf 'hello, this is not a profile\n' | gzip >"$D/text.gz"
ft report "$D/text.gz"
expect_error "not a profile" "^flametop: cannot read '.*text.gz': not a profile"
# a location id that no location defines; a function name out of the table
python3 - "$D" <<'PY'
import gzip, sys
def v(x):
    out = b""
    while True:
        b = x & 0x7f; x >>= 7
        if x: out += bytes([b | 0x80])
        else: return out + bytes([b])
def f(n, body): return v(n << 3 | 2) + v(len(body)) + body
def u(n, x): return v(n << 3) + v(x)
strs = b"".join(f(6, s) for s in [b"", b"samples", b"count", b"main"])
st = f(1, u(1, 1) + u(2, 2))
fn = f(5, u(1, 1) + u(2, 3))
loc = f(4, u(1, 1) + f(4, u(1, 1)))
ok = st + f(2, f(1, v(1)) + f(2, v(5))) + loc + fn + strs
open(sys.argv[1] + "/ok.pb.gz", "wb").write(gzip.compress(ok))
open(sys.argv[1] + "/badloc.pb.gz", "wb").write(gzip.compress(st + f(2, f(1, v(9)) + f(2, v(5))) + loc + fn + strs))
open(sys.argv[1] + "/badstr.pb.gz", "wb").write(gzip.compress(st + f(2, f(1, v(1)) + f(2, v(5))) + loc + f(5, u(1, 1) + u(2, 40)) + strs))
PY
ft report "$D/ok.pb.gz"
expect_status 0
grep -Eq '100.0%  100.0% +5 +5  main' "$FT_TMP/out" || { ft_dump; fail "the hand-made profile"; }
ft report "$D/badloc.pb.gz"
expect_error "undefined location" "sample 1: location id 9 is not defined$"
ft convert "$D/badstr.pb.gz" "$D/out.folded"
expect_error "string index out of range" "function 1: string index out of range$"
[ ! -e "$D/out.folded" ] || fail "a failed convert left a file"

# --- outputs that cannot be written -------------------------------------------
for fmt in folded pprof speedscope svg; do
	ft convert --format $fmt "$F" /dev/full
	expect_error "$fmt to /dev/full" "^flametop: cannot write '/dev/full': No space left on device$"
done
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir "$D/ro"
	for out in p.pb.gz p.svg p.speedscope.json p.folded; do
		st=0
		unshare -m sh -c 'mount -t tmpfs -o ro flametop-test "$1" && exec "$2" convert "$3" "$1/$4"' \
			sh "$D/ro" "$FLAMETOP_BIN" "$F" "$out" >"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
		expect_error "$out in a read-only directory" "^flametop: cannot write '.*/ro/$out': Read-only file system$"
	done
	# a full disk: nothing is left under the final name, nor a temporary file
	mkdir "$D/full"
	st=0
	unshare -m sh -c 'mount -t tmpfs -o size=8k flametop-test "$1" && head -c 6000 /dev/zero >"$1/pad" &&
		"$2" convert "$3" "$1/p.svg"; s=$?; ls -A "$1" >"$4"; exit $s' \
		sh "$D/full" "$FLAMETOP_BIN" "$F" "$D/left" >"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
	expect_error "a full disk" "No space left on device$"
	[ "$(cat "$D/left")" = pad ] || fail "a full disk left: $(cat "$D/left")"
else
	note "not root: the read-only and full file systems are not tested"
fi
exit 0
