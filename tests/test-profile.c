/*
 * test-profile.c - unit tests of profile.c: samples over a time window.
 *
 * The reference for every check is a call tree built from scratch with
 * calltree_add from the samples that should be visible (the right seconds,
 * passing the filter); trees are compared ignoring nodes whose totals are
 * 0 (profile keeps those until it prunes).  calltree_check runs after every
 * change.  Times are driven by the test (no clock).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define SEC 1000000000ull

#define assert_sane_calltree(t)                                                                    \
	do {                                                                                       \
		char err_[256];                                                                    \
		if (calltree_check((t), err_, sizeof(err_)))                                       \
			fail_msg("calltree_check: %s", err_);                                      \
	} while (0)

struct rec {
	uint64_t time;
	int32_t tid;
	bool oncpu;
	uint64_t w;
	uint32_t f[16];
	uint32_t n;
};

static void add_rec(struct profile *p, const struct rec *r)
{
	struct profile_sample s = {
	    .time_ns = r->time,
	    .tid = r->tid,
	    .oncpu = r->oncpu,
	    .weight = r->w,
	    .funcs = r->f,
	    .n = r->n,
	};

	assert_int_equal(profile_add(p, &s), 0);
	assert_sane_calltree(profile_tree(p));
}

#define ADD(p, t, tid_, on, w_, ...)                                                               \
	do {                                                                                       \
		const uint32_t fs_[] = {__VA_ARGS__};                                              \
		struct profile_sample s_ = {.time_ns = (t),                                        \
					    .tid = (tid_),                                         \
					    .oncpu = (on),                                         \
					    .weight = (w_),                                        \
					    .funcs = fs_,                                          \
					    .n = sizeof(fs_) / sizeof(fs_[0])};                    \
		assert_int_equal(profile_add((p), &s_), 0);                                        \
		assert_sane_calltree(profile_tree(p));                                             \
	} while (0)

/* Nonzero nodes of a and b match (func, self, total) one to one. */
static int nodes_equal(const struct ctnode *a, const struct ctnode *b)
{
	const struct ctnode *c, *d;
	uint32_t na = 0, nb = 0;

	if (a->func != b->func || a->total_weight != b->total_weight ||
	    a->total_count != b->total_count || a->self_weight != b->self_weight ||
	    a->self_count != b->self_count)
		return 0;
	for (c = a->child; c; c = c->next) {
		if (!c->total_count && !c->total_weight)
			continue;
		na++;
		d = calltree_child((struct ctnode *)b, c->func);
		if (!d || !nodes_equal(c, d))
			return 0;
	}
	for (d = b->child; d; d = d->next)
		if (d->total_count || d->total_weight)
			nb++;
	return na == nb;
}

static void assert_tree_equal(struct calltree *got, struct calltree *want)
{
	assert_sane_calltree(got);
	assert_sane_calltree(want);
	if (!nodes_equal(calltree_root(got), calltree_root(want)))
		fail_msg("trees differ: got total %llu/%llu, want %llu/%llu",
			 (unsigned long long)calltree_root(got)->total_weight,
			 (unsigned long long)calltree_root(got)->total_count,
			 (unsigned long long)calltree_root(want)->total_weight,
			 (unsigned long long)calltree_root(want)->total_count);
}

/* The reference tree of recs that pass (tid, oncpu) with time >= from. */
static struct calltree *reference(const struct rec *r, size_t n, uint64_t from, int32_t tid,
				  enum profile_oncpu on)
{
	struct calltree *t = calltree_new();
	size_t i;

	for (i = 0; i < n; i++) {
		if (r[i].time < from || (tid && r[i].tid != tid))
			continue;
		if (on != PROFILE_ANY && (int)r[i].oncpu != (int)on)
			continue;
		assert_non_null(calltree_add(t, r[i].f, r[i].n, r[i].w, 1));
	}
	return t;
}

static void check_against(struct profile *p, const struct rec *r, size_t n, uint64_t from)
{
	struct calltree *ref =
	    reference(r, n, from, profile_filter_tid(p), profile_filter_oncpu(p));

	assert_tree_equal(profile_tree(p), ref);
	calltree_free(ref);
}

