/*
 * wl-pth.c - a GNU Pth program: two Pth threads (coroutines on one kernel
 * thread) doing different work in a known ratio.  "light" burns 1 unit per
 * turn, "heavy" 3, each yielding after its turn, so heavy has 75% of the
 * two threads' CPU.  Usage: wl-pth SECONDS.
 */
#include "config.h"

#include <pth.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;
static double secs = 5;
static double t0;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static __attribute__((noinline)) void burn(long units)
{
	unsigned long x = sink;

	for (long i = 0; i < units * 200000; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	sink = x;
}

static __attribute__((noinline)) void *light_main(void *arg)
{
	(void)arg;
	while (now() - t0 < secs) {
		burn(1);
		pth_yield(NULL);
	}
	return NULL;
}

static __attribute__((noinline)) void *heavy_main(void *arg)
{
	(void)arg;
	while (now() - t0 < secs) {
		burn(3);
		pth_yield(NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pth_t a, b;

	if (argc > 1)
		secs = atof(argv[1]);
	if (!pth_init()) {
		fprintf(stderr, "wl-pth: pth_init failed\n");
		return 1;
	}
	t0 = now();
	a = pth_spawn(PTH_ATTR_DEFAULT, light_main, NULL);
	b = pth_spawn(PTH_ATTR_DEFAULT, heavy_main, NULL);
	if (!a || !b) {
		fprintf(stderr, "wl-pth: pth_spawn failed\n");
		return 1;
	}
	pth_join(a, NULL);
	pth_join(b, NULL);
	pth_kill();
	printf("wl-pth: done\n");
	return 0;
}
