/*
 * calltree.h - the call tree: frames keyed by function, weighed.
 *
 * Each node is one function reached by one call path from the root.  A
 * node's total is the weight of every stack passing through it, self the
 * weight of the stacks ending in it; so for every node
 *   total == self + sum(children's total)
 * (checked by calltree_check).  Two measures are kept side by side:
 * weight (nanoseconds of CPU or wall time, or bytes later) and count
 * (number of samples).  Adding and subtracting stacks is incremental: a
 * node whose totals fall to zero stays (and is skipped by views) until
 * calltree_prune or calltree_clear.
 *
 * Node pointers are stable until calltree_prune, calltree_clear or
 * calltree_free; calltree_prune frees only nodes whose total weight and
 * total count are both 0 (with their subtrees): other nodes keep their
 * addresses.  Children are kept in no particular order: views sort.
 */
#ifndef FT_CALLTREE_H
#define FT_CALLTREE_H

#include <stddef.h>
#include <stdint.h>

struct ctnode {
	uint32_t func;	/* funcs id; 0 for the root */
	uint32_t depth; /* root is 0 */
	uint64_t total_weight, self_weight;
	uint64_t total_count, self_count;
	struct ctnode *parent;
	struct ctnode *child; /* first child */
	struct ctnode *next;  /* next sibling */
	uint32_t nchildren;
	/* frames of a collapsed recursion this node stands for, at most
	 * (hide.h); 0 or 1: none collapsed */
	uint32_t repeat;
};

struct calltree;

struct calltree *calltree_new(void); /* NULL on ENOMEM */
void calltree_free(struct calltree *t);

struct ctnode *calltree_root(struct calltree *t);

/* Adds one stack: funcs[0] is the outermost function (nearest the root),
 * funcs[n-1] the leaf.  n may be 0 (weight lands on the root's self).
 * Returns the node of funcs[n-1] (stable, see above) or NULL on ENOMEM,
 * in which case the tree is unchanged. */
struct ctnode *calltree_add(struct calltree *t, const uint32_t *funcs, size_t n, uint64_t weight,
			    uint64_t count);

/* Adds weight/count to the path from node up to the root (node's self). */
void calltree_add_at(struct calltree *t, struct ctnode *node, uint64_t weight, uint64_t count);
/* Subtracts what calltree_add/add_at added at node; never goes below 0:
 * the amounts are clamped to node's self, so the invariants hold. */
void calltree_sub_at(struct calltree *t, struct ctnode *node, uint64_t weight, uint64_t count);

/* The child of parent for func, or NULL. */
struct ctnode *calltree_child(struct ctnode *parent, uint32_t func);
/* The child of parent (a node of t) for func, made with zero weights when
 * missing; NULL on ENOMEM (t unchanged). */
struct ctnode *calltree_child_add(struct calltree *t, struct ctnode *parent, uint32_t func);

/* Makes dst a copy of src without its empty subtrees (nodes whose totals
 * are both 0), in time linear in the nodes copied and without recursion.
 * 0, or -ENOMEM with dst left empty. */
int calltree_copy(struct calltree *dst, struct calltree *src);

/* Multiplies every weight and count by factor (not 0): 0, or -EOVERFLOW
 * with the tree unchanged when a total would not fit. */
int calltree_scale(struct calltree *t, uint64_t factor);

void calltree_clear(struct calltree *t);	 /* back to an empty root */
void calltree_prune(struct calltree *t);	 /* frees nodes with total 0 */
size_t calltree_nodes(const struct calltree *t); /* including the root */
/* Changes whenever the tree does (every add, sub, clear, prune, copy),
 * and differs between trees: what a view computed from a tree is still
 * good while the tree and its generation are the same. */
uint64_t calltree_gen(const struct calltree *t);

/* Checks the invariants of the whole tree; 0 if sane, else -EINVAL and a
 * message naming the first broken node in err. */
int calltree_check(struct calltree *t, char *err, size_t errlen);

#endif
