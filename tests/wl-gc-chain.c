/*
 * wl-gc-chain.c - a libgc program with a collection-event callback of
 * its own, installed after start.
 *
 *   wl-gc-chain ROUNDS
 *
 * Counts the GC_EVENT_END events its callback sees and prints "ends N
 * gc_no M getter ok|other": a runtime that hooks libgc must chain the
 * callback (N == M) and hand it back from the getter.
 */
#include "config.h"

#include <gc/gc.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noipa))

static unsigned long ends;

static void on_event(GC_EventType ev)
{
	if (ev == GC_EVENT_END)
		ends++;
}

static NOINLINE void *garbage(size_t n)
{
	return GC_MALLOC(n);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 0;
	void *keep = NULL;

	if (rounds < 1) {
		fprintf(stderr, "usage: wl-gc-chain ROUNDS\n");
		return 2;
	}
	GC_INIT();
	for (int i = 0; i < 100000; i++)
		keep = garbage(48); /* some collections before the callback */
	GC_set_on_collection_event(on_event);
	ends = GC_get_gc_no(); /* those are not the callback's to see */
	for (long r = 0; r < rounds; r++)
		for (int i = 0; i < 100000; i++)
			keep = garbage(48);
	printf("ends %lu gc_no %lu getter %s\n", ends, (unsigned long)GC_get_gc_no(),
	       GC_get_on_collection_event() == on_event ? "ok" : "other");
	(void)keep;
	return 0;
}
