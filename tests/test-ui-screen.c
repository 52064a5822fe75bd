/*
 * test-ui-screen.c - the screen without a terminal: how the main view and
 * strips share the body (layout), a strip drawn under the flame graph,
 * Tab and Shift-Tab over the registered views with data, and keys and
 * clicks reaching a strip by its own bindings.
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

#include "app.h"
#include "calltree.h"
#include "funcs.h"
#include "grid.h"
#include "keys.h"
#include "layout.h"
#include "source.h"
#include "view.h"

/* Strips above and below, in order; the main view keeps the rest. */
static void test_layout_split(void **state)
{
	struct layout_strip s[3] = {
	    {.side = VIEW_STRIP_BELOW, .want = 3},
	    {.side = VIEW_STRIP_ABOVE, .want = 2},
	    {.side = VIEW_STRIP_BELOW, .want = 1},
	};
	struct rect body = {0, 1, 80, 20}, m;

	layout_split(body, s, 3, &m);
	assert_int_equal(s[1].r.y, 1); /* above: from the top */
	assert_int_equal(s[1].r.h, 2);
	assert_int_equal(m.y, 3);
	assert_int_equal(m.h, 20 - 2 - 3 - 1);
	assert_int_equal(s[0].r.y, m.y + m.h); /* first below: right under it */
	assert_int_equal(s[0].r.h, 3);
	assert_int_equal(s[2].r.y, s[0].r.y + 3);
	assert_int_equal(s[2].r.y + s[2].r.h, body.y + body.h);
	assert_int_equal(s[0].r.w, 80);
	/* too little room: the main view keeps LAYOUT_MIN_MAIN rows, the
	 * strips share the rest in order, the last ones get none */
	body.h = LAYOUT_MIN_MAIN + 4;
	s[1].want = 3;
	layout_split(body, s, 3, &m);
	assert_int_equal(m.h, LAYOUT_MIN_MAIN);
	assert_int_equal(s[0].r.h, 3);
	assert_int_equal(s[1].r.h, 1);
	assert_int_equal(s[2].r.h, 0);
	assert_int_equal(m.y, body.y + 1);
	/* smaller than that: no strip at all */
	body.h = LAYOUT_MIN_MAIN - 1;
	layout_split(body, s, 3, &m);
	assert_int_equal(m.h, body.h);
	assert_int_equal(s[0].r.h + s[1].r.h + s[2].r.h, 0);
}

/* A strip of three rows: "strip row N", counting what reaches it. */
struct dummy {
	bool data;
	int keys, clicks, cx, cy;
};

static struct dummy *last_dummy;

static int dummy_init(struct view *v)
{
	v->data = last_dummy = calloc(1, sizeof(struct dummy));
	last_dummy->data = true;
	return 0;
}

static bool dummy_has_data(struct view *v, struct app *a)
{
	return ((struct dummy *)v->data)->data;
}

static int dummy_rows(struct view *v, struct app *a, int avail)
{
	return 3;
}

static void dummy_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	char line[32];

	for (int y = 0; y < r.h; y++) {
		snprintf(line, sizeof(line), "strip row %d", y);
		grid_put(g, r.x, r.y + y, r.w, line, 0, 0);
	}
}

static enum ui_result dummy_key(struct view *v, struct app *a, enum action act,
				const struct ui_event *ev)
{
	struct dummy *d = v->data;

	if (ev->key == K_MOUSE) {
		d->clicks++;
		d->cx = ev->mx;
		d->cy = ev->my;
		return UI_REDRAW;
	}
	if (act != ACT_SORT_SELF)
		return UI_UNHANDLED;
	d->keys++;
	return UI_REDRAW;
}

static void dummy_free(struct view *v)
{
	free(v->data);
}

/* '1' is not the flame graph's: here the strip's own key */
static const struct binding dummy_keys[] = {
    {{'1'}, ACT_SORT_SELF, "strip: mark", "mark", false},
    {{0}, ACT_NONE, NULL, NULL, false},
};

static const struct view_ops dummy_strip = {
    .name = "dummy strip",
    .short_name = "strip",
    .kind = VIEW_STRIP_BELOW,
    .keys = dummy_keys,
    .init = dummy_init,
    .has_data = dummy_has_data,
    .rows = dummy_rows,
    .draw = dummy_draw,
    .key = dummy_key,
    .free = dummy_free,
};

/* A main view that has data only when told. */
static const struct view_ops dummy_main = {
    .name = "dummy view",
    .short_name = "dummy",
    .kind = VIEW_MAIN,
    .init = dummy_init,
    .has_data = dummy_has_data,
    .draw = dummy_draw,
    .key = dummy_key,
    .free = dummy_free,
};

struct fx {
	struct calltree *t;
	struct funcs *f;
	struct source *src;
	struct app *a;
	struct grid *g;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	uint32_t ids[3];

	assert_non_null(x);
	x->t = calltree_new();
	x->f = funcs_new();
	assert_true(x->t && x->f);
	ids[0] = funcs_intern(x->f, "main", "");
	ids[1] = funcs_intern(x->f, "compute", "");
	ids[2] = funcs_intern(x->f, "hot_loop", "");
	assert_non_null(calltree_add(x->t, ids, 3, 100, 100));
	x->src = source_static(x->t, x->f, "screen.folded");
	x->a = app_new(x->src, NULL);
	x->g = grid_new(120, 24, true);
	assert_true(x->src && x->a && x->g);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	app_free(x->a);
	source_free(x->src);
	grid_free(x->g);
	calltree_free(x->t);
	funcs_free(x->f);
	free(x);
	return 0;
}

