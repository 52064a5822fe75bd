/*
 * records.c - validation and dispatch of ring records (see records.h).
 *
 * This file contains the table of record kinds this viewer knows, each
 * with the checks a record of that kind must pass before a consumer sees
 * it, and the dispatch from a kind to its registered consumer.  A new
 * kind is one entry in kinds[] (its check function) and one consumer
 * registered by whoever wants its records (records_on).  Invariants:
 *   - a consumer sees only records that passed the generic checks of the
 *     ring reader (tag, len, body check) and the checks of their kind;
 *   - every record handed in ends in exactly one counter: delivered,
 *     invalid, unknown or unclaimed (pads are never handed in).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gctimeline.h"
#include "records.h"

/* A whole sample: its fixed part, nframes <= max_depth, its frames inside
 * len. */
static bool check_sample(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_sample *s = (const struct ft_sample *)rec;

	if (len < sizeof(*s) || s->nframes > r->max_depth)
		return false;
	return sizeof(*s) + (size_t)s->nframes * sizeof(s->pc[0]) <= len;
}

/* The event kinds: a whole struct ft_event (their bodies are defined by
 * later formats; a reader checks at least that much). */
static bool check_event(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	(void)r;
	(void)rec;
	return len >= sizeof(struct ft_event);
}

/* A garbage collection: struct ft_gc by the rules of gctimeline_check. */
static bool check_gc(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	(void)r;
	return gctimeline_check(rec, len);
}

/* A sampled allocation: its fixed part, nframes <= max_depth, its frames
 * inside len, estimates no smaller than what they estimate, a known
 * source. */
static bool check_alloc(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_alloc *a = (const struct ft_alloc *)rec;

	if (len < sizeof(*a) || a->nframes > r->max_depth)
		return false;
	if (sizeof(*a) + (size_t)a->nframes * sizeof(a->pc[0]) > len)
		return false;
	return a->weight_objects >= 1 && a->weight_bytes >= a->size &&
	       a->source >= FT_ALLOC_MALLOC && a->source <= FT_ALLOC_GC;
}

/* The release of a sampled block: a whole struct ft_free. */
static bool check_free(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	(void)r;
	(void)rec;
	return len >= sizeof(struct ft_free);
}

static const struct {
	const char *name;
	bool (*check)(const struct records *r, const struct ft_rec_hdr *rec, uint32_t len);
} kinds[] = {
    [FT_REC_PAD] = {"pad", NULL},
    [FT_REC_SAMPLE] = {"sample", check_sample},
    [FT_REC_GC] = {"gc", check_gc},
    [FT_REC_CORO] = {"coroutine", check_event},
    [FT_REC_ALLOC] = {"allocation", check_alloc},
    [FT_REC_FREE] = {"free", check_free},
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

bool records_known(uint16_t kind)
{
	return kind < NKINDS && kinds[kind].check;
}

const char *records_kind_name(uint16_t kind)
{
	return kind < NKINDS ? kinds[kind].name : NULL;
}

void records_init(struct records *r, uint32_t max_depth)
{
	memset(r, 0, sizeof(*r));
	r->max_depth = max_depth;
}

void records_release(struct records *r)
{
	free(r->c);
	r->c = NULL;
	r->nc = 0;
}

int records_on(struct records *r, uint16_t kind, records_fn fn, void *arg)
{
	if (kind >= r->nc) {
		size_t n = (size_t)kind + 1;
		struct records_consumer *c;

		if (!fn)
			return 0;
		c = realloc(r->c, n * sizeof(*c));
		if (!c)
			return -ENOMEM;
		memset(c + r->nc, 0, (n - r->nc) * sizeof(*c));
		r->c = c;
		r->nc = n;
	}
	r->c[kind].fn = fn;
	r->c[kind].arg = arg;
	return 0;
}

int records_dispatch(struct records *r, const struct ft_rec_hdr *rec, uint32_t len)
{
	uint16_t kind = rec->kind;

	if (!records_known(kind)) {
		r->unknown++;
		return 0;
	}
	if (!kinds[kind].check(r, rec, len)) {
		r->invalid++;
		return 0;
	}
	if (kind >= r->nc || !r->c[kind].fn) {
		r->unclaimed++;
		return 0;
	}
	r->delivered++;
	return r->c[kind].fn(r->c[kind].arg, rec, len) ? 1 : 0;
}
