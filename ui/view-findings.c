/*
 * view-findings.c - the findings panel: the wide peaks and spikes of the
 * tree shown (shapes.h), heaviest first, each with its evidence in one
 * sentence; Enter zooms the flame graph to the selected one.
 *
 * Findings are computed from the tree shown (the window, filters and
 * weight in force) whenever it changed, with the default thresholds of
 * flametop(1) (SHAPES).  The selection is kept by the finding's frame
 * path (function ids from the root), so it survives the tree changing.
 * view_findings_get is also what the flame graph marks its frames from.
 *
 * Below them, for a source with a profile, the bursts in time (bursts.h,
 * as the heatmap finds them); Enter on one shows its range alone.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursts.h"
#include "evidence.h"
#include "shapes.h"
#include "style.h"
#include "util.h"
#include "view.h"

#define PATH_MAX_IDS 4096
#define FINDINGS_SHOWN 64 /* rows whose evidence is kept */

struct fdview {
	struct findings_cache fc; /* of the last draw */
	size_t cur, first;
	uint32_t sel[PATH_MAX_IDS]; /* the selected finding's path */
	size_t nsel;
	int rows; /* findings shown at the last draw */
	struct bursts_cache bc;
	struct evidence_cache ev[FINDINGS_SHOWN]; /* of the rows shown, by row */
};

