/*
 * flame.c - the flame graph's layout, drawing, selection, zoom and search
 * (see flame.h for the geometry).
 *
 * Invariants after flame_layout: boxes[] holds every box at least one cell
 * wide, in depth-first order (so the boxes of one row appear left to
 * right); boxes[0] is the zoomed root spanning the whole width; selnode is
 * a non-merged box's node inside the zoomed subtree, or one of the nanc
 * ancestor rows' nodes.  The paths sel, zoom and trail are what the user
 * chose and survive tree rebuilds; selnode and zoomnode are their deepest
 * existing (and visible) nodes.
 *
 * Zoomed in, the zoomed root's callers (the path from the real root) are
 * drawn as full-width context rows next to it: above it in icicle
 * orientation, below it in flame orientation, the nearest next to it.
 * They take a third of the rows, or every row the zoomed tower leaves
 * free if that is more; when there are more callers, the nanc nearest are
 * shown and a marker row ("… N more") stands for the rest.
 * The subtree's rows (scrolled) take what is left: gh rows.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "shorten.h"
#include "style.h"

struct path {
	uint32_t *f;
	size_t n, cap;
};

struct kid {
	const struct ctnode *node;
	const char *name;
};

/* One level of the layout's depth-first walk: node's k children with
 * weight, sorted, are kids[base, base + k); i is the next to place, cum
 * its weight offset; a run of too-narrow siblings started at gstart. */
struct lframe {
	const struct ctnode *node, *gfirst;
	size_t base, k, i;
	uint64_t cum, gstart;
	uint32_t rel;
	bool in_group;
};

struct flame {
	struct calltree *t;
	const struct funcs *f;
	struct path sel, zoom, trail;
	const struct ctnode *selnode, *zoomnode;
	struct flame_box *boxes;
	size_t nbox, capbox;
	struct kid *kids; /* scratch stack for sorting children */
	size_t capkids;
	struct lframe *frames; /* the layout's walk: one per level */
	size_t capframes;
	int w, h, scroll;
	bool follow; /* keep the selection on screen */
	bool flipped;
	enum flame_sort sort;
	uint32_t maxrel;
	uint32_t nanc, more; /* ancestor rows shown; ancestors behind the marker */
	int arows, gh;	     /* rows of the ancestors (with marker), of the graph */
	uint64_t total;	     /* the zoomed root's total_weight at layout */
	bool have_re;
	regex_t re;
	char *pattern;
	uint8_t *mcache; /* per func id: 0 unknown, 1 match, 2 no match */
	size_t mcap;
	const struct funcs *mfuncs;
	struct flame_mark *marks; /* flame_set_marks: borrowed, nmarks */
	size_t nmarks;
	flame_colour_fn colour; /* flame_set_colour, or NULL */
	void *colour_arg;
};

static int path_set(struct path *p, const struct ctnode *node)
{
	const struct ctnode *n;
	size_t depth = 0, i;

	for (n = node; n && n->parent; n = n->parent)
		depth++;
	if (depth > p->cap) {
		uint32_t *f = realloc(p->f, depth * sizeof(*f));

		if (!f)
			return -ENOMEM;
		p->f = f;
		p->cap = depth;
	}
	p->n = depth;
	for (n = node, i = depth; n && n->parent; n = n->parent)
		p->f[--i] = n->func;
	return 0;
}

static int path_copy(struct path *dst, const struct path *src)
{
	if (src->n > dst->cap) {
		uint32_t *f = realloc(dst->f, src->n * sizeof(*f));

		if (!f)
			return -ENOMEM;
		dst->f = f;
		dst->cap = src->n;
	}
	if (src->n)
		memcpy(dst->f, src->f, src->n * sizeof(*dst->f));
	dst->n = src->n;
	return 0;
}

/* The deepest node along p (from the root) that exists with weight. */
static const struct ctnode *path_resolve(struct calltree *t, const struct path *p)
{
	struct ctnode *n = calltree_root(t), *c;
	size_t i;

	for (i = 0; i < p->n; i++) {
		c = calltree_child(n, p->f[i]);
		if (!c || c->total_weight == 0)
			break;
		n = c;
	}
	return n;
}

