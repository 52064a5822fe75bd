#!/bin/sh
# rec-lines.sh: wl-lines (built -O2 -g) spends 2/6 of its time in
# scramble(), always inlined into work(): the recording shows it as a
# frame of its own, "scramble (inlined)" above work, with its share.
# report --lines gives work's own time line by line: its first loop 3/4,
# its second 1/4, with the lines' text; without the source file, the
# line numbers alone.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

wl="$top_builddir/tests/wl-lines"
FT_TIMEOUT=120 # a loaded machine stretches the fixed work
ft record -F 499 --mode cpu -o "$FT_TMP/l.folded" -- "$wl" 1
expect_status 0
n=$(samples "$FT_TMP/l.folded")
[ "$n" -ge 150 ] || { ft_dump; fail "only $n samples"; }
expect_share "$FT_TMP/l.folded" "work" 90 100 "work"
expect_share "$FT_TMP/l.folded" "scramble \\(inlined\\)" 26 41 "scramble (inlined), 2/6 of the work"
# always above work, never a root or work's caller
bad=$(grep -c 'scramble (inlined)' "$FT_TMP/l.folded" | tr -d ' ')
good=$(grep -c ';work;scramble (inlined)' "$FT_TMP/l.folded" | tr -d ' ')
[ "$bad" -eq "$good" ] || fail "scramble (inlined) outside work: $bad stacks, $good under work"

# line L's range: from the line holding "START" to the one holding "END"
line_of() { grep -n -- "$1" "$top_srcdir/tests/wl-lines.c" | head -n 1 | cut -d: -f1; }
a0=$(line_of "/\* first loop \*/") a1=$(line_of "end of first loop")
b0=$(line_of "/\* second loop \*/") b1=$(line_of "end of second loop")
s0=$(line_of "scramble's loop \*/") s1=$(line_of "end of scramble's loop")
body=$((a0 + 1))

# lines_share JSON FUNC LO HI: the share (of FUNC's self) of its lines LO..HI
lines_share() {
	python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fs = [f for f in r["functions"] if f["name"] == sys.argv[2]]
assert len(fs) == 1, [f["name"] for f in r["functions"]]
lo, hi = int(sys.argv[3]), int(sys.argv[4])
print("%.1f" % sum(l["func_pct"] for l in fs[0]["lines"] if lo <= l["line"] <= hi))
PY
}

start_wl() {
	FLAMETOP=1 FLAMETOP_FREQ=499 LD_PRELOAD="$FT_LIB" "$1" 1000 >"$FT_TMP/wl.out" &
	pid=$!
	bg_pid "$pid"
	wait_ready "$FT_TMP/wl.out"
	wait_for_file "/dev/shm/flametop.$pid" 10 || fail "the runtime made no segment for $pid"
}

start_wl "$wl"
ft report --lines work --json -d 3 -p "$pid"
expect_status 0
cp "$FT_TMP/out" "$FT_TMP/work.json"
python3 - "$FT_TMP/work.json" "$body" <<'PY' || { ft_dump; fail "report --lines work --json"; }
import json, sys
r = json.load(open(sys.argv[1]))
f = r["functions"][0]
assert f["name"] == "work" and f["module"].endswith("wl-lines"), f
assert f["samples"] >= 100, f
for l in f["lines"]:
    assert l["file"].endswith("/tests/wl-lines.c") and l["file"].startswith("/"), l
body = [l for l in f["lines"] if l["line"] == int(sys.argv[2])]
assert body and "x ^= x << 13" in body[0]["text"], body
assert abs(sum(l["func_pct"] for l in f["lines"]) - 100) < 0.5, f["lines"]
PY
sa=$(lines_share "$FT_TMP/work.json" work "$a0" "$a1")
sb=$(lines_share "$FT_TMP/work.json" work "$b0" "$b1")
note "work's first loop (lines $a0-$a1): $sa%, second loop (lines $b0-$b1): $sb%"
in_range "$sa" 65 85 || { cat "$FT_TMP/work.json" >&2; fail "first loop has $sa% of work's own time (want 75 +- 10)"; }
in_range "$sb" 15 35 || { cat "$FT_TMP/work.json" >&2; fail "second loop has $sb% of work's own time (want 25 +- 10)"; }

# the inlined function's lines are its own body's
ft report --lines scramble --json -d 1 -p "$pid"
expect_status 0
ss=$(lines_share "$FT_TMP/out" "scramble (inlined)" "$s0" "$s1")
in_range "$ss" 95 100 || { ft_dump; fail "scramble's lines hold $ss% of its time"; }

# the text table: a header, the loop's lines with their text
ft report --lines work -d 1 -p "$pid"
expect_status 0
grep -q '^work \[wl-lines\]: self ' "$FT_TMP/out" || { ft_dump; fail "report --lines: no header"; }
grep -Eq "^ +$body +[0-9.]+% +[0-9.]+% +[0-9]+ +x \^= x << 13" "$FT_TMP/out" ||
	{ ft_dump; fail "report --lines: line $body without its text"; }
ft report --lines no_such_function -d 1 -p "$pid"
expect_error "report --lines of a function not in the profile" "no function 'no_such_function'"
kill "$pid"

# a file keeps no lines: said, not guessed
ft report --lines work "$FT_TMP/l.folded"
expect_error "report --lines FILE" "keep no source lines"

# the source file gone: line numbers, no text, and why
need_cmd cc
mkdir "$FT_TMP/src"
cp "$top_srcdir/tests/wl-lines.c" "$FT_TMP/src/"
(cd "$FT_TMP/src" && cc -O2 -g -I"$top_builddir" -o "$FT_TMP/wl-moved" wl-lines.c) ||
	fail "cannot build a copy of wl-lines"
rm -r "$FT_TMP/src"
start_wl "$FT_TMP/wl-moved"
ft report --lines work -d 2 -p "$pid"
expect_status 0
grep -q "source not readable: No such file or directory" "$FT_TMP/out" ||
	{ ft_dump; fail "report --lines: a missing source is not said"; }
grep -Eq "^ +$body +[0-9.]+% +[0-9.]+% +[0-9]+ *\$" "$FT_TMP/out" ||
	{ ft_dump; fail "report --lines: line $body missing without its source"; }
ft report --lines work --json -d 1 -p "$pid"
expect_status 0
python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["functions"][0]
assert f["lines"] and all(l["text"] is None and l["line"] > 0 for l in f["lines"]), f' "$FT_TMP/out" ||
	{ ft_dump; fail "report --lines --json: text without a source"; }
kill "$pid"
exit 0
