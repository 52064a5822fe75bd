/*
 * view-waiting.c - "where are they waiting": a flame graph of the parked
 * coroutines of a live target by their parked stacks, each coroutine
 * weighing one (Go's goroutine profile), so a pile-up or a leak of
 * coroutines waiting at the same place is the widest tower.
 *
 * The tree is built from a snapshot of the coroutine table
 * (source_coros), taken again at most every REFRESH_NS while the view is
 * drawn.  A parked coroutine whose stack the runtime has not read yet
 * counts under one pseudo-frame that says so, never guessed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "coros.h"
#include "flame.h"
#include "style.h"
#include "util.h"
#include "view.h"

#define REFRESH_NS 1000000000ull
#define NOT_READ "[parked, stack not read yet]"

struct wview {
	struct coros *c;
	const struct funcs *cf;
	struct calltree *t;
	struct flame *fl;
	uint64_t snap_ns;
	size_t parked, running;
};

/* clang-format off */
static const struct binding waiting_keys[] = {
	{{K_LEFT, 'h'}, ACT_LEFT, "previous frame on the row", "move", false},
	{{K_RIGHT, 'l'}, ACT_RIGHT, "next frame on the row", NULL, false},
	{{K_UP, 'k'}, ACT_UP, "towards the root", NULL, false},
	{{K_DOWN, 'j'}, ACT_DOWN, "towards the leaves", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "zoom into the selected frame", "zoom", false},
	{{K_ESC, K_BACKSPACE, 'u'}, ACT_ZOOM_OUT, "zoom out one level", NULL, false},
	{{'r'}, ACT_RESET, "reset the zoom", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static void refresh(struct wview *wv, struct app *a)
{
	uint64_t now = util_mono_ns();
	const struct coro_row *rows;
	struct funcs *f = app_funcs(a);
	uint32_t nr;
	size_t n;

	if (wv->snap_ns && now - wv->snap_ns < REFRESH_NS && wv->cf == f)
		return;
	if (!wv->c || wv->cf != f) {
		coros_free(wv->c);
		wv->cf = f;
		if (!(wv->c = coros_new(f)))
			return;
	}
	wv->snap_ns = now;
	calltree_clear(wv->t);
	wv->parked = wv->running = 0;
	if (source_coros(app_source(a), wv->c) < 0)
		return;
	rows = coros_rows(wv->c, &n);
	nr = funcs_intern(f, NOT_READ, "");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].state != FT_CORO_PARKED) {
			wv->running += rows[i].state == FT_CORO_RUNNING;
			continue;
		}
		wv->parked++;
		if (rows[i].nstack)
			calltree_add(wv->t, rows[i].stack, rows[i].nstack, 1, 1);
		else
			calltree_add(wv->t, &nr, 1, 1, 1);
	}
}

static void waiting_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct wview *wv = v->data;
	const struct ctnode *sel;
	char line[1024];

	if (r.h < 3)
		return;
	refresh(wv, a);
	flame_set_tree(wv->fl, wv->t, app_funcs(a));
	flame_layout(wv->fl, r.w, r.h - 1);
	flame_draw(wv->fl, g, r.x, r.y);
	sel = flame_selected(wv->fl);
	if (!wv->parked)
		grid_put(g, r.x + 1, r.y + (r.h - 1) / 2, r.w - 1,
			 "no coroutine is parked now (the view is read again every second)",
			 COL_NOTICE, 0);
	if (sel && sel->func)
		snprintf(line, sizeof(line),
			 " %s | %llu of %zu parked coroutine%s wait here | %zu running",
			 funcs_name(app_funcs(a), sel->func), (unsigned long long)sel->total_count,
			 wv->parked, wv->parked == 1 ? "" : "s", wv->running);
	else
		snprintf(line, sizeof(line),
			 " %zu parked coroutine%s, by where they wait | %zu running", wv->parked,
			 wv->parked == 1 ? "" : "s", wv->running);
	grid_fill(g, r.x, r.y + r.h - 1, r.w, ' ', COL_STATUS, 0);
	grid_put(g, r.x, r.y + r.h - 1, r.w, line, COL_STATUS, 0);
}

static enum ui_result waiting_key(struct view *v, struct app *a, enum action act,
				  const struct ui_event *ev)
{
	struct wview *wv = v->data;

	(void)a;
	if (ev->key == K_MOUSE) {
		if (ev->mouse == MOUSE_CLICK || ev->mouse == MOUSE_DOUBLE) {
			flame_select_at(wv->fl, ev->mx, ev->my);
			if (ev->mouse == MOUSE_DOUBLE)
				flame_zoom_in(wv->fl);
			return UI_REDRAW;
		}
		return UI_HANDLED;
	}
	switch (act) {
	case ACT_LEFT:
		flame_move(wv->fl, FLAME_PREV);
		break;
	case ACT_RIGHT:
		flame_move(wv->fl, FLAME_NEXT);
		break;
	case ACT_UP:
		flame_move(wv->fl, flame_flipped(wv->fl) ? FLAME_CHILD : FLAME_PARENT);
		break;
	case ACT_DOWN:
		flame_move(wv->fl, flame_flipped(wv->fl) ? FLAME_PARENT : FLAME_CHILD);
		break;
	case ACT_ZOOM_IN:
		flame_zoom_in(wv->fl);
		break;
	case ACT_ZOOM_OUT:
		flame_zoom_out(wv->fl);
		break;
	case ACT_RESET:
		flame_reset(wv->fl);
		break;
	default:
		return UI_UNHANDLED;
	}
	return UI_REDRAW;
}

/* For a live target that has coroutines. */
static bool waiting_has_data(struct view *v, struct app *a)
{
	(void)v;
	return source_coro_count(app_source(a)) > 0;
}

static void waiting_free(struct view *v)
{
	struct wview *wv = v->data;

	if (!wv)
		return;
	coros_free(wv->c);
	flame_free(wv->fl);
	calltree_free(wv->t);
	free(wv);
	v->data = NULL;
}

static int waiting_init(struct view *v)
{
	struct wview *wv = calloc(1, sizeof(*wv));

	if (!wv || !(wv->t = calltree_new()) || !(wv->fl = flame_new())) {
		if (wv)
			calltree_free(wv->t);
		free(wv);
		return -ENOMEM;
	}
	flame_set_sort(wv->fl, FLAME_BY_WEIGHT);
	v->data = wv;
	return 0;
}

const struct view_ops view_waiting_ops = {
    .name = "where coroutines wait",
    .short_name = "waiting",
    .kind = VIEW_MAIN,
    .keys = waiting_keys,
    .init = waiting_init,
    .has_data = waiting_has_data,
    .draw = waiting_draw,
    .key = waiting_key,
    .free = waiting_free,
};
