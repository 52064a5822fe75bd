/*
 * pane.h - the output pane: the target's terminal (src/vtpane.h) drawn
 * in a band of the screen under the body, scrolled back through its
 * scrollback, and the keys typed into it.
 *
 * The pane is as wide as the screen and a third of the body high (at
 * least three rows): a title row, then the target's terminal, whose size
 * is the rest (pane_term_size), hidden or not, so that the target sees
 * one size until the screen changes.  The pane shows the live screen
 * unless scrolled back; scrolled back, it stays on the same lines while
 * new ones arrive.
 */
#ifndef FT_UI_PANE_H
#define FT_UI_PANE_H

#include <stdbool.h>
#include "grid.h"
#include "keys.h"
#include "view.h"
#include "vtpane.h"

struct pane;

/* A pane on vt (borrowed, outliving the pane); NULL on ENOMEM. */
struct pane *pane_new(struct vtpane *vt);
void pane_free(struct pane *p); /* NULL is a no-op */

/* The pane's rows (title included) for a screen h rows high. */
int pane_height(int screen_h);
/* The target's terminal for a screen w x h: rows and columns. */
void pane_term_size(int w, int h, int *rows, int *cols);
/* Resizes the terminal to fit a screen w x h. */
void pane_resize(struct pane *p, int w, int h);

/* Draws the pane into r: its title (typing: keys go to the target),
 * then the terminal's lines, the cursor shown while typing. */
void pane_draw(struct pane *p, struct grid *g, struct rect r, bool typing);

/* Scrolls back (lines > 0) or forward (< 0); forward past the end shows
 * the live screen again.  pane_scroll_page: by half the pane's rows. */
void pane_scroll(struct pane *p, int lines);
void pane_scroll_page(struct pane *p, int dir);

/* Sends a typed key to the target (Enter as CR, C-c as the terminal's
 * interrupt character, arrows as the target's mode wants them) and
 * shows the live screen again.  0, -EAGAIN (the target reads no input:
 * the key is dropped), -EIO (its terminal is gone), -EINVAL (a key that
 * has nothing to send: a mouse event). */
int pane_send(struct pane *p, const struct ui_event *ev);

#endif
