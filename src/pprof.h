/*
 * pprof.h - pprof profiles: profile.proto, gzipped.
 *
 * The messages of profile.proto that pprof tools read (Profile,
 * ValueType, Sample, Label, Mapping, Location, Line, Function) are held in
 * a struct pprof, encoded and decoded here by hand: a few messages of
 * varints and length-delimited fields do not need a generated library,
 * and the decoder checks every index and length as it reads, with memory
 * bounded by its input (the input is untrusted: fuzz/fuzz-pprof.c).
 *
 * In a struct pprof the repeated fields of a message are ranges into
 * shared arrays (a sample's locations are locids[loc, loc + nloc)), and
 * strings are indexes into the string table, whose entry 0 is "".
 *
 * pprof_from / pprof_to_tree turn a profile into one and one into a call
 * tree; pprof_write and pprof_read do that with the gzip framing.
 */
#ifndef FT_PPROF_H
#define FT_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "formats.h"

struct pprof_value_type {
	int64_t type, unit; /* strings */
};

struct pprof_sample {
	size_t loc, nloc;     /* locids[loc, loc + nloc): leaf first */
	size_t value, nvalue; /* values[value, value + nvalue): one per sample type */
	size_t label, nlabel; /* labels[label, label + nlabel) */
};

struct pprof_label {
	int64_t key, str; /* strings; str 0 for a numeric label */
	int64_t num, num_unit;
};

struct pprof_mapping {
	uint64_t id, start, limit, offset;
	int64_t filename, build_id; /* strings */
	bool has_functions;
};

struct pprof_line {
	uint64_t function_id;
	int64_t line;
};

struct pprof_location {
	uint64_t id, mapping_id, address;
	size_t line, nline; /* lines[line, line + nline): the innermost frame first */
};

struct pprof_function {
	uint64_t id;
	int64_t name, system_name, filename, start_line; /* strings but start_line */
};

struct pprof {
	struct pprof_value_type *types;
	struct pprof_sample *samples;
	uint64_t *locids;
	int64_t *values;
	struct pprof_label *labels;
	struct pprof_mapping *mappings;
	struct pprof_location *locations;
	struct pprof_line *lines;
	struct pprof_function *functions;
	size_t ntypes, nsamples, nlocids, nvalues, nlabels, nmappings, nlocations, nlines,
	    nfunctions;
	size_t captypes, capsamples, caplocids, capvalues, caplabels, capmappings, caplocations,
	    caplines, capfunctions;
	/* the string table: strs[i] is an offset into pool (NUL-terminated) */
	size_t *strs, nstrs, capstrs;
	char *pool;
	size_t poollen, poolcap;
	struct pprof_strhash *hash; /* pprof_string's index */
	int64_t *comments;	    /* strings */
	size_t ncomments, capcomments;
	int64_t time_nanos, duration_nanos, period, default_sample_type;
	struct pprof_value_type period_type;
	int err; /* -ENOMEM once an add failed (pprof_encode returns it) */
};

/* An empty profile whose string table holds "" at 0. */
void pprof_init(struct pprof *pp);
void pprof_release(struct pprof *pp);

/* The index of s in the string table, added if new (0 for ""). */
int64_t pprof_string(struct pprof *pp, const char *s);
/* String i, or NULL when i is out of range. */
const char *pprof_str(const struct pprof *pp, int64_t i);

/* Adds a sample type, a sample (with its location ids leaf first, one
 * value per sample type and its labels), a mapping, a location (one line
 * per function, innermost first) and a function.  Failures to allocate
 * are kept in pp->err. */
void pprof_add_type(struct pprof *pp, const char *type, const char *unit);
void pprof_add_sample(struct pprof *pp, const uint64_t *locids, size_t nloc, const int64_t *values,
		      const struct pprof_label *labels, size_t nlabel);
void pprof_add_mapping(struct pprof *pp, const struct pprof_mapping *m);
void pprof_add_location(struct pprof *pp, uint64_t id, uint64_t mapping_id, uint64_t address,
			const struct pprof_line *lines, size_t nline);
void pprof_add_function(struct pprof *pp, const struct pprof_function *fn);
/* Adds a comment (Profile.comment: what `go tool pprof -comments` prints). */
void pprof_add_comment(struct pprof *pp, const char *text);

/* The comment that says a profile's counts are scaled (fprof.decimals):
 * "counts scaled by 10^D (fractional counts in the input)", 10^D written
 * out ("100" for 2 decimals), D 1 to 9.  pprof_from writes it,
 * pprof_to_tree reads it back. */
#define PPROF_SCALE_COMMENT "counts scaled by %llu (fractional counts in the input)"

/* The protobuf encoding of pp in *out (malloc'd, caller frees), *len its
 * size; 0 or -ENOMEM. */
int pprof_encode(const struct pprof *pp, uint8_t **out, size_t *len);

/* Decodes a protobuf Profile into pp (initialised by the call; release
 * it whatever the result) and checks it: every string index in the
 * table, string 0 empty, as many values as sample types, ids nonzero
 * and unique, every id referred to defined.  0, or -EINVAL with why in
 * err ("sample 3: location id 9 is not defined"), or -ENOMEM. */
int pprof_decode(struct pprof *pp, const uint8_t *buf, size_t len, char *err, size_t errlen);

/* Fills pp from a profile to write: the sample types (samples/count and
 * the measure's type when its unit is not samples), a function and a
 * location per function id, a mapping per module, and from a profile
 * the labels "thread" (numeric), "thread_name", "coroutine" (numeric),
 * "state" (wall time: oncpu or offcpu) and the samples' own labels;
 * counts scaled by fp->decimals get a PPROF_SCALE_COMMENT.
 * 0 or -ENOMEM. */
int pprof_from(struct pprof *pp, const struct fprof *fp);

/* Adds the samples of pp to fp->tree (frames interned in fp->funcs as
 * (function name, mapping file)) weighed by its default sample type (or
 * the last type), counted by its "samples" type when it has one (else
 * the same value), and sets fp->measure and unit from that type (and
 * fp->decimals from a PPROF_SCALE_COMMENT).  A
 * location without lines is the frame "MODULE+0xOFFSET" (or "0xADDRESS").
 * 0, or -EINVAL with why in err (an undefined id, a negative value), or
 * -ENOMEM. */
int pprof_to_tree(const struct pprof *pp, struct fprof *fp, char *err, size_t errlen);

/* The largest profile read, uncompressed. */
#define PPROF_MAX_SIZE (1024u << 20)

/* pprof_from, pprof_encode and gzip, to out: 0 or -errno. */
int pprof_write(FILE *out, const struct fprof *fp);

/* Reads a gzipped pprof profile from in into fp (pprof_to_tree): 0, or
 * -errno with why in err ("not gzipped (a pprof profile is a gzipped
 * profile.proto)", "not a profile: ...", "sample 2: ..."). */
int pprof_read(FILE *in, struct fprof *fp, char *err, size_t errlen);

/* Reads a gzipped profile's bytes (gunzip, at most PPROF_MAX_SIZE); for
 * pprof_read and the fuzzer.  0 or -errno with why in err; *out is
 * malloc'd. */
int pprof_gunzip(const uint8_t *gz, size_t len, uint8_t **out, size_t *outlen, char *err,
		 size_t errlen);

#endif
