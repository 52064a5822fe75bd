/*
 * test-callers.c - unit tests of callers.c: a function's callers and
 * callees merged across the places it is called from.
 *
 * Hand-checked trees (three callers, deeper caller chains, recursion
 * direct and through another function, a function at the root, two ids
 * read as one function, an absent function) and a randomized comparison
 * with brute force over the stacks: every stack holding F gives its
 * weight to the caller chain before its first F and to the callee chain
 * after it.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "callers.h"

#define ADD(t, w, ...)                                                                             \
	do {                                                                                       \
		const uint32_t fs_[] = {__VA_ARGS__};                                              \
		assert_non_null(calltree_add((t), fs_, sizeof(fs_) / sizeof(fs_[0]), (w), 1));     \
	} while (0)

static void assert_sane(struct calltree *t)
{
	char err[256];

	if (calltree_check(t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static void assert_sane_callers(struct callers *c)
{
	assert_sane(c->up);
	assert_sane(c->down);
	/* F holds the same total in both trees */
	assert_int_equal(callers_node(c->up)->total_weight, callers_node(c->down)->total_weight);
	assert_int_equal(callers_node(c->up)->total_count, callers_node(c->down)->total_count);
	assert_int_equal(calltree_root(c->up)->child->next == NULL, 1);
}

/* The node at path (root first, below F's node), or NULL. */
static const struct ctnode *at(struct calltree *t, size_t n, const uint32_t *path)
{
	struct ctnode *x = callers_node(t);

	for (size_t i = 0; x && i < n; i++)
		x = calltree_child(x, path[i]);
	return x;
}
#define AT(t, ...)                                                                                 \
	at((t), sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), (uint32_t[]){__VA_ARGS__})

enum { MAIN = 1, A, B, C, W, H, G, X };

static void test_three_callers(void **state)
{
	struct calltree *t = calltree_new();
	struct callers c;
	uint32_t w = W;

	ADD(t, 50, MAIN, A, W);
	ADD(t, 30, MAIN, B, W);
	ADD(t, 15, MAIN, C, W);
	ADD(t, 5, MAIN, C, W, H);
	ADD(t, 7, MAIN, X);

	assert_int_equal(callers_compute(&c, t, &w, 1), 0);
	assert_sane_callers(&c);
	assert_true(callers_found(&c));
	assert_int_equal(c.func, W);
	assert_int_equal(c.all_weight, 107);
	assert_int_equal(callers_node(c.up)->total_weight, 100);
	assert_int_equal(callers_node(c.up)->self_weight, 0);
	assert_int_equal(callers_node(c.up)->nchildren, 3);
	assert_int_equal(AT(c.up, A)->total_weight, 50);
	assert_int_equal(AT(c.up, B)->total_weight, 30);
	assert_int_equal(AT(c.up, C)->total_weight, 20);
	/* each chain ends at main, whose self is the stacks it starts */
	assert_int_equal(AT(c.up, C, MAIN)->total_weight, 20);
	assert_int_equal(AT(c.up, C, MAIN)->self_weight, 20);
	assert_int_equal(AT(c.up, A, MAIN)->total_count, 1);
	assert_null(AT(c.up, X));

	assert_int_equal(callers_node(c.down)->total_weight, 100);
	assert_int_equal(callers_node(c.down)->self_weight, 95);
	assert_int_equal(AT(c.down, H)->total_weight, 5);
	assert_int_equal(callers_node(c.down)->total_count, 4);
	assert_int_equal(calltree_root(c.down)->total_weight, 100);
	callers_release(&c);
	assert_null(c.up);
	calltree_free(t);
}

static void test_rows(void **state)
{
	struct calltree *t = calltree_new();
	struct callers c;
	struct callers_row *rows;
	uint32_t w = W;
	long n;

	ADD(t, 20, MAIN, C, W);
	ADD(t, 50, MAIN, A, W);
	ADD(t, 30, G, B, W);
	/* a node with nothing left (weight and count 0) is not listed */
	assert_non_null(calltree_add(t, (uint32_t[]){MAIN, X, W}, 3, 0, 0));
	assert_int_equal(callers_compute(&c, t, &w, 1), 0);

	n = callers_rows(c.up, false, 0, &rows);
	assert_int_equal(n, 6);
	/* depth first, heaviest first */
	assert_int_equal(rows[0].node->func, A);
	assert_int_equal(rows[0].level, 1);
	assert_int_equal(rows[1].node->func, MAIN);
	assert_int_equal(rows[1].level, 2);
	assert_int_equal(rows[2].node->func, B);
	assert_int_equal(rows[3].node->func, G);
	assert_int_equal(rows[4].node->func, C);
	assert_int_equal(rows[5].node->func, MAIN);
	free(rows);

	n = callers_rows(c.up, false, 2, &rows);
	assert_int_equal(n, 2);
	free(rows);
	n = callers_rows(c.down, false, 0, &rows);
	assert_int_equal(n, 0);
	free(rows);
	callers_release(&c);
	calltree_free(t);
}

