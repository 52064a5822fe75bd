/*
 * shapes.h - reading a flame graph's shape: wide flat peaks and tall thin
 * spikes, found in a call tree.
 *
 * The rules, in one place (their thresholds are struct shapes_config):
 *
 *   height(F)  frames from F down to its deepest leaf, F included (a leaf
 *              has height 1);
 *   share(F)   F's total weight / the root's total weight.
 *
 *   Wide peak  share(F) >= wide_min_share (30%) and height(F) <=
 *              wide_max_height (3): the weight sits in F's own self time
 *              and in shallow callees.  A frame that is wide only because
 *              everything runs under it is not a peak: F is "structural"
 *              when it and every frame between it and the root carry at
 *              least 99% of their parent's weight (main, a program's only
 *              thread's start routine) or when it is the start routine of
 *              a thread (a child of start_thread or clone); a structural
 *              frame is a peak only by its own self time (self(F) /
 *              root >= wide_min_share).
 *   Spike      height(F) >= spike_min_height (10), share(F) <=
 *              spike_max_share (5%) and >= spike_min_share (0.5%: a few
 *              stray samples are not a tower), and F carries less than
 *              90% of its parent's weight (F is where the tower becomes
 *              narrow; a level with a few self samples of its own does not
 *              start a new tower).  The tower is
 *              the deepest path from F; it is recursion when one function
 *              appears on it more than once (how many times is reported),
 *              a chain of distinct functions otherwise.
 *
 * When a frame and one of its descendants both qualify for the same kind,
 * only the innermost is reported.  The root itself is never a finding.
 * Weights are the tree's weight measure, or its sample counts when the
 * tree carries no weight.  Work is O(nodes), iterative, no recursion.
 */
#ifndef FT_SHAPES_H
#define FT_SHAPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"

struct shapes_config {
	double wide_min_share;	   /* 0.30 */
	uint32_t wide_max_height;  /* 3 */
	uint32_t spike_min_height; /* 10 */
	double spike_max_share;	   /* 0.05 */
	double spike_min_share;	   /* 0.005 */
};

enum shape_kind {
	SHAPE_WIDE_PEAK,
	SHAPE_SPIKE,
};

struct shape_finding {
	enum shape_kind kind;
	const struct ctnode *node; /* the frame (valid while the tree is) */
	double share;		   /* of the root's weight, 0..1 */
	double self_share;	   /* F's self weight / F's total, 0..1 */
	uint32_t height;	   /* levels of the peak's subtree / the tower */
	/* spikes: the tower along the deepest path from node */
	uint32_t repeat_func; /* the most repeated function, 0: none */
	uint32_t repeats;     /* its occurrences (>= 2: recursion) */
	uint32_t distinct;    /* distinct functions on the tower */
};

/* The defaults above, as an initializer and into *c. */
#define SHAPES_CONFIG_DEFAULTS                                                                     \
	{                                                                                          \
		.wide_min_share = 0.30, .wide_max_height = 3, .spike_min_height = 10,              \
		.spike_max_share = 0.05, .spike_min_share = 0.005                                  \
	}
void shapes_config_default(struct shapes_config *c);

/* Sets one threshold by name ("wide-share", "wide-depth", "spike-depth",
 * "spike-share") from text; shares are percentages ("30" or "30%").
 * 0, or -EINVAL with a message in err (value not a number or out of
 * range, unknown name). */
int shapes_config_set(struct shapes_config *c, const char *name, const char *value, char *err,
		      size_t errlen);

/* The names shapes_config_set takes, NULL-terminated. */
extern const char *const shapes_config_names[];

/* Finds the peaks and spikes under root (a tree's root or any node: the
 * shares are then of that node's weight); fn names the functions (for the
 * thread start rule; NULL: no names known).  *out is a malloc'd array of *n
 * findings sorted by share, heaviest first (NULL when none); the caller
 * frees it with free().  0, or -ENOMEM (then *out is NULL, *n 0). */
int shapes_find(const struct ctnode *root, const struct funcs *fn, const struct shapes_config *c,
		struct shape_finding **out, size_t *n);

/* One sentence on f, from what the tree holds ("wide peak: 41.0% of the
 * time, 33.0% in decode itself, 2 levels deep"); never guesses. */
void shapes_explain(const struct shape_finding *f, const struct funcs *fn, char *buf, size_t len);

/* "wide-peak" or "spike". */
const char *shapes_kind_name(enum shape_kind k);

#endif
