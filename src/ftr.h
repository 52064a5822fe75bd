/*
 * ftr.h - flametop recordings (.ftr files): written while recording,
 * read back into a profile.
 *
 * A recording keeps what folded stacks lose: each sample's time, thread,
 * on/off CPU state, weight, coroutine and label set, the function table
 * resolved while recording (so the file opens where the target's binaries
 * are not), thread names, label sets and GC collections.  The layout is
 * flametop-ftr(5):
 *
 *   +--------------------+
 *   | "\x7f" "FTR" u32 v |  8 bytes: magic and version (little endian)
 *   +--------------------+
 *   | block              |  u32 zlen | u32 rawlen | u32 crc | zlen bytes
 *   | block              |  of deflate (zlib) holding whole records
 *   | ...                |
 *   +--------------------+
 *
 * Records inside a block are kind (1 byte), body length (varint) and the
 * body; integers are LEB128 varints, strings a varint length and bytes.
 * Every block compresses alone, so a recording cut short (SIGKILL, a full
 * disk) keeps every block written before the cut: the reader returns what
 * they hold and says the file is truncated.
 *
 * The writer streams: functions, threads and label sets are written before
 * the first sample that needs them (ftr_write_sample writes the functions
 * added to the table since its last call by itself), and a block goes out
 * when it fills or at ftr_flush.  The reader trusts nothing: every length,
 * id and count is bounded, each block's CRC-32 is checked before it is
 * inflated, and an error names the block and what was wrong.
 */
#ifndef FT_FTR_H
#define FT_FTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "funcs.h"
#include "profile.h"
#include "unit.h"

#define FTR_MAGIC                                                                                  \
	"\x7f"                                                                                     \
	"FTR"
#define FTR_VERSION 1
/* a block's uncompressed bytes: the writer closes one past FTR_BLOCK_FILL,
 * the reader refuses one above FTR_BLOCK_MAX */
#define FTR_BLOCK_FILL (64u * 1024)
#define FTR_BLOCK_MAX (1024u * 1024)

/* What the header record says, and what the reader found. */
struct ftr_info {
	uint32_t version; /* of the file (FTR_VERSION when written) */
	int32_t pid;
	uint32_t mode;	  /* FT_MODE_CPU or FT_MODE_WALL */
	uint32_t freq_hz; /* asked of the runtime */
	char measure[16]; /* as profile_measure: "cpu", "wall", "alloc-bytes" */
	enum unit unit;
	uint64_t start_ns;	/* CLOCK_MONOTONIC origin ("@0s") */
	uint64_t start_real_ns; /* CLOCK_REALTIME when the recording began */
	char cmdline[256];
	/* filled by the reader (ignored by the writer): */
	uint64_t blocks;	    /* complete blocks read */
	uint64_t samples;	    /* sample records read */
	uint64_t lost;		    /* as the end record says (0 without one) */
	uint64_t first_ns, last_ns; /* times of the oldest / newest sample */
	bool truncated;		    /* no end record: cut short */
};

/* ---- writing ---- */

struct ftr_writer;

/* A writer to out (borrowed, opened for writing) for a profile whose
 * function table is f (borrowed; ids are written as they are in f).
 * Writes the magic and buffers the header record h.  NULL on ENOMEM. */
struct ftr_writer *ftr_writer_new(FILE *out, const struct ftr_info *h, const struct funcs *f);
/* Frees w without writing anything more; NULL is a no-op. */
void ftr_writer_free(struct ftr_writer *w);

/* Each returns 0 or the writer's first error (-errno), which sticks: a
 * writer that failed writes nothing more. */

/* A thread's name (again when it changes). */
int ftr_write_thread(struct ftr_writer *w, int32_t tid, const char *name);
/* The n key=value pairs of label set id (profile_ctx's labels_id). */
int ftr_write_labels(struct ftr_writer *w, uint32_t id, const char *const *keys,
		     const char *const *values, int n);
/* A GC collection: the FT_REC_GC record as the segment held it (len
 * bytes, flametop-shm(5) of the runtime's FT_VERSION) and its trigger
 * stack as function ids, root first. */
int ftr_write_gc(struct ftr_writer *w, const void *rec, uint32_t len, const uint32_t *ids,
		 uint32_t n);
/* A sample (after the functions added to f since the last call). */
int ftr_write_sample(struct ftr_writer *w, const struct profile_sample *s);
/* Writes the buffered records as a block and flushes out. */
int ftr_flush(struct ftr_writer *w);
/* The end record (samples lost while recording), then ftr_flush: a file
 * without it reads as truncated. */
int ftr_finish(struct ftr_writer *w, uint64_t lost);
/* Bytes written to out so far, and when the last block went out
 * (util_mono_ns; 0: none yet). */
uint64_t ftr_written(const struct ftr_writer *w);
uint64_t ftr_last_flush(const struct ftr_writer *w);

/* ---- reading ---- */

struct ftr;

/* Whether the first bytes of a file are the magic (n: how many there are). */
bool ftr_probe(const void *head, size_t n);

/* Reads a recording from in into a new struct ftr whose functions are
 * interned in f (borrowed, kept alive longer than the ftr).  0 with *out set; a
 * file cut short is read up to its last complete block, with
 * info.truncated set and why in err ("truncated after 3 blocks: ...").
 * -EINVAL (not a recording, another version, corrupt before any sample
 * could be read), -ENOMEM or -EIO with err filled and *out NULL.  A
 * corrupt block after good ones is reported like a truncation. */
int ftr_read(FILE *in, struct funcs *f, struct ftr **out, char *err, size_t errlen);
/* The same from memory (the fuzzer). */
int ftr_read_mem(const void *buf, size_t len, struct funcs *f, struct ftr **out, char *err,
		 size_t errlen);
void ftr_free(struct ftr *r); /* NULL is a no-op */

const struct ftr_info *ftr_info(const struct ftr *r);
/* The profile of every sample (window 0, retaining the whole recording,
 * expired at its last sample), owned by r, and its function table (f). */
struct profile *ftr_profile(struct ftr *r);
struct funcs *ftr_funcs(struct ftr *r);
/* The pairs of label set id: the signature of fprof's labels (formats.h),
 * with r as arg. */
int ftr_label_pairs(void *r, uint32_t id, const char **keys, const char **values, int max);

/* The recording's collections (gctimeline.h; maybe none), whose origin
 * is the recording's start (info.start_ns: what "@0s" stands for);
 * and a collection's trigger stack as function ids (as live_gc_stack). */
struct gctimeline;
struct gc_cycle;
struct gctimeline *ftr_gctimeline(struct ftr *r);
size_t ftr_gc_stack(struct ftr *r, const struct gc_cycle *c, uint32_t *ids, size_t max);

#endif
