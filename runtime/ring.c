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

uint64_t ft_ring_writer_init(struct ft_ring_writer *w, struct ft_ring *ring, uint64_t size)
{
	w->ring = ring;
	w->data = (uint8_t *)ring + FT_RING_DATA_OFFSET;
	w->size = ft_ring_init(ring, size);
	return w->size;
}

static void ring_copy(const struct ft_ring_writer *w, uint64_t pos, const void *src, uint64_t n)
{
	uint64_t mask = w->size - 1, off = pos & mask;
	uint64_t first = w->size - off < n ? w->size - off : n;

	memcpy(w->data + off, src, first);
	if (first < n)
		memcpy(w->data, (const uint8_t *)src + first, n - first);
}

uint64_t ft_ring_write(const struct ft_ring_writer *w, void *rec, uint32_t len, uint16_t kind)
{
	struct ft_rec_hdr *hdr = rec;
	uint64_t pos, padded = (len + 7u) & ~7u;
	static const uint8_t zeros[8];
	uint64_t mask = w->size - 1;

	if (len < sizeof(*hdr) || w->size < 64 || padded > w->size / 4)
		return UINT64_MAX;
	pos = __atomic_fetch_add(&w->ring->head, padded, __ATOMIC_ACQ_REL);
	/* the old tag here belongs to a record being overwritten: clear it
	 * first so no reader mistakes a half-written record for a whole one */
	__atomic_store_n((uint64_t *)(w->data + (pos & mask & ~7ull)), 0, __ATOMIC_RELAXED);
	hdr->tag = 0;
	hdr->len = (uint32_t)padded;
	hdr->kind = kind;
	hdr->check = ft_rec_check(rec, len);
	ring_copy(w, pos + 8, (const uint8_t *)rec + 8, len - 8);
	if (padded > len)
		ring_copy(w, pos + len, zeros, padded - len);
	__atomic_store_n((uint64_t *)(w->data + (pos & mask & ~7ull)), pos ^ FT_TAG_XOR,
			 __ATOMIC_RELEASE);
	return pos;
}

uint64_t ft_ring_append(struct ft_ring *ring, void *rec, uint32_t len, uint16_t kind)
{
	struct ft_ring_writer w = {ring, (uint8_t *)ring + FT_RING_DATA_OFFSET, ring->size};

	if (w.size & (w.size - 1))
		return UINT64_MAX;
	return ft_ring_write(&w, rec, len, kind);
}
