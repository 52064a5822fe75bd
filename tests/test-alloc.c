/*
 * test-alloc.c - sampled allocations: the runtime's byte sampler
 * (runtime/alloc-stat.c) and its set of live sampled blocks
 * (runtime/alloc-live.c), both compiled into this test, and the core's
 * table of live sampled blocks (src/allocs.c).
 *
 * The sampler is run over a known program of allocations with fixed
 * seeds, so every run draws the same samples: the estimates must come
 * within a few percent of the bytes and objects actually allocated, in
 * total and per call site.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "allocs.h"
#include "funcs.h"
#include "profile.h"

/* ---- the sampler ------------------------------------------------------ */

/* a call site: how big its blocks are, how many it makes per round */
struct site {
	uint64_t size;
	unsigned per_round;
	uint64_t true_bytes, true_objects;
	double est_bytes, est_objects;
};

/* Runs rounds of every site's allocations through one thread's sampler
 * (as the hooks do: subtract, take when it runs out). */
static void run_sites(struct site *s, size_t n, unsigned rounds, uint64_t mean, uint64_t seed)
{
	struct alloc_stat st = {0};

	for (unsigned r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			for (unsigned k = 0; k < s[i].per_round; k++) {
				uint64_t bytes, objects;

				s[i].true_bytes += s[i].size;
				s[i].true_objects++;
				st.left -= (int64_t)s[i].size;
				if (st.left > 0)
					continue;
				if (!alloc_stat_take(&st, s[i].size, mean, seed, &bytes, &objects))
					continue;
				s[i].est_bytes += (double)bytes;
				s[i].est_objects += (double)objects;
			}
}

static double rel_err(double est, double truth)
{
	return fabs(est - truth) / truth;
}

/* Over many samples the estimate converges to the truth: totals within
 * 2%, each site's share of bytes within 1.5 points, objects of every
 * site within 5%; three seeds, each deterministic. */
static void test_alloc_estimates(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct site s[] = {
		    {.size = 24, .per_round = 400},	 /* small nodes */
		    {.size = 1000, .per_round = 4},	 /* strings */
		    {.size = 64 * 1024, .per_round = 1}, /* buffers */
		    {.size = 3u << 20, .per_round = 0},	 /* big tables, below */
		};
		double tb = 0, eb = 0;

		run_sites(s, 4, 200000, ALLOC_RATE_DEFAULT, seed);
		s[3].per_round = 1;
		run_sites(s + 3, 1, 2000, ALLOC_RATE_DEFAULT, seed + 100);
		for (size_t i = 0; i < 4; i++) {
			tb += (double)s[i].true_bytes;
			eb += s[i].est_bytes;
		}
		assert_true(rel_err(eb, tb) < 0.02);
		for (size_t i = 0; i < 4; i++) {
			double share_t = s[i].true_bytes / tb, share_e = s[i].est_bytes / eb;

			assert_true(fabs(share_t - share_e) < 0.015);
			assert_true(rel_err(s[i].est_objects, (double)s[i].true_objects) < 0.05);
		}
	}
}

/* A block far larger than the mean is always sampled and stands for
 * itself; the interval drawn has the mean asked. */
static void test_alloc_draws(void **state)
{
	struct alloc_stat st = {0};
	uint64_t bytes, objects;
	double sum = 0;
	int n = 200000;

	(void)state;
	for (int i = 0; i < n; i++)
		sum += (double)alloc_stat_draw(&st, 4096, 7);
	assert_true(rel_err(sum / n, 4096) < 0.01);

	st.left = -1;
	assert_int_equal(alloc_stat_take(&st, 64u << 20, 4096, 7, &bytes, &objects), 1);
	assert_int_equal(bytes, 64u << 20);
	assert_int_equal(objects, 1);
	assert_true(st.left >= 1);
}

/* The runtime's own log and 1 - exp(-t) (it does not link libm) agree
 * with libm's to within 1e-15, relative, over the whole range the
 * sampler uses: uniforms in (0, 1] down to 2^-53, sizes from a byte to
 * far past the mean. */
static void test_alloc_math(void **state)
{
	(void)state;
	for (double x = 0x1p-53; x <= 1.0; x *= 1.0009765625) {
		double want = log(x), got = alloc_stat_log(x);

		assert_true(fabs(got - want) <= 4e-16 * fmax(1.0, fabs(want)));
	}
	assert_true(alloc_stat_log(1.0) == 0.0);
	assert_true(fabs(alloc_stat_log(0x1p-1074) - log(0x1p-1074)) < 1e-12);
	for (double t = 1e-9; t < 800; t *= 1.001953125) {
		double want = -expm1(-t), got = alloc_stat_p(t);

		assert_true(fabs(got - want) <= 1e-15 * want);
	}
	assert_true(alloc_stat_p(0) == 0.0);
}

/* Rate 0: every block, exactly, whatever its size. */
static void test_alloc_exact(void **state)
{
	struct site s[] = {{.size = 0, .per_round = 1}, {.size = 7, .per_round = 3}};

	(void)state;
	run_sites(s, 2, 1000, 0, 1);
	assert_true(s[0].est_objects == 1000 && s[0].est_bytes == 0);
	assert_true(s[1].est_objects == 3000 && s[1].est_bytes == 21000);
}

