/*
 * bench-ingest.c - how fast the profile model takes samples.
 *
 * Realistic input: 500 functions, 2,000 distinct stacks of 10-40 frames
 * that share prefixes the way real call trees do, drawn zipf-like (a few
 * stacks are most of the samples), 8 threads, 90% on CPU.  The sample
 * order is precomputed so the loop measures profile_add alone.
 *
 * Prints, for the same input:
 *   baseline: calltree_add of the whole stack per sample (no aggregation)
 *   ingest: window "everything" (default retention of per-second slices)
 *   ingest (no retention): window "everything", cumulative aggregate only
 *   ingest (5 s window sliding): 20,000 samples per simulated second,
 *     profile_expire every 1,000 samples
 *   ingest (5 s window, churning): the same, but the popular stacks drift
 *     through 20,000 distinct ones (250 new ranks a simulated second), so
 *     stacks keep leaving the window and zero nodes are pruned
 * each as "N samples/s", and the ratios to the baseline.  The goal is
 * >= 1,000,000 samples/s on one core for every ingest line.
 *
 * Usage: bench-ingest [samples]   (default 5,000,000)
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "profile.h"

#define NFUNCS 500
#define NSTACKS 2000
#define NCHURN 20000
#define MAXDEPTH 40
#define NSEQ (1u << 20)
#define NTHREADS 8

struct bstack {
	uint32_t f[MAXDEPTH];
	uint32_t n;
};

/* Index in [0, n) with P(k) ~ 1 / (k + 1)^s, from the precomputed cdf. */
static uint32_t zipf_pick(const double *cdf, uint32_t n)
{
	double u = (double)(next_rand() >> 11) / 9007199254740992.0 * cdf[n - 1];
	uint32_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void zipf_cdf(double *cdf, uint32_t n, double s)
{
	double sum = 0;
	uint32_t k;

	for (k = 0; k < n; k++) {
		sum += 1.0 / pow(k + 1, s);
		cdf[k] = sum;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct bstack stacks[NCHURN];
static uint32_t seq[NSEQ];
static uint32_t fid[NFUNCS];

static void make_input(struct funcs *f)
{
	static double fcdf[NFUNCS], scdf[NSTACKS];
	char name[64], mod[32];
	uint32_t i, j;

	for (i = 0; i < NFUNCS; i++) {
		snprintf(name, sizeof(name), "module_%u::function_number_%u", i % 37, i);
		snprintf(mod, sizeof(mod), "lib%u.so", i % 11);
		fid[i] = funcs_intern(f, name, mod);
	}
	zipf_cdf(fcdf, NFUNCS, 1.0);
	zipf_cdf(scdf, NSTACKS, 1.1);
	for (i = 0; i < NCHURN; i++) {
		struct bstack *s = &stacks[i];
		uint32_t depth = 10 + (uint32_t)(next_rand() % 31), keep = 0;

		/* most stacks continue an earlier one's prefix */
		if (i && next_rand() % 10 < 8) {
			const struct bstack *p =
			    &stacks[zipf_pick(scdf, i < NSTACKS ? i : NSTACKS)];

			keep = 3 + (uint32_t)(next_rand() % (p->n - 3));
			if (keep > depth - 1)
				keep = depth - 1;
			for (j = 0; j < keep; j++)
				s->f[j] = p->f[j];
		} else {
			s->f[0] = fid[0]; /* _start */
			s->f[1] = fid[1]; /* main */
			keep = 2;
		}
		for (j = keep; j < depth; j++)
			s->f[j] = fid[zipf_pick(fcdf, NFUNCS)];
		s->n = depth;
	}
	for (i = 0; i < NSEQ; i++)
		seq[i] = zipf_pick(scdf, NSTACKS);
}

static double run_profile(struct funcs *f, uint64_t nsamples, uint64_t window, uint64_t retain,
			  uint64_t per_sec, uint32_t churn, size_t *nodes)
{
	struct profile *p = profile_new(f);
	uint64_t i, step = 1000000000ull / per_sec;
	double t0, t1;

	if (!p)
		return 0;
	profile_set_retain(p, retain);
	profile_set_window(p, window);
	t0 = now_s();
	for (i = 0; i < nsamples; i++) {
		uint64_t sec = i / per_sec;
		const struct bstack *s = &stacks[(seq[i & (NSEQ - 1)] + sec * churn) % NCHURN];
		struct profile_sample smp = {
		    .time_ns = i * step,
		    .tid = 1000 + (int32_t)(i % NTHREADS),
		    .oncpu = (i % 10) != 0,
		    .weight = 10101010,
		    .funcs = s->f,
		    .n = s->n,
		};

		if (profile_add(p, &smp)) {
			fprintf(stderr, "bench-ingest: profile_add failed\n");
			exit(1);
		}
		if (i % 1000 == 999)
			profile_expire(p, i * step);
	}
	t1 = now_s();
	*nodes = calltree_nodes(profile_tree(p));
	if (profile_total_count(p) != nsamples) {
		fprintf(stderr, "bench-ingest: lost samples\n");
		exit(1);
	}
	profile_free(p);
	return (double)nsamples / (t1 - t0);
}

static double run_baseline(uint64_t nsamples)
{
	struct calltree *t = calltree_new();
	uint64_t i;
	double t0, t1;

	t0 = now_s();
	for (i = 0; i < nsamples; i++) {
		const struct bstack *s = &stacks[seq[i & (NSEQ - 1)]];

		if (!calltree_add(t, s->f, s->n, 10101010, 1)) {
			fprintf(stderr, "bench-ingest: calltree_add failed\n");
			exit(1);
		}
	}
	t1 = now_s();
	calltree_free(t);
	return (double)nsamples / (t1 - t0);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
	struct funcs *f = funcs_new();
	double base, all, cum, win, chu;
	size_t nodes_all, nodes_cum, nodes_win, nodes_chu;

	rng = 0x9E3779B97F4A7C15ull; /* this bench's own data since it was written */
	if (!f || !n)
		return 1;
	make_input(f);
	base = run_baseline(n);
	all = run_profile(f, n, 0, 60000000000ull, 20000, 0, &nodes_all);
	cum = run_profile(f, n, 0, 0, 20000, 0, &nodes_cum);
	win = run_profile(f, n, 5000000000ull, 0, 20000, 0, &nodes_win);
	chu = run_profile(f, n, 5000000000ull, 0, 20000, 250, &nodes_chu);
	printf("input: %d stacks of 10-%d frames over %d functions, %llu samples\n", NSTACKS,
	       MAXDEPTH, NFUNCS, (unsigned long long)n);
	printf("baseline: %.0f samples/s (calltree_add per sample)\n", base);
	printf("ingest: %.0f samples/s (window everything, 60 s retained; %zu nodes)\n", all,
	       nodes_all);
	printf("ingest (no retention): %.0f samples/s (%zu nodes)\n", cum, nodes_cum);
	printf("ingest (5 s window sliding): %.0f samples/s (%zu nodes)\n", win, nodes_win);
	printf("ingest (5 s window, churning): %.0f samples/s (%zu nodes at the end)\n", chu,
	       nodes_chu);
	printf("ratio to baseline: %.2f / %.2f / %.2f / %.2f\n", all / base, cum / base, win / base,
	       chu / base);
	funcs_free(f);
	return 0;
}
