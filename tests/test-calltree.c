/*
 * test-calltree.c - unit tests of calltree.c.
 *
 * Every change is followed by assert_sane_calltree() (calltree_check).
 * Covers: adding stacks and the totals they produce, the empty stack,
 * nodes with many children (hashed lookup), subtracting and pruning,
 * that calltree_check does catch broken trees, very deep stacks, and a
 * randomized add-then-remove run that must end in an all-zero, sane tree.
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

#include "calltree.h"
#include "folded.h"
#include "funcs.h"
#include "top.h"

#define assert_sane_calltree(t)                                                                    \
	do {                                                                                       \
		char err_[256];                                                                    \
		if (calltree_check((t), err_, sizeof(err_)))                                       \
			fail_msg("calltree_check: %s", err_);                                      \
	} while (0)

static struct ctnode *path(struct calltree *t, const uint32_t *f, size_t n)
{
	struct ctnode *x = calltree_root(t);
	size_t i;

	for (i = 0; i < n && x; i++)
		x = calltree_child(x, f[i]);
	return x;
}

/* the generation changes with every change and differs between trees */
static void test_gen(void **state)
{
	struct calltree *a = calltree_new(), *b = calltree_new();
	const uint32_t st[] = {1, 2, 3};
	struct ctnode *leaf;
	uint64_t g;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_not_equal(calltree_gen(a), calltree_gen(b));
	g = calltree_gen(a);
	assert_int_equal(calltree_gen(a), g); /* reading changes nothing */
	leaf = calltree_add(a, st, 3, 10, 1);
	assert_non_null(leaf);
	assert_int_not_equal(calltree_gen(a), g);
	g = calltree_gen(a);
	calltree_sub_at(a, leaf, 10, 1);
	assert_int_not_equal(calltree_gen(a), g);
	g = calltree_gen(a);
	calltree_prune(a);
	assert_int_not_equal(calltree_gen(a), g);
	g = calltree_gen(a);
	assert_int_equal(calltree_copy(b, a), 0);
	assert_int_not_equal(calltree_gen(b), g);
	g = calltree_gen(a);
	calltree_clear(a);
	assert_int_not_equal(calltree_gen(a), g);
	calltree_free(a);
	calltree_free(b);
}

static void test_add(void **state)
{
	struct calltree *t = calltree_new();
	const uint32_t s1[] = {1, 2, 3}, s2[] = {1, 2, 4}, s3[] = {1, 5};
	struct ctnode *a, *b, *c, *r = calltree_root(t), *n12;

	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 1);
	a = calltree_add(t, s1, 3, 100, 1);
	assert_sane_calltree(t);
	b = calltree_add(t, s2, 3, 50, 2);
	assert_sane_calltree(t);
	c = calltree_add(t, s3, 2, 7, 1);
	assert_sane_calltree(t);
	assert_ptr_equal(calltree_add(t, s1, 3, 1, 1), a); /* same node again */
	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 6);

	assert_int_equal(r->total_weight, 158);
	assert_int_equal(r->total_count, 5);
	assert_int_equal(r->self_weight, 0);
	assert_int_equal(a->self_weight, 101);
	assert_int_equal(a->self_count, 2);
	assert_int_equal(a->depth, 3);
	assert_int_equal(b->func, 4);
	assert_int_equal(c->depth, 2);
	n12 = path(t, s1, 2);
	assert_non_null(n12);
	assert_int_equal(n12->total_weight, 151);
	assert_int_equal(n12->self_weight, 0);
	assert_int_equal(n12->nchildren, 2);
	assert_ptr_equal(a->parent, n12);
	assert_null(calltree_child(r, 2));

	/* the empty stack lands on the root's self */
	assert_ptr_equal(calltree_add(t, NULL, 0, 9, 1), r);
	assert_sane_calltree(t);
	assert_int_equal(r->self_weight, 9);
	assert_int_equal(r->total_weight, 167);

	calltree_add_at(t, c, 3, 1);
	assert_sane_calltree(t);
	assert_int_equal(c->self_weight, 10);
	assert_int_equal(r->total_weight, 170);

	calltree_clear(t);
	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 1);
	assert_int_equal(r->total_weight, 0);
	assert_null(r->child);
	calltree_free(t);
	calltree_free(NULL);
}

