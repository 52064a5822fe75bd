#!/bin/sh
# coro-many.sh: 100,000 short-lived ucontext coroutines, then 100,000
# coroutines alive at once: all are counted, the table holds the living
# ones (none refused), and they leave the table when they exit.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3
FT_TIMEOUT=60

FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-coro-park" many 100000 20 >"$FT_TMP/wl.out" &
pid=$!
bg_pid $pid
wait_ready "$FT_TMP/wl.out"
ft coros --json -p "$pid"
expect_status 0
python3 - "$FT_TMP/out" <<'PY' || { ft_dump; fail "the table is not what the program did"; }
import json, sys
d = json.load(open(sys.argv[1]))
c = d["coroutines"]
assert len(c) == 100000, len(c)
assert all(x["name"] == "held" for x in c)
assert len({x["id"] for x in c}) == 100000
assert d["created"] == 200000, d["created"]
assert d["exited"] == 100000, d["exited"]
assert d["table_full"] == 0 and d["misuse"] == 0, d
PY
note "ok: 200000 created, 100000 alive in the table"
exit 0
