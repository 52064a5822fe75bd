#!/bin/sh
# fmt-fractions.sh: folded files with fractional counts ("a;b 1.5"), as
# FlameGraph takes them.  Every count of such a file is scaled by 10^D (D
# the most decimals of any count) so that each is whole:
#  - report says so in its header line (and JSON gives count_scale), and
#    its shares are those of the fractions;
#  - convert to pprof states the scale in a comment (what go tool pprof
#    -comments prints), and pprof -> folded gives the fractions back,
#    byte for byte; a file of whole counts makes the same round trip with
#    no comment and no scale;
#  - view and diff open the file, their header names the scale, the graph
#    the heaviest frame.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop

F="$FT_TMP/frac.folded"
# sorted as flametop writes folded stacks, so the round trip is byte for byte
cat >"$F" <<'X'
main;parse;lex 2.25
main;parse;tokens 0.5
main;serve 4
main;serve;write 1.25
X

ft report "$F"
expect_status 0
grep -q '^total: 800 samples (counts scaled by 100: the file'"'"'s counts have fractions)$' \
	"$FT_TMP/out" || { ft_dump; fail "the header does not say the counts are scaled"; }
# serve 4 + 1.25 of 8: 65.6% total, 50% self; lex 2.25 of 8: 28.1%
grep -Eq '^ +50\.0% +65\.6% +400 +525 +serve$' "$FT_TMP/out" || { ft_dump; fail "serve row"; }
grep -Eq '^ +28\.1% +28\.1% +225 +225 +lex$' "$FT_TMP/out" || { ft_dump; fail "lex row"; }

ft report --json "$F"
expect_status 0
grep -q '"total":800,.*"count_scale":100,' "$FT_TMP/out" || { ft_dump; fail "no count_scale in JSON"; }

# --- through pprof and back ---------------------------------------------------
ft convert "$F" "$FT_TMP/frac.pb.gz"
expect_status 0
ft convert "$FT_TMP/frac.pb.gz" "$FT_TMP/back.folded"
expect_status 0
cmp "$F" "$FT_TMP/back.folded" || { diff "$F" "$FT_TMP/back.folded" >&2; fail "folded -> pprof -> folded changed the fractions"; }
if command -v go >/dev/null 2>&1; then
	export GOCACHE="$FT_TMP/gocache" HOME="${HOME:-$FT_TMP}"
	go tool pprof -comments "$FT_TMP/frac.pb.gz" >"$FT_TMP/comments" 2>&1 ||
		{ cat "$FT_TMP/comments" >&2; fail "go tool pprof -comments"; }
	grep -q '^counts scaled by 100 (fractional counts in the input)$' "$FT_TMP/comments" ||
		{ cat "$FT_TMP/comments" >&2; fail "the pprof does not state the scale"; }
	note "ok: go tool pprof -comments states the scale"
fi

# whole counts: kept as given, no comment, the same bytes back
W="$FT_TMP/whole.folded"
printf 'main;a 3\nmain;b 1\n' >"$W"
ft convert "$W" "$FT_TMP/whole.pb.gz"
expect_status 0
ft convert "$FT_TMP/whole.pb.gz" "$FT_TMP/whole-back.folded"
expect_status 0
cmp "$W" "$FT_TMP/whole-back.folded" || fail "whole counts changed through pprof"
ft report "$FT_TMP/whole.pb.gz"
expect_status 0
grep -q '^total: 4 samples$' "$FT_TMP/out" || { ft_dump; fail "whole counts are scaled"; }
note "ok: folded -> pprof -> folded keeps fractions and whole counts"

# --- the viewer ---------------------------------------------------------------
ui_start
ui_cmd "'$FLAMETOP_BIN' view '$F'"
ui_expect '^ frac\.folded \(counts x100\) \| 800 samples \| static' 10 \
	"the header does not name the scale"
ui_expect 'serve' 5 "the graph does not show serve"
ui_keys q
ui_quit_ok
# diff of whole counts (A) against fractions (B): both names as read
ui_cmd "'$FLAMETOP_BIN' diff '$W' '$F'"
ui_expect '^ frac\.folded \(counts x100\) \| 800 samples \| static \| vs whole\.folded$' 10 \
	"the diff's header does not name B's scale"
ui_keys q
ui_quit_ok
note "ok: view and diff open a file of fractional counts"
exit 0
