/*
 * app.c - the screen loop (see app.h) and the services views use.
 *
 * Screen layout, top to bottom: the header (target, rate, window, live or
 * frozen), the current view (flame graph or top table, which draws its own
 * status lines at its bottom), the output pane when open, and one line for
 * the input prompt, messages or a hint.  The help overlay and the thread
 * picker (t) are drawn over the view.  After every event and every tick
 * the whole grid is redrawn and copied to the terminal at once, so the
 * views' layouts always refer to the tree as it is now.
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
#include "flame.h"
#include "style.h"
#include "tty.h"
#include "util.h"
#include "view.h"

enum { V_FLAME, V_TOP, V_HELP, V_THREADS, V_COUNT };

struct prompt {
	bool active;
	char label[8];
	char buf[256];
	size_t len;
	app_prompt_fn changed, done;
	void *arg;
};

struct app {
	struct source *src;
	struct view views[V_COUNT];
	int cur; /* V_FLAME or V_TOP */
	bool help;
	bool threads; /* the thread picker is open */
	bool pane;
	bool quit;
	struct grid *g;
	int interval_ms;
	char msg[512];
	bool msg_err;
	struct prompt prompt;
};

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

void app_jump(struct app *a, uint32_t func)
{
	struct flame *fl = view_flame_graph(&a->views[V_FLAME]);

	a->cur = V_FLAME;
	/* the graph may not have been drawn since the tree last changed */
	flame_set_tree(fl, app_tree(a), app_funcs(a));
	if (!flame_select_func(fl, func))
		app_message(a, true, "function not in the graph");
}

unsigned app_help_where(struct app *a)
{
	return a->views[a->cur].ops->where;
}

void app_close_help(struct app *a)
{
	a->help = false;
}

void app_close_threads(struct app *a)
{
	a->threads = false;
}

/* The last lines of the target's output, into r. */
static void draw_pane(struct app *a, struct grid *g, struct rect r)
{
	const char *path = source_log_path(a->src);
	char title[512], buf[16384];
	const char *lines[256];
	size_t nlines = 0, i;
	ssize_t n = 0;
	int fd, y;

	snprintf(title, sizeof(title), " output of the target: %s  (o hides)",
		 path ? path : "none (not started by flametop run)");
	grid_fill(g, r.x, r.y, r.w, ' ', COL_PANE, 0);
	grid_put(g, r.x, r.y, r.w, title, COL_PANE, 0);
	if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	{
		struct stat st;
		off_t off = 0;

		if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(buf) - 1)
			off = st.st_size - (off_t)(sizeof(buf) - 1);
		n = pread(fd, buf, sizeof(buf) - 1, off);
		close(fd);
	}
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	/* split into lines, keeping the last ones */
	lines[nlines++] = buf;
	for (i = 0; i < (size_t)n; i++) {
		if (buf[i] == '\t')
			buf[i] = ' ';
		if (buf[i] == '\n') {
			buf[i] = '\0';
			if (nlines == sizeof(lines) / sizeof(lines[0])) {
				memmove(lines, lines + 1, (nlines - 1) * sizeof(lines[0]));
				nlines--;
			}
			lines[nlines++] = buf + i + 1;
		}
	}
	y = r.y + r.h - 1;
	for (i = nlines; i-- > 0 && y > r.y; y--)
		grid_put(g, r.x, y, r.w, lines[i], COL_DEFAULT, 0);
}

