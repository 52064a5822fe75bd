/*
 * difftree.h - a call tree against a baseline: the differential flame
 * graph's model.
 *
 * Given a baseline tree A and a tree B whose functions are interned in one
 * funcs table, every frame of B (one call path from the root) gets its
 * share of B's total and the share the same path has in A, each
 * normalised to its own tree's total, so that profiles of different
 * lengths compare; its change is B - A in percentage points.  Frames only
 * in A have no box in B's graph: they are counted (difftree_gone), and
 * their functions are in the per-function rows (diff.h) with a B share of
 * 0.  Shares are of total_weight, what the graph draws.
 *
 * Noise.  A share p measured on n samples varies by about sqrt(p(1-p)/n).
 * A change is within noise when it is smaller than DIFF_NOISE_SE standard
 * errors of the difference of two shares that did not change (p pooled
 * from both profiles, n their sample counts), and never counts when it is
 * under DIFF_NOISE_FLOOR points.  With 3 standard errors a frame that did
 * not change is called changed about once in 370.
 */
#ifndef FT_DIFFTREE_H
#define FT_DIFFTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "diff.h"

#define DIFF_NOISE_SE 3.0
#define DIFF_NOISE_FLOOR 0.5 /* percentage points */

/* A frame's or a function's shares, in percent of each tree's total. */
struct diff_share {
	double a, b;
	double noise; /* points: a change smaller than this is noise */
};

/* The noise, in points, of a change from pa to pb (percent) measured on
 * na and nb samples. */
double diff_noise(double pa, double pb, uint64_t na, uint64_t nb);
/* Is the change b - a above its noise. */
bool diff_significant(const struct diff_share *s);

struct difftree;

struct difftree *difftree_new(void); /* NULL on ENOMEM */
void difftree_free(struct difftree *d);

/* Compares b against a (both borrowed; a and b may be the same tree).
 * Computed again only when either tree changed (calltree_gen): returns 1
 * when it computed, 0 when nothing changed, -ENOMEM (then it knows
 * nothing until the next successful update).  The answers below hold
 * until a or b changes. */
int difftree_update(struct difftree *d, struct calltree *a, struct calltree *b);

/* Node n of b: its shares and noise.  false when n is not a node of b
 * (or b has no samples). */
bool difftree_node(const struct difftree *d, const struct ctnode *n, struct diff_share *out);

/* The frames of A whose path is not in B (counting the outermost frame
 * of each missing subtree): how many, and their share of A (percent). */
size_t difftree_gone(const struct difftree *d, double *share_a);

/* The functions of both, as diff_compute gives them (sorted by the size
 * of the self change), computed on the first call after an update; NULL
 * before a successful update, or on ENOMEM. */
const struct diff *difftree_funcs(struct difftree *d);
/* The per-function shares of row r of difftree_funcs: self or total. */
void difftree_row_share(const struct difftree *d, const struct diff_row *r, bool total,
			struct diff_share *out);

/* The rest of a profile: dst becomes a copy of all without the stacks of
 * part, a part of all (the samples of a time range within the time that
 * all covers): each node of part gives back its self to the node of the
 * same path in dst (never below zero).  0, or -ENOMEM (dst empty). */
int difftree_rest(struct calltree *dst, struct calltree *all, struct calltree *part);

#endif
