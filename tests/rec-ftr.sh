#!/bin/sh
# rec-ftr.sh: recordings (.ftr).  wl-shapes spends half its time in
# plateau: a recording of it reports that share, the same shares by count
# as its folded conversion, and as a folded recording of the workload;
# a record killed with SIGKILL leaves FILE.partial, which report reads up
# to its last block with a truncation notice; corrupt, foreign, empty and
# other-version files give one clear line and a non-zero exit.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

WL="$top_builddir/tests/wl-shapes"

# json_share FILE FUNC: FUNC's self_pct in report --json output FILE
json_share() {
	python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(next((f["self_pct"] for f in doc["functions"] if f["name"] == sys.argv[2]), 0))' "$1" "$2"
}

ft record -F 999 -o "$FT_TMP/shapes.ftr" -- "$WL"
expect_status 0
grep -q "written to $FT_TMP/shapes.ftr\$" "$FT_TMP/err" || { ft_dump; fail "summary does not name the recording"; }
[ -e "$FT_TMP/shapes.ftr.partial" ] && fail "the .partial file is left after a complete recording"
head -c 4 "$FT_TMP/shapes.ftr" | od -An -c | grep -q '177   F   T   R' || fail "no FTR magic"

# the truth: plateau is half the time, by weight and by count
ft report --json --top 0 "$FT_TMP/shapes.ftr"
expect_status 0
cp "$FT_TMP/out" "$FT_TMP/ftr.json"
grep -q '"weight":"cpu","unit":"ns"' "$FT_TMP/ftr.json" || { ft_dump; fail "a recording's measure is cpu time in ns"; }
p=$(json_share "$FT_TMP/ftr.json" plateau)
in_range "$p" 40 60 || { ft_dump; fail "plateau: $p% of the time in the recording (want 40-60)"; }
note "ok: plateau $p% of the recording's cpu time"

# the recording converted to folded stacks: the same shares by count,
# function by function
ft convert "$FT_TMP/shapes.ftr" "$FT_TMP/conv.folded"
expect_status 0
n=$(samples "$FT_TMP/conv.folded")
[ "$n" -ge 300 ] || fail "only $n samples in the recording"
ft report --json --count --top 0 "$FT_TMP/shapes.ftr"
expect_status 0
cp "$FT_TMP/out" "$FT_TMP/ftr-count.json"
ft report --json --top 0 "$FT_TMP/conv.folded"
expect_status 0
python3 - "$FT_TMP/ftr-count.json" "$FT_TMP/out" <<'PY' || fail "a recording and its folded stacks disagree"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
# folded stacks keep names, not modules
fa = {f["name"]: (f["self"], f["total"]) for f in a["functions"]}
fb = {f["name"]: (f["self"], f["total"]) for f in b["functions"]}
assert a["total"] == b["total"], (a["total"], b["total"])
assert fa == fb, set(fa.items()) ^ set(fb.items())
PY
note "ok: the recording and its folded stacks: $n samples, the same counts"
# ... and to pprof: the same time, function by function, and a thread
# label on the samples (the recording's contexts)
ft convert "$FT_TMP/shapes.ftr" "$FT_TMP/conv.pb.gz"
expect_status 0
ft report --json --top 0 "$FT_TMP/conv.pb.gz"
expect_status 0
python3 - "$FT_TMP/ftr.json" "$FT_TMP/out" <<'PY' || fail "a recording and its pprof disagree"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
fa = {f["name"]: (f["self"], f["total"]) for f in a["functions"]}
fb = {f["name"]: (f["self"], f["total"]) for f in b["functions"]}
assert a["total"] == b["total"], (a["total"], b["total"])
assert fa == fb, set(fa.items()) ^ set(fb.items())
PY
gzip -dc "$FT_TMP/conv.pb.gz" | grep -aq thread_name || fail "the pprof of a recording has no thread labels"
note "ok: the recording and its pprof: the same time, thread labels"

