/*
 * test-flameview.c - the flame graph without a terminal: layout widths,
 * merge markers, truncation, orientation, search and its share, zoom,
 * resize, navigation; checked on the boxes and on the grid's cells.
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
#include "flame.h"
#include "funcs.h"
#include "grid.h"
#include "style.h"

struct fx {
	struct calltree *t;
	struct funcs *f;
	struct flame *fl;
	struct grid *g;
};

/* Adds "a;b;c" with weight w (and count w). */
static void add(struct fx *x, const char *stack, uint64_t w)
{
	uint32_t ids[64];
	char buf[512], *save = NULL, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		ids[n++] = funcs_intern(x->f, tok, "mod");
	assert_non_null(calltree_add(x->t, ids, n, w, w));
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->t = calltree_new();
	x->f = funcs_new();
	x->fl = flame_new();
	x->g = grid_new(80, 20, true);
	assert_true(x->t && x->f && x->fl && x->g);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	flame_free(x->fl);
	grid_free(x->g);
	calltree_free(x->t);
	funcs_free(x->f);
	free(x);
	return 0;
}

static void render(struct fx *x, int w, int h)
{
	char err[256];

	assert_int_equal(calltree_check(x->t, err, sizeof(err)), 0);
	if (x->g->w != w || x->g->h != h)
		assert_int_equal(grid_resize(x->g, w, h), 0);
	grid_clear(x->g);
	flame_set_tree(x->fl, x->t, x->f);
	flame_layout(x->fl, w, h);
	flame_draw(x->fl, x->g, 0, 0);
}

static const struct flame_box *find_box(struct fx *x, const char *name)
{
	size_t n, i;
	const struct flame_box *b = flame_boxes(x->fl, &n);

	for (i = 0; i < n; i++)
		if (!b[i].merged && !strcmp(funcs_name(x->f, b[i].node->func), name))
			return &b[i];
	return NULL;
}

static const char *selected_name(struct fx *x)
{
	const struct ctnode *n = flame_selected(x->fl);

	assert_non_null(n);
	return funcs_name(x->f, n->func);
}

static char *row(struct fx *x, int y)
{
	static char buf[1024];

	grid_row_text(x->g, y, buf, sizeof(buf));
	return buf;
}

/* Boxes tile their parent and never overlap on a row. */
static void assert_sane_layout(struct fx *x, int w)
{
	size_t n, i, j;
	const struct flame_box *b = flame_boxes(x->fl, &n);

	for (i = 0; i < n; i++) {
		assert_true(b[i].x0 >= 0 && b[i].x1 <= w && b[i].x1 > b[i].x0);
		for (j = i + 1; j < n; j++)
			if (b[j].rel == b[i].rel)
				assert_true(b[j].x0 >= b[i].x1 || b[j].x1 <= b[i].x0);
	}
}

static void test_widths_proportional(void **state)
{
	struct fx *x = *state;
	const struct flame_box *a, *b;

	add(x, "main;a", 300);
	add(x, "main;b", 100);
	render(x, 80, 20);
	assert_sane_layout(x, 80);
	a = find_box(x, "a");
	b = find_box(x, "b");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->x1 - a->x0, 60);
	assert_int_equal(b->x1 - b->x0, 20);
	assert_int_equal(find_box(x, "main")->x1 - find_box(x, "main")->x0, 80);
	/* names are drawn at the start of their box, alphabetical order */
	assert_int_equal(a->x0, 0);
	assert_int_equal(b->x0, 60);
	assert_string_equal(row(x, 0), "all");
	assert_int_equal(strncmp(row(x, 2), "a", 1), 0);
	assert_int_equal(grid_cat(x->g, 60, 2)->ch, 'b');
	/* the box's cells carry its colour, the last one is a gap */
	assert_int_equal(grid_cat(x->g, 30, 2)->col, style_frame("a"));
	assert_int_equal(grid_cat(x->g, 59, 2)->col, COL_DEFAULT);
}

static void test_resize(void **state)
{
	struct fx *x = *state;

	add(x, "main;a", 300);
	add(x, "main;b", 100);
	render(x, 80, 20);
	assert_int_equal(find_box(x, "a")->x1, 60);
	render(x, 40, 12);
	assert_sane_layout(x, 40);
	assert_int_equal(find_box(x, "a")->x1 - find_box(x, "a")->x0, 30);
	assert_int_equal(find_box(x, "b")->x1 - find_box(x, "b")->x0, 10);
	assert_int_equal(x->g->w, 40);
	render(x, 120, 30);
	assert_int_equal(find_box(x, "a")->x1 - find_box(x, "a")->x0, 90);
}

