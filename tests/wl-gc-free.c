/*
 * wl-gc-free.c - libgc objects that die three ways: kept, dropped for the
 * collector, and given back with GC_FREE.
 *
 *   wl-gc-free N
 *
 * keep_block allocates N blocks of 4,000 bytes that a static array keeps
 * alive; drop_block allocates N that nothing keeps; free_block allocates
 * N and frees each at once.  A final GC_gcollect() reclaims the dropped
 * ones.  Prints "kept BYTES" (as the heap counts them) so that a test
 * compares in-use bytes with it.
 */
#include "config.h"

#include <gc/gc.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noipa))
#define SIZE 4000
#define MAX 100000

/* a root the compiler cannot drop: what it points to stays alive */
void *volatile kept[MAX];

/* (no tail calls: each function keeps its frame in the stacks) */
static NOINLINE void *keep_block(void)
{
	void *p = GC_MALLOC(SIZE);

	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

static NOINLINE void drop_block(void)
{
	void *p = GC_MALLOC(SIZE);

	__asm__ volatile("" : : "r"(p) : "memory");
}

static NOINLINE void free_block(void)
{
	void *p = GC_MALLOC(SIZE);

	__asm__ volatile("" : : "r"(p) : "memory");
	GC_FREE(p);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;

	if (n < 1 || n > MAX) {
		fprintf(stderr, "usage: wl-gc-free N (1 to %d)\n", MAX);
		return 2;
	}
	GC_INIT();
	for (long i = 0; i < n; i++) {
		kept[i] = keep_block();
		drop_block();
		free_block();
	}
	GC_gcollect();
	printf("kept %lu\n",
	       (unsigned long)n * ((SIZE + (GC_get_all_interior_pointers() ? 1 : 0) + 15) & ~15ul));
	return 0;
}
