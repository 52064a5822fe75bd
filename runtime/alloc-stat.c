/*
 * alloc-stat.c - the statistics of byte sampling (see alloc.h).
 *
 * Async-signal-safe only: pure arithmetic on the caller's state.  Each
 * thread draws the bytes until its next sample from an exponential
 * distribution, which makes the samples a Poisson process over the bytes
 * allocated: a block of size s holds at least one point with probability
 * p = 1 - exp(-s / mean), and a sampled block stands for s / p bytes and
 * 1 / p blocks on average (the scaling pprof applies to heap profiles).
 *
 * The two transcendental functions are computed here, to full double
 * precision, rather than taken from libm: a preloaded runtime that needs
 * libm makes every process start load and relocate it.
 */
#include "config.h"

#include <string.h>
#include "alloc.h"

#define LN2 0.69314718055994530942
#define SQRT2 1.41421356237309504880

/* log(x) for 0 < x < 2^1024 (x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172) */
double alloc_stat_log(double x)
{
	uint64_t bits;
	double m, s, s2, term, sum = 0;
	int e;

	memcpy(&bits, &x, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff);
	if (e == 0) {
		/* subnormal: scale into the normal range */
		x *= 0x1p54;
		memcpy(&bits, &x, sizeof(bits));
		e = (int)((bits >> 52) & 0x7ff) - 54;
	}
	e -= 1023;
	bits = (bits & ~(UINT64_C(0x7ff) << 52)) | (UINT64_C(1023) << 52);
	memcpy(&m, &bits, sizeof(m));
	if (m >= SQRT2) {
		m /= 2;
		e++;
	}
	s = (m - 1) / (m + 1);
	s2 = s * s;
	term = s;
	for (int k = 0; k < 14; k++) {
		sum += term / (2 * k + 1);
		term *= s2;
	}
	return 2 * sum + e * LN2;
}

/* 1 - exp(-t) for t >= 0, without the cancellation of the subtraction
 * when t is small */
double alloc_stat_p(double t)
{
	double term = t, sum = 0, r, e;
	uint64_t bits;
	int n;

	if (t < 1) {
		/* t - t^2/2! + t^3/3! - ... */
		for (int k = 1; k < 22 && term != 0; k++) {
			sum += term;
			term *= -t / (k + 1);
		}
		return sum;
	}
	if (t > 745)
		return 1;
	/* exp(-t) = 2^-n exp(-r), t = n ln2 + r, 0 <= r < ln2 */
	n = (int)(t / LN2);
	r = t - n * LN2;
	e = 1;
	term = 1;
	for (int k = 1; k < 22; k++) {
		term *= -r / k;
		e += term;
	}
	if (n > 1022)
		return 1;
	bits = (uint64_t)(1023 - n) << 52;
	memcpy(&r, &bits, sizeof(r));
	return 1 - e * r;
}

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
	double v = -alloc_stat_log(alloc_stat_uniform(st, seed)) * (double)mean;

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
	int64_t d;

	if (!mean) {
		st->base -= (uint64_t)st->left;
		st->left = 0;
		*bytes = size;
		*objects = 1;
		return 1;
	}
	if (!st->rng) {
		d = alloc_stat_draw(st, mean, seed);
		st->left += d;
		st->base += (uint64_t)d;
		if (st->left > 0)
			return 0;
	}
	d = alloc_stat_draw(st, mean, seed);
	st->base += (uint64_t)d - (uint64_t)st->left;
	st->left = d;
	p = alloc_stat_p((double)size / (double)mean);
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
	whole = (double)(uint64_t)obj; /* obj >= 1 */
	*objects = (uint64_t)whole + (alloc_stat_uniform(st, seed) <= obj - whole ? 1 : 0);
	if (*objects < 1)
		*objects = 1;
	return 1;
}
