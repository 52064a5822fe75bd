/*
 * diff.c - two profiles compared function by function (see diff.h).
 *
 * Both top tables are computed, indexed by function id (ids are dense,
 * from one funcs table) and merged into one row per function seen in
 * either; rows are sorted by |self change|, then |total change|, then id,
 * so the output is deterministic.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util.h"

static int by_change(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double sa = fabs(a->self_b - a->self_a), sb = fabs(b->self_b - b->self_a);
	double ta = fabs(a->total_b - a->total_a), tb = fabs(b->total_b - b->total_a);

	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	return (a->func > b->func) - (a->func < b->func);
}

int diff_compute(struct diff *out, struct calltree *a, enum top_measure ma, struct calltree *b,
		 enum top_measure mb)
{
	struct top ta, tb;
	size_t *slot = NULL;
	uint32_t maxf = 0;
	int ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (top_compute(&ta, a, ma, TOP_BY_SELF))
		return -ENOMEM;
	if (top_compute(&tb, b, mb, TOP_BY_SELF)) {
		top_release(&ta);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ta.n; i++)
		maxf = ta.rows[i].func > maxf ? ta.rows[i].func : maxf;
	for (size_t i = 0; i < tb.n; i++)
		maxf = tb.rows[i].func > maxf ? tb.rows[i].func : maxf;
	slot = calloc((size_t)maxf + 1, sizeof(*slot)); /* row index + 1 */
	out->rows = calloc(ta.n + tb.n + 1, sizeof(*out->rows));
	if (!slot || !out->rows)
		goto out;
	out->total_a = ta.grand_total;
	out->total_b = tb.grand_total;
	out->count_a = calltree_root(a)->total_count;
	out->count_b = calltree_root(b)->total_count;
	for (int side = 0; side < 2; side++) {
		const struct top *t = side ? &tb : &ta;

		for (size_t i = 0; i < t->n; i++) {
			const struct top_row *r = &t->rows[i];
			struct diff_row *d;

			if (!slot[r->func]) {
				slot[r->func] = ++out->n;
				out->rows[out->n - 1].func = r->func;
			}
			d = &out->rows[slot[r->func] - 1];
			if (side) {
				d->self_b = util_pct(r->self, t->grand_total);
				d->total_b = util_pct(r->total, t->grand_total);
			} else {
				d->self_a = util_pct(r->self, t->grand_total);
				d->total_a = util_pct(r->total, t->grand_total);
			}
		}
	}
	if (out->n > 1)
		qsort(out->rows, out->n, sizeof(*out->rows), by_change);
	ret = 0;
out:
	if (ret)
		diff_release(out);
	free(slot);
	top_release(&ta);
	top_release(&tb);
	return ret;
}

void diff_release(struct diff *d)
{
	free(d->rows);
	memset(d, 0, sizeof(*d));
}
