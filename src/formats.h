/*
 * formats.h - the file formats a profile is written in and read from.
 *
 * Written: folded stacks (folded.h), pprof (pprof.h), speedscope JSON
 * (speedscope.h) and SVG flame graphs (svg.h).  Read: folded stacks,
 * pprof, speedscope and recordings, told apart by their first bytes (a
 * gzip stream is pprof, '{' speedscope JSON, the FTR magic a recording).
 *
 * Every writer takes a struct fprof: the call tree with its functions,
 * what its weights measure, and, when it comes from a live profile, that
 * profile, whose samples keep their context (thread, coroutine, labels)
 * for the formats that can hold it.  fprof_foreach gives the same stacks
 * either way, so a writer is written once.
 */
#ifndef FT_FORMATS_H
#define FT_FORMATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "calltree.h"
#include "funcs.h"
#include "profile.h"
#include "unit.h"

enum format {
	FORMAT_FOLDED,
	FORMAT_PPROF,
	FORMAT_SPEEDSCOPE,
	FORMAT_SVG,
	FORMAT_FTR, /* a recording (ftr.h): written by record only */
	FORMAT_NONE = -1,
};

/* A profile to write, or one just read.  tree and funcs are borrowed.
 * The weights of tree are in unit and measure `measure` ("cpu", "wall",
 * "samples", "inuse_space"...); its counts are samples.  A profile read
 * from folded stacks has unit UNIT_SAMPLES (weights equal counts). */
struct fprof {
	struct calltree *tree;
	struct funcs *funcs;
	struct profile *profile; /* NULL: stacks from tree, with no context */
	char measure[32];
	enum unit unit;
	/* Weights and counts are in units of 10^-decimals: a folded file
	 * with fractional counts ("a;b 1.5") is read scaled so that every
	 * count is whole (folded.h); 0 for whole counts.  Written back by
	 * the folded writer as fractions, and said in pprof (pprof.h). */
	unsigned decimals;
	/* The key=value pairs of a label set id of profile's samples: fills
	 * keys/values (valid until the next call) and returns how many (at
	 * most max), 0 for none.  NULL: labels are not written. */
	int (*labels)(void *arg, uint32_t labels_id, const char **keys, const char **values,
		      int max);
	void *labels_arg;
	/* set by format_load: what the reader noticed but could read past (a
	 * recording cut short: "truncated after 3 blocks: ..."), "" for none */
	char note[192];
};

/* Fills fp for tree t and functions f: unit and measure from p when p is
 * not NULL (its tree must be t), else samples. */
void fprof_init(struct fprof *fp, struct calltree *t, struct funcs *f, struct profile *p);

/* Calls fn for every stack with a nonzero value (root first; n 0 for the
 * root itself) with its weight and count.  From a profile: each distinct
 * (stack, context) once, with the context; from a tree: each node with a
 * nonzero self, ctx NULL.  Returns what fn returned when nonzero, 0, or
 * -ENOMEM. */
int fprof_foreach(const struct fprof *fp, profile_stack_fn fn, void *arg);

/* The format named s ("folded", "pprof", "speedscope", "svg", "ftr"), or
 * FORMAT_NONE. */
enum format format_parse(const char *s);
const char *format_name(enum format fmt);
/* "folded, pprof, speedscope, svg, ftr", for messages and help. */
#define FORMAT_NAMES "folded, pprof, speedscope, svg, ftr"

/* The format a file named path is written in, by its name: .pb.gz and
 * .pprof pprof, .speedscope.json speedscope, .svg SVG, .ftr a recording, anything else
 * (.folded, .txt, "-", no extension) folded stacks. */
enum format format_from_name(const char *path);

/* The file a profile of format fmt is written to when none is named:
 * "flametop.folded", "flametop.pb.gz", "flametop.speedscope.json",
 * "flametop.svg", "flametop.ftr". */
const char *format_default_name(enum format fmt);

/* Writes fp to out in fmt; 0 or -errno (-ENOSPC of a full disk, -EIO
 * when the stream does not say, -ENOMEM; -EINVAL for FORMAT_FTR, which
 * is streamed while recording, ftr.h).  title names the profile in
 * formats that show one (SVG, speedscope); NULL for a default. */
int format_write(enum format fmt, FILE *out, const struct fprof *fp, const char *title);

/* Reads the file at path ("-": standard input) into fp->tree and
 * fp->funcs, setting fp->measure and fp->unit (and fp->note).  fmt
 * FORMAT_NONE: by its first bytes (gzip: pprof, the FTR magic: a
 * recording, whose samples the tree then sums, '{': speedscope; or the
 * name), else folded.  0, or -errno with
 * why in err: the caller says "cannot read 'PATH': ERR". */
int format_load(const char *path, enum format fmt, struct fprof *fp, char *err, size_t errlen);

/* Whether the file at path starts with the FTR magic (a recording, read
 * with ftr_read for its whole profile); false when it cannot be read or
 * is standard input ("-"). */
bool format_is_recording(const char *path);

/* s as a JSON string, quoted; bytes that are not UTF-8 become U+FFFD. */
void format_json_string(FILE *out, const char *s);
/* s as XML character data (also good in an attribute value): markup
 * escaped, control characters as '?', bytes that are not UTF-8 as
 * U+FFFD; at most max characters (SIZE_MAX: all), ".." after a cut. */
void format_xml_text(FILE *out, const char *s, size_t max);

#endif