static void test_basic(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	const struct profile_thread *th;
	struct ctnode *r;
	size_t n;

	assert_ptr_equal(profile_funcs(p), f);
	assert_int_equal(profile_window(p), 0);
	ADD(p, 1 * SEC, 10, true, 100, 1, 2, 3);
	ADD(p, 1 * SEC, 10, true, 100, 1, 2, 3);
	ADD(p, 2 * SEC, 11, false, 50, 1, 2);
	ADD(p, 3 * SEC, 10, true, 7, 4);
	r = calltree_root(profile_tree(p));
	assert_int_equal(r->total_weight, 257);
	assert_int_equal(r->total_count, 4);
	assert_int_equal(profile_total_count(p), 4);
	assert_int_equal(profile_total_weight(p), 257);
	assert_int_equal(profile_stacks(p), 3);

	profile_name_thread(p, 11, "worker-with-a-very-long-name-that-is-truncated");
	profile_name_thread(p, 12, "idle"); /* named before any sample */
	th = profile_threads(p, &n);
	assert_int_equal(n, 3);
	assert_int_equal(th[0].tid, 10);
	assert_int_equal(th[0].count, 3);
	assert_int_equal(th[0].weight, 207);
	assert_int_equal(th[1].tid, 11);
	assert_int_equal(strlen(th[1].name), 31);
	assert_int_equal(strncmp(th[1].name, "worker-with", 11), 0);
	assert_int_equal(th[2].tid, 12);
	assert_string_equal(th[2].name, "idle");
	assert_int_equal(th[2].count, 0);

	/* an empty stack is the root's self */
	{
		struct profile_sample s = {.time_ns = 4 * SEC, .tid = 10, .weight = 3};

		assert_int_equal(profile_add(p, &s), 0);
		assert_int_equal(r->self_weight, 3);
	}

	profile_clear(p);
	assert_sane_calltree(profile_tree(p));
	r = calltree_root(profile_tree(p));
	assert_int_equal(r->total_count, 0);
	assert_int_equal(profile_total_count(p), 0);
	th = profile_threads(p, &n);
	assert_int_equal(n, 3);
	assert_string_equal(th[2].name, "idle");
	assert_int_equal(th[0].count, 0);
	ADD(p, 5 * SEC, 12, true, 9, 1, 2, 3);
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 9);
	profile_free(p);
	profile_free(NULL);
	funcs_free(f);
}

/* Samples every second, window of 5 s: totals drop exactly as whole
 * seconds leave the window. */
static void test_window_slides(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec recs[200];
	size_t n = 0;
	uint64_t k, i;

	profile_set_window(p, 5 * SEC);
	assert_int_equal(profile_window(p), 5 * SEC);
	for (k = 0; k < 20; k++) {
		uint64_t want = 0;

		for (i = 0; i < 3; i++) {
			struct rec r = {.time = k * SEC + i * (SEC / 3),
					.tid = 1,
					.oncpu = true,
					.w = (k + 1) * 10 + i,
					.n = 3,
					.f = {1, (uint32_t)(2 + k % 4), (uint32_t)(10 + i)}};

			recs[n++] = r;
			add_rec(p, &r);
		}
		profile_expire(p, (k + 1) * SEC);
		assert_sane_calltree(profile_tree(p));
		/* seconds k-4 .. k remain */
		for (i = 0; i < n; i++)
			if (recs[i].time >= (k >= 4 ? (k - 4) * SEC : 0))
				want += recs[i].w;
		assert_int_equal(calltree_root(profile_tree(p))->total_weight, want);
		check_against(p, recs, n, k >= 4 ? (k - 4) * SEC : 0);
	}
	/* time goes on with no samples: everything leaves */
	profile_expire(p, 100 * SEC);
	assert_sane_calltree(profile_tree(p));
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 0);
	assert_int_equal(profile_total_count(p), 60); /* totals are forever */
	/* a sample older than the window does not enter the tree */
	ADD(p, 50 * SEC, 1, true, 5, 1, 2);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 0);
	assert_int_equal(profile_total_count(p), 61);
	/* time going backwards is ignored */
	profile_expire(p, 10 * SEC);
	ADD(p, 99 * SEC + 1, 1, true, 5, 1, 2);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 1);
	profile_free(p);
	funcs_free(f);
}