static bool is_under(const struct ctnode *n, const struct ctnode *anc)
{
	for (; n; n = n->parent)
		if (n == anc)
			return true;
	return false;
}

struct flame *flame_new(void)
{
	struct flame *fl = calloc(1, sizeof(*fl));

	if (fl)
		fl->follow = true;
	return fl;
}

void flame_free(struct flame *fl)
{
	if (!fl)
		return;
	if (fl->have_re)
		regfree(&fl->re);
	free(fl->pattern);
	free(fl->mcache);
	free(fl->sel.f);
	free(fl->zoom.f);
	free(fl->trail.f);
	free(fl->boxes);
	free(fl->kids);
	free(fl->frames);
	free(fl);
}

static void resolve(struct flame *fl)
{
	fl->selnode = fl->zoomnode = NULL;
	fl->nbox = 0;
	if (!fl->t)
		return;
	fl->zoomnode = path_resolve(fl->t, &fl->zoom);
	fl->selnode = path_resolve(fl->t, &fl->sel);
	/* the selection is in the zoomed subtree or one of its callers */
	if (!is_under(fl->selnode, fl->zoomnode) && !is_under(fl->zoomnode, fl->selnode))
		fl->selnode = fl->zoomnode;
}

/* The node after x in a preorder walk of top's subtree, going into x's
 * children only when descend; NULL past the end.  Walks of untrusted
 * depth follow the links instead of recursing. */
static const struct ctnode *walk_next(const struct ctnode *x, const struct ctnode *top,
				      bool descend)
{
	if (descend && x->child)
		return x->child;
	while (x != top && !x->next)
		x = x->parent;
	return x == top ? NULL : x->next;
}

/* Rows the tower of n takes (n and its deepest descendant with weight),
 * counted up to at most max: deeper levels are not visited. */
static int subtree_rows(const struct ctnode *n, int max)
{
	const struct ctnode *x;
	int most = 0, rel;

	for (x = n; x;) {
		rel = (int)(x->depth - n->depth);
		if (x->total_weight == 0) {
			x = walk_next(x, n, false);
			continue;
		}
		if (rel + 1 > most)
			most = rel + 1;
		x = walk_next(x, n, rel + 1 < max);
	}
	return most;
}

/* Is n a caller of the zoomed root shown on an ancestor row. */
static bool shown_ancestor(const struct flame *fl, const struct ctnode *n)
{
	return n && fl->zoomnode && n != fl->zoomnode && n->depth < fl->zoomnode->depth &&
	       fl->zoomnode->depth - n->depth <= fl->nanc && is_under(fl->zoomnode, n);
}

/* The zoomed root's caller k levels up (1: its parent). */
static const struct ctnode *ancestor(const struct flame *fl, uint32_t k)
{
	const struct ctnode *n = fl->zoomnode;

	while (n && k--)
		n = n->parent;
	return n;
}

/* Area row (icicle orientation, 0 = top) to real row. */
static int flip_row(const struct flame *fl, int r)
{
	return fl->flipped ? fl->h - 1 - r : r;
}

void flame_set_tree(struct flame *fl, struct calltree *t, const struct funcs *f)
{
	fl->t = t;
	fl->f = f;
	fl->marks = NULL; /* their nodes may be gone */
	fl->nmarks = 0;
	if (f != fl->mfuncs) {
		fl->mfuncs = f;
		if (fl->mcache)
			memset(fl->mcache, 0, fl->mcap);
	}
	resolve(fl);
}

static const char *name_of(const struct flame *fl, const struct ctnode *n)
{
	return fl->f ? funcs_name(fl->f, n->func) : "?";
}

static int by_name(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->node->func < y->node->func ? -1 : x->node->func > y->node->func;
}

static int by_weight(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;

	if (x->node->total_weight != y->node->total_weight)
		return x->node->total_weight > y->node->total_weight ? -1 : 1;
	return by_name(a, b);
}

static int cell_of(const struct flame *fl, uint64_t off)
{
	return (int)((unsigned __int128)off * (unsigned)fl->w / fl->total);
}

