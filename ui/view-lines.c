/*
 * view-lines.c - the hot lines of one function: its self time line by
 * line, with the source text, as report --lines prints it.
 *
 * L in the flame graph or the top table opens it on the selected
 * function (view_lines_show); Esc or L goes back to where it came from.  The rows come from the
 * live source's line histogram (source_lines, lines.h) at each draw; the
 * source file is read when the function's rows first name it and kept
 * until another file is needed.  A source without lines (a recorded
 * file) is said in the message line, and the view is not opened.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "style.h"
#include "util.h"
#include "view.h"

struct lview {
	uint32_t func;	  /* 0: none chosen yet */
	int first;	  /* first display row shown */
	int nrows, shown; /* display rows at the last draw, and how many fit */
	char *path;	  /* the source file read, or NULL */
	int why;	  /* 0, or why path could not be read */
	struct lines_source src;
};

/* clang-format off */
static const struct binding lines_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "scroll a line up", "scroll", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "scroll a line down", "scroll", false},
	{{K_PGUP}, ACT_PAGE_UP, "a page up", NULL, false},
	{{K_PGDN, ' '}, ACT_PAGE_DOWN, "a page down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "first line", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "last line", NULL, false},
	{{K_ESC, 'L'}, ACT_BACK, "back to the view it was opened from", "back", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

/* The source of file, read when it is not the one held. */
static const struct lines_source *source_of(struct lview *lv, const char *file)
{
	if (!file)
		return NULL;
	if (!lv->path || strcmp(lv->path, file)) {
		lines_source_release(&lv->src);
		free(lv->path);
		lv->path = strdup(file);
		lv->why = lv->path ? lines_source(&lv->src, file) : -ENOMEM;
	}
	return lv->why ? NULL : &lv->src;
}

/* Puts display row i (a file's header or a line) at y when it is shown. */
static void put_row(struct lview *lv, struct grid *g, struct rect r, int *i, int *y,
		    const char *text, uint8_t col, uint8_t attr)
{
	if (*i >= lv->first && *y < r.y + r.h) {
		grid_fill(g, r.x, *y, r.w, ' ', col, attr);
		grid_put(g, r.x, *y, r.w, text, col, attr);
		(*y)++;
	}
	(*i)++;
}

/* text with tabs expanded and control bytes as '?', at most max bytes */
static void plain(char *out, size_t max, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t') {
			do
				out[o++] = ' ';
			while (o % 8 && o + 1 < max);
			continue;
		}
		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[o] = '\0';
}

static void lines_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct lview *lv = v->data;
	struct lines *ls = source_lines(app_source(a));
	struct funcs *f = app_funcs(a);
	const struct ctnode *root = app_tree(a) ? calltree_root(app_tree(a)) : NULL;
	bool counts = source_unit(app_source(a)) == UNIT_SAMPLES;
	uint64_t total = root ? (counts ? root->total_count : root->total_weight) : 0;
	struct lines_row *rows = NULL;
	uint64_t weight = 0, count = 0, self;
	long n = ls ? lines_of(ls, lv->func, &rows, &weight, &count) : 0;
	const char *mod = funcs_module(f, lv->func), *file = NULL;
	char line[1200], value[64], text[1024];
	int i = 0, y = r.y + 1;

	self = counts ? count : weight;
	unit_format(source_unit(app_source(a)), self, value, sizeof(value));
	snprintf(line, sizeof(line), " lines of %s%s%s%s: self %s, %.1f%% of the total | Esc back",
		 funcs_name(f, lv->func), *mod ? " [" : "", *mod ? util_base_name(mod) : "",
		 *mod ? "]" : "", value, util_pct(self, total));
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	lv->shown = r.h > 1 ? r.h - 1 : 1;
	if (n <= 0) {
		grid_put(g, r.x + 1, r.y + 2, r.w - 1,
			 n < 0 ? "out of memory"
			       : "no samples of its own yet (it only calls others, or has not run)",
			 COL_NOTICE, 0);
		lv->nrows = 0;
		return;
	}
	for (long k = 0; k < n; k++) {
		const struct lines_row *row = &rows[k];
		const struct lines_source *src = source_of(lv, row->file);
		uint64_t val = counts ? row->count : row->weight;
		const char *t = NULL;
		size_t len = 0;

		if (!row->file) {
			put_row(lv, g, r, &i, &y, " (no line known)", COL_PANE, 0);
		} else if (!file || strcmp(file, row->file)) {
			file = row->file;
			snprintf(line, sizeof(line), " %s%s%s", file,
				 lv->why ? ": source not readable: " : "",
				 lv->why ? strerror(-lv->why) : "");
			put_row(lv, g, r, &i, &y, line, COL_PANE, 0);
			put_row(lv, g, r, &i, &y, "   LINE   FUNC%  TOTAL%  SOURCE", COL_TABLE_HEAD,
				0);
		}
		if (src)
			t = lines_source_line(src, row->line, &len);
		plain(text, sizeof(text), t ? t : "", len);
		if (row->file)
			snprintf(line, sizeof(line), " %6d  %5.1f%%  %5.1f%%  %s", row->line,
				 util_pct(val, self), util_pct(val, total), text);
		else
			snprintf(line, sizeof(line), " %6s  %5.1f%%  %5.1f%%", "?",
				 util_pct(val, self), util_pct(val, total));
		/* the hot lines stand out */
		put_row(lv, g, r, &i, &y, line, COL_DEFAULT, val * 5 >= self ? ATTR_BOLD : 0);
	}
	lv->nrows = i;
	free(rows);
}

