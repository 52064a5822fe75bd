/*
 * difftree.c - a call tree against a baseline (see difftree.h).
 *
 * One walk of B, without recursion (an explicit stack of (B node, A node)
 * pairs: stacks can be as deep as the target's), pairs each node of B
 * with the node of the same path in A, or none; the pairs go into an
 * open-addressing table keyed by B's node pointers, so that a box of the
 * graph finds its baseline in constant time.  One walk of A the same way
 * counts the frames B does not have; the per-function rows (a walk of
 * both trees each) only when asked for.  Invariant after an update: every
 * node of b with a nonzero total is a key of the table.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "difftree.h"
#include "util.h"

struct pair {
	const struct ctnode *b, *a; /* b NULL: an empty slot */
};

struct difftree {
	struct calltree *a, *b; /* compared at generations gen_a, gen_b */
	uint64_t gen_a, gen_b;
	bool valid;
	struct pair *slots; /* a power of two of them, at most half full */
	size_t mask;
	struct pair *stack; /* the walks' scratch */
	size_t cap;
	uint64_t total_a, total_b, count_a, count_b;
	size_t gone;
	uint64_t gone_weight;
	struct diff funcs; /* of a and b when funcs_fresh (difftree_funcs) */
	bool have_funcs, funcs_fresh;
};

double diff_noise(double pa, double pb, uint64_t na, uint64_t nb)
{
	double p, se;

	if (!na || !nb)
		return DIFF_NOISE_FLOOR;
	/* the share both would have if nothing changed */
	p = (pa * (double)na + pb * (double)nb) / (double)(na + nb) / 100.0;
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	se = 100.0 * sqrt(p * (1 - p) * (1.0 / (double)na + 1.0 / (double)nb));
	return DIFF_NOISE_SE * se > DIFF_NOISE_FLOOR ? DIFF_NOISE_SE * se : DIFF_NOISE_FLOOR;
}

bool diff_significant(const struct diff_share *s)
{
	return fabs(s->b - s->a) >= s->noise;
}

struct difftree *difftree_new(void)
{
	return calloc(1, sizeof(struct difftree));
}

void difftree_free(struct difftree *d)
{
	if (!d)
		return;
	if (d->have_funcs)
		diff_release(&d->funcs);
	free(d->slots);
	free(d->stack);
	free(d);
}

static size_t slot_of(const struct difftree *d, const struct ctnode *n)
{
	uintptr_t h = (uintptr_t)n;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return (size_t)h & d->mask;
}

static void put(struct difftree *d, const struct ctnode *b, const struct ctnode *a)
{
	size_t s = slot_of(d, b);

	while (d->slots[s].b && d->slots[s].b != b)
		s = (s + 1) & d->mask;
	d->slots[s] = (struct pair){b, a};
}

static const struct pair *get(const struct difftree *d, const struct ctnode *b)
{
	size_t s;

	if (!d->slots)
		return NULL;
	for (s = slot_of(d, b); d->slots[s].b; s = (s + 1) & d->mask)
		if (d->slots[s].b == b)
			return &d->slots[s];
	return NULL;
}

