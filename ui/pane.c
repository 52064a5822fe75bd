/*
 * pane.c - the output pane (see pane.h): the target's terminal drawn
 * cell by cell, its colours mapped to the COL_TERM purposes (style.h),
 * and keys typed into it turned into what a terminal sends.
 *
 * Scrolled back, the pane counts its offset in lines from the bottom and
 * adds the lines pushed into the scrollback since it last looked, so it
 * stays on what the user is reading while the target goes on writing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pane.h"
#include "style.h"

struct pane {
	struct vtpane *vt;
	size_t offset; /* lines scrolled back from the bottom */
	uint64_t seen; /* vtpane_pushed when offset was last set */
	int rows;      /* terminal rows shown at the last draw */
	struct vtpane_cell *line;
	size_t cap;
};

struct pane *pane_new(struct vtpane *vt)
{
	struct pane *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->vt = vt;
	return p;
}

void pane_free(struct pane *p)
{
	if (!p)
		return;
	free(p->line);
	free(p);
}

int pane_height(int screen_h)
{
	int body = screen_h - 2; /* less the header and the bottom line */

	return body / 3 > 3 ? body / 3 : 3;
}

void pane_term_size(int w, int h, int *rows, int *cols)
{
	*rows = pane_height(h) - 1;
	*cols = w > 1 ? w : 1;
}

void pane_resize(struct pane *p, int w, int h)
{
	int rows, cols;

	pane_term_size(w, h, &rows, &cols);
	vtpane_resize(p->vt, rows, cols);
}

/* The offset kept on the same lines, within what is there. */
static void settle(struct pane *p)
{
	uint64_t pushed = vtpane_pushed(p->vt);
	size_t total = vtpane_lines(p->vt), shown = p->rows > 0 ? (size_t)p->rows : 1;

	if (p->offset > 0)
		p->offset += (size_t)(pushed - p->seen);
	p->seen = pushed;
	if (p->offset + shown > total)
		p->offset = total > shown ? total - shown : 0;
}

void pane_scroll(struct pane *p, int lines)
{
	settle(p);
	if (lines < 0 && (size_t)-lines >= p->offset)
		p->offset = 0;
	else
		p->offset += lines;
	settle(p);
}

void pane_scroll_page(struct pane *p, int dir)
{
	int half = p->rows / 2 > 1 ? p->rows / 2 : 1;

	pane_scroll(p, dir > 0 ? half : -half);
}

/* The purpose and attributes of a cell of the target's. */
static void cell_style(const struct vtpane_cell *c, uint8_t *col, uint8_t *attr)
{
	*col = (uint8_t)COL_TERM_PAIR(c->fg, c->bg);
	*attr = 0;
	if (c->attr & VTPANE_BOLD)
		*attr |= ATTR_BOLD;
	if (c->attr & VTPANE_UNDERLINE)
		*attr |= ATTR_UNDERLINE;
	if (c->attr & VTPANE_REVERSE)
		*attr |= ATTR_REVERSE;
}

void pane_draw(struct pane *p, struct grid *g, struct rect r, bool typing)
{
	size_t total, first, i, n, k;
	int trows, tcols, crow, ccol, y;
	bool cursor;
	char title[256];

	if (r.h < 1)
		return;
	p->rows = r.h - 1;
	settle(p);
	vtpane_size(p->vt, &trows, &tcols);
	total = vtpane_lines(p->vt);
	if (typing)
		snprintf(title, sizeof(title),
			 " TYPING INTO THE TARGET: keys go to it; C-] returns to the viewer");
	else if (p->offset > 0)
		snprintf(title, sizeof(title),
			 " output of the target: %zu lines back of %zu  (} forward, { back)",
			 p->offset, total);
	else
		snprintf(title, sizeof(title),
			 " output of the target%s  (o hides, I types into it, { scrolls back)",
			 vtpane_fd(p->vt) < 0 ? ", its terminal closed" : "");
	grid_fill(g, r.x, r.y, r.w, ' ', COL_PANE, 0);
	grid_put(g, r.x, r.y, r.w, title, COL_PANE, typing ? ATTR_BOLD : 0);
	for (y = 1; y < r.h; y++)
		grid_fill(g, r.x, r.y + y, r.w, ' ', COL_DEFAULT, 0);
	if (p->cap < (size_t)r.w) {
		struct vtpane_cell *l = realloc(p->line, (size_t)r.w * sizeof(*l));

		if (!l)
			return;
		p->line = l;
		p->cap = (size_t)r.w;
	}
	/* the rows end offset lines above the bottom */
	first = total > p->offset + (size_t)p->rows ? total - p->offset - (size_t)p->rows : 0;
	for (y = 0, i = first; y < p->rows && i < total; y++, i++) {
		n = vtpane_line(p->vt, i, p->line, (size_t)r.w);
		for (k = 0; k < n; k++) {
			struct cell *c = grid_at(g, r.x + (int)k, r.y + 1 + y);

			if (!c)
				break;
			c->ch = p->line[k].ch;
			if (!g->utf8 && (c->ch >= 0x80 || c->ch == 0))
				c->ch = '?';
			cell_style(&p->line[k], &c->col, &c->attr);
		}
	}
	/* the cursor, where the target has it, while typing */
	cursor = vtpane_cursor(p->vt, &crow, &ccol);
	if (typing && cursor && p->offset == 0 && total >= (size_t)trows) {
		size_t line = total - (size_t)trows + (size_t)crow;

		if (line >= first && line < first + (size_t)p->rows) {
			struct cell *c = grid_at(g, r.x + ccol, r.y + 1 + (int)(line - first));

			if (c) {
				if (c->col < COL_TERM)
					c->col = COL_TERM_PAIR(0, 0);
				c->attr ^= ATTR_REVERSE;
			}
		}
	}
}

int pane_send(struct pane *p, const struct ui_event *ev)
{
	static const struct {
		int key;
		enum vtpane_key k;
	} keys[] = {
	    {K_ENTER, VTPANE_KEY_ENTER}, {K_TAB, VTPANE_KEY_TAB},
	    {K_BTAB, VTPANE_KEY_BTAB},	 {K_BACKSPACE, VTPANE_KEY_BACKSPACE},
	    {K_ESC, VTPANE_KEY_ESC},	 {K_UP, VTPANE_KEY_UP},
	    {K_DOWN, VTPANE_KEY_DOWN},	 {K_LEFT, VTPANE_KEY_LEFT},
	    {K_RIGHT, VTPANE_KEY_RIGHT}, {K_HOME, VTPANE_KEY_HOME},
	    {K_END, VTPANE_KEY_END},	 {K_PGUP, VTPANE_KEY_PGUP},
	    {K_PGDN, VTPANE_KEY_PGDN},	 {K_DEL, VTPANE_KEY_DEL},
	    {K_F1, VTPANE_KEY_F1},
	};
	size_t i;

	if (ev->key == K_MOUSE || ev->key == K_RESIZE)
		return -EINVAL;
	p->offset = 0; /* typing shows where it goes, as terminals do */
	if (ev->key == K_CTRL_C)
		return vtpane_send_intr(p->vt);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].key == ev->key)
			return vtpane_send_key(p->vt, keys[i].k);
	if (ev->key < 0 || ev->key >= K_BASE)
		return -EINVAL;
	return vtpane_send_char(p->vt, (uint32_t)ev->key);
}
