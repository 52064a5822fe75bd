/*
 * view-callers.c - the callers view: one function's callers and callees,
 * each merged across every place it is called from (callers.h), as one
 * list with the function in the middle:
 *
 *    TOTAL%   SELF%  callers of crunch (nearest first, theirs indented)
 *    50.1%           parse_input
 *    50.1%             main
 *    ...
 *    99.8%   99.5%  = crunch [prog]
 *     0.3%    0.3%   helper
 *   callers view: crunch | 3 callers, 1 callee | shares of all | Esc back
 *
 * c in the graph or the table opens it on the selected function; Enter
 * centres it on the selected row's function (remembered: Esc goes back
 * one, and from the first to the view it was opened from).  The lists are
 * computed again whenever the tree changes (a live profile's tick).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callers.h"
#include "style.h"
#include "util.h"
#include "view.h"

#define HISTORY 64

enum row_kind { ROW_CALLER, ROW_CENTRE, ROW_CALLEE };

struct row {
	enum row_kind kind;
	const struct ctnode *node;
	uint32_t level;
};

struct cview {
	uint32_t func; /* the centre; 0: none chosen yet */
	uint32_t history[HISTORY];
	size_t nhist;
	struct callers c;
	const struct calltree *tree; /* what c was computed from ... */
	uint64_t gen;		     /* ... and its generation */
	uint32_t cfunc;		     /* ... for this centre */
	struct row *rows;
	size_t nrows, ncallers, ncallees;
	size_t cursor, first;
	int shown; /* list rows at the last draw */
};