/* A time range shows only its seconds, whatever the window; samples
 * after it stay out; clearing it brings the window back. */
static void test_range(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec recs[30];
	uint64_t from, to;
	size_t n = 0, k;

	for (k = 10; k < 20; k++) {
		struct rec r = {.time = k * SEC + SEC / 2,
				.tid = 1,
				.oncpu = true,
				.w = k,
				.n = 2,
				.f = {1, (uint32_t)(100 + k)}};

		recs[n++] = r;
		add_rec(p, &r);
		profile_expire(p, (k + 1) * SEC);
	}
	assert_false(profile_range(p, &from, &to));
	/* tenths: one at 13.5 s only */
	profile_set_range(p, 13 * SEC + SEC / 2, 13 * SEC + SEC / 2 + SEC / 10);
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 13);
	profile_set_range(p, 13 * SEC + SEC / 2 + SEC / 10, 14 * SEC + SEC / 2);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 0);
	/* 12.0 s to 14.6 s (from rounded down to a tenth, to up) */
	profile_set_range(p, 12 * SEC + 300, 14 * SEC + SEC / 2 + 1);
	assert_true(profile_range(p, &from, &to));
	assert_int_equal(from, 12 * SEC);
	assert_int_equal(to, 14 * SEC + 6 * SEC / 10);
	assert_sane_calltree(profile_tree(p));
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 12 + 13 + 14);
	/* a new sample, an expiry, a window: the range holds */
	ADD(p, 20 * SEC, 1, true, 7, 1, 2);
	profile_expire(p, 21 * SEC);
	profile_set_window(p, 5 * SEC);
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 12 + 13 + 14);
	assert_non_null(calltree_child(calltree_child(calltree_root(profile_tree(p)), 1), 113));
	assert_null(calltree_child(calltree_child(calltree_root(profile_tree(p)), 1), 117));
	/* cleared: the window's last five seconds (16 .. 20) */
	profile_set_range(p, 0, 0);
	assert_false(profile_range(p, &from, &to));
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 16 + 17 + 18 + 19 + 7);
	/* and with no window, everything */
	profile_set_window(p, 0);
	profile_set_range(p, 19 * SEC + SEC / 2, 19 * SEC + SEC / 2); /* one tenth at least */
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 19);
	profile_set_range(p, 0, 0);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 11);
	profile_free(p);
	funcs_free(f);
}

static void test_filter(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec recs[64];
	size_t n = 0, i;
	const int32_t tids[] = {0, 1, 2, 3};
	const enum profile_oncpu ons[] = {PROFILE_ANY, PROFILE_ONCPU, PROFILE_OFFCPU};
	size_t a, b;

	for (i = 0; i < 40; i++) {
		struct rec r = {.time = i * (SEC / 10),
				.tid = (int32_t)(i % 3) + 1,
				.oncpu = (i % 4) != 0,
				.w = i + 1,
				.n = 2,
				.f = {(uint32_t)(i % 5) + 1, (uint32_t)(i % 2) + 7}};

		recs[n++] = r;
		add_rec(p, &r);
	}
	check_against(p, recs, n, 0);
	for (a = 0; a < 4; a++) {
		for (b = 0; b < 3; b++) {
			profile_set_filter(p, tids[a], ons[b]);
			assert_int_equal(profile_filter_tid(p), tids[a]);
			assert_int_equal(profile_filter_oncpu(p), ons[b]);
			check_against(p, recs, n, 0);
		}
	}
	/* new samples respect the filter in force */
	profile_set_filter(p, 2, PROFILE_OFFCPU);
	for (i = 40; i < 60; i++) {
		struct rec r = {.time = 5 * SEC + i,
				.tid = (int32_t)(i % 3) + 1,
				.oncpu = (i % 2) != 0,
				.w = 1000 + i,
				.n = 3,
				.f = {1, (uint32_t)(i % 5) + 1, 9}};

		recs[n++] = r;
		add_rec(p, &r);
		check_against(p, recs, n, 0);
	}
	/* the same with a window */
	profile_set_window(p, 3 * SEC);
	profile_expire(p, 6 * SEC);
	check_against(p, recs, n, 3 * SEC);
	profile_set_filter(p, 0, PROFILE_ONCPU);
	check_against(p, recs, n, 3 * SEC);
	profile_set_filter(p, 0, PROFILE_ANY);
	check_against(p, recs, n, 3 * SEC);
	profile_free(p);
	funcs_free(f);
}

