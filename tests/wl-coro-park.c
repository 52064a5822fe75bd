/*
 * wl-coro-park.c - ucontext coroutines parked, churned and created by the
 * hundred thousand, for the coroutine tests.
 *
 *   wl-coro-park park N SECONDS    N coroutines each parked in park_here
 *                                  (park_here <- coro_body <- start), then
 *                                  the program sleeps SECONDS and exits
 *   wl-coro-park churn SECONDS     batches of 50 coroutines with mmap'd
 *                                  stacks: each parks 20 times, returns,
 *                                  and its stack is unmapped at once
 *   wl-coro-park many N SECONDS    N short-lived ucontext coroutines one
 *                                  after another, then N coroutines
 *                                  created through the API and alive at
 *                                  once; sleeps SECONDS, then exits them
 *
 * Prints "ready" when the state to look at is in place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
#include "flametop.h"

#define STACK (16 * 1024)

static ucontext_t main_ctx;
static volatile unsigned long sink;

static __attribute__((noinline)) void park_here(ucontext_t *self)
{
	swapcontext(self, &main_ctx);
	sink++; /* not a tail call: park_here stays on the stack */
}

static void coro_body(int idx, int parks)
{
	extern ucontext_t *ctxs;

	for (int i = 0; i < parks; i++) {
		sink += (unsigned long)idx;
		park_here(&ctxs[idx]);
	}
}

ucontext_t *ctxs;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void *stack_new(int use_mmap)
{
	void *p;

	if (!use_mmap)
		return malloc(STACK);
	p = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void make(int idx, int parks, int use_mmap)
{
	ucontext_t *c = &ctxs[idx];

	getcontext(c);
	c->uc_stack.ss_sp = stack_new(use_mmap);
	c->uc_stack.ss_size = STACK;
	c->uc_link = &main_ctx;
	if (!c->uc_stack.ss_sp) {
		perror("wl-coro-park: stack");
		exit(1);
	}
	makecontext(c, (void (*)(void))coro_body, 2, idx, parks);
}

static int park(int n, double secs)
{
	ctxs = calloc((size_t)n, sizeof(*ctxs));
	if (!ctxs)
		return 1;
	for (int i = 0; i < n; i++) {
		make(i, 1000000, 0);
		swapcontext(&main_ctx, &ctxs[i]);
	}
	printf("ready\n");
	fflush(stdout);
	for (double end = now() + secs; now() < end;)
		usleep(10000);
	return 0;
}

static int churn(double secs)
{
	const int n = 50, parks = 20;
	long total = 0;

	ctxs = calloc((size_t)n, sizeof(*ctxs));
	if (!ctxs)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (double end = now() + secs; now() < end;) {
		for (int i = 0; i < n; i++)
			make(i, parks, 1);
		/* parks + 1 turns: the last one returns through uc_link */
		for (int r = 0; r <= parks; r++)
			for (int i = 0; i < n; i++)
				swapcontext(&main_ctx, &ctxs[i]);
		for (int i = 0; i < n; i++) {
			munmap(ctxs[i].uc_stack.ss_sp, STACK);
			memset(&ctxs[i], 0xa5, sizeof(ctxs[i]));
		}
		total += n;
	}
	printf("churned %ld coroutines\n", total);
	return 0;
}

static int many(int n, double secs)
{
	flametop_coro_t *ids = calloc((size_t)n, sizeof(*ids));

	ctxs = calloc(1, sizeof(*ctxs));
	if (!ids || !ctxs)
		return 1;
	for (int i = 0; i < n; i++) {
		make(0, 0, 0);
		swapcontext(&main_ctx, &ctxs[0]); /* runs and returns at once */
		free(ctxs[0].uc_stack.ss_sp);
	}
	for (int i = 0; i < n; i++)
		ids[i] = flametop_coro_create("held");
	printf("ready\n");
	fflush(stdout);
	for (double end = now() + secs; now() < end;)
		usleep(10000);
	for (int i = 0; i < n; i++)
		flametop_coro_exit(ids[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "park") == 0)
		return park(atoi(argv[2]), atof(argv[3]));
	if (argc == 3 && strcmp(argv[1], "churn") == 0)
		return churn(atof(argv[2]));
	if (argc == 4 && strcmp(argv[1], "many") == 0)
		return many(atoi(argv[2]), atof(argv[3]));
	fprintf(stderr, "usage: wl-coro-park park N SECONDS | churn SECONDS | many N SECONDS\n");
	return 2;
}
