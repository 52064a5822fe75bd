/*
 * view-help.c - the help overlay, generated from the binding tables in
 * force under it (the main view's, the shown strips', the screen's; see
 * app_key_tables), plus how the mouse and names work.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"
#include "view.h"

struct hview {
	int first; /* first line shown (scrolling) */
	int nlines, shown;
};

static const char *const notes[] = {
    "",
    "Mouse: click selects a frame, double-click zooms, the wheel scrolls.",
    "Long names are shortened keeping the function's own name: template",
    "  and parameter lists first, then namespaces from the left",
    "  (std::sort<\xe2\x80\xa6>, \xe2\x80\xa6::parse_header); the status line shows the full name.",
    "Widths are shares of the zoomed root; '+' marks frames too narrow",
    "  for a cell.  Search: extended regex, any case; the share counts",
    "  nested matches once.  Up/Down follow the screen in both orientations.",
    "Zoomed in, the callers show as grey rows above (flame: below) the",
    "  zoomed frame; Up reaches them, Enter zooms out to one.",
};

#define KEYS_W 18 /* the keys column */
#define DESC_X 21 /* the descriptions, from the box's left edge */
#define TITLE_LONG "flametop keys (Up/Down scroll, any other key closes)"

/* One help line wrapped (at blanks, see grid_wrap) into w cells from x,
 * continuations indented by indent: display rows *row on; those from
 * `first` are drawn (g non-NULL) at y0 + *y while *y < maxrows.  keys, if
 * any, go before the first row. */
static void put_rows(struct grid *g, int x, int y0, int w, int indent, const char *keys,
		     const char *s, int first, int maxrows, int *row, int *y)
{
	char line[512];
	const char *next;
	size_t len;
	int k = 0, lx;

	do {
		lx = k && indent < w ? indent : 0;
		next = grid_wrap(s, w - lx, &len);
		if (g && *row >= first && *y < maxrows) {
			if (len >= sizeof(line))
				len = sizeof(line) - 1;
			memcpy(line, s, len);
			line[len] = '\0';
			if (keys && k == 0)
				grid_put(g, x - DESC_X + 2, y0 + *y, KEYS_W, keys, COL_HELP_KEY,
					 ATTR_BOLD);
			grid_put(g, x + lx, y0 + *y, w - lx, line, COL_HELP, 0);
			(*y)++;
		}
		(*row)++;
		k++;
		s = next;
	} while (*s);
}

/* Draws (g non-NULL) the display rows from `first` into at most maxrows
 * rows from (x0, y0) of a box bw wide; returns the number of rows all
 * lines take.  Descriptions wrap rather than being cut. */
static int help_lines(struct grid *g, int x0, int y0, int bw, int first, int maxrows,
		      const struct binding *const *tables, size_t n)
{
	char keys[64];
	const char *help;
	int dw = bw - DESC_X - 2, nw = bw - 4, row = 0, y = 0;
	size_t i;

	if (dw < 1)
		dw = 1;
	if (nw < 1)
		nw = 1;
	for (i = 0; keys_help_line(tables, n, i, keys, sizeof(keys), &help); i++)
		put_rows(g, x0 + DESC_X, y0, dw, 0, keys, help, first, maxrows, &row, &y);
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		put_rows(g, x0 + 2, y0, nw, 2, NULL, notes[i], first, maxrows, &row, &y);
	return row;
}

/* The box's width: the longest line when the screen allows, else what
 * the screen has. */
static int help_width(const struct binding *const *tables, size_t n, int avail)
{
	char keys[64];
	const char *help;
	int need = (int)sizeof(TITLE_LONG) - 1 + 4, w;
	size_t i;

	for (i = 0; keys_help_line(tables, n, i, keys, sizeof(keys), &help); i++) {
		w = DESC_X + grid_text_width(help) + 2;
		if (w > need)
			need = w;
	}
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		w = grid_text_width(notes[i]) + 4;
		if (w > need)
			need = w;
	}
	return need < avail ? need : avail;
}

void view_help_render(struct grid *g, struct rect r, const struct binding *const *tables, size_t n,
		      int *first, int *nlines, int *shown)
{
	int bw = help_width(tables, n, r.w - 4), bh, x0, y0 = r.y + 1, y;

	/* as tall as its lines (a title row above, a blank row below), and
	 * clear of the view's status lines at the bottom of r while the
	 * screen has room for them */
	bh = r.h - 4 >= 8 ? r.h - 4 : r.h - 2;
	if (bw < 1 || bh < 3)
		return;
	x0 = r.x + (r.w - bw) / 2;
	/* scrolling is by display row: wrapped lines count as theirs */
	*nlines = help_lines(NULL, 0, 0, bw, 0, 0, tables, n);
	if (*nlines + 2 < bh)
		bh = *nlines + 2;
	*shown = bh - 2;
	if (*first > *nlines - *shown)
		*first = *nlines - *shown;
	if (*first < 0)
		*first = 0;
	for (y = 0; y < bh; y++)
		grid_fill(g, x0, y0 + y, bw, ' ', COL_HELP, 0);
	grid_put(g, x0 + 2, y0, bw - 4,
		 *nlines > *shown ? TITLE_LONG : "flametop keys (any key closes)", COL_HELP,
		 ATTR_BOLD);
	help_lines(g, x0, y0 + 1, bw, *first, *shown, tables, n);
}

static void help_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct hview *hv = v->data;
	const struct binding *tables[VIEW_MAX + 1];
	size_t n = app_key_tables(a, tables, sizeof(tables) / sizeof(tables[0]));

	view_help_render(g, r, tables, n, &hv->first, &hv->nlines, &hv->shown);
}

static enum ui_result help_key(struct view *v, struct app *a, enum action act,
			       const struct ui_event *ev)
{
	struct hview *hv = v->data;

	if (act == ACT_QUIT)
		return UI_QUIT;
	if ((act == ACT_UP || act == ACT_DOWN) && hv->nlines > hv->shown) {
		hv->first += act == ACT_UP ? -1 : 1;
		return UI_REDRAW;
	}
	if (ev->key == K_MOUSE && ev->mouse != MOUSE_CLICK && ev->mouse != MOUSE_DOUBLE)
		return UI_HANDLED;
	app_close_help(a);
	return UI_REDRAW;
}

static void help_free(struct view *v)
{
	free(v->data);
	v->data = NULL;
}

static int help_init(struct view *v)
{
	v->data = calloc(1, sizeof(struct hview));
	return v->data ? 0 : -ENOMEM;
}

/* Open, any key but these closes it. */
static const struct binding help_keys[] = {
    {{K_UP, 'k'}, ACT_UP, "scroll up", NULL, false},
    {{K_DOWN, 'j'}, ACT_DOWN, "scroll down", NULL, false},
    {{K_CTRL_C}, ACT_QUIT, "quit", NULL, false},
    {{0}, ACT_NONE, NULL, NULL, false},
};

const struct view_ops view_help_ops = {
    .name = "help",
    .kind = VIEW_MAIN,
    .keys = help_keys,
    .init = help_init,
    .draw = help_draw,
    .key = help_key,
    .free = help_free,
};
