/*
 * view-heat.c - the time heatmap (FlameScope's view): a column a second
 * of the profile, a row a tenth of that second (PROFILE_HEAT_HZ rows,
 * the first at the top), each cell shaded by the samples taken in it
 * against the busiest cell shown, with a legend.  The newest second is
 * at the right and the map scrolls live; a row under it marks the
 * seconds in which the target collected garbage.
 *
 * A cursor (a column) and a range (v marks one end, the cursor is the
 * other) pick seconds; Enter shows only them in the flame graph
 * (profile_set_range), Esc shows the window again.  Shades are
 * characters (block elements, or ASCII without UTF-8): the map reads
 * the same without colours.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gctimeline.h"
#include "style.h"
#include "view.h"

#define HEAT_LABEL 5	/* ".0s  " before the cells */
#define HEAT_MAX_S 3600 /* seconds read at most */
#define NS 1000000000ull

struct hview {
	uint64_t *counts; /* HEAT_MAX_S * PROFILE_HEAT_HZ buckets */
	long cursor;	  /* second from the first retained; -1: the newest */
	long anchor;	  /* the range's other end; -1: none */
	uint64_t anchor_ns;
	uint64_t first_ns; /* of the last draw */
	long nsec;	   /* seconds of the last draw */
};

/* clang-format off */
static const struct binding heat_keys[] = {
	{{K_LEFT, 'h'}, ACT_LEFT, "heatmap: the previous second", "move", false},
	{{K_RIGHT, 'l'}, ACT_RIGHT, "heatmap: the next second", "move", false},
	{{'g', K_HOME}, ACT_TOP, "heatmap: the oldest second kept", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "heatmap: the newest second (follows the map)", NULL, false},
	{{'v'}, ACT_MARK, "heatmap: mark one end of a range of seconds (the cursor is the other)", "range", false},
	{{K_ENTER}, ACT_ZOOM_IN, "show only the range (or the cursor's second) in the graph", "show in graph", false},
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

/* Seconds from origin_ns to the start of second s of the map. */
static double at(uint64_t first_ns, long s, uint64_t origin_ns)
{
	double v = ((double)first_ns - (double)origin_ns) / 1e9 + (double)s;

	/* the first second began before the runtime did: "0s", not "-0s" */
	return v < 0 && v > -1 ? 0 : v;
}

void view_heat_render(struct grid *g, struct rect r, const uint64_t *counts, size_t n,
		      uint64_t first_ns, uint64_t origin_ns, long cursor, long anchor,
		      const uint64_t *gc_end, size_t ngc, long *first_col)
{
	long nsec = (long)((n + PROFILE_HEAT_HZ - 1) / PROFILE_HEAT_HZ), cols = r.w - HEAT_LABEL;
	long first, s, lo = anchor < 0 ? cursor : (anchor < cursor ? anchor : cursor);
	long hi = anchor < 0 ? cursor : (anchor > cursor ? anchor : cursor);
	uint64_t max = 0, cur_n = 0;
	char line[256];
	int row, k;

	if (cols < 1 || r.h < PROFILE_HEAT_HZ + 3)
		return;
	/* the newest seconds that fit, the cursor's always among them */
	first = nsec > cols ? nsec - cols : 0;
	if (cursor >= 0 && cursor < first)
		first = cursor;
	*first_col = first;
	for (s = first; s < nsec && s < first + cols; s++)
		for (row = 0; row < PROFILE_HEAT_HZ; row++) {
			size_t b = (size_t)s * PROFILE_HEAT_HZ + (size_t)row;

			if (b < n && counts[b] > max)
				max = counts[b];
		}
	/* the title and the legend: the shades, lightest first, up to the
	 * busiest cell */
	snprintf(line, sizeof(line),
		 " a column a second, a row a tenth of it; %s%s%s%s up to %llu samples a cell",
		 g->utf8 ? shades_utf8[1] : ".", g->utf8 ? shades_utf8[2] : ":",
		 g->utf8 ? shades_utf8[3] : "*", g->utf8 ? shades_utf8[4] : "#",
		 (unsigned long long)max);
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	for (row = 0; row < PROFILE_HEAT_HZ; row++) {
		snprintf(line, sizeof(line), ".%ds", row);
		grid_put(g, r.x, r.y + 1 + row, HEAT_LABEL, line, COL_DEFAULT, 0);
	}
	grid_put(g, r.x, r.y + 1 + PROFILE_HEAT_HZ, HEAT_LABEL, "GC", COL_DEFAULT, 0);
	for (s = first; s < nsec && s < first + cols; s++) {
		int x = r.x + HEAT_LABEL + (int)(s - first);
		bool in = cursor >= 0 && s >= lo && s <= hi;

		for (row = 0; row < PROFILE_HEAT_HZ; row++) {
			size_t b = (size_t)s * PROFILE_HEAT_HZ + (size_t)row;
			uint64_t c = b < n ? counts[b] : 0;

			if (s == cursor)
				cur_n += c;
			grid_fill(g, x, r.y + 1 + row, 1, shade(g->utf8, level(c, max)),
				  in ? COL_SELECTED : COL_DEFAULT, in ? ATTR_REVERSE : 0);
		}
	}
	/* the seconds in which a collection ended */
	for (size_t i = 0; i < ngc; i++) {
		long sec;

		if (gc_end[i] < first_ns)
			continue;
		sec = (long)((gc_end[i] - first_ns) / NS);
		if (sec >= first && sec < nsec && sec < first + cols)
			grid_fill(g, r.x + HEAT_LABEL + (int)(sec - first),
				  r.y + 1 + PROFILE_HEAT_HZ, 1, '|', COL_NOTICE, ATTR_BOLD);
	}
	/* the axis: seconds since the target's runtime started */
	row = r.y + 2 + PROFILE_HEAT_HZ;
	snprintf(line, sizeof(line), "%.0fs", at(first_ns, first, origin_ns));
	k = HEAT_LABEL + grid_put(g, r.x + HEAT_LABEL, row, r.w, line, COL_DEFAULT, 0);
	if (nsec - 1 > first) {
		int x;

		snprintf(line, sizeof(line), "%.0fs", at(first_ns, nsec - 1, origin_ns));
		x = HEAT_LABEL + (int)(nsec - 1 - first < cols ? nsec - 1 - first : cols - 1);
		x -= grid_text_width(line) - 1;
		if (x > k + 1)
			grid_put(g, r.x + x, row, r.w, line, COL_DEFAULT, 0);
	}
	if (r.h < PROFILE_HEAT_HZ + 4)
		return;
	if (cursor < 0)
		snprintf(line, sizeof(line),
			 " %ld seconds kept | Left/Right pick a second, v marks a range", nsec);
	else if (anchor < 0)
		snprintf(line, sizeof(line),
			 " second %.0fs: %llu samples | Enter shows it in the graph",
			 at(first_ns, cursor, origin_ns), (unsigned long long)cur_n);
	else
		snprintf(line, sizeof(line),
			 " range %.0fs-%.0fs (%ld s) | Enter shows it in the graph",
			 at(first_ns, lo, origin_ns), at(first_ns, hi, origin_ns), hi - lo + 1);
	grid_fill(g, r.x, r.y + 3 + PROFILE_HEAT_HZ, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, r.y + 3 + PROFILE_HEAT_HZ, r.w, line, COL_STATUS, 0);
}

/* The target runtime's start (the origin of every flametop time). */
static uint64_t origin(struct app *a)
{
	struct gctimeline *t = source_gctimeline(app_source(a));

	return t ? gctimeline_origin(t) : 0;
}

static void heat_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct hview *hv = v->data;
	struct profile *p = source_profile(app_source(a));
	struct gctimeline *t = source_gctimeline(app_source(a));
	uint64_t *ends = NULL, first_ns;
	size_t n, ngc = 0, i, k;
	long first_col, cursor;
	char msg[128];

	if (!p)
		return;
	if (r.h < PROFILE_HEAT_HZ + 3 || r.w < HEAT_LABEL + 10) {
		snprintf(msg, sizeof(msg), "too small for the heatmap: it needs %d rows",
			 PROFILE_HEAT_HZ + 3);
		grid_put(g, r.x + 1, r.y + r.h / 2, r.w - 1, msg, COL_ERROR, ATTR_BOLD);
		return;
	}
	n = profile_heat(p, hv->counts, NULL, (size_t)HEAT_MAX_S * PROFILE_HEAT_HZ, &first_ns);
	/* the anchor keeps its second as the oldest ones expire */
	if (hv->anchor >= 0 && hv->first_ns != first_ns && hv->anchor_ns >= first_ns)
		hv->anchor = (long)((hv->anchor_ns - first_ns) / NS);
	if (hv->cursor >= 0 && hv->first_ns && hv->first_ns < first_ns)
		hv->cursor -= (long)((first_ns - hv->first_ns) / NS);
	hv->first_ns = first_ns;
	hv->nsec = (long)((n + PROFILE_HEAT_HZ - 1) / PROFILE_HEAT_HZ);
	if (hv->cursor >= hv->nsec)
		hv->cursor = hv->nsec - 1;
	if (t && (k = gctimeline_find(t, first_ns)) < gctimeline_count(t)) {
		ends = malloc((gctimeline_count(t) - k) * sizeof(*ends));
		for (i = k; ends && i < gctimeline_count(t); i++)
			ends[ngc++] = gctimeline_get(t, i)->end_ns;
	}
	cursor = hv->cursor;
	view_heat_render(g, r, hv->counts, n, first_ns, origin(a), cursor,
			 cursor >= 0 ? hv->anchor : -1, ends, ngc, &first_col);
	free(ends);
}

