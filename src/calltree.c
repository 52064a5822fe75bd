/*
 * calltree.c - the weighed call tree (see calltree.h for the contract).
 *
 * Every node is a struct ctn: the public struct ctnode followed by an
 * optional hash of its children, so that a node with thousands of children
 * (a dispatcher, an interpreter loop) is still found in O(1):
 *
 *   struct ctn  [ struct ctnode n | kids --> [ptr|NULL|ptr|...] | kmask ]
 *
 * Children always form the singly linked list n.child -> next -> ...; when
 * a node has more than KIDS_LINEAR children, kids additionally holds every
 * child pointer in an open-addressing table keyed by func (linear probing,
 * at most half full).  With KIDS_LINEAR or fewer children kids may be NULL
 * and lookups scan the list.
 *
 * Invariants (calltree_check verifies them):
 *  - total == self + sum(children's total), for weight and count;
 *  - child->parent == node, child->depth == node->depth + 1;
 *  - nchildren == length of the child list; no two children share a func;
 *  - kids, when present, holds exactly the children;
 *  - t->nodes counts every node including the root.
 * calltree_prune frees only nodes whose totals are both 0 (and their
 * subtrees); every other node keeps its address.
 *
 * Traversals are iterative (parent/child/next links), never recursive, so
 * that very deep stacks cannot exhaust the C stack.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltree.h"

#define KIDS_LINEAR 8

struct ctn {
	struct ctnode n;
	struct ctnode **kids;
	uint32_t kmask;
};

struct calltree {
	struct ctn root;
	size_t nodes;
	uint64_t gen; /* see calltree_gen */
};

/* generations are drawn from one counter, so no two trees share one */
static uint64_t gen_next;

static void changed(struct calltree *t)
{
	t->gen = __atomic_add_fetch(&gen_next, 1, __ATOMIC_RELAXED);
}

uint64_t calltree_gen(const struct calltree *t)
{
	return t->gen;
}

static inline struct ctn *ctn_of(struct ctnode *n)
{
	return (struct ctn *)n;
}

static inline uint32_t func_slot(uint32_t func, uint32_t mask)
{
	uint32_t h = func * 0x9E3779B1u;

	return (h ^ (h >> 16)) & mask;
}

static void kids_put(struct ctnode **kids, uint32_t mask, struct ctnode *c)
{
	uint32_t s = func_slot(c->func, mask);

	while (kids[s])
		s = (s + 1) & mask;
	kids[s] = c;
}

/* Makes room for one more child of x; the only fallible step of linking. */
static int kids_reserve(struct ctn *x)
{
	uint32_t want = x->n.nchildren + 1, cap;
	struct ctnode **nk, *c;

	if (want <= KIDS_LINEAR)
		return 0;
	if (x->kids && (size_t)want * 2 <= (size_t)x->kmask + 1)
		return 0;
	for (cap = 32; cap < want * 2; cap *= 2)
		;
	nk = calloc(cap, sizeof(*nk));
	if (!nk)
		return -ENOMEM;
	for (c = x->n.child; c; c = c->next)
		kids_put(nk, cap - 1, c);
	free(x->kids);
	x->kids = nk;
	x->kmask = cap - 1;
	return 0;
}

static void link_child(struct ctn *x, struct ctnode *c)
{
	c->next = x->n.child;
	x->n.child = c;
	x->n.nchildren++;
	if (x->kids)
		kids_put(x->kids, x->kmask, c);
}

static struct ctnode *node_new(uint32_t func, struct ctnode *parent)
{
	struct ctn *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->n.func = func;
	x->n.depth = parent->depth + 1;
	x->n.parent = parent;
	return &x->n;
}

static void node_free(struct ctnode *n)
{
	free(ctn_of(n)->kids);
	free(n);
}

/* Frees every descendant of top (not top itself); returns how many. */
static size_t free_children(struct ctnode *top)
{
	struct ctnode *x = top->child, *par, *next;
	size_t freed = 0;

	/* Destructive walk: always free the first child of a node once it
	 * has no children left, then continue with its sibling or parent. */
	while (x) {
		if (x->child) {
			x = x->child;
			continue;
		}
		par = x->parent;
		next = x->next;
		node_free(x);
		freed++;
		par->child = next;
		if (next)
			x = next;
		else if (par == top)
			x = NULL;
		else
			x = par;
	}
	top->child = NULL;
	top->nchildren = 0;
	free(ctn_of(top)->kids);
	ctn_of(top)->kids = NULL;
	ctn_of(top)->kmask = 0;
	return freed;
}

struct calltree *calltree_new(void)
{
	struct calltree *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->nodes = 1;
	changed(t);
	return t;
}

void calltree_free(struct calltree *t)
{
	if (!t)
		return;
	free_children(&t->root.n);
	free(t);
}

struct ctnode *calltree_root(struct calltree *t)
{
	return &t->root.n;
}

struct ctnode *calltree_child(struct ctnode *parent, uint32_t func)
{
	struct ctn *x = ctn_of(parent);
	struct ctnode *c;

