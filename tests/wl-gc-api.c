/*
 * wl-gc-api.c - a program with a collector of its own, reporting its
 * collections through flametop.h.
 *
 *   wl-gc-api N     N collections: begin (alloc), "mark", "sweep", end
 *
 * A toy mark-and-sweep over a pool of nodes: each collection marks the
 * nodes reachable from a small root set and frees the rest, and tells
 * flametop the heap before and after and the bytes freed.  It also makes
 * the mistakes the API must survive (an end without a begin, a nested
 * begin, a phase outside a collection), which must change nothing.  It
 * is linked without libflametop: with no runtime the calls do nothing.
 * Prints "collections N freed B" at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flametop.h"

#define NOINLINE __attribute__((noipa))
#define POOL 4096
#define NODE 64 /* bytes a node stands for */

static unsigned char used[POOL], marked[POOL];
static int next_of[POOL];

static NOINLINE void mark(int root)
{
	for (int n = root; n >= 0 && !marked[n]; n = next_of[n])
		marked[n] = 1;
}

static NOINLINE unsigned long sweep(void)
{
	unsigned long freed = 0;

	for (int i = 0; i < POOL; i++) {
		if (used[i] && !marked[i]) {
			used[i] = 0;
			freed += NODE;
		}
		marked[i] = 0;
	}
	return freed;
}

static unsigned long heap_bytes(void)
{
	unsigned long b = 0;

	for (int i = 0; i < POOL; i++)
		b += used[i] ? NODE : 0;
	return b;
}

static NOINLINE unsigned long collect(void)
{
	unsigned long before = heap_bytes(), freed;

	flametop_gc_begin(FLAMETOP_GC_ALLOC);
	flametop_gc_phase("mark");
	for (int r = 0; r < 8; r++)
		mark(r * 7);
	flametop_gc_phase("sweep");
	freed = sweep();
	flametop_gc_end(before, heap_bytes(), freed);
	return freed;
}

/* allocates nodes until the pool is full, then collects */
static NOINLINE int alloc_node(unsigned long *freed)
{
	static int cursor;

	for (int tries = 0; tries < 2; tries++) {
		for (int i = 0; i < POOL; i++) {
			int n = (cursor + i) % POOL;

			if (!used[n]) {
				used[n] = 1;
				next_of[n] = rand() % 3 ? rand() % POOL : -1;
				cursor = n + 1;
				return n;
			}
		}
		*freed += collect();
	}
	return -1;
}

int main(int argc, char **argv)
{
	long want = argc > 1 ? atol(argv[1]) : 100;
	unsigned long freed = 0;
	long done = 0;

	if (want < 1) {
		fprintf(stderr, "usage: wl-gc-api N\n");
		return 2;
	}
	/* misuse first: none of these may count as a collection */
	flametop_gc_end(1, 2, 3);
	flametop_gc_phase("nowhere");
	srand(1);
	while (done < want) {
		if (alloc_node(&freed) < 0)
			return 1;
		for (int i = 0; i < POOL; i++)
			if (!used[i])
				goto more;
		freed += collect();
		done++;
	more:;
	}
	/* a nested begin is ignored, the outer collection goes on */
	flametop_gc_begin(FLAMETOP_GC_EXPLICIT);
	flametop_gc_begin(FLAMETOP_GC_ALLOC);
	flametop_gc_end(heap_bytes(), heap_bytes(), 0);
	flametop_gc_end(0, 0, 0);
	printf("collections %ld freed %lu\n", done + 1, freed);
	return 0;
}
