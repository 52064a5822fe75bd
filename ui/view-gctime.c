/*
 * view-gctime.c - the GC timeline: a strip under the main view and a
 * full-screen list of the target's collections.
 *
 * The strip (view_gctime_ops, four rows, five with a selection) shares the profile's time axis:
 * the window in force (the last N seconds, or everything since the
 * runtime started) ends at the newest poll, or at the moment the picture
 * was frozen.  Its rows, top to bottom:
 *
 *   GC 12 in window | 2.40/s | paused 1.30% | collecting 4.10% | ...
 *   heap  the bytes in use as a line: the level before each collection,
 *         after it, and a straight line between
 *   pause one mark per collection, its height the pause (the longest
 *         of the window is full height); the selected one reversed
 *         the selected collection's gctrace line, or the axis
 *         (with a selection) its trigger stack, innermost first, the
 *         collector's own frames folded
 *
 * Marks and levels are characters (block elements, or ASCII without
 * UTF-8), so the strip reads the same without colours.
 *
 * The selection (a collection, kept by its start and end times so that
 * it survives collections being forgotten) lives in the strip's state;
 * the full view (view_gclist_ops, Tab) lists collections as gctrace
 * lines with the selected one's trigger stack, and moves the same
 * selection.  Enter in the list, T under the strip, zooms the flame
 * graph to the trigger path: to the frame that called the collector (the
 * allocating function), or the deepest frame on the path with samples.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flametop-shm.h"
#include "gctimeline.h"
#include "style.h"
#include "view.h"

#define LABEL_W 6 /* "heap  ", "pause " */
#define MB(x) ((double)(x) / (1024.0 * 1024.0))

struct gcstate {
	bool sel;		     /* a collection is selected */
	uint64_t sel_start, sel_end; /* ... which one */
	bool frozen;
	uint64_t frozen_to; /* the axis' end while frozen */
	int list_first;	    /* the full view's first row shown */
};