	if (x->kids) {
		uint32_t s = func_slot(func, x->kmask);

		while ((c = x->kids[s])) {
			if (c->func == func)
				return c;
			s = (s + 1) & x->kmask;
		}
		return NULL;
	}
	for (c = parent->child; c; c = c->next)
		if (c->func == func)
			return c;
	return NULL;
}

struct ctnode *calltree_child_add(struct calltree *t, struct ctnode *parent, uint32_t func)
{
	struct ctnode *c = calltree_child(parent, func);

	if (c)
		return c;
	c = node_new(func, parent);
	if (!c)
		return NULL;
	if (kids_reserve(ctn_of(parent))) {
		node_free(c);
		return NULL;
	}
	link_child(ctn_of(parent), c);
	t->nodes++;
	changed(t);
	return c;
}

struct ctnode *calltree_add(struct calltree *t, const uint32_t *funcs, size_t n, uint64_t weight,
			    uint64_t count)
{
	struct ctnode *node = &t->root.n, *c, *first = NULL, *last;
	size_t i = 0, j;

	for (; i < n; i++) {
		c = calltree_child(node, funcs[i]);
		if (!c)
			break;
		node = c;
	}
	if (i < n) {
		/* Build the missing tail as a detached chain, then link it: on
		 * ENOMEM nothing of the tree has changed. */
		first = last = node_new(funcs[i], node);
		if (!first)
			return NULL;
		for (j = i + 1; j < n; j++) {
			c = node_new(funcs[j], last);
			if (!c)
				goto out_chain;
			last->child = c;
			last->nchildren = 1;
			last = c;
		}
		if (kids_reserve(ctn_of(node)))
			goto out_chain;
		link_child(ctn_of(node), first);
		t->nodes += n - i;
		node = last;
	}
	calltree_add_at(t, node, weight, count);
	return node;

out_chain:
	free_children(first);
	node_free(first);
	return NULL;
}

void calltree_add_at(struct calltree *t, struct ctnode *node, uint64_t weight, uint64_t count)
{
	changed(t);
	node->self_weight += weight;
	node->self_count += count;
	for (; node; node = node->parent) {
		node->total_weight += weight;
		node->total_count += count;
	}
}

static inline uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void calltree_sub_at(struct calltree *t, struct ctnode *node, uint64_t weight, uint64_t count)
{
	/* Clamp to the node's self so that the invariant survives a caller
	 * subtracting more than it added. */
	if (weight > node->self_weight)
		weight = node->self_weight;
	if (count > node->self_count)
		count = node->self_count;
	changed(t);
	node->self_weight -= weight;
	node->self_count -= count;
	for (; node; node = node->parent) {
		node->total_weight = sat_sub(node->total_weight, weight);
		node->total_count = sat_sub(node->total_count, count);
	}
}

void calltree_clear(struct calltree *t)
{
	struct ctnode *r = &t->root.n;

	free_children(r);
	r->total_weight = r->self_weight = 0;
	r->total_count = r->self_count = 0;
	t->nodes = 1;
	changed(t);
}

/* The node after x in preorder, not entering x's children if skip_kids. */
static struct ctnode *preorder_next(struct ctnode *x, int skip_kids)
{
	if (!skip_kids && x->child)
		return x->child;
	while (x && !x->next)
		x = x->parent;
	return x ? x->next : NULL;
}

int calltree_scale(struct calltree *t, uint64_t factor)
{
	struct ctnode *r = &t->root.n, *x;

	/* the root's totals are the largest: if they fit, everything does */
	if (factor > 1 && ((r->total_weight && r->total_weight > UINT64_MAX / factor) ||
			   (r->total_count && r->total_count > UINT64_MAX / factor)))
		return -EOVERFLOW;
	if (factor == 1)
		return 0;
	for (x = r; x; x = preorder_next(x, 0)) {
		x->total_weight *= factor;
		x->self_weight *= factor;
		x->total_count *= factor;
		x->self_count *= factor;
	}
	changed(t);
	return 0;
}

void calltree_prune(struct calltree *t)
{
	struct ctnode *x = &t->root.n, **pp, *c;

	changed(t);
	for (; x; x = preorder_next(x, 0)) {
		int removed = 0;

		pp = &x->child;
		while ((c = *pp)) {
			if (c->total_weight == 0 && c->total_count == 0) {
				*pp = c->next;
				t->nodes -= free_children(c) + 1;
				node_free(c);
				x->nchildren--;
				removed = 1;
			} else {
				pp = &c->next;
			}
		}
		if (removed && ctn_of(x)->kids) {
			struct ctn *k = ctn_of(x);

			if (x->nchildren <= KIDS_LINEAR) {
				free(k->kids);
				k->kids = NULL;
				k->kmask = 0;
			} else {
				memset(k->kids, 0, ((size_t)k->kmask + 1) * sizeof(*k->kids));
				for (c = x->child; c; c = c->next)
					kids_put(k->kids, k->kmask, c);
			}
		}
	}
}

