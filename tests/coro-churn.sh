#!/bin/sh
# coro-churn.sh: coroutines that park, exit and unmap their stacks in a
# tight loop while flametop reads their table and their parked stacks
# again and again: neither the target nor flametop crashes (the CI runs
# this under ASan too), and parked stacks were read meanwhile.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd python3

FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-coro-park" churn 6 >"$FT_TMP/wl.out" &
pid=$!
bg_pid $pid
wait_ready "$FT_TMP/wl.out"
n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 40 ]; do
	ft coros --json -p "$pid"
	case "$st" in
	0) cp "$FT_TMP/out" "$FT_TMP/last.json" ;;
	1) grep -Eq 'no flametop segment|no process|exited' "$FT_TMP/err" || { ft_dump; fail "coros failed"; } ;;
	*) ft_dump; fail "coros exited with $st" ;;
	esac
	n=$((n + 1))
done
ft record -p "$pid" -d 1 --group coroutine -o "$FT_TMP/c.folded"
[ "$st" -le 1 ] || { ft_dump; fail "record exited with $st"; }
wait $pid || fail "the churning target failed (status $?)"
grep -q '^churned [1-9]' "$FT_TMP/wl.out" || fail "the target did not churn"
[ -f "$FT_TMP/last.json" ] || fail "coros never read the table"
python3 - "$FT_TMP/last.json" <<'PY' || fail "no parked stack was read"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stacks_taken"] > 0, d
PY
note "ok: $n reads while $(cat "$FT_TMP/wl.out" | tail -1)"
exit 0
