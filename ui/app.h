/*
 * app.h - the screen loop: one loop waits on input and a timer; the tick
 * polls the source like a key press; views draw into a grid that the
 * terminal writer shows.  This is what cmd-run/attach/view/demo call.
 */
#ifndef FT_UI_APP_H
#define FT_UI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include "shapes.h"
#include "source.h"

#define APP_MIN_W 40
#define APP_MIN_H 10
#define APP_DEFAULT_INTERVAL_MS 250
#define APP_POLL_MS 100 /* the live source is read at least this often */

struct vtpane;

struct app_opts {
	int interval_ms;		    /* redraw period; 0: APP_DEFAULT_INTERVAL_MS (the
					     * source is polled every APP_POLL_MS regardless) */
	int child_pid;			    /* sent SIGTERM if the viewer crashes (run); 0: none */
	const struct shapes_config *shapes; /* the findings' thresholds; NULL: defaults */
	/* flametop diff A B: the tree of A (borrowed, copied) to compare the
	 * source's with from the start, and A's name for the header */
	struct calltree *baseline;
	const char *baseline_name;
	/* run: the target's terminal (borrowed), read as the viewer runs and
	 * shown in the output pane; typing: start with the keys going to it */
	struct vtpane *term;
	bool typing;
};

/* Runs the viewer on src until the user quits or a quit signal arrives;
 * the terminal is restored before it returns.  0, or -1 with a one-line
 * message in err (the terminal could not be opened, out of memory). */
int app_run(struct source *src, const struct app_opts *o, char *err, size_t errlen);

/* Whether app_run could open the screen here: 0, or -1 and why in err.
 * For commands that must refuse before they start anything. */
int app_check_terminal(char *err, size_t errlen);

/* What a screen smaller than APP_MIN_W x APP_MIN_H shows: the needed
 * size in the longest wording that fits g, never cut. */
struct grid;
void app_draw_too_small(struct grid *g);

/*
 * The screen without a terminal (what app_run drives, and what tests
 * check): app_new makes a screen over src with every registered view
 * (view.h), app_draw draws it into g, app_key answers one event.
 */
struct app;
struct ui_event;
struct view_ops;
struct app *app_new(struct source *src, const struct app_opts *o); /* NULL on ENOMEM */
void app_free(struct app *a);
/* Adds a view besides the registered ones (after them); 0, -ENOMEM, or
 * -ENOSPC past VIEW_MAX. */
int app_add_view(struct app *a, const struct view_ops *ops);
void app_draw(struct app *a, struct grid *g);
/* Answers ev (the screen is w x h); true when it must be redrawn.  Sets
 * *quit when the user quits. */
bool app_key(struct app *a, const struct ui_event *ev, int w, int h, bool *quit);
/* The main view shown ("flame graph", "top table"). */
const char *app_view_name(struct app *a);

#endif
