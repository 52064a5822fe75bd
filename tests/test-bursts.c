/*
 * test-bursts.c - unit tests of bursts.c on synthetic sample streams with
 * known bursts: a rate burst, periodic bursts, a mix burst (same rate, one
 * function takes over), a single noisy slice (not a burst), a workload
 * that speeds up once and stays fast (not a burst forever), steady noise
 * (nothing), and a series too short to have a baseline.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bursts.h"
#include "funcs.h"
#include "profile.h"

#define MAXF 4
enum { F_A = 1, F_B, F_C, F_HOT, NFUNCS };

struct series {
	struct burst_slice *s;
	uint32_t (*funcs)[MAXF];
	uint64_t (*counts)[MAXF];
	size_t n;
	struct burst *b;
	size_t nb;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* about 10 samples: binomial(40, 1/4) */
static uint64_t noisy10(void)
{
	uint64_t k = 0;

	for (int i = 0; i < 40; i++)
		k += (next_rand() >> 11 & 3) == 0;
	return k;
}

static void series_new(struct series *x, size_t n)
{
	memset(x, 0, sizeof(*x));
	x->n = n;
	x->s = calloc(n, sizeof(*x->s));
	x->funcs = calloc(n, sizeof(*x->funcs));
	x->counts = calloc(n, sizeof(*x->counts));
	assert_non_null(x->s);
	assert_non_null(x->funcs);
	assert_non_null(x->counts);
}

/* slice i: total samples split as a:b:c:hot parts (weights) */
static void set(struct series *x, size_t i, uint64_t total, unsigned a, unsigned b, unsigned c,
		unsigned hot)
{
	unsigned w[MAXF] = {a, b, c, hot}, sum = a + b + c + hot;
	uint64_t given = 0;

	x->s[i].total = total;
	x->s[i].n = 0;
	x->s[i].funcs = x->funcs[i];
	x->s[i].counts = x->counts[i];
	for (int k = 0; k < MAXF; k++) {
		uint64_t v = k == MAXF - 1 ? total - given : total * w[k] / sum;

		if (!w[k])
			continue;
		given += v;
		x->funcs[i][x->s[i].n] = (uint32_t)(F_A + k);
		x->counts[i][x->s[i].n++] = v;
	}
}

static void steady(struct series *x)
{
	for (size_t i = 0; i < x->n; i++)
		set(x, i, noisy10(), 1, 1, 1, 0);
}

static int find(struct series *x)
{
	struct burst_config c;

	bursts_config_default(&c);
	free(x->b);
	return bursts_find(x->s, x->n, NFUNCS, &c, &x->b, &x->nb);
}

static void series_free(struct series *x)
{
	free(x->s);
	free(x->funcs);
	free(x->counts);
	free(x->b);
}

static void test_rate(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 200);
	steady(&x);
	for (size_t i = 100; i <= 102; i++)
		set(&x, i, 45, 1, 1, 1, 6); /* the extra work is in F_HOT */
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 1);
	assert_int_equal(x.b[0].kind, BURST_RATE);
	assert_int_equal(x.b[0].first, 100);
	assert_int_equal(x.b[0].last, 102);
	assert_true(x.b[0].ratio > 3.0 && x.b[0].ratio < 6.0);
	assert_int_equal(x.b[0].top, F_HOT);
	assert_true(x.b[0].top_ratio > 10.0);
	assert_string_equal(bursts_kind_name(x.b[0].kind), "rate");
	series_free(&x);
}

static void test_periodic(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 400);
	steady(&x);
	for (size_t p = 60; p + 3 < x.n; p += 40)
		for (size_t i = p; i < p + 3; i++)
			set(&x, i, 40, 1, 1, 1, 0);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 9); /* 60, 100, ..., 380 */
	for (size_t k = 0; k < x.nb; k++) {
		assert_int_equal(x.b[k].kind, BURST_RATE);
		assert_int_equal(x.b[k].first, 60 + 40 * k);
		assert_int_equal(x.b[k].last, 62 + 40 * k);
	}
	series_free(&x);
}