/* Room for n more pairs on the stack above depth used. */
static int stack_reserve(struct difftree *d, size_t used, size_t n)
{
	size_t cap = d->cap ? d->cap : 64;
	struct pair *s;

	if (used + n <= d->cap)
		return 0;
	while (cap < used + n)
		cap *= 2;
	s = realloc(d->stack, cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	d->stack = s;
	d->cap = cap;
	return 0;
}

/* Walks from (from, to): every node of `from` with a nonzero total and
 * its node of the same path in `to` (NULL: none).  Pairing B with A
 * fills the table; pairing A with B counts the outermost frames of A
 * missing in B instead of descending into them. */
static int walk(struct difftree *d, struct ctnode *from, struct ctnode *to, bool fill)
{
	size_t top = 0;
	struct ctnode *c, *x, *y;

	if (stack_reserve(d, 0, 1) < 0)
		return -ENOMEM;
	d->stack[top++] = (struct pair){from, to};
	while (top) {
		x = (struct ctnode *)d->stack[--top].b;
		y = (struct ctnode *)d->stack[top].a;
		if (fill)
			put(d, x, y);
		if (stack_reserve(d, top, x->nchildren) < 0)
			return -ENOMEM;
		for (c = x->child; c; c = c->next) {
			struct ctnode *m = y ? calltree_child(y, c->func) : NULL;

			if (c->total_weight == 0 && c->total_count == 0)
				continue;
			if (!fill && (!m || m->total_weight == 0)) {
				d->gone++;
				d->gone_weight += c->total_weight;
				continue;
			}
			d->stack[top++] = (struct pair){c, m};
		}
	}
	return 0;
}

int difftree_update(struct difftree *d, struct calltree *a, struct calltree *b)
{
	size_t want = 2;

	if (d->valid && d->a == a && d->b == b && d->gen_a == calltree_gen(a) &&
	    d->gen_b == calltree_gen(b))
		return 0;
	d->valid = false;
	while (want < 2 * calltree_nodes(b))
		want *= 2;
	if (want != d->mask + 1 || !d->slots) {
		free(d->slots);
		d->slots = calloc(want, sizeof(*d->slots));
		if (!d->slots)
			return -ENOMEM;
		d->mask = want - 1;
	} else {
		memset(d->slots, 0, want * sizeof(*d->slots));
	}
	d->gone = 0;
	d->gone_weight = 0;
	if (walk(d, calltree_root(b), calltree_root(a), true) < 0 ||
	    walk(d, calltree_root(a), calltree_root(b), false) < 0)
		return -ENOMEM;
	d->funcs_fresh = false; /* computed when asked for: the table's */
	d->total_a = calltree_root(a)->total_weight;
	d->total_b = calltree_root(b)->total_weight;
	d->count_a = calltree_root(a)->total_count;
	d->count_b = calltree_root(b)->total_count;
	d->a = a;
	d->b = b;
	d->gen_a = calltree_gen(a);
	d->gen_b = calltree_gen(b);
	d->valid = true;
	return 1;
}

bool difftree_node(const struct difftree *d, const struct ctnode *n, struct diff_share *out)
{
	const struct pair *p = d->valid ? get(d, n) : NULL;

	if (!p || !d->total_b)
		return false;
	out->b = util_pct(n->total_weight, d->total_b);
	out->a = p->a ? util_pct(p->a->total_weight, d->total_a) : 0;
	out->noise = diff_noise(out->a, out->b, d->count_a, d->count_b);
	return true;
}

size_t difftree_gone(const struct difftree *d, double *share_a)
{
	if (share_a)
		*share_a = d->valid ? util_pct(d->gone_weight, d->total_a) : 0;
	return d->valid ? d->gone : 0;
}

const struct diff *difftree_funcs(struct difftree *d)
{
	struct diff funcs;

	if (!d->valid)
		return NULL;
	if (d->funcs_fresh)
		return &d->funcs;
	if (diff_compute(&funcs, d->a, TOP_WEIGHT, d->b, TOP_WEIGHT) < 0)
		return NULL;
	if (d->have_funcs)
		diff_release(&d->funcs);
	d->funcs = funcs;
	d->have_funcs = d->funcs_fresh = true;
	return &d->funcs;
}

void difftree_row_share(const struct difftree *d, const struct diff_row *r, bool total,
			struct diff_share *out)
{
	out->a = total ? r->total_a : r->self_a;
	out->b = total ? r->total_b : r->self_b;
	out->noise = diff_noise(out->a, out->b, d->count_a, d->count_b);
}

int difftree_rest(struct calltree *dst, struct calltree *all, struct calltree *part)
{
	struct ctnode **stack = NULL, *x, *y, *c;
	size_t top = 0, cap = 0;
	int ret = -ENOMEM;

	if (calltree_copy(dst, all) < 0)
		return -ENOMEM;
	/* pairs (a node of part, the node of dst on its path) */
	if (!(stack = malloc(2 * 64 * sizeof(*stack))))
		goto out;
	cap = 64;
	stack[top++] = calltree_root(part);
	stack[top++] = calltree_root(dst);
	while (top) {
		y = stack[--top];
		x = stack[--top];
		if (x->self_weight || x->self_count)
			calltree_sub_at(dst, y, x->self_weight, x->self_count);
		if (top / 2 + x->nchildren > cap) {
			struct ctnode **s;

			while (top / 2 + x->nchildren > cap)
				cap *= 2;
			if (!(s = realloc(stack, 2 * cap * sizeof(*s))))
				goto out;
			stack = s;
		}
		for (c = x->child; c; c = c->next) {
			struct ctnode *m = calltree_child(y, c->func);

			if (!m)
				continue; /* not in all: nothing to give back */
			stack[top++] = c;
			stack[top++] = m;
		}
	}
	ret = 0;
out:
	free(stack);
	if (ret)
		calltree_clear(dst);
	return ret;
}
