/*
 * evidence.h - what the profile says about a shape finding besides its
 * shape (shapes.h): who calls it, how much of it waited off CPU, what it
 * allocated and whether what it allocated stays in use.
 *
 * Every part is known only when the data exists: callers from any tree;
 * the off-CPU share from a profile that holds wall-mode samples (a
 * profile measured "wall"); allocations from the evidence profiles a live
 * source keeps (live_keep_evidence: bytes allocated, and bytes freed
 * under the allocating stack).  evidence_text says "no data" for a part
 * it does not know rather than guess; it calls in-use bytes growing only
 * when most of what was allocated under the frame in the window is still
 * in use, and never calls a tall spike a leak by its shape alone.
 */
#ifndef FT_EVIDENCE_H
#define FT_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"
#include "profile.h"
#include "shapes.h"

#define EVIDENCE_CALLERS 3
/* in use grows when at least this share of the bytes allocated in the
 * window is still in use at its end */
#define EVIDENCE_GROWTH 0.5

struct shape_evidence {
	/* the finding's function's callers, merged over the tree (each
	 * call path counted once whatever the recursion), heaviest first,
	 * with their share of the function's weight */
	uint32_t callers[EVIDENCE_CALLERS];
	double caller_share[EVIDENCE_CALLERS];
	size_t ncallers;
	bool offcpu_known;	   /* the profile has wall-mode samples */
	double offcpu;		   /* the share of the frame's weight taken off CPU */
	bool alloc_known;	   /* allocations are sampled */
	uint64_t allocated, freed; /* bytes under the frame in the window */
	double span_s;		   /* the window's length, seconds */
};

/* Fills e for frame node of tree t.  time_p: the profile the tree is
 * of (NULL: none, a file); ap and fp: live_alloc_profile and
 * live_free_profile (NULL: no allocation data); span_s the window's
 * length in seconds.  0 or -ENOMEM. */
int evidence_of(const struct ctnode *node, struct calltree *t, struct profile *time_p,
		struct profile *ap, struct profile *fp, double span_s, struct shape_evidence *e);

/* The in-use trend under frame node (of tree t, of time_p): net[k] is the
 * bytes allocated minus the bytes freed under it in second k of the
 * evidence profiles ap and fp (k from the oldest second either keeps, at
 * most max seconds); returns how many seconds were filled (0 without
 * data), *first_ns the start of second 0.  -ENOMEM. */
long evidence_trend(const struct ctnode *node, struct profile *time_p, struct profile *ap,
		    struct profile *fp, int64_t *net, size_t max, uint64_t *first_ns);

/* Whether in-use bytes under the frame grew (EVIDENCE_GROWTH). */
bool evidence_inuse_grows(const struct shape_evidence *e);

/* The finding's explanation (shapes_explain) followed by its evidence,
 * one sentence: "...; called from a (60%), b (40%); 12% off CPU;
 * allocated 3.2 MiB (110 KiB/s) and freed 0.3 MiB under it: in-use bytes
 * under it grew by 2.9 MiB". */
void evidence_text(const struct shape_finding *f, const struct shape_evidence *e,
		   const struct funcs *fn, char *buf, size_t len);

#endif