static enum ui_result lines_key(struct view *v, struct app *a, enum action act,
				const struct ui_event *ev)
{
	struct lview *lv = v->data;
	int last = lv->nrows > lv->shown ? lv->nrows - lv->shown : 0;

	(void)ev;
	switch (act) {
	case ACT_UP:
		lv->first--;
		break;
	case ACT_DOWN:
		lv->first++;
		break;
	case ACT_PAGE_UP:
		lv->first -= lv->shown;
		break;
	case ACT_PAGE_DOWN:
		lv->first += lv->shown;
		break;
	case ACT_TOP:
		lv->first = 0;
		break;
	case ACT_BOTTOM:
		lv->first = last;
		break;
	case ACT_BACK:
		app_show_back(a);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
	if (lv->first > last)
		lv->first = last;
	if (lv->first < 0)
		lv->first = 0;
	return UI_REDRAW;
}

void view_lines_show(struct app *a, uint32_t func)
{
	struct lview *lv = app_view_data(a, &view_lines_ops);

	if (!lv)
		return;
	if (!func) {
		app_message(a, false, "select a function first");
		return;
	}
	if (!source_lines(app_source(a))) {
		app_message(a, true, "no source lines: only a live target's samples keep them");
		return;
	}
	app_show_view(a, &view_lines_ops, func);
}

static bool lines_show_func(struct view *v, struct app *a, uint32_t func)
{
	struct lview *lv = v->data;

	(void)a;
	if (lv->func != func)
		lv->first = 0;
	lv->func = func;
	return true;
}

static bool lines_has_data(struct view *v, struct app *a)
{
	struct lview *lv = v->data;

	(void)a;
	return lv->func != 0;
}

static int lines_view_init(struct view *v)
{
	v->data = calloc(1, sizeof(struct lview));
	return v->data ? 0 : -ENOMEM;
}

static void lines_view_free(struct view *v)
{
	struct lview *lv = v->data;

	if (!lv)
		return;
	lines_source_release(&lv->src);
	free(lv->path);
	free(lv);
	v->data = NULL;
}

const struct view_ops view_lines_ops = {
    .name = "hot lines",
    .short_name = "lines",
    .kind = VIEW_MAIN,
    .keys = lines_keys,
    .init = lines_view_init,
    .has_data = lines_has_data,
    .draw = lines_draw,
    .key = lines_key,
    .show_func = lines_show_func,
    .free = lines_view_free,
};
