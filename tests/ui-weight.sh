# tests/ui-weight.sh - what the live graph weighs: `run --weight
# inuse-bytes` on a program with one slow leak (examples/flametop-leak)
# shows the leaking path and the header names the weight; W cycles the
# weights (in-use objects, time, allocated bytes...) and the header
# follows; W on a static profile says it is not available; a bad
# --weight is refused before anything runs.
. "$top_srcdir/tests/ui-lib.sh"
need_flametop
LEAK="$top_builddir/examples/flametop-leak"
[ -x "$LEAK" ] || skip "$LEAK not built"

ft run --weight heavy -- "$LEAK" 1
[ "$st" = 2 ] || { ft_dump; fail "run --weight heavy: status $st, want 2"; }
grep -q "weight" "$FT_TMP/err" || { ft_dump; fail "run --weight heavy: no word on the weight"; }

ui_start
ui_cmd "'$FLAMETOP_BIN' run --weight inuse-bytes -- '$LEAK' 60"
ui_expect '\| inuse-bytes [0-9.]+ [KMG]?i?B \|' 15 "the header does not name the in-use weight"
ui_expect 'open_session' 15 "in-use bytes: the leaking path is not on screen"
ui_keys W
ui_expect '\| inuse-objects [0-9.]+[KM]? objects \|' 10 "W did not go to in-use objects"
ui_keys W
ui_wait_gone 'inuse-objects' 10 || fail "W did not go back to time"
ui_expect '\| cpu 99 Hz \|' 5
ui_keys W
ui_expect '\| alloc-bytes [0-9.]+ [KMG]?i?B \|' 10 "W did not go to allocated bytes"
ui_keys q
ui_quit_ok

F="$FT_TMP/s.folded"
echo 'main;work 10' >"$F"
ui_cmd "clear; '$FLAMETOP_BIN' view '$F'"
ui_expect 'work' 10 "view did not start"
ui_keys W
ui_expect 'not available on a static profile' 5 "W on a static profile"
ui_keys q
ui_quit_ok
exit 0
