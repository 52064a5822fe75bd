/*
 * layout.h - how the main view and the strips share the screen's body.
 *
 * Strips (a timeline, a heatmap row: a few rows each) are stacked above or
 * below the main view, in the order given: the first strip above is the
 * topmost row, the first strip below sits right under the main view.
 * Each strip gets the rows it asks for while the main view keeps at least
 * LAYOUT_MIN_MAIN rows; a strip that does not fit whole gets what is left
 * (possibly nothing: h 0, not shown).  The main view gets every other row.
 */
#ifndef FT_UI_LAYOUT_H
#define FT_UI_LAYOUT_H

#include <stddef.h>
#include "view.h"

#define LAYOUT_MIN_MAIN 6

struct layout_strip {
	enum view_kind side; /* VIEW_STRIP_ABOVE or VIEW_STRIP_BELOW */
	int want;	     /* rows it asks for */
	struct rect r;	     /* set by layout_split */
};

/* Splits body among the main view (*main) and the n strips (their r). */
void layout_split(struct rect body, struct layout_strip *strips, size_t n, struct rect *main);

#endif
