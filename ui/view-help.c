/*
 * view-help.c - the help overlay, generated from the key binding table
 * (keys.c) for the view under it, plus how the mouse and names work.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "style.h"
#include "view.h"

struct hview {
	int first; /* first line shown (scrolling) */
	int nlines, shown;
};

static const char *const notes[] = {
    "",
    "Mouse: click selects a frame, double-click zooms, the wheel scrolls.",
    "Long names are cut with an ellipsis; C++ names keep their end",
    "  (\xe2\x80\xa6::parse_header); the status line shows the full name.",
    "Widths are shares of the zoomed root; '+' marks frames too narrow",
    "  for a cell.  Search: extended regex, any case; the share counts",
    "  nested matches once.  Up/Down follow the screen in both orientations.",
};

static void help_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct hview *hv = v->data;
	unsigned where = app_help_where(a);
	char keys[64], line[256];
	const char *help;
	int bw = r.w - 4 < 84 ? r.w - 4 : 84, bh = r.h - 2, x0 = r.x + (r.w - bw) / 2;
	int y0 = r.y + 1, y, i, total;
	size_t k;

	total = 0;
	while (keys_help_line((size_t)total, where, keys, sizeof(keys), &help))
		total++;
	hv->nlines = total + (int)(sizeof(notes) / sizeof(notes[0]));
	hv->shown = bh - 2;
	if (hv->first > hv->nlines - hv->shown)
		hv->first = hv->nlines - hv->shown;
	if (hv->first < 0)
		hv->first = 0;
	for (y = 0; y < bh; y++)
		grid_fill(g, x0, y0 + y, bw, ' ', COL_HELP, 0);
	grid_put(g, x0 + 2, y0, bw - 4,
		 hv->nlines > hv->shown ? "flametop keys (Up/Down scroll, any other key closes)"
					: "flametop keys (any key closes)",
		 COL_HELP, ATTR_BOLD);
	for (i = hv->first, y = 1; i < hv->nlines && y < bh - 1; i++, y++) {
		if (i < total) {
			keys_help_line((size_t)i, where, keys, sizeof(keys), &help);
			grid_put(g, x0 + 2, y0 + y, 18, keys, COL_HELP_KEY, ATTR_BOLD);
			grid_put(g, x0 + 21, y0 + y, bw - 23, help, COL_HELP, 0);
		} else {
			k = (size_t)(i - total);
			snprintf(line, sizeof(line), "%s", notes[k]);
			grid_put(g, x0 + 2, y0 + y, bw - 4, line, COL_HELP, 0);
		}
	}
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

static const struct view_ops help_view_ops = {
    .name = "help",
    .where = IN_HELP,
    .draw = help_draw,
    .key = help_key,
    .resize = NULL,
    .free = help_free,
};

int view_help_init(struct view *v)
{
	struct hview *hv = calloc(1, sizeof(*hv));

	if (!hv)
		return -ENOMEM;
	v->ops = &help_view_ops;
	v->data = hv;
	return 0;
}