/* clang-format off */
static const struct binding findings_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "previous finding", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "next finding", "move", false},
	{{'g', K_HOME}, ACT_TOP, "first finding (the heaviest)", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "last finding", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "zoom the graph to the selected finding (a burst: show its range)", "show in graph", false},
	{{'e'}, ACT_THRESHOLDS, "edit the shape thresholds (wide-share=PCT wide-depth=N spike-depth=N spike-share=PCT)", "thresholds", false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

int view_findings_get(struct findings_cache *c, struct app *a)
{
	struct calltree *t = app_tree(a);
	unsigned cfg_gen;
	const struct shapes_config *cfg = app_shapes(a, &cfg_gen);
	int rc;

	if (c->t == t && t && c->gen == calltree_gen(t) && c->cfg_gen == cfg_gen)
		return 0;
	view_findings_release(c);
	if (!t)
		return 1;
	c->t = t;
	c->gen = calltree_gen(t);
	c->cfg_gen = cfg_gen;
	if (!calltree_root(t)->total_count)
		return 1;
	rc = shapes_find(calltree_root(t), app_funcs(a), cfg, &c->f, &c->n);
	if (rc < 0) {
		c->t = NULL; /* try again at the next draw */
		return rc;
	}
	return 1;
}

void view_findings_release(struct findings_cache *c)
{
	free(c->f);
	*c = (struct findings_cache){0};
}

/* Whether c's text for node is less than a second old; else c is taken
 * for node now (the caller fills its text). */
static bool cache_fresh(struct evidence_cache *c, const void *node)
{
	uint64_t now = util_mono_ns();

	if (c->node == node && now - c->at_ns < 1000000000ull)
		return true;
	c->node = node;
	c->at_ns = now;
	return false;
}

const char *view_finding_text(struct evidence_cache *c, struct app *a,
			      const struct shape_finding *f)
{
	struct source *s = app_source(a);
	struct profile *ap, *fp;
	struct shape_evidence e;
	double span;

	if (cache_fresh(c, f->node))
		return c->text;
	source_evidence(s, &ap, &fp, &span);
	if (evidence_of(f->node, app_tree(a), source_profile(s), ap, fp, span, &e) < 0) {
		shapes_explain(f, app_funcs(a), c->text, sizeof(c->text));
		c->at_ns = 0; /* out of memory: try again */
		return c->text;
	}
	evidence_text(f, &e, app_funcs(a), c->text, sizeof(c->text));
	return c->text;
}

#define TREND_MAX_S 3600
#define TREND_POINTS 12

const char *view_trend_text(struct evidence_cache *c, struct app *a, const struct ctnode *n,
			    bool utf8)
{
	static const char *const bars[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					   "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					   "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii[] = "_.-:=+*#";
	struct source *s = app_source(a);
	struct profile *ap, *fp;
	int64_t *net, lo = 0, hi = 0, cum = 0, pts[TREND_POINTS];
	uint64_t first;
	double span;
	long ns;
	size_t off;
	char delta[32];

	if (cache_fresh(c, n))
		return c->text;
	c->text[0] = '\0';
	if (!source_evidence(s, &ap, &fp, &span) || !(net = malloc(TREND_MAX_S * sizeof(*net))))
		return c->text;
	ns = evidence_trend(n, source_profile(s), ap, fp, net, TREND_MAX_S, &first);
	/* the in-use bytes under the frame at the end of each of
	 * TREND_POINTS stretches of the seconds kept, from 0 at the start */
	for (long k = 0, i = 0; ns > 0 && k < TREND_POINTS; k++) {
		long end = (long)(((double)(k + 1) * (double)ns) / TREND_POINTS);

		for (; i < end; i++)
			cum += net[i];
		pts[k] = cum;
		lo = cum < lo ? cum : lo;
		hi = cum > hi ? cum : hi;
	}
	free(net);
	if (ns <= 0 || (lo == 0 && hi == 0))
		return c->text;
	unit_format(UNIT_BYTES, (uint64_t)(cum < 0 ? -cum : cum), delta, sizeof(delta));
	off = (size_t)snprintf(c->text, sizeof(c->text), " | in use %s%s over %ld s ",
			       cum < 0 ? "-" : "+", delta, ns);
	for (int k = 0; k < TREND_POINTS && off + 4 < sizeof(c->text); k++) {
		int level = hi > lo ? (int)((pts[k] - lo) * 7 / (hi - lo)) : 0;

		if (utf8)
			off += (size_t)snprintf(c->text + off, sizeof(c->text) - off, "%s",
						bars[level]);
		else
			c->text[off++] = ascii[level];
	}
	c->text[off] = '\0';
	return c->text;
}

char view_findings_glyph(const struct shape_finding *f)
{
	return f->kind == SHAPE_WIDE_PEAK ? '~' : '^';
}

/* The path of n from the root into ids (at most max); its length. */
static size_t path_of(const struct ctnode *n, uint32_t *ids, size_t max)
{
	size_t d = 0, i;
	const struct ctnode *p;

	for (p = n; p && p->parent; p = p->parent)
		d++;
	if (d > max)
		return 0;
	for (p = n, i = d; p && p->parent; p = p->parent)
		ids[--i] = p->func;
	return d;
}

static bool same_path(const struct ctnode *n, const uint32_t *ids, size_t len)
{
	size_t i = len;

	for (; n && n->parent; n = n->parent) {
		if (i == 0 || ids[--i] != n->func)
			return false;
	}
	return i == 0;
}

/* Shape findings and bursts: rows of the panel. */
static size_t rows_of(const struct fdview *fv)
{
	return fv->fc.n + fv->bc.n;
}

static void recompute(struct fdview *fv, struct app *a)
{
	size_t i;
	struct profile *p = source_profile(app_source(a));
	int rc = view_findings_get(&fv->fc, a);

	if (p && view_bursts_get(&fv->bc, p) < 0)
		app_message(a, true, "out of memory finding bursts");
	if (fv->cur >= rows_of(fv))
		fv->cur = rows_of(fv) ? rows_of(fv) - 1 : 0;
	if (rc < 0)
		app_message(a, true, "out of memory finding shapes");
	if (rc <= 0)
		return;
	/* the selection follows its frame */
	for (i = 0; i < fv->fc.n; i++)
		if (fv->nsel && same_path(fv->fc.f[i].node, fv->sel, fv->nsel)) {
			fv->cur = i;
			break;
		}
	if (fv->cur >= rows_of(fv))
		fv->cur = rows_of(fv) ? rows_of(fv) - 1 : 0;
}

static void remember(struct fdview *fv)
{
	fv->nsel = fv->cur < fv->fc.n ? path_of(fv->fc.f[fv->cur].node, fv->sel, PATH_MAX_IDS) : 0;
}

static void findings_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct fdview *fv = v->data;
	struct funcs *fn = app_funcs(a);
	char line[1100], expl[1024];
	size_t i;
	int y;

	unsigned gen;
	const struct shapes_config *c = app_shapes(a, &gen);

	recompute(fv, a);
	snprintf(line, sizeof(line),
		 " %zu finding%s: ~ wide peak (>= %g%% wide, <= %u deep), "
		 "^ spike (>= %u deep, <= %g%% wide), R/M rate/mix burst in time | Enter: show in "
		 "the graph, e: thresholds",
		 rows_of(fv), rows_of(fv) == 1 ? "" : "s", 100 * c->wide_min_share,
		 c->wide_max_height, c->spike_min_height, 100 * c->spike_max_share);
	grid_fill(g, r.x, r.y, r.w, ' ', COL_TABLE_HEAD, 0);
	grid_put(g, r.x, r.y, r.w, line, COL_TABLE_HEAD, 0);
	if (!rows_of(fv)) {
		grid_put(g, r.x + 1, r.y + 2, r.w - 1,
			 "no wide peak and no spike in the graph shown", COL_NOTICE, 0);
		return;
	}
	/* two rows a finding: what and where, then why */
	fv->rows = (r.h - 1) / 2;
	if (fv->rows < 1)
		fv->rows = 1;
	if (fv->cur < fv->first)
		fv->first = fv->cur;
	if (fv->cur >= fv->first + (size_t)fv->rows)
		fv->first = fv->cur - (size_t)fv->rows + 1;
	for (i = fv->first, y = r.y + 1; i < rows_of(fv) && y + 1 < r.y + r.h; i++, y += 2) {
		uint8_t col = i == fv->cur ? COL_SELECTED : COL_DEFAULT;
		uint8_t attr = i == fv->cur ? ATTR_REVERSE : 0;

		if (i < fv->fc.n) {
			const struct shape_finding *f = &fv->fc.f[i];

			snprintf(line, sizeof(line), " %c %-9s %6.2f%%  %2u deep  %s",
				 view_findings_glyph(f), shapes_kind_name(f->kind), 100 * f->share,
				 f->height, funcs_name(fn, f->node->func));
			if (i - fv->first < FINDINGS_SHOWN)
				snprintf(expl, sizeof(expl), "%s",
					 view_finding_text(&fv->ev[i - fv->first], a, f));
			else
				shapes_explain(f, fn, expl, sizeof(expl));
		} else {
			size_t k = i - fv->fc.n;
			const struct burst *b = &fv->bc.b[k];
			uint64_t origin = source_origin(app_source(a));

			snprintf(line, sizeof(line), " %c %-9s %.1f-%.1fs  %s",
				 b->kind == BURST_RATE ? 'R' : 'M',
				 b->kind == BURST_RATE ? "rate" : "mix",
				 ((double)view_burst_start(&fv->bc, k) - (double)origin) / 1e9,
				 ((double)view_burst_end(&fv->bc, k) - (double)origin) / 1e9,
				 b->ntops ? funcs_name(fn, b->top) : "");
			view_burst_text(&fv->bc, k, fn, origin, expl, sizeof(expl));
		}
		grid_fill(g, r.x, y, r.w, ' ', col, attr);
		grid_put(g, r.x, y, r.w, line, col, attr | ATTR_BOLD);
		snprintf(line, sizeof(line), "     %s", expl);
		grid_put(g, r.x, y + 1, r.w, line, COL_DEFAULT, 0);
	}
}

/* The thresholds as the e key's prompt shows and takes them. */
static void thresholds_text(const struct shapes_config *c, char *buf, size_t len)
{
	snprintf(buf, len, "wide-share=%g wide-depth=%u spike-depth=%u spike-share=%g",
		 100 * c->wide_min_share, c->wide_max_height, c->spike_min_height,
		 100 * c->spike_max_share);
}

/* Enter in the prompt: NAME=VALUE words, each checked; all or nothing. */
static void thresholds_done(struct app *a, void *arg, const char *text)
{
	unsigned gen;
	struct shapes_config c = *app_shapes(a, &gen);
	char buf[256], err[160], *save = NULL, *w;

	(void)arg;
	if (!text)
		return;
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');

		if (!eq) {
			app_message(a, true, "thresholds: '%s' is not NAME=VALUE", w);
			return;
		}
		*eq = '\0';
		if (shapes_config_set(&c, w, eq + 1, err, sizeof(err)) < 0) {
			app_message(a, true, "thresholds: %s", err);
			return;
		}
	}
	app_set_shapes(a, &c);
	thresholds_text(&c, buf, sizeof(buf));
	app_message(a, false, "thresholds: %s", buf);
}

