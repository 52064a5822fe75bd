/*
 * gctimeline.c - the GC timeline model (see gctimeline.h).
 *
 * This file contains the decoding of struct ft_gc records, a ring of the
 * newest GCTIMELINE_KEEP collections in the order they arrived (the
 * writer commits a record when its collection ends, and collections of
 * one collector do not overlap, so arrival order is end-time order), the
 * summary of a span and the gctrace line.
 *
 * "Used" bytes: for libgc, the heap size minus its free bytes (both read
 * by the runtime at the start and at the end of the collection: libgc's
 * lazy sweeping makes the "after" figure count only whole free blocks);
 * for the API, the heap sizes the program gave.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gctimeline.h"

_Static_assert(sizeof(struct ft_gc) == 320, "struct ft_gc as flametop-shm(5) draws it");

struct gctimeline {
	uint64_t origin_ns;
	struct gc_cycle *ring; /* GCTIMELINE_KEEP entries, allocated as needed */
	size_t cap;	       /* entries allocated */
	size_t first, n;       /* oldest kept, how many */
	uint64_t total;	       /* collections ever added */
	uint64_t invalid;
	uint64_t counted; /* numbers handed to collections without their own */
};

struct gctimeline *gctimeline_new(uint64_t origin_ns)
{
	struct gctimeline *t = calloc(1, sizeof(*t));

	if (t)
		t->origin_ns = origin_ns;
	return t;
}

void gctimeline_free(struct gctimeline *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		free(t->ring[i].pc);
	free(t->ring);
	free(t);
}

bool gctimeline_check(const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_gc *g = (const struct ft_gc *)rec;
	uint64_t dur;

	if (len < sizeof(*g) || g->nframes > FT_MAX_DEPTH ||
	    sizeof(*g) + (size_t)g->nframes * sizeof(g->pc[0]) > len)
		return false;
	if (g->nphases > FT_GC_PHASES || g->start_ns > g->end_ns)
		return false;
	if (g->source != FT_GC_SOURCE_API && g->source != FT_GC_SOURCE_LIBGC)
		return false;
	dur = g->end_ns - g->start_ns;
	for (uint16_t i = 0; i < g->nphases; i++) {
		const struct ft_gc_phase *p = &g->phase[i];

		if (p->start_ns > dur || p->dur_ns > dur - p->start_ns)
			return false;
	}
	return true;
}

/* a phase name made safe to print in one gctrace field: bounded, and
 * blanks, control bytes, '+' and ',' replaced by '_' */
static void phase_name(char *out, const char *in)
{
	size_t i;

	for (i = 0; i + 1 < FT_GC_PHASE_NAME && in[i]; i++) {
		unsigned char ch = (unsigned char)in[i];

		out[i] = ch <= ' ' || ch >= 0x7f || ch == '+' || ch == ',' ? '_' : (char)ch;
	}
	out[i] = '\0';
}

/* the slot for the next collection: a fresh one, or the oldest */
static struct gc_cycle *next_slot(struct gctimeline *t)
{
	size_t i;

	if (t->n == GCTIMELINE_KEEP) {
		i = t->first;
		t->first = (t->first + 1) % GCTIMELINE_KEEP;
		return &t->ring[i];
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct gc_cycle *r;

		if (cap > GCTIMELINE_KEEP)
			cap = GCTIMELINE_KEEP;
		r = realloc(t->ring, cap * sizeof(*r));
		if (!r)
			return NULL;
		memset(r + t->cap, 0, (cap - t->cap) * sizeof(*r));
		t->ring = r;
		t->cap = cap;
	}
	/* while n < KEEP nothing wrapped: first is 0 */
	return &t->ring[t->n++];
}

const struct gc_cycle *gctimeline_add(struct gctimeline *t, const struct ft_rec_hdr *rec,
				      uint32_t len)
{
	const struct ft_gc *g = (const struct ft_gc *)rec;
	struct gc_cycle *c;
	uint64_t *pc = NULL;

	if (!gctimeline_check(rec, len)) {
		t->invalid++;
		return NULL;
	}
	if (g->nframes) {
		pc = malloc((size_t)g->nframes * sizeof(*pc));
		if (!pc)
			return NULL;
		memcpy(pc, g->pc, (size_t)g->nframes * sizeof(*pc));
	}
	c = next_slot(t);
	if (!c) {
		free(pc);
		return NULL;
	}
	free(c->pc);
	memset(c, 0, sizeof(*c));
	c->flags = g->flags;
	c->number = (g->flags & FT_GC_HAVE_NUMBER) ? g->number : ++t->counted;
	c->start_ns = g->start_ns;
	c->end_ns = g->end_ns;
	c->pause_ns = g->pause_ns;
	c->heap_before = g->heap_before;
	c->heap_after = g->heap_after;
	if (g->flags & FT_GC_HAVE_FREE) {
		c->used_before =
		    g->heap_before > g->free_before ? g->heap_before - g->free_before : 0;
		c->used_after = g->heap_after > g->free_after ? g->heap_after - g->free_after : 0;
	} else {
		c->used_before = g->heap_before;
		c->used_after = g->heap_after;
	}
	if (g->flags & FT_GC_HAVE_ALLOC)
		c->allocated = g->allocated;
	if (g->flags & FT_GC_HAVE_FREED)
		c->freed = g->freed;
	c->tid = g->tid;
	c->thread_bytes = (g->flags & FT_GC_HAVE_THREAD_BYTES) ? g->thread_bytes : 0;
	c->source = g->source;
	c->reason = g->reason <= FT_GC_REASON_OTHER ? g->reason : FT_GC_REASON_UNKNOWN;
	c->nphases = g->nphases;
	for (uint16_t i = 0; i < g->nphases; i++) {
		phase_name(c->phase[i].name, g->phase[i].name);
		c->phase[i].start_ns = g->phase[i].start_ns;
		c->phase[i].dur_ns = g->phase[i].dur_ns;
	}
	c->nframes = g->nframes;
	c->pc = pc;
	t->total++;
	return c;
}

