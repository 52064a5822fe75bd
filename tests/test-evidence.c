/*
 * test-evidence.c - unit tests of evidence.c: a wide peak reached from
 * two callers in a wall-mode profile (callers' shares, the off-CPU
 * share), allocations under it that are freed (steady) or kept (growing),
 * and the parts without data said so.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "funcs.h"
#include "profile.h"
#include "shapes.h"

#define SEC 1000000000ull

struct fixture {
	struct funcs *f;
	struct profile *p, *ap, *fp;
	uint32_t main_, a, b, decode, leaf;
};

static void add(struct profile *p, const uint32_t *funcs, uint32_t n, bool oncpu, uint64_t w,
		int times)
{
	for (int i = 0; i < times; i++) {
		struct profile_sample s = {.time_ns = SEC + (uint64_t)i,
					   .tid = 1,
					   .oncpu = oncpu,
					   .weight = w,
					   .funcs = funcs,
					   .n = n};

		assert_int_equal(profile_add(p, &s), 0);
	}
}

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	x->f = funcs_new();
	x->p = profile_new(x->f);
	x->ap = profile_new(x->f);
	x->fp = profile_new(x->f);
	profile_set_measure(x->p, "wall", UNIT_NS);
	x->main_ = funcs_intern(x->f, "main", "");
	x->a = funcs_intern(x->f, "a", "");
	x->b = funcs_intern(x->f, "b", "");
	x->decode = funcs_intern(x->f, "decode", "");
	x->leaf = funcs_intern(x->f, "leaf", "");
	/* decode under a (60 samples, 15 of them off CPU) and under b (40),
	 * and 50 samples elsewhere */
	const uint32_t pa[] = {x->main_, x->a, x->decode}, pb[] = {x->main_, x->b, x->decode};
	const uint32_t other[] = {x->main_, x->leaf};

	add(x->p, pa, 3, true, 10, 45);
	add(x->p, pa, 3, false, 10, 15);
	add(x->p, pb, 3, true, 10, 40);
	add(x->p, other, 2, true, 10, 50);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	profile_free(x->p);
	profile_free(x->ap);
	profile_free(x->fp);
	funcs_free(x->f);
	free(x);
	return 0;
}

/* The node main;a;decode of the tree. */
static const struct ctnode *decode_under_a(struct fixture *x)
{
	const struct ctnode *n = calltree_child(calltree_root(profile_tree(x->p)), x->main_);

	n = calltree_child(n, x->a);
	return calltree_child(n, x->decode);
}

static void test_callers_offcpu(void **state)
{
	struct fixture *x = *state;
	struct shape_evidence e;

	assert_int_equal(
	    evidence_of(decode_under_a(x), profile_tree(x->p), x->p, NULL, NULL, 10, &e), 0);
	assert_int_equal(e.ncallers, 2);
	assert_int_equal(e.callers[0], x->a);
	assert_true(e.caller_share[0] > 0.599 && e.caller_share[0] < 0.601);
	assert_int_equal(e.callers[1], x->b);
	assert_true(e.offcpu_known);
	assert_true(e.offcpu > 0.249 && e.offcpu < 0.251); /* 15 of a;decode's 60 */
	assert_false(e.alloc_known);
	/* a cpu-mode profile has no off-CPU data */
	profile_set_measure(x->p, "cpu", UNIT_NS);
	assert_int_equal(
	    evidence_of(decode_under_a(x), profile_tree(x->p), x->p, NULL, NULL, 10, &e), 0);
	assert_false(e.offcpu_known);
}

static void test_text(void **state)
{
	struct fixture *x = *state;
	struct shape_evidence e;
	struct shape_finding f = {.kind = SHAPE_WIDE_PEAK,
				  .node = decode_under_a(x),
				  .share = 0.4,
				  .self_share = 1,
				  .height = 1};
	char buf[1024];

	assert_int_equal(evidence_of(f.node, profile_tree(x->p), NULL, NULL, NULL, 10, &e), 0);
	evidence_text(&f, &e, x->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "wide peak: decode takes 40.0%"));
	assert_non_null(strstr(buf, "called from a (60%), b (40%)"));
	assert_non_null(strstr(buf, "off CPU: no data"));
	assert_non_null(strstr(buf, "allocations: no data"));
}

