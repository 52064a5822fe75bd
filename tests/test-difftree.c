/*
 * test-difftree.c - unit tests of difftree.c: a call tree against a
 * baseline, frame by frame and function by function.
 *
 * Synthetic trees with known shares: a path that moves from 20% to 40%
 * (and one from 40% to 20%), a path only in A, one only in B, one whose
 * share stays while its weight doubles (the totals differ), the noise
 * threshold at its edges, a tree compared with itself, a 100,000-frame
 * chain (no recursion in the walks), and the rest of a profile without a
 * part of it.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "difftree.h"

#define ADD(t, w, ...)                                                                             \
	do {                                                                                       \
		const uint32_t fs_[] = {__VA_ARGS__};                                              \
		assert_non_null(                                                                   \
		    calltree_add((t), fs_, sizeof(fs_) / sizeof(fs_[0]), (w)*1000000ull, (w)));    \
	} while (0)

enum { MAIN = 1, DECODE, PARSE, OLD, NEW, SAME };

/* A: 1000 samples; B: 2000 (twice as long), every weight 1 ms a sample.
 *   path          A     B
 *   main;decode   20%   40%   moved in
 *   main;parse    40%   20%   moved out
 *   main;old      30%    -    only in A
 *   main;new       -    30%   only in B
 *   main;same     10%   10%   twice the weight, the same share */
static void make(struct calltree *a, struct calltree *b)
{
	ADD(a, 200, MAIN, DECODE);
	ADD(a, 400, MAIN, PARSE);
	ADD(a, 300, MAIN, OLD);
	ADD(a, 100, MAIN, SAME);
	ADD(b, 800, MAIN, DECODE);
	ADD(b, 400, MAIN, PARSE);
	ADD(b, 600, MAIN, NEW);
	ADD(b, 200, MAIN, SAME);
}

static const struct ctnode *at(struct calltree *t, uint32_t f1, uint32_t f2)
{
	struct ctnode *n = calltree_child(calltree_root(t), f1);

	return n && f2 ? calltree_child(n, f2) : n;
}

static const struct diff_row *frow(const struct diff *d, uint32_t func)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->rows[i].func == func)
			return &d->rows[i];
	return NULL;
}

static void test_frames(void **state)
{
	struct calltree *a = calltree_new(), *b = calltree_new();
	struct difftree *d = difftree_new();
	struct diff_share s;
	double gone;

	(void)state;
	make(a, b);
	assert_int_equal(difftree_update(d, a, b), 1);
	/* moved in: 20% -> 40%, +20 points, far above the noise */
	assert_true(difftree_node(d, at(b, MAIN, DECODE), &s));
	assert_float_equal(s.a, 20.0, 1e-9);
	assert_float_equal(s.b, 40.0, 1e-9);
	assert_true(diff_significant(&s));
	assert_true(s.noise > 5.0 && s.noise < 6.0); /* 3 se of p = 1/3 */
	/* moved out */
	assert_true(difftree_node(d, at(b, MAIN, PARSE), &s));
	assert_float_equal(s.b - s.a, -20.0, 1e-9);
	assert_true(diff_significant(&s));
	/* only in B: nothing in A */
	assert_true(difftree_node(d, at(b, MAIN, NEW), &s));
	assert_float_equal(s.a, 0.0, 1e-9);
	assert_float_equal(s.b, 30.0, 1e-9);
	assert_true(diff_significant(&s));
	/* twice the weight in a profile twice as long: no change */
	assert_true(difftree_node(d, at(b, MAIN, SAME), &s));
	assert_float_equal(s.a, 10.0, 1e-9);
	assert_float_equal(s.b, 10.0, 1e-9);
	assert_false(diff_significant(&s));
	/* everything runs under main and the root */
	assert_true(difftree_node(d, at(b, MAIN, 0), &s));
	assert_float_equal(s.a, 100.0, 1e-9);
	assert_float_equal(s.b, 100.0, 1e-9);
	assert_true(difftree_node(d, calltree_root(b), &s));
	assert_float_equal(s.b - s.a, 0.0, 1e-9);
	/* only in A: one frame, 30% of A; not a node of B */
	assert_int_equal(difftree_gone(d, &gone), 1);
	assert_float_equal(gone, 30.0, 1e-9);
	assert_false(difftree_node(d, at(a, MAIN, OLD), &s));
	/* nothing changed: nothing computed */
	assert_int_equal(difftree_update(d, a, b), 0);
	ADD(b, 1, MAIN, NEW);
	assert_int_equal(difftree_update(d, a, b), 1);
	difftree_free(d);
	calltree_free(a);
	calltree_free(b);
}

static void test_functions(void **state)
{
	struct calltree *a = calltree_new(), *b = calltree_new();
	struct difftree *d = difftree_new();
	const struct diff *f;
	const struct diff_row *r;
	struct diff_share s;

	(void)state;
	make(a, b);
	assert_int_equal(difftree_update(d, a, b), 1);
	f = difftree_funcs(d);
	assert_non_null(f);
	assert_int_equal(f->n, 6); /* main, decode, parse, old, new, same */
	assert_int_equal(f->count_a, 1000);
	assert_int_equal(f->count_b, 2000);
	/* the largest changes first: new and old (30 points), by id */
	assert_int_equal(f->rows[0].func, OLD);
	assert_int_equal(f->rows[1].func, NEW);
	r = frow(f, OLD);
	assert_float_equal(r->self_a, 30.0, 1e-9);
	assert_float_equal(r->self_b, 0.0, 1e-9);
	r = frow(f, DECODE);
	difftree_row_share(d, r, true, &s);
	assert_float_equal(s.b - s.a, 20.0, 1e-9);
	assert_true(diff_significant(&s));
	r = frow(f, SAME);
	difftree_row_share(d, r, false, &s);
	assert_false(diff_significant(&s));
	r = frow(f, MAIN);
	assert_float_equal(r->total_a, 100.0, 1e-9);
	assert_float_equal(r->self_b, 0.0, 1e-9);
	difftree_free(d);
	calltree_free(a);
	calltree_free(b);
}

