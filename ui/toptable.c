/*
 * toptable.c - the top-functions table: self and total per function (from
 * top.h), sortable, filtered by regex, one selected row kept in view.
 *
 * Invariant: shown[] indexes top.rows for the rows passing the filter, in
 * the table's sort order; sel < nshown unless nshown is 0.  The selection
 * follows its function across updates.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difftree.h"
#include "style.h"
#include "toptable.h"
#include "util.h"

struct toptable {
	/* a differential table: top.rows holds only the functions, in the
	 * order of drows, which holds their shares */
	bool diff;
	const struct difftree *dt;
	struct diff_row *drows;
	struct top top;
	bool have_top;
	const struct calltree *tree; /* top was computed from it, */
	uint64_t gen;		     /* at this generation */
	const struct funcs *f;
	enum top_sort sort;
	size_t *shown, nshown, cap;
	size_t sel, first; /* selected row, first row on screen */
	uint32_t selfunc;
	bool have_re;
	regex_t re;
	char *pattern;
};

struct toptable *toptable_new(void)
{
	struct toptable *tt = calloc(1, sizeof(*tt));

	if (tt)
		tt->sort = TOP_BY_SELF;
	return tt;
}

void toptable_free(struct toptable *tt)
{
	if (!tt)
		return;
	if (tt->have_top)
		top_release(&tt->top);
	if (tt->have_re)
		regfree(&tt->re);
	free(tt->pattern);
	free(tt->shown);
	free(tt->drows);
	free(tt);
}

static int refilter(struct toptable *tt)
{
	size_t i;

	tt->nshown = 0;
	if (!tt->have_top)
		return 0;
	if (tt->top.n > tt->cap) {
		size_t *s = realloc(tt->shown, tt->top.n * sizeof(*s));

		if (!s)
			return -ENOMEM;
		tt->shown = s;
		tt->cap = tt->top.n;
	}
	for (i = 0; i < tt->top.n; i++) {
		const struct top_row *r = &tt->top.rows[i];

		if (r->func == 0)
			continue;
		if (tt->have_re && tt->f &&
		    regexec(&tt->re, funcs_name(tt->f, r->func), 0, NULL, 0) != 0)
			continue;
		tt->shown[tt->nshown++] = i;
	}
	/* the selection follows its function */
	tt->sel = 0;
	for (i = 0; i < tt->nshown; i++)
		if (tt->top.rows[tt->shown[i]].func == tt->selfunc)
			tt->sel = i;
	if (tt->nshown)
		tt->selfunc = tt->top.rows[tt->shown[tt->sel]].func;
	return 0;
}

int toptable_update(struct toptable *tt, struct calltree *t, const struct funcs *f)
{
	struct top top;
	int rc;

	tt->f = f;
	if (!t) {
		if (tt->have_top)
			top_release(&tt->top);
		tt->have_top = false;
		return refilter(tt);
	}
	/* a walk of the whole tree: only when it changed (a static
	 * profile is computed once) */
	if (tt->have_top && !tt->diff && tt->tree == t && tt->gen == calltree_gen(t))
		return 0;
	tt->diff = false;
	rc = top_compute(&top, t, TOP_WEIGHT, tt->sort);
	if (rc < 0)
		return rc;
	if (tt->have_top)
		top_release(&tt->top);
	tt->top = top;
	tt->have_top = true;
	tt->tree = t;
	tt->gen = calltree_gen(t);
	return refilter(tt);
}

static enum top_sort diff_sort; /* by_change's key (qsort has no argument) */

/* The largest change of the sort's measure first, then the other's, then
 * by function id. */
static int by_change(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double sa = fabs(a->self_b - a->self_a), sb = fabs(b->self_b - b->self_a);
	double ta = fabs(a->total_b - a->total_a), tb = fabs(b->total_b - b->total_a);
	double ka = diff_sort == TOP_BY_SELF ? sa : ta, kb = diff_sort == TOP_BY_SELF ? sb : tb;
	double oa = diff_sort == TOP_BY_SELF ? ta : sa, ob = diff_sort == TOP_BY_SELF ? tb : sb;

	if (ka != kb)
		return ka > kb ? -1 : 1;
	if (oa != ob)
		return oa > ob ? -1 : 1;
	return (a->func > b->func) - (a->func < b->func);
}

