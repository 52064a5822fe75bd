/*
 * gc-pipeline.c - flametop-gc-pipeline, a program that collects garbage.
 *
 * The same data is traversed twice with the Boehm collector (libgc) in
 * charge of memory.  First through a pipeline that boxes every element
 * (one fresh GC object per element and stage: box_element), then as a
 * plain array summed in place.  Under `flametop run` the GC timeline
 * shows the collections of the first traversal and none in the second,
 * and each collection's trigger stack names box_element.  Every 100th
 * element the pipeline also keeps a 256-byte note of it in a history
 * that only grows (remember_element): allocation weights show the boxes,
 * in-use weights show the history, the example's leak.
 *
 *   flametop-gc-pipeline [--rounds N] [--threads T] [--explicit] [--pause MS]
 *                        [--no-history]
 *
 * --threads T runs the boxing pipeline in T threads at once (each thread
 * registered with the collector); --explicit ends every round with a
 * GC_gcollect(); --pause MS sleeps MS milliseconds after each round (a
 * run that lasts, to attach to); --no-history keeps no notes (the heap
 * stays small and the collections many).  --rounds 0 goes on until
 * killed.  At exit it prints libgc's own count of collections as
 * "gc_no N", so tests compare it with what flametop saw, libgc's count
 * of bytes allocated, and the bytes the history holds.
 */
#include "config.h"

#define GC_THREADS 1
#include <gc/gc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noipa))
#define ELEMENTS 200000

struct box {
	long value;
	struct box *prev; /* keeps a short chain alive, as iterators do */
};

#define NOTE_EVERY 100

struct note {
	struct note *older;
	long value;
	char text[240];
};

static long data[ELEMENTS];
static struct note *history; /* a root: what it holds is never collected */
static pthread_mutex_t history_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long notes;
static int rounds = 20, explicit_gc, pause_ms, no_history;

static NOINLINE struct box *box_element(long v, struct box *prev)
{
	struct box *b = GC_MALLOC(sizeof(*b));

	b->value = v;
	b->prev = prev;
	return b;
}

static NOINLINE struct box *stage_scale(struct box *in)
{
	return box_element(in->value * 3, NULL);
}

static NOINLINE struct box *stage_offset(struct box *in)
{
	return box_element(in->value + 7, in);
}

static NOINLINE void remember_element(long v)
{
	struct note *n = GC_MALLOC(sizeof(*n));

	n->value = v;
	snprintf(n->text, sizeof(n->text), "element %ld", v);
	pthread_mutex_lock(&history_lock);
	n->older = history;
	history = n;
	notes++;
	pthread_mutex_unlock(&history_lock);
}

/* every element boxed, passed through two stages, unboxed */
static NOINLINE long pipeline(const long *v, size_t n)
{
	long sum = 0;

	for (size_t i = 0; i < n; i++) {
		struct box *b = box_element(v[i], NULL);

		b = stage_offset(stage_scale(b));
		sum += b->value;
		if (!no_history && i % NOTE_EVERY == 0)
			remember_element(b->value);
	}
	return sum;
}

/* the same computation on the array itself: nothing to collect */
static NOINLINE long plain_array(const long *v, size_t n)
{
	long sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i] * 3 + 7;
	return sum;
}

static void *pipeline_thread(void *arg)
{
	long sum = 0;

	(void)arg;
	for (int r = 0; !rounds || r < rounds; r++) {
		struct timespec ts = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};

		sum += pipeline(data, ELEMENTS);
		if (explicit_gc)
			GC_gcollect();
		if (pause_ms)
			nanosleep(&ts, NULL);
	}
	return (void *)sum;
}

int main(int argc, char **argv)
{
	int threads = 1;
	long a = 0, b = 0;
	pthread_t tids[64];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--explicit") == 0)
			explicit_gc = 1;
		else if (strcmp(argv[i], "--pause") == 0 && i + 1 < argc)
			pause_ms = atoi(argv[++i]);
		else if (strcmp(argv[i], "--no-history") == 0)
			no_history = 1;
		else {
			fprintf(stderr,
				"usage: %s [--rounds N] [--threads T] [--explicit] [--pause MS] "
				"[--no-history]\n",
				argv[0]);
			return 2;
		}
	}
	if (rounds < 0 || threads < 1 || threads > 64 || pause_ms < 0 || pause_ms > 10000) {
		fprintf(stderr, "%s: bad --rounds, --threads or --pause\n", argv[0]);
		return 2;
	}
	GC_INIT();
	GC_allow_register_threads();
	for (size_t i = 0; i < ELEMENTS; i++)
		data[i] = (long)(i % 1000);

	if (threads == 1) {
		a = (long)pipeline_thread(NULL);
	} else {
		for (int t = 0; t < threads; t++)
			GC_pthread_create(&tids[t], NULL, pipeline_thread, NULL);
		for (int t = 0; t < threads; t++) {
			void *r;

			GC_pthread_join(tids[t], &r);
			a += (long)r;
		}
	}
	printf("pipeline done: sum %ld, gc_no %lu\n", a, (unsigned long)GC_get_gc_no());
	fflush(stdout);
	for (int r = 0; r < rounds; r++)
		b += plain_array(data, ELEMENTS);
	printf("array done: sum %ld, gc_no %lu\n", b, (unsigned long)GC_get_gc_no());
	printf("allocated %lu bytes\n", (unsigned long)GC_get_total_bytes());
	/* as the heap counts a note: its size and libgc's extra byte, in
	 * granules of 16 */
	printf("history %lu bytes\n",
	       notes * ((sizeof(struct note) + (GC_get_all_interior_pointers() ? 1 : 0) + 15) &
			~(size_t)15));
	return 0;
}
