#!/bin/sh
# coro-parked.sh: 1,000 ucontext coroutines parked in park_here.  coros
# --json shows every one parked with its stack (coro_body -> park_here,
# root first, the runtime's frames left out); --folded weighs the one
# parked stack by 1,000.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3

FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-coro-park" park 1000 20 >"$FT_TMP/wl.out" &
pid=$!
bg_pid $pid
wait_ready "$FT_TMP/wl.out"
ft coros --json -p "$pid"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "the parked stacks are not all there"; }
import json, sys
d = json.load(open(sys.argv[1]))
c = d["coroutines"]
assert len(c) == 1000, len(c)
for x in c:
    assert x["state"] == "parked", x
    assert x["name"] == "coro_body", x["name"]
    s = x["stack"]
    assert s[-1] == "park_here" and s[-2] == "coro_body", s
    assert not any("swapcontext" in f for f in s), s
PY
note "ok: 1000 coroutines parked in coro_body -> park_here"
ft coros --folded -p "$pid"
expect_status 0
grep -Eq '(^|;)coro_body;park_here 1000$' "$FT_TMP/out" || { ft_dump; fail "--folded: no park_here line weighing 1000"; }
ft coros -p "$pid"
expect_status 0
[ "$(grep -c '^coro [0-9]* "coro_body" parked' "$FT_TMP/out")" -eq 1000 ] || { ft_dump; fail "text: not 1000 parked coroutines"; }
exit 0
