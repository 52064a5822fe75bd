/*
 * profile.h - the profile model: stack samples over a time window.
 *
 * Samples (already symbolized into function ids) are kept aggregated by
 * (stack, thread, on-cpu) in time slices of one second, so memory grows
 * with the number of distinct stacks, not with time.  The call tree shows
 * the samples that pass the filter (thread, on/off CPU) and fall inside the
 * window (the last N seconds, or everything).  Adding a sample and expiring
 * a slice change the tree incrementally; changing the filter or the window
 * rebuilds it from the retained slices.
 *
 * Times are CLOCK_MONOTONIC nanoseconds (as in the segment); the caller
 * drives time with profile_expire.
 */
#ifndef FT_PROFILE_H
#define FT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"
#include "unit.h"

/* The context a sample was taken in; interned by the profile (equal
 * contexts share one id), so the aggregation key is (stack, context id)
 * and filters and groupings read the context, never bits of a key. */
struct profile_ctx {
	int32_t tid;
	bool oncpu;
	uint64_t coro_id;   /* 0: not on a coroutine */
	uint32_t labels_id; /* 0: no labels */
};

struct profile_sample {
	uint64_t time_ns;
	int32_t tid;
	bool oncpu;
	uint64_t weight;       /* in the profile's unit (profile_unit) */
	const uint32_t *funcs; /* root first: funcs[0] outermost, funcs[n-1] leaf */
	uint32_t n;
	uint64_t coro_id;   /* 0: not on a coroutine */
	uint32_t labels_id; /* 0: no labels */
};

enum profile_oncpu {
	PROFILE_ANY = -1,   /* every sample */
	PROFILE_OFFCPU = 0, /* only samples taken while blocked (wall mode) */
	PROFILE_ONCPU = 1,
};

struct profile_thread {
	int32_t tid;
	char name[32];	/* as last set by profile_name_thread, or "" */
	uint64_t count; /* samples ever added for this thread */
	uint64_t weight;
	uint64_t last_ns; /* time of its newest sample, 0: none */
};

struct profile;

/* f is borrowed (the caller keeps it alive longer than the profile). */
struct profile *profile_new(struct funcs *f);
void profile_free(struct profile *p);

/* What the profile's values measure ("cpu", "wall", "samples", "alloc")
 * and their unit; a new profile measures "time" in UNIT_NS.  Changing it
 * does not convert values already added: set it before the first. */
void profile_set_measure(struct profile *p, const char *measure, enum unit unit);
const char *profile_measure(const struct profile *p);
enum unit profile_unit(const struct profile *p);

/* Adds one sample; -ENOMEM if it could not be kept (counted as dropped). */
int profile_add(struct profile *p, const struct profile_sample *s);

/* The window: the last window_ns nanoseconds before the newest
 * profile_expire "now"; 0 means everything since start (or the last
 * profile_clear).  Rebuilds the tree. */
void profile_set_window(struct profile *p, uint64_t window_ns);
uint64_t profile_window(const struct profile *p);
/* A time range: shows only the samples from from_ns to to_ns (in whole
 * tenths of a second, the heatmap's buckets: from rounded down, to up; at
 * least one tenth), instead of the window, until cleared with to_ns 0
 * (the window again).  Only retained seconds (profile_set_retain) can be
 * shown.  Rebuilds the tree. */
void profile_set_range(struct profile *p, uint64_t from_ns, uint64_t to_ns);
/* The range in force (whole tenths); false when none. */
bool profile_range(const struct profile *p, uint64_t *from_ns, uint64_t *to_ns);
/* Drops slices that fell out of the window as of now_ns. */
void profile_expire(struct profile *p, uint64_t now_ns);

/* Filter: tid 0 means all threads.  Rebuilds the tree. */
void profile_set_filter(struct profile *p, int32_t tid, enum profile_oncpu oncpu);
int32_t profile_filter_tid(const struct profile *p);
/* Shows only the samples of coroutine coro_id (0: all samples). */
void profile_set_coro_filter(struct profile *p, uint64_t coro_id);
uint64_t profile_filter_coro(const struct profile *p);
enum profile_oncpu profile_filter_oncpu(const struct profile *p);

