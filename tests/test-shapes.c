/*
 * test-shapes.c - unit tests of shapes.c on synthetic trees of known
 * shape: a 40%-wide shallow plateau, a 25-deep recursion with 3% of the
 * weight, a 15-deep chain of distinct functions, a balanced tree with no
 * findings, a `main` that is 100% wide but deep (no false peak), the
 * thresholds at their edges, a 100,000-frame stack, and bad thresholds.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltree.h"
#include "funcs.h"
#include "shapes.h"

struct fixture {
	struct calltree *t;
	struct funcs *f;
	struct shapes_config c;
	struct shape_finding *res;
	size_t n;
};

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	x->t = calltree_new();
	x->f = funcs_new();
	shapes_config_default(&x->c);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	free(x->res);
	calltree_free(x->t);
	funcs_free(x->f);
	free(x);
	return 0;
}

/* Adds the stack named by "a;b;c" with weight w. */
static void add(struct fixture *x, const char *folded, uint64_t w)
{
	uint32_t ids[256];
	size_t n = 0;
	char buf[4096], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", folded);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		ids[n++] = funcs_intern(x->f, tok, NULL);
	assert_non_null(calltree_add(x->t, ids, n, w, 1));
}

/* Adds a stack of prefix then depth frames named by name(i). */
static void add_tower(struct fixture *x, const char *prefix, int depth, int recursive, uint64_t w)
{
	char buf[4096];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%s", prefix);

	for (int i = 0; i < depth; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, ";%s%d",
					recursive ? "recurse" : "link", recursive ? 0 : i);
	add(x, buf, w);
}

static void find(struct fixture *x)
{
	free(x->res);
	x->res = NULL;
	assert_int_equal(shapes_find(calltree_root(x->t), x->f, &x->c, &x->res, &x->n), 0);
}

static const char *name_of(struct fixture *x, size_t i)
{
	return funcs_name(x->f, x->res[i].node->func);
}

/* a program whose main fans out into a deep, even tree */
static void add_background(struct fixture *x, uint64_t w)
{
	static const char *const mids[] = {"parse", "plan", "exec", "store"};

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++) {
			char buf[256];

			snprintf(buf, sizeof(buf), "_start;main;%s;step%d;inner;leaf%d", mids[i], j,
				 j);
			add(x, buf, w);
		}
}

static void test_plateau(void **state)
{
	struct fixture *x = *state;
	char expl[256];

	add_background(x, 600 / 16); /* 600 of 1000 spread evenly, deep */
	add(x, "_start;main;pipeline;decode", 300);
	add(x, "_start;main;pipeline;decode;memcpy", 100);
	find(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->res[0].kind, SHAPE_WIDE_PEAK);
	assert_string_equal(name_of(x, 0), "decode");
	assert_int_equal(x->res[0].height, 2);
	assert_true(x->res[0].share > 0.39 && x->res[0].share < 0.41);
	assert_true(x->res[0].self_share > 0.74 && x->res[0].self_share < 0.76);
	shapes_explain(&x->res[0], x->f, expl, sizeof(expl));
	assert_non_null(strstr(expl, "wide peak: decode"));
}

static void test_recursion_spike(void **state)
{
	struct fixture *x = *state;
	char expl[256];

	add_background(x, 970 / 16);
	add_tower(x, "_start;main;solve", 25, 1, 30);
	/* a stray sample in the first level's own code, one in solve's */
	add(x, "_start;main;solve;recurse0", 1);
	add(x, "_start;main;solve", 1);
	find(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->res[0].kind, SHAPE_SPIKE);
	/* the tower becomes narrow at solve (main is wider) */
	assert_string_equal(name_of(x, 0), "solve");
	assert_int_equal(x->res[0].height, 26);
	assert_int_equal(x->res[0].repeats, 25);
	assert_string_equal(funcs_name(x->f, x->res[0].repeat_func), "recurse0");
	shapes_explain(&x->res[0], x->f, expl, sizeof(expl));
	assert_non_null(strstr(expl, "recursion: recurse0 appears 25 times"));
}

static void test_chain_spike(void **state)
{
	struct fixture *x = *state;
	char expl[256];

	add_background(x, 960 / 16);
	add_tower(x, "_start;main", 15, 0, 40);
	find(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->res[0].kind, SHAPE_SPIKE);
	assert_string_equal(name_of(x, 0), "link0");
	assert_int_equal(x->res[0].height, 15);
	assert_int_equal(x->res[0].repeat_func, 0);
	assert_int_equal(x->res[0].distinct, 15);
	shapes_explain(&x->res[0], x->f, expl, sizeof(expl));
	assert_non_null(strstr(expl, "chain of 15 distinct functions"));
}

static void test_balanced(void **state)
{
	struct fixture *x = *state;

	add_background(x, 10);
	find(x);
	assert_int_equal(x->n, 0);
}

/* main takes everything and the tree under it is even and shallow: main is
 * wide only because everything runs under it */
static void test_main_not_a_peak(void **state)
{
	struct fixture *x = *state;

	for (int i = 0; i < 5; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "main;work%d", i);
		add(x, buf, 200);
	}
	find(x);
	assert_int_equal(x->n, 0);
	/* unless main's own time is the peak */
	add(x, "main", 1000);
	find(x);
	assert_int_equal(x->n, 1);
	assert_string_equal(name_of(x, 0), "main");
}

