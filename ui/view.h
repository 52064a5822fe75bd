/*
 * view.h - views: tables of functions the screen loop calls.
 *
 * A view draws a snapshot of the model into its part of the grid and
 * answers actions (from its own binding table and the screen's, keys.h)
 * and mouse events, saying what happened rather than poking globals.
 * Views reach the rest of the screen (the current tree, messages, the
 * input line) through the app_* calls below.
 *
 * Adding a view: write ui/view-NAME.c with its state, its bindings and
 * `const struct view_ops view_NAME_ops` (kind VIEW_MAIN for one Tab
 * reaches, VIEW_STRIP_BELOW/ABOVE for a strip with .rows), declare it
 * below and list it in view_registry (view.c).  New actions go in
 * enum action (keys.h); every key in KEYS of flametop(1) (a test checks).
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

#define VIEW_MAX 16 /* views the screen holds */

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

/* Where a view goes: the main area (Tab cycles through those with data),
 * or a strip of a few rows stacked above or below it (see layout.h). */
enum view_kind { VIEW_MAIN, VIEW_STRIP_ABOVE, VIEW_STRIP_BELOW };

struct view_ops {
	const char *name;	/* "flame graph": help's title, messages */
	const char *short_name; /* "graph": the key bar's "Tab graph" */
	enum view_kind kind;
	const struct binding *keys; /* its own bindings (keys.h); may be NULL */
	/* Sets v->data; 0 or -ENOMEM. */
	int (*init)(struct view *v);
	/* Has it something to show (may be NULL: always)?  A main view
	 * without data is skipped by Tab; a strip without data takes no
	 * rows. */
	bool (*has_data)(struct view *v, struct app *a);
	/* A strip's height in rows for a body of avail rows (0: none). */
	int (*rows)(struct view *v, struct app *a, int avail);
	/* Draws into r of g. */
	void (*draw)(struct view *v, struct app *a, struct grid *g, struct rect r);
	/* An action (ACT_NONE for an unbound key; ev has the raw key or the
	 * mouse event, in coordinates relative to the last drawn rect). */
	enum ui_result (*key)(struct view *v, struct app *a, enum action act,
			      const struct ui_event *ev);
	/* The screen changed size (may be NULL). */
	void (*resize)(struct view *v, struct app *a, int w, int h);
	/* Selects func (the top table's Enter); false if it is not there.
	 * May be NULL: app_show_func goes to the first view that has it. */
	bool (*show_func)(struct view *v, struct app *a, uint32_t func);
	/* Zooms to node n of app_tree (a finding, a GC's trigger path);
	 * false if it cannot.  May be NULL. */
	bool (*show_node)(struct view *v, struct app *a, const struct ctnode *n);
	void (*free)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *data;
	struct rect last; /* where it was last drawn (h 0: not shown) */
};

/*
 * The registry: every view the screen has, main views in Tab order, then
 * strips (view.c).  A new view is a view-NAME.c file exporting its
 * view_NAME_ops, listed here and in view_registry.
 */
extern const struct view_ops view_flame_ops, view_top_ops, view_coros_ops, view_waiting_ops;
/* The shapes' findings, listed (view-findings.c). */
extern const struct view_ops view_findings_ops;
/* A function's callers and callees merged (view-callers.c). */
extern const struct view_ops view_callers_ops;
/* The time heatmap (view-heat.c). */
extern const struct view_ops view_heat_ops;
/* The hot source lines of one function (view-lines.c). */
extern const struct view_ops view_lines_ops;
/* Opens the hot lines view on func (L in the graph and the table); says
 * in the message line why not when the source keeps no lines. */
void view_lines_show(struct app *a, uint32_t func);
/* The GC timeline: the strip under the main view and the full list. */
extern const struct view_ops view_gctime_ops, view_gclist_ops;
extern const struct view_ops *const view_registry[]; /* NULL-terminated */

/* The overlays the screen opens over the main view. */
extern const struct view_ops view_help_ops, view_threads_ops;

/* The help overlay for the n binding tables into r of g, from display
 * row *first (clamped); sets *nlines (rows of all lines) and *shown (rows
 * the box shows).  The box is as wide as the longest line when r allows;
 * otherwise descriptions wrap. */
