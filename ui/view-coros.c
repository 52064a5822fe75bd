/*
 * view-coros.c - the coroutine table: every coroutine of a live target
 * (id, name, state, thread, share of the shown samples, time in its
 * state, park reason, where it is parked), sortable, filtered with /;
 * Enter shows the flame graph of the chosen coroutine only.
 *
 * The table is a snapshot of the segment's coroutine table
 * (source_coros), taken again at most every REFRESH_NS while the view is
 * drawn, never more often.  A coroutine's share is that of its samples
 * in what the flame graph shows (the window and the filters), summed
 * with profile_foreach.  The cursor follows its coroutine by id.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coros.h"
#include "profile.h"
#include "style.h"
#include "util.h"
#include "view.h"

#define REFRESH_NS 1000000000ull

enum csort { BY_SHARE, BY_STATE_TIME, BY_ID };

struct cview {
	struct coros *c;
	const struct funcs *cf; /* the funcs c was made for */
	uint64_t snap_ns;	/* when the snapshot was taken; 0: never */
	const struct coro_row *rows;
	size_t nrows;
	uint64_t *value; /* per row: its samples' value in what is shown */
	uint64_t total;	 /* of every sample shown */
	size_t *order;	 /* rows passing the filter, sorted */
	size_t norder, cap;
	enum csort sort;
	int cursor, first, shown; /* cursor 0: the "all coroutines" row */
	uint64_t cursor_id;
	bool have_re;
	regex_t re;
	char pattern[128], saved[128];
};

