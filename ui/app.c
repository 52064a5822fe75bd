/*
 * app.c - the screen loop (see app.h) and the services views use.
 *
 * Screen layout, top to bottom: the header (target, rate, window, live or
 * frozen), the body, the output pane when open (the target's terminal,
 * pane.h), and one line for the input prompt, messages or the key bar.
 * The body holds the main view (one of the registered main views,
 * view.h: Tab cycles through those with data; each draws its own status
 * lines at its bottom) and the strips that have data, stacked above or
 * below it (layout.h).  The help overlay and the thread picker (t) are
 * drawn over the body.  After every event and every tick the whole grid
 * is redrawn and copied to the terminal at once, so the views' layouts
 * always refer to the tree as it is now; output of the target alone
 * redraws the pane alone.
 *
 * While typing into the target (I, until C-]) every key goes to its
 * terminal.  Otherwise keys go to the open overlay alone; otherwise to
 * the main view, or to a strip whose own table binds the key, and what
 * the view leaves (UI_UNHANDLED) to the screen's bindings (keys_screen).
 * The key bar and help are generated from the same tables.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "difftree.h"
#include "hide.h"
#include "keys.h"
#include "layout.h"
#include "pane.h"
#include "source-header.h"
#include "style.h"
#include "tty.h"
#include "util.h"
#include "view.h"

/* the target's output is read in pieces of APP_TERM_READ bytes for at
 * most APP_TERM_NS between two looks at the keys (a terminal scrolling a
 * line at a time parses about a megabyte a second) */
#define APP_TERM_READ 4096
#define APP_TERM_NS 5000000
/* while it writes, the pane is drawn again at most this often */
#define APP_PANE_FRAME_MS 40

struct prompt {
	bool active;
	char label[24];
	char buf[256];
	size_t len;
	app_prompt_fn changed, done;
	void *arg;
};

struct app {
	struct source *src;
	struct view views[VIEW_MAX]; /* the registry's, then app_add_view's */
	size_t nviews;
	size_t cur;  /* the main view shown */
	size_t back; /* the main view app_show_view came from */
	struct view help, picker;
	struct view *overlay; /* &help, &picker or NULL */
	bool pane;
	struct pane *out; /* the target's terminal, or NULL */
	struct vtpane *term;
	bool typing;	    /* keys go to the target */
	bool out_dirty;	    /* it changed since the last draw */
	struct rect pane_r; /* where the pane was last drawn (h 0: not) */
	bool quit;
	struct grid *g;
	int interval_ms;
	char msg[512];
	bool msg_err;
	struct prompt prompt;
	struct shapes_config shapes; /* the findings' thresholds */
	unsigned shapes_gen;	     /* bumped when they change */
	/* the differential graph's baseline (app_set_baseline) */
	struct calltree *base;
	struct calltree *base_hidden; /* base with the source's hiding */
	char hide_sig[256];	      /* ... as hide_text said it */
	struct difftree *dt;
	bool base_fixed, dt_failed;
	char base_head[128], name_b[32], name_a[32];
};

const struct shapes_config *app_shapes(struct app *a, unsigned *gen)
{
	*gen = a->shapes_gen;
	return &a->shapes;
}

void app_set_shapes(struct app *a, const struct shapes_config *c)
{
	a->shapes = *c;
	a->shapes_gen++;
}

struct calltree *app_tree(struct app *a)
{
	return source_tree(a->src);
}

struct funcs *app_funcs(struct app *a)
{
	return source_funcs(a->src);
}

struct source *app_source(struct app *a)
{
	return a->src;
}

void app_message(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_err = error;
}

void app_prompt(struct app *a, const char *label, const char *init, app_prompt_fn changed,
		app_prompt_fn done, void *arg)
{
	struct prompt *p = &a->prompt;

	p->active = true;
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->buf, sizeof(p->buf), "%s", init ? init : "");
	p->len = strlen(p->buf);
	p->changed = changed;
	p->done = done;
	p->arg = arg;
}

int app_set_baseline(struct app *a, struct calltree *base, const char *header, const char *name_b,
		     const char *name_a, bool fixed)
{
	if (base && !a->dt && !(a->dt = difftree_new())) {
		calltree_free(base);
		return -ENOMEM;
	}
	calltree_free(a->base);
	calltree_free(a->base_hidden);
	a->base_hidden = NULL;
	a->base = base;
	a->base_fixed = base && fixed;
	a->dt_failed = false;
	snprintf(a->base_head, sizeof(a->base_head), "%s", base && header ? header : "");
	snprintf(a->name_b, sizeof(a->name_b), "%s", base && name_b ? name_b : "");
	snprintf(a->name_a, sizeof(a->name_a), "%s", base && name_a ? name_a : "");
	return 0;
}

bool app_drop_baseline(struct app *a)
{
	if (!a->base || a->base_fixed)
		return false;
	app_set_baseline(a, NULL, NULL, NULL, NULL, false);
	app_message(a, false, "baseline dropped: the graph is coloured by function again");
	return true;
}

