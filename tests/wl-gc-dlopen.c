/*
 * wl-gc-dlopen.c - a program that loads libgc with dlopen after it
 * started, and collects through it.
 *
 *   wl-gc-dlopen LIBGC ROUNDS
 *
 * Sleeps a little first (so any runtime has long finished starting),
 * dlopens LIBGC (RTLD_LOCAL: its symbols stay out of the global scope),
 * allocates garbage with GC_malloc through dlsym, and prints libgc's own
 * count of collections as "gc_no N".
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NOINLINE __attribute__((noipa))

static void *(*gc_malloc)(size_t);

static NOINLINE void *make_garbage(size_t n)
{
	return gc_malloc(n);
}

int main(int argc, char **argv)
{
	struct timespec pause = {0, 100 * 1000000L};
	void (*gc_init)(void);
	unsigned long (*gc_no)(void);
	void *h, *keep = NULL;
	long rounds;

	if (argc != 3 || (rounds = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: wl-gc-dlopen LIBGC ROUNDS\n");
		return 2;
	}
	nanosleep(&pause, NULL);
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "wl-gc-dlopen: %s\n", dlerror());
		return 1;
	}
	*(void **)&gc_init = dlsym(h, "GC_init");
	*(void **)&gc_malloc = dlsym(h, "GC_malloc");
	*(void **)&gc_no = dlsym(h, "GC_get_gc_no");
	if (!gc_init || !gc_malloc || !gc_no) {
		fprintf(stderr, "wl-gc-dlopen: not a libgc: %s\n", argv[1]);
		return 1;
	}
	gc_init();
	for (long r = 0; r < rounds; r++)
		for (int i = 0; i < 10000; i++)
			keep = make_garbage(64 + (size_t)(i % 7) * 16);
	printf("gc_no %lu\n", gc_no());
	(void)keep;
	return 0;
}
