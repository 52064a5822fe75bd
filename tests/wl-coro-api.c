/*
 * wl-coro-api.c - a program with its own stack switching (x86_64 assembly,
 * no ucontext) that reports its coroutines through flametop.h.
 *
 * Two tasks on one thread: "light" burns 1 unit per turn, "heavy" 3, so
 * heavy has 75% of the two tasks' CPU.  The scheduler pushes job=batch
 * before creating them (both inherit it); heavy pushes phase=crunch for
 * good.  Each task parks with reason "yield" in task_wait before it
 * switches back.  At start the program misuses the API exactly six times
 * (leave with no coroutine, pop with nothing pushed, enter and exit of
 * unknown ids, a NULL and an over-long name).  Every 100 ms it prints
 * "cpu LIGHT HEAVY": the thread CPU nanoseconds each task has run so far,
 * measured around its turns, for tests to compare shares against.
 * Usage: wl-coro-api SECONDS.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "flametop.h"

#define STACK (64 * 1024)

struct task {
	void *sp;
	flametop_coro_t id;
	long units;
	const char *name;
	char *stack;
};

static void *sched_sp;
static struct task tasks[2];
static struct task *cur;
static volatile unsigned long sink;

/* saves the callee-saved registers and the stack pointer in *save, loads
 * those of next (x86_64 SysV) */
void ft_switch(void **save, void *next);
__asm__(".text\n"
	".globl ft_switch\n"
	".type ft_switch, @function\n"
	"ft_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size ft_switch, .-ft_switch\n");

static __attribute__((noinline)) void burn(long units)
{
	unsigned long x = sink;

	for (long i = 0; i < units * 200000; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	sink = x;
}

static __attribute__((noinline)) void task_wait(struct task *t)
{
	flametop_coro_park("yield");
	ft_switch(&t->sp, sched_sp);
}

static __attribute__((noinline)) void task_main(void)
{
	struct task *t = cur;

	if (t->units > 1)
		flametop_label_push("phase", "crunch");
	for (;;) {
		burn(t->units);
		task_wait(t);
	}
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void task_start(struct task *t)
{
	uint64_t *sp;

	t->stack = malloc(STACK);
	if (!t->stack) {
		perror("wl-coro-api: malloc");
		exit(1);
	}
	sp = (uint64_t *)(t->stack + STACK);
	*--sp = 0;				/* keeps the entry's stack aligned */
	*--sp = (uint64_t)(uintptr_t)task_main; /* ft_switch returns here */
	for (int i = 0; i < 6; i++)
		*--sp = 0; /* rbp rbx r12 r13 r14 r15 */
	t->sp = sp;
	t->id = flametop_coro_create(t->name);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	struct timespec t0, t;
	uint64_t cpu[2] = {0, 0};
	double next_print = 0, elapsed;

	/* six misuses, each counted once */
	flametop_coro_leave();
	flametop_label_pop();
	flametop_coro_enter(987654321);
	flametop_coro_exit(123456789);
	flametop_coro_rename(flametop_coro_create(NULL), "unnamed");
	flametop_coro_exit(flametop_coro_create("a name much longer than thirty-one bytes"));

	flametop_label_push("job", "batch");
	tasks[0].name = "light";
	tasks[0].units = 1;
	tasks[1].name = "heavy";
	tasks[1].units = 3;
	task_start(&tasks[0]);
	task_start(&tasks[1]);
	flametop_label_pop();
	printf("wl-coro-api: ids %llu %llu\n", (unsigned long long)tasks[0].id,
	       (unsigned long long)tasks[1].id);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 2; i++) {
			uint64_t c0 = thread_cpu_ns();

			cur = &tasks[i];
			flametop_coro_enter(cur->id);
			ft_switch(&sched_sp, cur->sp);
			flametop_coro_leave();
			cpu[i] += thread_cpu_ns() - c0;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed = (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
		if (elapsed >= next_print) {
			printf("cpu %llu %llu\n", (unsigned long long)cpu[0],
			       (unsigned long long)cpu[1]);
			fflush(stdout);
			next_print = elapsed + 0.1;
		}
	} while (elapsed < secs);
	printf("wl-coro-api: done\n");
	return 0;
}