static void test_merge_marker(void **state)
{
	struct fx *x = *state;
	char name[32];
	size_t n, i, merged = 0;
	const struct flame_box *b;
	int k, plus = 0;

	add(x, "main;big", 1000);
	for (k = 0; k < 50; k++) {
		snprintf(name, sizeof(name), "tiny%02d", k);
		char stack[64];
		snprintf(stack, sizeof(stack), "main;zz;%s", name);
		add(x, stack, 1);
	}
	render(x, 80, 20);
	assert_sane_layout(x, 80);
	b = flame_boxes(x->fl, &n);
	for (i = 0; i < n; i++) {
		if (b[i].merged) {
			merged++;
			assert_int_equal(b[i].rel, 3);
		}
		/* no tiny frame gets a box of its own */
		if (!b[i].merged)
			assert_true(strncmp(funcs_name(x->f, b[i].node->func), "tiny", 4) != 0);
	}
	assert_int_equal(merged, 1);
	for (k = 0; k < 80; k++)
		if (grid_cat(x->g, k, 3)->ch == '+' && grid_cat(x->g, k, 3)->col == COL_MERGED)
			plus++;
	assert_true(plus >= 3);
}

static void test_zero_total_skipped(void **state)
{
	struct fx *x = *state;
	uint32_t ids[2];
	struct ctnode *gone;

	add(x, "main;a", 10);
	ids[0] = funcs_intern(x->f, "main", "mod");
	ids[1] = funcs_intern(x->f, "gone", "mod");
	gone = calltree_add(x->t, ids, 2, 5, 5);
	assert_non_null(gone);
	calltree_sub_at(x->t, gone, 5, 5);
	render(x, 80, 20);
	assert_null(find_box(x, "gone"));
	assert_int_equal(find_box(x, "a")->x1 - find_box(x, "a")->x0, 80);
}

static void test_truncation(void **state)
{
	struct fx *x = *state;
	char out[256];

	assert_int_equal(grid_fit("parse_header_line", 8, true, false, out, sizeof(out)), 8);
	assert_string_equal(out, "parse_h\xe2\x80\xa6");
	grid_fit("parse_header_line", 8, false, false, out, sizeof(out));
	assert_string_equal(out, "parse_h~");
	grid_fit("short", 8, true, false, out, sizeof(out));
	assert_string_equal(out, "short");
	assert_int_equal(
	    grid_fit("ns::Parser::parse_header(char const*)", 16, true, true, out, sizeof(out)),
	    15);
	assert_string_equal(out, "\xe2\x80\xa6::parse_header");
	grid_fit("ns::Parser::parse_header(char const*)", 15, true, true, out, sizeof(out));
	assert_string_equal(out, "\xe2\x80\xa6::parse_header");
	grid_fit("ns::Parser::parse_header(char const*)", 10, true, true, out, sizeof(out));
	assert_string_equal(out, "\xe2\x80\xa6"
				 "se_header");
	grid_fit("ns::Parser::parse_header(char const*)", 28, true, true, out, sizeof(out));
	assert_string_equal(out, "ns::Parser::parse_header(\xe2\x80\xa6)");
	assert_int_equal(grid_text_width("\xe2\x80\xa6::x"), 4);

	/* in the graph: a narrow box shows an ellipsis and the full name is
	 * nowhere on its row */
	add(x, "main;a_rather_long_function_name", 100);
	add(x, "main;b", 900);
	render(x, 80, 20);
	assert_int_equal(find_box(x, "a_rather_long_function_name")->x1, 8);
	assert_string_equal(row(x, 2), "a_rath\xe2\x80\xa6 b");
}

/* Boxes under three cells show no letter (it ran into the next label);
 * without colours every box ends with an edge. */
static void test_narrow_boxes(void **state)
{
	struct fx *x = *state;

	add(x, "main;wide", 60);
	add(x, "main;one", 1);  /* 1 cell of 80 */
	add(x, "main;two", 2);  /* 2 cells */
	add(x, "main;rest", 17);
	render(x, 80, 20);
	assert_int_equal(find_box(x, "one")->x1 - find_box(x, "one")->x0, 1);
	assert_int_equal(find_box(x, "two")->x1 - find_box(x, "two")->x0, 2);
	assert_null(strstr(row(x, 2), "on"));
	assert_null(strstr(row(x, 2), "tw"));
	assert_non_null(strstr(row(x, 2), "wide"));
	assert_non_null(strstr(row(x, 2), "rest"));

	x->g->mono = true;
	render(x, 80, 20);
	/* in name order: "one" is an edge alone, "rest" (17 cells) its name
	 * and an edge, "two" a blank and an edge, then "wide" (60 cells) */
	assert_int_equal(strncmp(row(x, 2), "|rest            | |wide ", 25), 0);
	assert_int_equal(strlen(row(x, 2)), 80);
	assert_int_equal(row(x, 2)[79], '|');
	assert_int_equal(row(x, 0)[79], '|');
}

