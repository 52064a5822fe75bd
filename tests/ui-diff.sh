# tests/ui-diff.sh - differential flame graphs in tmux: `flametop diff A B`
# of two folded files whose shares are known (decode moves from 20% to
# 40% of the total, parse from 40% to 20%, old is only in A, new only in
# B, same keeps its share while B is twice as long): the status line's
# shares and change, the frames only in A, the top table sorted by
# change, the '+'/'-' marks without colours; two recordings of wl-move
# before and after it moves 20% of its time (the moved functions' status
# lines say about -20 and +20 points); the live baseline key B
# on a running workload (the header says when it was taken, B drops it),
# and B in the heatmap (a past second against the rest of the time kept).
# Bad input first: one line, no screen.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
WL="$top_builddir/tests/ui-wl"
[ -x "$WL" ] || skip "$WL not built"

A="$FT_TMP/before.folded"
B="$FT_TMP/after.folded"
printf 'main;work;decode 200\nmain;work;parse 400\nmain;old 300\nmain;same 100\n' >"$A"
printf 'main;work;decode 800\nmain;work;parse 400\nmain;new 600\nmain;same 200\n' >"$B"

# --- bad input: one line, exit 1 (a file) or 2 (usage), the terminal untouched
ft diff "$A"
expect_error "diff with one file" "^flametop: diff: needs two files"
[ "$st" = 2 ] || fail "diff with one file: status $st, want 2"
ft diff "$A" "$B" "$B"
expect_error "diff with three files" "unexpected argument"
[ "$st" = 2 ] || fail "diff with three files: status $st, want 2"
ft diff "$A" "$FT_TMP/missing.folded"
expect_error "diff with B missing" "^flametop: cannot read '$FT_TMP/missing.folded': No such file"
[ "$st" = 1 ] || fail "diff with B missing: status $st, want 1"
printf 'main;a 3\nmain;b three\n' >"$FT_TMP/bad.folded"
ft diff "$FT_TMP/bad.folded" "$B"
expect_error "diff with A corrupt" "^flametop: cannot read '$FT_TMP/bad.folded': .*line 2"
[ "$st" = 1 ] || fail "diff with A corrupt: status $st, want 1"
printf 'main;a 3\n' >"$FT_TMP/locked.folded"
chmod 000 "$FT_TMP/locked.folded"
if ! cat "$FT_TMP/locked.folded" >/dev/null 2>&1; then
	ft diff "$FT_TMP/locked.folded" "$B"
	expect_error "diff with A unreadable" "Permission denied"
	[ "$st" = 1 ] || fail "diff with A unreadable: status $st, want 1"
fi
printf '\037\213garbage' >"$FT_TMP/bad.pb.gz"
ft diff "$A" "$FT_TMP/bad.pb.gz"
expect_error "diff with a corrupt pprof" "^flametop: cannot read '$FT_TMP/bad.pb.gz'"

# --- diff A B
ui_start
ui_cmd "'$FLAMETOP_BIN' diff '$A' '$B'"
ui_expect '^ after\.folded \| 2000 samples \| static \| vs before\.folded' 10 \
	"the header does not name B and A"
ui_expect ' only in A: 1 frame, 30\.0% of A \|' 5 "the frame only in A is not counted"
# root, main, then work's children: decode and parse
ui_keys g j j l j
ui_expect '^ decode \| 800 samples \| 40\.0% of B, 20\.0% of A, \+20\.0 points \|' 5 \
	"decode's status line does not say +20 points"
ui_keys l
ui_expect '^ parse \| 400 samples \| 20\.0% of B, 40\.0% of A, -20\.0 points \|' 5 \
	"parse's status line does not say -20 points"
# same: twice the samples in a profile twice as long, no change
ui_keys g j j h
ui_expect '^ same \| 200 samples \| 10\.0% of B, 10\.0% of A, \+0\.0 points \(noise\)' 5 \
	"same's status line is not a change within noise"
# the table: sorted by the change of self, old (-30) and new (+30) first
ui_keys Tab
ui_expect 'SELF A  SELF B    \+/-\* TOTAL A TOTAL B    \+/-  FUNCTION' 5 "no differential table"
ui_line 3 | grep -Eq '^ +30\.0% +0\.0% +-30\.0 +30\.0% +0\.0% +-30\.0 +old$' ||
	{ ui_screen >&2; fail "the first row is not old, -30 points"; }
ui_line 4 | grep -Eq '^ +0\.0% +30\.0% +\+30\.0 .* new$' ||
	{ ui_screen >&2; fail "the second row is not new, +30 points"; }
