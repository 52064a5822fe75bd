/*
 * view-flame.c - the flame graph view: the graph (flame.c) plus its status
 * lines (the selected frame in full, zoom path, order, search share), and
 * what its keys and the mouse do.
 *
 * Moves follow the screen: Up goes to the row above (the parent in icicle
 * orientation, a child in flame orientation), Down to the row below.
 * Zoomed in, the rows of the zoomed frame's callers are reached the same
 * way (Up from the zoomed root in icicle orientation); Enter on one zooms
 * out to it.  Against a baseline (app_diff) the boxes are coloured by
 * their change and the status line gives both shares.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difftree.h"
#include "flame.h"
#include "hide.h"
#include "shapes.h"
#include "shorten.h"
#include "style.h"
#include "view.h"

#define STATUS_MAX_LINES 6

struct fview {
	struct flame *fl;
	char saved[256];	     /* the pattern before / was pressed */
	int graph_h;		     /* rows of the graph at the last draw */
	struct findings_cache fc;    /* the tree's findings */
	struct evidence_cache ev;    /* the selected finding's evidence */
	struct evidence_cache trend; /* the selected frame's in-use trend */
	struct flame_mark *marks;    /* ... as marks on their boxes */
};

/* clang-format off */
static const struct binding flame_keys[] = {
	{{K_LEFT, 'h'}, ACT_LEFT, "previous frame on this row", "move", false},
	{{K_RIGHT, 'l'}, ACT_RIGHT, "next frame on this row", "move", false},
	{{K_UP, 'k'}, ACT_UP, "move up: to the parent (icicle) / a child (flame)", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "move down: to a child (icicle) / the parent (flame)", "move", false},
	{{K_PGUP}, ACT_PAGE_UP, "scroll a page up", NULL, false},
	{{K_PGDN}, ACT_PAGE_DOWN, "scroll a page down", NULL, false},
	{{'g', K_HOME}, ACT_TOP, "go to the root", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "go to the hottest leaf", NULL, false},
	{{K_ENTER}, ACT_ZOOM_IN, "zoom into the selected frame", "zoom", false},
	{{K_ESC, K_BACKSPACE, 'u'}, ACT_ZOOM_OUT, "zoom out one level", "out", false},
	{{'r'}, ACT_RESET, "reset zoom and selection", NULL, false},
	{{'/'}, ACT_SEARCH, "search functions (extended regex, any case)", "search", false},
	{{'n'}, ACT_NEXT, "next match", "match", false},
	{{'N'}, ACT_PREV, "previous match", "match", false},
	{{'#'}, ACT_SEARCH_FRAME, "search the selected frame's function", NULL, false},
	{{'x'}, ACT_HIDE, "hide the frame's function (its time goes to its caller)", NULL, false},
	{{'X'}, ACT_HIDE_MOD, "hide the frame's module", NULL, false},
	{{'C'}, ACT_COLLAPSE, "collapse direct recursion (again: expand)", NULL, false},
	{{'U'}, ACT_UNHIDE, "show all that is hidden again", NULL, false},
	{{'c'}, ACT_CALLERS, "callers view of the frame's function", "callers", false},
	{{'s'}, ACT_SORT, "order siblings: alphabetical / heaviest first", NULL, false},
	{{'i'}, ACT_FLIP, "flip: icicle (root on top) / flame (root below)", "flip", false},
	{{'L'}, ACT_LINES, "the function's hot source lines", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A differential graph's box (flame_set_colour): red more, blue less,
 * grey within noise; '+' or '-' without colours. */
static uint8_t diff_colour(void *arg, const struct ctnode *n, char *sign)
{
	struct diff_share s;
	uint8_t col;

	if (!difftree_node(arg, n, &s))
		return COL_DIFF_SAME;
	col = style_diff(s.b - s.a, s.noise);
	if (col != COL_DIFF_SAME)
		*sign = s.b > s.a ? '+' : '-';
	return col;
}

/* The selected frame's share: "12.50% of all", or against a baseline
 * "42.0% of B, 22.0% of A, +20.0 points". */
static void share_text(struct app *a, const struct ctnode *n, const struct ctnode *root, char *out,
		       size_t len)
{
	struct difftree *dt = app_diff(a);
	struct diff_share s;

	if (!dt || !difftree_node(dt, n, &s)) {
		snprintf(out, len, "%.2f%% of all", pct(n->total_weight, root->total_weight));
		return;
	}
	snprintf(out, len, "%.1f%% of %s, %.1f%% of %s, %+.1f points%s", s.b,
		 app_diff_name(a, false), s.a, app_diff_name(a, true), s.b - s.a,
		 diff_significant(&s) ? "" : " (noise)");
}

/* The selected frame: full name, module, samples, shares.  A name longer
 * than about two rows of width w is shortened as in its box (own name
 * kept, template and parameter lists collapsed first). */
static void sel_text(struct fview *fv, struct app *a, char *sel, size_t slen, int w, bool utf8)
{
	const struct ctnode *n = flame_selected(fv->fl), *z = flame_zoomed(fv->fl);
	struct funcs *f = app_funcs(a);
	struct calltree *t = app_tree(a);
	const struct ctnode *root = t ? calltree_root(t) : NULL;

	if (!n || !root || root->total_weight == 0) {
		snprintf(sel, slen, " no samples yet");
	} else {
		const char *mod = funcs_module(f, n->func);
		char zshare[64];

		/* a caller of the zoomed frame (a context row) is no share of it */
		if (z && n != z && n->depth < z->depth)
			snprintf(zshare, sizeof(zshare),
				 "caller of the zoom: Enter zooms out to it");
		else
			snprintf(zshare, sizeof(zshare), "%.2f%% of zoom",
				 pct(n->total_weight, z ? z->total_weight : 0));
		char expl[1024] = "";
		size_t i;

		/* a finding's frame: its evidence in one sentence */
		for (i = 0; i < fv->fc.n; i++)
			if (fv->fc.f[i].node == n) {
				expl[0] = ' ';
				expl[1] = '|';
				expl[2] = ' ';
				snprintf(expl + 3, sizeof(expl) - 3, "%s",
					 view_finding_text(&fv->ev, a, &fv->fc.f[i]));
			}
		const char *name = funcs_name(f, n->func);
		int budget = 2 * w - 60 > 40 ? 2 * w - 60 : 40;
		char shortened[1024];

		if (grid_text_width(name) > budget) {
			shorten_name(name, budget, utf8, shortened, sizeof(shortened));
			name = shortened;
		}
		char rep[48] = "", share[160];

		if (n->repeat > 1)
			snprintf(rep, sizeof(rep), " (recursion: %u frames at most)", n->repeat);
		share_text(a, n, root, share, sizeof(share));
		snprintf(sel, slen, " %s%s%s%s%s | %llu samples | %s | %s%s%s", name,
			 *mod ? " [" : "", mod, *mod ? "]" : "", rep,
			 (unsigned long long)n->total_count, share, zshare,
			 view_trend_text(&fv->trend, a, n, utf8), expl);
	}
}

/* The search share, zoom path, orientation and order. */
static void info_text(struct fview *fv, struct app *a, char *info, size_t ilen, int width)
{
	const struct ctnode *z = flame_zoomed(fv->fl);
	struct funcs *f = app_funcs(a);
	size_t pos = 0;
	int k;

	info[0] = '\0';
	/* against a baseline: what of it has no box here */
	if (app_diff(a) && difftree_gone(app_diff(a), NULL)) {
		double share;
		size_t gone = difftree_gone(app_diff(a), &share);

		k = snprintf(info, ilen, " only in %s: %zu frame%s, %.1f%% of %s |",
			     app_diff_name(a, true), gone, gone == 1 ? "" : "s", share,
			     app_diff_name(a, true));
		if (k > 0 && (size_t)k < ilen)
			pos = (size_t)k;
	}
	if (flame_pattern(fv->fl)) {
		double all, zoom;

		size_t at, nm = flame_match_position(fv->fl, &at);
		char where[64] = "";

		if (at)
			snprintf(where, sizeof(where), ", match %zu/%zu", at, nm);
		else
			snprintf(where, sizeof(where), ", %zu match%s shown", nm,
				 nm == 1 ? "" : "es");
		flame_match_share(fv->fl, &all, &zoom);
		k = snprintf(info + pos, ilen - pos, " search /%s/: %.2f%% of all%s",
			     flame_pattern(fv->fl), 100 * all, where);
		if (k > 0)
			k += (int)pos;
		if (k > 0 && (size_t)k < ilen)
			pos = (size_t)k;
		if (z && z->parent && pos < ilen) {
			k = snprintf(info + pos, ilen - pos, " (%.2f%% of zoom)", 100 * zoom);
			if (k > 0 && pos + k < ilen)
				pos += k;
		}
		if (pos < ilen) { /* n/N are on the key bar below */
			k = snprintf(info + pos, ilen - pos, " |");
			if (k > 0 && pos + k < ilen)
				pos += k;
		}
	}
	if (z && z->parent && pos < ilen) {
		const struct ctnode *p;
		char path[512], tail[64];
		size_t pl = 0;
		int room, used = grid_text_width(info);
		bool cut = false;

		/* the zoom path, innermost last; when it does not fit in the
		 * row, the outer frames give way to "…" and the depth */
		snprintf(tail, sizeof(tail), " (depth %u)", z->depth);
		room = width - used - 8; /* " zoom: " and " |" */
		path[0] = '\0';
		for (p = z; p && p->parent; p = p->parent) {
			const char *name = funcs_name(f, p->func);
			size_t nl = strlen(name);

			if (pl + nl + 3 >= sizeof(path) / 2 ||
			    (pl && (int)(pl + nl + 3 + 6 + strlen(tail)) > room)) {
				/* the innermost frame always shows */
				cut = true;
				break;
			}
			memmove(path + nl + (pl ? 3 : 0), path, pl + 1);
			memcpy(path, name, nl);
			if (pl)
				memcpy(path + nl, " > ", 3);
			pl += nl + (pl ? 3 : 0);
		}
		k = snprintf(info + pos, ilen - pos, " zoom: %s%s%s |", cut ? "... > " : "", path,
			     cut ? tail : "");
		if (k > 0 && pos + k < ilen)
			pos += k;
	}
	/* what is hidden (x, X, C; U shows it again) */
	if (pos < ilen) {
		char hid[256];

		hide_text(source_hide(app_source(a)), f, hid, sizeof(hid));
		k = *hid ? snprintf(info + pos, ilen - pos, " %s (U: show all) |", hid) : 0;
		if (k > 0 && pos + k < ilen)
			pos += k;
	}
	/* the orientation and order last, where there is room for them */
	if (pos < ilen && (!pos || grid_text_width(info) + 26 <= width))
		snprintf(info + pos, ilen - pos, " %s | %s order",
			 flame_flipped(fv->fl) ? "flame" : "icicle",
			 flame_sort(fv->fl) == FLAME_BY_NAME ? "name" : "heaviest-first");
}

/* Rows s takes wrapped into w cells (at blanks and " | ", see grid_wrap;
 * rows after the first are indented by one cell like the first). */
static int lines_for(const char *s, int w)
{
	return grid_put_wrapped(NULL, 0, 0, w, 1, STATUS_MAX_LINES + 1, s, 0, 0);
}

/* Writes s over as many rows as it takes from y (at most max rows). */
static void put_wrapped(struct grid *g, struct rect r, int y, int max, const char *s, uint8_t col)
{
	grid_put_wrapped(g, r.x, y, r.w, 1, max, s, col, 0);
}

/* The findings of the tree shown, marked on their boxes. */
static void mark_findings(struct fview *fv, struct app *a)
{
	size_t i;
	int rc = view_findings_get(&fv->fc, a);

	if (rc > 0 || rc < 0) {
		free(fv->marks);
		fv->marks = fv->fc.n ? calloc(fv->fc.n, sizeof(*fv->marks)) : NULL;
		for (i = 0; fv->marks && i < fv->fc.n; i++)
			fv->marks[i] = (struct flame_mark){fv->fc.f[i].node,
							   view_findings_glyph(&fv->fc.f[i])};
	}
	flame_set_marks(fv->fl, fv->marks, fv->marks ? fv->fc.n : 0);
}

static void flame_view_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct fview *fv = v->data;
	char sel[4096], info[1024];
	int nsel, gh;

	flame_set_tree(fv->fl, app_tree(a), app_funcs(a));
	mark_findings(fv, a);
	flame_set_colour(fv->fl, app_diff(a) ? diff_colour : NULL, app_diff(a));
	flame_layout(fv->fl, r.w, r.h - 2);
	sel_text(fv, a, sel, sizeof(sel), r.w, g->utf8);
	nsel = lines_for(sel, r.w);
	if (nsel > STATUS_MAX_LINES)
		nsel = STATUS_MAX_LINES;
	if (nsel > r.h / 3)
		nsel = r.h / 3 > 0 ? r.h / 3 : 1;
	gh = r.h - nsel - 1;
	if (gh != r.h - 2) {
		flame_layout(fv->fl, r.w, gh);
		sel_text(fv, a, sel, sizeof(sel), r.w, g->utf8);
	}
	info_text(fv, a, info, sizeof(info), r.w);
	/* a page is the rows that scroll: not the callers' rows */
	fv->graph_h = gh - flame_ancestor_rows(fv->fl, NULL, NULL);
	flame_draw(fv->fl, g, r.x, r.y);
	if (!flame_selected(fv->fl)) {
		struct source *src = app_source(a);
		const char *why = "the profile is empty";
		char wait[256], what[200];

		if (source_is_live(src)) {
			why = "no samples: the target ended before any was taken";
			if (!source_ended(src)) {
				/* what runs, by name: the command and what it started */
				source_waiting_for(src, what, sizeof(what));
				snprintf(wait, sizeof(wait), "no samples yet: waiting for %s",
					 what);
				why = wait;
			}
		}
		grid_put(g, r.x + 1, r.y + gh / 2, r.w - 1, why, COL_NOTICE, 0);
	}
	put_wrapped(g, r, r.y + gh, nsel, sel, COL_STATUS);
	put_wrapped(g, r, r.y + gh + nsel, 1, info, COL_STATUS);
}

static void search_changed(struct app *a, void *arg, const char *text)
{
	struct fview *fv = arg;

	/* incremental: a pattern that does not compile yet keeps the last */
	flame_search(fv->fl, text, NULL, 0);
}

static void search_done(struct app *a, void *arg, const char *text)
{
	struct fview *fv = arg;
	char err[256];

	if (!text) {
		flame_search(fv->fl, fv->saved, NULL, 0);
		return;
	}
	if (flame_search(fv->fl, text, err, sizeof(err)) < 0) {
		app_message(a, true, "bad pattern /%s/: %s", text, err);
		flame_search(fv->fl, fv->saved, NULL, 0);
		return;
	}
	if (*text && !flame_next_match(fv->fl, 1)) {
		double all, zoom;

		flame_match_share(fv->fl, &all, &zoom);
		if (all == 0)
			app_message(a, false, "no function matches /%s/", text);
	}
}

/* "^name$" with the regex metacharacters of name escaped. */
static void exact_pattern(const char *name, char *out, size_t len)
{
	size_t pos = 0;

	if (len < 4)
		return;
	out[pos++] = '^';
	for (; *name && pos + 3 < len; name++) {
		if (strchr("\\^$.|?*+()[]{}", *name))
			out[pos++] = '\\';
		out[pos++] = *name;
	}
	out[pos++] = '$';
	out[pos] = '\0';
}

/* x, X, C and U: what the source hides (hide.h), n the selected frame. */
static void hide_key(struct app *a, enum action act, const struct ctnode *n)
{
	struct hide *h = source_hide(app_source(a));
	const char *mod = n ? funcs_module(app_funcs(a), n->func) : "";
	int rc = 0;

	if (!h) {
		app_message(a, true, "out of memory");
		return;
	}
	if ((act == ACT_HIDE || act == ACT_HIDE_MOD) && (!n || !n->parent)) {
		app_message(a, true, "select a frame to hide (the root cannot be)");
		return;
	}
	switch (act) {
	case ACT_HIDE:
		rc = hide_add_func(h, n->func);
		break;
	case ACT_HIDE_MOD:
		if (!*mod) {
			app_message(a, true, "no module is known for %s",
				    funcs_name(app_funcs(a), n->func));
			return;
		}
		rc = hide_add_module(h, mod);
		break;
	case ACT_COLLAPSE:
		hide_set_collapse(h, !hide_collapse(h));
		break;
	default:
		if (!hide_active(h))
			app_message(a, false, "nothing is hidden");
		hide_clear(h);
		break;
	}
	if (rc == 0)
		rc = source_hide_changed(app_source(a));
	if (rc < 0)
		app_message(a, true, "out of memory hiding frames");
}

static enum ui_result flame_view_key(struct view *v, struct app *a, enum action act,
				     const struct ui_event *ev)
{
	struct fview *fv = v->data;
	struct flame *fl = fv->fl;
	bool flip = flame_flipped(fl);
	const struct ctnode *n;
	char pat[1024];

	if (ev->key == K_MOUSE) {
		switch (ev->mouse) {
		case MOUSE_CLICK:
			flame_select_at(fl, ev->mx, ev->my);
			return UI_REDRAW;
		case MOUSE_DOUBLE:
			if (flame_select_at(fl, ev->mx, ev->my))
				flame_zoom_in(fl);
			return UI_REDRAW;
		case MOUSE_WHEEL_UP:
			flame_scroll(fl, flip ? 3 : -3);
			return UI_REDRAW;
		case MOUSE_WHEEL_DOWN:
			flame_scroll(fl, flip ? -3 : 3);
			return UI_REDRAW;
		default:
			return UI_HANDLED;
		}
	}
	switch (act) {
	case ACT_UP:
		flame_move(fl, flip ? FLAME_CHILD : FLAME_PARENT);
		return UI_REDRAW;
	case ACT_DOWN:
		flame_move(fl, flip ? FLAME_PARENT : FLAME_CHILD);
		return UI_REDRAW;
	case ACT_LEFT:
		flame_move(fl, FLAME_PREV);
		return UI_REDRAW;
	case ACT_RIGHT:
		flame_move(fl, FLAME_NEXT);
		return UI_REDRAW;
	case ACT_TOP:
		flame_move(fl, FLAME_ROOT);
		return UI_REDRAW;
	case ACT_BOTTOM:
		flame_move(fl, FLAME_LEAF);
		return UI_REDRAW;
	case ACT_PAGE_UP:
		flame_scroll(fl, flip ? fv->graph_h : -fv->graph_h);
		return UI_REDRAW;
	case ACT_PAGE_DOWN:
		flame_scroll(fl, flip ? -fv->graph_h : fv->graph_h);
		return UI_REDRAW;
	case ACT_ZOOM_IN:
		flame_zoom_in(fl);
		return UI_REDRAW;
	case ACT_ZOOM_OUT:
		/* nothing to zoom out of: the search goes, then the baseline */
		if (flame_zoom_out(fl))
			return UI_REDRAW;
		if (flame_pattern(fl))
			flame_search(fl, NULL, NULL, 0);
		else
			app_drop_baseline(a);
		return UI_REDRAW;
	case ACT_RESET:
		flame_reset(fl);
		return UI_REDRAW;
	case ACT_SEARCH:
		snprintf(fv->saved, sizeof(fv->saved), "%s",
			 flame_pattern(fl) ? flame_pattern(fl) : "");
		app_prompt(a, "/", "", search_changed, search_done, fv);
		return UI_REDRAW;
	case ACT_HIDE:
	case ACT_HIDE_MOD:
	case ACT_COLLAPSE:
	case ACT_UNHIDE:
		hide_key(a, act, flame_selected(fl));
		return UI_REDRAW;
	case ACT_CALLERS:
		n = flame_selected(fl);
		if (!n || !n->parent)
			return UI_HANDLED;
		app_show_view(a, &view_callers_ops, n->func);
		return UI_REDRAW;
	case ACT_SEARCH_FRAME:
		n = flame_selected(fl);
		if (!n || !n->parent)
			return UI_HANDLED;
		exact_pattern(funcs_name(app_funcs(a), n->func), pat, sizeof(pat));
		flame_search(fl, pat, NULL, 0);
		return UI_REDRAW;
	case ACT_NEXT:
	case ACT_PREV:
		if (!flame_pattern(fl))
			app_message(a, false, "no search: / starts one");
		else if (!flame_next_match(fl, act == ACT_NEXT ? 1 : -1))
			app_message(a, false, "no other visible match");
		return UI_REDRAW;
	case ACT_SORT:
		flame_set_sort(fl,
			       flame_sort(fl) == FLAME_BY_NAME ? FLAME_BY_WEIGHT : FLAME_BY_NAME);
		app_message(a, false, "siblings ordered %s",
			    flame_sort(fl) == FLAME_BY_NAME ? "by name" : "heaviest first");
		return UI_REDRAW;
	case ACT_FLIP:
		flame_set_flipped(fl, !flip);
		return UI_REDRAW;
	case ACT_LINES:
		n = flame_selected(fl);
		view_lines_show(a, n && n->parent ? n->func : 0);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static bool flame_view_show_func(struct view *v, struct app *a, uint32_t func)
{
	struct fview *fv = v->data;

	char pat[1024];

	/* the graph may not have been drawn since the tree last changed */
	flame_set_tree(fv->fl, app_tree(a), app_funcs(a));
	/* every occurrence highlighted, as '#' does; n/N walk them */
	exact_pattern(funcs_name(app_funcs(a), func), pat, sizeof(pat));
	flame_search(fv->fl, pat, NULL, 0);
	return flame_select_func(fv->fl, func);
}

static bool flame_view_show_node(struct view *v, struct app *a, const struct ctnode *n)
{
	struct fview *fv = v->data;

	flame_set_tree(fv->fl, app_tree(a), app_funcs(a));
	return flame_show_node(fv->fl, n);
}

static void flame_view_free(struct view *v)
{
	struct fview *fv = v->data;

	if (!fv)
		return;
	flame_free(fv->fl);
	view_findings_release(&fv->fc);
	free(fv->marks);
	free(fv);
	v->data = NULL;
}

static int flame_view_init(struct view *v)
{
	struct fview *fv = calloc(1, sizeof(*fv));

	if (!fv || !(fv->fl = flame_new())) {
		free(fv);
		return -ENOMEM;
	}
	v->data = fv;
	return 0;
}

/* The graph is always there: empty, it says why (waiting, ended). */
const struct view_ops view_flame_ops = {
    .name = "flame graph",
    .short_name = "graph",
    .kind = VIEW_MAIN,
    .keys = flame_keys,
    .init = flame_view_init,
    .draw = flame_view_draw,
    .key = flame_view_key,
    .show_func = flame_view_show_func,
    .show_node = flame_view_show_node,
    .free = flame_view_free,
};
