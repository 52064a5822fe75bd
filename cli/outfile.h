/*
 * outfile.h - an output file named on the command line, replaced whole.
 *
 * A regular file (or a new one) is written as a temporary file in the
 * same directory and renamed over the name once complete (git's
 * lockfile): a failed run or a full disk leaves the old file as it was,
 * never a truncated one.  Anything else (a device such as /dev/full, a
 * pipe) is written in place; "-" or no name is standard output.  Errors
 * are printed ("flametop: cannot write 'x': No space left on device").
 */
#ifndef FT_OUTFILE_H
#define FT_OUTFILE_H

#include <stdio.h>

struct outfile {
	const char *name; /* as given, for messages; NULL for standard output */
	char *target;	  /* the path renamed over (symbolic links followed) */
	char *tmp;	  /* the temporary file; NULL when written in place */
	FILE *f;	  /* where to write; NULL once committed or aborted */
};

/* Opens path (NULL or "-": standard output) for writing: before the work
 * that fills it, so a file that cannot be written fails first.  0, or -1
 * after saying why. */
int outfile_open(struct outfile *o, const char *path);

/* As outfile_open, for a file that is read while it grows (a recording,
 * streamed): its temporary file is PATH.partial, a name known in advance,
 * so that what a killed run wrote can be found (and read) there.  A
 * PATH.partial an earlier run left is replaced. */
int outfile_open_partial(struct outfile *o, const char *path);

/* Completes the file: flushes, syncs, closes and renames it over its
 * name.  0, or -1 after saying why (the temporary file is removed). */
int outfile_commit(struct outfile *o);

/* Says that writing o failed with errno e ("cannot write 'x': ..." or
 * "cannot write to standard output: ...") and drops it (outfile_abort). */
void outfile_fail(struct outfile *o, int e);

/* Drops an uncommitted file (its temporary file is removed); a no-op
 * after outfile_commit or on a zeroed struct. */
void outfile_abort(struct outfile *o);

#endif