size_t gctimeline_count(const struct gctimeline *t)
{
	return t->n;
}

const struct gc_cycle *gctimeline_get(const struct gctimeline *t, size_t i)
{
	if (i >= t->n)
		return NULL;
	return &t->ring[(t->first + i) % GCTIMELINE_KEEP];
}

uint64_t gctimeline_total(const struct gctimeline *t)
{
	return t->total;
}

uint64_t gctimeline_invalid(const struct gctimeline *t)
{
	return t->invalid;
}

uint64_t gctimeline_origin(const struct gctimeline *t)
{
	return t->origin_ns;
}

size_t gctimeline_find(const struct gctimeline *t, uint64_t t_ns)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gctimeline_get(t, mid)->end_ns < t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* nearest rank: the smallest value with at least q of them at or below */
static uint64_t quantile(const uint64_t *v, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

int gctimeline_summary(const struct gctimeline *t, uint64_t from_ns, uint64_t to_ns,
		       struct gc_summary *out)
{
	size_t i = gctimeline_find(t, from_ns), n = 0;
	uint64_t *pauses;

	memset(out, 0, sizeof(*out));
	if (!from_ns)
		from_ns = t->origin_ns;
	out->span_ns = to_ns > from_ns ? to_ns - from_ns : 0;
	pauses = malloc((t->n ? t->n : 1) * sizeof(*pauses));
	if (!pauses)
		return -ENOMEM;
	for (; i < t->n; i++) {
		const struct gc_cycle *c = gctimeline_get(t, i);

		if (c->end_ns > to_ns)
			break;
		pauses[n++] = c->pause_ns;
		out->pause_total_ns += c->pause_ns;
		out->work_total_ns += c->end_ns - c->start_ns;
		if (c->flags & FT_GC_HAVE_ALLOC) {
			out->allocated_total += c->allocated;
			out->allocated_known++;
		}
		out->last = c;
	}
	out->collections = n;
	qsort(pauses, n, sizeof(*pauses), cmp_u64);
	out->pause_p50_ns = quantile(pauses, n, 0.50);
	out->pause_p99_ns = quantile(pauses, n, 0.99);
	out->pause_max_ns = n ? pauses[n - 1] : 0;
	free(pauses);
	if (out->span_ns) {
		double s = (double)out->span_ns / 1e9;

		out->rate_per_s = (double)n / s;
		out->pause_share = (double)out->pause_total_ns / (double)out->span_ns;
		out->work_share = (double)out->work_total_ns / (double)out->span_ns;
		out->alloc_rate = (double)out->allocated_total / s;
		if (out->pause_share > 1)
			out->pause_share = 1;
		if (out->work_share > 1)
			out->work_share = 1;
	}
	if (out->allocated_known)
		out->alloc_per_gc = (double)out->allocated_total / (double)out->allocated_known;
	return 0;
}

const char *gctimeline_reason_name(uint16_t reason)
{
	switch (reason) {
	case FT_GC_REASON_ALLOC:
		return "alloc";
	case FT_GC_REASON_EXPLICIT:
		return "explicit";
	case FT_GC_REASON_OTHER:
		return "other";
	default:
		return "unknown";
	}
}

#define MB(x) ((double)(x) / (1024.0 * 1024.0))

/* appends to buf at *off, keeping *off the length snprintf would give */
static void put(char *buf, size_t len, int *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t len, int *off, const char *fmt, ...)
{
	va_list ap;
	size_t at = (size_t)*off < len ? (size_t)*off : len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += n;
}

int gctimeline_format(const struct gc_cycle *c, uint64_t origin_ns, char *buf, size_t len)
{
	double at = c->start_ns >= origin_ns ? (double)(c->start_ns - origin_ns) / 1e9 : 0;
	int off = 0;

	if (len)
		buf[0] = '\0';
	put(buf, len, &off, "gc %llu @%.3fs: %.3f ms pause", (unsigned long long)c->number, at,
	    (double)c->pause_ns / 1e6);
	if (c->nphases) {
		for (uint16_t i = 0; i < c->nphases; i++)
			put(buf, len, &off, "%s%.3f", i ? "+" : ", ",
			    (double)c->phase[i].dur_ns / 1e6);
		put(buf, len, &off, " ms");
		for (uint16_t i = 0; i < c->nphases; i++)
			put(buf, len, &off, "%s%s", i ? "+" : " ",
			    c->phase[i].name[0] ? c->phase[i].name : "?");
	}
	put(buf, len, &off, ", %.2f->%.2f MB", MB(c->used_before), MB(c->used_after));
	if (c->flags & FT_GC_HAVE_FREE)
		put(buf, len, &off, ", %.2f MB heap", MB(c->heap_after));
	if (c->flags & FT_GC_HAVE_ALLOC)
		put(buf, len, &off, ", %.2f MB allocated", MB(c->allocated));
	if (c->flags & FT_GC_HAVE_FREED)
		put(buf, len, &off, ", %.2f MB freed", MB(c->freed));
	put(buf, len, &off, ", %s", gctimeline_reason_name(c->reason));
	return off;
}

int gctimeline_column(uint64_t t_ns, uint64_t from_ns, uint64_t to_ns, int width)
{
	unsigned __int128 x;

	if (width <= 0 || to_ns <= from_ns || t_ns < from_ns || t_ns >= to_ns)
		return -1;
	x = (unsigned __int128)(t_ns - from_ns) * (unsigned)width / (to_ns - from_ns);
	return (int)x;
}