static void test_allocations(void **state)
{
	struct fixture *x = *state;
	struct shape_evidence e;
	struct shape_finding f = {.kind = SHAPE_WIDE_PEAK,
				  .node = decode_under_a(x),
				  .share = 0.4,
				  .self_share = 1,
				  .height = 1};
	const uint32_t pa[] = {x->main_, x->a, x->decode}, pb[] = {x->main_, x->b, x->decode};
	char buf[1024];

	/* under main;a;decode: 10 x 1 MiB allocated, 9 freed; under b's
	 * decode 5 MiB never freed (not this frame's) */
	add(x->ap, pa, 3, true, 1 << 20, 10);
	add(x->fp, pa, 3, true, 1 << 20, 9);
	add(x->ap, pb, 3, true, 5 << 20, 1);
	assert_int_equal(evidence_of(f.node, profile_tree(x->p), x->p, x->ap, x->fp, 10, &e), 0);
	assert_true(e.alloc_known);
	assert_int_equal(e.allocated, 10 << 20);
	assert_int_equal(e.freed, 9 << 20);
	assert_false(evidence_inuse_grows(&e));
	evidence_text(&f, &e, x->f, buf, sizeof(buf));
	assert_non_null(strstr(buf,
			       "allocated 10.0 MiB (1.00 MiB/s) and freed 9.00 MiB under it: in "
			       "use steady"));
	/* b's decode keeps what it allocates: growing */
	f.node = calltree_child(
	    calltree_child(calltree_child(calltree_root(profile_tree(x->p)), x->main_), x->b),
	    x->decode);
	assert_int_equal(evidence_of(f.node, profile_tree(x->p), x->p, x->ap, x->fp, 10, &e), 0);
	assert_true(evidence_inuse_grows(&e));
	evidence_text(&f, &e, x->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "in-use bytes under it grew by 5.00 MiB"));
	/* a frame with no allocation under it */
	f.node =
	    calltree_child(calltree_child(calltree_root(profile_tree(x->p)), x->main_), x->leaf);
	assert_int_equal(evidence_of(f.node, profile_tree(x->p), x->p, x->ap, x->fp, 10, &e), 0);
	evidence_text(&f, &e, x->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "no sampled allocation under it"));
	assert_null(strstr(buf, "no caller"));
}

/* The trend: 1 MiB allocated under a;decode in each of 4 seconds, half
 * of it freed in the same second: +0.5 MiB a second. */
static void test_trend(void **state)
{
	struct fixture *x = *state;
	const uint32_t pa[] = {x->main_, x->a, x->decode};
	int64_t net[16];
	uint64_t first;
	long n;

	for (uint64_t sec = 0; sec < 4; sec++) {
		struct profile_sample s = {.time_ns = (10 + sec) * SEC + SEC / 2,
					   .tid = 1,
					   .oncpu = true,
					   .weight = 1 << 20,
					   .funcs = pa,
					   .n = 3};

		assert_int_equal(profile_add(x->ap, &s), 0);
		s.weight = 1 << 19;
		s.time_ns += SEC / 4;
		assert_int_equal(profile_add(x->fp, &s), 0);
	}
	n = evidence_trend(decode_under_a(x), x->p, x->ap, x->fp, net, 16, &first);
	assert_int_equal(n, 4);
	assert_int_equal(first, 10 * SEC);
	for (int k = 0; k < 4; k++)
		assert_int_equal(net[k], 1 << 19);
	/* nothing under b's decode; no data without the profiles */
	n = evidence_trend(
	    calltree_child(
		calltree_child(calltree_child(calltree_root(profile_tree(x->p)), x->main_), x->b),
		x->decode),
	    x->p, x->ap, x->fp, net, 16, &first);
	assert_int_equal(n, 4);
	for (int k = 0; k < 4; k++)
		assert_int_equal(net[k], 0);
	assert_int_equal(evidence_trend(decode_under_a(x), x->p, NULL, NULL, net, 16, &first), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_callers_offcpu, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_allocations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trend, setup, teardown),
	};

	return cmocka_run_group_tests_name("evidence", tests, NULL, NULL);
}
