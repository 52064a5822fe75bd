#!/bin/sh
# alloc-gc.sh: allocations from libgc's heap, sampled through libgc's own
# allocators: the GC example's boxes, and guile (whose objects come in
# batches of GC_generic_malloc_many), each estimate checked against the
# collector's own count of bytes allocated (no double counting of
# libgc's calls to its own exports); and what is in use, which the
# collector tells: the example's history, blocks kept, dropped and
# GC_FREE'd, guile's kept vectors.
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
# in use: the collector says which sampled objects died (long links
# cleared at each collection); with a collection after every round, the
# boxes are all gone at the end and the history is what the heap holds
ft record --weight inuse-bytes --alloc-rate 16K -o "$FT_TMP/pipeu.folded" -- "$PIPE" --rounds 4 --explicit
expect_status 0
held=$(sed -n 's/^history \([0-9]*\) bytes$/\1/p' "$FT_TMP/out")
near "$(sum_of "$FT_TMP/pipeu.folded" remember_element)" "${held:-0}" 30 "the history in use"
expect_share "$FT_TMP/pipeu.folded" remember_element 90 100 "the history's share in use"
# without a collection at the end: the boxes allocated since the last one
# are not known to be alive, and are not counted (as in Go's heap profile)
ft record --weight inuse-bytes --alloc-rate 16K -o "$FT_TMP/pipen.folded" -- "$PIPE" --rounds 4
expect_status 0
expect_share "$FT_TMP/pipen.folded" remember_element 90 100 "the history's share in use, no final collection"

# exact (every allocation): the kept blocks are all in use, the freed
# ones none (GC_FREE), the dropped ones none but what the collector's
# conservative scan may still hold (a block or two in a register)
ft record --weight inuse-bytes --alloc-rate 0 -o "$FT_TMP/free.folded" -- "$top_builddir/tests/wl-gc-free" 2000
expect_status 0
read -r _ kept <"$FT_TMP/out"
exactly "$(sum_of "$FT_TMP/free.folded" keep_block)" "$kept" "kept libgc blocks in use"
exactly "$(sum_of "$FT_TMP/free.folded" free_block)" 0 "GC_FREE'd blocks in use"
[ "$(sum_of "$FT_TMP/free.folded" drop_block)" -le 8032 ] || fail "collected blocks still in use"

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

	# guile's objects in use: 100,000 vectors of 8 (80 bytes each in the
	# heap) kept, a million lists churned (batches of its free lists)
	cat >"$FT_TMP/keep.scm" <<'EOS'
(define kept '())
(define (churn n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (length acc) (loop (+ i 1) (cons (list i i) acc)))))
(define (keep! n)
  (let loop ((i 0))
    (when (< i n) (set! kept (cons (make-vector 8 i) kept)) (loop (+ i 1)))))
(let rounds ((r 0))
  (when (< r 20) (churn 50000) (keep! 5000) (rounds (+ r 1))))
(gc)
(display (length kept))
(newline)
EOS
	ft record --weight inuse-bytes --alloc-rate 16K -o "$FT_TMP/keep.folded" -- guile --no-auto-compile "$FT_TMP/keep.scm"
	expect_status 0
	near "$(sum_of "$FT_TMP/keep.folded" scm_c_make_vector)" 8000000 25 "guile's kept vectors in use"
else
	note "guile not installed: not checked"
fi
exit 0
