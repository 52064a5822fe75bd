/*
 * view.h - views: tables of functions the screen loop calls.
 *
 * A view draws a snapshot of the model into its part of the grid and
 * answers actions (from the key table, keys.h) and mouse events, saying
 * what happened rather than poking globals.  Views reach the rest of the
 * screen (the current tree, messages, the input line) through the app_*
 * calls below.
 */
#ifndef FT_UI_VIEW_H
#define FT_UI_VIEW_H

#include <stdarg.h>
#include <stdbool.h>
#include "calltree.h"
#include "funcs.h"
#include "grid.h"
#include "keys.h"
#include "source.h"

enum ui_result {
	UI_UNHANDLED = 0, /* not this view's: the app tries it */
	UI_HANDLED,	  /* done, nothing to redraw */
	UI_REDRAW,	  /* redraw the screen */
	UI_QUIT,	  /* leave the viewer */
};

struct app;
struct view;

struct rect {
	int x, y, w, h;
};

struct view_ops {
	const char *name;
	unsigned where; /* IN_* of keys.h: which bindings apply */
	/* Draws into r of g. */
	void (*draw)(struct view *v, struct app *a, struct grid *g, struct rect r);
	/* An action (ACT_NONE for an unbound key; ev has the raw key or the
	 * mouse event, in coordinates relative to the last drawn rect). */
	enum ui_result (*key)(struct view *v, struct app *a, enum action act,
			      const struct ui_event *ev);
	/* The screen changed size. */
	void (*resize)(struct view *v, struct app *a, int w, int h);
	void (*free)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *data;
	struct rect last; /* where it was last drawn */
};

/* The views (view-*.c); each *_init returns 0 or -ENOMEM. */
int view_flame_init(struct view *v);
int view_top_init(struct view *v);
int view_help_init(struct view *v);
int view_threads_init(struct view *v);

/* The help overlay for the bindings of `where` into r of g, from display
 * row *first (clamped); sets *nlines (rows of all lines) and *shown (rows
 * the box shows).  The box is as wide as the longest line when r allows;
 * otherwise descriptions wrap. */
void view_help_render(struct grid *g, struct rect r, unsigned where, int *first, int *nlines,
		      int *shown);

/* The thread picker overlay into r of g: "all threads", then the n
 * threads th, the filter `current` (a tid, 0 for all) marked with '*',
 * row *cursor (clamped) highlighted, rows shown from *first (clamped so
 * the cursor shows).  Sets *list (may be NULL) to where the rows went,
 * relative to r. */
void view_threads_render(struct grid *g, struct rect r, const struct profile_thread *th, size_t n,
			 int current, int *cursor, int *first, struct rect *list);
/* Puts the picker's cursor on the current filter (before showing it). */
void view_threads_open(struct view *v, struct app *a);

/* The flame view's graph (for the top table's "jump to function"). */
struct flame *view_flame_graph(struct view *v);

/* Services of the screen loop (app.c) for views. */
struct calltree *app_tree(struct app *a);
struct funcs *app_funcs(struct app *a);
struct source *app_source(struct app *a);
/* A one-line message at the bottom until the next key. */
void app_message(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Opens the input line with label ("/") and initial text.  changed is
 * called on every edit (may be NULL), done once with the text on Enter or
 * NULL on Esc; both get arg. */
typedef void (*app_prompt_fn)(struct app *a, void *arg, const char *text);
void app_prompt(struct app *a, const char *label, const char *init, app_prompt_fn changed,
		app_prompt_fn done, void *arg);
/* Switches to the flame graph with func selected (top table's Enter). */
void app_jump(struct app *a, uint32_t func);
/* The view shown under the help overlay (help generates its text from
 * its bindings). */
unsigned app_help_where(struct app *a);
void app_close_help(struct app *a);
void app_close_threads(struct app *a);

#endif
