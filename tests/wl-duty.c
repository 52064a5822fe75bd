/*
 * wl-duty.c - workload: THREADS threads each run duty_loop for SECONDS,
 * spinning 2 ms (duty_spin) and sleeping 8 ms in turn, so each is busy
 * a fifth of the time.  At the end it prints the CPU time the threads
 * used, as measured by themselves: "cpu_ms N".  rec-summary.sh checks
 * record's rate against it.
 * Usage: wl-duty [THREADS] [SECONDS]  (default 2 threads, 0.8 s)
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NOINLINE __attribute__((noipa))
#define MAX_THREADS 64

static volatile uint64_t sink;
static double seconds = 0.8;

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static NOINLINE void duty_spin(double until)
{
	while (clock_s(CLOCK_MONOTONIC) < until)
		sink++;
}

static NOINLINE void *duty_loop(void *arg)
{
	double *cpu = arg, end = clock_s(CLOCK_MONOTONIC) + seconds;
	struct timespec nap = {0, 8 * 1000 * 1000};

	while (clock_s(CLOCK_MONOTONIC) < end) {
		duty_spin(clock_s(CLOCK_MONOTONIC) + 0.002);
		nanosleep(&nap, NULL);
	}
	*cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[MAX_THREADS];
	double cpu[MAX_THREADS], total = 0;

	if (argc > 2)
		seconds = atof(argv[2]);
	if (n < 1 || n > MAX_THREADS || !(seconds > 0)) {
		fprintf(stderr, "usage: wl-duty [THREADS] [SECONDS]\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, duty_loop, &cpu[i]);
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		total += cpu[i];
	}
	printf("cpu_ms %.0f\n", total * 1000);
	return 0;
}
