/*
 * sym-inline.c - a program that profiles itself, for test-symbols'
 * inlined frames.
 *
 * crunch() does all the work, most of it in code inlined into it:
 * heavy() takes 3/5 of the iterations (the last third of them in step(),
 * inlined into heavy()), light() 1/5, crunch's own loop the last 1/5.
 * Built with -O2 -g and always_inline, so that only crunch() is a symbol.
 *
 * While it works, ITIMER_PROF interrupts it every millisecond of CPU time
 * and the handler keeps the interrupted pc.  It then prints its own module
 * ("module exe PATH BIAS LO HI", as sym-target does) and one line per
 * distinct pc ("pc ADDR COUNT"): a profile of exact leaf pcs that
 * test-symbols resolves offline.
 * Usage: sym-inline [SCALE]  (SCALE multiplies the work; default 1).
 */
#include "config.h"

#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define NOINLINE __attribute__((noipa))
#define ROUND 20000L
#define MAX_PCS 65536

static volatile uint64_t sink;
static uint64_t pcs[MAX_PCS];
static volatile sig_atomic_t npcs;

static void on_prof(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	if (npcs < MAX_PCS)
		pcs[npcs++] = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
}

ALWAYS_INLINE uint64_t step(uint64_t x, long n)
{
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

ALWAYS_INLINE uint64_t heavy(uint64_t x, long n)
{
	for (long i = 0; i < 2 * n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	x = step(x, n); /* heavy calls step */
	return x;
}

ALWAYS_INLINE uint64_t light(uint64_t x, long n)
{
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

NOINLINE uint64_t crunch(uint64_t x, long n)
{
	x = heavy(x, n); /* crunch calls heavy */
	x = light(x, n); /* crunch calls light */
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static int report(struct dl_phdr_info *info, size_t size, void *arg)
{
	char exe[4096];
	ssize_t n;

	(void)size;
	if (*(int *)arg || (info->dlpi_name && *info->dlpi_name))
		return 0; /* the first unnamed object is the program */
	*(int *)arg = 1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			uint64_t lo = info->dlpi_addr + ph->p_vaddr;

			printf("module exe %s 0x%llx 0x%llx 0x%llx\n", exe,
			       (unsigned long long)info->dlpi_addr, (unsigned long long)lo,
			       (unsigned long long)(lo + ph->p_memsz));
			break;
		}
	}
	return 0;
}

static int by_pc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long rounds = 50 * (argc > 1 ? atol(argv[1]) : 1);
	struct sigaction sa = {.sa_sigaction = on_prof, .sa_flags = SA_SIGINFO | SA_RESTART};
	struct itimerval it = {{0, 1000}, {0, 1000}};
	struct itimerval off = {{0, 0}, {0, 0}};
	uint64_t x = 88172645463325252ull;
	int seen = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGPROF, &sa, NULL);
	setitimer(ITIMER_PROF, &it, NULL);
	for (long r = 0; r < rounds * 100; r++)
		x = crunch(x, ROUND);
	setitimer(ITIMER_PROF, &off, NULL);
	sink = x;
	dl_iterate_phdr(report, &seen);
	qsort(pcs, (size_t)npcs, sizeof(pcs[0]), by_pc);
	for (int i = 0, j; i < npcs; i = j) {
		for (j = i; j < npcs && pcs[j] == pcs[i]; j++)
			;
		printf("pc 0x%llx %d\n", (unsigned long long)pcs[i], j - i);
	}
	return 0;
}
