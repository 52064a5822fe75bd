/*
 * wl-lines.c - workload: one function whose loops take known shares.
 *
 * work() scrambles a word in three places, each doing a fixed number of
 * iterations of the same xorshift step per round: its first loop 3 units,
 * its second loop 1 unit, and scramble(), always inlined into it, 2 units.
 * So scramble gets 2/6 of the time (a frame of its own: "scramble
 * (inlined)"), and of work's own time the first loop 3/4 and the second
 * 1/4, whatever the machine's speed.  Built with -O2 -g; rec-lines.sh
 * checks the shares of the inlined frame and of the lines.
 * Usage: wl-lines [SCALE]  (SCALE multiplies the work: 1, the default, is
 * about a second; "ready" on stdout once it works).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define UNIT 50000L

static volatile uint64_t sink;

static inline __attribute__((always_inline)) uint64_t scramble(uint64_t x, long n)
{
	for (long i = 0; i < n; i++) { /* scramble's loop */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	} /* end of scramble's loop */
	return x;
}

__attribute__((noipa)) uint64_t work(uint64_t x)
{
	for (long i = 0; i < 3 * UNIT; i++) { /* first loop */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	} /* end of first loop */
	x = scramble(x, 2 * UNIT);
	for (long i = 0; i < UNIT; i++) { /* second loop */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	} /* end of second loop */
	return x;
}

int main(int argc, char **argv)
{
	long rounds = 1500 * (argc > 1 ? atol(argv[1]) : 1);
	uint64_t x = 88172645463325252ull;

	printf("ready\n");
	fflush(stdout);
	for (long r = 0; r < rounds; r++)
		x = work(x);
	sink = x;
	return 0;
}
