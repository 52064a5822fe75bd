# tests/ui-shapes.sh - the shapes' findings in the viewer, on a workload of
# known shape (wl-shapes: plateau is half the CPU in its own loop, solve
# recurses 28 levels for about 2.5%): the graph marks plateau as a wide
# peak and solve as a spike, the findings panel lists both with their
# evidence, and Enter zooms the graph to the spike, whose status line
# explains it.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/wl-shapes"
[ -x "$WL" ] || skip "$WL not built"

ui_start
ui_cmd "'$FLAMETOP_BIN' run -F 499 -- '$WL' 40"
ui_expect '^ pid [0-9]+ ' 15 "the workload did not start"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid"
# the marks: ~ before the wide peak's name, ^ before the spike's
ui_expect '^~plateau ' 20 "plateau is not marked as a wide peak"
ui_expect ' \^s' 20 "solve is not marked as a spike"
# (no other frame is a finding: the panel below lists exactly two)

# the panel: two findings, heaviest first, with their evidence
ui_keys Tab Tab
ui_expect '^ 2 findings: ~ wide peak' 10 "Tab Tab is not the findings panel with two findings"
ui_expect '^ ~ wide-peak +[3-6][0-9]\.[0-9]{2}% +1 deep +plateau$' 5 "the panel lacks the wide peak"
ui_expect '^     wide peak: plateau takes [3-6][0-9]\.[0-9]% of the total, all of it in plateau itself' 5
ui_expect '^ \^ spike +[0-9]\.[0-9]{2}% +29 deep +solve$' 5 "the panel lacks the spike"
ui_expect '^     spike: a tower 29 frames deep from solve with [0-9.]+% of the total; recursion: recurse appears 28 times on it' 5
[ "$(ui_screen | grep -n '^ ~ wide-peak' | cut -d: -f1)" -lt "$(ui_screen | grep -n '^ ^ spike' | cut -d: -f1)" ] ||
	fail "the findings are not sorted heaviest first"

# e edits the thresholds: a 60% floor leaves plateau out; a bad value is
# refused with its reason and changes nothing
ui_keys e
ui_expect '^thresholds: wide-share=30 wide-depth=3 spike-depth=10 spike-share=5' 5 "e did not open the thresholds"
ui_keys -l ' wide-share=60'
ui_keys Enter
ui_expect '^ 1 finding: ~ wide peak \(>= 60% wide' 5 "wide-share=60 did not take plateau out"
ui_screen | grep -q '^ ~ wide-peak' && { ui_screen >&2; fail "plateau still listed at 60%"; }
ui_keys e
ui_keys -l ' spike-depth=x'
ui_keys Enter
ui_expect "thresholds: bad spike-depth 'x'" 5 "a bad threshold was not refused"
ui_expect '^ 1 finding: ~ wide peak \(>= 60% wide, <= 3 deep\), \^ spike \(>= 10 deep' 5
ui_keys e
ui_keys -l ' wide-share=30'
ui_keys Enter
ui_expect '^ 2 findings: ' 5 "wide-share=30 did not bring plateau back"
ui_keys Up

# Enter on the spike: the graph, zoomed to solve, says why it is one
ui_keys Down Enter
ui_expect '^ solve \[wl-shapes\] \| [0-9]+ samples \| .*100\.00% of zoom \| spike: a tower 29 frames deep' 5 \
	"Enter did not zoom the graph to the spike"
ui_expect ' zoom: .*main > solve ' 5 "the zoom is not on solve"
ui_keys q
ui_quit_ok
exit 0
