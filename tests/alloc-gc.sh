#!/bin/sh
# alloc-gc.sh: allocations from libgc's heap, sampled through libgc's own
# allocators: the GC example's boxes, and guile (whose objects come in
# batches of GC_generic_malloc_many), each estimate checked against the
# collector's own count of bytes allocated (no double counting of
# libgc's calls to its own exports).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
. "$top_srcdir/tests/alloc-lib.sh"
PIPE="$top_builddir/examples/flametop-gc-pipeline"
[ -x "$PIPE" ] || skip "flametop-gc-pipeline not built (libgc-dev missing)"

ft record --weight alloc-bytes --alloc-rate 64K -o "$FT_TMP/pipe.folded" -- "$PIPE" --rounds 4
expect_status 0
total=$(sed -n 's/^allocated \([0-9]*\) bytes$/\1/p' "$FT_TMP/out")
near "$(samples "$FT_TMP/pipe.folded")" "${total:-0}" 10 "bytes from libgc (GC_get_total_bytes)"
expect_share "$FT_TMP/pipe.folded" box_element 95 100 "boxes"
# the collector frees them, not free(): they are never counted in use
ft record --weight inuse-bytes --alloc-rate 64K -o "$FT_TMP/pipeu.folded" -- "$PIPE" --rounds 2
[ "$(sum_of "$FT_TMP/pipeu.folded" box_element)" -eq 0 ] || fail "GC objects counted in use"

if command -v guile >/dev/null 2>&1; then
	cat >"$FT_TMP/lists.scm" <<'EOS'
(define (build n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons (list i (* i 2)) acc)))))
(define (allocated) (assq-ref (gc-stats) 'heap-total-allocated))
(let rounds ((r 0))
  (when (< r 20) (build 100000) (rounds (+ r 1))))
;; all the bytes since guile started, as the recording covers it all
(display (allocated))
(newline)
EOS
	ft record --weight alloc-bytes --alloc-rate 64K -o "$FT_TMP/guile.folded" -- guile --no-auto-compile "$FT_TMP/lists.scm"
	expect_status 0
	read -r total <"$FT_TMP/out"
	# measured here: 8-9% above guile's own count, with or without the
	# granule rounding; not understood yet, so the bound is loose
	near "$(samples "$FT_TMP/guile.folded")" "$total" 15 "guile's bytes (heap-total-allocated)"
else
	note "guile not installed: not checked"
fi
exit 0
