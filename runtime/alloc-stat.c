/*
 * alloc-stat.c - the statistics of byte sampling (see alloc.h).
 *
 * Async-signal-safe only: pure arithmetic on the caller's state.  Each
 * thread draws the bytes until its next sample from an exponential
 * distribution, which makes the samples a Poisson process over the bytes
 * allocated: a block of size s holds at least one point with probability
 * p = 1 - exp(-s / mean), and a sampled block stands for s / p bytes and
 * 1 / p blocks on average (the scaling pprof applies to heap profiles).
 */
#include "config.h"

#include <math.h>
#include "alloc.h"

static uint64_t next(struct alloc_stat *st, uint64_t seed)
{
	uint64_t x = st->rng;

	if (!x) {
		/* splitmix64 of the seed: never 0 */
		x = seed + 0x9e3779b97f4a7c15ull;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
		x ^= x >> 31;
		if (!x)
			x = 1;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	st->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

double alloc_stat_uniform(struct alloc_stat *st, uint64_t seed)
{
	return (double)((next(st, seed) >> 11) + 1) * 0x1.0p-53;
}

int64_t alloc_stat_draw(struct alloc_stat *st, uint64_t mean, uint64_t seed)
{
	double v = -log(alloc_stat_uniform(st, seed)) * (double)mean;

	if (v < 1)
		return 1;
	if (v > 0x1p62)
		return INT64_C(1) << 62;
	return (int64_t)v;
}

int alloc_stat_take(struct alloc_stat *st, uint64_t size, uint64_t mean, uint64_t seed,
		    uint64_t *bytes, uint64_t *objects)
{
	double p, obj, whole;

	if (!mean) {
		st->left = 0;
		*bytes = size;
		*objects = 1;
		return 1;
	}
	if (!st->rng) {
		st->left += alloc_stat_draw(st, mean, seed);
		if (st->left > 0)
			return 0;
	}
	st->left = alloc_stat_draw(st, mean, seed);
	p = -expm1(-(double)size / (double)mean);
	if (p <= 0) {
		/* size 0: sampled only as the first block of a thread */
		*bytes = 0;
		*objects = 1;
		return 1;
	}
	*bytes = (uint64_t)((double)size / p + 0.5);
	if (*bytes < size)
		*bytes = size;
	obj = 1.0 / p;
	whole = floor(obj);
	*objects = (uint64_t)whole + (alloc_stat_uniform(st, seed) <= obj - whole ? 1 : 0);
	if (*objects < 1)
		*objects = 1;
	return 1;
}