/* clang-format off */
static const struct binding coro_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "row up", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "row down", "move", false},
	{{K_PGUP}, ACT_PAGE_UP, "scroll a page up", NULL, false},
	{{K_PGDN}, ACT_PAGE_DOWN, "scroll a page down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "first row (all coroutines)", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "last row", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "show this coroutine's samples in the graph (all: every sample)",
	 "show in graph", false},
	{{'1'}, ACT_SORT_SELF, "sort by share of the samples shown", "sort", false},
	{{'2'}, ACT_SORT_TOTAL, "sort by time in its state", "sort", false},
	{{'/'}, ACT_SEARCH, "filter rows (extended regex over name, state, labels, reason, frame)",
	 "filter", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

/* Where the coroutine is parked (its innermost parked frame), or "". */
static const char *top_frame(const struct funcs *f, const struct coro_row *r)
{
	return r->nstack ? funcs_name(f, r->stack[r->nstack - 1]) : "";
}

struct sum_arg {
	struct cview *cv;
	size_t *by_id; /* rows sorted by id, for bsearch */
};

static const struct coro_row *sum_rows;

static int cmp_row_id(const void *a, const void *b)
{
	uint64_t x = sum_rows[*(const size_t *)a].id, y = sum_rows[*(const size_t *)b].id;

	return (x > y) - (x < y);
}

static int sum_one(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		   uint64_t value, uint64_t count)
{
	struct sum_arg *s = arg;
	size_t lo = 0, hi = s->cv->nrows;

	(void)funcs;
	(void)n;
	(void)count;
	s->cv->total += value;
	if (!ctx->coro_id)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t id = s->cv->rows[s->by_id[mid]].id;

		if (id == ctx->coro_id) {
			s->cv->value[s->by_id[mid]] += value;
			return 0;
		}
		if (id < ctx->coro_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Each row's value in what the graph shows. */
static void sum_values(struct cview *cv, struct app *a)
{
	struct profile *p = source_profile(app_source(a));
	struct sum_arg s = {cv, NULL};

	cv->total = 0;
	if (cv->nrows)
		memset(cv->value, 0, cv->nrows * sizeof(*cv->value));
	if (!p || !cv->nrows || !(s.by_id = malloc(cv->nrows * sizeof(*s.by_id))))
		return;
	for (size_t i = 0; i < cv->nrows; i++)
		s.by_id[i] = i;
	sum_rows = cv->rows;
	qsort(s.by_id, cv->nrows, sizeof(*s.by_id), cmp_row_id);
	profile_foreach(p, sum_one, &s);
	free(s.by_id);
}

static const struct cview *sort_cv;

static int cmp_order(const void *a, const void *b)
{
	const struct coro_row *x = &sort_cv->rows[*(const size_t *)a];
	const struct coro_row *y = &sort_cv->rows[*(const size_t *)b];
	uint64_t vx, vy;

	switch (sort_cv->sort) {
	case BY_SHARE:
		vx = sort_cv->value[*(const size_t *)a];
		vy = sort_cv->value[*(const size_t *)b];
		if (vx != vy)
			return vx > vy ? -1 : 1;
		break;
	case BY_STATE_TIME:
		if (x->in_state_ns != y->in_state_ns)
			return x->in_state_ns > y->in_state_ns ? -1 : 1;
		break;
	case BY_ID:
		break;
	}
	return (x->id > y->id) - (x->id < y->id);
}

static bool row_matches(const struct cview *cv, const struct coro_row *r)
{
	char text[4096];

	if (!cv->have_re)
		return true;
	snprintf(text, sizeof(text), "%.32s %s %.1500s %.64s %.1024s", r->name, coros_state_name(r->state),
		 r->labels, r->reason, top_frame(cv->cf, r));
	return regexec(&cv->re, text, 0, NULL, 0) == 0;
}

/* The shown rows, filtered and sorted; the cursor back on its id. */
static void reorder(struct cview *cv)
{
	size_t i;

	if (cv->nrows > cv->cap) {
		size_t *no = realloc(cv->order, cv->nrows * sizeof(*no));

		if (!no) {
			cv->norder = 0;
			return;
		}
		cv->order = no;
		cv->cap = cv->nrows;
	}
	cv->norder = 0;
	for (i = 0; i < cv->nrows; i++)
		if (row_matches(cv, &cv->rows[i]))
			cv->order[cv->norder++] = i;
	sort_cv = cv;
	qsort(cv->order, cv->norder, sizeof(*cv->order), cmp_order);
	cv->cursor = 0;
	for (i = 0; cv->cursor_id && i < cv->norder; i++)
		if (cv->rows[cv->order[i]].id == cv->cursor_id)
			cv->cursor = (int)i + 1;
}

/* Takes a new snapshot when the last is older than REFRESH_NS. */
static void refresh(struct cview *cv, struct app *a, bool force)
{
	uint64_t now = util_mono_ns();
	int n;

	if (!force && cv->snap_ns && now - cv->snap_ns < REFRESH_NS)
		return;
	if (!cv->c || cv->cf != app_funcs(a)) {
		coros_free(cv->c);
		cv->cf = app_funcs(a);
		cv->c = coros_new(app_funcs(a));
		if (!cv->c)
			return;
	}
	cv->snap_ns = now;
	n = source_coros(app_source(a), cv->c);
	cv->rows = coros_rows(cv->c, &cv->nrows);
	if (n < 0)
		cv->nrows = 0;
	free(cv->value);
	cv->value = cv->nrows ? calloc(cv->nrows, sizeof(*cv->value)) : NULL;
	if (!cv->value)
		cv->nrows = 0;
	sum_values(cv, a);
	reorder(cv);
}

static void fmt_dur(uint64_t ns, char *out, size_t len)
{
	double s = ns / 1e9;

	if (s < 1)
		snprintf(out, len, "%.0fms", s * 1e3);
	else if (s < 120)
		snprintf(out, len, "%.1fs", s);
	else if (s < 7200)
		snprintf(out, len, "%.0fm", s / 60);
	else
		snprintf(out, len, "%.0fh", s / 3600);
}

static void row_text(const struct cview *cv, int k, uint64_t shown_id, char *out, size_t len)
{
	const struct coro_row *r;
	char id[24], tid[16], dur[16], share[16];

	if (k == 0) {
		snprintf(out, len, "%c %-10s %-16s %d coroutine%s", shown_id ? ' ' : '*', "all",
			 "coroutines", (int)cv->norder, cv->norder == 1 ? "" : "s");
		return;
	}
	r = &cv->rows[cv->order[k - 1]];
	snprintf(id, sizeof(id), "%llu", (unsigned long long)r->id);
	if (r->tid)
		snprintf(tid, sizeof(tid), "%d", (int)r->tid);
	else
		snprintf(tid, sizeof(tid), "-");
	fmt_dur(r->in_state_ns, dur, sizeof(dur));
	snprintf(share, sizeof(share), "%5.1f%%", util_pct(cv->value[cv->order[k - 1]], cv->total));
	snprintf(out, len, "%c %-10s %-16.16s %-8s %-8s %6s %8s  %-14.14s %s",
		 r->id == shown_id ? '*' : ' ', id, r->name[0] ? r->name : "-",
		 coros_state_name(r->state), tid, share, dur, r->reason[0] ? r->reason : "-",
		 top_frame(cv->cf, r));
}

static void clamp(struct cview *cv)
{
	int nrows = (int)cv->norder + 1, shown = cv->shown > 0 ? cv->shown : 1;

	if (cv->cursor >= nrows)
		cv->cursor = nrows - 1;
	if (cv->cursor < 0)
		cv->cursor = 0;
	if (cv->cursor < cv->first)
		cv->first = cv->cursor;
	if (cv->cursor >= cv->first + shown)
		cv->first = cv->cursor - shown + 1;
	if (cv->first > nrows - shown)
		cv->first = nrows - shown;
	if (cv->first < 0)
		cv->first = 0;
	cv->cursor_id = cv->cursor ? cv->rows[cv->order[cv->cursor - 1]].id : 0;
}

static void coros_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct cview *cv = v->data;
	struct profile *p = source_profile(app_source(a));
	uint64_t shown_id = p ? profile_filter_coro(p) : 0;
	char line[1024];
	int i;

	refresh(cv, a, false);
	if (r.h < 3)
		return;
	cv->shown = r.h - 2;
	clamp(cv);
	snprintf(line, sizeof(line), "  %-10s %-16s %-8s %-8s %6s %8s  %-14s %s", "ID", "NAME",
		 "STATE", "TID", "SHARE", "IN STATE", "REASON", "PARKED IN");
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, ATTR_BOLD);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, ATTR_BOLD);
	for (i = 0; i < cv->shown && cv->first + i <= (int)cv->norder; i++) {
		int k = cv->first + i;
		bool cur = k == cv->cursor;
		uint8_t col = cur ? COL_SELECTED : COL_DEFAULT;
		uint8_t attr = cur ? ATTR_BOLD | ATTR_REVERSE : 0;

		row_text(cv, k, shown_id, line, sizeof(line));
		grid_fill(g, r.x, r.y + 1 + i, r.w, ' ', col, attr);
		grid_put(g, r.x, r.y + 1 + i, r.w, line, col, attr);
	}
	snprintf(line, sizeof(line),
		 " %zu of %zu coroutine%s%s%s%s | sorted by %s (1: share, 2: time in state)",
		 cv->norder, cv->nrows, cv->nrows == 1 ? "" : "s", cv->have_re ? " matching /" : "",
		 cv->have_re ? cv->pattern : "", cv->have_re ? "/" : "",
		 cv->sort == BY_SHARE	     ? "share"
		 : cv->sort == BY_STATE_TIME ? "time in state"
					     : "id");
	grid_fill(g, r.x, r.y + r.h - 1, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, r.y + r.h - 1, r.w, line, COL_STATUS, 0);
}

