/*
 * speedscope.h - speedscope's JSON file format (www.speedscope.app).
 *
 * One "sampled" profile per thread (one for the whole tree when the
 * stacks carry no thread), sharing one frame table; each distinct stack
 * is one sample weighed by its value, in "nanoseconds", "bytes" or "none"
 * (sample counts, objects).  Frames are {"name", "file": module}.
 *
 * Read: what speedscope itself reads of its format, as py-spy, rbspy and
 * others write it: the shared frames and every profile, "sampled" (each
 * sample's frames, root first, and its weight) or "evented" (open and
 * close events: the time between two events weighs the stack open then).
 */
#ifndef FT_SPEEDSCOPE_H
#define FT_SPEEDSCOPE_H

#include <stdio.h>
#include "formats.h"

/* Writes fp as speedscope JSON named title (NULL: "flametop"): 0 or
 * -errno (-ENOMEM, or the write's). */
int speedscope_write(FILE *out, const struct fprof *fp, const char *title);

/* The largest file read, and the deepest stack. */
#define SPEEDSCOPE_MAX_SIZE (1024u << 20)
#define SPEEDSCOPE_STACK_MAX 65536u

/*
 * Reads speedscope JSON from in into fp->tree and fp->funcs, every
 * profile (one per thread, as a rule) summed into the one tree.  A frame
 * is the function (name, file): the file stands where a module does (it
 * is flametop's module in what it writes; a source file in py-spy's),
 * and with a "line" it is the function's source.  Units: seconds,
 * milliseconds, microseconds and nanoseconds become nanoseconds
 * (fp->unit UNIT_NS, measure "time", each sample counting 1); bytes
 * bytes; "none" sample counts (a sample counts its weight).  Weights are
 * rounded to whole units.  All profiles must have one unit.  0, or
 * -errno with why in err ("not JSON (offset 12: ...)", "sample 3: not a
 * frame index", "event 9: closes a frame that is not open").
 */
int speedscope_read(FILE *in, struct fprof *fp, char *err, size_t errlen);

#endif
