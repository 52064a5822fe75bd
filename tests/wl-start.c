/*
 * wl-start.c - a program that uses the runtime in its first instants.
 *
 *   wl-start [maps] [gc] [coro] [kill] SECONDS
 *
 * In the first lines of main, before anything else: maps prints
 * "segment mapped" or "no segment mapped" (a flametop segment in
 * /proc/self/maps, or not), as main starts; gc reports three
 * collections through flametop_gc_* (heap 3 MB -> 1 MB, 2 MB freed,
 * explicit); coro creates the coroutine "early", runs it with the label
 * phase=early and parks it ("early wait"), where it stays; kill then
 * ends the process with SIGKILL.  Otherwise it spins in burn() for
 * SECONDS and prints "done".  Linked without libflametop: with no
 * runtime the calls do nothing.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "flametop.h"

#define NOINLINE __attribute__((noipa))

static volatile unsigned long sink;

static NOINLINE void burn(double seconds)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i * i;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
}

static NOINLINE void early_task(void)
{
	flametop_label_push("phase", "early");
	flametop_coro_park("early wait");
	sink++; /* not a tail call: early_task stays on the parked stack */
}

int main(int argc, char **argv)
{
	int gc = 0, coro = 0, die = 0;

	if (argc > 2 && strcmp(argv[1], "maps") == 0) {
		char line[512];
		int mapped = 0;
		FILE *f = fopen("/proc/self/maps", "r");

		while (f && fgets(line, sizeof(line), f))
			mapped |= strstr(line, "/dev/shm/flametop.") != NULL;
		if (f)
			fclose(f);
		printf("%s\n", mapped ? "segment mapped" : "no segment mapped");
		fflush(stdout);
	}
	for (int i = 1; i < argc - 1; i++) {
		gc |= strcmp(argv[i], "gc") == 0;
		coro |= strcmp(argv[i], "coro") == 0;
		die |= strcmp(argv[i], "kill") == 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: wl-start [maps] [gc] [coro] [kill] SECONDS\n");
		return 2;
	}
	if (gc) {
		for (int i = 0; i < 3; i++) {
			flametop_gc_begin(FLAMETOP_GC_EXPLICIT);
			flametop_gc_end(3u << 20, 1u << 20, 2u << 20);
		}
	}
	if (coro) {
		flametop_coro_t id = flametop_coro_create("early");

		flametop_coro_enter(id);
		early_task();
		flametop_coro_leave();
	}
	if (die)
		kill(getpid(), SIGKILL);
	burn(atof(argv[argc - 1]));
	printf("done\n");
	return 0;
}