static int push_box(struct flame *fl, const struct ctnode *n, int x0, int x1, uint32_t rel,
		    bool merged)
{
	if (fl->nbox == fl->capbox) {
		size_t cap = fl->capbox ? 2 * fl->capbox : 256;
		struct flame_box *b = realloc(fl->boxes, cap * sizeof(*b));

		if (!b)
			return -ENOMEM;
		fl->boxes = b;
		fl->capbox = cap;
	}
	fl->boxes[fl->nbox++] = (struct flame_box){n, x0, x1, rel, merged};
	if (rel > fl->maxrel)
		fl->maxrel = rel;
	return 0;
}

/* Pushes a walk level for node (whose subtree starts at weight offset
 * off, rel levels below the zoomed root) with its children sorted on the
 * scratch stack from index base.  0 or -ENOMEM. */
static int push_level(struct flame *fl, size_t depth, const struct ctnode *node, uint64_t off,
		      uint32_t rel, size_t base)
{
	const struct ctnode *c;
	size_t k = 0;

	if (depth == fl->capframes) {
		size_t cap = fl->capframes ? 2 * fl->capframes : 64;
		struct lframe *f = realloc(fl->frames, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		fl->frames = f;
		fl->capframes = cap;
	}
	for (c = node->child; c; c = c->next) {
		if (c->total_weight == 0)
			continue;
		if (base + k >= fl->capkids) {
			size_t cap = fl->capkids ? 2 * fl->capkids : 1024;
			struct kid *kids = realloc(fl->kids, cap * sizeof(*kids));

			if (!kids)
				return -ENOMEM;
			fl->kids = kids;
			fl->capkids = cap;
		}
		fl->kids[base + k++] = (struct kid){c, name_of(fl, c)};
	}
	if (k > 1)
		qsort(fl->kids + base, k, sizeof(*fl->kids),
		      fl->sort == FLAME_BY_NAME ? by_name : by_weight);
	fl->frames[depth] =
	    (struct lframe){.node = node, .base = base, .k = k, .cum = off, .rel = rel};
	return 0;
}

/* Lays out the zoomed root's subtree depth first (boxes in preorder),
 * with an explicit stack of levels: the tree's depth is the input's. */
static int layout_subtree(struct flame *fl)
{
	size_t depth = 0;

	if (push_level(fl, depth++, fl->zoomnode, 0, 0, 0) < 0)
		return -ENOMEM;
	while (depth > 0) {
		struct lframe *lv = &fl->frames[depth - 1];
		const struct ctnode *n;
		uint64_t start;
		int x0, x1;

		if (lv->i > lv->k) {
			depth--;
			continue;
		}
		n = lv->i < lv->k ? fl->kids[lv->base + lv->i].node : NULL;
		lv->i++;
		/* narrower than a cell (exactly, not after rounding): joins
		 * the current run */
		if (n && (unsigned __int128)n->total_weight * (unsigned)fl->w < fl->total) {
			if (!lv->in_group) {
				lv->in_group = true;
				lv->gstart = lv->cum;
				lv->gfirst = n;
			}
			lv->cum += n->total_weight;
			continue;
		}
		if (lv->in_group) {
			int g0 = cell_of(fl, lv->gstart), g1 = cell_of(fl, lv->cum);

			if (g1 > g0 && push_box(fl, lv->gfirst, g0, g1, lv->rel + 1, true) < 0)
				return -ENOMEM;
			lv->in_group = false;
		}
		if (!n)
			continue; /* past the last child: the level ends next turn */
		start = lv->cum;
		x0 = cell_of(fl, start);
		x1 = cell_of(fl, start + n->total_weight);
		lv->cum += n->total_weight;
		if (push_box(fl, n, x0, x1, lv->rel + 1, false) < 0)
			return -ENOMEM;
		/* lv may move with the stack's realloc: nothing reads it after */
		if (push_level(fl, depth, n, start, lv->rel + 1, lv->base + lv->k) < 0)
			return -ENOMEM;
		depth++;
	}
	return 0;
}

/* Is child c of a laid-out box wide enough for a box of its own (every
 * such child got one: the layout descends into all of them). */
static bool wide(const struct flame *fl, const struct ctnode *c)
{
	return c->total_weight && (unsigned __int128)c->total_weight * (unsigned)fl->w >= fl->total;
}

/* Has n a (non-merged) box in the last layout: the zoomed root, or a wide
 * node of its subtree (widths only shrink going down). */
static bool has_box(const struct flame *fl, const struct ctnode *n)
{
	const struct ctnode *z = fl->zoomnode, *a = n;

	if (!fl->nbox || !n || !z)
		return false;
	if (n == z)
		return true;
	if (n->depth <= z->depth || !wide(fl, n))
		return false;
	while (a->depth > z->depth)
		a = a->parent;
	return a == z;
}

static ssize_t box_index(const struct flame *fl, const struct ctnode *n)
{
	size_t i;

	for (i = 0; i < fl->nbox; i++)
		if (fl->boxes[i].node == n && !fl->boxes[i].merged)
			return (ssize_t)i;
	return -1;
}

void flame_layout(struct flame *fl, int w, int h)
{
	const struct ctnode *n;
	int maxscroll;
	uint32_t depth, maxanc;

	fl->w = w > 0 ? w : 0;
	fl->h = h > 0 ? h : 0;
	fl->nbox = 0;
	fl->maxrel = 0;
	fl->nanc = fl->more = 0;
	fl->arows = 0;
	fl->gh = fl->h;
	resolve(fl);
	if (!fl->zoomnode || fl->zoomnode->total_weight == 0 || fl->w == 0) {
		fl->selnode = NULL;
		return;
	}
	/* the callers of the zoomed root: a third of the rows, or all the
	 * rows its own tower leaves free if that is more */
	depth = fl->zoomnode->depth;
	maxanc = (uint32_t)fl->h / 3;
	if (depth > maxanc) {
		int free_rows = fl->h - subtree_rows(fl->zoomnode, fl->h);

		if (free_rows > (int)maxanc)
			maxanc = (uint32_t)free_rows;
	}
	if (depth <= maxanc) {
		fl->nanc = depth;
	} else if (maxanc > 0) {
		fl->nanc = maxanc - 1;
		fl->more = depth - fl->nanc;
	}
	fl->arows = (int)fl->nanc + (fl->more ? 1 : 0);
	fl->gh = fl->h - fl->arows;
	fl->total = fl->zoomnode->total_weight;
	push_box(fl, fl->zoomnode, 0, fl->w, 0, false);
	layout_subtree(fl);
	if (fl->selnode != fl->zoomnode && is_under(fl->zoomnode, fl->selnode)) {
		/* a caller: shown, or the nearest shown one, or the root */
		if (!shown_ancestor(fl, fl->selnode))
			fl->selnode = fl->nanc ? ancestor(fl, fl->nanc) : fl->zoomnode;
	} else {
		/* the selection may be too narrow to show: use its visible
		 * ancestor */
		for (n = fl->selnode; n; n = n->parent) {
			if (has_box(fl, n))
				break;
		}
		fl->selnode = n ? n : fl->zoomnode;
	}
	if (fl->follow && fl->gh > 0 && is_under(fl->selnode, fl->zoomnode)) {
		int rel = (int)(fl->selnode->depth - fl->zoomnode->depth);

		if (rel < fl->scroll)
			fl->scroll = rel;
		if (rel >= fl->scroll + fl->gh)
			fl->scroll = rel - fl->gh + 1;
	}
	maxscroll = (int)fl->maxrel + 1 - fl->gh;
	if (fl->scroll > maxscroll)
		fl->scroll = maxscroll;
	if (fl->scroll < 0)
		fl->scroll = 0;
}

const struct flame_box *flame_boxes(const struct flame *fl, size_t *n)
{
	*n = fl->nbox;
	return fl->boxes;
}

int flame_row(const struct flame *fl, uint32_t rel)
{
	int r = (int)rel - fl->scroll;

	if (r < 0 || r >= fl->gh)
		return -1;
	return flip_row(fl, fl->arows + r);
}

int flame_ancestor_rows(const struct flame *fl, uint32_t *shown, uint32_t *more)
{
	if (shown)
		*shown = fl->nanc;
	if (more)
		*more = fl->more;
	return fl->arows;
}

/* One box of node n on area row `row`, cells [x0, x1), in colour col
 * unless selected or a match. */
static void draw_box(struct flame *fl, struct grid *g, int x, int y, int row, int x0, int x1,
		     const struct ctnode *n, int basecol)
{
	char text[1024];
	const char *name = name_of(fl, n);
	int w = x1 - x0, tw;
	uint8_t col, attr = 0;
	bool match = fl->have_re && n->func && flame_matches(fl, n->func);
	char glyph = 0, sign = 0;

	for (size_t i = 0; i < fl->nmarks; i++)
		if (fl->marks[i].node == n)
			glyph = fl->marks[i].glyph;

	if (basecol < 0 && fl->colour) {
		col = fl->colour(fl->colour_arg, n, &sign);
		if (match)
			col = COL_MATCH;
		if (!g->mono)
			sign = 0;
	} else if (basecol < 0)
		col = match ? COL_MATCH : style_frame(name);
	else
		col = (uint8_t)basecol;
	if (n == fl->selnode) {
		col = COL_SELECTED;
		attr = ATTR_BOLD | ATTR_REVERSE;
		if (match)
			attr |= ATTR_UNDERLINE;
	} else if (match) {
		attr = ATTR_BOLD | ATTR_UNDERLINE;
	}
	/* a gap cell ends boxes three or more cells wide; without colours
	 * every box ends with an edge, "|" */
	uint32_t edge = g->mono ? '|' : ' ';

	grid_fill(g, x + x0, y + row, w, ' ', col, attr);
	if (w < 3) {
		/* too narrow for a name: a letter would run into the next
		 * box's label; its colour (or edge) shows it, the status line
		 * names it */
		if (g->mono)
			grid_fill(g, x + x1 - 1, y + row, 1, edge, col, attr);
		return;
	}
	tw = w - 1;
	if (sign && tw > 0) {
		/* a change without colours: '+' more, '-' less */
		grid_fill(g, x + x0, y + row, 1, (uint32_t)sign, col, attr | ATTR_BOLD);
		x0++;
		tw--;
	}
	if (glyph && tw > 0) {
		/* a finding: its glyph first, bold, the name after it */
		grid_fill(g, x + x0, y + row, 1, (uint32_t)glyph, col, attr | ATTR_BOLD);
		x0++;
		tw--;
	}
	/* a collapsed recursion (hide.h) says how many frames it stands for */
	char rep[16] = "";
	int rw = 0;

	if (n->repeat > 1) {
		snprintf(rep, sizeof(rep), g->utf8 ? " \u00d7%u" : " x%u", n->repeat);
		rw = grid_text_width(rep);
		if (tw <= rw + 2)
			rw = 0;
	}
	shorten_name(name, tw - rw, g->utf8, text, sizeof(text)); /* full name: status line */
	if (rw)
		strncat(text, rep, sizeof(text) - strlen(text) - 1);
	grid_put(g, x + x0, y + row, tw, text, col, attr);
	grid_fill(g, x + x1 - 1, y + row, 1, edge, COL_DEFAULT, 0);
}

void flame_draw(struct flame *fl, struct grid *g, int x, int y)
{
	char text[64];
	size_t i;
	uint32_t k;

	/* the callers, nearest next to the zoomed root */
	if (fl->more) {
		int row = flip_row(fl, 0);

		snprintf(text, sizeof(text), "%s %lu more", g->utf8 ? "\xe2\x80\xa6" : "...",
			 (unsigned long)fl->more);
		grid_fill(g, x, y + row, fl->w, ' ', COL_FRAME_ANCESTOR, 0);
		grid_put(g, x, y + row, fl->w, text, COL_FRAME_ANCESTOR, 0);
	}
	for (k = 1; k <= fl->nanc; k++)
		draw_box(fl, g, x, y, flip_row(fl, fl->arows - (int)k), 0, fl->w, ancestor(fl, k),
			 COL_FRAME_ANCESTOR);
	for (i = 0; i < fl->nbox; i++) {
		const struct flame_box *b = &fl->boxes[i];
		int row = flame_row(fl, b->rel);

		if (row < 0)
			continue;
		if (b->merged) {
			grid_fill(g, x + b->x0, y + row, b->x1 - b->x0, '+', COL_MERGED, 0);
			continue;
		}
		draw_box(fl, g, x, y, row, b->x0, b->x1, b->node, -1);
	}
}

void flame_set_flipped(struct flame *fl, bool flame_orientation)
{
	fl->flipped = flame_orientation;
}

bool flame_flipped(const struct flame *fl)
{
	return fl->flipped;
}

void flame_set_sort(struct flame *fl, enum flame_sort s)
{
	fl->sort = s;
}

enum flame_sort flame_sort(const struct flame *fl)
{
	return fl->sort;
}

const struct ctnode *flame_selected(const struct flame *fl)
{
	return fl->selnode;
}

const struct ctnode *flame_zoomed(const struct flame *fl)
{
	return fl->zoomnode;
}

/* Makes n the selection (and remembers the way down). */
static void select_node(struct flame *fl, const struct ctnode *n)
{
	bool prefix;

	fl->selnode = n;
	path_set(&fl->sel, n);
	prefix = fl->sel.n <= fl->trail.n &&
		 (fl->sel.n == 0 || !memcmp(fl->sel.f, fl->trail.f, fl->sel.n * sizeof(uint32_t)));
	if (!prefix)
		path_copy(&fl->trail, &fl->sel);
	fl->follow = true;
}

/* Is n's path a prefix of the remembered trail. */
static bool on_trail(const struct flame *fl, const struct ctnode *n)
{
	for (; n && n->parent; n = n->parent)
		if (n->depth > fl->trail.n || fl->trail.f[n->depth - 1] != n->func)
			return false;
	return true;
}

/* The heaviest child of box node n with a box (ties: the first by name,
 * as the layout orders them), or NULL. */
static const struct ctnode *heaviest_box_child(const struct flame *fl, const struct ctnode *n)
{
	const struct ctnode *c, *best = NULL;

	if (!fl->nbox)
		return NULL;
	for (c = n->child; c; c = c->next) {
		if (!wide(fl, c))
			continue;
		if (!best || c->total_weight > best->total_weight ||
		    (c->total_weight == best->total_weight &&
		     by_name(&(struct kid){c, name_of(fl, c)},
			     &(struct kid){best, name_of(fl, best)}) < 0))
			best = c;
	}
	return best;
}

/* The child of box node n to go down to: the one on the remembered
 * trail if it has a box, else the heaviest. */
static const struct ctnode *child_box(const struct flame *fl, const struct ctnode *n)
{
	const struct ctnode *want = NULL;

	if (fl->nbox && fl->trail.n > n->depth && on_trail(fl, n))
		want = calltree_child((struct ctnode *)n, fl->trail.f[n->depth]);
	if (want && wide(fl, want))
		return want;
	return heaviest_box_child(fl, n);
}

bool flame_move(struct flame *fl, enum flame_move m)
{
	const struct ctnode *n = fl->selnode, *c;
	ssize_t i, j;

	if (!n)
		return false;
	switch (m) {
	case FLAME_PARENT:
		if (!n->parent)
			return false;
		/* from the zoomed root (or a caller) to the caller above */
		if ((n == fl->zoomnode || shown_ancestor(fl, n)) && !shown_ancestor(fl, n->parent))
			return false;
		select_node(fl, n->parent);
		return true;
	case FLAME_CHILD:
		if (shown_ancestor(fl, n)) {
			/* a caller: towards the zoomed root */
			for (c = fl->zoomnode; c->parent != n; c = c->parent)
				;
			select_node(fl, c);
			return true;
		}
		c = has_box(fl, n) ? child_box(fl, n) : NULL;
		if (!c)
			return false;
		select_node(fl, c);
		return true;
	case FLAME_PREV:
	case FLAME_NEXT:
		i = box_index(fl, n);
		if (i < 0)
			return false;
		for (j = i + (m == FLAME_NEXT ? 1 : -1); j >= 0 && (size_t)j < fl->nbox;
		     j += m == FLAME_NEXT ? 1 : -1) {
			const struct flame_box *b = &fl->boxes[j];

			if (b->rel == fl->boxes[i].rel && !b->merged) {
				select_node(fl, b->node);
				return true;
			}
		}
		return false;
	case FLAME_ROOT:
		if (n == fl->zoomnode)
			return false;
		select_node(fl, fl->zoomnode);
		return true;
	case FLAME_LEAF:
		if (shown_ancestor(fl, n))
			n = fl->zoomnode;
		c = has_box(fl, n) ? child_box(fl, n) : NULL;
		if (!c) {
			if (n == fl->selnode)
				return false;
			select_node(fl, n);
			return true;
		}
		for (; c; c = heaviest_box_child(fl, n))
			n = c;
		select_node(fl, n);
		return true;
	}
	return false;
}

bool flame_zoom_in(struct flame *fl)
{
	if (!fl->selnode || fl->selnode == fl->zoomnode)
		return false;
	path_set(&fl->zoom, fl->selnode);
	fl->zoomnode = fl->selnode;
	fl->scroll = 0;
	fl->follow = true;
	return true;
}

bool flame_zoom_out(struct flame *fl)
{
	if (!fl->zoomnode || !fl->zoomnode->parent)
		return false;
	path_set(&fl->zoom, fl->zoomnode->parent);
	fl->zoomnode = fl->zoomnode->parent;
	fl->follow = true;
	return true;
}

void flame_reset(struct flame *fl)
{
	fl->zoom.n = fl->sel.n = fl->trail.n = 0;
	fl->scroll = 0;
	fl->follow = true;
	resolve(fl);
}

bool flame_select_at(struct flame *fl, int x, int y)
{
	int r;
	size_t i;

	if (y < 0 || y >= fl->h || x < 0 || x >= fl->w || !fl->zoomnode)
		return false;
	r = flip_row(fl, y);
	if (r < fl->arows) {
		/* a caller's row (the marker row selects nothing) */
		if (fl->more && r == 0)
			return false;
		select_node(fl, ancestor(fl, (uint32_t)(fl->arows - r)));
		return true;
	}
	r += fl->scroll - fl->arows;
	for (i = 0; i < fl->nbox; i++) {
		const struct flame_box *b = &fl->boxes[i];

		if ((int)b->rel == r && x >= b->x0 && x < b->x1) {
			select_node(fl, b->merged ? b->node->parent : b->node);
			return true;
		}
	}
	return false;
}

/* The heaviest node of func in n's subtree, or NULL. */
static const struct ctnode *heaviest_of(const struct ctnode *n, uint32_t func)
{
	const struct ctnode *x, *best = NULL;

	for (x = n; x; x = walk_next(x, n, x->total_weight != 0)) {
		if (x->total_weight && x->func == func &&
		    (!best || x->total_weight > best->total_weight))
			best = x;
	}
	return best;
}

bool flame_select_func(struct flame *fl, uint32_t func)
{
	const struct ctnode *best = NULL, *root;

	if (!fl->t)
		return false;
	root = calltree_root(fl->t);
	best = heaviest_of(root, func);
	if (!best)
		return false;
	fl->zoom.n = 0;
	fl->scroll = 0;
	/* too narrow for a cell at the top level: zoom to its parent, or to
	 * itself when it is too narrow there as well */
	if (fl->w > 0 && best->parent && root->total_weight &&
	    (unsigned __int128)best->total_weight * (unsigned)fl->w < root->total_weight) {
		if ((unsigned __int128)best->total_weight * (unsigned)fl->w <
		    best->parent->total_weight)
			path_set(&fl->zoom, best);
		else
			path_set(&fl->zoom, best->parent);
	}
	resolve(fl);
	select_node(fl, best);
	return true;
}

bool flame_show_node(struct flame *fl, const struct ctnode *n)
{
	if (!fl->t || !n)
		return false;
	fl->scroll = 0;
	if (n->parent)
		path_set(&fl->zoom, n);
	else
		fl->zoom.n = 0;
	resolve(fl);
	select_node(fl, n);
	return true;
}

void flame_set_marks(struct flame *fl, const struct flame_mark *marks, size_t n)
{
	fl->marks = (struct flame_mark *)marks;
	fl->nmarks = n;
}

void flame_set_colour(struct flame *fl, flame_colour_fn fn, void *arg)
{
	fl->colour = fn;
	fl->colour_arg = arg;
}

void flame_scroll(struct flame *fl, int rows)
{
	fl->scroll += rows;
	if (fl->scroll < 0)
		fl->scroll = 0;
	fl->follow = false;
}

int flame_search(struct flame *fl, const char *pattern, char *err, size_t errlen)
{
	regex_t re;
	int rc;

	if (!pattern || !*pattern) {
		if (fl->have_re)
			regfree(&fl->re);
		fl->have_re = false;
		free(fl->pattern);
		fl->pattern = NULL;
		return 0;
	}
	rc = regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		if (err && errlen)
			regerror(rc, &re, err, errlen);
		return -EINVAL;
	}
	if (fl->have_re)
		regfree(&fl->re);
	fl->re = re;
	fl->have_re = true;
	free(fl->pattern);
	fl->pattern = strdup(pattern);
	if (fl->mcache)
		memset(fl->mcache, 0, fl->mcap);
	return 0;
}