/* clang-format off */
static const struct binding gctime_keys[] = {
	{{'['}, ACT_GC_PREV, "GC strip: select the previous collection (the newest first)", "gc", false},
	{{']'}, ACT_GC_NEXT, "GC strip: select the next collection (past the newest: none)", "gc", false},
	{{'T'}, ACT_GC_TRIGGER, "zoom the graph to the selected collection's trigger stack", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};

static const struct binding gclist_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "previous collection", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "next collection", "move", false},
	{{K_PGUP}, ACT_PAGE_UP, "a page of collections up", NULL, false},
	{{K_PGDN}, ACT_PAGE_DOWN, "a page of collections down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "the oldest collection kept", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "the newest collection", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "zoom the graph to the selected collection's trigger stack", "trigger in graph", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static struct gctimeline *timeline(struct app *a)
{
	return source_gctimeline(app_source(a));
}

static bool has_collections(struct app *a)
{
	struct gctimeline *t = timeline(a);

	return t && gctimeline_total(t) > 0;
}

static void view_gctime_axis(struct app *a, struct gcstate *st, uint64_t *from, uint64_t *to)
{
	struct source *src = app_source(a);
	struct profile *p = source_profile(src);
	struct gctimeline *t = timeline(a);
	struct live_stats ls;
	uint64_t now = 0, win = p ? profile_window(p) : 0;

	if (source_stats(src, &ls))
		now = ls.now_ns;
	if (st) {
		if (source_frozen(src) && !st->frozen)
			st->frozen_to = now;
		st->frozen = source_frozen(src);
		if (st->frozen && st->frozen_to)
			now = st->frozen_to;
	}
	*to = now;
	*from = t ? gctimeline_origin(t) : 0;
	if (win && now > win && now - win > *from)
		*from = now - win;
	if (*from >= *to)
		*from = *to ? *to - 1 : 0;
}

/* The index of the selected collection, or -1 (none, or forgotten). */
static long sel_index(const struct gctimeline *t, const struct gcstate *st)
{
	size_t i, n = gctimeline_count(t);

	if (!st->sel)
		return -1;
	for (i = gctimeline_find(t, st->sel_end); i < n; i++) {
		const struct gc_cycle *c = gctimeline_get(t, i);

		if (c->end_ns != st->sel_end)
			break;
		if (c->start_ns == st->sel_start)
			return (long)i;
	}
	return -1;
}

static void select_index(const struct gctimeline *t, struct gcstate *st, long i)
{
	const struct gc_cycle *c;

	if (i < 0 || (size_t)i >= gctimeline_count(t)) {
		st->sel = false;
		return;
	}
	c = gctimeline_get(t, (size_t)i);
	st->sel = true;
	st->sel_start = c->start_ns;
	st->sel_end = c->end_ns;
}

/* The last kept collection that ends at or before to, or -1. */
static long newest_by(const struct gctimeline *t, uint64_t to)
{
	long i = (long)gctimeline_find(t, to);

	if ((size_t)i < gctimeline_count(t) && gctimeline_get(t, (size_t)i)->end_ns == to)
		return i;
	return i - 1;
}

/* Of the trigger stack ids (root first, n frames), how many are the
 * collector's own: the innermost frames of the innermost frame's module,
 * when the stack leaves that module (0 when it never does). */
static size_t collector_frames(const struct funcs *f, const uint32_t *ids, size_t n)
{
	const char *mod = n ? funcs_module(f, ids[n - 1]) : "";
	size_t inner = 0;

	while (inner < n && !strcmp(funcs_module(f, ids[n - 1 - inner]), mod))
		inner++;
	return inner < n && *mod ? inner : 0;
}

/* "trigger (under 5 frames of libgc.so.1): box_element < pipeline <
 * main": innermost first, the collector's own frames folded; "" when the
 * collection has no stack. */
static void trigger_text(struct app *a, const struct gc_cycle *c, char *buf, size_t len)
{
	uint32_t ids[FT_MAX_DEPTH];
	struct funcs *f = app_funcs(a);
	size_t n = source_gc_stack(app_source(a), c, ids, FT_MAX_DEPTH), pos;
	size_t inner = collector_frames(f, ids, n);
	char under[128] = "";
	int k;

	buf[0] = '\0';
	if (!n)
		return;
	if (inner) {
		const char *mod = funcs_module(f, ids[n - 1]), *base = strrchr(mod, '/');

		snprintf(under, sizeof(under), " (under %zu frame%s of %s)", inner,
			 inner == 1 ? "" : "s", base ? base + 1 : mod);
		n -= inner;
	}
	k = snprintf(buf, len, "trigger%s: ", under);
	pos = k > 0 && (size_t)k < len ? (size_t)k : 0;
	while (n-- > 0 && pos + 1 < len) {
		k = snprintf(buf + pos, len - pos, "%s%s", funcs_name(f, ids[n]), n ? " < " : "");
		if (k < 0)
			break;
		pos += (size_t)k;
	}
}

/* ---- drawing ------------------------------------------------------------ */

static const char *const levels_utf8[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					  "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					  "\xe2\x96\x87", "\xe2\x96\x88"};
static const char levels_ascii[] = "..--==##";

/* The glyph of level k (0..7) of eight. */
static uint32_t level_glyph(bool utf8, int k)
{
	const unsigned char *s;

	if (k < 0)
		k = 0;
	if (k > 7)
		k = 7;
	if (!utf8)
		return (uint32_t)levels_ascii[k];
	s = (const unsigned char *)levels_utf8[k];
	return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
}

/* The level (0..7) of v on a scale whose top is max. */
static int level_of(uint64_t v, uint64_t max)
{
	if (!max)
		return 0;
	return (int)((unsigned __int128)v * 7 / max);
}

void view_gctime_summary(const struct gctimeline *t, uint64_t from, uint64_t to, char *buf,
			 size_t len)
{
	struct gc_summary s;
	int k;

	if (gctimeline_summary(t, from, to, &s) < 0) {
		snprintf(buf, len, " GC: out of memory");
		return;
	}
	k = snprintf(buf, len, " GC %llu in window | %.2f/s | paused %.2f%% | collecting %.2f%%",
		     (unsigned long long)s.collections, s.rate_per_s, 100 * s.pause_share,
		     100 * s.work_share);
	if (k > 0 && (size_t)k < len && s.collections)
		k += snprintf(buf + k, len - (size_t)k, " | pause max %.2f ms",
			      (double)s.pause_max_ns / 1e6);
	if (k > 0 && (size_t)k < len && s.allocated_known)
		snprintf(buf + k, len - (size_t)k, " | allocating %.1f MB/s", MB(s.alloc_rate));
}

void view_gctime_render(struct grid *g, struct rect r, const struct gctimeline *t, uint64_t from,
			uint64_t to, const struct gc_cycle *sel, const char *trigger)
{
	int w = r.w - LABEL_W, x, col, selcol = -1;
	uint64_t maxpause = 0, maxheap = 0;
	size_t i, first = gctimeline_find(t, from), n = gctimeline_count(t);
	const struct gc_cycle *prev = NULL;
	char line[1024], detail[512];

	if (r.h <= 0 || r.w <= LABEL_W)
		return;
	view_gctime_summary(t, from, to, line, sizeof(line));
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	if (r.h < 3)
		return;
	grid_put(g, r.x, r.y + 1, LABEL_W, "heap", COL_DEFAULT, 0);
	grid_put(g, r.x, r.y + 2, LABEL_W, "pause", COL_DEFAULT, 0);
	/* the scales: the longest pause and the largest heap in the window
	 * (and of the collection before it, where the line starts) */
	if (first > 0)
		prev = gctimeline_get(t, first - 1);
	if (prev)
		maxheap = prev->used_after;
	for (i = first; i < n; i++) {
		const struct gc_cycle *c = gctimeline_get(t, i);

		if (c->end_ns > to)
			break;
		if (c->pause_ns > maxpause)
			maxpause = c->pause_ns;
		if (c->used_before > maxheap)
			maxheap = c->used_before;
		if (c->used_after > maxheap)
			maxheap = c->used_after;
	}
	/* the heap line, column by column: a collection's column shows the
	 * level before it; between two collections, the line from the level
	 * after the first to the level before the next */
	for (x = 0; x < w; x++) {
		uint64_t c0 =
		    from + (uint64_t)((unsigned __int128)(to - from) * (unsigned)x / (unsigned)w);
		uint64_t c1 = from + (uint64_t)((unsigned __int128)(to - from) * (unsigned)(x + 1) /
						(unsigned)w);
		size_t j = gctimeline_find(t, c0);
		const struct gc_cycle *in = NULL, *before = NULL, *after = NULL;
		uint64_t v;

		if (j < n && gctimeline_get(t, j)->end_ns < c1 &&
		    gctimeline_get(t, j)->end_ns <= to)
			in = gctimeline_get(t, j);
		if (j > 0)
			before = gctimeline_get(t, j - 1);
		if (j < n && gctimeline_get(t, j)->end_ns <= to)
			after = gctimeline_get(t, j);
		if (in) {
			v = in->used_before;
		} else if (before && after && after->start_ns > before->end_ns) {
			uint64_t span = after->start_ns - before->end_ns, at = c0 - before->end_ns;
			double f = at >= span ? 1.0 : (double)at / (double)span;
			double dv = (double)after->used_before - (double)before->used_after;

			v = (uint64_t)((double)before->used_after + f * dv);
		} else if (before) {
			v = before->used_after;
		} else {
			continue; /* nothing known yet */
		}
		grid_fill(g, r.x + LABEL_W + x, r.y + 1, 1,
			  level_glyph(g->utf8, level_of(v, maxheap)), COL_DEFAULT, 0);
	}
	/* the pause marks: the longest pause of each column */
	for (i = first; i < n; i++) {
		const struct gc_cycle *c = gctimeline_get(t, i);
		struct cell *cell;
		int lv;

		if (c->end_ns > to)
			break;
		col = gctimeline_column(c->end_ns, from, to + 1, w);
		cell = col < 0 ? NULL : grid_at(g, r.x + LABEL_W + col, r.y + 2);
		if (!cell)
			continue;
		lv = level_of(c->pause_ns, maxpause);
		if (cell->ch == ' ' || lv > cell->attr >> 4)
			grid_fill(g, r.x + LABEL_W + col, r.y + 2, 1, level_glyph(g->utf8, lv),
				  COL_NOTICE, (uint8_t)(ATTR_BOLD | lv << 4));
		if (sel && c->start_ns == sel->start_ns && c->end_ns == sel->end_ns)
			selcol = col;
	}
	/* the level was kept in the attribute's high bits while drawing */
	for (x = 0; x < w; x++) {
		struct cell *cell = grid_at(g, r.x + LABEL_W + x, r.y + 2);

		if (cell)
			cell->attr &= 0x0f;
	}
	if (selcol >= 0)
		grid_fill(g, r.x + LABEL_W + selcol, r.y + 2, 1,
			  grid_cat(g, r.x + LABEL_W + selcol, r.y + 2)->ch, COL_SELECTED,
			  ATTR_BOLD | ATTR_REVERSE);
	if (r.h < 4)
		return;
	if (sel) {
		gctimeline_format(sel, gctimeline_origin(t), detail, sizeof(detail));
		snprintf(line, sizeof(line), " %s", detail);
		grid_fill(g, r.x, r.y + 3, r.w, ' ', COL_STATUS, 0);
		grid_put(g, r.x, r.y + 3, r.w, line, COL_STATUS, 0);
		if (r.h < 5)
			return;
		snprintf(line, sizeof(line), " %s",
			 trigger && *trigger ? trigger : "no trigger stack");
		grid_fill(g, r.x, r.y + 4, r.w, ' ', COL_STATUS, 0);
		grid_put(g, r.x, r.y + 4, r.w, line, COL_STATUS, 0);
		return;
	}
	/* the axis: where the window starts and that it ends now */
	snprintf(line, sizeof(line), "%.1fs", (double)(from - gctimeline_origin(t)) / 1e9);
	grid_put(g, r.x + LABEL_W, r.y + 3, w, line, COL_DEFAULT, 0);
	snprintf(line, sizeof(line), "[ ] select a collection");
	x = LABEL_W + (w - grid_text_width(line)) / 2;
	if (x > LABEL_W + 8)
		grid_put(g, r.x + x, r.y + 3, r.w - x, line, COL_DEFAULT, 0);
	snprintf(line, sizeof(line), "%.1fs", (double)(to - gctimeline_origin(t)) / 1e9);
	grid_put(g, r.x + r.w - grid_text_width(line), r.y + 3, r.w, line, COL_DEFAULT, 0);
}

/* The selected collection (NULL when none or forgotten). */
static const struct gc_cycle *selected(struct gctimeline *t, struct gcstate *st)
{
	long i = t ? sel_index(t, st) : -1;

	return i < 0 ? NULL : gctimeline_get(t, (size_t)i);
}

static void gctime_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct gcstate *st = v->data;
	struct gctimeline *t = timeline(a);
	const struct gc_cycle *c;
	uint64_t from, to;
	char trig[2048] = "";

	if (!t)
		return;
	view_gctime_axis(a, st, &from, &to);
	c = selected(t, st);
	if (c)
		trigger_text(a, c, trig, sizeof(trig));
	view_gctime_render(g, r, t, from, to, c, trig);
}

/* Four rows, five with a collection selected (its trigger stack); none
 * when the main view would be left with fewer than six. */
static int gctime_rows(struct view *v, struct app *a, int avail)
{
	struct gcstate *st = v->data;
	int want = st->sel && selected(timeline(a), st) ? 5 : 4;

	return avail >= want + 6 ? want : avail >= 4 + 6 ? 4 : 0;
}

/* Zooms the flame graph to c's trigger path: to the frame that called
 * the collector (or the deepest of the path that has samples). */
static void show_trigger(struct app *a, const struct gc_cycle *c)
{
	uint32_t ids[FT_MAX_DEPTH];
	size_t n, i;
	struct calltree *tree = app_tree(a);
	struct ctnode *node;

	if (!c) {
		app_message(a, false, "no collection selected: [ and ] select one");
		return;
	}
	n = source_gc_stack(app_source(a), c, ids, FT_MAX_DEPTH);
	if (!n) {
		app_message(a, false, "gc %llu has no trigger stack",
			    (unsigned long long)c->number);
		return;
	}
	n -= collector_frames(app_funcs(a), ids, n);
	node = tree ? calltree_root(tree) : NULL;
	for (i = 0; node && i < n; i++) {
		struct ctnode *k = calltree_child(node, ids[i]);

		if (!k || !k->total_weight)
			break;
		node = k;
	}
	if (!node || !node->parent) {
		app_message(a, false, "the trigger stack of gc %llu has no samples in the graph",
			    (unsigned long long)c->number);
		return;
	}
	app_show_node(a, node);
	if (i == n)
		app_message(a, false, "gc %llu was triggered under %s",
			    (unsigned long long)c->number, funcs_name(app_funcs(a), node->func));
	else
		app_message(a, false,
			    "gc %llu: %zu of the %zu frames of its trigger stack have samples",
			    (unsigned long long)c->number, i, n);
}

/* Moves the selection by d collections (from none: the newest first). */
static void move_sel(struct app *a, struct gcstate *st, long d)
{
	struct gctimeline *t = timeline(a);
	uint64_t from, to;
	long i, n;

	if (!t)
		return;
	n = (long)gctimeline_count(t);
	view_gctime_axis(a, st, &from, &to);
	i = sel_index(t, st);
	if (i < 0) {
		i = newest_by(t, to);
		if (d > 0 || i < 0) {
			app_message(a, false, "no collection to select");
			return;
		}
	} else {
		i += d;
		if (i < 0)
			i = 0;
		if (i >= n || gctimeline_get(t, (size_t)i)->end_ns > to) {
			st->sel = false;
			app_message(a, false,
				    "no collection selected: the strip follows the newest");
			return;
		}
	}
	select_index(t, st, i);
}

static enum ui_result gctime_key(struct view *v, struct app *a, enum action act,
				 const struct ui_event *ev)
{
	struct gcstate *st = v->data;

	(void)ev;
	switch (act) {
	case ACT_GC_PREV:
		move_sel(a, st, -1);
		return UI_REDRAW;
	case ACT_GC_NEXT:
		move_sel(a, st, 1);
		return UI_REDRAW;
	case ACT_GC_TRIGGER:
		show_trigger(a, selected(timeline(a), st));
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static int gctime_init(struct view *v)
{
	v->data = calloc(1, sizeof(struct gcstate));
	return v->data ? 0 : -ENOMEM;
}

static void gctime_free(struct view *v)
{
	free(v->data);
	v->data = NULL;
}

static bool gctime_has_data(struct view *v, struct app *a)
{
	(void)v;
	return has_collections(a);
}

const struct view_ops view_gctime_ops = {
    .name = "GC timeline strip",
    .short_name = "gc strip",
    .kind = VIEW_STRIP_BELOW,
    .keys = gctime_keys,
    .init = gctime_init,
    .has_data = gctime_has_data,
    .rows = gctime_rows,
    .draw = gctime_draw,
    .key = gctime_key,
    .free = gctime_free,
};

/* ---- the full view: every collection kept -------------------------------- */

/* The strip's state (the shared selection), or the list's own. */
static struct gcstate *shared(struct view *v, struct app *a)
{
	struct gcstate *st = app_view_data(a, &view_gctime_ops);

	return st ? st : v->data;
}

/* Who caused collection i: what the program allocated since the previous
 * one, the estimate beside the collector's own count, by function. */
static void alloc_column(struct app *a, size_t i, const struct gc_cycle *c, struct grid *g, int x,
			 int y, int w, int h)
{
	struct alloc_site sites[256];
	char line[512], est[32], own[32], b[32], cnt[32];
	struct alloc_between r;
	bool has;
	size_t n = source_gc_allocs(app_source(a), i, sites, 256, &r, &has);

	if (h < 1 || w < 10)
		return;
	if (!has) {
		grid_put(g, x + 1, y, w - 1, "allocations: no data (none sampled)", COL_DEFAULT, 0);
		return;
	}
	if (!r.whole) {
		grid_put(g, x + 1, y, w - 1,
			 "allocated since the previous collection: no longer all kept", COL_DEFAULT,
			 0);
		return;
	}
	unit_format(UNIT_BYTES, r.total, est, sizeof(est));
	if (r.counted) {
		/* the threads' own count, the samples' estimate beside it */
		unit_format(UNIT_BYTES, r.counted, cnt, sizeof(cnt));
		snprintf(line, sizeof(line), "allocated since gc %llu: %s counted, %s sampled",
			 (unsigned long long)(c->number > 0 ? c->number - 1 : 0), cnt, est);
	} else {
		snprintf(line, sizeof(line), "allocated since gc %llu: %s sampled",
			 (unsigned long long)(c->number > 0 ? c->number - 1 : 0), est);
	}
	grid_put(g, x + 1, y, w - 1, line, COL_DEFAULT, ATTR_BOLD);
	if (c->allocated && h > 1) {
		/* the collector's own count, to judge the estimate by */
		unit_format(UNIT_BYTES, c->allocated, own, sizeof(own));
		snprintf(line, sizeof(line), "  the collector counted %s", own);
		grid_put(g, x + 1, ++y, w - 1, line, COL_DEFAULT, 0);
		h--;
	}
	for (size_t k = 0; k < n && (int)k + 1 < h; k++) {
		unit_format(UNIT_BYTES, sites[k].bytes, b, sizeof(b));
		snprintf(line, sizeof(line), "  %5.1f%%  %9s  %s",
			 r.total ? 100.0 * (double)sites[k].bytes / (double)r.total : 0, b,
			 funcs_name(app_funcs(a), sites[k].func));
		grid_put(g, x + 1, y + 1 + (int)k, w - 1, line, COL_DEFAULT, 0);
	}
	if (!n)
		grid_put(g, x + 1, y + 1, w - 1, "  no sampled allocation", COL_DEFAULT, 0);
}

static void gclist_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct gcstate *st = shared(v, a);
	struct gctimeline *t = timeline(a);
	const struct gc_cycle *c;
	uint64_t from, to, origin;
	long n, i, cur, rows, k;
	char line[1024], trig[64];
	uint32_t ids[FT_MAX_DEPTH];
	size_t nids;
	int y, list_h, det_h;

	if (!t || r.h < 3)
		return;
	view_gctime_axis(a, st, &from, &to);
	origin = gctimeline_origin(t);
	n = (long)gctimeline_count(t);
	cur = sel_index(t, st);
	snprintf(line, sizeof(line), " %llu collections seen, the last %ld kept | %s",
		 (unsigned long long)gctimeline_total(t), n,
		 cur < 0 ? "following the newest (Up selects)" : "Enter: trigger in the graph");
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	/* the list above, the selected collection's trigger stack below */
	det_h = cur < 0 ? 0 : r.h / 2;
	list_h = r.h - 1 - det_h;
	rows = list_h;
	k = cur < 0 ? n - 1 : cur;
	if (st->list_first > k)
		st->list_first = (int)k;
	if (k >= st->list_first + rows)
		st->list_first = (int)(k - rows + 1);
	if (cur < 0)
		st->list_first = (int)(n > rows ? n - rows : 0);
	if (st->list_first < 0)
		st->list_first = 0;
	for (y = 0, i = st->list_first; y < rows && i < n; y++, i++) {
		c = gctimeline_get(t, (size_t)i);
		gctimeline_format(c, origin, line, sizeof(line));
		if (i == cur) {
			grid_fill(g, r.x, r.y + 1 + y, r.w, ' ', COL_SELECTED, ATTR_REVERSE);
			grid_put(g, r.x + 1, r.y + 1 + y, r.w - 1, line, COL_SELECTED,
				 ATTR_REVERSE);
		} else {
			grid_put(g, r.x + 1, r.y + 1 + y, r.w - 1, line,
				 c->end_ns < from ? COL_FRAME_ANCESTOR : COL_DEFAULT, 0);
		}
	}
	if (cur < 0)
		return;
	c = gctimeline_get(t, (size_t)cur);
	y = r.y + 1 + list_h;
	snprintf(line, sizeof(line),
		 " gc %llu: tid %d, %s, started %.3fs, %.3f ms from start to end",
		 (unsigned long long)c->number, (int)c->tid, gctimeline_reason_name(c->reason),
		 (double)(c->start_ns - origin) / 1e9, (double)(c->end_ns - c->start_ns) / 1e6);
	grid_fill(g, r.x, y, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, y, r.w, line, COL_STATUS, 0);
	if (r.w >= 80) {
		/* who caused it: the allocations since the previous one, on the
		 * right half */
		int half = r.w / 2;

		alloc_column(a, (size_t)cur, c, g, r.x + half, y + 1, r.w - half,
			     r.y + r.h - (y + 1));
		r.w = half;
	}
	nids = source_gc_stack(app_source(a), c, ids, FT_MAX_DEPTH);
	if (!nids) {
		grid_put(g, r.x + 1, y + 1, r.w - 1,
			 "no trigger stack (none is taken while nothing samples)", COL_DEFAULT, 0);
		return;
	}
	grid_put(g, r.x + 1, y + 1, r.w - 1, "trigger stack, innermost first:", COL_DEFAULT,
		 ATTR_BOLD);
	for (k = 0; k < (long)nids && y + 2 + k < r.y + r.h; k++) {
		const char *mod = funcs_module(app_funcs(a), ids[nids - 1 - (size_t)k]);
		const char *base = strrchr(mod, '/');

		snprintf(trig, sizeof(trig), "%s", base ? base + 1 : mod);
		snprintf(line, sizeof(line), "  %s  [%s]",
			 funcs_name(app_funcs(a), ids[nids - 1 - (size_t)k]), trig);
		if (y + 2 + k == r.y + r.h - 1 && k + 1 < (long)nids)
			snprintf(line, sizeof(line), "  ... %ld more frames", (long)nids - k);
		grid_put(g, r.x + 1, y + 2 + (int)k, r.w - 1, line, COL_DEFAULT, 0);
	}
}

static enum ui_result gclist_key(struct view *v, struct app *a, enum action act,
				 const struct ui_event *ev)
{
	struct gcstate *st = shared(v, a);
	struct gctimeline *t = timeline(a);
	long page = v->last.h / 2 > 1 ? v->last.h / 2 : 1;

	(void)ev;
	if (!t)
		return UI_UNHANDLED;
	switch (act) {
	case ACT_UP:
		move_sel(a, st, -1);
		return UI_REDRAW;
	case ACT_DOWN:
		move_sel(a, st, 1);
		return UI_REDRAW;
	case ACT_PAGE_UP:
		move_sel(a, st, -page);
		return UI_REDRAW;
	case ACT_PAGE_DOWN:
		move_sel(a, st, page);
		return UI_REDRAW;
	case ACT_TOP:
		select_index(t, st, 0);
		return UI_REDRAW;
	case ACT_BOTTOM:
		st->sel = false;
		move_sel(a, st, -1);
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		show_trigger(a, selected(t, st));
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

const struct view_ops view_gclist_ops = {
    .name = "GC timeline",
    .short_name = "gc",
    .kind = VIEW_MAIN,
    .keys = gclist_keys,
    .init = gctime_init,
    .has_data = gctime_has_data,
    .draw = gclist_draw,
    .key = gclist_key,
    .free = gctime_free,
};
