/*
 * wl-split.c - workload: the main thread splits its CPU 3:1 between two
 * call chains (chain_a -> a_mid -> a_leaf, chain_b -> b_mid -> b_leaf).
 *
 * The work is fixed (loop iterations of one kernel, interleaved in small
 * slices), so chain A gets 75% of the CPU time and chain B 25% whatever
 * the machine's speed.  rec-split.sh checks the recorded shares.
 * Usage: wl-split [SCALE]  (SCALE multiplies the work; default 1, ~2 s).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* noipa: no inlining, cloning or identical-code folding (-fipa-icf would
 * merge the two chains, which have the same code on purpose) */
#define NOINLINE __attribute__((noipa))
#define SLICE 200000L /* iterations of chain B per round; A does 3x */
#define ROUNDS 1500L

static volatile uint64_t sink;

#define KERNEL(x, n)                                                                               \
	for (long i_ = 0; i_ < (n); i_++) {                                                        \
		(x) ^= (x) << 13;                                                                  \
		(x) ^= (x) >> 7;                                                                   \
		(x) ^= (x) << 17;                                                                  \
		__asm__ volatile("" : "+r"(x));                                                    \
	}

static NOINLINE uint64_t a_leaf(uint64_t x, long n)
{
	KERNEL(x, n);
	return x;
}

static NOINLINE uint64_t b_leaf(uint64_t x, long n)
{
	KERNEL(x, n);
	return x;
}

static NOINLINE uint64_t a_mid(uint64_t x, long n)
{
	x = a_leaf(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

static NOINLINE uint64_t b_mid(uint64_t x, long n)
{
	x = b_leaf(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

static NOINLINE uint64_t chain_a(uint64_t x, long n)
{
	x = a_mid(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

static NOINLINE uint64_t chain_b(uint64_t x, long n)
{
	x = b_mid(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

int main(int argc, char **argv)
{
	double scale = argc > 1 ? atof(argv[1]) : 1.0;
	long rounds = (long)(ROUNDS * (scale > 0 ? scale : 1.0));
	uint64_t x = 88172645463325252ull;

	for (long r = 0; r < rounds; r++) {
		x = chain_a(x, 3 * SLICE);
		x = chain_b(x, SLICE);
	}
	sink = x;
	printf("wl-split: done\n");
	return 0;
}
