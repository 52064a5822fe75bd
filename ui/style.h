/*
 * style.h - what a cell of the off-screen grid looks like, named by purpose.
 *
 * Views never pick colours: they tag cells with a purpose (COL_MATCH,
 * COL_STATUS, one of the warm frame shades, ...) and attributes.  The
 * terminal writer (tty.c) maps purposes to what the terminal can show:
 * 256 colours, 8 colours, or monochrome (NO_COLOR or no colour support),
 * where the selection is reverse video and matches are bold + underline.
 */
#ifndef FT_UI_STYLE_H
#define FT_UI_STYLE_H

#include <stdint.h>

enum col {
	COL_DEFAULT = 0,    /* terminal default */
	COL_HEADER,	    /* the target line at the top */
	COL_STATUS,	    /* the selected-frame and search lines at the bottom */
	COL_NOTICE,	    /* "exited", "frozen", messages */
	COL_ERROR,	    /* errors, "killed by SIGSEGV", "terminal too small" */
	COL_PROMPT,	    /* the search input line */
	COL_SELECTED,	    /* the selected frame / table row */
	COL_MATCH,	    /* frames whose function matches the search */
	COL_MERGED,	    /* marker for frames narrower than a cell */
	COL_HELP,	    /* the help overlay and the thread picker */
	COL_HELP_KEY,	    /* key names in the help overlay */
	COL_TABLE_HEAD,	    /* top table header row */
	COL_PANE,	    /* output pane title */
	COL_FRAME_ANCESTOR, /* callers of the zoomed frame, muted (context rows) */
	COL_FRAME_HOT,	    /* first of COL_FRAME_SHADES warm frame colours */
};

#define COL_FRAME_SHADES 16
/* A differential graph's frames (difftree.h): COL_DIFF_SHADES reds for
 * more, as many blues for less (faint to strong), grey for no change. */
#define COL_DIFF_SHADES 4
#define COL_DIFF_MORE (COL_FRAME_HOT + COL_FRAME_SHADES)
#define COL_DIFF_LESS (COL_DIFF_MORE + COL_DIFF_SHADES)
#define COL_DIFF_SAME (COL_DIFF_LESS + COL_DIFF_SHADES)
/* The target's terminal (ui/pane.c): a purpose for each pair of a
 * foreground and a background, each the default (0) or 1 + one of the
 * eight ANSI colours (COL_TERM_PAIR).  Reverse video (ATTR_REVERSE)
 * applies to these in colour too. */
#define COL_TERM (COL_DIFF_SAME + 1)
#define COL_TERM_PAIR(fg, bg) (COL_TERM + (fg)*9 + (bg))
#define COL_COUNT (COL_TERM + 81)

/* attributes, combined with the purpose */
#define ATTR_BOLD 0x01
#define ATTR_UNDERLINE 0x02
#define ATTR_REVERSE 0x04

/* The warm shade for a function name: stable (a hash of the name). */
uint8_t style_frame(const char *name);

/* The shade of a change of delta points whose noise is noise points:
 * COL_DIFF_SAME within noise, else a red (more) or a blue (less) whose
 * strength grows with |delta|: under 2 points, 5, 10, then 10 or more. */
uint8_t style_diff(double delta, double noise);

#endif
