/*
 * wl-spinsleep.c - workload: the main thread spins (spin_main -> spin_work)
 * while a second thread sleeps (sleeper_main -> sleeper_wait) for the same
 * time, about 3 s.  In CPU mode the sleeper should get almost no samples,
 * in wall mode about half of them.  rec-spinsleep.sh checks both.
 * Usage: wl-spinsleep [SECONDS]
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NOINLINE __attribute__((noipa)) /* noinline, no clones, no folding */

static volatile uint64_t sink;
static double seconds = 3.0;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static NOINLINE void sleeper_wait(double secs)
{
	struct timespec ts = {(time_t)secs, (long)((secs - (time_t)secs) * 1e9)};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static NOINLINE void *sleeper_main(void *arg)
{
	pthread_setname_np(pthread_self(), "sleeper");
	sleeper_wait(seconds);
	return arg;
}

static NOINLINE uint64_t spin_work(uint64_t x)
{
	for (long i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static NOINLINE void spin_main(double until)
{
	uint64_t x = 88172645463325252ull;
	while (now() < until)
		x = spin_work(x);
	sink = x;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1)
		seconds = atof(argv[1]);
	if (seconds <= 0)
		seconds = 3.0;
	double until = now() + seconds;
	if (pthread_create(&t, NULL, sleeper_main, NULL)) {
		fprintf(stderr, "wl-spinsleep: cannot start a thread\n");
		return 1;
	}
	spin_main(until);
	pthread_join(t, NULL);
	printf("wl-spinsleep: done\n");
	return 0;
}