/* Recursion: only the outermost F of a stack counts. */
static void test_recursion(void **state)
{
	struct calltree *t = calltree_new();
	struct callers c;
	uint32_t w = W;

	ADD(t, 10, MAIN, W, W, W, H); /* direct */
	ADD(t, 6, MAIN, A, W, B, W);  /* through B */
	ADD(t, 4, MAIN, A, W);
	assert_int_equal(callers_compute(&c, t, &w, 1), 0);
	assert_sane_callers(&c);
	assert_int_equal(callers_node(c.up)->total_weight, 20);
	assert_int_equal(AT(c.up, MAIN)->total_weight, 10);
	assert_int_equal(AT(c.up, A)->total_weight, 10);
	assert_null(AT(c.up, B)); /* B calls W only below another W */
	assert_null(AT(c.up, W));
	/* callees keep the recursion as it is below the outermost W */
	assert_int_equal(AT(c.down, W, W, H)->total_weight, 10);
	assert_int_equal(AT(c.down, B, W)->self_weight, 6);
	assert_int_equal(callers_node(c.down)->self_weight, 4);
	callers_release(&c);
	calltree_free(t);
}

/* F as the outermost frame; two ids read as one function; F absent. */
static void test_edges(void **state)
{
	struct calltree *t = calltree_new();
	struct callers c;
	uint32_t two[] = {W, H}, g = G;

	ADD(t, 3, W, A);
	ADD(t, 5, MAIN, H, B);
	ADD(t, 2, MAIN, W, H);
	assert_int_equal(callers_compute(&c, t, two, 2), 0);
	assert_sane_callers(&c);
	assert_int_equal(callers_node(c.up)->total_weight, 10);
	assert_int_equal(callers_node(c.up)->self_weight, 3); /* W at the root */
	assert_int_equal(AT(c.up, MAIN)->total_weight, 7);
	assert_int_equal(AT(c.down, B)->total_weight, 5);
	assert_int_equal(AT(c.down, H)->total_weight, 2); /* H under W: W counts */
	callers_release(&c);

	assert_int_equal(callers_compute(&c, t, &g, 1), 0);
	assert_sane_callers(&c);
	assert_false(callers_found(&c));
	callers_release(&c);
	calltree_free(t);
}

static void test_lookup(void **state)
{
	struct funcs *f = funcs_new();
	uint32_t ids[4];
	uint32_t a = funcs_intern(f, "parse", "liba.so");
	uint32_t b = funcs_intern(f, "parse", "libb.so");

	funcs_intern(f, "parser", "liba.so");
	assert_int_equal(callers_lookup(f, "parse", ids, 4), 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(callers_lookup(f, "pars", ids, 4), 0);
	assert_int_equal(callers_lookup(f, "parse", ids, 1), 2);
	funcs_free(f);
}

/* Deep chains: caller paths are cut at CALLERS_MAX_DEPTH, no recursion. */
static void test_deep(void **state)
{
	enum { DEPTH = 100000 };
	uint32_t *fs = malloc(DEPTH * sizeof(*fs)), w = 2;
	struct calltree *t = calltree_new();
	struct callers c;
	const struct ctnode *x;
	size_t levels = 0;

	for (size_t i = 0; i < DEPTH; i++)
		fs[i] = i == DEPTH / 2 ? 2 : 3 + (uint32_t)(i % 7);
	assert_non_null(calltree_add(t, fs, DEPTH, 1, 1));
	assert_int_equal(callers_compute(&c, t, &w, 1), 0);
	assert_sane_callers(&c);
	for (x = callers_node(c.up); x->child; x = x->child)
		levels++;
	assert_int_equal(levels, CALLERS_MAX_DEPTH);
	assert_int_equal(x->self_weight, 1);
	assert_int_equal(calltree_nodes(c.down), 1 + DEPTH / 2);
	callers_release(&c);
	calltree_free(t);
	free(fs);
}

/* Random stacks against brute force over the stacks. */
static void test_random(void **state)
{
	enum { STACKS = 400, MAXD = 9, NF = 6 };
	uint32_t st[STACKS][MAXD], len[STACKS], wt[STACKS], w = 3;
	struct calltree *t = calltree_new();
	struct callers c;

	srand(7);
	for (int i = 0; i < STACKS; i++) {
		len[i] = 1 + (uint32_t)rand() % MAXD;
		wt[i] = 1 + (uint32_t)rand() % 100;
		for (uint32_t k = 0; k < len[i]; k++)
			st[i][k] = 1 + (uint32_t)rand() % NF;
		assert_non_null(calltree_add(t, st[i], len[i], wt[i], 1));
	}
	assert_int_equal(callers_compute(&c, t, &w, 1), 0);
	assert_sane_callers(&c);
	/* each direct caller's total and each direct callee's total */
	for (uint32_t g = 1; g <= NF; g++) {
		uint64_t up = 0, down = 0, root = 0;

		for (int i = 0; i < STACKS; i++) {
			uint32_t k;

			for (k = 0; k < len[i] && st[i][k] != w; k++)
				;
			if (k == len[i])
				continue;
			if (k == 0)
				root += wt[i];
			else if (st[i][k - 1] == g)
				up += wt[i];
			if (k + 1 < len[i] && st[i][k + 1] == g)
				down += wt[i];
		}
		const struct ctnode *u = calltree_child(callers_node(c.up), g);
		const struct ctnode *d = calltree_child(callers_node(c.down), g);

		assert_int_equal(u ? u->total_weight : 0, up);
		assert_int_equal(d ? d->total_weight : 0, down);
		assert_int_equal(callers_node(c.up)->self_weight, root);
	}
	callers_release(&c);
	calltree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_three_callers), cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_recursion),	  cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_lookup),	  cmocka_unit_test(test_deep),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("callers", tests, NULL, NULL);
}
