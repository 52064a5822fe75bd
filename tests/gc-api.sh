#!/bin/sh
# gc-api.sh: a program with a collector of its own reports through the
# flametop_gc_* API: every collection seen with its phases, heap and
# bytes freed; the misuse it commits is counted and ignored; without the
# runtime the program runs the same (it is not linked with libflametop).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/gc-lib.sh"
need_flametop
WL="$top_builddir/tests/wl-gc-api"

"$WL" 300 >"$FT_TMP/plain.out" || fail "wl-gc-api failed without the runtime"
grep -q '^collections 301 ' "$FT_TMP/plain.out" || fail "wl-gc-api without the runtime: $(cat "$FT_TMP/plain.out")"

ft record --gc-log "$FT_TMP/gc.log" -o /dev/null -- "$WL" 300
expect_status 0
cmp -s "$FT_TMP/out" "$FT_TMP/plain.out" || { ft_dump; fail "the program's output changed under the runtime"; }
expect_gc_log "$FT_TMP/gc.log" 301 "API"
n=$(grep -c ' ms mark+sweep, [0-9.]*->[0-9.]* MB, [0-9.]* MB freed, alloc$' "$FT_TMP/gc.log")
[ "$n" -eq 300 ] || fail "API: $n of 300 collections with mark+sweep and bytes freed"
tail -n 1 "$FT_TMP/gc.log" | grep -Eq ', 0\.00 MB freed, explicit$' || fail "API: the last collection: $(tail -n 1 "$FT_TMP/gc.log")"
# the sum of the bytes freed, as the program counted them (MB, rounded)
want=$(awk '{ printf "%.0f\n", $4 / 1048576 }' "$FT_TMP/out")
got=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "MB" && $(i + 2) == "freed,") s += $i } END { printf "%.0f\n", s }' "$FT_TMP/gc.log")
[ "$got" = "$want" ] || fail "API: $got MB freed in the log, the program freed $want MB"
grep -q 'warning: 4 GC API calls out of order were ignored' "$FT_TMP/err" || { ft_dump; fail "API: misuse not counted"; }
exit 0