/* The baseline with what the source hides (x, X, C) hidden too, so that
 * both sides are cut alike; NULL on ENOMEM. */
static struct calltree *hidden_base(struct app *a)
{
	struct hide *h = source_hide(a->src);
	char sig[sizeof(a->hide_sig)];

	if (!h || !hide_active(h))
		return a->base;
	hide_text(h, app_funcs(a), sig, sizeof(sig));
	if (a->base_hidden && !strcmp(sig, a->hide_sig))
		return a->base_hidden;
	calltree_free(a->base_hidden);
	a->base_hidden = calltree_new();
	if (!a->base_hidden || hide_tree(h, app_funcs(a), a->base, a->base_hidden) < 0) {
		calltree_free(a->base_hidden);
		a->base_hidden = NULL;
		return NULL;
	}
	snprintf(a->hide_sig, sizeof(a->hide_sig), "%s", sig);
	return a->base_hidden;
}

struct difftree *app_diff(struct app *a)
{
	struct calltree *t = app_tree(a), *base;

	if (!a->base || !t)
		return NULL;
	base = hidden_base(a);
	if (!base || difftree_update(a->dt, base, t) < 0) {
		if (!a->dt_failed)
			app_message(a, true, "out of memory comparing with the baseline");
		a->dt_failed = true;
		return NULL;
	}
	a->dt_failed = false;
	return a->dt;
}

const char *app_diff_name(struct app *a, bool base)
{
	return base ? a->name_a : a->name_b;
}

void app_baseline_rest(struct app *a, uint64_t from, uint64_t to, uint64_t all_from,
		       uint64_t all_to)
{
	struct profile *p = source_profile(a->src);
	struct calltree *all = NULL, *rest = NULL;
	char head[64];

	if (a->base) {
		if (!app_drop_baseline(a))
			app_message(a, false, "the graph is compared with %s for good", a->name_a);
		return;
	}
	if (!p)
		return;
	/* everything kept, then the range alone: the rest is the difference */
	profile_set_range(p, all_from, all_to);
	all = calltree_new();
	rest = calltree_new();
	if (!all || !rest || calltree_copy(all, profile_tree(p)) < 0)
		goto fail;
	profile_set_range(p, from, to);
	if (difftree_rest(rest, all, profile_tree(p)) < 0)
		goto fail;
	calltree_free(all);
	snprintf(head, sizeof(head), "vs the rest of the %.0f s kept",
		 (double)(all_to - all_from) / 1e9);
	if (app_set_baseline(a, rest, head, "the range", "the rest", false) < 0) {
		app_message(a, true, "cannot compare the range: out of memory");
		return;
	}
	app_show_main(a);
	app_message(a, false,
		    "red frames take more of the range than of the rest of the time, blue less (B "
		    "drops it)");
	return;
fail:
	profile_set_range(p, from, to);
	calltree_free(all);
	calltree_free(rest);
	app_message(a, true, "cannot compare the range: out of memory");
}

/* The time a replay shows, in its seconds ("1.0-3.0s"): the range, or
 * the window ending at the recording's last sample, or all of it.  false
 * for a live target (whose window is the present) or a static file. */
static bool replay_span(struct app *a, char *buf, size_t len)
{
	struct profile *p = source_profile(a->src);
	struct live_stats st;
	uint64_t from, to, origin = source_origin(a->src);

	if (!p || source_is_live(a->src) || !source_stats(a->src, &st) || !st.last_ns)
		return false;
	if (!profile_range(p, &from, &to)) {
		to = st.last_ns;
		from = st.first_ns;
		if (profile_window(p) && to - from > profile_window(p))
			from = to - profile_window(p);
	}
	snprintf(buf, len, "%.1f-%.1fs", ((double)from - (double)origin) / 1e9,
		 ((double)to - (double)origin) / 1e9);
	return true;
}

/* B: the tree shown now becomes the baseline; B again drops it.  In a
 * replay the baseline is named by the time it covers. */
static void app_toggle_baseline(struct app *a)
{
	struct calltree *t = app_tree(a), *copy = NULL;
	char head[64], when[16], span[48];
	time_t now = time(NULL);
	struct tm tm;
	bool replay = replay_span(a, span, sizeof(span));

	if (a->base) {
		if (!app_drop_baseline(a))
			app_message(a, false, "the graph is compared with %s for good (%s)",
				    a->name_a, a->base_head);
		return;
	}
	if (!t || !(copy = calltree_new()) || calltree_copy(copy, t) < 0) {
		calltree_free(copy);
		app_message(a, true, "cannot take a baseline: out of memory");
		return;
	}
	if (replay) {
		snprintf(head, sizeof(head), "vs baseline %s", span);
	} else {
		if (!localtime_r(&now, &tm) || !strftime(when, sizeof(when), "%H:%M:%S", &tm))
			snprintf(when, sizeof(when), "?");
		snprintf(head, sizeof(head), "vs baseline taken %s", when);
	}
	if (app_set_baseline(a, copy, head, "the window", "the baseline", false) < 0) {
		app_message(a, true, "cannot take a baseline: out of memory");
		return;
	}
	if (replay)
		app_message(a, false,
			    "baseline %s taken: show another time (w, heatmap) to compare; red is "
			    "more, blue less (B drops it)",
			    span);
	else
		app_message(
		    a, false,
		    "baseline taken: red frames take more of the time than then, blue less (B "
		    "drops it)");
}

