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