void view_help_render(struct grid *g, struct rect r, const struct binding *const *tables, size_t n,
		      int *first, int *nlines, int *shown);

/* The thread picker overlay into r of g: "all threads", then the n
 * threads th, the filter `current` (a tid, 0 for all) marked with '*',
 * row *cursor (clamped) highlighted, rows shown from *first (clamped so
 * the cursor shows).  Sets *list (may be NULL) to where the rows went,
 * relative to r. */
void view_threads_render(struct grid *g, struct rect r, const struct profile_thread *th, size_t n,
			 int current, int *cursor, int *first, struct rect *list);
/* Puts the picker's cursor on the current filter (before showing it). */
void view_threads_open(struct view *v, struct app *a);

/* The GC strip into r of g (view-gctime.c): the summary of the
 * collections of t that end in [from, to], the heap line and the pause
 * marks over that span, then the gctrace line of sel (may be NULL) and
 * on a fifth row trigger (may be NULL), or else the axis. */
struct gctimeline;
struct gc_cycle;
void view_gctime_render(struct grid *g, struct rect r, const struct gctimeline *t, uint64_t from,
			uint64_t to, const struct gc_cycle *sel, const char *trigger);
/* The strip's first row: " GC N in window | R/s | paused P% | ...". */
void view_gctime_summary(const struct gctimeline *t, uint64_t from, uint64_t to, char *buf,
			 size_t len);

/* The wide peaks and spikes of a tree (shapes.h, default thresholds),
 * heaviest first, computed again only when the tree changed (its
 * calltree_gen): f (n of them, NULL for none) is valid while the tree
 * is.  view_findings_get returns 1 when it computed them afresh, 0 when
 * they are the same as before, -ENOMEM (then none). */
struct shape_finding;
struct findings_cache {
	const struct calltree *t;
	uint64_t gen;
	unsigned cfg_gen; /* of the thresholds (app_shapes) */
	struct shape_finding *f;
	size_t n;
};
int view_findings_get(struct findings_cache *c, struct app *a);
void view_findings_release(struct findings_cache *c);
/* A finding's explanation with its evidence (evidence.h: callers,
 * off-CPU share, allocations under it), found again at most once a
 * second for the same frame (the profile walks cost more than a draw). */
struct evidence_cache {
	const void *node; /* the frame it was found for (identity only) */
	uint64_t at_ns;
	char text[1024];
};
const char *view_finding_text(struct evidence_cache *c, struct app *a,
			      const struct shape_finding *f);
/* The in-use trend under a frame (evidence_trend) as " | in use +3.2 MiB
 * over 30 s ▁▂▃▅▇" (a sparkline of the in-use bytes under it second by
 * second, ASCII without UTF-8), "" when allocations are not sampled or
 * none was under it; found again at most once a second. */
const char *view_trend_text(struct evidence_cache *c, struct app *a, const struct ctnode *n,
			    bool utf8);
/* The glyph a finding has in the graph and the panel: '~' a wide peak,
 * '^' a spike. */
char view_findings_glyph(const struct shape_finding *f);

/* The bursts of a profile (bursts_of_profile, default thresholds), found
 * again at most once a second and only when
 * samples came: b (n of them) are valid until the next call; times are
 * view_burst_start / view_burst_end.  1 when found afresh, 0 when kept,
 * -ENOMEM (then none). */
struct burst;
struct profile;
struct bursts_cache {
	const struct profile *p;
	uint64_t done_ns, total; /* when, and the profile's samples then */
	uint64_t first_ns;	 /* of slice 0 */
	struct burst *b;
	size_t n;
	struct burst_series *series; /* what was read of p */
};
int view_bursts_get(struct bursts_cache *c, struct profile *p);
void view_bursts_release(struct bursts_cache *c);
uint64_t view_burst_start(const struct bursts_cache *c, size_t i);
uint64_t view_burst_end(const struct bursts_cache *c, size_t i);
/* "rate burst 12.3-12.6s, 5.0x the usual rate: f (8.0x), g (8.0x)", times
 * in seconds since origin_ns. */
void view_burst_text(const struct bursts_cache *c, size_t i, const struct funcs *fn,
		     uint64_t origin_ns, char *buf, size_t len);