static bool has_data(struct app *a, struct view *v)
{
	return !v->ops->has_data || v->ops->has_data(v, a);
}

static bool is_main(const struct view *v)
{
	return v->ops->kind == VIEW_MAIN;
}

/* Is strip v on screen (it was given rows at the last draw). */
static bool strip_shown(const struct view *v)
{
	return !is_main(v) && v->last.h > 0;
}

/* The next main view with data in direction dir (1 or -1) from the
 * current one; the current one when no other has data. */
static size_t next_view(struct app *a, int dir)
{
	size_t k, i, n = a->nviews;

	for (k = 1; k < n; k++) {
		i = dir > 0 ? (a->cur + k) % n : (a->cur + n - k) % n;
		if (is_main(&a->views[i]) && has_data(a, &a->views[i]))
			return i;
	}
	return a->cur;
}

void app_show_func(struct app *a, uint32_t func)
{
	size_t i;

	for (i = 0; i < a->nviews; i++) {
		struct view *v = &a->views[i];

		if (!is_main(v) || !v->ops->show_func)
			continue;
		a->cur = i;
		if (!v->ops->show_func(v, a, func))
			app_message(a, true, "function not in the %s", v->ops->name);
		return;
	}
}

/* W: the next weight, time -> allocated bytes -> allocated objects ->
 * in-use bytes -> in-use objects -> time; said in the message line. */
static void app_next_weight(struct app *a)
{
	static const struct {
		enum live_weight w;
		const char *said;
	} order[] = {
	    {LIVE_WEIGHT_TIME, "time"},
	    {LIVE_WEIGHT_ALLOC_BYTES, "allocated bytes, from now on"},
	    {LIVE_WEIGHT_ALLOC_OBJECTS, "allocated objects, from now on"},
	    {LIVE_WEIGHT_INUSE_BYTES, "bytes in use (sampled blocks not yet freed)"},
	    {LIVE_WEIGHT_INUSE_OBJECTS, "objects in use (sampled blocks not yet freed)"},
	};
	size_t n = sizeof(order) / sizeof(order[0]), i, next = 0;
	enum live_weight cur = source_weight(a->src);

	if (!source_is_live(a->src)) {
		app_message(a, false, "not available on a static profile");
		return;
	}
	if (!source_has_allocs(a->src)) {
		app_message(a, true, "the target records no allocations (its malloc is not ours)");
		return;
	}
	for (i = 0; i < n; i++)
		if (order[i].w == cur)
			next = (i + 1) % n;
	if (source_set_weight(a->src, order[next].w) < 0) {
		app_message(a, true, "out of memory");
		return;
	}
	app_message(a, false, "weight: %s", order[next].said);
}

void app_show_view(struct app *a, const struct view_ops *ops, uint32_t func)
{
	size_t i;

	for (i = 0; i < a->nviews; i++) {
		struct view *v = &a->views[i];

		if (v->ops != ops || !is_main(v))
			continue;
		if (i != a->cur)
			a->back = a->cur;
		a->cur = i;
		if (v->ops->show_func && !v->ops->show_func(v, a, func))
			app_message(a, true, "function not in the %s", v->ops->name);
		return;
	}
}

void app_show_back(struct app *a)
{
	if (a->back < a->nviews && a->back != a->cur && is_main(&a->views[a->back]))
		a->cur = a->back;
	else
		app_show_main(a);
}

void app_show_main(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nviews; i++)
		if (is_main(&a->views[i])) {
			a->cur = i;
			return;
		}
}

void app_show_node(struct app *a, const struct ctnode *n)
{
	size_t i;

	for (i = 0; i < a->nviews; i++) {
		struct view *v = &a->views[i];

		if (!is_main(v) || !v->ops->show_node)
			continue;
		a->cur = i;
		if (!v->ops->show_node(v, a, n))
			app_message(a, true, "cannot show it in the %s", v->ops->name);
		return;
	}
}

void *app_view_data(struct app *a, const struct view_ops *ops)
{
	size_t i;

	for (i = 0; i < a->nviews; i++)
		if (a->views[i].ops == ops)
			return a->views[i].data;
	return NULL;
}

