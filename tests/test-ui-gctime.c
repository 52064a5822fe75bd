/*
 * test-ui-gctime.c - the GC strip's layout (view-gctime.c): where each
 * collection's pause mark goes and how tall it is, the heap line between
 * collections, the summary of the window, the selected collection's
 * lines, and the same without UTF-8.
 *
 * The axis is 60 columns over 6 s (0.1 s a column); three collections
 * with known pauses and heap levels are drawn and the cells read back.
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
#include "grid.h"
#include "style.h"
#include "view.h"

#define MS 1000000ull
#define S 1000000000ull
#define ORIGIN (100 * S)
#define LABEL 6 /* "heap  " / "pause " before the axis */

struct rec {
	struct ft_gc g;
	uint64_t pc[2];
};

/* a libgc collection: 7 MB in use before, 2 MB after */
static void add(struct gctimeline *t, uint64_t number, uint64_t start, uint64_t dur, uint64_t pause)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.g.hdr.kind = FT_REC_GC;
	r.g.hdr.len = sizeof(r);
	r.g.source = FT_GC_SOURCE_LIBGC;
	r.g.reason = FT_GC_REASON_ALLOC;
	r.g.flags = FT_GC_HAVE_NUMBER | FT_GC_HAVE_FREE;
	r.g.number = number;
	r.g.start_ns = start;
	r.g.end_ns = start + dur;
	r.g.pause_ns = pause;
	r.g.heap_before = r.g.heap_after = 8 << 20;
	r.g.free_before = 1 << 20;
	r.g.free_after = 6 << 20;
	assert_non_null(gctimeline_add(t, &r.g.hdr, sizeof(r)));
}

static struct gctimeline *three(void)
{
	struct gctimeline *t = gctimeline_new(ORIGIN);

	assert_non_null(t);
	add(t, 1, ORIGIN + 1000 * MS, 4 * MS, 3 * MS);	/* column 10 */
	add(t, 2, ORIGIN + 3000 * MS, 2 * MS, 1 * MS);	/* column 30 */
	add(t, 3, ORIGIN + 5500 * MS, 10 * MS, 6 * MS); /* column 55 */
	return t;
}

static uint32_t at(struct grid *g, int x, int y)
{
	return grid_cat(g, x, y)->ch;
}

/* U+2581 (one eighth) .. U+2588 (full block): level 0..7 */
#define LEVEL(k) (0x2581u + (k))

static void test_marks_and_heap(void **state)
{
	struct gctimeline *t = three();
	struct grid *g = grid_new(LABEL + 60, 5, true);
	char row[512];
	int x, marks = 0;

	(void)state;
	view_gctime_render(g, (struct rect){0, 0, LABEL + 60, 4}, t, ORIGIN, ORIGIN + 6 * S, NULL,
			   NULL);
	grid_row_text(g, 0, row, sizeof(row));
	assert_true(strncmp(row, " GC 3 in window | 0.50/s | paused 0.17%", 39) == 0);
	/* the whole first row, as a wider strip shows it */
	view_gctime_summary(t, ORIGIN, ORIGIN + 6 * S, row, sizeof(row));
	assert_string_equal(row, " GC 3 in window | 0.50/s | paused 0.17% | collecting 0.27% | "
				 "pause max 6.00 ms");
	grid_row_text(g, 2, row, sizeof(row));
	assert_true(strncmp(row, "pause", 5) == 0);
	/* one mark per collection, at its end's column, its height the
	 * pause against the longest (6 ms: full) */
	assert_int_equal(at(g, LABEL + 10, 2), LEVEL(3)); /* 3 ms: 3*7/6 */
	assert_int_equal(at(g, LABEL + 30, 2), LEVEL(1)); /* 1 ms */
	assert_int_equal(at(g, LABEL + 55, 2), LEVEL(7)); /* 6 ms */
	for (x = LABEL; x < LABEL + 60; x++)
		marks += at(g, x, 2) != ' ';
	assert_int_equal(marks, 3);
	/* the heap line: nothing before the first collection, the level
	 * before each one in its column (7 of 7 MB), halfway up between
	 * two, the level after the last one at the end (2 of 7 MB) */
	assert_int_equal(at(g, LABEL + 5, 1), ' ');
	assert_int_equal(at(g, LABEL + 10, 1), LEVEL(7));
	assert_int_equal(at(g, LABEL + 20, 1), LEVEL(4)); /* 2 + 0.5 * 5 = 4.5 MB */
	assert_int_equal(at(g, LABEL + 59, 1), LEVEL(2));
	/* no selection: the axis, from 0.0s to 6.0s */
	grid_row_text(g, 3, row, sizeof(row));
	assert_true(strncmp(row + LABEL, "0.0s", 4) == 0);
	assert_non_null(strstr(row, "6.0s"));
	grid_free(g);
	gctimeline_free(t);
}

/* A window that starts after the first collection leaves it out. */
static void test_window(void **state)
{
	struct gctimeline *t = three();
	struct grid *g = grid_new(LABEL + 30, 4, true);
	char row[512];
	int x, marks = 0;

	(void)state;
	view_gctime_render(g, (struct rect){0, 0, LABEL + 30, 4}, t, ORIGIN + 3 * S, ORIGIN + 6 * S,
			   NULL, NULL);
	grid_row_text(g, 0, row, sizeof(row));
	assert_non_null(strstr(row, "GC 2 in window"));
	for (x = LABEL; x < LABEL + 30; x++)
		marks += at(g, x, 2) != ' ';
	assert_int_equal(marks, 2);
	assert_int_equal(at(g, LABEL + 25, 2), LEVEL(7));
	grid_free(g);
	gctimeline_free(t);
}

/* The selected collection: its column reversed, its gctrace line and its
 * trigger on the rows below. */
static void test_selected(void **state)
{
	struct gctimeline *t = three();
	struct grid *g = grid_new(LABEL + 60, 5, true);
	const struct gc_cycle *c = gctimeline_get(t, 1);
	char row[512];

	(void)state;
	view_gctime_render(g, (struct rect){0, 0, LABEL + 60, 5}, t, ORIGIN, ORIGIN + 6 * S, c,
			   "trigger: alloc < main");
	assert_true(grid_cat(g, LABEL + 30, 2)->attr & ATTR_REVERSE);
	assert_false(grid_cat(g, LABEL + 10, 2)->attr & ATTR_REVERSE);
	grid_row_text(g, 3, row, sizeof(row));
	assert_true(strncmp(row, " gc 2 @3.000s: 1.000 ms pause", 29) == 0);
	grid_row_text(g, 4, row, sizeof(row));
	assert_string_equal(row, " trigger: alloc < main");
	grid_free(g);
	gctimeline_free(t);
}

/* Without UTF-8 the marks are ASCII, still by height. */
static void test_ascii(void **state)
{
	struct gctimeline *t = three();
	struct grid *g = grid_new(LABEL + 60, 4, false);

	(void)state;
	view_gctime_render(g, (struct rect){0, 0, LABEL + 60, 4}, t, ORIGIN, ORIGIN + 6 * S, NULL,
			   NULL);
	assert_int_equal(at(g, LABEL + 55, 2), '#');
	assert_int_equal(at(g, LABEL + 30, 2), '.');
	for (int x = 0; x < LABEL + 60; x++)
		assert_true(at(g, x, 1) < 0x80 && at(g, x, 2) < 0x80);
	grid_free(g);
	gctimeline_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marks_and_heap),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_selected),
	    cmocka_unit_test(test_ascii),
	};

	return cmocka_run_group_tests_name("ui-gctime", tests, NULL, NULL);
}