static void test_orientation(void **state)
{
	struct fx *x = *state;

	add(x, "main;a;leaf", 10);
	render(x, 80, 20);
	assert_false(flame_flipped(x->fl));
	assert_string_equal(row(x, 0), "all");
	assert_string_equal(row(x, 1), "main");
	assert_string_equal(row(x, 3), "leaf");
	assert_int_equal(flame_row(x->fl, 0), 0);
	flame_set_flipped(x->fl, true);
	render(x, 80, 20);
	assert_string_equal(row(x, 19), "all");
	assert_string_equal(row(x, 18), "main");
	assert_string_equal(row(x, 16), "leaf");
	assert_string_equal(row(x, 0), "");
	assert_int_equal(flame_row(x->fl, 0), 19);
}

static void test_search(void **state)
{
	struct fx *x = *state;
	double all, zoom;
	char err[128];
	int k, match_cells = 0;

	add(x, "main;a;b;a", 10); /* a below a: counted once */
	add(x, "main;c", 10);
	add(x, "zed", 20);
	assert_int_equal(flame_search(x->fl, "^A$", err, sizeof(err)), 0); /* any case */
	render(x, 80, 20);
	flame_match_share(x->fl, &all, &zoom);
	assert_true(all > 0.249 && all < 0.251);
	assert_true(zoom > 0.249 && zoom < 0.251);
	/* a's box (row 2, cells 0..19) is highlighted, c's is not */
	for (k = 0; k < 80; k++)
		if (grid_cat(x->g, k, 2)->col == COL_MATCH)
			match_cells++;
	assert_int_equal(match_cells, 19); /* 20 cells, the last a gap */
	assert_int_equal(grid_cat(x->g, 20, 2)->col, style_frame("c"));
	assert_true(grid_cat(x->g, 0, 2)->attr & ATTR_UNDERLINE);
	/* n selects matches in order; the selected match stays distinct */
	assert_true(flame_next_match(x->fl, 1));
	assert_string_equal(selected_name(x), "a");
	assert_int_equal(flame_selected(x->fl)->depth, 2);
	render(x, 80, 20);
	assert_int_equal(grid_cat(x->g, 0, 2)->col, COL_SELECTED);
	assert_true(grid_cat(x->g, 0, 2)->attr & ATTR_UNDERLINE);
	assert_true(flame_next_match(x->fl, 1));
	assert_int_equal(flame_selected(x->fl)->depth, 4);
	assert_true(flame_next_match(x->fl, 1)); /* wraps */
	assert_int_equal(flame_selected(x->fl)->depth, 2);
	/* alternatives: c and d, 75% */
	assert_int_equal(flame_search(x->fl, "c|d", err, sizeof(err)), 0);
	render(x, 80, 20);
	flame_match_share(x->fl, &all, &zoom);
	assert_true(all > 0.749 && all < 0.751);
	/* bad pattern */
	assert_int_equal(flame_search(x->fl, "(", err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) > 0);
	assert_string_equal(flame_pattern(x->fl), "c|d");
	flame_search(x->fl, NULL, NULL, 0);
	assert_null(flame_pattern(x->fl));
}