/* Sorts drows by the table's order and lists their functions in top. */
static void diff_order(struct toptable *tt)
{
	diff_sort = tt->sort;
	if (tt->top.n > 1)
		qsort(tt->drows, tt->top.n, sizeof(*tt->drows), by_change);
	for (size_t i = 0; i < tt->top.n; i++)
		tt->top.rows[i] = (struct top_row){.func = tt->drows[i].func};
}

int toptable_update_diff(struct toptable *tt, struct difftree *dt, const struct funcs *f)
{
	const struct diff *d = difftree_funcs(dt);
	size_t n = d ? d->n : 0;
	struct top_row *rows = malloc((n ? n : 1) * sizeof(*rows));
	struct diff_row *drows = malloc((n ? n : 1) * sizeof(*drows));

	if (!rows || !drows) {
		free(rows);
		free(drows);
		return -ENOMEM;
	}
	if (n)
		memcpy(drows, d->rows, n * sizeof(*drows));
	if (tt->have_top)
		top_release(&tt->top);
	free(tt->drows);
	tt->drows = drows;
	tt->top = (struct top){.rows = rows, .n = n};
	tt->have_top = true;
	tt->diff = true;
	tt->dt = dt;
	tt->tree = NULL;
	tt->f = f;
	diff_order(tt);
	return refilter(tt);
}

bool toptable_is_diff(const struct toptable *tt)
{
	return tt->diff;
}

void toptable_set_sort(struct toptable *tt, enum top_sort s)
{
	tt->sort = s;
	if (tt->have_top && tt->diff) {
		diff_order(tt);
		refilter(tt);
	} else if (tt->have_top) {
		top_sort(&tt->top, s);
		refilter(tt);
	}
}

enum top_sort toptable_sort(const struct toptable *tt)
{
	return tt->sort;
}

int toptable_filter(struct toptable *tt, const char *pattern, char *err, size_t errlen)
{
	regex_t re;
	int rc;

	if (!pattern || !*pattern) {
		if (tt->have_re)
			regfree(&tt->re);
		tt->have_re = false;
		free(tt->pattern);
		tt->pattern = NULL;
		return refilter(tt);
	}
	rc = regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		if (err && errlen)
			regerror(rc, &re, err, errlen);
		return -EINVAL;
	}
	if (tt->have_re)
		regfree(&tt->re);
	tt->re = re;
	tt->have_re = true;
	free(tt->pattern);
	tt->pattern = strdup(pattern);
	return refilter(tt);
}

const char *toptable_pattern(const struct toptable *tt)
{
	return tt->have_re ? tt->pattern : NULL;
}

size_t toptable_rows(const struct toptable *tt)
{
	return tt->nshown;
}

const struct top_row *toptable_row(const struct toptable *tt, size_t i)
{
	return i < tt->nshown ? &tt->top.rows[tt->shown[i]] : NULL;
}

uint64_t toptable_grand_total(const struct toptable *tt)
{
	return tt->have_top ? tt->top.grand_total : 0;
}

void toptable_move_to(struct toptable *tt, size_t row)
{
	if (tt->nshown == 0)
		return;
	tt->sel = row < tt->nshown ? row : tt->nshown - 1;
	tt->selfunc = tt->top.rows[tt->shown[tt->sel]].func;
}

void toptable_move(struct toptable *tt, long delta)
{
	long s = (long)tt->sel + delta;

	if (s < 0)
		s = 0;
	toptable_move_to(tt, (size_t)s);
}

bool toptable_select_at(struct toptable *tt, int y)
{
	if (y < 1 || tt->first + (size_t)(y - 1) >= tt->nshown)
		return false;
	toptable_move_to(tt, tt->first + (size_t)(y - 1));
	return true;
}

uint32_t toptable_selected(const struct toptable *tt)
{
	return tt->nshown ? tt->top.rows[tt->shown[tt->sel]].func : 0;
}

/* A differential table: both shares and the change, of self and of
 * total; a change above its noise in its colour (style_diff). */