/* a thread's start routine with a flat top is not a peak either */
static void test_thread_start_not_a_peak(void **state)
{
	struct fixture *x = *state;

	for (int i = 0; i < 5; i++) {
		char buf[128];

		snprintf(buf, sizeof(buf), "clone3;start_thread;worker;task%d", i);
		add(x, buf, 100);
		snprintf(buf, sizeof(buf), "_start;main;serve;req%d;parse;lex", i);
		add(x, buf, 100);
	}
	find(x);
	assert_int_equal(x->n, 0);
}

static void test_wide_edges(void **state)
{
	struct fixture *x = *state;

	/* exactly 30%, exactly 3 levels (no callee holds 30% alone): a peak */
	add_background(x, 700 / 16 + 1); /* 704 */
	add(x, "_start;main;a", 102);
	add(x, "_start;main;a;b", 100);
	add(x, "_start;main;a;b;c", 100);
	find(x);
	assert_int_equal(x->n, 1);
	assert_string_equal(name_of(x, 0), "a");
	assert_int_equal(x->res[0].height, 3);

	/* 4 levels: no longer a peak */
	calltree_clear(x->t);
	add_background(x, 700 / 16 + 1);
	add(x, "_start;main;a", 102);
	add(x, "_start;main;a;b", 100);
	add(x, "_start;main;a;b;c;d", 100);
	find(x);
	assert_int_equal(x->n, 0);

	/* when a callee holds the weight, the innermost frame is the peak */
	calltree_clear(x->t);
	add_background(x, 700 / 16 + 1);
	add(x, "_start;main;a;b;c", 302);
	find(x);
	assert_int_equal(x->n, 1);
	assert_string_equal(name_of(x, 0), "c");

	/* under 30%: nothing */
	calltree_clear(x->t);
	add_background(x, 44);
	add(x, "_start;main;a", 290);
	find(x);
	assert_int_equal(x->n, 0);
}

static void test_spike_edges(void **state)
{
	struct fixture *x = *state;

	/* 10 levels at 5%: a spike; 9 levels: not */
	add_background(x, 950 / 16 + 1); /* 960 */
	add_tower(x, "_start;main", 10, 0, 50);
	find(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->res[0].kind, SHAPE_SPIKE);
	assert_int_equal(x->res[0].height, 10);

	calltree_clear(x->t);
	add_background(x, 950 / 16 + 1);
	add_tower(x, "_start;main", 9, 0, 50);
	find(x);
	assert_int_equal(x->n, 0);

	/* too wide (more than 5%) */
	calltree_clear(x->t);
	add_background(x, 900 / 16);
	add_tower(x, "_start;main", 12, 0, 100);
	find(x);
	assert_int_equal(x->n, 0);

	/* a few stray samples are not a tower */
	calltree_clear(x->t);
	add_background(x, 1000);
	add_tower(x, "_start;main", 12, 0, 1);
	find(x);
	assert_int_equal(x->n, 0);

	/* thresholds set by name */
	assert_int_equal(shapes_config_set(&x->c, "spike-depth", "12", NULL, 0), 0);
	assert_int_equal(shapes_config_set(&x->c, "spike-share", "1", NULL, 0), 0);
	x->c.spike_min_share = 0;
	find(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->res[0].height, 12);
}

static void test_deep_stack(void **state)
{
	struct fixture *x = *state;
	enum { DEPTH = 100000 };
	uint32_t *ids = malloc(DEPTH * sizeof(*ids));

	for (int i = 0; i < DEPTH; i++)
		ids[i] = funcs_intern(x->f, i % 2 ? "ping" : "pong", NULL);
	assert_non_null(calltree_add(x->t, ids, DEPTH, 10, 1));
	add(x, "_start;main;flat", 400);
	find(x);
	/* the tower is 100% of nothing else's width: only the flat peak and
	 * (with a low enough share floor) the tower */
	assert_true(x->n >= 1);
	assert_string_equal(name_of(x, 0), "flat");
	free(ids);
}

static void test_bad_thresholds(void **state)
{
	struct fixture *x = *state;
	char err[128];
	static const char *const bad_share[] = {"", "abc", "0", "-5", "101", "30x", "nan"};
	static const char *const bad_depth[] = {"", "0", "-1", "3.5", "x", "100001"};

	for (size_t i = 0; i < sizeof(bad_share) / sizeof(bad_share[0]); i++) {
		err[0] = 0;
		assert_int_equal(
		    shapes_config_set(&x->c, "wide-share", bad_share[i], err, sizeof(err)),
		    -EINVAL);
		assert_non_null(strstr(err, "bad wide-share"));
	}
	for (size_t i = 0; i < sizeof(bad_depth) / sizeof(bad_depth[0]); i++)
		assert_int_equal(
		    shapes_config_set(&x->c, "spike-depth", bad_depth[i], err, sizeof(err)),
		    -EINVAL);
	assert_int_equal(shapes_config_set(&x->c, "nope", "3", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown threshold 'nope'"));
	assert_int_equal(shapes_config_set(&x->c, "wide-share", "45%", err, sizeof(err)), 0);
	assert_true(x->c.wide_min_share > 0.449 && x->c.wide_min_share < 0.451);
	assert_int_equal(shapes_config_set(&x->c, "wide-depth", "2", err, sizeof(err)), 0);
	assert_int_equal(x->c.wide_max_height, 2);
}

static void test_empty(void **state)
{
	struct fixture *x = *state;

	find(x);
	assert_int_equal(x->n, 0);
	assert_null(x->res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_plateau, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recursion_spike, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chain_spike, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_balanced, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_main_not_a_peak, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thread_start_not_a_peak, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wide_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spike_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deep_stack, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_thresholds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};

	return cmocka_run_group_tests_name("shapes", tests, NULL, NULL);
}