static void test_zoom(void **state)
{
	struct fx *x = *state;
	double all, zoom;

	add(x, "main;a;x", 30);
	add(x, "main;a;y", 10);
	add(x, "main;b", 60);
	render(x, 80, 20);
	flame_move(x->fl, FLAME_CHILD); /* main */
	flame_move(x->fl, FLAME_CHILD); /* b, the heavier */
	assert_string_equal(selected_name(x), "b");
	flame_move(x->fl, FLAME_PREV);
	assert_string_equal(selected_name(x), "a");
	assert_true(flame_zoom_in(x->fl));
	render(x, 80, 20);
	assert_sane_layout(x, 80);
	assert_ptr_equal(flame_zoomed(x->fl), find_box(x, "a")->node);
	assert_int_equal(find_box(x, "a")->x0, 0);
	assert_int_equal(find_box(x, "a")->x1, 80);
	assert_int_equal(find_box(x, "x")->x1 - find_box(x, "x")->x0, 60);
	assert_null(find_box(x, "b"));
	/* the callers above it as context rows, a itself below them */
	assert_string_equal(row(x, 0), "all");
	assert_string_equal(row(x, 1), "main");
	assert_int_equal(strncmp(row(x, 2), "a", 1), 0);
	assert_int_equal(flame_row(x->fl, 0), 2);
	/* the search share of the zoom */
	flame_search(x->fl, "^y$", NULL, 0);
	render(x, 80, 20);
	flame_match_share(x->fl, &all, &zoom);
	assert_true(all > 0.099 && all < 0.101);
	assert_true(zoom > 0.249 && zoom < 0.251);
	/* out one level: main spans the width, a is selected still */
	assert_true(flame_zoom_out(x->fl));
	render(x, 80, 20);
	assert_string_equal(funcs_name(x->f, flame_zoomed(x->fl)->func), "main");
	assert_string_equal(selected_name(x), "a");
	assert_true(flame_zoom_out(x->fl));
	assert_false(flame_zoom_out(x->fl));
	flame_zoom_in(x->fl);
	flame_reset(x->fl);
	render(x, 80, 20);
	assert_int_equal(flame_zoomed(x->fl)->func, 0);
	assert_int_equal(flame_selected(x->fl)->func, 0);
}

/* Row y is one full-width context row of the callers, named name. */
static void assert_ancestor_row(struct fx *x, int y, const char *name, int w)
{
	int k;

	assert_string_equal(row(x, y), name);
	for (k = 0; k < w - 1; k++)
		assert_int_equal(grid_cat(x->g, k, y)->col, COL_FRAME_ANCESTOR);
}

/* Zoomed 3 levels deep: the callers all, main, a show as full-width
 * muted rows above the zoomed frame (below it when flipped), and can be
 * selected and zoomed into. */
static void test_zoom_context(void **state)
{
	struct fx *x = *state;
	const struct flame_box *b;
	uint32_t shown, more;

	add(x, "main;a;b;c;d", 30);
	add(x, "main;a;b;e", 10);
	add(x, "main;a;f", 20);
	add(x, "main;z", 20);
	render(x, 80, 20);
	assert_int_equal(flame_ancestor_rows(x->fl, &shown, &more), 0);
	assert_true(flame_move(x->fl, FLAME_CHILD)); /* main */
	assert_true(flame_move(x->fl, FLAME_CHILD)); /* a */
	assert_true(flame_move(x->fl, FLAME_CHILD)); /* b */
	assert_string_equal(selected_name(x), "b");
	assert_true(flame_zoom_in(x->fl));
	render(x, 80, 20);
	assert_sane_layout(x, 80);
	assert_int_equal(flame_ancestor_rows(x->fl, &shown, &more), 3);
	assert_int_equal(shown, 3);
	assert_int_equal(more, 0);
	assert_ancestor_row(x, 0, "all", 80);
	assert_ancestor_row(x, 1, "main", 80);
	assert_ancestor_row(x, 2, "a", 80);
	/* the zoomed frame spans the width below them, its subtree below */
	b = find_box(x, "b");
	assert_non_null(b);
	assert_int_equal(b->x0, 0);
	assert_int_equal(b->x1, 80);
	assert_int_equal(flame_row(x->fl, 0), 3);
	assert_string_equal(row(x, 3), "b");
	assert_int_equal(grid_cat(x->g, 0, 3)->col, COL_SELECTED);
	assert_int_equal(strncmp(row(x, 4), "c", 1), 0);
	assert_null(find_box(x, "f")); /* siblings stay out */
	assert_null(strstr(row(x, 2), "f"));

	/* flipped: the callers go below the zoomed frame, the root last */
	flame_set_flipped(x->fl, true);
	render(x, 80, 20);
	assert_ancestor_row(x, 19, "all", 80);
	assert_ancestor_row(x, 18, "main", 80);
	assert_ancestor_row(x, 17, "a", 80);
	assert_int_equal(flame_row(x->fl, 0), 16);
	assert_string_equal(row(x, 16), "b");
	assert_int_equal(strncmp(row(x, 15), "c", 1), 0);
	flame_set_flipped(x->fl, false);
	render(x, 80, 20);

	/* up from the zoomed root walks the callers, down comes back */
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_string_equal(selected_name(x), "a");
	render(x, 80, 20);
	assert_int_equal(grid_cat(x->g, 0, 2)->col, COL_SELECTED);
	assert_int_equal(grid_cat(x->g, 0, 3)->col, style_frame("b"));
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_string_equal(selected_name(x), "main");
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_int_equal(flame_selected(x->fl)->func, 0);
	assert_false(flame_move(x->fl, FLAME_PARENT));
	assert_false(flame_move(x->fl, FLAME_NEXT));
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "main");
	/* a selected caller survives a rebuilt tree */
	calltree_clear(x->t);
	add(x, "main;a;b;c;d", 30);
	add(x, "main;a;b;e", 10);
	add(x, "main;z", 20);
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "main");
	assert_string_equal(row(x, 1), "main");
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "b");
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "c");
	/* the mouse selects a caller's row */
	render(x, 80, 20);
	assert_true(flame_select_at(x->fl, 40, 1));
	assert_string_equal(selected_name(x), "main");
	/* Enter on a caller zooms out to it */
	assert_true(flame_zoom_in(x->fl));
	render(x, 80, 20);
	assert_string_equal(funcs_name(x->f, flame_zoomed(x->fl)->func), "main");
	assert_int_equal(flame_ancestor_rows(x->fl, NULL, NULL), 1);
	assert_ancestor_row(x, 0, "all", 80);
	assert_int_equal(strncmp(row(x, 1), "main", 4), 0);
	assert_non_null(find_box(x, "z"));
	/* Esc: one level out, no callers left */
	assert_true(flame_zoom_out(x->fl));
	render(x, 80, 20);
	assert_int_equal(flame_ancestor_rows(x->fl, NULL, NULL), 0);
	assert_int_equal(strncmp(row(x, 0), "all", 3), 0);
	assert_int_equal(grid_cat(x->g, 0, 0)->col, style_frame("all"));
	assert_int_equal(grid_cat(x->g, 0, 1)->col, COL_SELECTED);
}

