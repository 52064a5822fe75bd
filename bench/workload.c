/*
 * workload.c - bench-workload: fixed CPU work with stacks 5-60 frames deep.
 *
 * Each round descends a noinline recursion to a depth that cycles through
 * 5..60 and does a fixed slice of arithmetic at the bottom, so a sampler
 * has to unwind stacks of every size.  The work is fixed, so the run time
 * under a profiler against the bare run is the profiler's overhead.  At
 * exit it prints its own CPU time (all threads) on stderr.
 * Usage: bench-workload [-t THREADS] [-n ROUNDS]   (each thread does ROUNDS)
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noipa)) /* noinline, no clones, no folding */
#define MIN_DEPTH 5
#define MAX_DEPTH 60
#define SLICE 20000L

static long rounds = 4000;
static volatile uint64_t sink;

static NOINLINE uint64_t bottom(uint64_t x)
{
	for (long i = 0; i < SLICE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static NOINLINE uint64_t descend(uint64_t x, int depth)
{
	uint64_t r = depth <= 1 ? bottom(x) : descend(x + depth, depth - 1);
	__asm__ volatile("" : "+r"(r)); /* keep the frame: no tail call */
	return r;
}

static void *run(void *arg)
{
	uint64_t x = 88172645463325252ull + (uintptr_t)arg;
	for (long r = 0; r < rounds; r++)
		x = descend(x, MIN_DEPTH + (int)(r % (MAX_DEPTH - MIN_DEPTH + 1)));
	sink = x;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 1, c;

	while ((c = getopt(argc, argv, "t:n:")) != -1) {
		switch (c) {
		case 't':
			threads = atoi(optarg);
			break;
		case 'n':
			rounds = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench-workload [-t THREADS] [-n ROUNDS]\n");
			return 2;
		}
	}
	if (threads < 1 || threads > 64 || rounds < 1) {
		fprintf(stderr, "bench-workload: bad -t or -n\n");
		return 2;
	}
	pthread_t tid[64];
	for (int i = 1; i < threads; i++)
		if (pthread_create(&tid[i], NULL, run, (void *)(uintptr_t)i)) {
			fprintf(stderr, "bench-workload: cannot start a thread\n");
			return 1;
		}
	run(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(tid[i], NULL);
	/* the process's own CPU time, precise, for bench/run */
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	fprintf(stderr, "bench-workload: cpu_s=%.6f\n", cpu.tv_sec + cpu.tv_nsec / 1e9);
	return 0;
}