static void test_many_children(void **state)
{
	struct calltree *t = calltree_new();
	struct ctnode *r = calltree_root(t), *leaf[3000];
	uint32_t i, s[2];

	for (i = 0; i < 3000; i++) {
		s[0] = 10 + i * 7;
		s[1] = i % 3;
		leaf[i] = calltree_add(t, s, 2, i + 1, 1);
		assert_non_null(leaf[i]);
		if (i < 20 || i % 250 == 0)
			assert_sane_calltree(t);
	}
	assert_sane_calltree(t);
	assert_int_equal(r->nchildren, 3000);
	for (i = 0; i < 3000; i++) {
		struct ctnode *c = calltree_child(r, 10 + i * 7);

		assert_non_null(c);
		assert_ptr_equal(c->child, leaf[i]);
	}
	assert_null(calltree_child(r, 11));
	/* zero two thirds of them, prune: the hash must follow */
	for (i = 0; i < 3000; i++)
		if (i % 3)
			calltree_sub_at(t, leaf[i], i + 1, 1);
	assert_sane_calltree(t);
	calltree_prune(t);
	assert_sane_calltree(t);
	assert_int_equal(r->nchildren, 1000);
	assert_int_equal(calltree_nodes(t), 1 + 2000);
	for (i = 0; i < 3000; i++) {
		struct ctnode *c = calltree_child(r, 10 + i * 7);

		if (i % 3)
			assert_null(c);
		else
			assert_ptr_equal(c->child, leaf[i]); /* survivors did not move */
	}
	/* down to a few children: back to the list */
	for (i = 0; i < 3000; i += 3)
		if (i >= 15)
			calltree_sub_at(t, leaf[i], i + 1, 1);
	calltree_prune(t);
	assert_sane_calltree(t);
	assert_int_equal(r->nchildren, 5);
	assert_non_null(calltree_child(r, 10 + 12 * 7));
	s[0] = 5;
	s[1] = 5;
	assert_non_null(calltree_add(t, s, 2, 1, 1));
	assert_sane_calltree(t);
	calltree_free(t);
}

static void test_sub_prune(void **state)
{
	struct calltree *t = calltree_new();
	const uint32_t s1[] = {1, 2, 3}, s2[] = {1, 2}, s3[] = {4};
	struct ctnode *a, *b, *c, *r = calltree_root(t);

	a = calltree_add(t, s1, 3, 10, 1);
	b = calltree_add(t, s2, 2, 20, 2);
	c = calltree_add(t, s3, 1, 30, 3);
	assert_sane_calltree(t);
	calltree_sub_at(t, a, 10, 1);
	assert_sane_calltree(t);
	assert_int_equal(r->total_weight, 50);
	assert_int_equal(r->total_count, 5);
	assert_int_equal(calltree_nodes(t), 5); /* zero node stays */
	calltree_prune(t);
	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 4);
	assert_null(b->child);
	assert_int_equal(b->nchildren, 0);
	/* never below zero */
	calltree_sub_at(t, c, 100, 100);
	assert_sane_calltree(t);
	assert_int_equal(c->total_weight, 0);
	assert_int_equal(r->total_weight, 20);
	/* weight 0 but count 1 is kept by prune */
	calltree_sub_at(t, b, 20, 1);
	assert_int_equal(b->total_count, 1);
	calltree_prune(t);
	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 3);
	assert_ptr_equal(calltree_child(calltree_child(r, 1), 2), b);
	calltree_free(t);
}

static void test_check_catches(void **state)
{
	struct calltree *t = calltree_new();
	const uint32_t s1[] = {1, 2, 3}, s2[] = {1, 4};
	struct ctnode *a, *b, *m;
	char err[256];

	a = calltree_add(t, s1, 3, 10, 1);
	b = calltree_add(t, s2, 2, 5, 1);
	m = a->parent;
	assert_sane_calltree(t);

	a->total_weight++;
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "total weight"));
	a->total_weight--;
	m->self_count++;
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	m->self_count--;
	a->depth = 7;
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	a->depth = 3;
	b->parent = a;
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	b->parent = m->parent;
	m->parent->nchildren = 3;
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nchildren"));
	m->parent->nchildren = 2;
	b->func = 2; /* duplicate func among siblings */
	assert_int_equal(calltree_check(t, err, sizeof(err)), -EINVAL);
	b->func = 4;
	assert_sane_calltree(t);
	calltree_free(t);
}

