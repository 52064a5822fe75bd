/*
 * ring.h - appending records to a shared-memory ring (writer side).
 *
 * Async-signal-safe only: no malloc, no stdio, no locks; lock-free atomics
 * on memory allocated up front.  The protocol is described in
 * flametop-shm.h; many writers may append at once, none ever waits.
 */
#ifndef FT_RT_RING_H
#define FT_RT_RING_H

#include <stdint.h>
#include "flametop-shm.h"

/*
 * The runtime's writer of a ring in a shared segment: the data size and
 * the data pointer are kept here, in private memory, and never read back
 * from the segment, which any process of the user can write.  Only head
 * is shared (reserved with one fetch-add); whatever it holds, a record is
 * written at head & (size - 1), inside the ring's data.
 */
struct ft_ring_writer {
	struct ft_ring *ring; /* the shared header */
	uint8_t *data;	      /* its data[], size bytes */
	uint64_t size;	      /* a power of two, or 0: nothing is written */
};

/* Initialises the ring in the size bytes of zeroed memory at ring, like
 * ft_ring_init, and the private writer w.  Returns the data size or 0. */
uint64_t ft_ring_writer_init(struct ft_ring_writer *w, struct ft_ring *ring, uint64_t size);

/* Appends one record as ft_ring_append does, with w's private size.
 * Returns the record's position, or UINT64_MAX. */
uint64_t ft_ring_write(const struct ft_ring_writer *w, void *rec, uint32_t len, uint16_t kind);

/* The same two for a ring in memory only the caller writes (tests build
 * rings this way): the size is taken from ring->size. */

/* Initialises a ring over size bytes of zeroed memory at ring (header
 * included); data gets the largest power of two that fits.  Returns the
 * data size, or 0 if size is too small. */
uint64_t ft_ring_init(struct ft_ring *ring, uint64_t size);

/* Appends one record: hdr is filled in (tag, len, kind) by the call, body
 * is the whole record including the ft_rec_hdr at its start, len bytes
 * (rounded up to 8 with zero padding).  Returns the record's position, or
 * UINT64_MAX if len is 0 or more than a quarter of the ring. */
uint64_t ft_ring_append(struct ft_ring *ring, void *rec, uint32_t len, uint16_t kind);

#endif