/* Switching the window rebuilds the same tree a fresh build gives. */
static void test_window_switch(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec recs[300];
	size_t n = 0, i;

	for (i = 0; i < 300; i++) {
		struct rec r = {.time = i * (SEC / 15),
				.tid = (int32_t)(i % 2) + 1,
				.oncpu = true,
				.w = i % 17,
				.n = (uint32_t)(i % 6),
				.f = {1, (uint32_t)(i % 3) + 2, (uint32_t)(i % 7) + 2, 4, 5, 6}};

		recs[n++] = r;
		add_rec(p, &r);
		if (i % 15 == 14)
			profile_expire(p, (i + 1) / 15 * SEC);
	}
	/* now = 20 s */
	check_against(p, recs, n, 0);
	profile_set_window(p, 5 * SEC);
	check_against(p, recs, n, 15 * SEC);
	profile_set_window(p, 12 * SEC);
	check_against(p, recs, n, 8 * SEC);
	profile_set_window(p, 0);
	check_against(p, recs, n, 0);
	profile_set_window(p, 2 * SEC);
	check_against(p, recs, n, 18 * SEC);
	profile_set_filter(p, 2, PROFILE_ANY);
	check_against(p, recs, n, 18 * SEC);
	profile_set_window(p, 0);
	check_against(p, recs, n, 0);

	/* without retention, a window starts from what arrives next */
	profile_set_retain(p, 0);
	assert_int_equal(profile_retain(p), 0);
	profile_set_filter(p, 0, PROFILE_ANY);
	check_against(p, recs, n, 0);
	profile_set_window(p, 5 * SEC);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 0);
	assert_sane_calltree(profile_tree(p));
	profile_set_window(p, 0);
	check_against(p, recs, n, 0); /* the cumulative is still complete */
	profile_free(p);
	funcs_free(f);
}

/* Many short-lived stacks: zero nodes are pruned and leaves refreshed. */
static void test_prune(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec *recs = calloc(4100, sizeof(*recs));
	size_t n = 0, maxnodes = 0, k, i;

	profile_set_window(p, 2 * SEC);
	profile_set_retain(p, 0);
	for (k = 0; k < 40; k++) {
		for (i = 0; i < 100; i++) {
			struct rec r = {
			    .time = k * SEC + i,
			    .tid = 1,
			    .oncpu = true,
			    .w = 1,
			    .n = 4,
			    .f = {1, (uint32_t)(i % 3) + 2, (uint32_t)(100 + k * 100 + i), 7}};

			recs[n++] = r;
			add_rec(p, &r);
			/* a long-lived stack, every second */
			if (i == 0) {
				struct rec q = {.time = k * SEC + 500,
						.tid = 1,
						.oncpu = true,
						.w = 2,
						.n = 2,
						.f = {1, 2}};

				recs[n++] = q;
				add_rec(p, &q);
			}
		}
		profile_expire(p, (k + 1) * SEC);
		check_against(p, recs, n, k >= 1 ? (k - 1) * SEC : 0);
		if (calltree_nodes(profile_tree(p)) > maxnodes)
			maxnodes = calltree_nodes(profile_tree(p));
	}
	/* 2 live seconds of 100 stacks of ~2 own nodes each, plus slack */
	assert_true(maxnodes < 1000);
	profile_prune(p);
	check_against(p, recs, n, 38 * SEC);
	assert_true(calltree_nodes(profile_tree(p)) <= 1 + 4 + 2 * 200);
	free(recs);
	profile_free(p);

	/* a stack pruned away comes back: its cached leaf must not be reused */
	p = profile_new(f);
	profile_set_window(p, 1 * SEC);
	ADD(p, 0, 1, true, 5, 1, 2, 3);
	ADD(p, 0, 1, true, 5, 1, 4);
	profile_expire(p, 5 * SEC);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 0);
	profile_prune(p);
	assert_int_equal(calltree_nodes(profile_tree(p)), 1);
	ADD(p, 5 * SEC, 1, true, 7, 1, 2, 3);
	{
		struct ctnode *x = calltree_root(profile_tree(p));

		assert_int_equal(x->total_weight, 7);
		x = calltree_child(x, 1);
		assert_non_null(x);
		x = calltree_child(x, 2);
		assert_non_null(x);
		x = calltree_child(x, 3);
		assert_non_null(x);
		assert_int_equal(x->self_weight, 7);
	}
	profile_free(p);
	funcs_free(f);
}