static void test_deep(void **state)
{
	enum { DEPTH = 200000 };
	struct calltree *t = calltree_new();
	uint32_t *s = malloc(DEPTH * sizeof(*s));
	struct ctnode *leaf;
	size_t i;

	for (i = 0; i < DEPTH; i++)
		s[i] = (uint32_t)(i % 3) + 1; /* recursion a->b->c->a... */
	leaf = calltree_add(t, s, DEPTH, 5, 1);
	assert_non_null(leaf);
	assert_int_equal(leaf->depth, DEPTH);
	assert_int_equal(calltree_nodes(t), DEPTH + 1);
	assert_sane_calltree(t);
	calltree_sub_at(t, leaf, 5, 1);
	calltree_prune(t);
	assert_int_equal(calltree_nodes(t), 1);
	assert_sane_calltree(t);
	calltree_add(t, s, DEPTH, 5, 1);
	calltree_free(t); /* frees a deep tree without recursion */
	free(s);
}

/* A 100,000-frame stack through every walk of the core: add, copy, the
 * top table, the folded writer, subtract and prune, free (the sanitizer
 * build runs this too: a recursive walk would overflow the C stack). */
static void test_deep_walks(void **state)
{
	enum { DEPTH = 100000 };
	struct calltree *t = calltree_new(), *c = calltree_new();
	struct funcs *f = funcs_new();
	uint32_t *s = malloc(DEPTH * sizeof(*s)), ids[3];
	struct ctnode *leaf, *x;
	struct top top;
	char *text = NULL;
	size_t len = 0, i, semis = 0;
	FILE *out;

	assert_non_null(t);
	assert_non_null(c);
	assert_non_null(f);
	ids[0] = funcs_intern(f, "a", "m");
	ids[1] = funcs_intern(f, "b", "m");
	ids[2] = funcs_intern(f, "c", "m");
	for (i = 0; i < DEPTH; i++)
		s[i] = ids[i % 3];
	leaf = calltree_add(t, s, DEPTH, 7, 2);
	assert_non_null(leaf);
	assert_non_null(calltree_add(t, s, DEPTH / 2, 3, 1)); /* self in the middle */
	assert_sane_calltree(t);

	assert_int_equal(calltree_copy(c, t), 0);
	assert_sane_calltree(c);
	assert_int_equal(calltree_nodes(c), DEPTH + 1);
	assert_int_equal(calltree_root(c)->total_weight, 10);
	for (x = calltree_root(c); x->child; x = x->child)
		;
	assert_int_equal(x->depth, DEPTH);
	assert_int_equal(x->self_weight, 7);

	assert_int_equal(top_compute(&top, c, TOP_WEIGHT, TOP_BY_SELF), 0);
	assert_int_equal(top.n, 3);
	assert_int_equal(top.grand_total, 10);
	for (i = 0; i < top.n; i++)
		assert_int_equal(top.rows[i].total, 10); /* recursion counts once */
	top_release(&top);

	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(folded_write(out, c, f, FOLDED_COUNT, 0), 0);
	fclose(out);
	for (i = 0; i < len; i++)
		semis += text[i] == ';';
	/* two lines: DEPTH / 2 and DEPTH frames */
	assert_int_equal(semis, DEPTH - 1 + DEPTH / 2 - 1);
	free(text);

	calltree_sub_at(t, leaf, 7, 2);
	calltree_prune(t);
	assert_int_equal(calltree_nodes(t), DEPTH / 2 + 1);
	assert_sane_calltree(t);
	assert_int_equal(calltree_copy(c, t), 0);
	assert_int_equal(calltree_nodes(c), DEPTH / 2 + 1);
	assert_sane_calltree(c);
	calltree_free(t);
	calltree_free(c);
	funcs_free(f);
	free(s);
}

