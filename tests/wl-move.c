/*
 * wl-move.c - workload: a record pipeline whose CPU goes to three stages
 * called from main, read_records, compress_records and write_records.
 *
 * Each round reads, compresses and writes a batch: reading parses (3
 * units of work) and validates (2 units), compressing takes 2 units,
 * writing 3.  So read_records has 50% of the CPU time, compress_records
 * 20% and write_records 30%.  With --validate-late the records are
 * validated when written instead of when read: the same work, 20% of it
 * moved from read_records (then 30%) to write_records (then 50%).
 * rec-diff.sh records both and checks that report --diff finds that move
 * and nothing else.  Usage: wl-move [--validate-late] [SCALE]
 * (SCALE multiplies the work; default 1, about 2 s).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOINLINE __attribute__((noipa))
#define UNIT 100000L /* iterations of the kernel in a unit of work */
#define ROUNDS 1000L

static volatile uint64_t sink;

/* A unit of work: xorshift over the batch's state. */
#define WORK(x, units)                                                                             \
	for (long i_ = 0; i_ < (units)*UNIT; i_++) {                                               \
		(x) ^= (x) << 13;                                                                  \
		(x) ^= (x) >> 7;                                                                   \
		(x) ^= (x) << 17;                                                                  \
		__asm__ volatile("" : "+r"(x));                                                    \
	}

static NOINLINE uint64_t read_records(uint64_t x, bool validate)
{
	WORK(x, 3); /* parse */
	if (validate)
		WORK(x, 2);
	return x;
}

static NOINLINE uint64_t compress_records(uint64_t x)
{
	WORK(x, 2);
	return x;
}

static NOINLINE uint64_t write_records(uint64_t x, bool validate)
{
	if (validate)
		WORK(x, 2);
	WORK(x, 3); /* format and write */
	return x;
}

int main(int argc, char **argv)
{
	bool late = argc > 1 && !strcmp(argv[1], "--validate-late");
	double scale = argc > 1 + late ? atof(argv[1 + late]) : 1.0;
	long rounds = (long)(ROUNDS * (scale > 0 ? scale : 1.0));
	uint64_t x = 88172645463325252ull;

	for (long r = 0; r < rounds; r++) {
		x = read_records(x, !late);
		x = compress_records(x);
		x = write_records(x, late);
	}
	sink = x;
	printf("wl-move: %ld batches, validated when %s\n", rounds, late ? "written" : "read");
	return 0;
}
