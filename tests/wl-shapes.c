/*
 * wl-shapes.c - workload: a profile of known shape.
 *
 * The work is fixed (iterations of one kernel), so whatever the machine's
 * speed the CPU time splits as:
 *   plateau                      50%   a wide flat peak (its own loop)
 *   solve -> recurse x 28         2.5% a tall thin spike (recursion)
 *   spread_N -> stage_N -> step_N -> leaf_N, N = 0..3
 *                                11.9% each: deep and even, no finding
 * rep-shapes.sh checks what `report --findings` says about it.
 * Usage: wl-shapes [SCALE]  (SCALE multiplies the work; default 1, ~1.5 s).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* noipa: no inlining, cloning or identical-code folding */
#define NOINLINE __attribute__((noipa))
#define UNIT 20000L /* kernel iterations of one unit of work */
#define ROUNDS 2000L
#define DEPTH 28

static volatile uint64_t sink;

#define KERNEL(x, n)                                                                               \
	for (long i_ = 0; i_ < (n); i_++) {                                                        \
		(x) ^= (x) << 13;                                                                  \
		(x) ^= (x) >> 7;                                                                   \
		(x) ^= (x) << 17;                                                                  \
		__asm__ volatile("" : "+r"(x));                                                    \
	}

static NOINLINE uint64_t plateau(uint64_t x, long n)
{
	KERNEL(x, n);
	return x;
}

static NOINLINE uint64_t recurse(uint64_t x, int depth, long n)
{
	if (depth > 1)
		x = recurse(x, depth - 1, n);
	else
		KERNEL(x, n);
	__asm__ volatile("" : "+r"(x)); /* no tail call: every level stays */
	return x;
}

static NOINLINE uint64_t solve(uint64_t x, long n)
{
	x = recurse(x, DEPTH, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

/* four chains of four distinct functions each */
#define CHAIN(N)                                                                                   \
	static NOINLINE uint64_t leaf_##N(uint64_t x, long n)                                      \
	{                                                                                          \
		KERNEL(x, n);                                                                      \
		return x + N;                                                                      \
	}                                                                                          \
	static NOINLINE uint64_t step_##N(uint64_t x, long n)                                      \
	{                                                                                          \
		x = leaf_##N(x, n);                                                                \
		__asm__ volatile("" : "+r"(x));                                                    \
		return x;                                                                          \
	}                                                                                          \
	static NOINLINE uint64_t stage_##N(uint64_t x, long n)                                     \
	{                                                                                          \
		x = step_##N(x, n);                                                                \
		__asm__ volatile("" : "+r"(x));                                                    \
		return x;                                                                          \
	}                                                                                          \
	static NOINLINE uint64_t spread_##N(uint64_t x, long n)                                    \
	{                                                                                          \
		x = stage_##N(x, n);                                                               \
		__asm__ volatile("" : "+r"(x));                                                    \
		return x;                                                                          \
	}
CHAIN(0)
CHAIN(1)
CHAIN(2)
CHAIN(3)

int main(int argc, char **argv)
{
	double scale = argc > 1 ? atof(argv[1]) : 1.0;
	long rounds = (long)(ROUNDS * (scale > 0 ? scale : 1.0));
	uint64_t x = 88172645463325252ull;

	/* per round, in units of UNIT/2: plateau 20, solve 1, each chain 4.75 */
	for (long r = 0; r < rounds; r++) {
		x = plateau(x, 10 * UNIT);
		x = solve(x, UNIT / 2);
		x = spread_0(x, 19 * UNIT / 8);
		x = spread_1(x, 19 * UNIT / 8);
		x = spread_2(x, 19 * UNIT / 8);
		x = spread_3(x, 19 * UNIT / 8);
	}
	sink = x;
	printf("wl-shapes: done\n");
	return 0;
}
