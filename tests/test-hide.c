/*
 * test-hide.c - unit tests of hide.c: hidden functions, modules and
 * regexes, collapsed direct recursion with its repeat counts, and trees
 * transformed with hide_tree (weights kept, invariants hold).
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

#include "hide.h"

struct fx {
	struct funcs *f;
	struct hide *h;
	uint32_t main_, a, b, fib, memcpy_, lock;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->f = funcs_new();
	x->h = hide_new();
	x->main_ = funcs_intern(x->f, "main", "/usr/bin/prog");
	x->a = funcs_intern(x->f, "a", "/usr/bin/prog");
	x->b = funcs_intern(x->f, "b", "/usr/bin/prog");
	x->fib = funcs_intern(x->f, "fib", "/usr/bin/prog");
	x->memcpy_ = funcs_intern(x->f, "memcpy", "/lib/libc.so.6");
	x->lock = funcs_intern(x->f, "pthread_mutex_lock", "/lib/libc.so.6");
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	hide_free(x->h);
	funcs_free(x->f);
	free(x);
	return 0;
}

#define APPLY(x, outp, repp, ...)                                                                  \
	hide_apply((x)->h, (x)->f, (uint32_t[]){__VA_ARGS__},                                      \
		   sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), (outp), (repp))

static void test_nothing(void **state)
{
	struct fx *x = *state;
	uint32_t out[8], rep[8];
	char text[64];

	assert_false(hide_active(x->h));
	assert_false(hide_active(NULL));
	assert_int_equal(APPLY(x, out, rep, x->main_, x->fib, x->fib, x->a), 4);
	assert_int_equal(out[2], x->fib);
	assert_int_equal(rep[2], 1);
	hide_text(x->h, x->f, text, sizeof(text));
	assert_string_equal(text, "");
}

static void test_collapse(void **state)
{
	struct fx *x = *state;
	uint32_t out[16], rep[16];
	char text[64];

	hide_set_collapse(x->h, true);
	assert_true(hide_active(x->h));
	/* direct recursion: one frame standing for four */
	assert_int_equal(APPLY(x, out, rep, x->main_, x->fib, x->fib, x->fib, x->fib, x->a), 3);
	assert_int_equal(out[0], x->main_);
	assert_int_equal(out[1], x->fib);
	assert_int_equal(out[2], x->a);
	assert_int_equal(rep[0], 1);
	assert_int_equal(rep[1], 4);
	assert_int_equal(rep[2], 1);
	/* A B A is not direct recursion */
	assert_int_equal(APPLY(x, out, rep, x->a, x->b, x->a, x->b), 4);
	assert_int_equal(rep[0] + rep[1] + rep[2] + rep[3], 4);
	/* two runs, the leaf recursing too */
	assert_int_equal(APPLY(x, out, rep, x->a, x->a, x->b, x->a, x->a, x->a), 3);
	assert_int_equal(rep[0], 2);
	assert_int_equal(rep[1], 1);
	assert_int_equal(rep[2], 3);
	assert_int_equal(out[2], x->a);
	/* rep may be NULL */
	assert_int_equal(APPLY(x, out, NULL, x->fib, x->fib), 1);
	hide_text(x->h, x->f, text, sizeof(text));
	assert_string_equal(text, "recursion collapsed");
	hide_clear(x->h);
	assert_false(hide_active(x->h));
	assert_int_equal(APPLY(x, out, rep, x->fib, x->fib), 2);
}

