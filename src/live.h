/*
 * live.h - a live source: segment -> symbols -> profile.
 *
 * Follows one target's segment, registers its modules with the symbolizer,
 * resolves each sample's frames and adds it to the profile, names threads,
 * and keeps the numbers the status line and summaries show.  Reattaches by
 * pid when the target calls exec.  Single-threaded: the caller polls.
 */
#ifndef FT_LIVE_H
#define FT_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "flametop-shm.h"
#include "profile.h"

struct live;

struct live_stats {
	pid_t pid;
	char cmd[256]; /* the target's command line */
	enum ft_state state;
	int exit_status; /* with FT_STATE_EXITED: wait status or -1 */
	enum ft_mode mode;
	enum ft_timer timer;
	uint32_t freq_hz;	    /* asked */
	double achieved_hz;	    /* per busy thread, as published */
	uint64_t samples;	    /* samples read since attach */
	uint64_t lost;		    /* dropped by the runtime + missed by us */
	double samples_per_sec;	    /* over the last second of polls */
	uint64_t first_ns, last_ns; /* time of the first / newest sample */
	uint64_t now_ns;	    /* the target's clock as of the last poll */
	uint64_t allocs;	    /* allocation samples read since attach */
	uint64_t frees;		    /* releases of sampled blocks read */
	bool alloc_hooked;	    /* the target's malloc family is interposed */
	uint64_t alloc_rate;	    /* ... with this mean sampling interval */
};

/* What the profile weighs.  TIME and SAMPLES both fill it from the stack
 * samples (each weighs CPU or wall time, and counts 1); the allocation
 * weights fill it from allocation samples instead: ALLOC_* with every
 * sampled allocation (its estimated bytes or objects), INUSE_* with the
 * sampled blocks not released yet (the profile is rebuilt from them at
 * each poll and at live_flush). */
enum live_weight {
	LIVE_WEIGHT_TIME = 0,
	LIVE_WEIGHT_SAMPLES,
	LIVE_WEIGHT_ALLOC_BYTES,
	LIVE_WEIGHT_ALLOC_OBJECTS,
	LIVE_WEIGHT_INUSE_BYTES,
	LIVE_WEIGHT_INUSE_OBJECTS,
};

/* "time" (also "cpu", "wall"), "samples", "alloc-bytes", "alloc-objects",
 * "inuse-bytes", "inuse-objects": 0, or -EINVAL. */
int live_weight_parse(const char *s, enum live_weight *w);
/* The canonical name of w ("time", "alloc-bytes", ...). */
const char *live_weight_name(enum live_weight w);
/* Whether w is one of the allocation weights. */
bool live_weight_alloc(enum live_weight w);

/* Chooses what the profile weighs (the default is LIVE_WEIGHT_TIME), at
 * any time: a change clears the profile, and time or allocations count
 * from then on; the in-use weights show every sampled block still live,
 * also those allocated before when live_keep_blocks was called.  0 or
 * -ENOMEM. */
int live_set_weight(struct live *l, enum live_weight w);
enum live_weight live_weight(const struct live *l);
/* Keeps the live sampled blocks whatever the weight (a viewer, where an
 * in-use weight may be chosen later and must show what was allocated
 * before); without it they are kept only under an in-use weight. */
void live_keep_blocks(struct live *l);

/* Keeps, besides the profile, the bytes the sampled allocations took and
 * gave back by stack over the profile's window (its range and hidden
 * frames too): the evidence of the shape findings (evidence.h).  A freed
 * block counts under its allocating stack, at its release; blocks
 * allocated before the attach are not known.  Keeps the live blocks.  0
 * or -ENOMEM. */
int live_keep_evidence(struct live *l);
/* Those two profiles (measure "alloc" and "free", bytes); NULL without
 * live_keep_evidence. */
struct profile *live_alloc_profile(struct live *l);

/* With live_keep_evidence: the sampled allocations between the end of
 * collection prev (NULL: from the start) and the start of collection c,
 * by the function that allocated (the innermost frame kept): the
 * heaviest, at most max of them, in out (the heaviest first; with more
 * sites than max, the list is approximate), and their number returned.
 * *total: the estimated bytes of them all; *counted: the bytes the
 * threads counted themselves (each sample carries its thread's exact
 * count so far, and each collection its trigger's), 0 when unknown;
 * *whole false when the oldest of the interval were already overwritten
 * (the newest 65,536 sampled allocations are kept). */