/* The first of c and its next siblings with a nonzero total, or NULL. */
static const struct ctnode *nonzero(const struct ctnode *c)
{
	while (c && !c->total_weight && !c->total_count)
		c = c->next;
	return c;
}

/* A new child of d with c's function and values; NULL on ENOMEM. */
static struct ctnode *copy_child(struct calltree *t, struct ctnode *d, const struct ctnode *c)
{
	struct ctnode *n = node_new(c->func, d);

	if (!n)
		return NULL;
	if (kids_reserve(ctn_of(d))) {
		node_free(n);
		return NULL;
	}
	link_child(ctn_of(d), n);
	n->total_weight = c->total_weight;
	n->self_weight = c->self_weight;
	n->total_count = c->total_count;
	n->self_count = c->self_count;
	n->repeat = c->repeat;
	t->nodes++;
	return n;
}

int calltree_copy(struct calltree *dst, struct calltree *src)
{
	const struct ctnode *sroot = &src->root.n, *x = sroot, *c;
	struct ctnode *d = &dst->root.n;

	calltree_clear(dst);
	d->total_weight = sroot->total_weight;
	d->self_weight = sroot->self_weight;
	d->total_count = sroot->total_count;
	d->self_count = sroot->self_count;
	/* A preorder walk of src skipping empty subtrees, with d the copy of
	 * x: down to a child, else to the next sibling of x or of the
	 * nearest ancestor that has one. */
	for (;;) {
		c = nonzero(x->child);
		while (!c) {
			if (x == sroot)
				return 0;
			c = nonzero(x->next);
			x = x->parent;
			d = d->parent;
		}
		d = copy_child(dst, d, c);
		if (!d) {
			calltree_clear(dst);
			return -ENOMEM;
		}
		x = c;
	}
}

size_t calltree_nodes(const struct calltree *t)
{
	return t->nodes;
}

int calltree_check(struct calltree *t, char *err, size_t errlen)
{
	struct ctnode *r = &t->root.n, *x, *c;
	size_t seen = 0;

#define BAD(...)                                                                                   \
	do {                                                                                       \
		if (err && errlen)                                                                 \
			snprintf(err, errlen, __VA_ARGS__);                                        \
		return -EINVAL;                                                                    \
	} while (0)

	if (r->parent || r->depth != 0 || r->func != 0 || r->next)
		BAD("root: bad parent, depth, func or sibling");
	for (x = r; x; x = preorder_next(x, 0)) {
		uint64_t sw = 0, sc = 0;
		uint32_t nc = 0, kidn = 0;

		seen++;
		for (c = x->child; c; c = c->next) {
			if (c->parent != x)
				BAD("node func %" PRIu32 " depth %" PRIu32 ": child func %" PRIu32
				    " has a wrong parent",
				    x->func, x->depth, c->func);
			if (c->depth != x->depth + 1)
				BAD("node func %" PRIu32 " depth %" PRIu32 ": child depth %" PRIu32,
				    c->func, c->depth, x->depth);
			if (calltree_child(x, c->func) != c)
				BAD("node func %" PRIu32 " depth %" PRIu32 ": child func %" PRIu32
				    " duplicate or not found",
				    x->func, x->depth, c->func);
			if (sw + c->total_weight < sw || sc + c->total_count < sc)
				BAD("node func %" PRIu32 " depth %" PRIu32 ": totals overflow",
				    x->func, x->depth);
			sw += c->total_weight;
			sc += c->total_count;
			if (++nc > x->nchildren)
				break;
		}
		if (nc != x->nchildren)
			BAD("node func %" PRIu32 " depth %" PRIu32 ": nchildren %" PRIu32
			    " but %" PRIu32 " children listed",
			    x->func, x->depth, x->nchildren, nc);
		if (ctn_of(x)->kids) {
			uint32_t s;

			for (s = 0; s <= ctn_of(x)->kmask; s++)
				if (ctn_of(x)->kids[s])
					kidn++;
			if (kidn != nc)
				BAD("node func %" PRIu32 " depth %" PRIu32
				    ": child hash holds %" PRIu32 " of %" PRIu32 " children",
				    x->func, x->depth, kidn, nc);
		}
		if (x->total_weight != x->self_weight + sw || x->self_weight + sw < x->self_weight)
			BAD("node func %" PRIu32 " depth %" PRIu32 ": total weight %" PRIu64
			    " != self %" PRIu64 " + children %" PRIu64,
			    x->func, x->depth, x->total_weight, x->self_weight, sw);
		if (x->total_count != x->self_count + sc || x->self_count + sc < x->self_count)
			BAD("node func %" PRIu32 " depth %" PRIu32 ": total count %" PRIu64
			    " != self %" PRIu64 " + children %" PRIu64,
			    x->func, x->depth, x->total_count, x->self_count, sc);
		if (seen > t->nodes)
			BAD("more nodes reachable than the %zu counted", t->nodes);
	}
	if (seen != t->nodes)
		BAD("%zu nodes reachable but %zu counted", seen, t->nodes);
#undef BAD
	return 0;
}