/* Three standard errors of the difference of two shares, pooled; never
 * under the floor. */
static void test_noise(void **state)
{
	struct diff_share s;

	(void)state;
	/* 50% on 100 samples each: se = sqrt(.25 * .02) = 7.07 points */
	assert_float_equal(diff_noise(50, 50, 100, 100), 3 * 100 * sqrt(0.25 * 0.02), 1e-9);
	/* pooled: 20% of 1000 and 40% of 2000 share a p of 1/3 */
	assert_float_equal(diff_noise(20, 40, 1000, 2000),
			   3 * 100 * sqrt(1.0 / 3 * 2.0 / 3 * (1.0 / 1000 + 1.0 / 2000)), 1e-9);
	/* many samples, or none on one side: the floor */
	assert_float_equal(diff_noise(50, 50, 100000000, 100000000), DIFF_NOISE_FLOOR, 1e-12);
	assert_float_equal(diff_noise(0, 0, 100, 100), DIFF_NOISE_FLOOR, 1e-12);
	assert_float_equal(diff_noise(10, 20, 0, 100), DIFF_NOISE_FLOOR, 1e-12);
	/* at the edge: a change equal to the noise counts, one just under
	 * does not */
	s = (struct diff_share){.a = 10, .b = 12, .noise = 2};
	assert_true(diff_significant(&s));
	s.b = 11.999;
	assert_false(diff_significant(&s));
	s = (struct diff_share){.a = 12, .b = 10, .noise = 2};
	assert_true(diff_significant(&s));
}

/* A tree against itself: no change anywhere, nothing gone. */
static void test_same_tree(void **state)
{
	struct calltree *a = calltree_new(), *b = calltree_new();
	struct difftree *d = difftree_new();
	struct diff_share s;

	(void)state;
	make(a, b);
	assert_int_equal(difftree_update(d, b, b), 1);
	assert_int_equal(difftree_gone(d, NULL), 0);
	assert_true(difftree_node(d, at(b, MAIN, DECODE), &s));
	assert_float_equal(s.a, s.b, 1e-12);
	assert_false(diff_significant(&s));
	/* an empty baseline: every frame is new */
	calltree_clear(a);
	assert_int_equal(difftree_update(d, a, b), 1);
	assert_true(difftree_node(d, at(b, MAIN, NEW), &s));
	assert_float_equal(s.a, 0, 1e-12);
	difftree_free(d);
	calltree_free(a);
	calltree_free(b);
}

/* 100,000 frames deep in both, the leaf moved from 25% to 50%. */
static void test_deep(void **state)
{
	enum { DEPTH = 100000 };
	uint32_t *fs = malloc(DEPTH * sizeof(*fs));
	struct calltree *a = calltree_new(), *b = calltree_new();
	struct difftree *d = difftree_new();
	const struct ctnode *leaf;
	struct diff_share s;

	(void)state;
	assert_non_null(fs);
	for (uint32_t i = 0; i < DEPTH; i++)
		fs[i] = 10 + i % 7;
	assert_non_null(calltree_add(a, fs, DEPTH, 100, 100));
	assert_non_null(calltree_add(a, fs, 1, 300, 300));
	leaf = calltree_add(b, fs, DEPTH, 200, 200);
	assert_non_null(leaf);
	assert_non_null(calltree_add(b, fs, 1, 200, 200));
	assert_int_equal(difftree_update(d, a, b), 1);
	assert_true(difftree_node(d, leaf, &s));
	assert_float_equal(s.a, 25.0, 1e-9);
	assert_float_equal(s.b, 50.0, 1e-9);
	difftree_free(d);
	calltree_free(a);
	calltree_free(b);
	free(fs);
}

/* The rest of a profile: all minus a part of it, path by path. */
static void test_rest(void **state)
{
	struct calltree *all = calltree_new(), *part = calltree_new(), *rest = calltree_new();
	char err[256];

	(void)state;
	ADD(all, 300, MAIN, DECODE);
	ADD(all, 100, MAIN, PARSE);
	ADD(all, 50, MAIN);
	ADD(part, 200, MAIN, DECODE);
	ADD(part, 20, MAIN);
	assert_int_equal(difftree_rest(rest, all, part), 0);
	assert_int_equal(calltree_check(rest, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(rest)->total_count, 230);
	assert_int_equal(at(rest, MAIN, DECODE)->total_count, 100);
	assert_int_equal(at(rest, MAIN, PARSE)->total_count, 100);
	assert_int_equal(at(rest, MAIN, 0)->self_count, 30);
	assert_int_equal(at(rest, MAIN, DECODE)->total_weight, 100 * 1000000ull);
	/* all of it: nothing left; the inputs unchanged */
	assert_int_equal(difftree_rest(rest, all, all), 0);
	assert_int_equal(calltree_root(rest)->total_count, 0);
	assert_int_equal(calltree_root(all)->total_count, 450);
	calltree_free(all);
	calltree_free(part);
	calltree_free(rest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_frames), cmocka_unit_test(test_functions),
	    cmocka_unit_test(test_noise),  cmocka_unit_test(test_same_tree),
	    cmocka_unit_test(test_deep),   cmocka_unit_test(test_rest),
	};

	return cmocka_run_group_tests_name("difftree", tests, NULL, NULL);
}