/* clang-format off */
static const struct binding callers_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "callers view: row up", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "callers view: row down", "move", false},
	{{K_PGUP}, ACT_PAGE_UP, "callers view: a page up", NULL, false},
	{{K_PGDN}, ACT_PAGE_DOWN, "callers view: a page down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "callers view: first row", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "callers view: last row", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "centre the callers view on the selected row's function", "centre", false},
	{{K_ESC, K_BACKSPACE, 'u'}, ACT_ZOOM_OUT, "back to the function centred before, or to the view it came from", "back", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static void forget(struct cview *cv)
{
	callers_release(&cv->c);
	free(cv->rows);
	cv->rows = NULL;
	cv->nrows = cv->ncallers = cv->ncallees = 0;
	cv->tree = NULL;
}

/* Appends the rows of tree t (up or down) as kind; 0 or -ENOMEM. */
static int add_rows(struct cview *cv, struct calltree *t, enum row_kind kind, size_t *count)
{
	struct callers_row *r;
	long n = callers_rows(t, false, 0, &r);
	struct row *nr;

	if (n < 0)
		return -ENOMEM;
	nr = realloc(cv->rows, (cv->nrows + (size_t)n + 1) * sizeof(*nr));
	if (!nr) {
		free(r);
		return -ENOMEM;
	}
	cv->rows = nr;
	for (long i = 0; i < n; i++)
		cv->rows[cv->nrows++] = (struct row){kind, r[i].node, r[i].level};
	*count = (size_t)n;
	free(r);
	return 0;
}

/* Computes the lists again if the tree or the centre changed. */
static int refresh(struct cview *cv, struct app *a)
{
	struct calltree *t = app_tree(a);

	if (cv->tree == t && cv->gen == calltree_gen(t) && cv->cfunc == cv->func && cv->rows)
		return 0;
	forget(cv);
	if (callers_compute(&cv->c, t, &cv->func, 1) < 0)
		return -ENOMEM;
	if (add_rows(cv, cv->c.up, ROW_CALLER, &cv->ncallers) < 0)
		goto out_nomem;
	cv->rows[cv->nrows++] = (struct row){ROW_CENTRE, callers_node(cv->c.down), 0};
	if (add_rows(cv, cv->c.down, ROW_CALLEE, &cv->ncallees) < 0)
		goto out_nomem;
	cv->tree = t;
	cv->gen = calltree_gen(t);
	cv->cfunc = cv->func;
	return 0;

out_nomem:
	forget(cv);
	return -ENOMEM;
}

/* Puts a cursor left at -1 by centre() on the centre row. */
static void cursor_on_centre(struct cview *cv)
{
	if (cv->cursor == (size_t)-1 || cv->cursor >= cv->nrows)
		cv->cursor = cv->ncallers < cv->nrows ? cv->ncallers : 0;
}

static void draw_row(struct cview *cv, struct app *a, struct grid *g, struct rect r, int y,
		     size_t i)
{
	const struct row *x = &cv->rows[i];
	const struct funcs *f = app_funcs(a);
	const char *mod = funcs_module(f, x->node->func);
	uint64_t all = cv->c.all_weight;
	char line[1024], self[16] = "";
	bool sel = i == cv->cursor;
	uint8_t col = sel ? COL_SELECTED : x->kind == ROW_CENTRE ? COL_TABLE_HEAD : COL_DEFAULT;
	int indent = x->level ? 2 * (int)(x->level - 1) : 0;

	if (indent > r.w / 2)
		indent = r.w / 2;
	if (x->kind != ROW_CALLER)
		snprintf(self, sizeof(self), "%6.1f%%", util_pct(x->node->self_weight, all));
	snprintf(line, sizeof(line), " %6.1f%%  %7s  %s%*s%s%s%s%s",
		 util_pct(x->node->total_weight, all), self, x->kind == ROW_CENTRE ? "= " : "  ",
		 indent, "", funcs_name(f, x->node->func), *mod ? " [" : "",
		 *mod ? util_base_name(mod) : "", *mod ? "]" : "");
	grid_fill(g, r.x, y, r.w, ' ', col, sel ? ATTR_REVERSE : 0);
	grid_put(g, r.x, y, r.w, line, col,
		 (sel ? ATTR_REVERSE : 0) | (x->kind == ROW_CENTRE ? ATTR_BOLD : 0));
}

static void callers_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct cview *cv = v->data;
	const struct funcs *f = app_funcs(a);
	char line[512];
	int list = r.h - 2;

	if (r.h < 3)
		return;
	if (refresh(cv, a) < 0) {
		app_message(a, true, "out of memory computing the callers");
		return;
	}
	cursor_on_centre(cv);
	snprintf(line, sizeof(line),
		 "  TOTAL%%    SELF%%    callers of %s (nearest first, theirs indented), then "
		 "callees",
		 funcs_name(f, cv->func));
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	cv->shown = list;
	if (cv->cursor < cv->first)
		cv->first = cv->cursor;
	if (list > 0 && cv->cursor >= cv->first + (size_t)list)
		cv->first = cv->cursor - (size_t)list + 1;
	for (int y = 0; y < list && cv->first + (size_t)y < cv->nrows; y++)
		draw_row(cv, a, g, r, r.y + 1 + y, cv->first + (size_t)y);
	snprintf(line, sizeof(line),
		 " callers view: %s | %zu caller row%s, %zu callee row%s | shares of all%s%s",
		 funcs_name(f, cv->func), cv->ncallers, cv->ncallers == 1 ? "" : "s", cv->ncallees,
		 cv->ncallees == 1 ? "" : "s",
		 callers_found(&cv->c) ? "" : " | not in the profile now",
		 cv->nhist ? " | Esc: the previous function" : " | Esc: back");
	grid_fill(g, r.x, r.y + r.h - 1, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, r.y + r.h - 1, r.w, line, COL_STATUS, 0);
}

static void move(struct cview *cv, long delta)
{
	long c = (long)cv->cursor + delta;

	if (c < 0 || !cv->nrows)
		c = 0;
	else if ((size_t)c >= cv->nrows)
		c = (long)cv->nrows - 1;
	cv->cursor = (size_t)c;
}

/* Centres on func (the previous centre remembered when push). */
static void centre(struct cview *cv, uint32_t func, bool push)
{
	if (push && cv->func && cv->func != func) {
		if (cv->nhist == HISTORY) {
			memmove(cv->history, cv->history + 1, (HISTORY - 1) * sizeof(*cv->history));
			cv->nhist--;
		}
		cv->history[cv->nhist++] = cv->func;
	}
	cv->func = func;
	forget(cv);
	/* the cursor on the centre: placed after the next refresh */
	cv->cursor = (size_t)-1;
	cv->first = 0;
}

static enum ui_result callers_key(struct view *v, struct app *a, enum action act,
				  const struct ui_event *ev)
{
	struct cview *cv = v->data;
	long page = cv->shown > 1 ? cv->shown : 1;

	if (refresh(cv, a) < 0)
		return UI_HANDLED;
	cursor_on_centre(cv);
	if (ev->key == K_MOUSE) {
		long row = (long)cv->first + ev->my - 1;

		if (ev->my < 1 || row >= (long)cv->nrows)
			return UI_HANDLED;
		cv->cursor = (size_t)row;
		if (ev->mouse == MOUSE_DOUBLE)
			act = ACT_ZOOM_IN;
		else if (ev->mouse == MOUSE_WHEEL_UP || ev->mouse == MOUSE_WHEEL_DOWN)
			move(cv, ev->mouse == MOUSE_WHEEL_UP ? -3 : 3);
		if (act != ACT_ZOOM_IN)
			return UI_REDRAW;
	}
	switch (act) {
	case ACT_UP:
		move(cv, -1);
		return UI_REDRAW;
	case ACT_DOWN:
		move(cv, 1);
		return UI_REDRAW;
	case ACT_PAGE_UP:
		move(cv, -page);
		return UI_REDRAW;
	case ACT_PAGE_DOWN:
		move(cv, page);
		return UI_REDRAW;
	case ACT_TOP:
		cv->cursor = 0;
		return UI_REDRAW;
	case ACT_BOTTOM:
		move(cv, (long)cv->nrows);
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		if (cv->cursor < cv->nrows && cv->rows[cv->cursor].kind != ROW_CENTRE)
			centre(cv, cv->rows[cv->cursor].node->func, true);
		return UI_REDRAW;
	case ACT_ZOOM_OUT:
		if (cv->nhist) {
			centre(cv, cv->history[--cv->nhist], false);
			return UI_REDRAW;
		}
		app_show_back(a);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static bool callers_has_data(struct view *v, struct app *a)
{
	struct cview *cv = v->data;

	return cv->func != 0;
}

static bool callers_show_func(struct view *v, struct app *a, uint32_t func)
{
	struct cview *cv = v->data;

	cv->nhist = 0;
	centre(cv, func, false);
	if (refresh(cv, a) < 0)
		return false;
	cursor_on_centre(cv);
	return callers_found(&cv->c);
}

static int callers_init(struct view *v)
{
	struct cview *cv = calloc(1, sizeof(*cv));

	if (!cv)
		return -ENOMEM;
	v->data = cv;
	return 0;
}

static void callers_free(struct view *v)
{
	struct cview *cv = v->data;

	if (!cv)
		return;
	forget(cv);
	free(cv);
	v->data = NULL;
}

/* Reached with c from the graph or the table; Tab visits it once a
 * function was chosen. */
const struct view_ops view_callers_ops = {
    .name = "callers view",
    .short_name = "callers",
    .kind = VIEW_MAIN,
    .keys = callers_keys,
    .init = callers_init,
    .has_data = callers_has_data,
    .draw = callers_draw,
    .key = callers_key,
    .show_func = callers_show_func,
    .free = callers_free,
};
