/*
 * top.h - the top-functions table computed from a call tree.
 *
 * For each function: self = weight of stacks whose leaf it is; total =
 * weight of stacks it appears in, counting a stack once even when the
 * function recurses (a node whose ancestor has the same function does not
 * add to total).  Shares are against the root's total.
 */
#ifndef FT_TOP_H
#define FT_TOP_H

#include <stddef.h>
#include <stdint.h>
#include "calltree.h"

enum top_measure { TOP_WEIGHT, TOP_COUNT };
enum top_sort { TOP_BY_SELF, TOP_BY_TOTAL };

struct top_row {
	uint32_t func;
	uint64_t self, total; /* in the chosen measure */
};

struct top {
	struct top_row *rows; /* sorted, heaviest first; ties by func id */
	size_t n;
	uint64_t grand_total; /* the root's total */
};

/* Fills out from tree (every function with self or total > 0).  Returns 0
 * or -ENOMEM.  Release with top_release. */
int top_compute(struct top *out, struct calltree *t, enum top_measure m, enum top_sort sort);
void top_sort(struct top *top, enum top_sort sort);
void top_release(struct top *top);

#endif
