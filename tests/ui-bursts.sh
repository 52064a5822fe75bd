#!/bin/sh
# ui-bursts.sh - the demo's periodic cache flush in the heatmap: its
# seconds marked M under the map, n selects one (the status line names
# flush_cache or compact_entries), Enter shows that range alone in the
# graph, where the flush takes most of the samples; the findings panel
# lists it after the demo's plateau, and Enter on it shows its range.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
DEMO="$top_builddir/examples/flametop-demo"
[ -x "$DEMO" ] || skip "$DEMO not built"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -- '$DEMO'"
ui_expect 'handle_request' 15 "the demo did not show"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid"
sleep 7 # two flushes, the first after 3 s, with a baseline before
ui_keys BTab
ui_expect '^ a column a second, a row a tenth of it; .*; R/M: bursts' 10 "no burst in the heatmap"
ui_expect '^burst +M' 5 "no M under the map"
ui_keys n
ui_expect '^mix burst [0-9.]+-[0-9.]+s, [0-9.]+x its usual share: (flush_cache|compact_entries) ' 5 \
	"n did not select the flush"
from=$(ui_screen | sed -n 's/^mix burst \([0-9.]*\)-\([0-9.]*\)s, .*/\1/p')
to=$(ui_screen | sed -n 's/^mix burst \([0-9.]*\)-\([0-9.]*\)s, .*/\2/p')
ui_keys Enter
ui_expect "\\| range $from-${to}s \\|" 5 "the header does not show the burst's range"
# in the graph of the burst alone, the flush holds most samples
ui_keys / ; ui_keys -l '^compact_entries$' ; ui_keys Enter
ui_expect ' search /\^compact_entries\$/: [0-9.]+% of all' 5 "the search did not run"
share=$(ui_screen | sed -n 's|.* search /^compact_entries\$/: \([0-9.]*\)% of all.*|\1|p' | head -1)
note "burst $from-$to s: compact_entries ${share}% of its graph"
python3 -c "import sys; sys.exit(not $share >= 50)" ||
	{ ui_screen >&2; fail "compact_entries holds only $share% of the burst's graph"; }
# the findings panel (the view before the heatmap) lists the flush too,
# after the shapes of the whole graph again; Enter on it shows its range
ui_keys BTab Escape
ui_expect 'the graph shows the time window again' 5
ui_keys BTab
ui_expect '^ [0-9]+ findings?: ~ wide peak' 5 "Tab Tab is not the findings panel"
ui_expect '^ M mix +[0-9.]+-[0-9.]+s +(flush_cache|compact_entries)' 5 "no burst in the findings panel"
ui_expect '^ ~ wide-peak .* handle_request' 5 "the demo's plateau is not a finding"
row=$(ui_screen | grep -n '^ M mix' | head -1 | cut -d: -f1)
first=$(ui_screen | grep -n '^ [~^] ' | head -1 | cut -d: -f1)
for _i in $(seq $(((row - first) / 2))); do ui_keys Down; done
ui_keys Enter
ui_expect 'the graph shows the burst [0-9.]+-[0-9.]+s only' 5 "Enter on the burst did not show its range"
ui_keys q
ui_quit_ok
exit 0
