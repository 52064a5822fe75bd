/*
 * wl-callers.c - workload: one function, crunch, called from three
 * places (parse_input, render_page, store_rows) that give it 5, 3 and 2
 * units of work per round, so 50%, 30% and 20% of its CPU time.
 *
 * Each caller measures the CPU time of its calls (the thread's CPU clock)
 * and the program prints the shares it measured at the end, for
 * rep-callers.sh to compare with what was recorded:
 *   wl-callers: parse_input 50.0 render_page 30.0 store_rows 20.0
 * With "recurse", the calls go through descend, which calls itself
 * DEPTH times before calling crunch (direct recursion), and once
 * through a pair that call each other (ping, pong: not direct).
 * Usage: wl-callers [recurse] [SCALE]  (SCALE multiplies the work; ~2 s)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noipa))
#define UNIT 100000L
#define ROUNDS 1500L
#define DEPTH 6

static volatile uint64_t sink;
static int recurse;
static double spent[3];

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static NOINLINE uint64_t crunch(uint64_t x, long n)
{
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static NOINLINE uint64_t descend(uint64_t x, long n, int depth)
{
	if (depth > 0)
		x = descend(x, n, depth - 1);
	else
		x = crunch(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

static NOINLINE uint64_t pong(uint64_t x, long n, int depth);

static NOINLINE uint64_t ping(uint64_t x, long n, int depth)
{
	x = depth > 0 ? pong(x, n, depth - 1) : crunch(x, n);
	__asm__ volatile("" : "+r"(x));
	return x;
}

static NOINLINE uint64_t pong(uint64_t x, long n, int depth)
{
	x = ping(x, n, depth);
	__asm__ volatile("" : "+r"(x));
	return x;
}

/* crunch, directly or through the recursion */
static NOINLINE uint64_t work(uint64_t x, long n, int caller)
{
	if (!recurse)
		return crunch(x, n);
	return caller == 2 ? ping(x, n, 2) : descend(x, n, DEPTH);
}

static NOINLINE uint64_t parse_input(uint64_t x)
{
	double t0 = cpu_now();

	x = work(x, 5 * UNIT, 0);
	spent[0] += cpu_now() - t0;
	return x;
}

static NOINLINE uint64_t render_page(uint64_t x)
{
	double t0 = cpu_now();

	x = work(x, 3 * UNIT, 1);
	spent[1] += cpu_now() - t0;
	return x;
}

static NOINLINE uint64_t store_rows(uint64_t x)
{
	double t0 = cpu_now();

	x = work(x, 2 * UNIT, 2);
	spent[2] += cpu_now() - t0;
	return x;
}

int main(int argc, char **argv)
{
	uint64_t x = 88172645463325252ull;
	double scale = 1, all;
	int i = 1;

	if (argc > i && !strcmp(argv[i], "recurse")) {
		recurse = 1;
		i++;
	}
	if (argc > i)
		scale = atof(argv[i]);
	for (long r = 0; r < (long)(ROUNDS * (scale > 0 ? scale : 1)); r++) {
		x = parse_input(x);
		x = render_page(x);
		x = store_rows(x);
	}
	sink = x;
	all = spent[0] + spent[1] + spent[2];
	printf("wl-callers: parse_input %.1f render_page %.1f store_rows %.1f\n",
	       100 * spent[0] / all, 100 * spent[1] / all, 100 * spent[2] / all);
	return 0;
}