/* Random samples, times, filters and windows against the reference. */
static void test_random(void **state)
{
	enum { N = 4000 };
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct rec *recs = calloc(N, sizeof(*recs));
	uint64_t now = 0, window = 0;
	size_t n = 0, i, j;

	srand(777);
	for (i = 0; i < N; i++) {
		struct rec r = {0};

		now += (uint64_t)(rand() % 50) * (SEC / 100);
		r.time = now;
		r.tid = rand() % 4 + 1;
		r.oncpu = rand() % 3 != 0;
		r.w = (uint64_t)(rand() % 1000);
		r.n = (uint32_t)(rand() % 16);
		for (j = 0; j < r.n; j++)
			r.f[j] = j < 2 ? (uint32_t)(rand() % 40) + 1 : (uint32_t)(rand() % 5) + 1;
		recs[n++] = r;
		add_rec(p, &r);
		if (rand() % 10 == 0)
			profile_expire(p, now);
		switch (rand() % 60) {
		case 0:
			window = (uint64_t)(rand() % 8) * SEC;
			profile_set_window(p, window);
			break;
		case 1:
			profile_set_filter(p, rand() % 5, (enum profile_oncpu)(rand() % 3 - 1));
			break;
		case 2:
			profile_prune(p);
			break;
		}
		if (i % 50 == 49 || i == N - 1) {
			uint64_t from = 0;

			profile_expire(p, now);
			if (window) { /* whole seconds after now - window */
				uint64_t cut = now > window ? now - window : 0;

				from = cut / SEC * SEC;
				if (cut % SEC == 0 && cut)
					from = cut;
			}
			check_against(p, recs, n, from);
		}
	}
	free(recs);
	profile_free(p);
	funcs_free(f);
}

struct seen_stack {
	uint32_t n, leaf;
	struct profile_ctx ctx;
	uint64_t value, count;
};

struct seen {
	size_t n;
	struct seen_stack s[16];
};

static int collect(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		   uint64_t value, uint64_t count)
{
	struct seen *sn = arg;

	assert_true(sn->n < 16);
	sn->s[sn->n++] = (struct seen_stack){n, n ? funcs[n - 1] : 0, *ctx, value, count};
	return 0;
}

static const struct seen_stack *find(const struct seen *sn, uint32_t leaf, uint64_t coro,
				     bool oncpu)
{
	for (size_t i = 0; i < sn->n; i++)
		if (sn->s[i].leaf == leaf && sn->s[i].ctx.coro_id == coro &&
		    sn->s[i].ctx.oncpu == oncpu)
			return &sn->s[i];
	return NULL;
}

/* Samples keep their whole context (thread, coroutine, labels, on-cpu):
 * equal stacks in different contexts stay apart for an exporter, and
 * each (stack, context) comes once with its sums, also over a window of
 * several seconds; the heat buckets count every sample by its time. */