static const char *row(struct fx *x, int y)
{
	static char buf[1024];

	grid_row_text(x->g, y, buf, sizeof(buf));
	return buf;
}

static bool key(struct fx *x, int k)
{
	struct ui_event ev = {.key = k};
	bool quit = false;

	return app_key(x->a, &ev, x->g->w, x->g->h, &quit);
}

/* The flame graph keeps the header row and loses three rows at its
 * bottom to the strip; the key bar stays last and names the strip's key. */
static void test_strip_under_flame(void **state)
{
	struct fx *x = *state;
	struct ui_event click = {.key = K_MOUSE, .mouse = MOUSE_CLICK, .mx = 5, .my = 21};
	bool quit = false;
	int y;

	app_draw(x->a, x->g);
	/* without the strip: the graph's info line is the body's last row */
	assert_non_null(strstr(row(x, 0), "screen.folded"));
	assert_true(strncmp(row(x, 1), "all", 3) == 0);
	assert_true(strncmp(row(x, 2), "main", 4) == 0);
	assert_non_null(strstr(row(x, 22), "icicle"));
	assert_int_equal(app_add_view(x->a, &dummy_strip), 0);
	app_draw(x->a, x->g);
	assert_true(strncmp(row(x, 1), "all", 3) == 0);
	/* all of it in hot_loop itself: a wide peak, marked */
	assert_true(strncmp(row(x, 4), "~hot_loop", 9) == 0);
	assert_non_null(strstr(row(x, 19), "icicle")); /* 22 - 3 */
	assert_non_null(strstr(row(x, 18), "all | 100 samples"));
	for (y = 0; y < 3; y++) {
		char want[32];

		snprintf(want, sizeof(want), "strip row %d", y);
		assert_string_equal(row(x, 20 + y), want);
	}
	assert_true(strncmp(row(x, 23), "? help  q quit", 14) == 0);
	assert_non_null(strstr(row(x, 23), "1 mark"));
	/* its key reaches it; the graph's keys still reach the graph */
	assert_true(key(x, '1'));
	assert_int_equal(last_dummy->keys, 1);
	assert_true(key(x, 'j'));
	app_draw(x->a, x->g);
	assert_non_null(strstr(row(x, 18), "main | 100 samples"));
	/* a click in it, in its own coordinates */
	assert_true(app_key(x->a, &click, 120, 24, &quit));
	assert_int_equal(last_dummy->clicks, 1);
	assert_int_equal(last_dummy->cx, 5);
	assert_int_equal(last_dummy->cy, 1);
	/* without data it takes no rows: the graph has them back */
	last_dummy->data = false;
	app_draw(x->a, x->g);
	assert_non_null(strstr(row(x, 22), "icicle"));
	assert_null(strstr(row(x, 23), "1 mark"));
	assert_false(key(x, '1')); /* the graph's: nothing to do */
	assert_int_equal(last_dummy->keys, 1);
}

/* Tab and Shift-Tab visit the main views that have data, in order, and
 * the key bar names where Tab goes. */
static void test_tab_cycle(void **state)
{
	struct fx *x = *state;
	struct dummy *d;

	assert_int_equal(app_add_view(x->a, &dummy_main), 0);
	d = last_dummy;
	d->data = false;
	app_draw(x->a, x->g);
	assert_string_equal(app_view_name(x->a), "flame graph");
	assert_non_null(strstr(row(x, 23), "Tab table"));
	key(x, K_TAB);
	assert_string_equal(app_view_name(x->a), "top table");
	app_draw(x->a, x->g);
	assert_non_null(strstr(row(x, 23), "Tab findings"));
	key(x, K_TAB);
	assert_string_equal(app_view_name(x->a), "findings");
	app_draw(x->a, x->g);
	assert_non_null(strstr(row(x, 23), "Tab graph"));
	key(x, K_TAB); /* the dummy has no data, nor the GC timeline: skipped */
	assert_string_equal(app_view_name(x->a), "flame graph");
	key(x, K_BTAB);
	assert_string_equal(app_view_name(x->a), "findings");
	d->data = true;
	key(x, K_TAB);
	assert_string_equal(app_view_name(x->a), "dummy view");
	key(x, K_TAB);
	assert_string_equal(app_view_name(x->a), "flame graph");
	key(x, K_BTAB);
	assert_string_equal(app_view_name(x->a), "dummy view");
	/* a shown view whose data goes away gives way to the first with data */
	d->data = false;
	app_draw(x->a, x->g);
	assert_string_equal(app_view_name(x->a), "flame graph");
	assert_true(strncmp(row(x, 1), "all", 3) == 0);
}

/* Every registered main view has a name for the key bar and bindings
 * help can list; strips say how many rows they want. */
static void test_registry(void **state)
{
	size_t i, n = 0;

	for (i = 0; view_registry[i]; i++) {
		const struct view_ops *o = view_registry[i];

		assert_non_null(o->name);
		assert_non_null(o->draw);
		assert_non_null(o->key);
		if (o->kind == VIEW_MAIN) {
			assert_non_null(o->short_name);
			n++;
		} else {
			assert_non_null(o->rows);
		}
	}
	assert_true(n >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_split),
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test_setup_teardown(test_strip_under_flame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tab_cycle, setup, teardown),
	};

	return cmocka_run_group_tests_name("ui-screen", tests, NULL, NULL);
}