static void test_mix(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 200);
	for (size_t i = 0; i < x.n; i++)
		set(&x, i, 30, 1, 1, 1, 0);
	for (size_t i = 120; i < 126; i++)
		set(&x, i, 30, 1, 0, 0, 4); /* same rate, F_HOT takes 80% */
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 1);
	assert_int_equal(x.b[0].kind, BURST_MIX);
	assert_int_equal(x.b[0].first, 120);
	assert_int_equal(x.b[0].last, 125);
	assert_int_equal(x.b[0].top, F_HOT);
	assert_string_equal(bursts_kind_name(x.b[0].kind), "mix");
	series_free(&x);
}

static void test_single_noisy_slice(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 200);
	steady(&x);
	set(&x, 120, 60, 1, 1, 1, 0);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 0);
	series_free(&x);
}

static void test_level_shift(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 400);
	steady(&x);
	for (size_t i = 100; i < x.n; i++)
		set(&x, i, 30 + noisy10() / 5, 1, 1, 1, 0);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 0);
	series_free(&x);
}

static void test_steady_noise(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 3000);
	steady(&x);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 0);
	assert_null(x.b);
	series_free(&x);
}

static void test_too_short(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 20);
	steady(&x);
	assert_int_equal(find(&x), -EAGAIN);
	assert_int_equal(x.nb, 0);
	series_free(&x);
}

/* a burst out of an idle program: the baseline is zero */
static void test_from_idle(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 100);
	for (size_t i = 0; i < x.n; i++)
		set(&x, i, 0, 1, 1, 1, 0);
	set(&x, 50, 1, 1, 0, 0, 0); /* a stray sample is nothing */
	for (size_t i = 70; i < 75; i++)
		set(&x, i, 20, 0, 0, 0, 1);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 1);
	assert_int_equal(x.b[0].first, 70);
	assert_int_equal(x.b[0].last, 74);
	assert_int_equal(x.b[0].top, F_HOT);
	series_free(&x);
}

/* An idle service: its poll loop (F_A) alone, 10 samples a slice; two
 * reports (F_HOT) of 5 slices at 200.  Two rate bursts; the poll loop's
 * return to all of the samples between them is no mix burst, though the
 * first report's samples lowered its pooled share of the baseline. */
static void test_idle_after_burst(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 120);
	for (size_t i = 0; i < x.n; i++)
		set(&x, i, 10, 1, 0, 0, 0);
	for (size_t i = 60; i < 65; i++)
		set(&x, i, 200, 1, 0, 0, 19);
	for (size_t i = 80; i < 85; i++)
		set(&x, i, 200, 1, 0, 0, 19);
	assert_int_equal(find(&x), 0);
	assert_int_equal(x.nb, 2);
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(x.b[k].kind, BURST_RATE);
		assert_int_equal(x.b[k].first, 60 + 20 * k);
		assert_int_equal(x.b[k].last, 64 + 20 * k);
	}
	series_free(&x);
}

/* A mostly idle service sampled at a low rate: a sample every few
 * slices, two reports; the one or two samples of its poll loop after a
 * report are too few to say anything about the mix. */
static void test_sparse_after_burst(void **state)
{
	struct series x;

	(void)state;
	series_new(&x, 120);
	for (size_t i = 0; i < x.n; i++)
		set(&x, i, i % 20 == 0 ? 1 : 0, 1, 0, 0, 0);
	for (size_t i = 60; i < 65; i++)
		set(&x, i, 10, 0, 0, 0, 1);
	for (size_t i = 80; i < 85; i++)
		set(&x, i, 10, 0, 0, 0, 1);
	set(&x, 66, 2, 1, 0, 0, 0);
	set(&x, 67, 2, 1, 0, 0, 0);
	assert_int_equal(find(&x), 0);
	for (size_t k = 0; k < x.nb; k++)
		assert_int_equal(x.b[k].kind, BURST_RATE);
	assert_int_equal(x.nb, 2);
	series_free(&x);
}

/* From a profile: 10 s of "main;work" at 5 samples a tenth, and from
 * 6.0 s to 6.3 s 20 a tenth of "main;burst;leaf" besides: one rate burst
 * on exactly those three tenths, naming burst and leaf (each counted once
 * for a recursive stack) and not main, which every sample has. */
