#!/bin/sh
# ui-bursts.sh - the demo's periodic cache flush in the heatmap: its
# seconds marked M under the map, n selects one (the status line names
# flush_cache or compact_entries), Enter shows that range alone in the
# graph, where the flush takes most of the samples.
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
ui_keys q
ui_quit_ok
exit 0