const char *flame_pattern(const struct flame *fl)
{
	return fl->have_re ? fl->pattern : NULL;
}

bool flame_matches(struct flame *fl, uint32_t func)
{
	if (!fl->have_re || !fl->f)
		return false;
	if (func >= fl->mcap) {
		size_t cap = fl->mcap ? fl->mcap : 256;
		uint8_t *m;

		while (cap <= func)
			cap *= 2;
		m = realloc(fl->mcache, cap);
		if (!m)
			return regexec(&fl->re, funcs_name(fl->f, func), 0, NULL, 0) == 0;
		memset(m + fl->mcap, 0, cap - fl->mcap);
		fl->mcache = m;
		fl->mcap = cap;
	}
	if (!fl->mcache[func])
		fl->mcache[func] =
		    regexec(&fl->re, funcs_name(fl->f, func), 0, NULL, 0) == 0 ? 1 : 2;
	return fl->mcache[func] == 1;
}

static bool matches_cached(struct flame *fl, uint32_t func)
{
	return func < fl->mcap && fl->mcache[func] ? fl->mcache[func] == 1
						   : flame_matches(fl, func);
}

/* Weight under the outermost matching frames of n's subtree (the root
 * never matches). */
static uint64_t matched_weight(struct flame *fl, const struct ctnode *n)
{
	const struct ctnode *x;
	uint64_t sum = 0;
	bool descend;

	for (x = n; x; x = walk_next(x, n, descend)) {
		descend = x->total_weight != 0;
		if (descend && x->parent && matches_cached(fl, x->func)) {
			sum += x->total_weight;
			descend = false;
		}
	}
	return sum;
}

