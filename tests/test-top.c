/*
 * test-top.c - unit tests of top.c: the top-functions table.
 *
 * Hand-checked trees (plain, direct and indirect recursion, ties, zero
 * nodes) and a randomized comparison with a brute-force count over the
 * stacks themselves (a function's total = sum of the stacks it occurs in,
 * each stack once).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "top.h"

#define ADD(t, w, c, ...)                                                                          \
	do {                                                                                       \
		const uint32_t fs_[] = {__VA_ARGS__};                                              \
		assert_non_null(calltree_add((t), fs_, sizeof(fs_) / sizeof(fs_[0]), (w), (c)));   \
	} while (0)

static const struct top_row *row(const struct top *tp, uint32_t func)
{
	size_t i;

	for (i = 0; i < tp->n; i++)
		if (tp->rows[i].func == func)
			return &tp->rows[i];
	return NULL;
}

static void test_plain(void **state)
{
	struct calltree *t = calltree_new();
	struct top tp;
	enum { MAIN = 1, A, B, C, D };

	ADD(t, 10, 1, MAIN, A, B);
	ADD(t, 5, 2, MAIN, A, C);
	ADD(t, 3, 3, MAIN, D);
	ADD(t, 2, 4, MAIN, A);

	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_SELF), 0);
	assert_int_equal(tp.grand_total, 20);
	assert_int_equal(tp.n, 5);
	assert_int_equal(tp.rows[0].func, B);
	assert_int_equal(tp.rows[1].func, C);
	assert_int_equal(tp.rows[2].func, D);
	assert_int_equal(tp.rows[3].func, A);
	assert_int_equal(tp.rows[4].func, MAIN);
	assert_int_equal(row(&tp, MAIN)->total, 20);
	assert_int_equal(row(&tp, MAIN)->self, 0);
	assert_int_equal(row(&tp, A)->total, 17);
	assert_int_equal(row(&tp, A)->self, 2);
	assert_int_equal(row(&tp, B)->total, 10);

	top_sort(&tp, TOP_BY_TOTAL);
	assert_int_equal(tp.rows[0].func, MAIN);
	assert_int_equal(tp.rows[1].func, A);
	assert_int_equal(tp.rows[2].func, B);
	assert_int_equal(tp.rows[3].func, C);
	assert_int_equal(tp.rows[4].func, D);
	top_release(&tp);
	assert_null(tp.rows);
	assert_int_equal(tp.n, 0);

	/* the count measure */
	assert_int_equal(top_compute(&tp, t, TOP_COUNT, TOP_BY_SELF), 0);
	assert_int_equal(tp.grand_total, 10);
	assert_int_equal(tp.rows[0].func, A);
	assert_int_equal(tp.rows[0].self, 4);
	assert_int_equal(tp.rows[0].total, 7);
	assert_int_equal(row(&tp, D)->self, 3);
	top_release(&tp);
	calltree_free(t);
}

static void test_recursion(void **state)
{
	struct calltree *t = calltree_new();
	struct top tp;
	enum { MAIN = 1, F, G, A, B };

	ADD(t, 10, 1, MAIN, F, G, F, F);
	ADD(t, 5, 1, MAIN, F);
	ADD(t, 4, 1, MAIN, A, B, A, B);
	ADD(t, 1, 1, MAIN, F, F, G);

	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_TOTAL), 0);
	assert_int_equal(tp.grand_total, 20);
	assert_int_equal(row(&tp, MAIN)->total, 20);
	assert_int_equal(row(&tp, F)->total, 16); /* 10 + 5 + 1, each stack once */
	assert_int_equal(row(&tp, F)->self, 15);
	assert_int_equal(row(&tp, G)->total, 11);
	assert_int_equal(row(&tp, G)->self, 1);
	assert_int_equal(row(&tp, A)->total, 4);
	assert_int_equal(row(&tp, B)->total, 4);
	assert_int_equal(row(&tp, B)->self, 4);
	assert_int_equal(row(&tp, A)->self, 0);
	/* by total: main 20, f 16, g 11, then a and b tie at 4: by func id */
	assert_int_equal(tp.rows[0].func, MAIN);
	assert_int_equal(tp.rows[1].func, F);
	assert_int_equal(tp.rows[2].func, G);
	assert_int_equal(tp.rows[3].func, A);
	assert_int_equal(tp.rows[4].func, B);
	top_release(&tp);
	calltree_free(t);
}

