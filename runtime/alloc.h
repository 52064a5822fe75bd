/*
 * alloc.h - sampled allocations: the statistics of byte sampling and the
 * table of live sampled blocks, shared by the malloc hooks (alloc.c) and
 * the unit tests.
 *
 * Async-signal-safe only: no malloc, no stdio, no locks.  The statistics
 * are pure functions of their arguments; the live table is lock-free
 * (compare-and-swap on words of memory allocated up front).
 */
#ifndef FT_RT_ALLOC_H
#define FT_RT_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define ALLOC_RATE_DEFAULT (512u * 1024u) /* bytes between samples, mean */
#define ALLOC_RATE_MAX (1ull << 30)

/* ---- statistics (alloc-stat.c) ---------------------------------------- */

/* A thread's sampler: the bytes left until its next sample and its
 * random state.  All zero is a valid start (seeded at the first use). */
struct alloc_stat {
	int64_t left;
	uint64_t rng;  /* xorshift64*; 0: not seeded yet */
	uint64_t base; /* base - left: the bytes counted down so far */
};

/* The bytes counted down by st so far (every allocation's size). */
static inline uint64_t alloc_stat_total(const struct alloc_stat *st)
{
	return st->base - (uint64_t)st->left;
}

/* A uniform double in (0, 1] from st's generator (seeded from seed when
 * st has never been used). */
double alloc_stat_uniform(struct alloc_stat *st, uint64_t seed);
/* log(x), x > 0, and 1 - exp(-t), t >= 0, without libm */
double alloc_stat_log(double x);
double alloc_stat_p(double t);

/* An exponential draw of the given mean, in bytes, at least 1. */
int64_t alloc_stat_draw(struct alloc_stat *st, uint64_t mean, uint64_t seed);

/*
 * Called when st->left (already lowered by size) fell to 0 or below.
 * st->rng == 0 means the thread never drew: the first interval is drawn
 * (st->left += draw) and 0 is returned if the block still fits in it.
 * Otherwise the block is sampled: a new interval is drawn, *bytes and
 * *objects get the unbiased estimates of what the sample stands for
 * (size / p and 1 / p with p = 1 - exp(-size / mean), the objects
 * rounded up or down at random) and 1 is returned.  mean 0: every block,
 * with bytes = size and objects = 1.
 */
int alloc_stat_take(struct alloc_stat *st, uint64_t size, uint64_t mean, uint64_t seed,
		    uint64_t *bytes, uint64_t *objects);

/* ---- live sampled blocks (alloc-live.c) ------------------------------- */

/*
 * A set of addresses: buckets of 8 words (a cache line), each address in
 * one of two buckets, and a filter of 8-bit counters (32 KiB, so that it
 * stays in the cache) so that the free of an address that was never
 * sampled reads one counter and nothing else (alloc_live_maybe).
 * Inserting fails (-1) when both buckets are full; the caller then counts
 * the block as untracked.
 */
#define ALLOC_LIVE_WAYS 8u
#define ALLOC_LIVE_FILTER (1u << 12)

struct alloc_live {
	uint64_t *slots;	 /* nbuckets * ALLOC_LIVE_WAYS, 0: free */
	uint8_t *filter;	 /* ALLOC_LIVE_FILTER counters */
	uint64_t nbuckets;	 /* a power of two */
	volatile uint64_t count; /* addresses in the set */
};

/* Bytes of memory the set needs for nbuckets (a power of two). */
size_t alloc_live_size(uint64_t nbuckets);
/* Lays the set over mem (alloc_live_size bytes, zeroed). */
void alloc_live_init(struct alloc_live *t, void *mem, uint64_t nbuckets);
/* 0, or -1 when there is no room for addr (addr != 0). */
int alloc_live_insert(struct alloc_live *t, uint64_t addr);
/* 1 if addr was in the set (it is removed), 0 if not. */
int alloc_live_remove(struct alloc_live *t, uint64_t addr);

/* The hash of an address: its filter counter and its buckets. */
static inline uint64_t alloc_live_hash(uint64_t a)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdull;
	a ^= a >> 33;
	return a;
}

/* The filter counter of addr: its low bits (blocks are 16-byte aligned),
 * no hash, so that the check in free() is a shift, a mask and a load. */
static inline uint64_t alloc_live_slot(uint64_t addr)
{
	return (addr >> 4) & (ALLOC_LIVE_FILTER - 1);
}

/* 0 if addr is surely not in the set (one load, inlined into free()). */
static inline int alloc_live_maybe(const struct alloc_live *t, uint64_t addr)
{
	return __atomic_load_n(&t->filter[alloc_live_slot(addr)], __ATOMIC_RELAXED) != 0;
}

/* ---- the hooks (alloc.c) ---------------------------------------------- */

/* Settings read, segment made (rt_init): sampling may begin. */
void alloc_init(void);
/* The calling thread's allocations are never sampled (the runtime
 * thread). */
void alloc_ignore_thread(void);
/* The bytes the calling thread allocated so far through the sampled
 * allocators (struct ft_alloc's thread_bytes). */
uint64_t alloc_thread_bytes(void);
/* A collection of libgc reclaimed what it found unreachable: the sampled
 * objects among them are released (called by gc.c with libgc's lock
 * held, at GC_EVENT_RECLAIM_END). */
void alloc_gc_reclaimed(void);

#endif
