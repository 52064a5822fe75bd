/*
 * gctimeline.h - the GC timeline: the target's garbage collections.
 *
 * Decodes struct ft_gc records (runtime/flametop-shm.h) into collections
 * kept in time order, the newest GCTIMELINE_KEEP of them (older ones are
 * forgotten but still counted in the totals).  Answers what the gctrace
 * line, the report and the timeline strip need: each collection's
 * numbers, a summary over a time span (rate, pause quantiles, the share
 * of wall time paused), and the mapping of times to screen columns.
 *
 * Times are CLOCK_MONOTONIC ns as the target wrote them; "seconds" in
 * output are counted from the timeline's origin (the target runtime's
 * start, ft_header.start_mono_ns), the origin of every flametop output.
 */
#ifndef FT_GCTIMELINE_H
#define FT_GCTIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flametop-shm.h"

#define GCTIMELINE_KEEP 65536u

struct gc_phase {
	char name[FT_GC_PHASE_NAME]; /* NUL-terminated */
	uint64_t start_ns;	     /* from the collection's start */
	uint64_t dur_ns;
};

/* One collection, decoded.  Fields whose GC_HAVE_* bit is clear are 0. */
struct gc_cycle {
	uint64_t number; /* the collector's own, or counted from 1 */
	uint64_t start_ns, end_ns, pause_ns;
	uint64_t used_before, used_after; /* bytes in use (see gctimeline.c) */
	uint64_t heap_before, heap_after; /* heap size */
	uint64_t allocated;		  /* since the previous collection */
	uint64_t freed;
	int32_t tid;
	uint64_t thread_bytes; /* FT_GC_HAVE_THREAD_BYTES: tid's count of
				* bytes allocated when it began */
	uint16_t source;       /* enum ft_gc_source */
	uint16_t reason;       /* enum ft_gc_reason */
	uint16_t flags;	       /* FT_GC_* of the record */
	uint16_t nphases;
	struct gc_phase phase[FT_GC_PHASES];
	uint16_t nframes;
	uint64_t *pc; /* nframes trigger-stack pcs, innermost first; owned */
};

struct gctimeline;

/* origin_ns: the time "@0s" stands for.  NULL on allocation failure. */
struct gctimeline *gctimeline_new(uint64_t origin_ns);
void gctimeline_free(struct gctimeline *t); /* NULL is a no-op */

/* Checks a record of kind FT_REC_GC of len bytes by the rules of
 * flametop-shm(5): the whole struct and its frames inside len, nframes <=
 * FT_MAX_DEPTH, nphases <= FT_GC_PHASES, start <= end, phases inside the
 * collection, a known source.  Pure. */
bool gctimeline_check(const struct ft_rec_hdr *rec, uint32_t len);

/* Adds the collection of a record that passed gctimeline_check.  Returns
 * the decoded collection (valid until the next add), or NULL when the
 * record is invalid (counted) or memory ran out. */
const struct gc_cycle *gctimeline_add(struct gctimeline *t, const struct ft_rec_hdr *rec,
				      uint32_t len);

/* Collections kept, oldest first: index 0 .. gctimeline_count() - 1. */
size_t gctimeline_count(const struct gctimeline *t);
const struct gc_cycle *gctimeline_get(const struct gctimeline *t, size_t i);
/* Collections ever added (kept or forgotten), and invalid records. */
uint64_t gctimeline_total(const struct gctimeline *t);
uint64_t gctimeline_invalid(const struct gctimeline *t);
uint64_t gctimeline_origin(const struct gctimeline *t);

/* The first kept collection that ends at or after t_ns (count if none). */
size_t gctimeline_find(const struct gctimeline *t, uint64_t t_ns);

struct gc_summary {
	uint64_t collections;	 /* ending inside the span */
	uint64_t span_ns;	 /* the span's length */
	uint64_t pause_total_ns; /* stop-the-world, summed */
	uint64_t work_total_ns;	 /* start to end, summed */
	uint64_t pause_p50_ns, pause_p99_ns, pause_max_ns;
	uint64_t allocated_total;    /* over the collections that know it */
	uint64_t allocated_known;    /* ... how many */
	double rate_per_s;	     /* collections per second */
	double pause_share;	     /* pause_total / span, 0..1 */
	double work_share;	     /* work_total / span, 0..1 */
	double alloc_per_gc;	     /* allocated_total / allocated_known */
	double alloc_rate;	     /* bytes per second */
	const struct gc_cycle *last; /* the newest in the span, or NULL */
};

/* Summarises the kept collections that end in [from_ns, to_ns] (from 0:
 * since the origin).  Quantiles are of pause_ns, nearest rank.  0, or
 * -ENOMEM. */
int gctimeline_summary(const struct gctimeline *t, uint64_t from_ns, uint64_t to_ns,
		       struct gc_summary *out);

/* The gctrace line of c (no newline), relative to origin_ns:
 *   gc N @S.SSSs: P ms pause[, D1+D2 ms NAME1+NAME2], B->A MB[, H MB heap]
 *     [, X MB allocated][, F MB freed], REASON
 * (one line; fields in brackets only when the collection knows them;
 * see flametop(1)).  Returns what snprintf returns. */
int gctimeline_format(const struct gc_cycle *c, uint64_t origin_ns, char *buf, size_t len);

/* "alloc", "explicit", "other", "unknown" */
const char *gctimeline_reason_name(uint16_t reason);

/* The column (0 .. width-1) of time t_ns on an axis that shows [from_ns,
 * to_ns) over width columns, or -1 when t_ns is outside it (or the axis
 * is empty).  Column c covers [from + c*span/width, from + (c+1)*span/width). */
int gctimeline_column(uint64_t t_ns, uint64_t from_ns, uint64_t to_ns, int width);

#endif
