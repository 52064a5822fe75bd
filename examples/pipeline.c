/*
 * pipeline.c - flametop-pipeline: coroutines over channels on a tiny
 * ucontext scheduler.
 *
 * Three coroutines pass items through two channels of four slots:
 *
 *   producer --chan a--> transformer --chan b--> consumer
 *
 * Each stage does its work for every item (loop iterations of one shared
 * kernel, so shares do not depend on the machine's speed) and is labelled
 * stage=<name>.  The transformer is the slow stage: by default it works
 * three times as much per item as the others, so it burns 60% of the CPU
 * and the others spend their time parked in chan_wait, waiting for it.
 *
 *   flametop run -- flametop-pipeline        which stage burns the CPU,
 *                                            where the others wait (Tab)
 *
 * The program knows nothing about flametop except the labels and the park
 * reasons it gives through flametop.h; without the runtime those calls do
 * nothing.  Usage: flametop-pipeline [-n ITEMS] [SECONDS [P T C]]: runs
 * SECONDS (default 10) or until ITEMS items went through, with the work
 * per item of each stage (default 1 3 1, units of 20,000 iterations).
 * At the end it prints each stage's share of the CPU time the three
 * coroutines used, as the scheduler measured it around each switch:
 * the truth a profile of it is checked against.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include "flametop.h"

#define STACK_SIZE (64 * 1024)
#define CHAN_SLOTS 4
#define UNIT 20000

struct coro {
	ucontext_t ctx;
	int done;
	int waiting; /* parked on a channel */
};

struct chan {
	long item[CHAN_SLOTS];
	int head, len;
	struct coro *waiter;
};

static ucontext_t sched_ctx;
static struct coro coros[3];
static struct coro *running;
static struct chan chan_a, chan_b;
static volatile unsigned long sink;
static long work[3] = {1, 3, 1};
static double seconds = 10;
static long items; /* 0: no limit */
static struct timespec t0;

static double thread_cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
}

static __attribute__((noinline)) void burn(long units)
{
	unsigned long x = sink;

	for (long i = 0; i < units * UNIT; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	sink = x;
}

/* gives the CPU back to the scheduler until someone wakes us */
static __attribute__((noinline)) void chan_wait(struct chan *c, const char *why)
{
	struct coro *me = running;

	me->waiting = 1;
	c->waiter = me;
	flametop_coro_park(why);
	swapcontext(&me->ctx, &sched_ctx);
}

static void chan_wake(struct chan *c)
{
	if (c->waiter) {
		c->waiter->waiting = 0;
		c->waiter = NULL;
	}
}

static void chan_send(struct chan *c, long v)
{
	while (c->len == CHAN_SLOTS)
		chan_wait(c, "chan send");
	c->item[(c->head + c->len++) % CHAN_SLOTS] = v;
	chan_wake(c);
}

static long chan_recv(struct chan *c)
{
	long v;

	while (c->len == 0)
		chan_wait(c, "chan recv");
	v = c->item[c->head];
	c->head = (c->head + 1) % CHAN_SLOTS;
	c->len--;
	chan_wake(c);
	return v;
}

static void producer(void)
{
	flametop_label_push("stage", "producer");
	for (long i = 1; elapsed() < seconds && (!items || i <= items); i++) {
		burn(work[0]);
		chan_send(&chan_a, i);
	}
	chan_send(&chan_a, 0);
	flametop_label_pop();
	running->done = 1;
}

static void transformer(void)
{
	long v;

	flametop_label_push("stage", "transformer");
	while ((v = chan_recv(&chan_a)) != 0) {
		burn(work[1]);
		chan_send(&chan_b, v * 2);
	}
	chan_send(&chan_b, 0);
	flametop_label_pop();
	running->done = 1;
}

static void consumer(void)
{
	long v, n = 0;

	flametop_label_push("stage", "consumer");
	while ((v = chan_recv(&chan_b)) != 0) {
		burn(work[2]);
		n++;
	}
	printf("pipeline: %ld items in %.1f s\n", n, elapsed());
	flametop_label_pop();
	running->done = 1;
}

int main(int argc, char **argv)
{
	void (*entry[3])(void) = {producer, transformer, consumer};
	int live = 3;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		items = atol(argv[2]);
		seconds = 1e9;
		argv += 2;
		argc -= 2;
	}
	if (argc > 1)
		seconds = atof(argv[1]);
	for (int i = 0; i < 3 && argc > 2 + i; i++)
		work[i] = atol(argv[2 + i]);
	if (seconds <= 0 || items < 0 || work[0] < 0 || work[1] < 0 || work[2] < 0) {
		fprintf(stderr, "usage: flametop-pipeline [-n ITEMS] [SECONDS [P T C]]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 3; i++) {
		struct coro *c = &coros[i];

		getcontext(&c->ctx);
		c->ctx.uc_stack.ss_sp = malloc(STACK_SIZE);
		c->ctx.uc_stack.ss_size = STACK_SIZE;
		c->ctx.uc_link = &sched_ctx;
		if (!c->ctx.uc_stack.ss_sp) {
			perror("pipeline: malloc");
			return 1;
		}
		makecontext(&c->ctx, entry[i], 0);
	}
	/* round robin over the coroutines that are not waiting */
	double cpu[3] = {0, 0, 0}, all;

	while (live > 0) {
		live = 0;
		for (int i = 0; i < 3; i++) {
			struct coro *c = &coros[i];

			if (c->done)
				continue;
			live++;
			if (c->waiting)
				continue;
			running = c;
			cpu[i] -= thread_cpu();
			swapcontext(&sched_ctx, &c->ctx);
			cpu[i] += thread_cpu();
			running = NULL;
		}
	}
	all = cpu[0] + cpu[1] + cpu[2];
	if (all > 0)
		printf("stages: producer %.1f%% transformer %.1f%% consumer %.1f%% of the CPU\n",
		       100 * cpu[0] / all, 100 * cpu[1] / all, 100 * cpu[2] / all);
	for (int i = 0; i < 3; i++)
		free(coros[i].ctx.uc_stack.ss_sp);
	return 0;
}
