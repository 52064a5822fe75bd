/*
 * view-heat.c - the time heatmap (FlameScope's view): a column a second
 * of the profile, a row a tenth of that second (PROFILE_HEAT_HZ rows,
 * the first at the top), each cell shaded by the samples taken in it
 * against the busiest cell shown, with a legend.  The newest second is
 * at the right and the map scrolls live; a row under it marks the
 * seconds in which the target collected garbage.
 *
 * A cursor (a column, or a cell once Up/Down or the mouse chose a tenth)
 * and a range (v marks one end, the cursor is the other) pick seconds or
 * tenths; Enter (or a double click) shows only them in the flame graph
 * (profile_set_range), Esc shows the window again.  Bursts (bursts.h)
 * are outlined, and n/N select them.  Shades are
 * characters (block elements, or ASCII without UTF-8): the map reads
 * the same without colours.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursts.h"
#include "gctimeline.h"
#include "style.h"
#include "util.h"
#include "view.h"

#define HEAT_LABEL 5	/* ".0s  " before the cells */
#define HEAT_MAX_S 3600 /* seconds read at most */
#define NS 1000000000ull
#define TENTH (NS / PROFILE_HEAT_HZ)
#define BURSTS_EVERY_NS 1000000000ull /* bursts found again at most this often */

struct hview {
	uint64_t *counts; /* HEAT_MAX_S * PROFILE_HEAT_HZ buckets */
	uint64_t *values; /* ... of the weight, when it is allocations */
	long cursor;	  /* second from the first retained; -1: the newest */
	int row;	  /* the cursor's tenth; -1: the whole second */
	bool marked;	  /* a range's other end is [mark_from, mark_to) */
	uint64_t mark_from, mark_to;
	uint64_t first_ns; /* of the last draw */
	long nsec;	   /* seconds of the last draw */
	long first_col;	   /* the second in the first column at the last draw */
	struct bursts_cache bc;
};

