/*
 * lines.h - hot source lines: per function, what its samples' leaves
 * weigh at each line.
 *
 * The live source adds, for every stack sample, the line of its leaf
 * frame (the innermost function, inlined ones included, see
 * symbols_frames) under that frame's function id: a function's rows are
 * its self samples, split by line, as perf annotate and pprof's list
 * show them.  Memory grows with the distinct (function, file, line)
 * triples, not with time.  File names are copied.
 *
 * lines_source reads a source file to show a line's text: only a regular
 * file, without blocking, of at most LINES_SOURCE_MAX bytes.
 */
#ifndef FT_LINES_H
#define FT_LINES_H

#include <stddef.h>
#include <stdint.h>

struct lines;

struct lines *lines_new(void);
void lines_free(struct lines *l); /* NULL is a no-op */

/* Adds weight (and one sample) to func at file:line; file NULL or line
 * <= 0: the line is not known (counted as such).  0 or -ENOMEM. */
int lines_add(struct lines *l, uint32_t func, const char *file, int line, uint64_t weight);

/* Forgets everything added. */
void lines_clear(struct lines *l);

struct lines_row {
	const char *file; /* NULL: the samples whose line is not known */
	int line;	  /* 0 with file NULL */
	uint64_t weight, count;
};

/* func's rows sorted by file then line (the unknown row last), into a
 * malloc'd array the caller frees (*rows NULL when none); their sums in
 * *weight and *count when not NULL.  Returns the number of rows, or
 * -ENOMEM. */
long lines_of(const struct lines *l, uint32_t func, struct lines_row **rows, uint64_t *weight,
	      uint64_t *count);

/* A source file's text, read whole. */
#define LINES_SOURCE_MAX (16u << 20)
struct lines_source {
	char *text;
	size_t *start; /* start[i]: offset of line i + 1 */
	size_t nlines;
};

/* Reads path: 0, or -errno (-EINVAL for something other than a regular
 * file, -EFBIG past LINES_SOURCE_MAX). */
int lines_source(struct lines_source *src, const char *path);
/* Line n (1-based) without its newline, *len its length; NULL past the
 * end. */
const char *lines_source_line(const struct lines_source *src, int n, size_t *len);
void lines_source_release(struct lines_source *src);

#endif