static void test_contexts(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	const uint32_t a[] = {1, 2}, b[] = {1, 3};
	struct profile_sample smp = {.tid = 7, .funcs = a, .n = 2, .weight = 10};
	const struct seen_stack *x;
	struct seen sn = {0};
	uint64_t counts[64], values[64], first;
	size_t n;

	assert_string_equal(profile_measure(p), "time");
	assert_int_equal(profile_unit(p), UNIT_NS);
	profile_set_measure(p, "alloc", UNIT_BYTES);
	assert_int_equal(profile_unit(p), UNIT_BYTES);
	assert_string_equal(profile_measure(p), "alloc");

	smp.time_ns = 3 * SEC + SEC / 20; /* bucket 0 of second 3 */
	smp.coro_id = 5;
	assert_int_equal(profile_add(p, &smp), 0);
	smp.time_ns = 3 * SEC + SEC / 2; /* bucket 5 */
	assert_int_equal(profile_add(p, &smp), 0);
	smp.coro_id = 6;
	smp.labels_id = 64;
	assert_int_equal(profile_add(p, &smp), 0);
	smp.time_ns = 4 * SEC + 9 * SEC / 10; /* second 4, bucket 9 */
	smp.coro_id = 5;
	smp.labels_id = 0;
	smp.oncpu = true;
	smp.funcs = b;
	smp.weight = 4;
	assert_int_equal(profile_add(p, &smp), 0);
	profile_expire(p, 5 * SEC);

	assert_int_equal(profile_foreach(p, collect, &sn), 0);
	assert_int_equal(sn.n, 3);
	x = find(&sn, 2, 5, false);
	assert_non_null(x);
	assert_int_equal(x->value, 20);
	assert_int_equal(x->count, 2);
	assert_int_equal(x->ctx.tid, 7);
	x = find(&sn, 2, 6, false);
	assert_non_null(x);
	assert_int_equal(x->ctx.labels_id, 64);
	assert_int_equal(x->value, 10);
	x = find(&sn, 3, 5, true);
	assert_non_null(x);
	assert_int_equal(x->value, 4);
	assert_int_equal(x->n, 2);
	/* the tree merges contexts: one path per stack */
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 34);

	/* a window of both seconds: the same pairs, each once */
	profile_set_window(p, 10 * SEC);
	sn.n = 0;
	assert_int_equal(profile_foreach(p, collect, &sn), 0);
	assert_int_equal(sn.n, 3);
	assert_int_equal(find(&sn, 2, 5, false)->value, 20);
	/* the on-cpu filter reads the context */
	profile_set_filter(p, 0, PROFILE_ONCPU);
	sn.n = 0;
	assert_int_equal(profile_foreach(p, collect, &sn), 0);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.s[0].leaf, 3);
	profile_set_filter(p, 0, PROFILE_ANY);

	n = profile_heat(p, counts, values, 64, &first);
	assert_int_equal(n, 2 * PROFILE_HEAT_HZ);
	assert_int_equal(first, 3 * SEC);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[5], 2);
	assert_int_equal(values[5], 20);
	assert_int_equal(counts[PROFILE_HEAT_HZ + 9], 1);
	assert_int_equal(values[PROFILE_HEAT_HZ + 9], 4);
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += counts[i];
	assert_int_equal(sum, 4);
	assert_int_equal(profile_heat(p, counts, NULL, 3, &first), 3);
	/* a bucket's stacks, whatever the filter; empty and far buckets */
	profile_set_filter(p, 0, PROFILE_ONCPU);
	sn.n = 0;
	assert_int_equal(profile_foreach_bucket(p, 5, collect, &sn), 0);
	assert_int_equal(sn.n, 2); /* coroutines 5 and 6, off CPU both */
	assert_int_equal(find(&sn, 2, 5, false)->value, 10);
	assert_int_equal(find(&sn, 2, 6, false)->value, 10);
	sn.n = 0;
	assert_int_equal(profile_foreach_bucket(p, 6, collect, &sn), 0);
	assert_int_equal(profile_foreach_bucket(p, 1000, collect, &sn), 0);
	assert_int_equal(sn.n, 0);
	profile_free(p);
	funcs_free(f);
}