void flame_match_share(struct flame *fl, double *of_all, double *of_zoom)
{
	const struct ctnode *root, *n;
	uint64_t all;

	*of_all = *of_zoom = 0;
	if (!fl->have_re || !fl->t)
		return;
	root = calltree_root(fl->t);
	if (root->total_weight == 0)
		return;
	all = matched_weight(fl, root);
	*of_all = (double)all / root->total_weight;
	if (!fl->zoomnode || fl->zoomnode->total_weight == 0)
		return;
	if (fl->zoomnode == root) {
		*of_zoom = *of_all;
		return;
	}
	for (n = fl->zoomnode; n && n->parent; n = n->parent) {
		if (flame_matches(fl, n->func)) {
			*of_zoom = 1.0;
			return;
		}
	}
	*of_zoom = (double)matched_weight(fl, fl->zoomnode) / fl->zoomnode->total_weight;
}

/* a box n/N can select: a named, visible match */
static bool box_is_match(struct flame *fl, const struct flame_box *b)
{
	return !b->merged && b->node->parent && flame_matches(fl, b->node->func);
}

size_t flame_match_position(struct flame *fl, size_t *k)
{
	size_t n = 0;

	*k = 0;
	if (!fl->have_re)
		return 0;
	for (size_t i = 0; i < fl->nbox; i++)
		if (box_is_match(fl, &fl->boxes[i])) {
			n++;
			if (fl->boxes[i].node == fl->selnode)
				*k = n;
		}
	return n;
}

bool flame_next_match(struct flame *fl, int dir)
{
	ssize_t start, i, n = (ssize_t)fl->nbox, k;

	if (!fl->have_re || n == 0)
		return false;
	start = fl->selnode ? box_index(fl, fl->selnode) : -1;
	if (start < 0)
		start = dir > 0 ? -1 : 0;
	for (k = 1; k <= n; k++) {
		const struct flame_box *b;

		i = ((start + (dir > 0 ? k : -k)) % n + n) % n;
		b = &fl->boxes[i];
		if (box_is_match(fl, b)) {
			if (b->node == fl->selnode)
				return false;
			select_node(fl, b->node);
			return true;
		}
	}
	return false;
}
