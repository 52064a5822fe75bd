#!/bin/sh
# ui-trend.sh - the in-use trend of the selected frame: flametop-leak keeps
# every session open_session allocates, so its status line shows in-use
# bytes growing second by second (a sparkline ending at its highest);
# the graph's other frames free what they allocate.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
LEAK="$top_builddir/examples/flametop-leak"
[ -x "$LEAK" ] || skip "$LEAK not built"

ui_start
ui_cmd "FLAMETOP_ALLOC_RATE=16K '$FLAMETOP_BIN' run -- '$LEAK' 60"
ui_expect 'handle' 15 "the leak example did not show"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid"
sleep 6
ui_keys / ; ui_keys -l '^open_session$' ; ui_keys Enter
ui_expect '^ open_session \[flametop-leak\] \| .* \| in use \+[0-9.]+ [KMG]?i?B over [0-9]+ s [▁▂▃▄▅▆▇█]{12}' 10 \
	"open_session's status line has no growing in-use trend"
ui_screen | grep -Eq '^ open_session .*[▁▂▃▄▅▆▇█]{11}█' ||
	{ ui_screen >&2; fail "the trend does not end at its highest"; }
note "$(ui_screen | grep -o 'in use +.*' | head -1)"
ui_keys q
ui_quit_ok
exit 0