/* 0, or -1 with why in err; an empty pattern removes the filter. */
static int set_filter(struct cview *cv, const char *pat, char *err, size_t errlen)
{
	regex_t re;
	int rc;

	if (!pat || !*pat) {
		if (cv->have_re)
			regfree(&cv->re);
		cv->have_re = false;
		cv->pattern[0] = '\0';
		reorder(cv);
		return 0;
	}
	rc = regcomp(&re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		if (err)
			regerror(rc, &re, err, errlen);
		return -1;
	}
	if (cv->have_re)
		regfree(&cv->re);
	cv->re = re;
	cv->have_re = true;
	snprintf(cv->pattern, sizeof(cv->pattern), "%s", pat);
	reorder(cv);
	return 0;
}

static void filter_changed(struct app *a, void *arg, const char *text)
{
	(void)a;
	set_filter(arg, text, NULL, 0);
}

static void filter_done(struct app *a, void *arg, const char *text)
{
	struct cview *cv = arg;
	char err[256];

	if (!text) {
		set_filter(cv, cv->saved, NULL, 0);
		return;
	}
	if (set_filter(cv, text, err, sizeof(err)) < 0) {
		app_message(a, true, "bad pattern /%s/: %s", text, err);
		set_filter(cv, cv->saved, NULL, 0);
	}
}