static enum ui_result heat_key(struct view *v, struct app *a, enum action act,
			       const struct ui_event *ev)
{
	struct hview *hv = v->data;
	struct profile *p = source_profile(app_source(a));
	long lo, hi;

	(void)ev;
	if (!p)
		return UI_UNHANDLED;
	if (hv->cursor < 0 &&
	    (act == ACT_LEFT || act == ACT_RIGHT || act == ACT_MARK || act == ACT_ZOOM_IN))
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
	case ACT_TOP:
		hv->cursor = 0;
		return UI_REDRAW;
	case ACT_BOTTOM:
		hv->cursor = -1;
		hv->anchor = -1;
		return UI_REDRAW;
	case ACT_MARK:
		hv->anchor = hv->cursor;
		hv->anchor_ns = hv->first_ns + (uint64_t)hv->cursor * NS;
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		if (hv->cursor < 0)
			return UI_HANDLED;
		lo = hv->anchor < 0 || hv->anchor > hv->cursor ? hv->cursor : hv->anchor;
		hi = hv->anchor < 0 || hv->anchor < hv->cursor ? hv->cursor : hv->anchor;
		profile_set_range(p, hv->first_ns + (uint64_t)lo * NS,
				  hv->first_ns + (uint64_t)(hi + 1) * NS);
		app_show_main(a);
		app_message(
		    a, false,
		    "the graph shows %.0fs-%.0fs only (Esc in the heatmap: the window again)",
		    at(hv->first_ns, lo, origin(a)), at(hv->first_ns, hi, origin(a)));
		return UI_REDRAW;
	case ACT_ZOOM_OUT: {
		uint64_t f, t;

		if (!profile_range(p, &f, &t) && hv->anchor < 0) {
			app_message(a, false, "no range to clear");
			return UI_REDRAW;
		}
		profile_set_range(p, 0, 0);
		hv->anchor = -1;
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
	hv->cursor = hv->anchor = -1;
	v->data = hv;
	return 0;
}

static void heat_free(struct view *v)
{
	struct hview *hv = v->data;

	if (hv)
		free(hv->counts);
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