struct alloc_site {
	uint32_t func;
	uint64_t bytes;
};
struct gc_cycle;
struct alloc_between {
	uint64_t total, counted;
	bool whole;
};
size_t live_allocs_between(struct live *l, const struct gc_cycle *prev, const struct gc_cycle *c,
			   struct alloc_site *out, size_t max, struct alloc_between *r);
struct profile *live_free_profile(struct live *l);

/* For the in-use weights: rebuilds the profile from the blocks live now
 * (live_poll does so at most every LIVE_INUSE_NS).  No-op otherwise. */
#define LIVE_INUSE_NS 500000000ull
void live_flush(struct live *l);

/* Attaches to pid's segment; samples go into p (borrowed, its funcs
 * table is used by the symbolizer).  NULL with a one-line message. */
struct live *live_attach(pid_t pid, struct profile *p, char *err, size_t errlen);
void live_free(struct live *l);

/* Reads what arrived since the last poll (bounded work per call), expires
 * the profile's window, writes the viewer heartbeat.  Returns the number
 * of samples added or -errno. */
int live_poll(struct live *l);

void live_stats(struct live *l, struct live_stats *out);

/* Skips what the target's ring holds from before this call (samples a
 * previous viewer caused): a recording of "the next N seconds" starts now. */
void live_skip_backlog(struct live *l);

/* Tells the live source how the target ended, when the caller reaped it
 * itself (flametop run / record); overrides what the segment says. */
void live_set_exit(struct live *l, int wait_status);

/* An observer of what live adds to the profile (a recording written as
 * it goes): sample is called with each sample just added by profile_add
 * (stack samples, and allocation samples under an allocation weight other
 * than in use; its stack valid for the call), gc with each collection
 * read (its record as the segment held it, and as decoded).  One observer
 * at a time; NULL (or NULL members) for none.  o is copied. */
struct gc_cycle;
struct live_observer {
	void (*sample)(void *arg, const struct profile_sample *s);
	void (*gc)(void *arg, const struct ft_rec_hdr *rec, uint32_t len, const struct gc_cycle *c);
	void *arg;
};
void live_observe(struct live *l, const struct live_observer *o);

/* ---- source lines ---- */

/* The stack samples' leaf lines since attach (or the last lines_clear):
 * each sample's weight under its innermost frame's function at the line
 * debug info gives for its pc (lines.h); never NULL. */
struct lines;
struct lines *live_lines(struct live *l);

/* ---- garbage collections ---- */

struct gc_cycle;
struct gctimeline;

/* The target's collections read so far (gctimeline.h); never NULL. */
struct gctimeline *live_gctimeline(struct live *l);
/* c's trigger stack as function ids, root first (the runtime's own
 * frames left out), at most max; returns how many.  0 while no segment
 * is followed. */
size_t live_gc_stack(struct live *l, const struct gc_cycle *c, uint32_t *ids, size_t max);

/* ---- grouping, label filters, coroutines ---- */

struct group;
struct label_filter;
struct symbols;
struct segment;

/* From now on every sample's stack starts with the pseudo-frames of g
 * (group.h).  0 or -ENOMEM. */
int live_set_group(struct live *l, const struct group *g);

/* The key=value pairs of the samples' label set id (profile_ctx's
 * labels_id), read from the segment once: fills keys and values (valid
 * as long as l) and returns how many, at most max; 0 for none or a set
 * that cannot be read.  The signature of fprof's labels (formats.h). */
int live_label_pairs(struct live *l, uint32_t id, const char **keys, const char **values, int max);

/* From now on the grouping is g (n 0: none) and the label filters are
 * the nf of f (replacing those in force).  0, -ENOMEM or -E2BIG. */
int live_regroup(struct live *l, const struct group *g, const struct label_filter *f, int nf);
/* The grouping and filters in force as live_regroup's spec takes them
 * back: "thread,label:stage stage=parse" ("" for none). */
void live_group_spec(struct live *l, char *out, size_t len);

/* From now on only samples whose labels have f's pair are added (several
 * filters: all must match).  0, -ENOMEM or -E2BIG (more than GROUP_MAX). */
int live_add_label_filter(struct live *l, const struct label_filter *f);

/* The segment and symbolizer followed now (NULL between an exec and the
 * new image's segment); valid until the next live_poll. */
struct segment *live_segment(struct live *l);
/* The grouping and label filters in force, as the header shows them
 * ("by coroutine,label:stage stage=transformer"); "" for none. */
void live_group_text(struct live *l, char *out, size_t len);
struct symbols *live_symbols(struct live *l);

#endif