/* The first interval of a thread is drawn too: a thread that allocates
 * less than it is never sampled (with this seed). */
static void test_alloc_first_draw(void **state)
{
	struct alloc_stat st = {0};
	uint64_t bytes, objects;

	(void)state;
	st.left -= 16;
	assert_int_equal(alloc_stat_take(&st, 16, ALLOC_RATE_DEFAULT, 42, &bytes, &objects), 0);
	assert_true(st.left > 0);
	assert_true(st.rng != 0);
}

/* The thread's own count (struct ft_alloc's thread_bytes) is every size
 * counted down, exactly, across samples, first draws and exact mode. */
static void test_alloc_total(void **state)
{
	static const uint64_t means[] = {ALLOC_RATE_DEFAULT, 4096, 0};

	(void)state;
	for (size_t m = 0; m < 3; m++) {
		struct alloc_stat st = {0};
		uint64_t truth = 0, bytes, objects;

		for (uint64_t i = 0; i < 300000; i++) {
			uint64_t size = (i * 7919) % 5000 + (i % 1000 == 0 ? 3u << 20 : 0);

			truth += size;
			st.left -= (int64_t)size;
			if (st.left <= 0)
				alloc_stat_take(&st, size, means[m], 5, &bytes, &objects);
			assert_true(alloc_stat_total(&st) == truth);
		}
	}
}

/* ---- the runtime's set of live sampled blocks ------------------------ */

static struct alloc_live *live_new(uint64_t nbuckets)
{
	struct alloc_live *t = malloc(sizeof(*t));
	void *mem = calloc(1, alloc_live_size(nbuckets));

	assert_non_null(t);
	assert_non_null(mem);
	alloc_live_init(t, mem, nbuckets);
	return t;
}

static void live_del(struct alloc_live *t)
{
	free(t->slots);
	free(t);
}

/* Churn against a reference: what is in the set is exactly what was
 * inserted and not removed; addresses never inserted are not found. */
static void test_live_churn(void **state)
{
	struct alloc_live *t = live_new(1024);
	enum { N = 4000 };
	static bool in[N];
	uint64_t x = 1;
	size_t count = 0;

	(void)state;
	for (int i = 0; i < 400000; i++) {
		int k;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (int)(x % N);
		if (in[k]) {
			assert_int_equal(alloc_live_remove(t, 0x10000 + 16 * (uint64_t)k), 1);
			in[k] = false;
			count--;
		} else if (alloc_live_insert(t, 0x10000 + 16 * (uint64_t)k) == 0) {
			in[k] = true;
			count++;
		}
		assert_int_equal(t->count, count);
	}
	for (int k = 0; k < N; k++)
		assert_int_equal(alloc_live_remove(t, 0x10000 + 16 * (uint64_t)k), in[k]);
	assert_int_equal(t->count, 0);
	assert_int_equal(alloc_live_remove(t, 0x10000), 0);
	for (uint32_t i = 0; i < ALLOC_LIVE_FILTER; i++)
		assert_int_equal(t->filter[i], 0);
	live_del(t);
}

/* A full set refuses (the caller counts the block untracked) and loses
 * nothing it took. */
static void test_live_full(void **state)
{
	struct alloc_live *t = live_new(4);
	int taken = 0, refused = 0;

	(void)state;
	for (uint64_t a = 1; a <= 200; a++) {
		if (alloc_live_insert(t, a * 4096) == 0)
			taken++;
		else
			refused++;
	}
	assert_true(taken <= 4 * (int)ALLOC_LIVE_WAYS && taken >= 16);
	assert_true(refused > 0);
	assert_int_equal(t->count, (uint64_t)taken);
	for (uint64_t a = 1; a <= 200; a++)
		taken -= alloc_live_remove(t, a * 4096);
	assert_int_equal(taken, 0);
	assert_int_equal(alloc_live_insert(t, 0), -1);
	live_del(t);
}

struct churner {
	struct alloc_live *t;
	uint64_t base;
	int lost;
};

/* one thread: its own addresses in and out, a hundred at a time */
static void *churn(void *p)
{
	struct churner *c = p;

	for (int round = 0; round < 2000; round++) {
		for (uint64_t i = 0; i < 100; i++)
			if (alloc_live_insert(c->t, c->base + 64 * i) < 0)
				c->lost++;
		for (uint64_t i = 0; i < 100; i++)
			if (!alloc_live_remove(c->t, c->base + 64 * i))
				c->lost++;
	}
	return NULL;
}

