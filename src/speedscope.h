/*
 * speedscope.h - speedscope's JSON file format (www.speedscope.app).
 *
 * One "sampled" profile per thread (one for the whole tree when the
 * stacks carry no thread), sharing one frame table; each distinct stack
 * is one sample weighed by its value, in "nanoseconds", "bytes" or "none"
 * (sample counts, objects).  Frames are {"name", "file": module}.
 */
#ifndef FT_SPEEDSCOPE_H
#define FT_SPEEDSCOPE_H

#include <stdio.h>
#include "formats.h"

/* Writes fp as speedscope JSON named title (NULL: "flametop"): 0 or
 * -errno (-ENOMEM, or the write's). */
int speedscope_write(FILE *out, const struct fprof *fp, const char *title);

#endif
