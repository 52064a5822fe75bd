/*
 * report-lines.h - report --lines FUNC: a function's hot source lines.
 */
#ifndef FT_REPORT_LINES_H
#define FT_REPORT_LINES_H

#include <stdbool.h>
#include <stdint.h>
#include "funcs.h"
#include "lines.h"
#include "unit.h"

/*
 * Prints, for every function named name (also as "NAME (inlined)"), its
 * self samples line by line (lines.h), sorted by file and line, with each
 * line's share of the function's self and of total, and the line's text
 * when its source file can be read (else the numbers alone).  Values are
 * weights in unit, or sample counts when unit is UNIT_SAMPLES.  json: one
 * object instead of the text.  Returns 0, or 1 after saying why on
 * stderr (no such function, out of memory).
 */
int report_lines(const char *name, const struct funcs *f, const struct lines *lines, enum unit unit,
		 uint64_t total, bool json);

#endif