/* Eight threads at once: every insert is found by its remove. */
static void test_live_threads(void **state)
{
	struct alloc_live *t = live_new(4096);
	struct churner c[8];
	pthread_t th[8];

	(void)state;
	for (int i = 0; i < 8; i++) {
		c[i] = (struct churner){t, 0x7f0000000000ull + ((uint64_t)i << 32), 0};
		assert_int_equal(pthread_create(&th[i], NULL, churn, &c[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(c[i].lost, 0);
	}
	assert_int_equal(t->count, 0);
	live_del(t);
}

/* ---- the core's table of live sampled blocks ------------------------- */

/* Churn against a reference; the filled profile sums what is live. */
static void test_allocs_churn(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct allocs *a = allocs_new();
	uint32_t stack[2][2];
	enum { N = 5000 };
	static uint64_t bytes[N];
	uint64_t x = 99, want_bytes = 0, want_objects = 0, site0 = 0;
	size_t live = 0;

	(void)state;
	stack[0][0] = stack[1][0] = funcs_intern(f, "main", "");
	stack[0][1] = funcs_intern(f, "leaky", "");
	stack[1][1] = funcs_intern(f, "busy", "");
	profile_set_window(p, 0);
	for (int i = 0; i < 300000; i++) {
		int k;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (int)(x % N);
		if (bytes[k]) {
			assert_true(allocs_release(a, 0x5000 + 32 * (uint64_t)k, NULL, NULL));
			want_bytes -= bytes[k];
			want_objects--;
			bytes[k] = 0;
			live--;
		} else {
			struct profile_sample s = {
			    .time_ns = 1000 + (uint64_t)i,
			    .tid = 1,
			    .oncpu = true,
			    .funcs = stack[k % 2],
			    .n = 2,
			};

			bytes[k] = 100 + (uint64_t)k;
			assert_int_equal(
			    allocs_add(a, 0x5000 + 32 * (uint64_t)k, &s, bytes[k], 1, false), 0);
			want_bytes += bytes[k];
			want_objects++;
			live++;
		}
		assert_int_equal(allocs_count(a), live);
	}
	assert_int_equal(allocs_bytes(a), want_bytes);
	assert_int_equal(allocs_objects(a), want_objects);
	assert_false(allocs_release(a, 0x10, NULL, NULL)); /* never added: ignored */
	for (int k = 0; k < N; k += 2)
		site0 += bytes[k];
	assert_int_equal(allocs_fill(a, p, false, 0), 0);
	assert_int_equal(profile_total_weight(p), want_bytes);
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, want_bytes);
	{
		const struct ctnode *main_node = calltree_root(profile_tree(p))->child;
		const struct ctnode *c;
		uint64_t leaky = 0;

		assert_non_null(main_node);
		for (c = main_node->child; c; c = c->next)
			if (c->func == stack[0][1])
				leaky = c->total_weight;
		assert_int_equal(leaky, site0);
	}
	assert_int_equal(allocs_fill(a, p, true, 0), 0);
	assert_int_equal(profile_total_weight(p), want_objects);
	allocs_free(a);
	profile_free(p);
	funcs_free(f);
}

/* An address sampled again before its release was read replaces the
 * old block. */
static void test_allocs_replace(void **state)
{
	struct allocs *a = allocs_new();
	uint32_t fn = 1;
	struct profile_sample s = {.funcs = &fn, .n = 1};

	(void)state;
	assert_int_equal(allocs_add(a, 0x1000, &s, 10, 1, false), 0);
	assert_int_equal(allocs_add(a, 0x1000, &s, 30, 2, false), 0);
	assert_int_equal(allocs_count(a), 1);
	assert_int_equal(allocs_bytes(a), 30);
	assert_true(allocs_release(a, 0x1000, NULL, NULL));
	assert_int_equal(allocs_bytes(a), 0);
	allocs_free(a);
	allocs_free(NULL);
}

/* A collected heap's block is in use once a collection began after it:
 * the malloc family's at once. */
static void test_allocs_gc(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct allocs *a = allocs_new();
	uint32_t fn = 1;
	struct profile_sample s = {.funcs = &fn, .n = 1};

	(void)state;
	assert_non_null(p);
	s.time_ns = 100;
	assert_int_equal(allocs_add(a, 0x1000, &s, 10, 1, true), 0);
	s.time_ns = 300;
	assert_int_equal(allocs_add(a, 0x2000, &s, 20, 1, true), 0);
	assert_int_equal(allocs_add(a, 0x3000, &s, 40, 1, false), 0);
	assert_int_equal(allocs_fill(a, p, false, 0), 0);
	assert_int_equal(profile_total_weight(p), 40);
	assert_int_equal(allocs_fill(a, p, false, 200), 0);
	assert_int_equal(profile_total_weight(p), 50);
	assert_int_equal(allocs_fill(a, p, false, 400), 0);
	assert_int_equal(profile_total_weight(p), 70);
	assert_int_equal(allocs_bytes(a), 70);
	allocs_free(a);
	profile_free(p);
	funcs_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc_estimates),  cmocka_unit_test(test_alloc_draws),
	    cmocka_unit_test(test_alloc_math),	     cmocka_unit_test(test_alloc_exact),
	    cmocka_unit_test(test_alloc_first_draw), cmocka_unit_test(test_alloc_total),
	    cmocka_unit_test(test_live_churn),	     cmocka_unit_test(test_live_full),
	    cmocka_unit_test(test_live_threads),     cmocka_unit_test(test_allocs_churn),
	    cmocka_unit_test(test_allocs_replace),   cmocka_unit_test(test_allocs_gc),
	};

	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