size_t app_key_tables(struct app *a, const struct binding **tables, size_t max)
{
	size_t n = 0, i;

	if (n < max && a->views[a->cur].ops->keys)
		tables[n++] = a->views[a->cur].ops->keys;
	for (i = 0; i < a->nviews && n + 1 < max; i++)
		if (strip_shown(&a->views[i]) && a->views[i].ops->keys)
			tables[n++] = a->views[i].ops->keys;
	if (n < max)
		tables[n++] = keys_screen;
	return n;
}

const char *app_view_name(struct app *a)
{
	return a->views[a->cur].ops->name;
}

void app_close_help(struct app *a)
{
	a->overlay = NULL;
}

void app_close_threads(struct app *a)
{
	a->overlay = NULL;
}

/* The key bar's word for b: Tab names the view it goes to. */
static const char *bar_hint(const struct binding *b, void *arg)
{
	struct app *a = arg;
	size_t next;

	if (b->act != ACT_NEXT_VIEW)
		return b->hint;
	next = next_view(a, 1);
	return next == a->cur ? NULL : a->views[next].ops->short_name;
}

static void draw_bottom(struct app *a, struct grid *g, int y)
{
	const struct binding *tables[VIEW_MAX + 1];
	struct prompt *p = &a->prompt;
	char bar[512];
	size_t n;
	int k;

	if (a->typing) {
		grid_fill(g, 0, y, g->w, ' ', COL_NOTICE, 0);
		grid_put(g, 0, y, g->w,
			 "INPUT: keys go to the target (Enter, C-c too); C-] returns to the viewer",
			 COL_NOTICE, ATTR_BOLD);
		return;
	}
	if (p->active) {
		k = grid_put(g, 0, y, g->w, p->label, COL_PROMPT, ATTR_BOLD);
		k += grid_put(g, k, y, g->w - k, p->buf, COL_PROMPT, 0);
		grid_fill(g, k, y, 1, '_', COL_PROMPT, ATTR_BOLD);
		return;
	}
	if (a->overlay == &a->picker) {
		keys_bar(&a->picker.ops->keys, 1, NULL, NULL, bar, sizeof(bar));
		k = grid_put(g, 0, y, g->w, bar, COL_DEFAULT, 0);
		grid_put(g, k, y, g->w - k, "  (* marks the shown one)", COL_DEFAULT, 0);
		return;
	}
	if (a->msg[0]) {
		grid_fill(g, 0, y, g->w, ' ', a->msg_err ? COL_ERROR : COL_NOTICE, 0);
		grid_put(g, 0, y, g->w, a->msg, a->msg_err ? COL_ERROR : COL_NOTICE, 0);
		return;
	}
	n = app_key_tables(a, tables, sizeof(tables) / sizeof(tables[0]));
	/* whole entries that fit the row (the bar is ASCII: a byte a cell) */
	keys_bar(tables, n, bar_hint, a, bar,
		 (size_t)g->w + 1 < sizeof(bar) ? (size_t)g->w + 1 : sizeof(bar));
	grid_put(g, 0, y, g->w, bar, COL_DEFAULT, 0);
}

void app_draw_too_small(struct grid *g)
{
	char msg[3][64], now[2][32];
	int i, len;

	/* the longest that fits; the sizes are never cut */
	snprintf(msg[0], sizeof(msg[0]), "terminal too small: need at least %dx%d", APP_MIN_W,
		 APP_MIN_H);
	snprintf(msg[1], sizeof(msg[1]), "too small: need %dx%d", APP_MIN_W, APP_MIN_H);
	snprintf(msg[2], sizeof(msg[2]), "%dx%d", APP_MIN_W, APP_MIN_H);
	for (i = 0; i < 3; i++) {
		len = grid_text_width(msg[i]);
		if (len <= g->w) {
			grid_put(g, (g->w - len) / 2, g->h / 2, g->w, msg[i], COL_ERROR, ATTR_BOLD);
			break;
		}
	}
	snprintf(now[0], sizeof(now[0]), "(now %dx%d; q quits)", g->w, g->h);
	snprintf(now[1], sizeof(now[1]), "q quits");
	for (i = 0; i < 2; i++) {
		len = grid_text_width(now[i]);
		if (len <= g->w) {
			grid_put(g, (g->w - len) / 2, g->h / 2 + 1, g->w, now[i], COL_DEFAULT, 0);
			break;
		}
	}
}

/* Lays out and draws the body r: the main view and the strips with data
 * (layout.h), then the open overlay over all of r. */
