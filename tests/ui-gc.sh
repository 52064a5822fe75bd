# tests/ui-gc.sh - the GC timeline in the viewer, on the libgc pipeline
# example: the header and the strip count exactly the collections libgc
# made (its own GC_get_gc_no, printed at exit), [ selects the newest
# collection whose trigger stack names the boxing function, T zooms the
# graph to it, the full view (Tab) lists the collections and the selected
# one's trigger stack, the strip follows the time window (w), and a
# program that never collects has no strip.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
PIPE="$top_builddir/examples/flametop-gc-pipeline"
[ -x "$PIPE" ] || skip "flametop-gc-pipeline not built (libgc-dev missing)"
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

ui_start
# a run long enough to be sampled inside the boxing pipeline
# (one allocation sampled per 16 KiB: tens between two collections)
ui_cmd "FLAMETOP_ALLOC_RATE=16384 '$FLAMETOP_BIN' run -- '$PIPE' --rounds 30 --pause 20"
ui_expect '^ pid [0-9]+ ' 15 "the pipeline did not start"
ui_expect '^ GC [0-9]+ in window \| [0-9.]+/s \| paused [0-9.]+% \| collecting [0-9.]+%' 15 \
	"no GC strip while the pipeline collects"
ui_expect '^heap  ' 5 "the strip has no heap line"
ui_expect '^pause .*[▁▂▃▄▅▆▇█]' 5 "the strip has no pause marks"
ui_expect 'exited \(status 0\)' 60 "the pipeline did not end"

# what libgc counted is what the header and the strip show (window: all)
# (its last line, in the output pane, its terminal)
ui_keys o
ui_expect '^array done: .* gc_no [0-9]+$' 5 "the pipeline's last line is not in the output pane"
want=$(ui_screen | sed -n 's/^array done: .* gc_no \([0-9]*\)$/\1/p')
ui_keys o
ui_wait_gone '^array done: ' 5 || fail "o did not hide the pane"
[ "${want:-0}" -ge 20 ] || fail "the pipeline collected only '$want' times"
ui_expect "\\| GC $want, [0-9.]+% paused \\|" 5 "the header does not count libgc's $want collections"
ui_expect "^ GC $want in window \\|" 5 "the strip does not count libgc's $want collections"
ui_line 1 | grep -q '| window all |' || fail "not the whole run in the window"

# [ selects the newest: libgc's last number, its gctrace line, its trigger
ui_keys '['
ui_expect "^ gc $want @[0-9]+\\.[0-9]{3}s: [0-9.]+ ms pause, [0-9.+]+ ms mark\\+reclaim, " 5 \
	"[ did not select the newest collection (gc $want)"
ui_expect '^ trigger \(under [0-9]+ frames of libgc[^)]*\): box_element < (stage_[a-z]+ < )?pipeline < pipeline_thread < main' 5 \
	"the trigger stack does not name the boxing function"
ui_keys '[' '['
ui_expect "^ gc $((want - 2)) @" 5 "[ [ did not go two collections back"
ui_keys ']'
ui_expect "^ gc $((want - 1)) @" 5 "] did not go one forward"

# T: the graph zoomed to the function that called the collector
ui_keys T
ui_expect "gc $((want - 1)) was triggered under box_element" 5 "T did not zoom to the trigger stack"
ui_expect '^ box_element \[flametop-gc-pipeline\] \| [0-9]+ samples \| .*100\.00% of zoom' 5 \
	"the zoom is not on the allocating function"
ui_keys r

# the full view: the collections as gctrace lines, the trigger stack
ui_keys BTab
ui_expect "^ $want collections seen, the last $want kept" 5 "Shift-Tab is not the GC timeline"
ui_expect "^ gc $((want - 1)): tid [0-9]+, alloc, started [0-9.]+s" 5 \
	"the full view does not show the selected collection"
ui_expect '^ trigger stack, innermost first:' 5
ui_expect '^   box_element  \[flametop-gc-pipeline\]' 5 "the full view's stack lacks box_element"
# who caused it: the bytes the thread counted and the samples' estimate
# since the previous collection, beside the collector's own count, all of
# them boxes
ui_expect "allocated since gc $((want - 2)): [0-9.]+ [KMG]?i?B counted, [0-9.]+ [KMG]?i?B sampled" 5 \
	"the full view does not say what was allocated since the previous collection"
