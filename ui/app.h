/*
 * app.h - the screen loop: one loop waits on input and a timer; the tick
 * polls the source like a key press; views draw into a grid that the
 * terminal writer shows.  This is what cmd-run/attach/view/demo call.
 */
#ifndef FT_UI_APP_H
#define FT_UI_APP_H

#include <stddef.h>
#include "source.h"

#define APP_MIN_W 40
#define APP_MIN_H 10
#define APP_DEFAULT_INTERVAL_MS 250
#define APP_POLL_MS 100 /* the live source is read at least this often */

struct app_opts {
	int interval_ms; /* redraw period; 0: APP_DEFAULT_INTERVAL_MS (the
			  * source is polled every APP_POLL_MS regardless) */
	int child_pid;	 /* sent SIGTERM if the viewer crashes (run); 0: none */
};

/* Runs the viewer on src until the user quits or a quit signal arrives;
 * the terminal is restored before it returns.  0, or -1 with a one-line
 * message in err (the terminal could not be opened, out of memory). */
int app_run(struct source *src, const struct app_opts *o, char *err, size_t errlen);

/* What a screen smaller than APP_MIN_W x APP_MIN_H shows: the needed
 * size in the longest wording that fits g, never cut. */
struct grid;
void app_draw_too_small(struct grid *g);

#endif