/* Grouping by thread: a "[thread TID NAME]" pseudo-frame above every
 * stack; a rename shows at once; no grouping gives the plain tree back. */
static void test_group_thread(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	uint32_t a = funcs_intern(f, "a", ""), b = funcs_intern(f, "b", "");
	struct ctnode *root, *g;

	profile_name_thread(p, 7, "worker");
	ADD(p, 1 * SEC, 7, true, 10, a, b);
	ADD(p, 1 * SEC, 8, true, 5, a);
	profile_set_grouping(p, PROFILE_GROUP_THREAD);
	assert_int_equal(profile_grouping(p), PROFILE_GROUP_THREAD);
	assert_sane_calltree(profile_tree(p));
	root = calltree_root(profile_tree(p));
	assert_int_equal(root->nchildren, 2);
	g = calltree_child(root, funcs_intern(f, "[thread 7 worker]", ""));
	assert_non_null(g);
	assert_int_equal(g->total_weight, 10);
	assert_non_null(calltree_child(calltree_child(g, a), b));
	g = calltree_child(root, funcs_intern(f, "[thread 8]", ""));
	assert_non_null(g);
	assert_int_equal(g->total_weight, 5);
	/* new samples go under their thread too */
	ADD(p, 2 * SEC, 8, true, 1, b);
	assert_int_equal(calltree_child(root, funcs_intern(f, "[thread 8]", ""))->total_weight, 6);
	profile_name_thread(p, 8, "io");
	root = calltree_root(profile_tree(p));
	assert_sane_calltree(profile_tree(p));
	g = calltree_child(root, funcs_intern(f, "[thread 8 io]", ""));
	assert_non_null(g);
	assert_int_equal(g->total_weight, 6);
	/* the window slides with groups in place */
	profile_set_window(p, 1 * SEC);
	profile_expire(p, 3 * SEC + 1);
	assert_sane_calltree(profile_tree(p));
	assert_int_equal(calltree_root(profile_tree(p))->total_weight, 1);
	profile_set_window(p, 0);
	profile_set_grouping(p, PROFILE_GROUP_NONE);
	root = calltree_root(profile_tree(p));
	assert_int_equal(root->nchildren, 2); /* a and b */
	assert_int_equal(calltree_child(root, a)->total_weight, 15);
	profile_free(p);
	funcs_free(f);
}

/* Values print in their unit. */
static void test_units(void **state)
{
	char buf[64];

	unit_format(UNIT_NS, 870, buf, sizeof(buf));
	assert_string_equal(buf, "870 ns");
	unit_format(UNIT_NS, 1250000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "1.25 s");
	unit_format(UNIT_NS, 340000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "340 ms");
	unit_format(UNIT_BYTES, 512, buf, sizeof(buf));
	assert_string_equal(buf, "512 B");
	unit_format(UNIT_BYTES, 12 * 1024 + 512, buf, sizeof(buf));
	assert_string_equal(buf, "12.5 KiB");
	unit_format(UNIT_BYTES, 3ull << 30, buf, sizeof(buf));
	assert_string_equal(buf, "3.00 GiB");
	unit_format(UNIT_SAMPLES, 1234, buf, sizeof(buf));
	assert_string_equal(buf, "1234 samples");
	unit_format(UNIT_OBJECTS, 3200000, buf, sizeof(buf));
	assert_string_equal(buf, "3.20M objects");
	assert_string_equal(unit_name(UNIT_NS), "ns");
	assert_string_equal(unit_name(UNIT_BYTES), "bytes");
}

int main(void)
{
	const struct CMUnitTest profile[] = {
	    cmocka_unit_test(test_basic),	 cmocka_unit_test(test_window_slides),
	    cmocka_unit_test(test_filter),	 cmocka_unit_test(test_window_switch),
	    cmocka_unit_test(test_prune),	 cmocka_unit_test(test_random),
	    cmocka_unit_test(test_contexts),	 cmocka_unit_test(test_units),
	    cmocka_unit_test(test_group_thread), cmocka_unit_test(test_range),
	};

	return cmocka_run_group_tests_name("profile", profile, NULL, NULL);
}
