/*
 * coros.h - a target's coroutines: a snapshot of its coroutine table with
 * symbolized parked stacks (the goroutine dump of a native program).
 *
 * A snapshot copies every coroutine in use (seqlocked copies, see
 * segment_coros), its label set as text and, for a parked coroutine whose
 * stack the runtime has read, that stack as function ids, root first, the
 * runtime's own frames left out.  Rows stay valid until the next
 * coros_snapshot or coros_free.
 */
#ifndef FT_COROS_H
#define FT_COROS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flametop-shm.h"
#include "funcs.h"
#include "segment.h"
#include "symbols.h"

struct coro_row {
	uint64_t id, parent_id;
	char name[FT_NAME_LEN];
	enum ft_coro_state state;
	int32_t tid;	      /* runs on, or last ran on; 0: never ran */
	uint32_t flags;	      /* FT_CORO_* */
	uint64_t created_ns;  /* CLOCK_MONOTONIC */
	uint64_t in_state_ns; /* how long in its state, as of the snapshot */
	uint64_t cpu_ns, samples;
	char reason[FT_CORO_REASON_LEN];
	uint32_t labels_id;
	char labels[FT_LABELS_MAX * (FT_LABEL_KEY_LEN + FT_LABEL_VALUE_LEN)]; /* "k=v,k=v" */
	const uint32_t *stack; /* function ids, root first */
	uint32_t nstack;       /* 0: not parked, or its stack is not known yet */
};

struct coros;

struct coros *coros_new(struct funcs *f); /* f borrowed; NULL if out of memory */
void coros_free(struct coros *c);	  /* NULL is a no-op */

/* Replaces the snapshot with seg's table now; sym resolves the parked
 * stacks (its modules registered by the caller).  Returns the number of
 * rows, -ENOENT if the segment has no coroutine table, -ENOMEM. */
int coros_snapshot(struct coros *c, struct segment *seg, struct symbols *sym);

/* Snapshots leave the stacks out (for callers that want the names). */
void coros_names_only(struct coros *c, bool on);

const struct coro_row *coros_rows(const struct coros *c, size_t *n);

/* Parked coroutines of the snapshot whose stack is not known yet. */
size_t coros_unknown_stacks(const struct coros *c);

/* The table's counters as of the snapshot. */
const struct ft_corotab *coros_counters(const struct coros *c);

/* "running", "runnable", "parked", "exited" or "?" */
const char *coros_state_name(uint32_t state);

/* Formats label set id of seg as "k=v,k=v" into out ("" for none,
 * "[labels lost]" when the runtime could not keep it). */
void coros_format_labels(struct segment *seg, uint32_t id, char *out, size_t len);

#endif
