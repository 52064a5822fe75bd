/*
 * bench.h - what the bench programs share: a fixed-seed xorshift
 * generator (the same data every run) and a comparison for qsort of the
 * timings whose median they print.
 */
#ifndef FT_BENCH_H
#define FT_BENCH_H

#include <stdint.h>

static uint64_t rng = 88172645463325252ull;

static inline uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
