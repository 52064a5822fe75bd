/*
 * layout.c - the main view and the strips share the body (see layout.h).
 *
 * Two passes: heights first, in the order given, each strip taking what
 * it wants of the rows the main view can spare; then positions, the
 * strips above from the body's top down, the main view, the strips below.
 */
#include "config.h"

#include "layout.h"

void layout_split(struct rect body, struct layout_strip *strips, size_t n, struct rect *main)
{
	int spare = body.h - LAYOUT_MIN_MAIN, above = 0, below = 0, y;
	size_t i;

	for (i = 0; i < n; i++) {
		int h = strips[i].want;

		if (h > spare)
			h = spare;
		if (h < 0)
			h = 0;
		spare -= h;
		strips[i].r = (struct rect){body.x, 0, body.w, h};
		if (strips[i].side == VIEW_STRIP_ABOVE)
			above += h;
		else
			below += h;
	}
	*main = (struct rect){body.x, body.y + above, body.w, body.h - above - below};
	y = body.y;
	for (i = 0; i < n; i++) {
		if (strips[i].side != VIEW_STRIP_ABOVE)
			continue;
		strips[i].r.y = y;
		y += strips[i].r.h;
	}
	y = main->y + main->h;
	for (i = 0; i < n; i++) {
		if (strips[i].side == VIEW_STRIP_ABOVE)
			continue;
		strips[i].r.y = y;
		y += strips[i].r.h;
	}
}
