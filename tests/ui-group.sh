#!/bin/sh
# ui-group.sh - p groups a running target's samples from the viewer, as
# run --group and --label do at the start: the pipeline's graph split by
# coroutine, then only the transformer's samples, the header saying so;
# a bad spec is refused and changes nothing; an empty one ends grouping.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
PIPE="$top_builddir/examples/flametop-pipeline"
[ -x "$PIPE" ] || skip "$PIPE not built"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$PIPE' 120 1 3 1"
ui_expect 'stage_main|burn|transform' 15 "no samples of the pipeline"
ui_keys p
ui_expect '^group: _' 5 "p did not open the group line"
ui_keys -l 'coroutine'
ui_keys Enter
ui_expect 'grouping: by coroutine: the profile starts over' 5 "p coroutine was not taken"
ui_expect '^ pid .*\| by coroutine \|' 5 "the header lacks the grouping"
ui_expect '\[coro [0-9]+ transformer\]' 15 "the root is not split by coroutine"
ui_expect '\[coro [0-9]+ (producer|consumer)\]' 5 "the other stages are missing"

# a filter added to the grouping: only the transformer's samples
ui_keys p
ui_expect '^group: coroutine_' 5 "the group line does not start from what is in force"
ui_keys -l ' stage=transformer'
ui_keys Enter
ui_expect '^ pid .*\| by coroutine stage=transformer \|' 5 "the header lacks the filter"
ui_expect '\[coro [0-9]+ transformer\]' 15
sleep 1
ui_screen | grep -Eq '\[coro [0-9]+ (producer|consumer)\]' &&
	{ ui_screen >&2; fail "the filter let other stages through"; }

# a bad spec: refused, nothing changes
ui_keys p
ui_keys -l ' bogus'
ui_keys Enter
ui_expect "group: 'bogus': give the groupings as one list" 5 "a second grouping word was not refused"
ui_expect '^ pid .*\| by coroutine stage=transformer \|' 5
ui_keys p Escape
# an empty line: neither
ui_keys p
spec='coroutine stage=transformer'
for _i in $(seq ${#spec}); do ui_keys BSpace; done
ui_expect '^group: _' 5 "Backspace did not empty the group line"
ui_keys Enter
ui_expect 'grouping: none: the profile starts over' 5 "an empty line did not end the grouping"
ui_keys q
ui_quit_ok
exit 0
