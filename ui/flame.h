/*
 * flame.h - the flame graph: layout of a call tree into boxes, drawing into
 * a grid, selection, zoom, search.
 *
 * Box widths are proportional to total_weight: a node whose subtree
 * starts at weight offset o (from the zoomed root's left edge) and weighs
 * t spans cells [o*W/T, (o+t)*W/T) (integer floors, so siblings tile their
 * parent exactly).  Children are ordered by name (stable while data
 * streams in) or heaviest first; nodes with total 0 are skipped; runs of
 * siblings narrower than a cell are merged into one marker box.
 *
 * Selection and zoom are kept as paths of function ids from the root, not
 * node pointers, so they survive the model rebuilding its tree: call
 * flame_set_tree after every change of the tree, then flame_layout.
 * Pointers in boxes are valid until the next flame_set_tree.
 */
#ifndef FT_UI_FLAME_H
#define FT_UI_FLAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"
#include "grid.h"

struct flame_box {
	const struct ctnode *node; /* the first of the run when merged */
	int x0, x1;		   /* cells [x0, x1) */
	uint32_t rel;		   /* depth below the zoomed root (0 = it) */
	bool merged;		   /* marker for siblings narrower than a cell */
};

enum flame_sort { FLAME_BY_NAME, FLAME_BY_WEIGHT };

enum flame_move {
	FLAME_PARENT,
	FLAME_CHILD,
	FLAME_PREV, /* previous box on the same row */
	FLAME_NEXT,
	FLAME_ROOT, /* the zoomed root */
	FLAME_LEAF, /* down the heaviest children to a leaf */
};

struct flame;

struct flame *flame_new(void); /* NULL on ENOMEM */
void flame_free(struct flame *fl);

/* The tree to show (borrowed; NULL shows nothing).  Call again after any
 * change of the tree. */
void flame_set_tree(struct flame *fl, struct calltree *t, const struct funcs *f);
/* Lays the tree out in a w x h area; keeps the selection visible. */
void flame_layout(struct flame *fl, int w, int h);
/* Draws the last layout into g at (x, y). */
void flame_draw(struct flame *fl, struct grid *g, int x, int y);

const struct flame_box *flame_boxes(const struct flame *fl, size_t *n);
/* Row of the area (0 = top) where depth rel is drawn, or -1 if off screen. */
int flame_row(const struct flame *fl, uint32_t rel);
/* Zoomed in, the zoomed root's callers are drawn as full-width rows next
 * to it (above in icicle orientation, below in flame orientation), in
 * COL_FRAME_ANCESTOR, at most a third of the rows: *shown of them, the
 * nearest, plus a marker row for the *more farther ones.  They can be
 * selected (FLAME_PARENT from the zoomed root) and zoomed into.  Returns
 * the rows they take in the last layout. */
int flame_ancestor_rows(const struct flame *fl, uint32_t *shown, uint32_t *more);

/* Icicle (root on top, the default) or flame (root at the bottom). */
void flame_set_flipped(struct flame *fl, bool flame_orientation);
bool flame_flipped(const struct flame *fl);
void flame_set_sort(struct flame *fl, enum flame_sort s);
enum flame_sort flame_sort(const struct flame *fl);

/* Moves the selection; false if it could not move.  Relayout after. */
bool flame_move(struct flame *fl, enum flame_move m);
bool flame_zoom_in(struct flame *fl);  /* zooms into the selection (a caller: out to it) */
bool flame_zoom_out(struct flame *fl); /* one level; keeps the selection */
void flame_reset(struct flame *fl);
/* Selects the box at area cell (x, y); false if none there. */
bool flame_select_at(struct flame *fl, int x, int y);
/* Selects the heaviest node of func (zooming out so it shows); false if
 * func is nowhere in the tree. */
bool flame_select_func(struct flame *fl, uint32_t func);
/* Zooms into node n of the tree last set (the root: no zoom) and
 * selects it; false without a tree. */
bool flame_show_node(struct flame *fl, const struct ctnode *n);

/* Marks boxes: the box of each node starts with its glyph (bold, in
 * every terminal: the shapes' findings, '~' a wide peak, '^' a spike).
 * marks is borrowed until the next flame_set_marks or flame_set_tree
 * (which drops them: their nodes may be gone). */
struct flame_mark {
	const struct ctnode *node;
	char glyph;
};
void flame_set_marks(struct flame *fl, const struct flame_mark *marks, size_t n);

/* Colours boxes by fn (a differential graph) instead of by function
 * name (fn NULL, the default): fn returns node n's purpose (style.h) and
 * may set *sign to a character that tells it without colours ('+' more,
 * '-' less), which starts the box on a monochrome grid.  Kept until
 * changed. */
typedef uint8_t (*flame_colour_fn)(void *arg, const struct ctnode *n, char *sign);
void flame_set_colour(struct flame *fl, flame_colour_fn fn, void *arg);

/* Scrolls rows (positive: towards the leaves). */
void flame_scroll(struct flame *fl, int rows);

/* The selected and the zoomed-root node (NULL with an empty tree); valid
 * until the next flame_set_tree.  The selection is in the zoomed subtree
 * or one of the zoomed root's callers shown above it. */
const struct ctnode *flame_selected(const struct flame *fl);
const struct ctnode *flame_zoomed(const struct flame *fl);

/* Search: POSIX extended regex, ignoring case, on function names.  NULL or
 * "" clears.  0, or -EINVAL with regerror's text in err. */
int flame_search(struct flame *fl, const char *pattern, char *err, size_t errlen);
const char *flame_pattern(const struct flame *fl); /* NULL when none */
/* Does func match the active search. */
bool flame_matches(struct flame *fl, uint32_t func);
/* Share of weight under matching frames (a match below a match counts
 * once): of the whole tree and of the zoomed root, 0..1. */
void flame_match_share(struct flame *fl, double *of_all, double *of_zoom);
/* Selects the next (dir > 0) / previous visible matching box, wrapping. */
bool flame_next_match(struct flame *fl, int dir);
/* The visible matching boxes (in n/N's order) and, in *k, the selected
 * one's place among them from 1 (0: the selection is no match). */
size_t flame_match_position(struct flame *fl, size_t *k);

#endif
