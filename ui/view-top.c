/*
 * view-top.c - the top table view: functions by self or total weight,
 * filtered with /, Enter shows the function in the graph (every occurrence
 * highlighted as by a search, the heaviest selected), Esc goes back.
 * Against a baseline (app_diff), every function of both with its shares
 * and their change, the largest change first.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "style.h"
#include "toptable.h"
#include "view.h"

struct tview {
	struct toptable *tt;
	char saved[256];
	int rows; /* rows of the table at the last draw */
};

/* clang-format off */
static const struct binding top_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "row up", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "row down", "move", false},
	{{K_PGUP, K_CTRL('b')}, ACT_PAGE_UP, "a page up", NULL, false},
	{{K_PGDN, ' ', K_CTRL('f')}, ACT_PAGE_DOWN, "a page down", NULL, false},
	{{K_CTRL('u')}, ACT_HALF_UP, "half a page up", NULL, false},
	{{K_CTRL('d')}, ACT_HALF_DOWN, "half a page down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "first row", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "last row", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "the function in the graph: every occurrence highlighted, n/N walk them", "show in graph", false},
	{{K_ESC}, ACT_BACK, "back to the graph", "back", false},
	{{'1'}, ACT_SORT_SELF, "sort by self", "sort", false},
	{{'2'}, ACT_SORT_TOTAL, "sort by total", "sort", false},
	{{'/'}, ACT_SEARCH, "filter rows (extended regex, any case)", "filter", false},
	{{'c'}, ACT_CALLERS, "callers view of the row's function", "callers", false},
	{{'L'}, ACT_LINES, "the function's hot source lines", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static void top_view_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct tview *tv = v->data;
	char line[512];
	const char *pat;

	struct difftree *dt = app_diff(a);
	int rc = dt ? toptable_update_diff(tv->tt, dt, app_funcs(a))
		    : toptable_update(tv->tt, app_tree(a), app_funcs(a));

	if (rc < 0)
		app_message(a, true, "out of memory computing the table");
	tv->rows = r.h - 2;
	toptable_draw(tv->tt, g, r.x, r.y, r.w, r.h - 1);
	pat = toptable_pattern(tv->tt);
	snprintf(line, sizeof(line), " %zu function%s%s%s%s | sorted by %s%s (1: self, 2: total)",
		 toptable_rows(tv->tt), toptable_rows(tv->tt) == 1 ? "" : "s",
		 pat ? " matching /" : "", pat ? pat : "", pat ? "/" : "",
		 dt ? "the change of " : "",
		 toptable_sort(tv->tt) == TOP_BY_SELF ? "self" : "total");
	grid_fill(g, r.x, r.y + r.h - 1, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, r.y + r.h - 1, r.w, line, COL_STATUS, 0);
}

static void filter_changed(struct app *a, void *arg, const char *text)
{
	struct tview *tv = arg;

	toptable_filter(tv->tt, text, NULL, 0);
}

static void filter_done(struct app *a, void *arg, const char *text)
{
	struct tview *tv = arg;
	char err[256];

	if (!text) {
		toptable_filter(tv->tt, tv->saved, NULL, 0);
		return;
	}
	if (toptable_filter(tv->tt, text, err, sizeof(err)) < 0) {
		app_message(a, true, "bad pattern /%s/: %s", text, err);
		toptable_filter(tv->tt, tv->saved, NULL, 0);
	}
}

static enum ui_result top_view_key(struct view *v, struct app *a, enum action act,
				   const struct ui_event *ev)
{
	struct tview *tv = v->data;
	const char *pat;

	if (ev->key == K_MOUSE) {
		switch (ev->mouse) {
		case MOUSE_CLICK:
			toptable_select_at(tv->tt, ev->my);
			return UI_REDRAW;
		case MOUSE_DOUBLE:
			if (toptable_select_at(tv->tt, ev->my) && toptable_selected(tv->tt))
				app_show_func(a, toptable_selected(tv->tt));
			return UI_REDRAW;
		case MOUSE_WHEEL_UP:
			toptable_move(tv->tt, -3);
			return UI_REDRAW;
		case MOUSE_WHEEL_DOWN:
			toptable_move(tv->tt, 3);
			return UI_REDRAW;
		default:
			return UI_HANDLED;
		}
	}
	switch (act) {
	case ACT_UP:
		toptable_move(tv->tt, -1);
		return UI_REDRAW;
	case ACT_DOWN:
		toptable_move(tv->tt, 1);
		return UI_REDRAW;
	case ACT_PAGE_UP:
		toptable_move(tv->tt, -(tv->rows > 1 ? tv->rows : 1));
		return UI_REDRAW;
	case ACT_PAGE_DOWN:
		toptable_move(tv->tt, tv->rows > 1 ? tv->rows : 1);
		return UI_REDRAW;
	case ACT_HALF_UP:
		toptable_move(tv->tt, -(tv->rows > 3 ? tv->rows / 2 : 1));
		return UI_REDRAW;
	case ACT_HALF_DOWN:
		toptable_move(tv->tt, tv->rows > 3 ? tv->rows / 2 : 1);
		return UI_REDRAW;
	case ACT_CALLERS:
		if (toptable_selected(tv->tt))
			app_show_view(a, &view_callers_ops, toptable_selected(tv->tt));
		return UI_REDRAW;
	case ACT_BACK:
		app_show_main(a);
		return UI_REDRAW;
	case ACT_TOP:
		toptable_move_to(tv->tt, 0);
		return UI_REDRAW;
	case ACT_BOTTOM:
		toptable_move_to(tv->tt, (size_t)-1);
		return UI_REDRAW;
	case ACT_SORT_SELF:
		toptable_set_sort(tv->tt, TOP_BY_SELF);
		return UI_REDRAW;
	case ACT_SORT_TOTAL:
		toptable_set_sort(tv->tt, TOP_BY_TOTAL);
		return UI_REDRAW;
	case ACT_SEARCH:
		pat = toptable_pattern(tv->tt);
		snprintf(tv->saved, sizeof(tv->saved), "%s", pat ? pat : "");
		app_prompt(a, "filter /", "", filter_changed, filter_done, tv);
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		if (toptable_selected(tv->tt))
			app_show_func(a, toptable_selected(tv->tt));
		return UI_REDRAW;
	case ACT_LINES:
		view_lines_show(a, toptable_selected(tv->tt));
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void top_view_free(struct view *v)
{
	struct tview *tv = v->data;

	if (!tv)
		return;
	toptable_free(tv->tt);
	free(tv);
	v->data = NULL;
}

static int top_view_init(struct view *v)
{
	struct tview *tv = calloc(1, sizeof(*tv));

	if (!tv || !(tv->tt = toptable_new())) {
		free(tv);
		return -ENOMEM;
	}
	v->data = tv;
	return 0;
}

/* A table of no rows says so ("0 functions"): always there too. */
const struct view_ops view_top_ops = {
    .name = "top table",
    .short_name = "table",
    .kind = VIEW_MAIN,
    .keys = top_keys,
    .init = top_view_init,
    .draw = top_view_draw,
    .key = top_view_key,
    .free = top_view_free,
};