static void draw_body(struct app *a, struct grid *g, struct rect r)
{
	struct layout_strip strips[VIEW_MAX];
	size_t idx[VIEW_MAX], n = 0, i;
	struct view *m;
	struct rect mr;

	/* a main view whose data went away gives way to one that has some */
	if (!has_data(a, &a->views[a->cur])) {
		for (i = 0; i < a->nviews; i++)
			if (is_main(&a->views[i]) && has_data(a, &a->views[i]))
				break;
		if (i < a->nviews)
			a->cur = i;
	}
	for (i = 0; i < a->nviews; i++) {
		struct view *v = &a->views[i];

		if (is_main(v))
			continue;
		v->last = (struct rect){0, 0, 0, 0};
		if (!has_data(a, v) || !v->ops->rows)
			continue;
		strips[n] =
		    (struct layout_strip){.side = v->ops->kind, .want = v->ops->rows(v, a, r.h)};
		idx[n++] = i;
	}
	layout_split(r, strips, n, &mr);
	m = &a->views[a->cur];
	m->last = mr;
	m->ops->draw(m, a, g, mr);
	for (i = 0; i < n; i++) {
		struct view *v = &a->views[idx[i]];

		if (strips[i].r.h <= 0)
			continue;
		v->last = strips[i].r;
		v->ops->draw(v, a, g, v->last);
	}
	if (a->overlay) {
		a->overlay->last = r;
		a->overlay->ops->draw(a->overlay, a, g, r);
	}
}

void app_draw(struct app *a, struct grid *g)
{
	struct rect body;
	char head[1024];
	bool alert;
	int w = g->w, h = g->h;

	grid_clear(g);
	if (w < APP_MIN_W || h < APP_MIN_H) {
		app_draw_too_small(g);
		return;
	}
	if (a->base) {
		/* the baseline always shows, after the rest of the header */
		int bw = grid_text_width(a->base_head) + 3;
		size_t hl;

		source_describe(a->src, w - bw > 20 ? w - bw : 20, g->utf8, head, sizeof(head),
				&alert);
		hl = strlen(head);
		snprintf(head + hl, sizeof(head) - hl, " | %s", a->base_head);
	} else {
		source_describe(a->src, w, g->utf8, head, sizeof(head), &alert);
	}
	grid_fill(g, 0, 0, w, ' ', alert ? COL_NOTICE : COL_HEADER, 0);
	grid_put(g, 0, 0, w, head, alert ? COL_NOTICE : COL_HEADER, alert ? ATTR_BOLD : 0);
	body = (struct rect){0, 1, w, h - 2};
	a->pane_r = (struct rect){0, 0, 0, 0};
	if (a->out && (a->pane || a->typing)) {
		int ph = pane_height(h);

		body.h -= ph;
		a->pane_r = (struct rect){0, body.y + body.h, w, ph};
		pane_draw(a->out, g, a->pane_r, a->typing);
	}
	a->out_dirty = false;
	draw_body(a, g, body);
	draw_bottom(a, g, h - 1);
}

static void render(struct app *a)
{
	struct grid *g = a->g;
	int w, h;

	tty_size(&w, &h);
	if ((w != g->w || h != g->h) && grid_resize(g, w, h) < 0)
		return;
	app_draw(a, g);
	tty_draw(g);
}

/* Reads what the target wrote to its terminal, a bounded amount, so that
 * keys are looked at between two reads however much it writes. */
static void read_term(struct app *a)
{
	uint64_t start = util_mono_ns();
	ssize_t n;

	if (!a->term || vtpane_fd(a->term) < 0)
		return;
	do {
		n = vtpane_read(a->term, APP_TERM_READ);
		if (n != 0)
			a->out_dirty = true;
	} while (n == APP_TERM_READ && util_mono_ns() - start < APP_TERM_NS);
	if (vtpane_fd(a->term) < 0 && a->typing) {
		a->typing = false;
		app_message(a, false, "the target's terminal is closed: keys are the viewer's");
		render(a);
	}
}

/* The output pane drawn again over the last frame: the target wrote,
 * nothing else changed. */
static void render_pane(struct app *a)
{
	int w, h;

	tty_size(&w, &h);
	if (w != a->g->w || h != a->g->h || a->pane_r.h == 0) {
		render(a);
		return;
	}
	pane_draw(a->out, a->g, a->pane_r, a->typing);
	a->out_dirty = false;
	tty_draw(a->g);
}

static void prompt_key(struct app *a, const struct ui_event *ev)
{
	struct prompt *p = &a->prompt;
	app_prompt_fn done = p->done;

	switch (ev->key) {
	case K_ENTER:
		p->active = false;
		done(a, p->arg, p->buf);
		return;
	case K_ESC:
	case K_CTRL_C:
		p->active = false;
		done(a, p->arg, NULL);
		return;
	case K_BACKSPACE:
		if (p->len == 0) {
			p->active = false;
			done(a, p->arg, NULL);
			return;
		}
		while (p->len > 0 && ((unsigned char)p->buf[--p->len] & 0xc0) == 0x80)
			;
		p->buf[p->len] = '\0';
		break;
	default:
		if (ev->key < 0x20 || ev->key >= K_BASE || ev->key == 0x7f)
			return;
		if (p->len + 4 < sizeof(p->buf)) {
			uint32_t c = (uint32_t)ev->key;
			char *o = p->buf + p->len;

			if (c < 0x80) {
				*o++ = (char)c;
			} else if (c < 0x800) {
				*o++ = (char)(0xc0 | c >> 6);
				*o++ = (char)(0x80 | (c & 0x3f));
			} else if (c < 0x10000) {
				*o++ = (char)(0xe0 | c >> 12);
				*o++ = (char)(0x80 | (c >> 6 & 0x3f));
				*o++ = (char)(0x80 | (c & 0x3f));
			} else {
				*o++ = (char)(0xf0 | c >> 18);
				*o++ = (char)(0x80 | (c >> 12 & 0x3f));
				*o++ = (char)(0x80 | (c >> 6 & 0x3f));
				*o++ = (char)(0x80 | (c & 0x3f));
			}
			p->len = (size_t)(o - p->buf);
			p->buf[p->len] = '\0';
		}
		break;
	}
	if (p->changed)
		p->changed(a, p->arg, p->buf);
}

