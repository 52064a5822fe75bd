/*
 * records.h - ring records of every kind: validation and dispatch.
 *
 * A reader (segment.c today, a recording file later) takes records out of
 * a ring as private copies and hands each to records_dispatch, which
 * checks it by the rules of its kind (records.c: one entry per kind in a
 * table) and passes it to the consumer registered for that kind.  Kinds
 * this viewer does not know are counted and skipped; kinds nobody
 * consumes are skipped; records that fail their kind's checks are counted
 * as invalid.  No bound on kinds is built in: consumers are kept in a
 * table that grows with the highest kind registered.
 *
 * The rules of each kind are written down in flametop-shm(5).
 */
#ifndef FT_RECORDS_H
#define FT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flametop-shm.h"

/* A consumer: rec is a validated private copy of len bytes, valid for the
 * call only; cast it to the kind's struct (struct ft_sample for
 * FT_REC_SAMPLE, struct ft_event for the event kinds).  Returns 0 to go
 * on, nonzero to make the reader stop after this record. */
typedef int (*records_fn)(void *arg, const struct ft_rec_hdr *rec, uint32_t len);

struct records_consumer {
	records_fn fn;
	void *arg;
};

struct records {
	uint32_t max_depth; /* frames a sample may carry (from the header) */
	struct records_consumer *c;
	size_t nc; /* c[0..nc) indexed by kind */
	/* statistics */
	uint64_t delivered; /* records handed to a consumer */
	uint64_t invalid;   /* failed their kind's checks */
	uint64_t unknown;   /* kinds this viewer does not know */
	uint64_t unclaimed; /* known kinds nobody consumes */
};

/* max_depth: the largest nframes a sample may carry (<= FT_MAX_DEPTH). */
void records_init(struct records *r, uint32_t max_depth);
void records_release(struct records *r);

/* Registers fn for kind (replacing the previous one; fn NULL removes it).
 * 0 or -ENOMEM. */
int records_on(struct records *r, uint16_t kind, records_fn fn, void *arg);

/* Validates rec (len bytes, at least a struct ft_rec_hdr, 8-byte aligned)
 * by its kind and hands it to its consumer.  Returns 1 when a consumer
 * took it and asked to stop, 0 otherwise. */
int records_dispatch(struct records *r, const struct ft_rec_hdr *rec, uint32_t len);

/* Whether this viewer knows kind, and its name ("sample", "gc", ...; NULL
 * for an unknown kind). */
bool records_known(uint16_t kind);
const char *records_kind_name(uint16_t kind);

#endif
