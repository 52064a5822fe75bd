/*
 * test-gctimeline.c - unit tests of gctimeline.c: GC records, the
 * timeline's summaries, the gctrace line and the time-to-column mapping.
 *
 * Records are built as the runtime writes them (struct ft_gc with its
 * frames after it); hostile ones must be refused without reading past
 * their length.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gctimeline.h"

#define MS 1000000ull
#define S 1000000000ull
#define ORIGIN (100 * S)

/* a record with room for 8 frames */
struct rec8 {
	struct ft_gc g;
	uint64_t pc[8];
};

static void libgc_rec(struct rec8 *r, uint64_t number, uint64_t start, uint64_t dur, uint64_t pause)
{
	memset(r, 0, sizeof(*r));
	r->g.hdr.kind = FT_REC_GC;
	r->g.hdr.len = sizeof(*r);
	r->g.source = FT_GC_SOURCE_LIBGC;
	r->g.reason = FT_GC_REASON_ALLOC;
	r->g.flags = FT_GC_HAVE_NUMBER | FT_GC_HAVE_FREE | FT_GC_HAVE_ALLOC;
	r->g.number = number;
	r->g.start_ns = start;
	r->g.end_ns = start + dur;
	r->g.pause_ns = pause;
	r->g.heap_before = r->g.heap_after = 8 << 20;
	r->g.free_before = 1 << 20; /* 7 MB used */
	r->g.free_after = 6 << 20;  /* 2 MB used */
	r->g.allocated = 3 << 20;
	r->g.tid = 42;
	r->g.nphases = 2;
	strcpy(r->g.phase[0].name, "mark");
	r->g.phase[0].start_ns = 0;
	r->g.phase[0].dur_ns = dur / 2;
	strcpy(r->g.phase[1].name, "reclaim");
	r->g.phase[1].start_ns = dur / 2;
	r->g.phase[1].dur_ns = dur / 4;
	r->g.nframes = 3;
	r->pc[0] = 0x1000;
	r->pc[1] = 0x2000;
	r->pc[2] = 0x3000;
}

static void test_decode(void **state)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);
	const struct gc_cycle *c;
	struct rec8 r;

	libgc_rec(&r, 7, ORIGIN + 1500 * MS, 4 * MS, 3 * MS);
	c = gctimeline_add(t, &r.g.hdr, sizeof(r));
	assert_non_null(c);
	assert_int_equal(c->number, 7);
	assert_int_equal(c->used_before, 7 << 20);
	assert_int_equal(c->used_after, 2 << 20);
	assert_int_equal(c->heap_after, 8 << 20);
	assert_int_equal(c->allocated, 3 << 20);
	assert_int_equal(c->freed, 0);
	assert_int_equal(c->nphases, 2);
	assert_string_equal(c->phase[1].name, "reclaim");
	assert_int_equal(c->nframes, 3);
	assert_int_equal(c->pc[2], 0x3000);
	assert_int_equal(c->tid, 42);
	assert_int_equal(gctimeline_count(t), 1);
	assert_int_equal(gctimeline_total(t), 1);
	gctimeline_free(t);
	(void)state;
}

/* API collections have no number of their own: counted from 1 */
static void test_api_numbers(void **state)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);
	struct rec8 r;

	for (int i = 0; i < 3; i++) {
		libgc_rec(&r, 99, ORIGIN + (uint64_t)i * S, MS, MS);
		r.g.source = FT_GC_SOURCE_API;
		r.g.flags = FT_GC_HAVE_FREED;
		r.g.heap_before = 5 << 20;
		r.g.heap_after = 1 << 20;
		r.g.freed = 4 << 20;
		assert_non_null(gctimeline_add(t, &r.g.hdr, sizeof(r)));
	}
	assert_int_equal(gctimeline_get(t, 0)->number, 1);
	assert_int_equal(gctimeline_get(t, 2)->number, 3);
	assert_int_equal(gctimeline_get(t, 2)->used_before, 5 << 20);
	assert_int_equal(gctimeline_get(t, 2)->used_after, 1 << 20);
	gctimeline_free(t);
	(void)state;
}