/* calltree_copy leaves out empty subtrees and keeps every value. */
static void test_copy(void **state)
{
	struct calltree *t = calltree_new(), *c = calltree_new();
	const uint32_t a[] = {1, 2, 3}, b[] = {1, 4}, d[] = {5};
	struct ctnode *gone;

	calltree_add(t, a, 3, 10, 1);
	calltree_add(t, b, 2, 20, 2);
	gone = calltree_add(t, d, 1, 5, 1);
	calltree_add(t, NULL, 0, 1, 1);
	calltree_sub_at(t, gone, 5, 1);
	assert_int_equal(calltree_copy(c, t), 0);
	assert_sane_calltree(c);
	assert_int_equal(calltree_nodes(c), 5); /* root, 1, 2, 3, 4 */
	assert_int_equal(calltree_root(c)->total_weight, 31);
	assert_int_equal(calltree_root(c)->self_count, 1);
	assert_int_equal(path(c, a, 3)->self_weight, 10);
	assert_int_equal(path(c, b, 2)->total_count, 2);
	assert_null(path(c, d, 1));
	/* copying again replaces what was there */
	assert_int_equal(calltree_copy(c, t), 0);
	assert_int_equal(calltree_nodes(c), 5);
	calltree_free(t);
	calltree_free(c);
}

struct rstack {
	uint32_t f[40];
	size_t n;
	uint64_t w;
	struct ctnode *leaf;
};

static void test_random(void **state)
{
	enum { N = 3000 };
	struct calltree *t = calltree_new();
	struct rstack *rs = calloc(N, sizeof(*rs));
	struct ctnode *r = calltree_root(t);
	uint64_t sumw = 0;
	size_t i, j;

	srand(12345);
	for (i = 0; i < N; i++) {
		rs[i].n = (size_t)(rand() % 40);
		for (j = 0; j < rs[i].n; j++) /* wide at the top, narrow below */
			rs[i].f[j] =
			    j < 2 ? (uint32_t)(rand() % 300) + 1 : (uint32_t)(rand() % 6) + 1;
		rs[i].w = (uint64_t)(rand() % 1000);
		rs[i].leaf = calltree_add(t, rs[i].f, rs[i].n, rs[i].w, 1);
		assert_non_null(rs[i].leaf);
		assert_int_equal(rs[i].leaf->depth, rs[i].n);
		sumw += rs[i].w;
		assert_sane_calltree(t);
	}
	assert_int_equal(r->total_weight, sumw);
	assert_int_equal(r->total_count, N);
	/* remove in a shuffled order, pruning now and then */
	for (i = N - 1; i > 0; i--) {
		struct rstack tmp;

		j = (size_t)rand() % (i + 1);
		tmp = rs[i];
		rs[i] = rs[j];
		rs[j] = tmp;
	}
	for (i = 0; i < N; i++) {
		assert_ptr_equal(path(t, rs[i].f, rs[i].n), rs[i].leaf);
		calltree_sub_at(t, rs[i].leaf, rs[i].w, 1);
		sumw -= rs[i].w;
		assert_int_equal(r->total_weight, sumw);
		assert_sane_calltree(t);
		if (i % 500 == 499) {
			/* leaves of later stacks still carry weight: they survive */
			calltree_prune(t);
			assert_sane_calltree(t);
		}
	}
	assert_int_equal(r->total_weight, 0);
	assert_int_equal(r->total_count, 0);
	calltree_prune(t);
	assert_sane_calltree(t);
	assert_int_equal(calltree_nodes(t), 1);
	free(rs);
	calltree_free(t);
}

int main(void)
{
	const struct CMUnitTest calltree[] = {
	    cmocka_unit_test(test_gen),		  cmocka_unit_test(test_add),
	    cmocka_unit_test(test_many_children), cmocka_unit_test(test_sub_prune),
	    cmocka_unit_test(test_check_catches), cmocka_unit_test(test_deep),
	    cmocka_unit_test(test_random),	  cmocka_unit_test(test_deep_walks),
	    cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests_name("calltree", calltree, NULL, NULL);
}
