# tests/ui-coros.sh - the coroutine table of `flametop run` on the bundled
# pipeline (three ucontext coroutines, work 1:3:1): Tab reaches it, it
# lists the three stages with their states, the transformer first with
# about 60% of the samples; Enter shows only that coroutine's samples
# (the header says so), and the "all" row shows every sample again.
# run --group coroutine --label stage=transformer splits the root and
# filters, and the header says so.  The waiting view shows 1,000 parked
# coroutines as one tower ending in the function they wait in.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
PIPE="$top_builddir/examples/flametop-pipeline"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$PIPE' 120 1 3 1"
ui_expect '^ pid [0-9]+ .*\| running \|' 15 "the pipeline did not start"
ui_expect 'stage_main|burn|transform' 15 "no samples of the pipeline"
# flame graph, top table, coroutine table
ui_keys Tab Tab
ui_expect 'ID +NAME +STATE +TID +SHARE +IN STATE +REASON' 10 "Tab Tab did not reach the coroutine table"
ui_expect '^\* all +coroutines +3 coroutines' 5 "the table lacks its all row"
for stage in producer transformer consumer; do
	ui_expect "^  [0-9]+ +$stage +(running|runnable|parked) +[0-9]+ +[0-9.]+%" 5 "no row for $stage"
done
# sorted by share: the transformer (3 of 5 parts of the work) first
sleep 2
ui_line 4 | grep -Eq '^  [0-9]+ +transformer ' || { ui_screen >&2; fail "the transformer is not first by share"; }
share=$(ui_line 4 | sed -n 's/.* \([0-9][0-9]*\)\.[0-9]% .*/\1/p')
[ -n "$share" ] && [ "$share" -ge 45 ] && [ "$share" -le 75 ] ||
	{ ui_screen >&2; fail "transformer share '$share'% (want about 60)"; }
id=$(ui_line 4 | awk '{ print $1 }')
# Enter on it: the graph of its samples only, the header says which
ui_keys Down Enter
ui_expect "showing coroutine $id transformer" 5 "Enter did not show the coroutine"
ui_expect "^ pid .*\\| coro $id \\|" 5 "the header does not show the coroutine filter"
ui_expect '100\.00% of all' 5 "no graph after Enter"
# back to the table, the all row: every sample again
ui_keys Tab Tab
ui_expect "^\\* +$id +transformer " 5 "the shown coroutine is not marked"
ui_keys g Enter
ui_expect 'showing every coroutine' 5 "the all row did not clear the filter"
ui_line 1 | grep -q '| coro ' && fail "the header still shows a coroutine filter"
# / filters the table
ui_keys Tab Tab / c o n s Enter
ui_expect '1 of 3 coroutines matching /cons/' 5 "the filter did not narrow the table"
ui_keys q
ui_quit_ok

# --group and --label: the graph's root split by coroutine, only the
# transformer's samples, and the header says both
ui_cmd "clear; '$FLAMETOP_BIN' run -F 199 --group coroutine --label stage=transformer -- '$PIPE' 120 1 3 1"
ui_expect '^ pid .*\| by coroutine stage=transformer \|' 15 "the header lacks the grouping and filter"
ui_expect '\[coro [0-9]+ transformer\]' 15 "the root is not split by coroutine"
sleep 1
ui_screen | grep -q '\[coro [0-9]* \[unknown' &&
	{ ui_screen >&2; fail "a coroutine is named after an unresolved entry"; }
ui_screen | grep -Eq '\[coro [0-9]+ (producer|consumer)\]' &&
	{ ui_screen >&2; fail "--label stage=transformer shows other stages"; }
ui_keys q
ui_quit_ok

# where they wait: 1,000 coroutines parked in coro_body -> park_here are
# one tower of 1,000 in the waiting view (after the graph, the table and
# the coroutine table)
FLAMETOP=1 LD_PRELOAD="$FT_LIB" "$top_builddir/tests/wl-coro-park" park 1000 60 >"$FT_TMP/wl.out" &
pid=$!
bg_pid $pid
wait_ready "$FT_TMP/wl.out"
ui_cmd "clear; '$FLAMETOP_BIN' attach $pid"
ui_expect "^ pid $pid " 10 "attach did not start"
ui_keys Tab Tab Tab
ui_expect '1000 parked coroutines, by where they wait' 10 "the waiting view did not show"
ui_expect '^park_here' 5 "the tower does not reach park_here"
i=0
while [ $i -lt 8 ] && ! ui_screen | grep -q '^ park_here | 1000 of 1000 parked'; do
	ui_keys j
	sleep 0.3
	i=$((i + 1))
done
ui_expect '^ park_here \| 1000 of 1000 parked coroutines wait here' 5 "park_here does not hold the 1000"
ui_keys q
ui_quit_ok
exit 0