static const char *not_live = "not available on a static profile";

/* Enter in the group prompt: the grouping and filters from now on. */
static void group_done(struct app *a, void *arg, const char *text)
{
	char err[256], now[512];

	(void)arg;
	if (!text)
		return;
	if (source_set_group(a->src, text, err, sizeof(err)) < 0) {
		app_message(a, true, "group: %s", err);
		return;
	}
	source_group_text(a->src, now, sizeof(now));
	app_message(a, false, "grouping: %s: the profile starts over", now[0] ? now : "none");
}

/* Actions that are the screen's, not a view's. */
static enum ui_result global_action(struct app *a, enum action act)
{
	bool frozen;

	switch (act) {
	case ACT_QUIT:
		return UI_QUIT;
	case ACT_HELP:
		a->overlay = &a->help;
		return UI_REDRAW;
	case ACT_NEXT_VIEW:
	case ACT_PREV_VIEW: {
		size_t next = next_view(a, act == ACT_NEXT_VIEW ? 1 : -1);

		if (next == a->cur)
			app_message(a, false, "no other view has data");
		a->cur = next;
		return UI_REDRAW;
	}
	case ACT_TYPE:
		if (!a->out) {
			app_message(a, false, "no terminal to type into: %s",
				    source_is_live(a->src)
					? "the target was not started by flametop"
					: "not a live target");
			return UI_REDRAW;
		}
		if (vtpane_fd(a->term) < 0) {
			app_message(a, false, "the target's terminal is closed: nothing reads it");
			return UI_REDRAW;
		}
		a->typing = true;
		return UI_REDRAW;
	case ACT_TYPE_END:
		app_message(a, false, "keys are the viewer's (I types into the target)");
		return UI_REDRAW;
	case ACT_PANE_BACK:
	case ACT_PANE_FWD:
		if (!a->out) {
			app_message(a, false,
				    "no output pane: the target was not started by flametop");
			return UI_REDRAW;
		}
		a->pane = true;
		pane_scroll_page(a->out, act == ACT_PANE_BACK ? 1 : -1);
		return UI_REDRAW;
	case ACT_OUTPUT:
		if (!a->out) {
			app_message(a, false, "no output pane: %s",
				    source_is_live(a->src)
					? "the target was not started by flametop"
					: "not a live target");
			return UI_REDRAW;
		}
		a->pane = !a->pane;
		return UI_REDRAW;
	case ACT_FREEZE:
		if (!source_is_live(a->src)) {
			app_message(a, false, "a static profile is always frozen");
			return UI_REDRAW;
		}
		frozen = !source_frozen(a->src);
		if (source_freeze(a->src, frozen) < 0)
			app_message(a, true, "cannot freeze: out of memory");
		else
			app_message(a, false,
				    frozen ? "frozen: sampling goes on; z shows it live again"
					   : "live");
		return UI_REDRAW;
	case ACT_WINDOW:
		if (source_cycle_window(a->src) < 0)
			app_message(a, false, "%s", not_live);
		return UI_REDRAW;
	case ACT_WEIGHT:
		app_next_weight(a);
		return UI_REDRAW;
	case ACT_BASELINE:
		app_toggle_baseline(a);
		return UI_REDRAW;
	case ACT_CLEAR:
		if (source_clear(a->src) < 0)
			app_message(a, false, "%s", not_live);
		else
			app_message(a, false, "profile cleared");
		return UI_REDRAW;
	case ACT_GROUP: {
		char spec[256];

		if (!source_is_live(a->src)) {
			app_message(a, false,
				    "grouping needs a live target (a file is grouped when "
				    "recorded: record --group)");
			return UI_REDRAW;
		}
		source_group_spec(a->src, spec, sizeof(spec));
		app_prompt(a, "group: ", spec, NULL, group_done, NULL);
		return UI_REDRAW;
	}
	case ACT_THREAD:
		if (!source_profile(a->src)) {
			app_message(a, false, "%s", not_live);
			return UI_REDRAW;
		}
		view_threads_open(&a->picker, a);
		a->overlay = &a->picker;
		return UI_REDRAW;
	default:
		return UI_HANDLED;
	}
}