/* every rule of flametop-shm(5), one broken at a time */
static void test_invalid(void **state)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);
	struct rec8 r;

	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	assert_true(gctimeline_check(&r.g.hdr, sizeof(r)));
	assert_false(gctimeline_check(&r.g.hdr, sizeof(struct ft_gc) - 8));
	r.g.nframes = 9; /* frames past len */
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	r.g.nframes = FT_MAX_DEPTH + 1;
	assert_false(gctimeline_check(&r.g.hdr, 0xffff0));
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	r.g.nphases = FT_GC_PHASES + 1;
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	r.g.end_ns = r.g.start_ns - 1;
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	r.g.phase[1].dur_ns = 3 * MS; /* 2 ms + 3 ms > 4 ms */
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	r.g.phase[1].start_ns = UINT64_MAX; /* no wrap-around */
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	r.g.source = 9;
	assert_false(gctimeline_check(&r.g.hdr, sizeof(r)));
	assert_null(gctimeline_add(t, &r.g.hdr, sizeof(r)));
	assert_int_equal(gctimeline_invalid(t), 1);
	assert_int_equal(gctimeline_count(t), 0);

	/* names without their NUL, with blanks and separators: bounded and
	 * printable */
	libgc_rec(&r, 1, ORIGIN, 4 * MS, MS);
	memset(r.g.phase[0].name, 'x', FT_GC_PHASE_NAME);
	strcpy(r.g.phase[1].name, "a b+c,\n");
	r.g.reason = 77;
	assert_non_null(gctimeline_add(t, &r.g.hdr, sizeof(r)));
	assert_int_equal(strlen(gctimeline_get(t, 0)->phase[0].name), FT_GC_PHASE_NAME - 1);
	assert_string_equal(gctimeline_get(t, 0)->phase[1].name, "a_b_c__");
	assert_int_equal(gctimeline_get(t, 0)->reason, FT_GC_REASON_UNKNOWN);
	gctimeline_free(t);
	(void)state;
}

static void test_format(void **state)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);
	char line[256];
	struct rec8 r;
	int n;

	libgc_rec(&r, 12, ORIGIN + 1234567 * 1000ull, 4 * MS, 1500 * 1000ull);
	r.g.reason = FT_GC_REASON_EXPLICIT;
	gctimeline_add(t, &r.g.hdr, sizeof(r));
	n = gctimeline_format(gctimeline_get(t, 0), ORIGIN, line, sizeof(line));
	assert_string_equal(line, "gc 12 @1.235s: 1.500 ms pause, 2.000+1.000 ms mark+reclaim, "
				  "7.00->2.00 MB, 8.00 MB heap, 3.00 MB allocated, explicit");
	assert_int_equal(n, (int)strlen(line));

	/* API: no phases, no heap size, no allocation count; freed known */
	libgc_rec(&r, 0, ORIGIN + 2 * S, 2 * MS, 2 * MS);
	r.g.source = FT_GC_SOURCE_API;
	r.g.flags = FT_GC_HAVE_FREED;
	r.g.nphases = 0;
	r.g.heap_before = 3 << 20;
	r.g.heap_after = 1 << 19;
	r.g.freed = 5 << 19;
	r.g.reason = FT_GC_REASON_OTHER;
	gctimeline_add(t, &r.g.hdr, sizeof(r));
	gctimeline_format(gctimeline_get(t, 1), ORIGIN, line, sizeof(line));
	assert_string_equal(line,
			    "gc 1 @2.000s: 2.000 ms pause, 3.00->0.50 MB, 2.50 MB freed, other");

	/* a short buffer gets a truncated line and the full length */
	n = gctimeline_format(gctimeline_get(t, 1), ORIGIN, line, 10);
	assert_string_equal(line, "gc 1 @2.0");
	assert_int_equal(n, 65);
	gctimeline_free(t);
	(void)state;
}

