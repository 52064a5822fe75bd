/*
 * wl-bursts.c - workload: a mostly idle service with a periodic job.
 *
 * Every 10 ms it handles a tick (poll_queue: about 1 ms of work, then it
 * sleeps); every 2 s it builds a report (build_report -> format_rows) for
 * 400 ms without sleeping.  The CPU rate jumps about tenfold during each
 * report: rep-bursts.sh checks that `report --bursts` finds those ranges.
 * Prints "ready" once running, and "report START END" (seconds since it
 * started) after each report.
 * Usage: wl-bursts [SECONDS]  (default 10)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NOINLINE __attribute__((noipa))
#define KEEP(x) __asm__ volatile("" : "+r"(x))

static volatile uint64_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t spin_for(uint64_t x, double seconds)
{
	double end = now_s() + seconds;

	while (now_s() < end)
		for (int i = 0; i < 2000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			KEEP(x);
		}
	return x;
}

static NOINLINE uint64_t poll_queue(uint64_t x)
{
	return spin_for(x, 0.001);
}

static NOINLINE uint64_t format_rows(uint64_t x)
{
	return spin_for(x, 0.4);
}

static NOINLINE uint64_t build_report(uint64_t x)
{
	x = format_rows(x);
	KEEP(x);
	return x;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10.0, t0 = now_s(), next = t0 + 2.0;
	uint64_t x = 88172645463325252ull;
	struct timespec tick = {0, 9 * 1000 * 1000};

	printf("ready\n");
	fflush(stdout);
	while (now_s() - t0 < seconds) {
		x = poll_queue(x);
		if (now_s() >= next) {
			double a = now_s() - t0;

			x = build_report(x);
			printf("report %.3f %.3f\n", a, now_s() - t0);
			fflush(stdout);
			next += 2.0;
		}
		nanosleep(&tick, NULL);
	}
	sink = x;
	return 0;
}
