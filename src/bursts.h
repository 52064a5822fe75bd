/*
 * bursts.h - bursts in time, found automatically in a series of time
 * slices (FlameScope's question, answered without a person's eye).
 *
 * Input: one entry per slice of equal length (say 100 ms), oldest first,
 * each with its sample count and its samples per function (any function
 * a stack names: the leaf for "where the CPU went").  Two kinds of burst:
 *
 *   rate  slices whose count exceeds rate_ratio (2x) times the baseline
 *         and the baseline's noise (3 median absolute deviations);
 *   mix   slices where one function takes at least mix_min_share (50%)
 *         of the samples and at least mix_jump (30 points) more than its
 *         share of the baseline (both its pooled share of the baseline's
 *         samples and the median of its shares of the baseline's slices:
 *         a burst of another function in the baseline does not lower
 *         it), in a slice of 5 samples or more, and more than chance
 *         allows (its count
 *         3 binomial standard deviations above what the baseline share
 *         predicts: at low rates a slice has few samples): the same CPU,
 *         a different mix.
 *
 * The baseline is robust: the median (not the mean) of the baseline_slices
 * slices before a burst starts, so that a burst cannot hide itself by
 * raising it; it stays fixed while the burst lasts.  A burst is a run of
 * at least min_slices qualifying slices (a single noisy slice is not a
 * burst) that ends within max_slices: a rate that rises and stays up is a
 * new level, not a burst forever.  No baseline, no burst: a series shorter
 * than baseline_slices / 2 + min_slices finds nothing
 * (bursts_find returns -EAGAIN so the caller can say why).
 *
 * For each burst the functions most over-represented in it compared with
 * the rest of the series are named (at most BURST_TOPS, the most first),
 * with the ratios of their shares.
 *
 * bursts_of_profile reads the slices from a profile's heat buckets (a
 * tenth of a second each): a slice counts, for every function, the
 * samples whose stack has it (once a sample, whatever the recursion), so
 * that a burst of one function shows whatever it calls.
 */
#ifndef FT_BURSTS_H
#define FT_BURSTS_H

#include <stddef.h>
#include <stdint.h>

#define BURST_TOPS 3

struct burst_slice {
	uint64_t total;		/* samples in the slice */
	size_t n;		/* entries in funcs/counts */
	const uint32_t *funcs;	/* function ids (< nfuncs of bursts_find) */
	const uint64_t *counts; /* samples of each */
};

struct burst_config {
	double rate_ratio;	  /* 2.0 */
	double mix_min_share;	  /* 0.5 */
	double mix_jump;	  /* 0.3 */
	uint32_t baseline_slices; /* 50 */
	uint32_t min_slices;	  /* 2 */
	uint32_t max_slices;	  /* 50 */
};

enum burst_kind {
	BURST_RATE,
	BURST_MIX,
};

struct burst {
	enum burst_kind kind;
	size_t first, last; /* slice indexes, inclusive */
	double ratio;	    /* rate: the burst's mean count / baseline;
			       mix: top's share in the burst / in the baseline */
	uint32_t top;	    /* the most over-represented function (0: none) */
	double top_ratio;   /* its share in the burst / in the rest */
	/* the BURST_TOPS most over-represented, the most first (tops[0] is
	 * top); ntops of them */
	uint32_t tops[BURST_TOPS];
	double tops_ratio[BURST_TOPS];
	size_t ntops;
};

void bursts_config_default(struct burst_config *c);

/* Finds bursts in the n slices s (functions ids below nfuncs).  *out is a
 * malloc'd array of *nout bursts ordered by start (NULL when none), freed
 * by the caller with free().  0; -EAGAIN when the series is too short to
 * have a baseline (then *nout is 0); -ENOMEM. */
int bursts_find(const struct burst_slice *s, size_t n, uint32_t nfuncs,
		const struct burst_config *c, struct burst **out, size_t *nout);

/* The bursts in the heat buckets of profile p (profile_heat), all its
 * samples whatever its filters; *first_ns is the start of slice 0 (a
 * burst spans [first_ns + first * BURST_SLICE_NS, first_ns + (last + 1) *
 * BURST_SLICE_NS)), *nslices the slices read.  Returns as bursts_find. */
#define BURST_SLICE_NS 100000000ull
struct profile;
int bursts_of_profile(const struct profile *p, const struct burst_config *c, struct burst **out,
		      size_t *nout, uint64_t *first_ns, size_t *nslices);

/* The same, kept up to date across calls on one profile (a viewer finds
 * bursts again every second): a series keeps each tenth's per-function
 * counts and reads only the tenths it has not read, and the last second
 * again (samples arrive a poll late); a profile that was cleared or
 * rebuilt is read whole again. */
struct burst_series;
struct burst_series *bursts_series_new(void); /* NULL on ENOMEM */
void bursts_series_free(struct burst_series *s);
int bursts_series_find(struct burst_series *s, const struct profile *p,
		       const struct burst_config *c, struct burst **out, size_t *nout,
		       uint64_t *first_ns, size_t *nslices);

/* "rate" or "mix". */
const char *bursts_kind_name(enum burst_kind k);

#endif
