/*
 * folded.h - folded stacks, Brendan Gregg's text format.
 *
 * One line per distinct stack: "outer;middle;leaf COUNT\n", outermost
 * frame first, frames separated by ';', a single space before a decimal
 * count, which may have a fraction ("1.5", as FlameGraph accepts).  Also read: perf script |
 * stackcollapse-perf.pl output, inferno and cargo-flamegraph output, py-spy --format raw (its
 * frames may carry " (file.py:12)" suffixes, kept as part of the name).  A frame written as "name
 * [module]" is not split: names are taken verbatim.
 *
 * Reading is strict about the shape of a line (a stack, a space, a count)
 * and reports the first bad line number; blank lines and lines starting
 * with '#' are skipped.  A line is at most FOLDED_MAX_LINE bytes (a stack
 * of 100,000 frames of 160 bytes each), so memory stays bounded by the
 * profile, whatever the input.
 */
#ifndef FT_FOLDED_H
#define FT_FOLDED_H

#include <stdio.h>
#include "calltree.h"
#include "funcs.h"

enum folded_measure { FOLDED_COUNT, FOLDED_WEIGHT };

/* Writes every stack of t with a nonzero self value in the chosen measure
 * (ordered by stack text, so output is deterministic).  Names containing
 * ';' or newlines are written with those bytes replaced by ':' and ' '
 * ('\r' also becomes ' '); an outermost name starting with '#' or a
 * UTF-8 BOM has that replaced by '?', so it does not read back as a
 * comment or lose its first bytes.  Lines whose text comes out the same (equal
 * names from different modules) are merged into one.  Weight on the root
 * itself (empty stacks) and empty names are written as "[unknown]".
 * decimals: the values are counts of 10^-decimals (folded_read's scale),
 * written back as such ("15" with decimals 1 is "1.5"); 0 for whole
 * values.  Returns 0 or -errno of the failed write (ENOSPC on a full
 * disk; EIO when the stream does not say). */
int folded_write(FILE *out, struct calltree *t, const struct funcs *f, enum folded_measure m,
		 unsigned decimals);

#define FOLDED_MAX_LINE (16 << 20)
/* The most decimals a count keeps; a longer fraction is rounded to it. */
#define FOLDED_DECIMALS_MAX 9

/*
 * Reads a folded file into t (counts go to both count and weight).
 *
 * Fractional counts: when every count is whole they are kept as given
 * and *decimals is 0.  Otherwise every count of the file is scaled by
 * 10^D, D the most decimals any count has (trailing zeros do not count,
 * at most FOLDED_DECIMALS_MAX), so that each is a whole number: "a 1.5"
 * and "b 2.25" become 150 and 225 with *decimals 2.  The scale grows as
 * the file is read (what was read is multiplied when a count with more
 * decimals comes).  decimals NULL: a fraction is a malformed line.
 *
 * On a malformed line (a NUL byte, longer than FOLDED_MAX_LINE, no count,
 * a count that would overflow once scaled...) returns -EINVAL with "line
 * N: what is wrong" in err; the stacks read before that line are kept
 * (with *decimals their scale).  -ENOMEM and a read's -errno likewise.
 */
int folded_read(FILE *in, struct calltree *t, struct funcs *f, unsigned *decimals, char *err,
		size_t errlen);

/* folded_read of the file at path ("-": standard input), which must not
 * be a directory.  0, or -errno with why in err ("line 7: ...", "No such
 * file or directory"): the caller says "cannot read 'PATH': ERR". */
int folded_load(const char *path, struct calltree *t, struct funcs *f, unsigned *decimals,
		char *err, size_t errlen);

#endif