/* Deep zoom: only the nearest callers show, with a marker row for the
 * rest, within a third of the rows. */
static void test_zoom_context_more(void **state)
{
	struct fx *x = *state;
	char stack[1024] = "f0";
	uint32_t shown, more;
	int k;

	for (k = 1; k < 30; k++) {
		size_t len = strlen(stack);
		snprintf(stack + len, sizeof(stack) - len, ";f%d", k);
	}
	add(x, stack, 10);
	render(x, 80, 12);
	for (k = 0; k <= 20; k++)
		assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "f20");
	assert_true(flame_zoom_in(x->fl));
	render(x, 80, 12);
	/* 12 rows: 4 for the callers, the marker and the 3 nearest */
	assert_int_equal(flame_ancestor_rows(x->fl, &shown, &more), 4);
	assert_int_equal(shown, 3);
	assert_int_equal(more, 18); /* of 21 callers: all, f0 .. f16 */
	assert_string_equal(row(x, 0), "\xe2\x80\xa6 18 more");
	assert_int_equal(grid_cat(x->g, 0, 0)->col, COL_FRAME_ANCESTOR);
	assert_ancestor_row(x, 1, "f17", 80);
	assert_ancestor_row(x, 2, "f18", 80);
	assert_ancestor_row(x, 3, "f19", 80);
	assert_string_equal(row(x, 4), "f20");
	assert_string_equal(row(x, 11), "f27");
	/* up stops at the farthest shown caller; the marker selects nothing */
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_string_equal(selected_name(x), "f17");
	assert_false(flame_move(x->fl, FLAME_PARENT));
	assert_false(flame_select_at(x->fl, 3, 0));
	/* flipped: the marker is the bottom row */
	flame_set_flipped(x->fl, true);
	render(x, 80, 12);
	assert_string_equal(row(x, 11), "\xe2\x80\xa6 18 more");
	assert_string_equal(row(x, 10), "f17");
	assert_string_equal(row(x, 7), "f20");
	/* g: back to the zoomed root; G: down to the leaf */
	assert_true(flame_move(x->fl, FLAME_ROOT));
	assert_string_equal(selected_name(x), "f20");
	assert_true(flame_move(x->fl, FLAME_LEAF));
	assert_string_equal(selected_name(x), "f29");
	/* rows the zoomed tower (f20..f29: 10 rows) leaves free go to the
	 * callers: in 40 rows all 21 show, no marker, every one reachable */
	flame_set_flipped(x->fl, false);
	render(x, 80, 40);
	assert_int_equal(flame_ancestor_rows(x->fl, &shown, &more), 21);
	assert_int_equal(shown, 21);
	assert_int_equal(more, 0);
	assert_ancestor_row(x, 1, "f0", 80);
	assert_string_equal(row(x, 21), "f20");
	assert_true(flame_move(x->fl, FLAME_ROOT));
	for (k = 0; k < 21; k++)
		assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_false(flame_move(x->fl, FLAME_PARENT));
}