static enum ui_result findings_key(struct view *v, struct app *a, enum action act,
				   const struct ui_event *ev)
{
	struct fdview *fv = v->data;

	(void)ev;
	switch (act) {
	case ACT_UP:
		if (fv->cur > 0)
			fv->cur--;
		break;
	case ACT_DOWN:
		if (fv->cur + 1 < rows_of(fv))
			fv->cur++;
		break;
	case ACT_TOP:
		fv->cur = 0;
		break;
	case ACT_BOTTOM:
		fv->cur = rows_of(fv) ? rows_of(fv) - 1 : 0;
		break;
	case ACT_THRESHOLDS: {
		unsigned gen;
		char init[256];

		thresholds_text(app_shapes(a, &gen), init, sizeof(init));
		app_prompt(a, "thresholds: ", init, NULL, thresholds_done, NULL);
		return UI_REDRAW;
	}
	case ACT_ZOOM_IN:
		/* the list is of the last draw: the tree has not changed since */
		if (fv->cur < fv->fc.n) {
			app_show_node(a, fv->fc.f[fv->cur].node);
		} else if (fv->cur < rows_of(fv)) {
			size_t k = fv->cur - fv->fc.n;
			uint64_t from = view_burst_start(&fv->bc, k),
				 to = view_burst_end(&fv->bc, k),
				 origin = source_origin(app_source(a));

			profile_set_range(source_profile(app_source(a)), from, to);
			app_show_main(a);
			app_message(
			    a, false,
			    "the graph shows the burst %.1f-%.1fs only (Esc in the heatmap: "
			    "the window again)",
			    ((double)from - (double)origin) / 1e9,
			    ((double)to - (double)origin) / 1e9);
		} else {
			app_message(a, false, "no finding to show");
		}
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
	remember(fv);
	return UI_REDRAW;
}

/* Tab reaches the panel while the graph shown has a finding. */
static bool findings_has_data(struct view *v, struct app *a)
{
	struct fdview *fv = v->data;

	recompute(fv, a);
	return rows_of(fv) > 0;
}

static int findings_init(struct view *v)
{
	v->data = calloc(1, sizeof(struct fdview));
	return v->data ? 0 : -ENOMEM;
}

static void findings_free(struct view *v)
{
	struct fdview *fv = v->data;

	if (fv) {
		view_findings_release(&fv->fc);
		view_bursts_release(&fv->bc);
	}
	free(fv);
	v->data = NULL;
}

const struct view_ops view_findings_ops = {
    .name = "findings",
    .short_name = "findings",
    .kind = VIEW_MAIN,
    .keys = findings_keys,
    .init = findings_init,
    .has_data = findings_has_data,
    .draw = findings_draw,
    .key = findings_key,
    .free = findings_free,
};
