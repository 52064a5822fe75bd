/*
 * ring.c - the writer side of the shared-memory rings.
 *
 * Async-signal-safe only: no malloc, no stdio, no locks, memory allocated
 * up front.  See flametop-shm.h for the protocol: reserve with one
 * fetch-add, copy (wrapping byte-wise at the end), commit the tag last
 * with release order.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include "ring.h"

static inline uint8_t *ring_data(struct ft_ring *ring)
{
	return (uint8_t *)ring + FT_RING_DATA_OFFSET;
}

uint64_t ft_ring_init(struct ft_ring *ring, uint64_t size)
{
	uint64_t data = 64;

	if (size < FT_RING_DATA_OFFSET + 64)
		return 0;
	while (data * 2 <= size - FT_RING_DATA_OFFSET)
		data *= 2;
	ring->size = data;
	__atomic_store_n(&ring->head, 0, __ATOMIC_RELEASE);
	return data;
}

static void ring_copy(struct ft_ring *ring, uint64_t pos, const void *src, uint64_t n)
{
	uint64_t mask = ring->size - 1, off = pos & mask;
	uint64_t first = ring->size - off < n ? ring->size - off : n;
	uint8_t *data = ring_data(ring);

	memcpy(data + off, src, first);
	if (first < n)
		memcpy(data, (const uint8_t *)src + first, n - first);
}

uint64_t ft_ring_append(struct ft_ring *ring, void *rec, uint32_t len, uint16_t kind)
{
	struct ft_rec_hdr *hdr = rec;
	uint64_t pos, padded = (len + 7u) & ~7u;
	static const uint8_t zeros[8];
	uint64_t mask = ring->size - 1;

	if (len < sizeof(*hdr) || padded > ring->size / 4)
		return UINT64_MAX;
	pos = __atomic_fetch_add(&ring->head, padded, __ATOMIC_ACQ_REL);
	/* the old tag here belongs to a record being overwritten: clear it
	 * first so no reader mistakes a half-written record for a whole one */
	__atomic_store_n((uint64_t *)(ring_data(ring) + (pos & mask)), 0, __ATOMIC_RELAXED);
	hdr->tag = 0;
	hdr->len = (uint32_t)padded;
	hdr->kind = kind;
	hdr->check = ft_rec_check(rec, len);
	ring_copy(ring, pos + 8, (const uint8_t *)rec + 8, len - 8);
	if (padded > len)
		ring_copy(ring, pos + len, zeros, padded - len);
	__atomic_store_n((uint64_t *)(ring_data(ring) + (pos & mask)), pos ^ FT_TAG_XOR,
			 __ATOMIC_RELEASE);
	return pos;
}