static void test_navigation(void **state)
{
	struct fx *x = *state;

	add(x, "main;a;x", 30);
	add(x, "main;a;y", 10);
	add(x, "main;b;z", 60);
	add(x, "other", 5);
	render(x, 80, 20);
	assert_int_equal(flame_selected(x->fl)->func, 0); /* the root first */
	assert_false(flame_move(x->fl, FLAME_PARENT));
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "main");
	assert_true(flame_move(x->fl, FLAME_NEXT));
	assert_string_equal(selected_name(x), "other");
	assert_false(flame_move(x->fl, FLAME_NEXT));
	assert_true(flame_move(x->fl, FLAME_PREV));
	assert_string_equal(selected_name(x), "main");
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "b");
	assert_true(flame_move(x->fl, FLAME_PREV));
	assert_string_equal(selected_name(x), "a");
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "x");
	/* moving along a row crosses to the cousins */
	assert_true(flame_move(x->fl, FLAME_NEXT));
	assert_string_equal(selected_name(x), "y");
	assert_true(flame_move(x->fl, FLAME_NEXT));
	assert_string_equal(selected_name(x), "z");
	assert_true(flame_move(x->fl, FLAME_PREV));
	/* up and down again returns to where we were */
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_string_equal(selected_name(x), "a");
	assert_true(flame_move(x->fl, FLAME_PARENT));
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_true(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(selected_name(x), "y");
	/* g / G */
	assert_true(flame_move(x->fl, FLAME_ROOT));
	assert_int_equal(flame_selected(x->fl)->func, 0);
	assert_true(flame_move(x->fl, FLAME_LEAF));
	assert_string_equal(selected_name(x), "z");
	/* the selection survives a rebuilt tree (same stacks, new nodes) */
	calltree_clear(x->t);
	add(x, "main;b;z", 60);
	add(x, "main;a;x", 30);
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "z");
	/* and falls back to the deepest ancestor that still exists */
	calltree_clear(x->t);
	add(x, "main;b", 60);
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "b");
	/* mouse: the box under a cell */
	assert_true(flame_select_at(x->fl, 5, 1));
	assert_string_equal(selected_name(x), "main");
	assert_false(flame_select_at(x->fl, 5, 7));
}

static void test_scroll_keeps_selection(void **state)
{
	struct fx *x = *state;
	char stack[1024] = "f0";
	int k;

	for (k = 1; k < 30; k++) {
		size_t len = strlen(stack);
		snprintf(stack + len, sizeof(stack) - len, ";f%d", k);
	}
	add(x, stack, 10);
	render(x, 80, 10);
	assert_true(flame_move(x->fl, FLAME_LEAF));
	render(x, 80, 10);
	assert_string_equal(selected_name(x), "f29");
	assert_int_equal(flame_row(x->fl, 30), 9); /* the leaf on the last row */
	assert_string_equal(row(x, 9), "f29");
	assert_int_equal(flame_row(x->fl, 0), -1);
	flame_set_flipped(x->fl, true);
	render(x, 80, 10);
	assert_string_equal(row(x, 0), "f29");
}

static void test_sort_orders(void **state)
{
	struct fx *x = *state;

	add(x, "a", 10);
	add(x, "b", 30);
	add(x, "c", 20);
	render(x, 60, 10);
	assert_true(find_box(x, "a")->x0 < find_box(x, "b")->x0);
	assert_true(find_box(x, "b")->x0 < find_box(x, "c")->x0);
	flame_set_sort(x->fl, FLAME_BY_WEIGHT);
	render(x, 60, 10);
	assert_int_equal(find_box(x, "b")->x0, 0);
	assert_int_equal(find_box(x, "c")->x0, 30);
	assert_int_equal(find_box(x, "a")->x0, 50);
}

static void test_select_func(void **state)
{
	struct fx *x = *state;

	add(x, "main;a;leaf", 5);
	add(x, "main;b;leaf", 50);
	add(x, "main;c", 1000);
	render(x, 80, 20);
	assert_true(flame_select_func(x->fl, funcs_intern(x->f, "leaf", "mod")));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "leaf");
	assert_string_equal(funcs_name(x->f, flame_selected(x->fl)->parent->func), "b");
	assert_false(flame_select_func(x->fl, funcs_intern(x->f, "nowhere", "mod")));
	/* a function too narrow to show is zoomed into view */
	add(x, "main;c;rare", 1);
	render(x, 80, 20);
	assert_true(flame_select_func(x->fl, funcs_intern(x->f, "rare", "mod")));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "rare");
	assert_non_null(find_box(x, "rare"));
}

