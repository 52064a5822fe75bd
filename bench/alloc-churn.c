/*
 * alloc-churn.c - bench-alloc-churn: a malloc-heavy churn for make bench.
 *
 *   bench-alloc-churn [-n MILLIONS] [-t THREADS]
 *
 * Each thread keeps a working set of 4096 slots and replaces one slot per
 * step (free the old block, malloc a new one of 16 to 1040 bytes, touch
 * it), MILLIONS million steps in all (default 30), as an interpreter or a
 * message broker does.  Prints the bytes allocated.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 4096

static long steps;

static void *churn(void *arg)
{
	char **slot = calloc(SLOTS, sizeof(*slot));
	uint64_t x = (uintptr_t)arg * 2654435761u + 1, bytes = 0;

	for (long i = 0; i < steps; i++) {
		size_t k, n;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = x % SLOTS;
		n = 16 + (x >> 20) % 1025;
		free(slot[k]);
		slot[k] = malloc(n);
		slot[k][0] = slot[k][n - 1] = (char)i;
		bytes += n;
	}
	for (size_t k = 0; k < SLOTS; k++)
		free(slot[k]);
	free(slot);
	return (void *)(uintptr_t)bytes;
}

int main(int argc, char **argv)
{
	long millions = 30, threads = 1;
	uint64_t total = 0;
	pthread_t th[64];
	int c;

	while ((c = getopt(argc, argv, "n:t:")) != -1) {
		if (c == 'n')
			millions = atol(optarg);
		else if (c == 't')
			threads = atol(optarg);
	}
	if (threads < 1 || threads > 64 || millions < 1)
		return 2;
	steps = millions * 1000000 / threads;
	for (long t = 0; t < threads; t++)
		pthread_create(&th[t], NULL, churn, (void *)(uintptr_t)(t + 1));
	for (long t = 0; t < threads; t++) {
		void *r;

		pthread_join(th[t], &r);
		total += (uint64_t)(uintptr_t)r;
	}
	printf("%llu bytes\n", (unsigned long long)total);
	return 0;
}