static void test_from_profile(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	uint32_t main_ = funcs_intern(f, "main", ""), work = funcs_intern(f, "work", "");
	uint32_t burst = funcs_intern(f, "burst", ""), leaf = funcs_intern(f, "leaf", "");
	const uint32_t steady[] = {main_, work}, hot[] = {main_, burst, burst, leaf};
	struct burst_config c;
	struct burst *b;
	size_t nb, ns;
	uint64_t first, t0 = 100 * 1000000000ull;

	(void)state;
	bursts_config_default(&c);
	for (uint64_t tenth = 0; tenth < 100; tenth++)
		for (int k = 0; k < 25; k++) {
			uint64_t t =
			    t0 + tenth * BURST_SLICE_NS + (uint64_t)k * (BURST_SLICE_NS / 25);
			struct profile_sample sm = {.time_ns = t,
						    .tid = 1,
						    .oncpu = true,
						    .weight = 1,
						    .funcs = steady,
						    .n = 2};

			if (k < 5)
				assert_int_equal(profile_add(p, &sm), 0);
			else if (tenth >= 60 && tenth < 63) {
				sm.funcs = hot;
				sm.n = 4;
				assert_int_equal(profile_add(p, &sm), 0);
			}
		}
	profile_expire(p, t0 + 10 * 1000000000ull);
	assert_int_equal(bursts_of_profile(p, &c, &b, &nb, &first, &ns), 0);
	assert_int_equal(first, t0);
	assert_int_equal(ns, 100);
	assert_int_equal(nb, 1);
	assert_int_equal(b[0].kind, BURST_RATE);
	assert_int_equal(b[0].first, 60);
	assert_int_equal(b[0].last, 62);
	assert_true(b[0].ratio > 4.9 && b[0].ratio < 5.1);
	assert_int_equal(b[0].ntops, 2); /* main and work are not over-represented */
	assert_true((b[0].tops[0] == burst && b[0].tops[1] == leaf) ||
		    (b[0].tops[0] == leaf && b[0].tops[1] == burst));
	assert_int_equal(b[0].top, b[0].tops[0]);
	free(b);

	/* a series read once, then again after 5 more seconds with a second
	 * burst at 12.0-12.3 s: the same as reading it all at once */
	struct burst_series *sr = bursts_series_new();
	struct burst *b2;
	size_t nb2, ns2;

	assert_non_null(sr);
	assert_int_equal(bursts_series_find(sr, p, &c, &b, &nb, &first, &ns), 0);
	free(b);
	for (uint64_t tenth = 100; tenth < 150; tenth++)
		for (int k = 0; k < 25; k++) {
			uint64_t t =
			    t0 + tenth * BURST_SLICE_NS + (uint64_t)k * (BURST_SLICE_NS / 25);
			struct profile_sample sm = {.time_ns = t,
						    .tid = 1 + k % 3,
						    .oncpu = true,
						    .weight = 1,
						    .funcs = steady,
						    .n = 2};

			if (k < 5)
				assert_int_equal(profile_add(p, &sm), 0);
			else if (tenth >= 120 && tenth < 123) {
				sm.funcs = hot;
				sm.n = 4;
				assert_int_equal(profile_add(p, &sm), 0);
			}
		}
	profile_expire(p, t0 + 15 * 1000000000ull);
	assert_int_equal(bursts_series_find(sr, p, &c, &b, &nb, &first, &ns), 0);
	assert_int_equal(bursts_of_profile(p, &c, &b2, &nb2, &first, &ns2), 0);
	assert_int_equal(ns, 150);
	assert_int_equal(ns2, 150);
	assert_int_equal(nb, 2);
	assert_int_equal(nb2, 2);
	for (size_t i = 0; i < nb; i++) {
		assert_int_equal(b[i].first, b2[i].first);
		assert_int_equal(b[i].last, b2[i].last);
		assert_int_equal(b[i].top, b2[i].top);
	}
	assert_int_equal(b[1].first, 120);
	free(b);
	free(b2);
	bursts_series_free(sr);
	profile_free(p);
	funcs_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_periodic),
	    cmocka_unit_test(test_mix),
	    cmocka_unit_test(test_single_noisy_slice),
	    cmocka_unit_test(test_level_shift),
	    cmocka_unit_test(test_steady_noise),
	    cmocka_unit_test(test_too_short),
	    cmocka_unit_test(test_from_idle),
	    cmocka_unit_test(test_idle_after_burst),
	    cmocka_unit_test(test_sparse_after_burst),
	    cmocka_unit_test(test_from_profile),
	};

	return cmocka_run_group_tests_name("bursts", tests, NULL, NULL);
}