static void test_hide(void **state)
{
	struct fx *x = *state;
	uint32_t out[16], rep[16];
	char err[128], text[128];

	/* a function: its callees hang from its caller */
	assert_int_equal(hide_add_func(x->h, x->a), 0);
	assert_int_equal(APPLY(x, out, rep, x->main_, x->a, x->b), 2);
	assert_int_equal(out[1], x->b);
	/* hidden leaf: the caller is the leaf (its time goes there) */
	assert_int_equal(APPLY(x, out, rep, x->main_, x->b, x->a), 2);
	assert_int_equal(out[1], x->b);
	/* a module */
	assert_int_equal(hide_add_module(x->h, "/lib/libc.so.6"), 0);
	assert_int_equal(APPLY(x, out, rep, x->main_, x->lock, x->memcpy_), 1);
	assert_true(hide_hides(x->h, x->f, x->lock));
	assert_false(hide_hides(x->h, x->f, x->main_));
	hide_text(x->h, x->f, text, sizeof(text));
	assert_string_equal(text, "hidden: a, libc.so.6");
	/* hiding then collapsing: B A B with A hidden is B B, one frame */
	hide_set_collapse(x->h, true);
	assert_int_equal(APPLY(x, out, rep, x->b, x->a, x->b), 1);
	assert_int_equal(rep[0], 2);
	hide_clear(x->h);

	/* regexes: the name, or the module's file name */
	assert_int_equal(hide_add_regex(x->h, "^pthread_", err, sizeof(err)), 0);
	assert_int_equal(APPLY(x, out, rep, x->main_, x->lock, x->memcpy_), 2);
	assert_int_equal(out[1], x->memcpy_);
	assert_int_equal(hide_add_regex(x->h, "libc\\.so", err, sizeof(err)), 0);
	assert_int_equal(APPLY(x, out, rep, x->main_, x->lock, x->memcpy_), 1);
	hide_text(x->h, x->f, text, sizeof(text));
	assert_string_equal(text, "hidden: /^pthread_/, /libc\\.so/");
	/* a function interned after the rules is decided too */
	uint32_t late = funcs_intern(x->f, "pthread_once", "");
	assert_true(hide_hides(x->h, x->f, late));
	/* everything hidden: an empty stack */
	assert_int_equal(hide_add_regex(x->h, ".", err, sizeof(err)), 0);
	assert_int_equal(APPLY(x, out, rep, x->main_, x->a), 0);
	/* a bad regex is refused with the reason, the rules unchanged */
	assert_int_equal(hide_add_regex(x->h, "(", err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) > 0);
	hide_clear(x->h);
	assert_int_equal(hide_add_regex(x->h, "a[", err, sizeof(err)), -EINVAL);
	assert_false(hide_active(x->h));
}

static void assert_sane(struct calltree *t)
{
	char err[256];

	if (calltree_check(t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static void test_tree(void **state)
{
	struct fx *x = *state;
	struct calltree *src = calltree_new(), *dst = calltree_new();
	struct ctnode *n;

	calltree_add(src, (uint32_t[]){x->main_, x->fib, x->fib, x->fib, x->a}, 5, 10, 1);
	calltree_add(src, (uint32_t[]){x->main_, x->fib, x->fib, x->a}, 4, 5, 2);
	calltree_add(src, (uint32_t[]){x->main_, x->fib, x->lock}, 3, 7, 3);
	calltree_add(src, (uint32_t[]){x->main_}, 1, 1, 1);
	hide_set_collapse(x->h, true);
	assert_int_equal(hide_add_func(x->h, x->lock), 0);
	assert_int_equal(hide_tree(x->h, x->f, src, dst), 0);
	assert_sane(dst);
	assert_int_equal(calltree_root(dst)->total_weight, 23);
	assert_int_equal(calltree_root(dst)->total_count, 7);
	n = calltree_child(calltree_child(calltree_root(dst), x->main_), x->fib);
	assert_non_null(n);
	assert_int_equal(n->total_weight, 22);
	assert_int_equal(n->self_weight, 7); /* the hidden lock's time */
	assert_int_equal(n->repeat, 3);	     /* the most it stood for */
	assert_int_equal(calltree_child(n, x->a)->total_weight, 15);
	assert_null(calltree_child(n, x->fib));
	/* the copy a frozen view takes keeps the repeats */
	struct calltree *cp = calltree_new();
	assert_int_equal(calltree_copy(cp, dst), 0);
	n = calltree_child(calltree_child(calltree_root(cp), x->main_), x->fib);
	assert_int_equal(n->repeat, 3);
	calltree_free(cp);
	/* nothing hidden: the same tree */
	hide_clear(x->h);
	assert_int_equal(hide_tree(x->h, x->f, src, dst), 0);
	assert_int_equal(calltree_nodes(dst), calltree_nodes(src));
	calltree_free(src);
	calltree_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_collapse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hide, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
	};

	return cmocka_run_group_tests_name("hide", tests, NULL, NULL);
}