ui_expect 'sorted by the change of self' 5
# B and Esc keep the comparison of files
ui_keys Escape B
ui_expect 'compared with A for good' 5 "B dropped the files' comparison"
ui_keys q
ui_quit_ok

# --- without colours: the changed boxes start with + or -
ui_cmd "NO_COLOR=1 '$FLAMETOP_BIN' diff '$A' '$B'"
ui_expect 'vs before\.folded' 10
ui_screen | grep -Eq '\+~?decode' || { ui_screen >&2; fail "no + on decode without colours"; }
ui_screen | grep -Eq '(^| |\|)-~?parse' || { ui_screen >&2; fail "no - on parse without colours"; }
ui_screen | grep -Eq '[+-]~?same' && { ui_screen >&2; fail "same is marked as a change"; }
ui_keys q
ui_quit_ok

# --- two recordings of wl-move, whose --validate-late moves 20% of the
# time from read_records to write_records: the search selects the moved
# function, whose status line says it lost about 20 points
MV="$top_builddir/tests/wl-move"
if [ -x "$MV" ]; then
	ft record -F 999 --mode cpu -o "$FT_TMP/mv-before.folded" -- "$MV"
	expect_status 0
	ft record -F 999 --mode cpu -o "$FT_TMP/mv-after.folded" -- "$MV" --validate-late
	expect_status 0
	ui_cmd "'$FLAMETOP_BIN' diff '$FT_TMP/mv-before.folded' '$FT_TMP/mv-after.folded'"
	ui_expect 'vs mv-before\.folded' 10
	ui_keys / ; ui_keys -l '^read_records$' ; ui_keys Enter
	ui_expect '^ read_records .*\| [0-9.]+% of B, [0-9.]+% of A, -(1[2-9]|2[0-8])\.[0-9] points \|' 5 \
		"read_records does not show its loss of about 20 points"
	ui_keys / ; ui_keys -l '^write_records$' ; ui_keys Enter
	ui_expect '^ write_records .*\| [0-9.]+% of B, [0-9.]+% of A, \+(1[2-9]|2[0-8])\.[0-9] points \|' 5 \
		"write_records does not show its gain of about 20 points"
	ui_keys q
	ui_quit_ok
fi

# --- the live baseline on a running workload
ui_cmd "'$FLAMETOP_BIN' run -F 199 -- '$WL'"
ui_expect 'ui_wl_hot_spin' 15 "the workload did not show"
pid=$(ui_line 1 | sed -n 's/^ pid \([0-9]*\) .*/\1/p')
bg_pid "$pid"
ui_keys B
ui_expect '\| vs baseline taken [0-9]{2}:[0-9]{2}:[0-9]{2}$' 5 "the header does not show the baseline"
ui_expect 'baseline taken: red frames' 5 "no message for the baseline"
ui_keys g G
ui_expect '^ ui_wl_hot_spin .*\| [0-9.]+% of the window, [0-9.]+% of the baseline, [+-][0-9.]+ points' 5 \
	"the hot function's status line has no change against the baseline"
sleep 1
# the same workload: its hot function keeps its share within noise
ui_expect '^ ui_wl_hot_spin .* points \(noise\)' 5 "the unchanged hot function is not within noise"
ui_keys B
ui_expect 'baseline dropped' 5 "B again did not drop the baseline"
ui_wait_gone 'vs baseline taken' 5 || fail "the header still shows the baseline"
ui_expect '^ ui_wl_hot_spin .*\| [0-9.]+% of all \|' 5 "the status line is not plain again"
# Esc at the root drops it too
ui_keys B
ui_expect 'vs baseline taken' 5
ui_keys g Escape
ui_wait_gone 'vs baseline taken' 5 || fail "Esc at the root did not drop the baseline"
# the heatmap: a past second against the rest of the time kept
sleep 2
ui_keys BTab
sleep 0.5
ui_keys Left Left B
ui_expect '\| range [0-9.]+-[0-9.]+s \|.*\| vs the rest of the [0-9]+ s kept$' 5 \
	"B in the heatmap did not compare the range with the rest"
ui_keys g G
ui_expect '^ ui_wl_hot_spin .*\| [0-9.]+% of the range, [0-9.]+% of the rest, [+-][0-9.]+ points' 5 \
	"the status line does not compare the range with the rest"
ui_keys B
ui_wait_gone 'vs the rest' 5 || fail "B did not drop the comparison with the rest"
ui_keys q
ui_quit_ok
exit 0