static void test_summary(void **state)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);
	struct gc_summary s;
	struct rec8 r;

	/* 100 collections, one every 10 ms, pauses 1..100 us */
	for (uint64_t i = 0; i < 100; i++) {
		libgc_rec(&r, i + 1, ORIGIN + i * 10 * MS, 200000, (i + 1) * 1000);
		gctimeline_add(t, &r.g.hdr, sizeof(r));
	}
	assert_int_equal(gctimeline_summary(t, 0, ORIGIN + S, &s), 0);
	assert_int_equal(s.collections, 100);
	assert_int_equal(s.pause_p50_ns, 50000);
	assert_int_equal(s.pause_p99_ns, 99000);
	assert_int_equal(s.pause_max_ns, 100000);
	assert_int_equal(s.pause_total_ns, 5050000);
	assert_true(s.pause_share > 0.00504 && s.pause_share < 0.00506);
	assert_true(s.work_share > 0.0199 && s.work_share < 0.0201);
	assert_true(s.rate_per_s > 99.9 && s.rate_per_s < 100.1);
	assert_true(s.alloc_per_gc == (double)(3 << 20));
	assert_int_equal(s.last->number, 100);

	/* a span: collections 51..60 end in [500 ms, 600 ms) */
	assert_int_equal(gctimeline_summary(t, ORIGIN + 500 * MS, ORIGIN + 599 * MS, &s), 0);
	assert_int_equal(s.collections, 10);
	assert_int_equal(s.pause_max_ns, 60000);
	assert_int_equal(gctimeline_find(t, ORIGIN + 500 * MS), 50);
	assert_int_equal(gctimeline_find(t, ORIGIN + 100 * S), 100);

	/* empty */
	assert_int_equal(gctimeline_summary(t, ORIGIN + 5 * S, ORIGIN + 6 * S, &s), 0);
	assert_int_equal(s.collections, 0);
	assert_null(s.last);
	assert_true(s.pause_share == 0);
	gctimeline_free(t);
	(void)state;
}

/* the oldest collections are forgotten past GCTIMELINE_KEEP, in order */
static void test_keep(void **state)
{
	struct gctimeline *t = gctimeline_new(0);
	struct rec8 r;

	for (uint64_t i = 0; i < GCTIMELINE_KEEP + 10; i++) {
		libgc_rec(&r, i + 1, i * MS, 1000, 1000);
		r.g.nframes = 0;
		assert_non_null(gctimeline_add(t, &r.g.hdr, sizeof(r)));
	}
	assert_int_equal(gctimeline_count(t), GCTIMELINE_KEEP);
	assert_int_equal(gctimeline_total(t), GCTIMELINE_KEEP + 10);
	assert_int_equal(gctimeline_get(t, 0)->number, 11);
	assert_int_equal(gctimeline_get(t, GCTIMELINE_KEEP - 1)->number, GCTIMELINE_KEEP + 10);
	assert_null(gctimeline_get(t, GCTIMELINE_KEEP));
	assert_int_equal(gctimeline_find(t, 20 * MS), 10);
	gctimeline_free(t);
	gctimeline_free(NULL);
	(void)state;
}

static void test_column(void **state)
{
	/* 80 columns over 8 s: 100 ms each */
	assert_int_equal(gctimeline_column(0, 0, 8 * S, 80), 0);
	assert_int_equal(gctimeline_column(99 * MS, 0, 8 * S, 80), 0);
	assert_int_equal(gctimeline_column(100 * MS, 0, 8 * S, 80), 1);
	assert_int_equal(gctimeline_column(8 * S - 1, 0, 8 * S, 80), 79);
	assert_int_equal(gctimeline_column(8 * S, 0, 8 * S, 80), -1);
	assert_int_equal(gctimeline_column(S - 1, S, 9 * S, 80), -1);
	assert_int_equal(gctimeline_column(5 * S, S, 9 * S, 80), 40);
	assert_int_equal(gctimeline_column(5 * S, S, S, 80), -1);
	assert_int_equal(gctimeline_column(5 * S, S, 9 * S, 0), -1);
	/* no overflow on a wide axis far from 0 */
	assert_int_equal(gctimeline_column(UINT64_MAX - 2, UINT64_MAX - 1000, UINT64_MAX, 1000),
			 998);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),  cmocka_unit_test(test_api_numbers),
	    cmocka_unit_test(test_invalid), cmocka_unit_test(test_format),
	    cmocka_unit_test(test_summary), cmocka_unit_test(test_keep),
	    cmocka_unit_test(test_column),
	};

	return cmocka_run_group_tests_name("gctimeline", tests, NULL, NULL);
}
