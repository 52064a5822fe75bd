/*
 * coro.c - bench-coro: what coroutine tracking costs the target.
 *
 *   bench-coro annotate N   N enter/leave pairs through flametop.h (each
 *                           pair is two annotations); prints ns per call
 *   bench-coro switch N     N swapcontext round trips between main and a
 *                           coroutine; prints ns per swapcontext
 *   bench-coro label N      N label push/pop pairs; prints ns per call
 *
 * bench/run runs it bare (the header's weak references are null), with the
 * runtime preloaded but off, and with the runtime on and no viewer, and
 * prints the differences.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include "flametop.h"

static ucontext_t main_ctx, co_ctx;
static long rounds;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void co_main(void)
{
	for (;;)
		swapcontext(&co_ctx, &main_ctx);
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	double t0, t1;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: bench-coro annotate|switch|label N\n");
		return 2;
	}
	if (strcmp(argv[1], "annotate") == 0) {
		flametop_coro_t id = flametop_coro_create("bench");

		t0 = now();
		for (long i = 0; i < n; i++) {
			flametop_coro_enter(id);
			flametop_coro_leave();
		}
		t1 = now();
		printf("%.2f\n", (t1 - t0) / (2.0 * (double)n));
	} else if (strcmp(argv[1], "label") == 0) {
		t0 = now();
		for (long i = 0; i < n; i++) {
			flametop_label_push("stage", "bench");
			flametop_label_pop();
		}
		t1 = now();
		printf("%.2f\n", (t1 - t0) / (2.0 * (double)n));
	} else if (strcmp(argv[1], "switch") == 0) {
		static char stack[64 * 1024];

		getcontext(&co_ctx);
		co_ctx.uc_stack.ss_sp = stack;
		co_ctx.uc_stack.ss_size = sizeof(stack);
		co_ctx.uc_link = NULL;
		makecontext(&co_ctx, co_main, 0);
		t0 = now();
		for (rounds = 0; rounds < n; rounds++)
			swapcontext(&main_ctx, &co_ctx);
		t1 = now();
		printf("%.2f\n", (t1 - t0) / (2.0 * (double)n));
	} else {
		fprintf(stderr, "usage: bench-coro annotate|switch|label N\n");
		return 2;
	}
	return 0;
}