static void view_resize(struct app *a, struct view *v, int w, int h)
{
	if (v->ops && v->ops->resize)
		v->ops->resize(v, a, w, h);
}

static bool inside(const struct rect *r, int x, int y)
{
	return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

/* The view an event goes to, and the action it is: an open overlay takes
 * every event; a mouse event goes to the strip under it, else the main
 * view; a key to the first of the main view and the shown strips whose
 * own table binds it, else the main view (with the screen's action). */
static struct view *target(struct app *a, const struct ui_event *ev, enum action *act)
{
	const struct binding *tables[VIEW_MAX + 1];
	struct view *v = &a->views[a->cur];
	size_t n, i;

	if (a->overlay) {
		*act = keys_lookup(&a->overlay->ops->keys, 1, ev->key);
		return a->overlay;
	}
	n = app_key_tables(a, tables, sizeof(tables) / sizeof(tables[0]));
	*act = keys_lookup(tables, n, ev->key);
	for (i = 0; i < a->nviews; i++) {
		struct view *s = &a->views[i];

		if (!strip_shown(s))
			continue;
		if (ev->key == K_MOUSE ? inside(&s->last, ev->mx, ev->my)
				       : keys_lookup(&v->ops->keys, 1, ev->key) == ACT_NONE &&
					     keys_lookup(&s->ops->keys, 1, ev->key) != ACT_NONE)
			return s;
	}
	return v;
}

/* The wheel over the output pane scrolls it. */
static bool pane_wheel(struct app *a, const struct ui_event *ev)
{
	if (ev->key != K_MOUSE || !a->out || !inside(&a->pane_r, ev->mx, ev->my))
		return false;
	if (ev->mouse == MOUSE_WHEEL_UP || ev->mouse == MOUSE_WHEEL_DOWN)
		pane_scroll(a->out, ev->mouse == MOUSE_WHEEL_UP ? 3 : -3);
	return true;
}

/* A key while typing into the target: C-] ends it, the wheel scrolls
 * the pane, everything else goes to the target's terminal. */
static bool type_key(struct app *a, const struct ui_event *ev)
{
	int rc;

	if (ev->key == K_CTRL_RBRACKET) {
		a->typing = false;
		a->msg[0] = '\0';
		return true;
	}
	if (pane_wheel(a, ev) || ev->key == K_MOUSE)
		return true;
	rc = pane_send(a->out, ev);
	if (rc == -EAGAIN)
		app_message(a, true, "the target reads no input: the key was dropped");
	else if (rc == -EIO) {
		a->typing = false;
		app_message(a, false, "the target's terminal is closed: keys are the viewer's");
	}
	return true;
}

bool app_key(struct app *a, const struct ui_event *ev, int w, int h, bool *quit)
{
	struct view *v;
	struct ui_event rel = *ev;
	enum ui_result r;
	enum action act;
	bool had_msg = a->msg[0] != '\0';
	size_t i;

	if (ev->key == K_RESIZE) {
		if (a->out)
			pane_resize(a->out, w, h);
		for (i = 0; i < a->nviews; i++)
			view_resize(a, &a->views[i], w, h);
		view_resize(a, &a->help, w, h);
		view_resize(a, &a->picker, w, h);
		return true;
	}
	if (a->typing)
		return type_key(a, ev);
	if (a->prompt.active) {
		prompt_key(a, ev);
		return true;
	}
	a->msg[0] = '\0';
	if (pane_wheel(a, ev))
		return true;
	if (w < APP_MIN_W || h < APP_MIN_H) {
		if (keys_lookup((const struct binding *[]){keys_screen}, 1, ev->key) == ACT_QUIT)
			*quit = true;
		return false;
	}
	v = target(a, ev, &act);
	if (ev->key == K_MOUSE) {
		rel.mx -= v->last.x;
		rel.my -= v->last.y;
	}
	r = v->ops->key(v, a, act, &rel);
	if (r == UI_UNHANDLED && v != a->overlay)
		r = global_action(a, act);
	if (r == UI_QUIT)
		*quit = true;
	/* a message shown until this key has to go too */
	return r != UI_HANDLED || had_msg || a->msg[0] != '\0';
}

static int view_init(struct view *v, const struct view_ops *ops)
{
	*v = (struct view){.ops = ops};
	return ops->init ? ops->init(v) : 0;
}

static void view_release(struct view *v)
{
	if (v->ops && v->ops->free)
		v->ops->free(v);
	v->ops = NULL;
}

int app_add_view(struct app *a, const struct view_ops *ops)
{
	if (a->nviews == VIEW_MAX)
		return -ENOSPC;
	if (view_init(&a->views[a->nviews], ops) < 0) {
		a->views[a->nviews].ops = NULL;
		return -ENOMEM;
	}
	a->nviews++;
	return 0;
}

struct app *app_new(struct source *src, const struct app_opts *o)
{
	struct app *a = calloc(1, sizeof(*a));
	size_t i;

	if (!a)
		return NULL;
	a->src = src;
	if (o && o->term) {
		a->term = o->term;
		if (!(a->out = pane_new(o->term)))
			goto fail;
		a->typing = o->typing;
	}
	a->interval_ms = o && o->interval_ms > 0 ? o->interval_ms : APP_DEFAULT_INTERVAL_MS;
	if (o && o->shapes)
		a->shapes = *o->shapes;
	else
		shapes_config_default(&a->shapes);
	for (i = 0; view_registry[i]; i++)
		if (app_add_view(a, view_registry[i]) < 0)
			goto fail;
	if (view_init(&a->help, &view_help_ops) < 0 || view_init(&a->picker, &view_threads_ops) < 0)
		goto fail;
	/* the first main view is the one shown first */
	for (i = 0; i < a->nviews && !is_main(&a->views[i]); i++)
		;
	if (i == a->nviews)
		goto fail;
	a->cur = i;
	if (o && o->baseline) {
		struct calltree *copy = calltree_new();
		char head[128];

		snprintf(head, sizeof(head), "vs %s",
			 o->baseline_name ? o->baseline_name : "the baseline");
		if (!copy || calltree_copy(copy, o->baseline) < 0) {
			calltree_free(copy);
			goto fail;
		}
		if (app_set_baseline(a, copy, head, "B", "A", true) < 0)
			goto fail;
	}
	return a;
fail:
	app_free(a);
	return NULL;
}

void app_free(struct app *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nviews; i++)
		view_release(&a->views[i]);
	view_release(&a->help);
	view_release(&a->picker);
	calltree_free(a->base);
	calltree_free(a->base_hidden);
	difftree_free(a->dt);
	pane_free(a->out);
	free(a);
}