static void test_zero_and_empty(void **state)
{
	struct calltree *t = calltree_new();
	const uint32_t s[] = {1, 2};
	struct ctnode *leaf;
	struct top tp;

	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_SELF), 0);
	assert_int_equal(tp.n, 0);
	assert_int_equal(tp.grand_total, 0);
	top_release(&tp);

	leaf = calltree_add(t, s, 2, 10, 1);
	ADD(t, 3, 1, 3);
	calltree_sub_at(t, leaf, 10, 1); /* nodes 1 and 2 stay, at zero */
	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_SELF), 0);
	assert_int_equal(tp.n, 1);
	assert_int_equal(tp.rows[0].func, 3);
	assert_int_equal(tp.rows[0].self, 3);
	top_release(&tp);
	/* weight on the root only: no rows, but a grand total */
	calltree_clear(t);
	assert_non_null(calltree_add(t, NULL, 0, 8, 1));
	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_SELF), 0);
	assert_int_equal(tp.n, 0);
	assert_int_equal(tp.grand_total, 8);
	top_release(&tp);
	top_release(NULL);
	calltree_free(t);
}

static void test_random(void **state)
{
	enum { N = 2000, NF = 30 };
	struct calltree *t = calltree_new();
	uint64_t self[NF + 1] = {0}, total[NF + 1] = {0}, grand = 0;
	struct top tp;
	size_t i, j, k, nrows = 0;

	srand(4242);
	for (i = 0; i < N; i++) {
		uint32_t f[24];
		size_t n = (size_t)(rand() % 24) + 1;
		uint64_t w = (uint64_t)(rand() % 100) + 1;

		for (j = 0; j < n; j++)
			f[j] = (uint32_t)(rand() % (j < 3 ? NF : 5)) + 1;
		assert_non_null(calltree_add(t, f, n, w, 1));
		grand += w;
		self[f[n - 1]] += w;
		for (j = 0; j < n; j++) {
			for (k = 0; k < j; k++)
				if (f[k] == f[j])
					break;
			if (k == j) /* first occurrence in this stack */
				total[f[j]] += w;
		}
	}
	assert_int_equal(top_compute(&tp, t, TOP_WEIGHT, TOP_BY_TOTAL), 0);
	assert_int_equal(tp.grand_total, grand);
	for (i = 1; i <= NF; i++) {
		const struct top_row *r = row(&tp, (uint32_t)i);

		if (!total[i]) {
			assert_null(r);
			continue;
		}
		nrows++;
		assert_non_null(r);
		assert_int_equal(r->self, self[i]);
		assert_int_equal(r->total, total[i]);
	}
	assert_int_equal(tp.n, nrows);
	for (i = 1; i < tp.n; i++)
		assert_true(tp.rows[i - 1].total > tp.rows[i].total ||
			    (tp.rows[i - 1].total == tp.rows[i].total &&
			     tp.rows[i - 1].func < tp.rows[i].func));
	top_sort(&tp, TOP_BY_SELF);
	for (i = 1; i < tp.n; i++)
		assert_true(tp.rows[i - 1].self > tp.rows[i].self ||
			    (tp.rows[i - 1].self == tp.rows[i].self &&
			     tp.rows[i - 1].func < tp.rows[i].func));
	top_release(&tp);
	calltree_free(t);
}

int main(void)
{
	const struct CMUnitTest top[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_recursion),
	    cmocka_unit_test(test_zero_and_empty),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("top", top, NULL, NULL);
}
