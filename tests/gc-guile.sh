#!/bin/sh
# gc-guile.sh: the real, unmodified guile-3.0 running an allocation loop:
# flametop sees exactly the collections libgc counts (gc-stats' gc-times
# is GC_get_gc_no), and their trigger stacks are taken.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/gc-lib.sh"
need_flametop
need_cmd guile-3.0

cat >"$FT_TMP/loop.scm" <<'SCM'
(define (churn n)
  (let loop ((i 0) (keep #f))
    (if (< i n)
        (loop (+ i 1) (make-vector 1000 i))
        keep)))
(churn 60000)
(display (assq-ref (gc-stats) 'gc-times))
(newline)
SCM
export GUILE_AUTO_COMPILE=0
ft record --gc-log "$FT_TMP/gc.log" -o "$FT_TMP/p.folded" -- guile-3.0 "$FT_TMP/loop.scm"
expect_status 0
want=$(tail -n 1 "$FT_TMP/out")
[ "${want:-0}" -ge 100 ] || { ft_dump; fail "guile collected only '$want' times"; }
expect_gc_log "$FT_TMP/gc.log" "$want" "guile-3.0"
exit 0
