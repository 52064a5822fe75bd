/*
 * grid.h - the off-screen cell grid views draw into.
 *
 * A grid is w x h cells; each cell holds one Unicode code point (one
 * column wide: names are drawn a code point per cell), a purpose (style.h)
 * and attributes.  Drawing clips to the grid, so callers need not.  The
 * terminal writer copies a finished grid to the screen in one refresh;
 * tests read rows back as text without any terminal.
 */
#ifndef FT_UI_GRID_H
#define FT_UI_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cell {
	uint32_t ch;  /* code point; ' ' when empty; 0: the right half of
		       * the wide character on its left (the target's
		       * terminal, ui/pane.c) */
	uint8_t col;  /* enum col */
	uint8_t attr; /* ATTR_* */
};

struct grid {
	int w, h;
	struct cell *cells; /* h rows of w cells */
	bool utf8;	    /* the terminal shows UTF-8 (ellipsis is U+2026) */
	bool mono;	    /* no colours: what colour tells apart needs a glyph */
};

/* A w x h grid of blank cells; NULL on ENOMEM.  Free with grid_free. */
struct grid *grid_new(int w, int h, bool utf8);
void grid_free(struct grid *g); /* NULL is a no-op */
/* Changes the size, blanking every cell; 0 or -ENOMEM (grid unchanged). */
int grid_resize(struct grid *g, int w, int h);
void grid_clear(struct grid *g);

/* The cell at (x, y), or NULL outside the grid. */
struct cell *grid_at(struct grid *g, int x, int y);
const struct cell *grid_cat(const struct grid *g, int x, int y);

/* Sets n cells from (x, y) rightwards to ch / col / attr (clipped). */
void grid_fill(struct grid *g, int x, int y, int n, uint32_t ch, uint8_t col, uint8_t attr);

/* Writes UTF-8 text s from (x, y), at most maxw cells (clipped to the
 * grid), one cell per code point; invalid bytes and control characters
 * become '?'.  Returns the number of cells the text took. */
int grid_put(struct grid *g, int x, int y, int maxw, const char *s, uint8_t col, uint8_t attr);

/* Number of cells s takes (code points). */
int grid_text_width(const char *s);

/* Fits name into w cells: the name itself if it fits, else truncated
 * with an ellipsis ("…" with utf8, else "~").  keep_end (long C++ names):
 * the parameter list is dropped first and then the start is cut, so that
 * "ns::Parser::parse_header(char const*)" becomes "…::parse_header".
 * Writes UTF-8 into out (outlen > 4*w).  Returns the cells used. */
int grid_fit(const char *name, int w, bool utf8, bool keep_end, char *out, size_t outlen);

/* Wrapping: the first line of s in w cells.  Breaks at a blank (a " | "
 * separator at the break is dropped, so no line starts or ends with it);
 * only a token wider than w is cut inside.  Sets *len to the bytes of the
 * line (no trailing blanks) and returns where the next line starts (the
 * terminating NUL after the last line). */
const char *grid_wrap(const char *s, int w, size_t *len);
/* Writes s wrapped into w cells from (x, y), rows after the first
 * indented by indent cells, at most maxrows rows, each row first filled
 * with blanks of col.  Returns the rows used; g NULL only counts them. */
int grid_put_wrapped(struct grid *g, int x, int y, int w, int indent, int maxrows, const char *s,
		     uint8_t col, uint8_t attr);

/* Row y as UTF-8 text with trailing blanks removed (tests, dumps).
 * Returns the length written (always NUL-terminated when len > 0). */
size_t grid_row_text(const struct grid *g, int y, char *buf, size_t len);

#endif