static void draw_diff(struct toptable *tt, struct grid *g, int x, int y, int w, int rows)
{
	char line[512], name[1024];

	for (size_t i = tt->first; i < tt->nshown && i < tt->first + (size_t)rows; i++) {
		const struct diff_row *r = &tt->drows[tt->shown[i]];
		const char *fn = tt->f ? funcs_name(tt->f, r->func) : "?";
		const char *mod = tt->f ? funcs_module(tt->f, r->func) : "";
		int row = y + 1 + (int)(i - tt->first), n, k;
		bool sel = i == tt->sel;
		uint8_t col = sel ? COL_SELECTED : COL_DEFAULT;
		uint8_t attr = sel ? ATTR_REVERSE | ATTR_BOLD : 0;
		struct diff_share s[2];

		difftree_row_share(tt->dt, r, false, &s[0]);
		difftree_row_share(tt->dt, r, true, &s[1]);
		grid_fill(g, x, row, w, ' ', col, attr);
		n = 0;
		for (k = 0; k < 2; k++) {
			uint8_t ccol = sel ? col : style_diff(s[k].b - s[k].a, s[k].noise);

			snprintf(line, sizeof(line), " %6.1f%% %6.1f%% ", s[k].a, s[k].b);
			n += grid_put(g, x + n, row, w - n, line, col, attr);
			snprintf(line, sizeof(line), "%+6.1f", s[k].b - s[k].a);
			n += grid_put(g, x + n, row, w - n, line,
				      ccol == COL_DIFF_SAME ? col : ccol, attr);
			n += grid_put(g, x + n, row, w - n, " ", col, attr);
		}
		n += grid_put(g, x + n, row, w - n, " ", col, attr);
		if (*mod)
			snprintf(line, sizeof(line), "%s  [%s]", fn, mod);
		else
			snprintf(line, sizeof(line), "%s", fn);
		grid_fit(line, w - n, g->utf8, false, name, sizeof(name));
		grid_put(g, x + n, row, w - n, name, col, attr);
	}
}

void toptable_draw(struct toptable *tt, struct grid *g, int x, int y, int w, int h)
{
	char line[512], name[1024];
	size_t i;
	int rows = h - 1, namew;

	if (h <= 0)
		return;
	/* the labels end where the columns' values end; the sort marker
	 * goes in the gap after its column */
	if (tt->diff)
		snprintf(line, sizeof(line), " %7s %7s %6s%c %7s %7s %6s%c %s", "SELF A", "SELF B",
			 "+/-", tt->sort == TOP_BY_SELF ? '*' : ' ', "TOTAL A", "TOTAL B", "+/-",
			 tt->sort == TOP_BY_TOTAL ? '*' : ' ', "FUNCTION");
	else
		snprintf(line, sizeof(line), " %7s%c%7s%c %s", "SELF%",
			 tt->sort == TOP_BY_SELF ? '*' : ' ', "TOTAL%",
			 tt->sort == TOP_BY_TOTAL ? '*' : ' ', "FUNCTION");
	grid_fill(g, x, y, w, ' ', COL_TABLE_HEAD, ATTR_BOLD);
	grid_put(g, x, y, w, line, COL_TABLE_HEAD, ATTR_BOLD);
	if (rows <= 0)
		return;
	if (tt->sel < tt->first)
		tt->first = tt->sel;
	if (tt->sel >= tt->first + rows)
		tt->first = tt->sel - rows + 1;
	if (tt->nshown == 0) {
		grid_put(g, x + 1, y + 1, w - 1,
			 tt->have_re ? "no function matches the filter" : "no samples yet",
			 COL_NOTICE, 0);
		return;
	}
	if (tt->diff) {
		draw_diff(tt, g, x, y, w, rows);
		return;
	}
	namew = w - 18;
	for (i = tt->first; i < tt->nshown && i < tt->first + (size_t)rows; i++) {
		const struct top_row *r = &tt->top.rows[tt->shown[i]];
		const char *fn = tt->f ? funcs_name(tt->f, r->func) : "?";
		const char *mod = tt->f ? funcs_module(tt->f, r->func) : "";
		int row = y + 1 + (int)(i - tt->first), n;
		uint8_t col = i == tt->sel ? COL_SELECTED : COL_DEFAULT;
		uint8_t attr = i == tt->sel ? ATTR_REVERSE | ATTR_BOLD : 0;

		if (*mod)
			snprintf(line, sizeof(line), "%s  [%s]", fn, mod);
		else
			snprintf(line, sizeof(line), "%s", fn);
		grid_fit(line, namew, g->utf8, false, name, sizeof(name));
		n = snprintf(line, sizeof(line), " %6.2f%% %6.2f%%  ",
			     util_pct(r->self, tt->top.grand_total),
			     util_pct(r->total, tt->top.grand_total));
		grid_fill(g, x, row, w, ' ', col, attr);
		grid_put(g, x, row, w, line, col, attr);
		grid_put(g, x + n, row, w - n, name, col, attr);
	}
}