static void draw_bottom(struct app *a, struct grid *g, int y)
{
	struct prompt *p = &a->prompt;
	int n;

	if (p->active) {
		n = grid_put(g, 0, y, g->w, p->label, COL_PROMPT, ATTR_BOLD);
		n += grid_put(g, n, y, g->w - n, p->buf, COL_PROMPT, 0);
		grid_fill(g, n, y, 1, '_', COL_PROMPT, ATTR_BOLD);
		return;
	}
	if (a->threads) {
		grid_put(
		    g, 0, y, g->w,
		    "Up/Down move  Enter show this thread  Esc cancel  (* marks the shown one)",
		    COL_DEFAULT, 0);
		return;
	}
	if (a->msg[0]) {
		grid_fill(g, 0, y, g->w, ' ', a->msg_err ? COL_ERROR : COL_NOTICE, 0);
		grid_put(g, 0, y, g->w, a->msg, a->msg_err ? COL_ERROR : COL_NOTICE, 0);
		return;
	}
	grid_put(g, 0, y, g->w,
		 a->cur == V_TOP
		     ? "? help  q quit  Up/Down move  Enter show in graph  1/2 sort  / filter"
		       "  Tab graph"
		     : "? help  q quit  arrows/hjkl move  Enter zoom  Esc out  / search  n/N"
		       "  Tab table  z freeze  i flip",
		 COL_DEFAULT, 0);
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

static void render(struct app *a)
{
	struct grid *g = a->g;
	struct rect body;
	char head[1024];
	bool alert;
	int w, h;

	tty_size(&w, &h);
	if ((w != g->w || h != g->h) && grid_resize(g, w, h) < 0)
		return;
	grid_clear(g);
	if (w < APP_MIN_W || h < APP_MIN_H) {
		app_draw_too_small(g);
		tty_draw(g);
		return;
	}
	source_describe(a->src, w, g->utf8, head, sizeof(head), &alert);
	grid_fill(g, 0, 0, w, ' ', alert ? COL_NOTICE : COL_HEADER, 0);
	grid_put(g, 0, 0, w, head, alert ? COL_NOTICE : COL_HEADER, alert ? ATTR_BOLD : 0);
	body = (struct rect){0, 1, w, h - 2};
	if (a->pane) {
		int ph = body.h / 3 > 3 ? body.h / 3 : 3;

		body.h -= ph;
		draw_pane(a, g, (struct rect){0, body.y + body.h, w, ph});
	}
	a->views[a->cur].last = body;
	a->views[a->cur].ops->draw(&a->views[a->cur], a, g, body);
	if (a->threads) {
		a->views[V_THREADS].last = body;
		a->views[V_THREADS].ops->draw(&a->views[V_THREADS], a, g, body);
	}
	if (a->help) {
		a->views[V_HELP].last = body;
		a->views[V_HELP].ops->draw(&a->views[V_HELP], a, g, body);
	}
	draw_bottom(a, g, h - 1);
	tty_draw(g);
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

/* Actions that are the screen's, not a view's. */
static enum ui_result global_action(struct app *a, enum action act)
{
	bool frozen;

	switch (act) {
	case ACT_QUIT:
		return UI_QUIT;
	case ACT_HELP:
		a->help = true;
		return UI_REDRAW;
	case ACT_TABLE:
		a->cur = a->cur == V_FLAME ? V_TOP : V_FLAME;
		return UI_REDRAW;
	case ACT_OUTPUT:
		if (!source_log_path(a->src)) {
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
	case ACT_CLEAR:
		if (source_clear(a->src) < 0)
			app_message(a, false, "%s", not_live);
		else
			app_message(a, false, "profile cleared");
		return UI_REDRAW;
	case ACT_THREAD:
		if (!source_is_live(a->src)) {
			app_message(a, false, "%s", not_live);
			return UI_REDRAW;
		}
		view_threads_open(&a->views[V_THREADS], a);
		a->threads = true;
		return UI_REDRAW;
	default:
		return UI_HANDLED;
	}
}

/* Answers one event; true when the screen must be redrawn. */
static bool handle(struct app *a, const struct ui_event *ev)
{
	struct view *v;
	struct ui_event rel = *ev;
	enum ui_result r;
	enum action act;
	bool had_msg = a->msg[0] != '\0';
	int i, w, h;

	if (ev->key == K_RESIZE) {
		tty_size(&w, &h);
		for (i = 0; i < V_COUNT; i++)
			if (a->views[i].ops->resize)
				a->views[i].ops->resize(&a->views[i], a, w, h);
		return true;
	}
	if (a->prompt.active) {
		prompt_key(a, ev);
		return true;
	}
	a->msg[0] = '\0';
	tty_size(&w, &h);
	if (w < APP_MIN_W || h < APP_MIN_H) {
		if (keys_action(ev->key, IN_ALL) == ACT_QUIT)
			a->quit = true;
		return false;
	}
	v = a->help ? &a->views[V_HELP] : a->threads ? &a->views[V_THREADS] : &a->views[a->cur];
	act = keys_action(ev->key, v->ops->where);
	if (ev->key == K_MOUSE) {
		rel.mx -= v->last.x;
		rel.my -= v->last.y;
	}
	r = v->ops->key(v, a, act, &rel);
	if (r == UI_UNHANDLED && !a->help && !a->threads)
		r = global_action(a, act);
	if (r == UI_QUIT)
		a->quit = true;
	/* a message shown until this key has to go too */
	return r != UI_HANDLED || had_msg || a->msg[0] != '\0';
}

int app_run(struct source *src, const struct app_opts *o, char *err, size_t errlen)
{
	struct app a = {0};
	struct ui_event ev;
	uint64_t next, next_poll, now;
	bool stale = false;
	int poll_ms, budget;
	int (*inits[V_COUNT])(struct view *) = {view_flame_init, view_top_init, view_help_init,
						view_threads_init};
	int i, w, h, rc = -1;

	a.src = src;
	a.interval_ms = o && o->interval_ms > 0 ? o->interval_ms : APP_DEFAULT_INTERVAL_MS;
	for (i = 0; i < V_COUNT; i++) {
		if (inits[i](&a.views[i]) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out_views;
		}
	}
	if (tty_start(err, errlen) < 0)
		goto out_views;
	tty_set_fatal_pid(o ? o->child_pid : 0);
	tty_size(&w, &h);
	a.g = grid_new(w, h, term_utf8());
	if (!a.g) {
		snprintf(err, errlen, "out of memory");
		goto out_term;
	}
	if (source_log_path(src))
		app_message(&a, false, "the target's output goes to %s (o shows it)",
			    source_log_path(src));
	/* the source is polled every poll_ms whatever the refresh interval
	 * (a slow refresh must not let the target's ring overflow); only
	 * the redraw follows the interval */
	poll_ms = a.interval_ms < APP_POLL_MS ? a.interval_ms : APP_POLL_MS;
	budget = poll_ms / 4 < 25 ? poll_ms / 4 : 25;
	source_tick(src, budget);
	render(&a);
	now = util_mono_ms();
	next = now + a.interval_ms;
	next_poll = now + poll_ms;
	while (!a.quit && !tty_quit_requested()) {
		now = util_mono_ms();
		if (now >= next_poll) {
			if (source_tick(src, budget))
				stale = true;
			next_poll += poll_ms;
			if (next_poll <= now)
				next_poll = now + poll_ms;
		}
		if (now >= next) {
			next += a.interval_ms;
			if (next <= now)
				next = now + a.interval_ms;
			render(&a);
			stale = false;
			continue;
		}
		tty_wait((int)((next < next_poll ? next : next_poll) - now));
		while (!a.quit && !tty_quit_requested() && tty_read(&ev)) {
			/* the views act on their last layout: lay them out
			 * for the tree as polled first */
			if (stale) {
				render(&a);
				stale = false;
			}
			if (handle(&a, &ev))
				render(&a);
		}
	}
	rc = 0;
	grid_free(a.g);
out_term:
	tty_set_fatal_pid(0);
	tty_end();
out_views:
	for (i = 0; i < V_COUNT; i++)
		if (a.views[i].ops && a.views[i].ops->free)
			a.views[i].ops->free(&a.views[i]);
	return rc;
}
