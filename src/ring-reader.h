/*
 * ring-reader.h - following a shared-memory ring (reader side).
 *
 * The writer side lives in runtime/ring.c; the protocol is described in
 * runtime/flametop-shm.h.  A reader never writes into the ring: it keeps a
 * private position, copies each committed record out, then checks that the
 * writer did not overwrite it meanwhile.  Records the reader could not get
 * (lapped by the writer, never committed, failing validation) are counted
 * in ring_reader.missed, estimated in records when only bytes are known.
 *
 * Everything read from the ring is untrusted: the data size is taken once
 * from the caller (validated by segment_validate), lengths and kinds are
 * checked before use (kinds by the caller), and a hostile ring can make the reader skip data but
 * never read outside data[] or loop without bound.
 */
#ifndef FT_RING_READER_H
#define FT_RING_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flametop-shm.h"

#define RING_STALL_NS 1000000000ull /* an uncommitted record is lost after 1 s */

struct ring_reader {
	const struct ft_ring *ring; /* the mapped ring header */
	const uint8_t *data;	    /* its data[], size bytes */
	uint64_t size;		    /* validated copy: never re-read from the ring */
	uint64_t rpos;		    /* next record to read: a record boundary */
	uint8_t *buf;		    /* private copy of the current record */
	uint64_t stall_pos;	    /* rpos at which an uncommitted tag was seen */
	uint64_t stall_since_ns;    /* CLOCK_MONOTONIC when first seen */
	uint64_t stall_ns;	    /* give up on an uncommitted record after this */
	bool stalled;
	/* statistics */
	uint64_t records;      /* records delivered (pads excluded) */
	uint64_t bytes;	       /* bytes of records delivered */
	uint64_t missed;       /* records lost (estimated from bytes) */
	uint64_t missed_bytes; /* bytes skipped without delivering them */
	uint64_t resyncs;      /* times the reader had to look for a tag */
};

/* Starts following the ring whose data holds size bytes (a power of two,
 * >= 64, already checked against the mapping).  from_oldest: begin at the
 * oldest intact record still in the ring; otherwise at the current head
 * (only what is written from now on).  0, -EINVAL (bad size) or -ENOMEM. */
int ring_reader_init(struct ring_reader *r, const struct ft_ring *ring, uint64_t size,
		     bool from_oldest);
void ring_reader_release(struct ring_reader *r);

/* Flags for ring_reader_next.  RING_WRITER_GONE: no writer can commit
 * anything any more, so an uncommitted record is lost at once. */
#define RING_WRITER_GONE 0x1u

/* The next committed record (never a pad), copied out and checked: the
 * tag matched its position, len >= sizeof(struct ft_rec_hdr), len % 8 == 0,
 * len <= size / 4; any kind but FT_REC_PAD (the caller checks kinds).
 * Returns a pointer to the
 * private copy (8-byte aligned, valid until the next call) with *len set,
 * or NULL when nothing more is ready now (call again later). */
const struct ft_rec_hdr *ring_reader_next(struct ring_reader *r, uint32_t *len, unsigned int flags);

/* Moves the read position to the writer's head: what is in the ring now
 * is skipped (not counted as missed); only records written later are
 * delivered. */
void ring_reader_seek_end(struct ring_reader *r);

/* Records lost so far, as described above. */
uint64_t ring_reader_missed(const struct ring_reader *r);

/* Counts n records the caller dropped after delivery (failed its own
 * validation) as missed. */
void ring_reader_drop(struct ring_reader *r, uint64_t n);

#endif