/* clang-format off */
static const struct binding heat_keys[] = {
	{{K_LEFT, 'h'}, ACT_LEFT, "heatmap: the previous second", "move", false},
	{{K_RIGHT, 'l'}, ACT_RIGHT, "heatmap: the next second", "move", false},
	{{K_UP, 'k'}, ACT_UP, "heatmap: the previous tenth of a second (the cursor becomes a cell)", NULL, false},
	{{K_DOWN, 'j'}, ACT_DOWN, "heatmap: the next tenth of a second (the cursor becomes a cell)", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "heatmap: the oldest second kept", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "heatmap: the newest second (follows the map)", NULL, false},
	{{'v'}, ACT_MARK, "heatmap: mark one end of a range (the cursor is the other)", "range", false},
	{{'n'}, ACT_NEXT, "heatmap: select the next burst (R rate, M mix under the map)", "burst", false},
	{{'N'}, ACT_PREV, "heatmap: select the previous burst", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "show only the range (or the cursor's second or tenth) in the graph", "show in graph", false},
	{{K_ESC, K_BACKSPACE, 'u'}, ACT_ZOOM_OUT, "show the time window again (no range)", "no range", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static const char *const shades_utf8[] = {" ", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x96\x93",
					  "\xe2\x96\x88"};
static const char shades_ascii[] = " .:*#";

static uint32_t shade(bool utf8, int k)
{
	const unsigned char *s;

	if (!utf8)
		return (uint32_t)shades_ascii[k];
	s = (const unsigned char *)shades_utf8[k];
	if (s[0] < 0x80)
		return s[0];
	return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
}

/* The shade (0 none, 1..4) of count c in a map whose busiest cell has
 * max: the quarter of max it reaches, rounded up. */
static int level(uint64_t c, uint64_t max)
{
	if (!c || !max)
		return 0;
	return (int)((c * 4 + max - 1) / max);
}

/* Seconds from origin_ns to t_ns. */
static double secs(uint64_t t_ns, uint64_t origin_ns)
{
	double v = ((double)t_ns - (double)origin_ns) / 1e9;

	/* the first second began before the runtime did: "0s", not "-0s" */
	return v < 0 && v > -1 ? 0 : v;
}

/* Seconds from origin_ns to the start of second s of the map. */
static double at(uint64_t first_ns, long s, uint64_t origin_ns)
{
	return secs(first_ns + (uint64_t)s * NS, origin_ns);
}

/* --- bursts ------------------------------------------------------------- */

int view_bursts_get(struct bursts_cache *c, struct profile *p)
{
	struct burst_config cfg;
	uint64_t first_ns, total = profile_total_count(p), now_ns = util_mono_ns();
	size_t ns;
	int rc;

	/* the same profile, not cleared, and nothing new (a recording, a
	 * frozen target) or found less than a second ago */
	if (c->p == p && c->done_ns && total >= c->total &&
	    (total == c->total || now_ns - c->done_ns < BURSTS_EVERY_NS))
		return 0;
	if (c->p != p)
		view_bursts_release(c);
	free(c->b);
	c->b = NULL;
	c->n = 0;
	if (!c->series && !(c->series = bursts_series_new()))
		return -ENOMEM;
	c->p = p;
	c->done_ns = now_ns ? now_ns : 1;
	c->total = total;
	bursts_config_default(&cfg);
	rc = bursts_series_find(c->series, p, &cfg, &c->b, &c->n, &first_ns, &ns);
	if (rc == -ENOMEM) {
		c->done_ns = 0; /* try again */
		return rc;
	}
	c->first_ns = first_ns;
	return 1;
}

void view_bursts_release(struct bursts_cache *c)
{
	bursts_series_free(c->series);
	free(c->b);
	*c = (struct bursts_cache){0};
}

uint64_t view_burst_start(const struct bursts_cache *c, size_t i)
{
	return c->first_ns + (uint64_t)c->b[i].first * BURST_SLICE_NS;
}

uint64_t view_burst_end(const struct bursts_cache *c, size_t i)
{
	return c->first_ns + (uint64_t)(c->b[i].last + 1) * BURST_SLICE_NS;
}

void view_burst_text(const struct bursts_cache *c, size_t i, const struct funcs *fn,
		     uint64_t origin_ns, char *buf, size_t len)
{
	const struct burst *b = &c->b[i];
	size_t k, off;

	off = (size_t)snprintf(buf, len, "%s burst %.1f-%.1fs, %.1fx %s", bursts_kind_name(b->kind),
			       secs(view_burst_start(c, i), origin_ns),
			       secs(view_burst_end(c, i), origin_ns), b->ratio,
			       b->kind == BURST_RATE ? "the usual rate" : "its usual share");
	for (k = 0; k < b->ntops && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s (%.1fx)", k ? ", " : ": ",
					funcs_name(fn, b->tops[k]), b->tops_ratio[k]);
}

/* --- drawing ------------------------------------------------------------ */

void view_heat_render(struct grid *g, struct rect r, const uint64_t *counts, size_t n,
		      const struct heat_marks *m, long *first_col)
{
	long nsec = (long)((n + PROFILE_HEAT_HZ - 1) / PROFILE_HEAT_HZ), cols = r.w - HEAT_LABEL;
	long first, s;
	uint64_t max = 0;
	char line[256], most[48];
	int row, k, y_b = r.y + 2 + PROFILE_HEAT_HZ, y_axis = y_b;
	bool brow = m->nbursts && r.h >= PROFILE_HEAT_HZ + 5;

	if (cols < 1 || r.h < PROFILE_HEAT_HZ + 3)
		return;
	if (brow)
		y_axis++;
	/* the newest seconds that fit, the cursor's always among them */
	first = nsec > cols ? nsec - cols : 0;
	if (m->cursor >= 0 && m->cursor < first)
		first = m->cursor;
	*first_col = first;
	for (s = first; s < nsec && s < first + cols; s++)
		for (row = 0; row < PROFILE_HEAT_HZ; row++) {
			size_t b = (size_t)s * PROFILE_HEAT_HZ + (size_t)row;

			if (b < n && counts[b] > max)
				max = counts[b];
		}
	/* the title and the legend: the shades, lightest first, up to the
	 * busiest cell */
	if (m->shade)
		unit_format(m->unit, max, most, sizeof(most));
	else
		snprintf(most, sizeof(most), "%llu samples", (unsigned long long)max);
	snprintf(line, sizeof(line),
		 " a column a second, a row a tenth of it; %s%s%s%s up to %s a cell%s",
		 g->utf8 ? shades_utf8[1] : ".", g->utf8 ? shades_utf8[2] : ":",
		 g->utf8 ? shades_utf8[3] : "*", g->utf8 ? shades_utf8[4] : "#", most,
		 m->nbursts ? "; R/M: bursts" : "");
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	for (row = 0; row < PROFILE_HEAT_HZ; row++) {
		snprintf(line, sizeof(line), ".%ds", row);
		grid_put(g, r.x, r.y + 1 + row, HEAT_LABEL, line, COL_DEFAULT, 0);
	}
	grid_put(g, r.x, r.y + 1 + PROFILE_HEAT_HZ, HEAT_LABEL, "GC", COL_DEFAULT, 0);
	for (s = first; s < nsec && s < first + cols; s++) {
		int x = r.x + HEAT_LABEL + (int)(s - first);

		for (row = 0; row < PROFILE_HEAT_HZ; row++) {
			long b = s * PROFILE_HEAT_HZ + row;
			uint64_t c = (size_t)b < n ? counts[b] : 0;
			bool in = m->sel_lo >= 0 && b >= m->sel_lo && b < m->sel_hi;
			bool burst = false;
			uint8_t col = COL_DEFAULT, attr = 0;

			for (size_t i = 0; i < m->nbursts && !burst; i++)
				burst = b >= m->bursts[i].lo && b < m->bursts[i].hi;
			if (in) {
				col = COL_SELECTED;
				attr = ATTR_REVERSE;
			} else if (burst) {
				col = COL_NOTICE;
				attr = ATTR_BOLD;
			}
			grid_fill(g, x, r.y + 1 + row, 1, shade(g->utf8, level(c, max)), col, attr);
		}
	}
	/* the seconds in which a collection ended */
	for (size_t i = 0; i < m->ngc; i++) {
		long sec;

		if (m->gc_end[i] < m->first_ns)
			continue;
		sec = (long)((m->gc_end[i] - m->first_ns) / NS);
		if (sec >= first && sec < nsec && sec < first + cols)
			grid_fill(g, r.x + HEAT_LABEL + (int)(sec - first),
				  r.y + 1 + PROFILE_HEAT_HZ, 1, '|', COL_NOTICE, ATTR_BOLD);
	}
	/* the bursts' seconds, by kind: they read without colours */
	if (brow) {
		grid_put(g, r.x, y_b, HEAT_LABEL, "burst", COL_DEFAULT, 0);
		for (size_t i = 0; i < m->nbursts; i++)
			for (s = m->bursts[i].lo / PROFILE_HEAT_HZ;
			     s <= (m->bursts[i].hi - 1) / PROFILE_HEAT_HZ; s++)
				if (s >= first && s < first + cols)
					grid_fill(g, r.x + HEAT_LABEL + (int)(s - first), y_b, 1,
						  m->bursts[i].rate ? 'R' : 'M', COL_NOTICE,
						  ATTR_BOLD);
	}
	/* the axis: seconds since the target's runtime started */
	snprintf(line, sizeof(line), "%.0fs", at(m->first_ns, first, m->origin_ns));
	k = HEAT_LABEL + grid_put(g, r.x + HEAT_LABEL, y_axis, r.w, line, COL_DEFAULT, 0);
	if (nsec - 1 > first) {
		int x;

		snprintf(line, sizeof(line), "%.0fs", at(m->first_ns, nsec - 1, m->origin_ns));
		x = HEAT_LABEL + (int)(nsec - 1 - first < cols ? nsec - 1 - first : cols - 1);
		x -= grid_text_width(line) - 1;
		if (x > k + 1)
			grid_put(g, r.x + x, y_axis, r.w, line, COL_DEFAULT, 0);
	}
	if (y_axis + 1 >= r.y + r.h || !m->status)
		return;
	grid_fill(g, r.x, y_axis + 1, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, y_axis + 1, r.w, m->status, COL_STATUS, 0);
}

/* The cursor's time span: its tenth, or its whole second; false when the
 * cursor follows the newest second. */
static bool cursor_span(const struct hview *hv, uint64_t *from, uint64_t *to)
{
	if (hv->cursor < 0)
		return false;
	*from = hv->first_ns + (uint64_t)hv->cursor * NS +
		(hv->row >= 0 ? (uint64_t)hv->row * TENTH : 0);
	*to = *from + (hv->row >= 0 ? TENTH : NS);
	return true;
}

/* The selection: from the mark to the cursor (each end its whole span),
 * or the cursor alone. */
static bool selection(const struct hview *hv, uint64_t *from, uint64_t *to)
{
	if (!cursor_span(hv, from, to))
		return false;
	if (hv->marked) {
		if (hv->mark_from < *from)
			*from = hv->mark_from;
		if (hv->mark_to > *to)
			*to = hv->mark_to;
	}
	return true;
}

/* The bucket index (from first_ns) of time t, clamped at 0. */
static long bucket_of(uint64_t first_ns, uint64_t t)
{
	return t > first_ns ? (long)((t - first_ns) / TENTH) : 0;
}

/* The index of the burst containing the cursor's span, or -1. */
static long burst_at_cursor(const struct hview *hv)
{
	uint64_t f, t;

	if (!cursor_span(hv, &f, &t))
		return -1;
	for (size_t i = 0; i < hv->bc.n; i++)
		if (view_burst_start(&hv->bc, i) < t && view_burst_end(&hv->bc, i) > f)
			return (long)i;
	return -1;
}

static void heat_status(struct hview *hv, struct app *a, uint64_t *counts, size_t n, char *line,
			size_t len)
{
	uint64_t f, t, sum = 0;
	long bi = burst_at_cursor(hv);
	char what[64], burst[512] = "";
	uint64_t o = source_origin(app_source(a));

	if (!selection(hv, &f, &t)) {
		snprintf(line, len,
			 " %ld seconds kept, %zu burst%s | Left/Right a second, Up/Down a tenth, "
			 "v a range, n a burst",
			 hv->nsec, hv->bc.n, hv->bc.n == 1 ? "" : "s");
		return;
	}
	for (long b = bucket_of(hv->first_ns, f); b < bucket_of(hv->first_ns, t) && (size_t)b < n;
	     b++)
		sum += counts[b];
	if (!hv->marked && hv->row < 0)
		snprintf(what, sizeof(what), "second %.0fs", secs(f, o));
	else if (!hv->marked)
		snprintf(what, sizeof(what), "tenth %.1fs", secs(f, o));
	else
		snprintf(what, sizeof(what), "range %.1f-%.1fs (%.1f s)", secs(f, o), secs(t, o),
			 (double)(t - f) / 1e9);
	if (bi >= 0) {
		burst[0] = ' ';
		burst[1] = '|';
		burst[2] = ' ';
		view_burst_text(&hv->bc, (size_t)bi, app_funcs(a), o, burst + 3, sizeof(burst) - 3);
	}
	snprintf(line, len, " %s: %llu samples | Enter shows it in the graph%s", what,
		 (unsigned long long)sum, burst);
}

static void heat_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct hview *hv = v->data;
	struct profile *p = source_profile(app_source(a));
	struct gctimeline *t = source_gctimeline(app_source(a));
	struct heat_marks m = {.sel_lo = -1};
	struct heat_burst *hb = NULL;
	uint64_t *ends = NULL, first_ns, f, to;
	size_t n, i, k;
	long first_col;
	char msg[128], status[768];

	if (!p)
		return;
	if (r.h < PROFILE_HEAT_HZ + 3 || r.w < HEAT_LABEL + 10) {
		snprintf(msg, sizeof(msg), "too small for the heatmap: it needs %d rows",
			 PROFILE_HEAT_HZ + 3);
		grid_put(g, r.x + 1, r.y + r.h / 2, r.w - 1, msg, COL_ERROR, ATTR_BOLD);
		return;
	}
	n = profile_heat(p, hv->counts, hv->values, (size_t)HEAT_MAX_S * PROFILE_HEAT_HZ,
			 &first_ns);
	/* an allocation weight shades by bytes or objects, time by samples */
	if (live_weight_alloc(source_weight(app_source(a)))) {
		m.unit = source_unit(app_source(a));
		m.shade = hv->values;
	}
	/* the cursor keeps its second as the oldest ones expire */
	if (hv->cursor >= 0 && hv->first_ns && hv->first_ns < first_ns)
		hv->cursor -= (long)((first_ns - hv->first_ns) / NS);
	if (hv->cursor < -1)
		hv->cursor = 0;
	hv->first_ns = first_ns;
	hv->nsec = (long)((n + PROFILE_HEAT_HZ - 1) / PROFILE_HEAT_HZ);
	if (hv->cursor >= hv->nsec)
		hv->cursor = hv->nsec - 1;
	if (view_bursts_get(&hv->bc, p) < 0)
		app_message(a, true, "out of memory finding bursts");
	if (hv->bc.n && (hb = malloc(hv->bc.n * sizeof(*hb))) != NULL) {
		for (i = 0; i < hv->bc.n; i++) {
			hb[i].lo = bucket_of(first_ns, view_burst_start(&hv->bc, i));
			hb[i].hi = bucket_of(first_ns, view_burst_end(&hv->bc, i));
			hb[i].rate = hv->bc.b[i].kind == BURST_RATE;
		}
		m.bursts = hb;
		m.nbursts = hv->bc.n;
	}
	if (t && (k = gctimeline_find(t, first_ns)) < gctimeline_count(t)) {
		ends = malloc((gctimeline_count(t) - k) * sizeof(*ends));
		for (i = k; ends && i < gctimeline_count(t); i++)
			ends[m.ngc++] = gctimeline_get(t, i)->end_ns;
	}
	m.gc_end = ends;
	m.first_ns = first_ns;
	m.origin_ns = source_origin(app_source(a));
	m.cursor = hv->cursor;
	if (selection(hv, &f, &to)) {
		m.sel_lo = bucket_of(first_ns, f);
		m.sel_hi = bucket_of(first_ns, to);
	}
	heat_status(hv, a, hv->counts, n, status, sizeof(status));
	m.status = status;
	view_heat_render(g, r, m.shade ? m.shade : hv->counts, n, &m, &first_col);
	hv->first_col = first_col;
	free(ends);
	free(hb);
}

/* Moves the cursor by delta tenths (entering tenths when it was a second). */
static void move_tenth(struct hview *hv, int delta)
{
	long at;

	if (hv->row < 0) {
		hv->row = delta > 0 ? 0 : PROFILE_HEAT_HZ - 1;
		return;
	}
	at = hv->cursor * PROFILE_HEAT_HZ + hv->row + delta;
	if (at < 0 || at >= hv->nsec * PROFILE_HEAT_HZ)
		return;
	hv->cursor = at / PROFILE_HEAT_HZ;
	hv->row = (int)(at % PROFILE_HEAT_HZ);
}

/* Selects burst i: the mark at its first tenth, the cursor on its last. */
static void select_burst(struct hview *hv, struct app *a, size_t i)
{
	uint64_t from = view_burst_start(&hv->bc, i), to = view_burst_end(&hv->bc, i);
	long last = bucket_of(hv->first_ns, to - 1);
	char text[512];

	hv->marked = true;
	hv->mark_from = from;
	hv->mark_to = from + TENTH;
	hv->cursor = last / PROFILE_HEAT_HZ;
	hv->row = (int)(last % PROFILE_HEAT_HZ);
	view_burst_text(&hv->bc, i, app_funcs(a), source_origin(app_source(a)), text, sizeof(text));
	app_message(a, false, "%s (Enter: its graph)", text);
}

/* The next (dir > 0) or previous burst from the cursor, selected. */
static enum ui_result next_burst(struct hview *hv, struct app *a, int dir)
{
	uint64_t f = 0, t = UINT64_MAX;
	size_t i;

	if (!hv->bc.n) {
		app_message(a, false, "no burst found in the seconds kept");
		return UI_REDRAW;
	}
	cursor_span(hv, &f, &t);
	if (dir > 0) {
		for (i = 0; i < hv->bc.n && (hv->cursor >= 0 && view_burst_start(&hv->bc, i) < t);
		     i++)
			;
		if (i == hv->bc.n)
			i = 0; /* wrap around */
	} else {
		for (i = hv->bc.n; i > 0 && hv->cursor >= 0 && view_burst_end(&hv->bc, i - 1) > f;
		     i--)
			;
		i = i ? i - 1 : hv->bc.n - 1;
	}
	select_burst(hv, a, i);
	return UI_REDRAW;
}

static enum ui_result heat_key(struct view *v, struct app *a, enum action act,
			       const struct ui_event *ev)
{
	struct hview *hv = v->data;
	struct profile *p = source_profile(app_source(a));
	uint64_t from, to;

	if (!p)
		return UI_UNHANDLED;
	if (ev->key == K_MOUSE) {
		/* a cell: the cursor on it; a double click shows it (or the
		 * range to it) */
		long sec = hv->first_col + ev->mx - HEAT_LABEL;

		if (ev->mx < HEAT_LABEL || ev->my < 1 || ev->my > PROFILE_HEAT_HZ || sec < 0 ||
		    sec >= hv->nsec)
			return UI_HANDLED;
		hv->cursor = sec;
		hv->row = ev->my - 1;
		if (ev->mouse != MOUSE_DOUBLE)
			return UI_REDRAW;
		act = ACT_ZOOM_IN;
	}
	if (hv->cursor < 0 && (act == ACT_LEFT || act == ACT_RIGHT || act == ACT_UP ||
			       act == ACT_DOWN || act == ACT_MARK || act == ACT_ZOOM_IN))
		hv->cursor = hv->nsec - 1;
	switch (act) {
	case ACT_LEFT:
		if (hv->cursor > 0)
			hv->cursor--;
		return UI_REDRAW;
	case ACT_RIGHT:
		if (hv->cursor + 1 < hv->nsec)
			hv->cursor++;
		return UI_REDRAW;
	case ACT_UP:
	case ACT_DOWN:
		move_tenth(hv, act == ACT_UP ? -1 : 1);
		return UI_REDRAW;
	case ACT_TOP:
		hv->cursor = 0;
		return UI_REDRAW;
	case ACT_BOTTOM:
		hv->cursor = -1;
		hv->row = -1;
		hv->marked = false;
		return UI_REDRAW;
	case ACT_MARK:
		hv->marked = cursor_span(hv, &hv->mark_from, &hv->mark_to);
		return UI_REDRAW;
	case ACT_NEXT:
	case ACT_PREV:
		return next_burst(hv, a, act == ACT_NEXT ? 1 : -1);
	case ACT_ZOOM_IN:
		if (!selection(hv, &from, &to))
			return UI_HANDLED;
		profile_set_range(p, from, to);
		app_show_main(a);
		app_message(
		    a, false,
		    "the graph shows %.1f-%.1fs only (Esc in the heatmap: the window again)",
		    secs(from, source_origin(app_source(a))),
		    secs(to, source_origin(app_source(a))));
		return UI_REDRAW;
	case ACT_BASELINE: /* the screen's B: with a cursor, the range vs the rest */
		if (!selection(hv, &from, &to))
			return UI_UNHANDLED;
		app_baseline_rest(a, from, to, hv->first_ns,
				  hv->first_ns + (uint64_t)hv->nsec * NS);
		return UI_REDRAW;
	case ACT_ZOOM_OUT: {
		uint64_t f, t;

		if (!profile_range(p, &f, &t) && !hv->marked) {
			app_message(a, false, "no range to clear");
			return UI_REDRAW;
		}
		profile_set_range(p, 0, 0);
		hv->marked = false;
		app_message(a, false, "the graph shows the time window again");
		return UI_REDRAW;
	}
	default:
		return UI_UNHANDLED;
	}
}

static bool heat_has_data(struct view *v, struct app *a)
{
	(void)v;
	return source_profile(app_source(a)) != NULL;
}

static int heat_init(struct view *v)
{
	struct hview *hv = calloc(1, sizeof(*hv));

	if (hv)
		hv->counts = calloc((size_t)HEAT_MAX_S * PROFILE_HEAT_HZ, sizeof(*hv->counts));
	if (!hv || !hv->counts) {
		free(hv);
		return -ENOMEM;
	}
	hv->values = calloc((size_t)HEAT_MAX_S * PROFILE_HEAT_HZ, sizeof(*hv->values));
	if (!hv->values) {
		free(hv->counts);
		free(hv);
		return -ENOMEM;
	}
	hv->cursor = hv->row = -1;
	v->data = hv;
	return 0;
}

static void heat_free(struct view *v)
{
	struct hview *hv = v->data;

	if (hv) {
		free(hv->counts);
		free(hv->values);
		view_bursts_release(&hv->bc);
	}
	free(hv);
	v->data = NULL;
}

const struct view_ops view_heat_ops = {
    .name = "time heatmap",
    .short_name = "heatmap",
    .kind = VIEW_MAIN,
    .keys = heat_keys,
    .init = heat_init,
    .has_data = heat_has_data,
    .draw = heat_draw,
    .key = heat_key,
    .free = heat_free,
};