# a folded recording of the same workload: the same shape
ft record -F 999 -o "$FT_TMP/shapes.folded" -- "$WL"
expect_status 0
expect_share "$FT_TMP/shapes.folded" plateau 40 60 "plateau in folded stacks"
f=$(share "$FT_TMP/shapes.folded" plateau)
awk -v a="$p" -v b="$f" 'BEGIN { d = a - b; exit !(d < 8 && d > -8) }' ||
	fail "plateau: $p% in the recording, $f% in folded stacks"

# SIGKILL after 1.5 s: FILE.partial stays, readable up to its last block
cd "$FT_TMP" || exit 1
"$FLAMETOP_BIN" record -F 999 -o killed.ftr -- "$WL" >/dev/null 2>&1 &
rec=$!
bg_pid "$rec"
sleep 1.5
# a loaded machine may take longer to start the target: the kill comes
# once a block of samples is out (the header's block is ~100 bytes)
i=0
while [ "$(stat -c %s "$FT_TMP/killed.ftr.partial" 2>/dev/null || echo 0)" -lt 400 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
child=$(cat "/proc/$rec/task/$rec/children" 2>/dev/null)
kill -9 "$rec"
wait "$rec" 2>/dev/null
for c in $child; do
	bg_pid "$c"
	kill -9 "$c" 2>/dev/null
done
cd "$top_builddir" || exit 1
[ -e "$FT_TMP/killed.ftr" ] && fail "a killed record left its final name"
[ -s "$FT_TMP/killed.ftr.partial" ] || fail "a killed record left no .partial file"
ft report --json "$FT_TMP/killed.ftr.partial"
expect_status 0
grep -Eq "^flametop: warning: '.*killed.ftr.partial': truncated after [0-9]+ blocks?: " "$FT_TMP/err" ||
	{ ft_dump; fail "no truncation notice"; }
[ "$(wc -l <"$FT_TMP/err")" -eq 1 ] || { ft_dump; fail "more than the notice on stderr"; }
k=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$FT_TMP/out")
[ "$k" -gt 0 ] || { ft_dump; fail "nothing read from the killed recording"; }
kp=$(json_share "$FT_TMP/out" plateau)
note "ok: killed after 1.5 s: $(cat "$FT_TMP/err" | sed 's/.*: truncated/truncated/'), plateau $kp%"
in_range "$kp" 30 70 || fail "plateau $kp% in the killed recording"

# bad files: one line, non-zero
printf '' >"$FT_TMP/empty.ftr"
ft report "$FT_TMP/empty.ftr"
expect_error "empty .ftr" "cannot read '.*empty.ftr': not a flametop recording"
printf 'FTR1\001\000\000\000' >"$FT_TMP/magic.ftr"
ft report "$FT_TMP/magic.ftr"
expect_error "wrong magic" "not a flametop recording"
{ printf '\177FTR\002\000\000\000'; tail -c +9 "$FT_TMP/shapes.ftr"; } >"$FT_TMP/v2.ftr"
ft view "$FT_TMP/v2.ftr"
expect_error "version 2" "recording format version 2 \(this flametop reads 1\)"
# a byte flipped in the first block (the header's): nothing to read
python3 - "$FT_TMP/shapes.ftr" "$FT_TMP/corrupt.ftr" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[24] ^= 0x55
open(sys.argv[2], "wb").write(b)
PY
ft report "$FT_TMP/corrupt.ftr"
expect_error "corrupt header block" "no readable header: block 1 fails its CRC check"
ft convert "$FT_TMP/corrupt.ftr" "$FT_TMP/x.folded"
expect_error "convert of a corrupt recording" "no readable header"
[ -e "$FT_TMP/x.folded" ] && fail "convert left a file"
# a recording is written by record only
ft convert "$FT_TMP/shapes.ftr" "$FT_TMP/again.ftr"
expect_error "convert to ftr" "written by 'flametop record' only"
# an in-use weight cannot be streamed
ft record --weight inuse-bytes -o "$FT_TMP/inuse.ftr" -- "$WL"
expect_error "--weight inuse-bytes to a recording" "in use is known only at the end"
exit 0
