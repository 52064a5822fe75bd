/*
 * top.c - the top-functions table (see top.h).
 *
 * One preorder walk of the tree with a per-function "on the current path"
 * counter: a node adds its total to its function only when no ancestor has
 * the same function (onpath == 0 on entry), so a recursive stack counts
 * once.  Self is summed over every node.  The root ("all") is not a row.
 *
 * Invariants of the result: rows hold every function with self or total
 * > 0, self <= total for each row, sorted heaviest first, ties by func id.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

static inline uint64_t node_total(const struct ctnode *x, enum top_measure m)
{
	return m == TOP_COUNT ? x->total_count : x->total_weight;
}

static inline uint64_t node_self(const struct ctnode *x, enum top_measure m)
{
	return m == TOP_COUNT ? x->self_count : x->self_weight;
}

int top_compute(struct top *out, struct calltree *t, enum top_measure m, enum top_sort sort)
{
	struct ctnode *root = calltree_root(t), *x;
	uint32_t maxf = 0, *onpath;
	struct top_row *rows;
	size_t n = 0, i;

	memset(out, 0, sizeof(*out));
	out->grand_total = node_total(root, m);

	/* Pass 1: the largest func id, to size dense arrays. */
	for (x = root; x;) {
		if (x->func > maxf)
			maxf = x->func;
		if (x->child) {
			x = x->child;
			continue;
		}
		while (x && !x->next)
			x = x->parent;
		x = x ? x->next : NULL;
	}
	rows = calloc((size_t)maxf + 1, sizeof(*rows));
	onpath = calloc((size_t)maxf + 1, sizeof(*onpath));
	if (!rows || !onpath) {
		free(rows);
		free(onpath);
		return -ENOMEM;
	}

	/* Pass 2: enter a node (count it), go down; leave nodes going up. */
	x = root->child;
	while (x) {
		rows[x->func].self += node_self(x, m);
		if (onpath[x->func]++ == 0)
			rows[x->func].total += node_total(x, m);
		if (x->child) {
			x = x->child;
			continue;
		}
		for (;;) {
			onpath[x->func]--;
			if (x->next) {
				x = x->next;
				break;
			}
			x = x->parent;
			if (x == root) {
				x = NULL;
				break;
			}
		}
	}
	free(onpath);

	for (i = 0; i <= maxf; i++) {
		if (!rows[i].self && !rows[i].total)
			continue;
		rows[n] = rows[i];
		rows[n].func = (uint32_t)i;
		n++;
	}
	out->rows = rows;
	out->n = n;
	top_sort(out, sort);
	return 0;
}

static int by_self(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	return x->func < y->func ? -1 : x->func > y->func;
}

static int by_total(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->func < y->func ? -1 : x->func > y->func;
}

void top_sort(struct top *top, enum top_sort sort)
{
	if (top->n > 1)
		qsort(top->rows, top->n, sizeof(*top->rows),
		      sort == TOP_BY_TOTAL ? by_total : by_self);
}

void top_release(struct top *top)
{
	if (!top)
		return;
	free(top->rows);
	memset(top, 0, sizeof(*top));
}