/* Groupings: a pseudo-frame at the root of each sample's stack, from its
 * context, so that the tree splits by it first.  PROFILE_GROUP_THREAD
 * puts "[thread TID NAME]" (funcs module "") above every stack; coroutine
 * and label groupings go here next.  Rebuilds the tree. */
enum profile_grouping {
	PROFILE_GROUP_NONE = 0,
	PROFILE_GROUP_THREAD = 1,
};
void profile_set_grouping(struct profile *p, enum profile_grouping g);
enum profile_grouping profile_grouping(const struct profile *p);

/* Hiding and collapsing (hide.h): h (borrowed, NULL for none) transforms
 * every stack as it enters the tree, those added later too; call again
 * after changing h's rules.  The profile keeps the stacks as sampled, so
 * a change shows at once on everything retained.  Rebuilds the tree. */
struct hide;
void profile_set_hide(struct profile *p, struct hide *h);
struct hide *profile_hide(const struct profile *p);

/* Forgets every sample (threads' names are kept). */
void profile_clear(struct profile *p);

/* The tree of what passes the filter inside the window; owned by the
 * profile, valid until the next call that changes the profile. */
struct calltree *profile_tree(struct profile *p);
struct funcs *profile_funcs(struct profile *p);

/* Threads seen, in order of first appearance; *n set to the count.
 * Valid until the next profile_add. */
const struct profile_thread *profile_threads(struct profile *p, size_t *n);
void profile_name_thread(struct profile *p, int32_t tid, const char *name);

/* Totals over everything ever added (not only the window). */
uint64_t profile_total_count(const struct profile *p);
uint64_t profile_total_weight(const struct profile *p);

/* Added beyond the first contract. */

/* Per-second slices are kept for max(window, retain) so that switching from
 * "everything" to a window of up to retain shows the recent past at once.
 * Default 60 s; 0 keeps only the cumulative aggregate while the window is
 * 0 (memory then bounded by the distinct stacks).  Takes effect now. */
void profile_set_retain(struct profile *p, uint64_t retain_ns);
uint64_t profile_retain(const struct profile *p);
/* Frees tree nodes whose totals fell to 0 (profile_expire does it by
 * itself when many accumulate).  Node pointers into the tree die. */
void profile_prune(struct profile *p);
uint64_t profile_dropped(const struct profile *p); /* samples refused (ENOMEM) */
size_t profile_stacks(const struct profile *p);	   /* distinct stacks interned */

/* Calls fn for every distinct (stack, context) the tree shows (inside the
 * window, passing the filter), with its summed value and sample count:
 * what an exporter (pprof) needs.  funcs is root first, valid for the
 * call; each pair comes once (with hiding, profile_set_hide, each comes
 * transformed, and two may have become equal).  fn returns nonzero to stop; returns what
 * fn last returned (0 when it never stopped), or -ENOMEM. */
typedef int (*profile_stack_fn)(void *arg, const uint32_t *funcs, uint32_t n,
				const struct profile_ctx *ctx, uint64_t value, uint64_t count);
int profile_foreach(struct profile *p, profile_stack_fn fn, void *arg);

/* Per-time-slice counts for a heatmap: the samples (all of them, before
 * any filter) in buckets of 1 / PROFILE_HEAT_HZ seconds over the retained
 * seconds.  Fills counts[0..max) (when not NULL; values too) from the
 * oldest retained second on, sets *first_ns to the start of bucket 0, and
 * returns the buckets filled (0 when nothing is retained). */
#define PROFILE_HEAT_HZ 10
size_t profile_heat(const struct profile *p, uint64_t *counts, uint64_t *values, size_t max,
		    uint64_t *first_ns);

/* Calls fn for every (stack, context) sampled in heat bucket i (numbered
 * as profile_heat numbers them), every sample before any filter, stacks
 * as sampled (no grouping, no hiding), with its value and count: what
 * finding bursts needs.  Returns what fn last returned (nonzero stops),
 * 0 for an empty bucket or one beyond the retained seconds. */
int profile_foreach_bucket(const struct profile *p, size_t i, profile_stack_fn fn, void *arg);

#endif