ui_expect "  the collector counted [0-9.]+ [KMG]?i?B" 5 "no count of the collector's beside it"
ui_expect ' (9[0-9]|100)\.[0-9]%  +[0-9.]+ [KMG]?i?B  box_element$' 5 \
	"the allocations since the previous collection are not box_element's"
# ratio A B: A over B, each "NUMBER UNIT" as unit_format writes them
ratio() {
	echo "$1 $2" | awk 'function b(v, u) { return v * (u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1) }
		NF == 4 { printf "%.3f", b($1, $2) / b($3, $4) }'
}
cnt=$(ui_screen | sed -n 's/.*allocated since gc [0-9]*: \([0-9.]*\) \([KMG]*\)i*B counted.*/\1 \2/p')
est=$(ui_screen | sed -n 's/.*counted, \([0-9.]*\) \([KMG]*\)i*B sampled.*/\1 \2/p')
own=$(ui_screen | sed -n 's/.*  the collector counted \([0-9.]*\) \([KMG]*\)i*B.*/\1 \2/p')
r=$(ratio "$est" "$own")
in_range "${r:-0}" 0.5 1.5 || { ui_screen >&2; fail "sampled against the collector's count: ${r:-none}"; }
# the thread's own count is the collector's, but for libgc's rounding of
# sizes it does not see (the display rounds to 3 digits)
k=$(ratio "$cnt" "$own")
in_range "${k:-0}" 0.98 1.02 || { ui_screen >&2; fail "counted against the collector's count: ${k:-none}"; }
note "ok: who caused it: box_element, sampled/collector $r, counted/collector $k"
ui_keys Down
ui_expect "^ gc $want: tid" 5 "Down did not select the next collection"
ui_keys g
ui_expect "^ gc 1: tid" 5 "g did not select the oldest collection"
ui_keys Tab
ui_wait_gone 'collections seen' 5 || fail "Tab did not leave the GC timeline"

# the strip follows the window: 5 s after the end, no collection is in it
ui_keys w
ui_expect '\| window last 5s \|' 5
ui_expect '^ GC 0 in window \| 0\.00/s' 15 "the strip does not follow the 5 s window"
ui_line 1 | grep -q '| GC ' && fail "the header counts collections outside the window"
ui_keys q
ui_quit_ok

# guile, at the default sampling rate: its objects come in batches for
# its free lists, and one thread allocates them all, so what it counted
# between two collections is what the collector counted
if command -v guile >/dev/null 2>&1; then
	cat >"$FT_TMP/lists.scm" <<'EOS'
(define (build n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons (list i (* i 2)) acc)))))
(let rounds ((r 0))
  (when (< r 20) (build 100000) (rounds (+ r 1))))
EOS
	ui_cmd "clear; '$FLAMETOP_BIN' run -- guile --no-auto-compile '$FT_TMP/lists.scm'"
	ui_expect 'exited \(status 0\)' 60 "guile did not end"
	ui_keys BTab '['
	ui_expect "allocated since gc [0-9]+: [0-9.]+ [KMG]?i?B counted" 5 "guile: nothing counted"
	cnt=$(ui_screen | sed -n 's/.*allocated since gc [0-9]*: \([0-9.]*\) \([KMG]*\)i*B counted.*/\1 \2/p')
	own=$(ui_screen | sed -n 's/.*  the collector counted \([0-9.]*\) \([KMG]*\)i*B.*/\1 \2/p')
	k=$(ratio "$cnt" "$own")
	in_range "${k:-0}" 0.98 1.02 || { ui_screen >&2; fail "guile: counted against the collector's count: ${k:-none}"; }
	note "ok: guile: counted/collector $k"
	ui_keys q
	ui_quit_ok
else
	note "guile not installed: not checked"
fi

# a program that never collects: no strip, no GC in the header
ui_cmd "clear; '$FLAMETOP_BIN' run -- '$WL'"
ui_expect 'ui_wl_hot_spin' 15 "the workload did not show"
sleep 1
ui_screen | grep -Eq '^ GC [0-9]+ in window|\| GC [0-9]' && { ui_screen >&2; fail "a GC strip without collections"; }
ui_keys q
ui_quit_ok
exit 0
