/*
 * allocs.h - the live sampled allocations of a target: what is still in
 * use, by stack.
 *
 * The allocation consumer (live.c) adds every sampled block that the
 * runtime will report the release of (FT_REC_ALLOC without
 * FT_ALLOC_UNTRACKED) with its symbolized stack, context and estimated
 * weights, and releases it at its FT_REC_FREE.  What is left is the
 * in-use heap as the samples estimate it; allocs_fill turns it into a
 * profile weighed by bytes or by objects.  Blocks sampled before the
 * reader attached are not known (their frees are ignored).  A collected
 * heap's block (libgc's) is in use once a collection found it alive:
 * what was allocated since the last one is not known to be alive yet
 * (Go's heap profile says the same).
 *
 * Single-threaded.  Memory grows with the live blocks, at most
 * ALLOCS_MAX of them (more are counted in allocs_dropped).
 */
#ifndef FT_ALLOCS_H
#define FT_ALLOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "profile.h"

#define ALLOCS_MAX (4u << 20)

struct allocs;

struct allocs *allocs_new(void);
void allocs_free(struct allocs *a); /* NULL is a no-op */

/* Adds the live block at addr: s is its stack and context (s->weight is
 * ignored, the funcs are copied), bytes and objects its estimates, gc
 * true for a collected heap's block.  A block already known at addr (its
 * release was lost) is replaced.  0, or -ENOMEM (counted in
 * allocs_dropped). */
int allocs_add(struct allocs *a, uint64_t addr, const struct profile_sample *s, uint64_t bytes,
	       uint64_t objects, bool gc);

/* Releases the block at addr: true if it was known; fn (NULL: none) is
 * called first with the block as it was added (its time, stack and
 * context in *s, valid for the call) and its estimated bytes. */
typedef void (*allocs_release_fn)(void *arg, const struct profile_sample *s, uint64_t bytes);
bool allocs_release(struct allocs *a, uint64_t addr, allocs_release_fn fn, void *arg);

/* Blocks live now, and their estimated bytes and objects. */
size_t allocs_count(const struct allocs *a);
uint64_t allocs_bytes(const struct allocs *a);
uint64_t allocs_objects(const struct allocs *a);
uint64_t allocs_dropped(const struct allocs *a);

/* Clears p and adds every live block to it, weighed by its estimated
 * objects (objects true) or bytes, but the collected heap's blocks
 * allocated at or after gc_ns (the start of the last collection; 0: none
 * yet, so none of them).  0, or -ENOMEM. */
int allocs_fill(const struct allocs *a, struct profile *p, bool objects, uint64_t gc_ns);

#endif