int app_check_terminal(char *err, size_t errlen)
{
	return tty_check(err, errlen);
}

int app_run(struct source *src, const struct app_opts *o, char *err, size_t errlen)
{
	struct app *a = app_new(src, o);
	struct ui_event ev;
	uint64_t next, next_poll, now, wake, drawn;
	bool stale = false;
	int poll_ms, budget;
	int w, h, rc = -1;

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (tty_start(err, errlen) < 0)
		goto out_app;
	tty_set_fatal_pid(o ? o->child_pid : 0);
	tty_size(&w, &h);
	a->g = grid_new(w, h, term_utf8());
	if (!a->g) {
		snprintf(err, errlen, "out of memory");
		goto out_term;
	}
	a->g->mono = tty_colors() == TERM_MONO;
	if (a->out) {
		pane_resize(a->out, w, h);
		if (!a->typing)
			app_message(
			    a, false,
			    "o shows the target's terminal, I types into it (C-] comes back)");
	}
	/* the source is polled every poll_ms whatever the refresh interval
	 * (a slow refresh must not let the target's ring overflow); only
	 * the redraw follows the interval */
	poll_ms = a->interval_ms < APP_POLL_MS ? a->interval_ms : APP_POLL_MS;
	budget = poll_ms / 4 < 25 ? poll_ms / 4 : 25;
	source_tick(src, budget);
	render(a);
	now = drawn = util_mono_ms();
	next = now + a->interval_ms;
	next_poll = now + poll_ms;
	while (!a->quit && !tty_quit_requested()) {
		now = util_mono_ms();
		if (now >= next_poll) {
			if (source_tick(src, budget))
				stale = true;
			next_poll += poll_ms;
			if (next_poll <= now)
				next_poll = now + poll_ms;
		}
		if (now >= next) {
			next += a->interval_ms;
			if (next <= now)
				next = now + a->interval_ms;
			render(a);
			drawn = now;
			stale = false;
			continue;
		}
		/* output in a pane on screen shows soon, not on every read */
		wake = next < next_poll ? next : next_poll;
		if (a->out_dirty && a->pane_r.h > 0 && drawn + APP_PANE_FRAME_MS < wake)
			wake = drawn + APP_PANE_FRAME_MS;
		tty_wait(wake > now ? (int)(wake - now) : 0, a->term ? vtpane_fd(a->term) : -1);
		read_term(a);
		while (!a->quit && !tty_quit_requested() && tty_read(&ev)) {
			/* the views act on their last layout: lay them out
			 * for the tree as polled first */
			if (stale) {
				render(a);
				stale = false;
			}
			tty_size(&w, &h);
			if (app_key(a, &ev, w, h, &a->quit)) {
				render(a);
				drawn = util_mono_ms();
			}
		}
		if (a->out_dirty && a->pane_r.h > 0 &&
		    util_mono_ms() >= drawn + APP_PANE_FRAME_MS) {
			render_pane(a);
			drawn = util_mono_ms();
		}
	}
	rc = 0;
	grid_free(a->g);
out_term:
	tty_set_fatal_pid(0);
	tty_end();
out_app:
	app_free(a);
	return rc;
}
