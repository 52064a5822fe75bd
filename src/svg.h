/*
 * svg.h - SVG flame graphs, as FlameGraph's flamegraph.pl draws them.
 *
 * Self-contained (no external file, font or script): the root "all" at
 * the bottom, each frame's children above it in alphabetical order, a
 * frame's width its share of the total; names cut to fit ("..") and whole
 * in each frame's tooltip with its value and share.  Colours follow
 * FlameGraph's conventions: the "hot" palette (reds to yellows) chosen
 * per function name so that a function keeps its colour, kernel frames
 * ("_[k]", a kernel module) orange, JIT frames aqua, flametop's own
 * pseudo-frames ("[thread ...]") grey.  A small inline script zooms on a
 * click (an "all"/"Reset Zoom" click returns), searches on Ctrl-F or
 * "Search" (matches in magenta, their share at the bottom right) and
 * shows the frame under the pointer at the bottom.
 */
#ifndef FT_SVG_H
#define FT_SVG_H

#include <stdio.h>
#include "formats.h"

/* Frames narrower than this many pixels are left out (FlameGraph's
 * --minwidth); the image is SVG_WIDTH pixels wide. */
#define SVG_WIDTH 1200
#define SVG_MIN_WIDTH 0.1

/* Writes fp's tree as an SVG flame graph titled title (NULL: "Flame
 * Graph"): 0 or -errno (-ENOMEM, or the write's). */
int svg_write(FILE *out, const struct fprof *fp, const char *title);

#endif