static void test_empty_tree(void **state)
{
	struct fx *x = *state;
	size_t n;

	render(x, 80, 20);
	flame_boxes(x->fl, &n);
	assert_int_equal(n, 0);
	assert_null(flame_selected(x->fl));
	assert_false(flame_move(x->fl, FLAME_CHILD));
	assert_string_equal(row(x, 0), "");
}

#define DEEP 100000

/* One stack 100,000 frames deep (main, recurse_step..., deep_leaf): the
 * layout, the walk to the leaf, zoom, search share and drawing neither
 * recurse per level nor take time per level squared. */
static void test_deep_stack(void **state)
{
	struct fx *x = *state;
	uint32_t *ids = malloc(DEEP * sizeof(*ids));
	uint32_t leaf, shown, more;
	double all, zoom;
	size_t n, i;
	const struct flame_box *b;
	char want[64];

	assert_non_null(ids);
	ids[0] = funcs_intern(x->f, "main", "mod");
	for (i = 1; i < DEEP - 1; i++)
		ids[i] = funcs_intern(x->f, "recurse_step", "mod");
	leaf = ids[DEEP - 1] = funcs_intern(x->f, "deep_leaf", "mod");
	assert_non_null(calltree_add(x->t, ids, DEEP, 7, 7));
	add(x, "main;side", 7); /* a sibling half as wide */
	free(ids);
	render(x, 80, 20);
	b = flame_boxes(x->fl, &n);
	assert_int_equal(n, DEEP + 2); /* the root, the tower, side */
	assert_int_equal(b[n - 1].rel, 2);
	assert_string_equal(funcs_name(x->f, b[n - 1].node->func), "side");
	assert_int_equal(flame_boxes(x->fl, &n)[DEEP].rel, DEEP);
	assert_true(strncmp(row(x, 0), "all", 3) == 0);
	assert_true(strncmp(row(x, 1), "main", 4) == 0);
	assert_true(strncmp(row(x, 2), "recurse_step", 12) == 0);
	/* to the leaf, then zoomed there: callers as rows, a marker */
	assert_true(flame_move(x->fl, FLAME_LEAF));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "deep_leaf");
	assert_int_equal(flame_selected(x->fl)->depth, DEEP);
	assert_true(flame_zoom_in(x->fl));
	render(x, 80, 20);
	assert_int_equal(flame_zoomed(x->fl)->depth, DEEP);
	flame_ancestor_rows(x->fl, &shown, &more);
	assert_int_equal(shown + more, DEEP);
	assert_true(shown > 0 && shown < 20);
	snprintf(want, sizeof(want), "%s %lu more", "\xe2\x80\xa6", (unsigned long)more);
	assert_string_equal(row(x, 0), want);
	assert_true(strncmp(row(x, (int)shown + 1), "deep_leaf", 9) == 0);
	assert_true(strncmp(row(x, (int)shown), "recurse_step", 12) == 0);
	/* the search share walks the whole tower */
	assert_int_equal(flame_search(x->fl, "^deep_leaf$", NULL, 0), 0);
	flame_match_share(x->fl, &all, &zoom);
	assert_true(all > 0.49 && all < 0.51);
	assert_true(zoom > 0.99);
	/* the heaviest node of a function, found from the root */
	flame_reset(x->fl);
	render(x, 80, 20);
	assert_true(flame_select_func(x->fl, leaf));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "deep_leaf");
	/* flame orientation: the root on the bottom row */
	flame_reset(x->fl);
	flame_set_flipped(x->fl, true);
	render(x, 80, 20);
	assert_true(strncmp(row(x, 19), "all", 3) == 0);
	assert_true(strncmp(row(x, 18), "main", 4) == 0);
}

/* Down and G pick the heaviest child; between equals, the first by name
 * (as the layout orders siblings), in either order of siblings. */
