/*
 * ui-wl.c - a workload for the viewer's terminal tests: spends most of its
 * time in the noinline function ui_wl_hot_spin (called from ui_wl_outer),
 * a little in ui_wl_cold.  With "crash N" it dies of SIGSEGV after N
 * seconds; it prints a line per second (which must not reach the screen).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void ui_wl_hot_spin(void)
{
	for (unsigned long i = 0; i < 2000000; i++)
		sink += i * 7;
}

__attribute__((noinline)) static void ui_wl_cold(void)
{
	for (unsigned long i = 0; i < 100000; i++)
		sink += i;
}

__attribute__((noinline)) static void ui_wl_outer(void)
{
	ui_wl_hot_spin();
	ui_wl_cold();
}

int main(int argc, char **argv)
{
	double crash_after = argc > 2 && !strcmp(argv[1], "crash") ? atof(argv[2]) : -1;
	struct timespec start, now, last;
	double el;

	clock_gettime(CLOCK_MONOTONIC, &start);
	last = start;
	for (;;) {
		ui_wl_outer();
		clock_gettime(CLOCK_MONOTONIC, &now);
		el = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
		if (now.tv_sec != last.tv_sec) {
			printf("ui-wl: WORKLOAD-OUTPUT %.0f s\n", el);
			fflush(stdout);
			last = now;
		}
		if (crash_after >= 0 && el >= crash_after)
			raise(SIGSEGV);
	}
	return 0;
}