/* Shows the samples of the coroutine at the cursor (all: every sample). */
static void show(struct cview *cv, struct app *a)
{
	struct profile *p = source_profile(app_source(a));
	const struct coro_row *r = cv->cursor ? &cv->rows[cv->order[cv->cursor - 1]] : NULL;

	if (!p)
		return;
	profile_set_coro_filter(p, r ? r->id : 0);
	app_show_main(a);
	if (r)
		app_message(a, false,
			    "showing coroutine %llu %s (Tab: the coroutine table, all to undo)",
			    (unsigned long long)r->id, r->name);
	else
		app_message(a, false, "showing every coroutine");
}

static enum ui_result coros_key(struct view *v, struct app *a, enum action act,
				const struct ui_event *ev)
{
	struct cview *cv = v->data;
	int page = cv->shown > 1 ? cv->shown : 1;

	if (ev->key == K_MOUSE) {
		switch (ev->mouse) {
		case MOUSE_WHEEL_UP:
		case MOUSE_WHEEL_DOWN:
			cv->cursor += ev->mouse == MOUSE_WHEEL_UP ? -3 : 3;
			break;
		case MOUSE_CLICK:
		case MOUSE_DOUBLE:
			if (ev->my >= 1 && ev->my <= cv->shown)
				cv->cursor = cv->first + ev->my - 1;
			clamp(cv);
			if (ev->mouse == MOUSE_DOUBLE)
				show(cv, a);
			return UI_REDRAW;
		default:
			return UI_HANDLED;
		}
		clamp(cv);
		return UI_REDRAW;
	}
	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
		cv->cursor += act == ACT_UP ? -1 : 1;
		break;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		cv->cursor += act == ACT_PAGE_UP ? -page : page;
		break;
	case ACT_TOP:
		cv->cursor = 0;
		break;
	case ACT_BOTTOM:
		cv->cursor = (int)cv->norder;
		break;
	case ACT_SORT_SELF:
	case ACT_SORT_TOTAL:
		cv->sort = act == ACT_SORT_SELF ? BY_SHARE : BY_STATE_TIME;
		reorder(cv);
		break;
	case ACT_SEARCH:
		snprintf(cv->saved, sizeof(cv->saved), "%s", cv->pattern);
		app_prompt(a, "filter /", "", filter_changed, filter_done, cv);
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		show(cv, a);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
	clamp(cv);
	return UI_REDRAW;
}

/* Only for a live target that has (or had) coroutines. */
static bool coros_has_data(struct view *v, struct app *a)
{
	struct cview *cv = v->data;

	return source_coro_count(app_source(a)) > 0 || cv->nrows > 0;
}

static int coros_init(struct view *v)
{
	struct cview *cv = calloc(1, sizeof(*cv));

	if (!cv)
		return -ENOMEM;
	cv->sort = BY_SHARE;
	v->data = cv;
	return 0;
}

static void coros_free_view(struct view *v)
{
	struct cview *cv = v->data;

	if (!cv)
		return;
	coros_free(cv->c);
	free(cv->value);
	free(cv->order);
	if (cv->have_re)
		regfree(&cv->re);
	free(cv);
	v->data = NULL;
}

const struct view_ops view_coros_ops = {
    .name = "coroutine table",
    .short_name = "coroutines",
    .kind = VIEW_MAIN,
    .keys = coro_keys,
    .init = coros_init,
    .has_data = coros_has_data,
    .draw = coros_draw,
    .key = coros_key,
    .free = coros_free_view,
};