static void test_heaviest_child_ties(void **state)
{
	struct fx *x = *state;

	add(x, "main;zeta;z1", 10);
	add(x, "main;alpha;a1", 10);
	add(x, "main;mid", 5);
	for (int sort = 0; sort < 2; sort++) {
		flame_reset(x->fl);
		flame_set_sort(x->fl, sort ? FLAME_BY_WEIGHT : FLAME_BY_NAME);
		render(x, 80, 20);
		assert_true(flame_move(x->fl, FLAME_LEAF));
		render(x, 80, 20);
		assert_string_equal(selected_name(x), "a1");
	}
	/* the remembered way down wins over the heavier child */
	flame_reset(x->fl);
	render(x, 80, 20);
	assert_true(flame_select_at(x->fl, find_box(x, "zeta")->x0, 2));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "zeta");
	flame_move(x->fl, FLAME_PARENT);
	flame_move(x->fl, FLAME_PARENT);
	render(x, 80, 20);
	assert_true(flame_move(x->fl, FLAME_CHILD));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "main");
	assert_true(flame_move(x->fl, FLAME_CHILD));
	render(x, 80, 20);
	assert_string_equal(selected_name(x), "zeta");
}

/* The selected-frame line wraps at blanks and " | ", never inside a
 * token ("7.91%", "[cpp]") unless the token is wider than the line. */
static void test_wrap_at_separators(void **state)
{
	static const char text[] =
	    " ns::Parser::parse_header(char const*) [cpp] | 25 samples | 7.91% of all"
	    " | 12.50% of zoom";
	const char *tokens[32];
	char copy[256], line[256], *save = NULL, *tok;
	size_t ntok = 0, i, j, t;
	struct grid *g;
	int w, y, rows;

	snprintf(copy, sizeof(copy), "%s", text);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (strcmp(tok, "|"))
			tokens[ntok++] = tok;
	for (w = 12; w <= 100; w++) {
		g = grid_new(w, 12, true);
		assert_non_null(g);
		rows = grid_put_wrapped(g, 0, 0, w, 1, 12, text, COL_STATUS, 0);
		assert_int_equal(rows, grid_put_wrapped(NULL, 0, 0, w, 1, 12, text, 0, 0));
		assert_true(rows >= 1 && rows <= 12);
		/* the rows' tokens, in order, are the text's tokens: none cut,
		 * no row starts or ends with a lone "|" */
		t = 0;
		for (y = 0; y < rows; y++) {
			char *first = NULL, *last = NULL;

			grid_row_text(g, y, line, sizeof(line));
			assert_true(grid_text_width(line) <= w);
			save = NULL;
			for (tok = strtok_r(line, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				if (!first)
					first = tok;
				last = tok;
				if (!strcmp(tok, "|"))
					continue;
				assert_true(t < ntok);
				if (strcmp(tok, tokens[t])) {
					/* only a token wider than the row may be cut */
					assert_true(grid_text_width(tokens[t]) > w - 1);
					break;
				}
				t++;
			}
			assert_non_null(first);
			assert_string_not_equal(first, "|");
			assert_string_not_equal(last, "|");
			if (tok)
				break;
		}
		if (y == rows) {
			assert_int_equal(t, ntok);
		}
		grid_free(g);
	}
	/* the reviewer's cases at 40 columns */
	g = grid_new(40, 6, true);
	rows = grid_put_wrapped(g, 0, 0, 40, 1, 6, text, COL_STATUS, 0);
	for (y = 0; y < rows; y++) {
		grid_row_text(g, y, line, sizeof(line));
		i = strlen(line);
		j = strspn(line, " ");
		assert_true(i == 0 || line[i - 1] != '.');
		assert_false(line[j] == '%' || !strncmp(line + j, "91%", 3));
		assert_false(strstr(line, "[cpp") && !strstr(line, "[cpp]"));
	}
	grid_free(g);
	/* a token wider than the row is cut, and nothing is lost */
	g = grid_new(5, 4, true);
	assert_int_equal(grid_put_wrapped(g, 0, 0, 5, 0, 4, "abcdefgh ij", COL_STATUS, 0), 3);
	grid_row_text(g, 0, line, sizeof(line));
	assert_string_equal(line, "abcde");
	grid_row_text(g, 1, line, sizeof(line));
	assert_string_equal(line, "fgh");
	grid_row_text(g, 2, line, sizeof(line));
	assert_string_equal(line, "ij");
	grid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_widths_proportional, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resize, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge_marker, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zero_total_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_orientation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zoom, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zoom_context, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zoom_context_more, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_navigation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scroll_keeps_selection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sort_orders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_select_func, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deep_stack, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_heaviest_child_ties, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_narrow_boxes, setup, teardown),
	    cmocka_unit_test(test_wrap_at_separators),
	};

	return cmocka_run_group_tests_name("flameview", tests, NULL, NULL);
}
