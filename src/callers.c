/*
 * callers.c - a function's callers and callees merged (see callers.h).
 *
 * One preorder walk of the source finds the outermost nodes of F (the
 * walk does not enter an F node's subtree, so an inner F is never seen
 * from it).  For each such node x:
 *   - up: the path F, parent(x), parent(parent(x)), ... up to the root's
 *     child (at most CALLERS_MAX_DEPTH frames) is added with x's totals;
 *   - down: x's subtree is merged under F: every node y of it is mirrored
 *     by the child, for y's function, of the mirror of y's parent, and
 *     gets y's self and total added.  Since each mirror's parent is the
 *     mirror of its source's parent, total == self + children's totals
 *     holds in the merge as it does in the source.
 * Walks are iterative (no recursion per level).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callers.h"

static bool is_target(const struct ctnode *x, const uint32_t *funcs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x->func == funcs[i])
			return true;
	return false;
}

/* The node after x in preorder under top, not entering x's children if
 * skip_kids; NULL past the last. */
static const struct ctnode *next_under(const struct ctnode *top, const struct ctnode *x,
				       bool skip_kids)
{
	if (!skip_kids && x->child)
		return x->child;
	while (x != top && !x->next)
		x = x->parent;
	return x == top ? NULL : x->next;
}

static void add_values(struct ctnode *d, const struct ctnode *s, bool with_self)
{
	d->total_weight += s->total_weight;
	d->total_count += s->total_count;
	if (with_self) {
		d->self_weight += s->self_weight;
		d->self_count += s->self_count;
	}
}

/* Merges the subtree of x (an F node) under f, F's node in down. */
static int merge_down(struct calltree *down, struct ctnode *f, const struct ctnode *x)
{
	const struct ctnode *y = x;
	struct ctnode *m = f;

	add_values(f, x, true);
	for (;;) {
		if (y->child) {
			y = y->child;
		} else {
			while (y != x && !y->next) {
				y = y->parent;
				m = m->parent;
			}
			if (y == x)
				return 0;
			y = y->next;
			m = m->parent;
		}
		m = calltree_child_add(down, m, y->func);
		if (!m)
			return -ENOMEM;
		add_values(m, y, true);
	}
}

/* Adds x's callers, nearest first, under up's F node with x's totals. */
static int add_up(struct calltree *up, uint32_t func, const struct ctnode *x, uint32_t *path)
{
	size_t k = 0;

	path[k++] = func;
	for (const struct ctnode *p = x->parent; p && p->depth > 0 && k < CALLERS_MAX_DEPTH + 1;
	     p = p->parent)
		path[k++] = p->func;
	return calltree_add(up, path, k, x->total_weight, x->total_count) ? 0 : -ENOMEM;
}

int callers_compute(struct callers *c, struct calltree *t, const uint32_t *funcs, size_t n)
{
	const struct ctnode *root = calltree_root(t), *x;
	struct ctnode *f, *r;
	uint32_t *path = NULL;

	memset(c, 0, sizeof(*c));
	if (n == 0)
		return -EINVAL;
	c->func = funcs[0];
	c->all_weight = root->total_weight;
	c->all_count = root->total_count;
	c->up = calltree_new();
	c->down = calltree_new();
	path = malloc((CALLERS_MAX_DEPTH + 1) * sizeof(*path));
	if (!c->up || !c->down || !path)
		goto out_nomem;
	f = calltree_child_add(c->down, calltree_root(c->down), c->func);
	if (!f || !calltree_child_add(c->up, calltree_root(c->up), c->func))
		goto out_nomem;
	for (x = root->child; x; x = next_under(root, x, is_target(x, funcs, n))) {
		if (!is_target(x, funcs, n))
			continue;
		if (add_up(c->up, c->func, x, path) < 0 || merge_down(c->down, f, x) < 0)
			goto out_nomem;
	}
	r = calltree_root(c->down);
	r->total_weight = f->total_weight;
	r->total_count = f->total_count;
	free(path);
	return 0;

out_nomem:
	free(path);
	callers_release(c);
	return -ENOMEM;
}

void callers_release(struct callers *c)
{
	calltree_free(c->up);
	calltree_free(c->down);
	memset(c, 0, sizeof(*c));
}

struct ctnode *callers_node(struct calltree *t)
{
	return t ? calltree_root(t)->child : NULL;
}

bool callers_found(const struct callers *c)
{
	const struct ctnode *f = callers_node(c->down);

	return f && (f->total_weight || f->total_count);
}

size_t callers_lookup(const struct funcs *f, const char *name, uint32_t *ids, size_t max)
{
	size_t n = 0;

	for (uint32_t id = 1; id < funcs_count(f); id++) {
		if (strcmp(funcs_name(f, id), name))
			continue;
		if (n < max)
			ids[n] = id;
		n++;
	}
	return n;
}

static int heavier_first(const void *a, const void *b, void *by_count)
{
	const struct ctnode *x = *(const struct ctnode *const *)a;
	const struct ctnode *y = *(const struct ctnode *const *)b;
	bool count = *(const bool *)by_count;
	uint64_t vx = count ? x->total_count : x->total_weight;
	uint64_t vy = count ? y->total_count : y->total_weight;

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return x->func < y->func ? -1 : x->func > y->func;
}

/* Appends ptr to a growing array of pointers; 0 or -ENOMEM. */
static int push(const struct ctnode ***v, size_t *n, size_t *cap, const struct ctnode *x)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		const struct ctnode **nv = realloc(*v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* Pushes x's nonzero children on the stack, lightest first (so that the
 * heaviest is popped first). */
static int push_children(const struct ctnode ***st, size_t *n, size_t *cap, const struct ctnode *x,
			 bool by_count)
{
	size_t first = *n;

	for (const struct ctnode *c = x->child; c; c = c->next)
		if ((c->total_weight || c->total_count) && push(st, n, cap, c) < 0)
			return -ENOMEM;
	if (*n - first < 2)
		return 0; /* nothing to order (and *st may still be NULL) */
	qsort_r(*st + first, *n - first, sizeof(**st), heavier_first, &by_count);
	for (size_t i = first, j = *n; i + 1 < j; i++, j--) {
		const struct ctnode *tmp = (*st)[i];

		(*st)[i] = (*st)[j - 1];
		(*st)[j - 1] = tmp;
	}
	return 0;
}

long callers_rows(struct calltree *t, bool by_count, size_t max, struct callers_row **rows)
{
	const struct ctnode *f = callers_node(t), **st = NULL;
	struct callers_row *out = NULL;
	size_t nst = 0, stcap = 0, n = 0, cap = 0;

	*rows = NULL;
	if (!f)
		return 0;
	if (push_children(&st, &nst, &stcap, f, by_count) < 0)
		goto out_nomem;
	while (nst && (!max || n < max)) {
		const struct ctnode *x = st[--nst];

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct callers_row *no = realloc(out, ncap * sizeof(*no));

			if (!no)
				goto out_nomem;
			out = no;
			cap = ncap;
		}
		out[n].node = x;
		out[n].level = x->depth - f->depth;
		n++;
		if (push_children(&st, &nst, &stcap, x, by_count) < 0)
			goto out_nomem;
	}
	free(st);
	*rows = out;
	return (long)n;

out_nomem:
	free(st);
	free(out);
	return -ENOMEM;
}
