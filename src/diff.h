/*
 * diff.h - the difference of two profiles, function by function.
 *
 * Each profile's values are normalised to its total, so profiles of
 * different lengths (or units) compare: a function's change is its share
 * of B minus its share of A, in percentage points, for self and total
 * (top.h's meanings).  The two trees must intern their functions in one
 * funcs table, so that equal ids are equal functions.
 */
#ifndef FT_DIFF_H
#define FT_DIFF_H

#include <stddef.h>
#include "calltree.h"
#include "top.h"

struct diff_row {
	uint32_t func;
	double self_a, self_b;	 /* percent of each profile's total */
	double total_a, total_b; /* idem */
};

struct diff {
	struct diff_row *rows; /* by the size of the self change, then the total's */
	size_t n;
	uint64_t total_a, total_b; /* the roots' totals */
	uint64_t count_a, count_b; /* the roots' sample counts (noise, difftree.h) */
};

/* Fills out with every function of a or b, a weighed by ma and b by mb.
 * 0 or -ENOMEM; release with diff_release. */
int diff_compute(struct diff *out, struct calltree *a, enum top_measure ma, struct calltree *b,
		 enum top_measure mb);
void diff_release(struct diff *d);

#endif