/* What the heatmap shows besides the counts: bucket indexes from the
 * first bucket (first_ns), the selection [sel_lo, sel_hi) (sel_lo -1:
 * none) reversed, the bursts' tenths outlined (and marked R or M under
 * the map when there is room), a '|' under each second in which one of
 * the ngc gc_end times falls, the axis in seconds since origin_ns, and a
 * status line. */
struct heat_burst {
	long lo, hi;
	bool rate;
};
struct heat_marks {
	uint64_t first_ns, origin_ns;
	long cursor; /* the second to keep in view; -1: the newest */
	long sel_lo, sel_hi;
	const struct heat_burst *bursts;
	size_t nbursts;
	const uint64_t *gc_end;
	size_t ngc;
	const char *status;
	const uint64_t *shade; /* the counts drawn are these values (in unit), not samples */
	enum unit unit;
};
/* The heatmap into r of g: n buckets of counts (PROFILE_HEAT_HZ a
 * second), the newest seconds that fit with m's cursor among them.  Sets
 * *first_col to the second drawn in the first column. */
void view_heat_render(struct grid *g, struct rect r, const uint64_t *counts, size_t n,
		      const struct heat_marks *m, long *first_col);

/* The differential graph (difftree.h): the graph and the top table
 * compare app_tree with a baseline tree, file A of `flametop diff A B`,
 * the picture B froze, or the rest of the heatmap's time.
 * app_set_baseline takes base (the screen frees it; NULL drops the
 * baseline), what the header says of it ("vs baseline taken 12:03:04")
 * and the names the status line gives the two sides ("B", "A"); a fixed
 * baseline (diff A B) is not dropped by B or Esc.  0, or -ENOMEM (base
 * freed, the baseline as before). */
int app_set_baseline(struct app *a, struct calltree *base, const char *header, const char *name_b,
		     const char *name_a, bool fixed);
/* The heatmap's B: the graph shows the time range [from, to) (as
 * profile_set_range) against the rest of the time kept, [all_from,
 * all_to) without the range, as its baseline; with a baseline already
 * there, drops it instead.  Says what it did in the message line. */
void app_baseline_rest(struct app *a, uint64_t from, uint64_t to, uint64_t all_from,
		       uint64_t all_to);
/* Drops a baseline that is not fixed, saying so; false when there is
 * none to drop. */
bool app_drop_baseline(struct app *a);
/* The comparison of app_tree with the baseline, NULL without one (or out
 * of memory, said in the message line); valid until the tree changes.
 * name: what the status line calls side B (false) or A (true). */
struct difftree;
struct difftree *app_diff(struct app *a);
const char *app_diff_name(struct app *a, bool base);

/* Services of the screen loop (app.c) for views. */
/* The findings' thresholds (run/attach/view options, the findings panel's
 * e key) and a number that changes when they do. */
struct shapes_config;
const struct shapes_config *app_shapes(struct app *a, unsigned *gen);
void app_set_shapes(struct app *a, const struct shapes_config *c);
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
/* Switches to the first main view that can show func (the flame graph)
 * with func selected (the top table's Enter). */
void app_show_func(struct app *a, uint32_t func);
/* Switches to the main view of kind ops and shows func there (its
 * show_func), remembering the view it came from for app_show_back (the
 * callers view from the graph or the table). */
void app_show_view(struct app *a, const struct view_ops *ops, uint32_t func);
/* Back to the main view app_show_view came from (else the first). */
void app_show_back(struct app *a);
/* Switches to the first main view (the flame graph). */
void app_show_main(struct app *a);
/* Switches to the first main view that can zoom to node n of app_tree
 * (the flame graph) and zooms there. */
void app_show_node(struct app *a, const struct ctnode *n);
/* The data of the screen's view of kind ops (another view's state, such
 * as the GC strip's selected collection), or NULL. */
void *app_view_data(struct app *a, const struct view_ops *ops);
/* The binding tables in force under the help overlay, as help lists them
 * (the main view's, the shown strips', the screen's); returns how many
 * went into tables (at most max). */
size_t app_key_tables(struct app *a, const struct binding **tables, size_t max);
void app_close_help(struct app *a);
void app_close_threads(struct app *a);

#endif
