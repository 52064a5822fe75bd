/*
 * alloc-live.c - the set of live sampled blocks (see alloc.h).
 *
 * Async-signal-safe only: no malloc, no stdio, no locks; compare-and-swap
 * on memory allocated up front.  Each address has two candidate buckets
 * of ALLOC_LIVE_WAYS words; it is put in the first free word of either,
 * and looked for in both.  There are no chains and no tombstones, so a
 * lookup reads at most two cache lines however long the program runs.
 *
 * The filter counts, per low bits of the address, the addresses in the set:
 * a free() whose counter is 0 was never sampled and looks no further.  A
 * counter is raised before its address is published and lowered after
 * it is withdrawn, so a lookup for an address in the set never reads 0.
 *
 * An address is inserted by the thread that got the block and removed by
 * the one that releases it, which the program orders after the insert;
 * the same address is never in the set twice.
 */
#include "config.h"

#include <string.h>
#include "alloc.h"

static uint64_t *bucket(const struct alloc_live *t, uint64_t h, int which)
{
	uint64_t b = which ? (h >> 32) ^ (h * 0x9e3779b97f4a7c15ull >> 40) : h;

	return t->slots + (b & (t->nbuckets - 1)) * ALLOC_LIVE_WAYS;
}

static uint8_t *counter(const struct alloc_live *t, uint64_t addr)
{
	return &t->filter[alloc_live_slot(addr)];
}

size_t alloc_live_size(uint64_t nbuckets)
{
	return (size_t)nbuckets * ALLOC_LIVE_WAYS * sizeof(uint64_t) +
	       ALLOC_LIVE_FILTER * sizeof(uint8_t);
}

void alloc_live_init(struct alloc_live *t, void *mem, uint64_t nbuckets)
{
	t->slots = mem;
	t->filter = (uint8_t *)(t->slots + nbuckets * ALLOC_LIVE_WAYS);
	t->nbuckets = nbuckets;
	t->count = 0;
}

int alloc_live_insert(struct alloc_live *t, uint64_t addr)
{
	uint64_t h = alloc_live_hash(addr);
	uint8_t *c = counter(t, addr);

	if (!addr || __atomic_load_n(c, __ATOMIC_RELAXED) == UINT8_MAX)
		return -1;
	__atomic_fetch_add(c, 1, __ATOMIC_ACQ_REL);
	for (int w = 0; w < 2; w++) {
		uint64_t *b = bucket(t, h, w);

		for (unsigned i = 0; i < ALLOC_LIVE_WAYS; i++) {
			uint64_t empty = 0;

			if (__atomic_load_n(&b[i], __ATOMIC_RELAXED) == 0 &&
			    __atomic_compare_exchange_n(&b[i], &empty, addr, 0, __ATOMIC_ACQ_REL,
							__ATOMIC_RELAXED)) {
				__atomic_fetch_add(&t->count, 1, __ATOMIC_RELAXED);
				return 0;
			}
		}
	}
	__atomic_fetch_sub(c, 1, __ATOMIC_ACQ_REL);
	return -1;
}

int alloc_live_remove(struct alloc_live *t, uint64_t addr)
{
	uint64_t h = alloc_live_hash(addr);
	uint8_t *c = counter(t, addr);

	if (!addr || __atomic_load_n(c, __ATOMIC_ACQUIRE) == 0)
		return 0;
	for (int w = 0; w < 2; w++) {
		uint64_t *b = bucket(t, h, w);

		for (unsigned i = 0; i < ALLOC_LIVE_WAYS; i++) {
			uint64_t want = addr;

			if (__atomic_load_n(&b[i], __ATOMIC_ACQUIRE) == addr &&
			    __atomic_compare_exchange_n(&b[i], &want, 0, 0, __ATOMIC_ACQ_REL,
							__ATOMIC_RELAXED)) {
				__atomic_fetch_sub(&t->count, 1, __ATOMIC_RELAXED);
				__atomic_fetch_sub(c, 1, __ATOMIC_ACQ_REL);
				return 1;
			}
		}
	}
	return 0;
}
