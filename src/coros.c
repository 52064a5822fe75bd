/*
 * coros.c - snapshots of a target's coroutine table.
 *
 * This file contains the model behind `flametop coros` and the coroutine
 * view: a copy of every coroutine in use with its parked stack resolved to
 * function ids.  Invariants: a row's stack is the stack of the park the row
 * describes (segment_coro_stack checks the park sequence), never an older
 * one; the runtime's own frames (libflametop.so, its wrappers around
 * swapcontext) are left out, as in samples.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coros.h"
#include "util.h"

struct coros {
	struct funcs *f;
	struct coro_row *rows;
	size_t n, cap;
	uint32_t *frames; /* every row's stack, one after another */
	size_t nframes, frames_cap;
	size_t unknown;
	struct ft_corotab tab;
	struct ft_coro *copy;
	size_t copy_cap;
	bool names_only;
};

struct coros *coros_new(struct funcs *f)
{
	struct coros *c = calloc(1, sizeof(*c));

	if (c)
		c->f = f;
	return c;
}

void coros_free(struct coros *c)
{
	if (!c)
		return;
	free(c->rows);
	free(c->frames);
	free(c->copy);
	free(c);
}

const char *coros_state_name(uint32_t state)
{
	static const char *const names[] = {"free", "running", "runnable", "parked", "exited"};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

void coros_format_labels(struct segment *seg, uint32_t id, char *out, size_t len)
{
	struct segment_labels l;
	size_t o = 0;
	int n = segment_labels(seg, id, &l);

	out[0] = '\0';
	if (n == -ENOENT) {
		snprintf(out, len, "[labels lost]");
		return;
	}
	for (int i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s=%s", i ? "," : "", l.key[i],
				      l.value[i]);
}

static bool runtime_frame(const struct funcs *f, uint32_t id)
{
	return strncmp(funcs_module(f, id), "libflametop.so", 14) == 0;
}

/* appends the parked stack of e, root first; the number of frames */
static uint32_t add_stack(struct coros *c, struct segment *seg, struct symbols *sym,
			  const struct ft_coro *e)
{
	uint64_t pc[FT_MAX_DEPTH];
	int n = sym && !c->names_only ? segment_coro_stack(seg, e, pc, FT_MAX_DEPTH) : 0;
	uint32_t k = 0;

	if (n <= 0)
		return 0;
	for (int i = n; i-- > 0;) {
		const struct symbols_frame *fr;
		uint32_t nf = symbols_frames(sym, pc[i], true, &fr);
		struct symbols_frame unknown = {.func = 0};

		if (!nf) {
			fr = &unknown;
			nf = 1;
		}
		if (c->nframes + k + nf > c->frames_cap) {
			size_t cap = (c->frames_cap + (size_t)n + nf) * 2;
			uint32_t *p = realloc(c->frames, cap * sizeof(*p));

			if (!p)
				break;
			c->frames = p;
			c->frames_cap = cap;
		}
		for (uint32_t j = 0; j < nf; j++) {
			uint32_t id = fr[j].func;

			if (!id)
				id = funcs_intern(c->f, "[unknown]", "[unknown]");
			if (!runtime_frame(c->f, id))
				c->frames[c->nframes + k++] = id;
		}
	}
	c->nframes += k;
	return k;
}

int coros_snapshot(struct coros *c, struct segment *seg, struct symbols *sym)
{
	const struct ft_header *h = segment_header(seg);
	size_t max = h->regions[FT_REGION_COROS].count, n;
	uint64_t now = util_mono_ns();
	size_t *at;

	if (segment_corotab(seg, &c->tab) < 0)
		return -ENOENT;
	if (max > c->tab.used)
		max = c->tab.used;
	if (max > c->copy_cap) {
		struct ft_coro *p = realloc(c->copy, max * sizeof(*p));
		struct coro_row *r = realloc(c->rows, max * sizeof(*r));

		if (p)
			c->copy = p;
		if (r)
			c->rows = r;
		if (!p || !r)
			return -ENOMEM;
		c->copy_cap = max;
	}
	n = segment_coros(seg, c->copy, max);
	at = calloc(n ? n : 1, sizeof(*at));
	if (!at)
		return -ENOMEM;
	c->n = 0;
	c->nframes = 0;
	c->unknown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ft_coro *e = &c->copy[i];
		struct coro_row *r = &c->rows[c->n++];

		memset(r, 0, offsetof(struct coro_row, labels));
		r->id = e->id;
		r->parent_id = e->parent_id;
		memcpy(r->name, e->name, sizeof(r->name));
		if (!r->name[0] && e->entry_pc && sym) {
			uint32_t fid = symbols_resolve(sym, e->entry_pc, false);

			if (fid)
				snprintf(r->name, sizeof(r->name), "%s", funcs_name(c->f, fid));
		}
		r->state = (enum ft_coro_state)e->state;
		r->tid = e->tid;
		r->flags = e->flags;
		r->created_ns = e->created_ns;
		r->in_state_ns = now > e->state_ns ? now - e->state_ns : 0;
		r->cpu_ns = e->cpu_ns;
		r->samples = e->samples;
		memcpy(r->reason, e->reason, sizeof(r->reason));
		r->labels_id = e->labels_id;
		coros_format_labels(seg, e->labels_id, r->labels, sizeof(r->labels));
		at[c->n - 1] = c->nframes;
		r->nstack = add_stack(c, seg, sym, e);
		if (e->state == FT_CORO_PARKED && !r->nstack)
			c->unknown++;
	}
	/* frames may have moved while growing: point the rows at them now */
	for (size_t i = 0; i < c->n; i++)
		c->rows[i].stack = c->frames ? c->frames + at[i] : NULL;
	free(at);
	return (int)c->n;
}

void coros_names_only(struct coros *c, bool on)
{
	c->names_only = on;
}

const struct coro_row *coros_rows(const struct coros *c, size_t *n)
{
	*n = c->n;
	return c->rows;
}

size_t coros_unknown_stacks(const struct coros *c)
{
	return c->unknown;
}

const struct ft_corotab *coros_counters(const struct coros *c)
{
	return &c->tab;
}
