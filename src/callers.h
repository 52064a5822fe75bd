/*
 * callers.h - the callers and callees of one function, merged across
 * every place it is called from (the butterfly or sandwich view).
 *
 * From a call tree and a function F (one or more func ids read as one
 * function, such as every module's "parse"), two trees:
 *
 *   up:    root -> F -> F's callers, nearest first: a node's children are
 *          the functions that called it on the way to F (an inverted tree)
 *   down:  root -> F -> F's callees: every subtree under F merged into one
 *
 * Only the outermost F of each stack counts, so a recursive F is counted
 * once per stack (perf's and pprof's rule, top.h's total): F's node holds
 * the same total in both trees, the weight of every stack F is on.  In
 * up, a node's self is the weight of the stacks whose outermost frame it
 * is (F's own self: F was the outermost frame).  Both trees keep the
 * source's two measures (weight and count) and pass calltree_check.
 * Caller chains longer than CALLERS_MAX_DEPTH frames are cut there (the
 * weight stays on the farthest caller kept), so the work is bounded by
 * the source's nodes times that depth.
 */
#ifndef FT_CALLERS_H
#define FT_CALLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"

#define CALLERS_MAX_DEPTH 512

struct callers {
	struct calltree *up, *down;
	uint32_t func; /* F's id in both trees (the first of the ids given) */
	/* the source's root: the whole profile that shares are of */
	uint64_t all_weight, all_count;
};

/* Fills c from t for the n ids in funcs (n >= 1).  0, or -ENOMEM with c
 * empty.  Release with callers_release; F absent from t gives two trees
 * with F's node at zero (callers_found says so). */
int callers_compute(struct callers *c, struct calltree *t, const uint32_t *funcs, size_t n);
void callers_release(struct callers *c);

/* F's node in up or down (NULL when F was not in the source). */
struct ctnode *callers_node(struct calltree *t);
bool callers_found(const struct callers *c);

/* The ids of f whose name is name (every module), at most max of them;
 * returns how many there are in all. */
size_t callers_lookup(const struct funcs *f, const char *name, uint32_t *ids, size_t max);

/* One row of a tree listed for reading: the node and its level below
 * F (F's direct callers or callees are level 1). */
struct callers_row {
	const struct ctnode *node;
	uint32_t level;
};

/* The nodes under F's node in t (up or down), depth first, heaviest
 * children first (by weight, or count when by_count), ties by func id,
 * skipping nodes whose total is 0; at most max rows (0: all).  Sets
 * *rows (caller frees) and returns how many, or -ENOMEM. */
long callers_rows(struct calltree *t, bool by_count, size_t max, struct callers_row **rows);

#endif
