/*
 * allocs.c - the live sampled allocations (see allocs.h).
 *
 * This file contains a dense array of live blocks (a released block's
 * slot takes the last one) and an index from address to slot: open
 * addressing with linear probing, at most half full, deletion by moving
 * the rest of the cluster back (no tombstones).  Invariants:
 *   - idx[] holds slot + 1 for every live block, 0 for an empty cell,
 *     and every block is reachable from its home cell without crossing
 *     an empty cell;
 *   - bytes and objects are the sums over the live blocks.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "allocs.h"

struct block {
	uint64_t addr;
	uint64_t time_ns;
	uint64_t bytes, objects;
	uint32_t *funcs; /* root first */
	uint32_t n;
	int32_t tid;
	bool oncpu, gc;
	uint64_t coro_id;
	uint32_t labels_id;
};

struct allocs {
	struct block *b;
	size_t n, cap;
	uint32_t *idx; /* slot + 1, 0: empty */
	size_t mask;   /* idx has mask + 1 cells */
	uint64_t bytes, objects, dropped;
};

static size_t home(const struct allocs *a, uint64_t addr)
{
	uint64_t h = addr * 0x9e3779b97f4a7c15ull;

	return (size_t)(h ^ (h >> 29)) & a->mask;
}

struct allocs *allocs_new(void)
{
	return calloc(1, sizeof(struct allocs));
}

void allocs_free(struct allocs *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->b[i].funcs);
	free(a->b);
	free(a->idx);
	free(a);
}

/* the cell holding addr, or the empty cell where it would go */
static size_t find(const struct allocs *a, uint64_t addr)
{
	size_t i = home(a, addr);

	while (a->idx[i] && a->b[a->idx[i] - 1].addr != addr)
		i = (i + 1) & a->mask;
	return i;
}

static int grow_index(struct allocs *a)
{
	size_t cells = a->mask ? (a->mask + 1) * 2 : 1024;
	uint32_t *idx = calloc(cells, sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	free(a->idx);
	a->idx = idx;
	a->mask = cells - 1;
	for (size_t s = 0; s < a->n; s++)
		a->idx[find(a, a->b[s].addr)] = (uint32_t)s + 1;
	return 0;
}

/* removes the index cell i, moving back the blocks after it */
static void unindex(struct allocs *a, size_t i)
{
	size_t j = i;

	a->idx[i] = 0;
	for (;;) {
		size_t k;

		j = (j + 1) & a->mask;
		if (!a->idx[j])
			return;
		k = home(a, a->b[a->idx[j] - 1].addr);
		/* the block at j may move to i if its home is not in (i, j] */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			a->idx[i] = a->idx[j];
			a->idx[j] = 0;
			i = j;
		}
	}
}

bool allocs_release(struct allocs *a, uint64_t addr, allocs_release_fn fn, void *arg)
{
	size_t i, s, last;

	if (!a->n)
		return false;
	i = find(a, addr);
	if (!a->idx[i])
		return false;
	s = a->idx[i] - 1;
	if (fn) {
		const struct block *b = &a->b[s];
		struct profile_sample ps = {.time_ns = b->time_ns,
					    .tid = b->tid,
					    .oncpu = b->oncpu,
					    .weight = b->bytes,
					    .funcs = b->funcs,
					    .n = b->n,
					    .coro_id = b->coro_id,
					    .labels_id = b->labels_id};

		fn(arg, &ps, b->bytes);
	}
	unindex(a, i);
	a->bytes -= a->b[s].bytes;
	a->objects -= a->b[s].objects;
	free(a->b[s].funcs);
	last = --a->n;
	if (s != last) {
		a->b[s] = a->b[last];
		a->idx[find(a, a->b[s].addr)] = (uint32_t)s + 1;
	}
	return true;
}

int allocs_add(struct allocs *a, uint64_t addr, const struct profile_sample *s, uint64_t bytes,
	       uint64_t objects, bool gc)
{
	struct block *b;
	uint32_t *funcs;

	allocs_release(a, addr, NULL, NULL);
	if (a->n >= ALLOCS_MAX)
		goto fail;
	if ((a->n + 1) * 2 > a->mask + 1 && grow_index(a) < 0)
		goto fail;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct block *nb = realloc(a->b, cap * sizeof(*nb));

		if (!nb)
			goto fail;
		a->b = nb;
		a->cap = cap;
	}
	funcs = malloc((s->n ? s->n : 1) * sizeof(*funcs));
	if (!funcs)
		goto fail;
	memcpy(funcs, s->funcs, s->n * sizeof(*funcs));
	b = &a->b[a->n];
	*b = (struct block){
	    .addr = addr,
	    .time_ns = s->time_ns,
	    .bytes = bytes,
	    .objects = objects,
	    .funcs = funcs,
	    .n = s->n,
	    .tid = s->tid,
	    .oncpu = s->oncpu,
	    .gc = gc,
	    .coro_id = s->coro_id,
	    .labels_id = s->labels_id,
	};
	a->idx[find(a, addr)] = (uint32_t)++a->n;
	a->bytes += bytes;
	a->objects += objects;
	return 0;
fail:
	a->dropped++;
	return -ENOMEM;
}

size_t allocs_count(const struct allocs *a)
{
	return a->n;
}

uint64_t allocs_bytes(const struct allocs *a)
{
	return a->bytes;
}

uint64_t allocs_objects(const struct allocs *a)
{
	return a->objects;
}

uint64_t allocs_dropped(const struct allocs *a)
{
	return a->dropped;
}

int allocs_fill(const struct allocs *a, struct profile *p, bool objects, uint64_t gc_ns)
{
	profile_clear(p);
	for (size_t i = 0; i < a->n; i++) {
		const struct block *b = &a->b[i];
		struct profile_sample s = {
		    .time_ns = b->time_ns,
		    .tid = b->tid,
		    .oncpu = b->oncpu,
		    .weight = objects ? b->objects : b->bytes,
		    .funcs = b->funcs,
		    .n = b->n,
		    .coro_id = b->coro_id,
		    .labels_id = b->labels_id,
		};

		if (b->gc && b->time_ns >= gc_ns)
			continue; /* no collection has found it alive yet */
		if (profile_add(p, &s) < 0)
			return -ENOMEM;
	}
	return 0;
}
