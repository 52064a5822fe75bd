/*
 * bench-bursts.c - how long finding bursts (bursts_of_profile) takes on a
 * profile the viewer may hold: 60 seconds of 8 busy threads sampled at
 * 999 Hz (480,000 samples over 2,000 distinct stacks up to 40 deep).  The
 * viewer finds bursts again once a second while samples come: it keeps a
 * series (bursts_series_find) and reads only the new tenths, so both the
 * whole search and the update after one more second are measured.
 *
 * Prints medians of N runs and, as a baseline measured in the same run on
 * the same profile, one profile_foreach over everything (one pass over
 * the aggregated stacks), with the ratios.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bursts.h"
#include "funcs.h"
#include "profile.h"
#include "util.h"

#define SECONDS 60
#define THREADS 8
#define HZ 999
#define STACKS 2000
#define RUNS 15
#define NS 1000000000ull

static int count(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		 uint64_t value, uint64_t cnt)
{
	(void)funcs;
	(void)n;
	(void)ctx;
	(void)value;
	*(uint64_t *)arg += cnt;
	return 0;
}

/* One sampling tick i: every thread's sample. */
static void add_tick(struct profile *p, uint64_t i, uint32_t (*stacks)[40], const uint32_t *depth)
{
	for (int th = 0; th < THREADS; th++) {
		size_t s = next_rand() % STACKS;
		struct profile_sample sm = {.time_ns = NS + i * (NS / HZ),
					    .tid = 100 + th,
					    .oncpu = true,
					    .weight = 1000000,
					    .funcs = stacks[s],
					    .n = depth[s]};

		profile_add(p, &sm);
	}
}

int main(void)
{
	struct funcs *f = funcs_new();
	struct profile *p = f ? profile_new(f) : NULL;
	static uint32_t stacks[STACKS][40];
	uint32_t depth[STACKS], names[500];
	double find[RUNS], base[RUNS], upd[RUNS];
	struct burst_series *series = bursts_series_new();
	uint64_t i, first;
	struct burst_config c;
	size_t nb = 0, ns = 0;
	volatile uint64_t sink = 0;
	char name[64];

	if (!p || !series)
		return 1;
	for (int k = 0; k < 500; k++) {
		snprintf(name, sizeof(name), "ns::module%d::function_%d", k % 37, k);
		names[k] = funcs_intern(f, name, "libbench.so");
	}
	for (int s = 0; s < STACKS; s++) {
		depth[s] = 3 + (uint32_t)(next_rand() % 37);
		for (uint32_t d = 0; d < depth[s]; d++)
			stacks[s][d] = names[(next_rand() % (d < 3 ? 4 : 500) + d * 7) % 500];
	}
	profile_set_window(p, 0);
	for (i = 0; i < (uint64_t)SECONDS * HZ; i++)
		add_tick(p, i, stacks, depth);
	profile_expire(p, NS * (SECONDS + 1));
	bursts_config_default(&c);
	for (int r = 0; r < RUNS; r++) {
		struct burst *b;
		uint64_t t0 = util_mono_ns(), n = 0;

		if (bursts_of_profile(p, &c, &b, &nb, &(uint64_t){0}, &ns) < 0)
			return 1;
		find[r] = (double)(util_mono_ns() - t0) / 1e6;
		free(b);
		t0 = util_mono_ns();
		profile_foreach(p, count, &n);
		base[r] = (double)(util_mono_ns() - t0) / 1e6;
		sink += n;
	}
	/* the viewer's case: one more second, then the series brought up to
	 * date (the oldest second expires) */
	for (int r = 0; r < RUNS; r++) {
		struct burst *b;
		uint64_t t0, end = i + HZ;

		if (r == 0 && bursts_series_find(series, p, &c, &b, &nb, &first, &ns) == 0)
			free(b);
		for (; i < end; i++)
			add_tick(p, i, stacks, depth);
		profile_expire(p, NS + i * (NS / HZ));
		t0 = util_mono_ns();
		if (bursts_series_find(series, p, &c, &b, &nb, &first, &ns) < 0)
			return 1;
		upd[r] = (double)(util_mono_ns() - t0) / 1e6;
		free(b);
	}
	qsort(find, RUNS, sizeof(find[0]), cmp_double);
	qsort(base, RUNS, sizeof(base[0]), cmp_double);
	qsort(upd, RUNS, sizeof(upd[0]), cmp_double);
	printf("bursts: %.1f ms per search (median of %d; %zu tenths, %llu samples, %zu bursts)\n",
	       find[RUNS / 2], RUNS, ns, (unsigned long long)profile_total_count(p), nb);
	printf("update after one more second: %.1f ms (median of %d)\n", upd[RUNS / 2], RUNS);
	printf("baseline: one pass over the aggregated stacks %.1f ms; search/pass %.1fx, "
	       "update/pass %.1fx\n",
	       base[RUNS / 2], base[RUNS / 2] > 0 ? find[RUNS / 2] / base[RUNS / 2] : 0.0,
	       base[RUNS / 2] > 0 ? upd[RUNS / 2] / base[RUNS / 2] : 0.0);
	bursts_series_free(series);
	profile_free(p);
	funcs_free(f);
	return sink == 0;
}
