/*
 * profile.c - stack samples over a sliding time window (see profile.h).
 *
 * Layout:
 *
 *   stacks:  pool [f f f f f f f ...]   every distinct stack's func ids
 *            st[id] = {off, n, hash, gen, leaf}   stab: hash -> id + 1
 *   threads: thr[idx] = struct profile_thread     ttab: tid -> idx + 1
 *   ctxs:    cx[id] = {struct profile_ctx, thread idx}  ctab: hash -> id + 1
 *   cum:     one aggregate (stack id, context id) -> (weight, count) over
 *            everything since start / profile_clear
 *   slices:  sl[0..nsl-1], ascending by second, each with one such
 *            aggregate per tenth of that second of time_ns (PROFILE_HEAT_HZ
 *            buckets: heatmaps, bursts and ranges of tenths read them),
 *            and each bucket's sample count and value
 *   tree:    the call tree of what passes the filter in the window
 *
 * The tree shows cum (window 0) or the buckets flagged in a slice's shown
 * mask (a window: whole seconds; a range: tenths).
 * Per-second slices are retained for max(window, retain) seconds; retain
 * (60 s by default, profile_set_retain) lets "everything" switch to a
 * window without starting empty; with window 0 and retain 0 no slice is
 * kept and memory is bounded by the distinct (stack, context) keys.
 *
 * Invariants:
 *  - tree == sum over the shown aggregate's entries that pass the filter;
 *  - st[id].leaf is the tree node of stack id iff st[id].gen == gen; gen
 *    is bumped whenever the tree is cleared, and leaves whose node has zero
 *    totals are forgotten before calltree_prune (which frees only those);
 *  - an aggregate entry with count 0 is an empty slot (every sample counts 1);
 *  - slices are sorted by sec with no duplicates; with a window, a slice's
 *    shown mask is full when its end lies after now - window, else 0; with
 *    a range, it has the buckets that start inside the range.
 *
 * Once a stack and its slice entry exist, profile_add allocates nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hide.h"
#include "profile.h"

#define NS_PER_SEC 1000000000ull
#define DEFAULT_RETAIN_NS (60 * NS_PER_SEC)
#define NS_PER_BUCKET (NS_PER_SEC / PROFILE_HEAT_HZ)
#define ALL_BUCKETS ((1u << PROFILE_HEAT_HZ) - 1)

struct stack {
	uint32_t off, n;
	uint32_t hash, gen;
	struct ctnode *leaf;
};

struct entry {
	uint32_t stack, ctx; /* stack id, context id */
	uint64_t weight, count;
};

struct ctx {
	struct profile_ctx c;
	uint32_t thr; /* index into thr[] */
	uint32_t hash;
};

struct agg {
	struct entry *e;
	uint32_t mask, used; /* mask + 1 slots, or 0 slots when e is NULL */
};

struct slice {
	uint64_t sec;
	uint32_t shown; /* bit b: bucket b is in the tree */
	struct agg agg[PROFILE_HEAT_HZ];
	uint64_t heat_n[PROFILE_HEAT_HZ], heat_v[PROFILE_HEAT_HZ];
};

struct profile {
	struct funcs *funcs;
	struct calltree *tree;
	char measure[16];
	enum unit unit;

	uint32_t *pool;
	size_t pool_n, pool_cap;
	struct stack *st;
	uint32_t nst, stcap;
	uint32_t *stab;
	uint32_t stmask;
	uint32_t gen;

	struct profile_thread *thr;
	uint32_t nthr, thrcap;
	uint32_t *ttab;
	uint32_t tmask;
	int32_t last_tid;
	uint32_t last_thr;

	enum profile_grouping grouping;
	uint32_t *gbuf; /* a grouped or transformed stack being built */
	uint32_t *grep; /* its frames' repeats (hide_apply) */
	size_t gcap;
	uint32_t gn;	   /* gbuf's length after tree_stack */
	struct hide *hide; /* borrowed; NULL: stacks as they are */

	struct ctx *cx;
	uint32_t ncx, cxcap;
	uint32_t *ctab;
	uint32_t cxmask;

	struct agg cum;
	struct slice **sl;
	size_t nsl, slcap;

	uint64_t window, retain, now;
	uint64_t rfrom, rto; /* profile_set_range; rto 0: no range */
	int32_t ftid;
	enum profile_oncpu foncpu;
	uint64_t fcoro; /* 0: every coroutine (and none) */

	uint64_t total_count, total_weight, dropped;
	size_t zeroed;	/* leaves that fell to zero since the last prune */
	size_t nleaves; /* stacks with a leaf in the current tree */
};

/* --- aggregates --------------------------------------------------------- */

static inline uint32_t key_slot(uint32_t stack, uint32_t ctx, uint32_t mask)
{
	uint64_t key = (uint64_t)stack << 32 | ctx;

	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

static void agg_release(struct agg *a)
{
	free(a->e);
	memset(a, 0, sizeof(*a));
}

/* Room for one more key (so that agg_bump cannot fail). */
static int agg_reserve(struct agg *a)
{
	uint32_t ncap, i, s;
	struct entry *ne;

	if (a->e && (size_t)(a->used + 1) * 10 <= (size_t)(a->mask + 1) * 7)
		return 0;
	ncap = a->e ? (a->mask + 1) * 2 : 16;
	if (ncap == 0)
		return -ENOMEM;
	ne = calloc(ncap, sizeof(*ne));
	if (!ne)
		return -ENOMEM;
	if (a->e) {
		for (i = 0; i <= a->mask; i++) {
			if (!a->e[i].count)
				continue;
			for (s = key_slot(a->e[i].stack, a->e[i].ctx, ncap - 1); ne[s].count;
			     s = (s + 1) & (ncap - 1))
				;
			ne[s] = a->e[i];
		}
	}
	free(a->e);
	a->e = ne;
	a->mask = ncap - 1;
	return 0;
}

static void agg_bump(struct agg *a, uint32_t stack, uint32_t ctx, uint64_t weight)
{
	uint32_t s = key_slot(stack, ctx, a->mask);

	while (a->e[s].count) {
		if (a->e[s].stack == stack && a->e[s].ctx == ctx) {
			a->e[s].weight += weight;
			a->e[s].count++;
			return;
		}
		s = (s + 1) & a->mask;
	}
	a->e[s].stack = stack;
	a->e[s].ctx = ctx;
	a->e[s].weight = weight;
	a->e[s].count = 1;
	a->used++;
}

/* --- stacks ------------------------------------------------------------- */

static uint32_t stack_hash(const uint32_t *f, uint32_t n)
{
	uint64_t h = 0x243F6A8885A308D3ull ^ n;
	uint32_t i;

	for (i = 0; i < n; i++)
		h = (h ^ f[i]) * 0x100000001B3ull;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static int stab_grow(struct profile *p)
{
	uint32_t ncap = p->stab ? (p->stmask + 1) * 2 : 64, i, s;
	uint32_t *nt;

	if (ncap == 0)
		return -ENOMEM;
	nt = calloc(ncap, sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	for (i = 0; i < p->nst; i++) {
		for (s = p->st[i].hash & (ncap - 1); nt[s]; s = (s + 1) & (ncap - 1))
			;
		nt[s] = i + 1;
	}
	free(p->stab);
	p->stab = nt;
	p->stmask = ncap - 1;
	return 0;
}

/* The id of the stack, interning it if new; -ENOMEM (as a negative). */
static int64_t stack_intern(struct profile *p, const uint32_t *f, uint32_t n)
{
	uint32_t h = stack_hash(f, n), s, id;
	struct stack *x;

	if (p->stab) {
		for (s = h & p->stmask; p->stab[s]; s = (s + 1) & p->stmask) {
			x = &p->st[p->stab[s] - 1];
			if (x->hash == h && x->n == n &&
			    !memcmp(p->pool + x->off, f, (size_t)n * sizeof(*f)))
				return p->stab[s] - 1;
		}
	}
	if (p->nst >= UINT32_MAX / 2 || p->pool_n + n > UINT32_MAX)
		return -ENOMEM;
	if (!p->stab || (size_t)(p->nst + 1) * 2 > (size_t)p->stmask + 1) {
		if (stab_grow(p))
			return -ENOMEM;
	}
	if (p->nst == p->stcap) {
		uint32_t ncap = p->stcap ? p->stcap * 2 : 64;
		struct stack *ns = realloc(p->st, (size_t)ncap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		p->st = ns;
		p->stcap = ncap;
	}
	/* made with the first stack, even an empty one: pool + off is then
	 * never arithmetic on NULL */
	if (!p->pool || p->pool_n + n > p->pool_cap) {
		size_t ncap = p->pool_cap ? p->pool_cap : 1024;
		uint32_t *np;

		while (ncap < p->pool_n + n)
			ncap *= 2;
		np = realloc(p->pool, ncap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		p->pool = np;
		p->pool_cap = ncap;
	}
	id = p->nst++;
	x = &p->st[id];
	x->off = (uint32_t)p->pool_n;
	x->n = n;
	x->hash = h;
	x->gen = p->gen - 1;
	x->leaf = NULL;
	if (n)
		memcpy(p->pool + p->pool_n, f, (size_t)n * sizeof(*f));
	p->pool_n += n;
	for (s = h & p->stmask; p->stab[s]; s = (s + 1) & p->stmask)
		;
	p->stab[s] = id + 1;
	return id;
}

/* The tree node of stack id (created with zero weight if needed). */
static struct ctnode *stack_leaf(struct profile *p, uint32_t id)
{
	struct stack *x = &p->st[id];

	if (x->gen == p->gen && x->leaf)
		return x->leaf;
	x->leaf = calltree_add(p->tree, p->pool + x->off, x->n, 0, 0);
	x->gen = p->gen;
	if (x->leaf)
		p->nleaves++;
	return x->leaf;
}

/* --- threads ------------------------------------------------------------ */

static inline uint32_t tid_slot(int32_t tid, uint32_t mask)
{
	return ((uint32_t)tid * 0x9E3779B1u >> 8) & mask;
}

static int64_t thread_get(struct profile *p, int32_t tid)
{
	uint32_t s, ncap, i, idx;

	if (p->nthr && p->last_tid == tid)
		return p->last_thr;
	if (p->ttab) {
		for (s = tid_slot(tid, p->tmask); p->ttab[s]; s = (s + 1) & p->tmask) {
			if (p->thr[p->ttab[s] - 1].tid == tid) {
				p->last_tid = tid;
				p->last_thr = p->ttab[s] - 1;
				return p->last_thr;
			}
		}
	}
	if (p->nthr >= 0x7fffffffu)
		return -ENOMEM;
	if (!p->ttab || (size_t)(p->nthr + 1) * 2 > (size_t)p->tmask + 1) {
		uint32_t *nt;

		ncap = p->ttab ? (p->tmask + 1) * 2 : 16;
		nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		for (i = 0; i < p->nthr; i++) {
			for (s = tid_slot(p->thr[i].tid, ncap - 1); nt[s]; s = (s + 1) & (ncap - 1))
				;
			nt[s] = i + 1;
		}
		free(p->ttab);
		p->ttab = nt;
		p->tmask = ncap - 1;
	}
	if (p->nthr == p->thrcap) {
		struct profile_thread *n2;

		ncap = p->thrcap ? p->thrcap * 2 : 16;
		n2 = realloc(p->thr, (size_t)ncap * sizeof(*n2));
		if (!n2)
			return -ENOMEM;
		p->thr = n2;
		p->thrcap = ncap;
	}
	idx = p->nthr++;
	memset(&p->thr[idx], 0, sizeof(p->thr[idx]));
	p->thr[idx].tid = tid;
	for (s = tid_slot(tid, p->tmask); p->ttab[s]; s = (s + 1) & p->tmask)
		;
	p->ttab[s] = idx + 1;
	p->last_tid = tid;
	p->last_thr = idx;
	return idx;
}

/* --- contexts ----------------------------------------------------------- */

static uint32_t ctx_hash(const struct profile_ctx *c)
{
	uint64_t h = (uint64_t)(uint32_t)c->tid * 0x9E3779B97F4A7C15ull;

	h = (h ^ c->coro_id) * 0x100000001B3ull;
	h = (h ^ c->labels_id) * 0x100000001B3ull;
	h ^= c->oncpu ? 0x5bd1e995u : 0;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static bool ctx_equal(const struct profile_ctx *a, const struct profile_ctx *b)
{
	return a->tid == b->tid && a->oncpu == b->oncpu && a->coro_id == b->coro_id &&
	       a->labels_id == b->labels_id;
}

/* The id of context c (thread index thr), interning it if new; -ENOMEM. */
static int64_t ctx_intern(struct profile *p, const struct profile_ctx *c, uint32_t thr)
{
	uint32_t h = ctx_hash(c), s, i, id;

	if (p->ctab)
		for (s = h & p->cxmask; p->ctab[s]; s = (s + 1) & p->cxmask)
			if (p->cx[p->ctab[s] - 1].hash == h &&
			    ctx_equal(&p->cx[p->ctab[s] - 1].c, c))
				return p->ctab[s] - 1;
	if (p->ncx >= UINT32_MAX / 4)
		return -ENOMEM;
	if (!p->ctab || (size_t)(p->ncx + 1) * 2 > (size_t)p->cxmask + 1) {
		uint32_t ncap = p->ctab ? (p->cxmask + 1) * 2 : 16, *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		for (i = 0; i < p->ncx; i++) {
			for (s = p->cx[i].hash & (ncap - 1); nt[s]; s = (s + 1) & (ncap - 1))
				;
			nt[s] = i + 1;
		}
		free(p->ctab);
		p->ctab = nt;
		p->cxmask = ncap - 1;
	}
	if (p->ncx == p->cxcap) {
		uint32_t ncap = p->cxcap ? p->cxcap * 2 : 16;
		struct ctx *n2 = realloc(p->cx, (size_t)ncap * sizeof(*n2));

		if (!n2)
			return -ENOMEM;
		p->cx = n2;
		p->cxcap = ncap;
	}
	id = p->ncx++;
	p->cx[id].c = *c;
	p->cx[id].thr = thr;
	p->cx[id].hash = h;
	for (s = h & p->cxmask; p->ctab[s]; s = (s + 1) & p->cxmask)
		;
	p->ctab[s] = id + 1;
	return id;
}

/* --- groupings ---------------------------------------------------------- */

/* The pseudo-frame at the root of context ctx's samples under the current
 * grouping ("[thread 42 worker]"), or 0 for none. */
static uint32_t group_func(struct profile *p, uint32_t ctx)
{
	const struct profile_thread *t;
	char name[80];

	if (p->grouping != PROFILE_GROUP_THREAD)
		return 0;
	t = &p->thr[p->cx[ctx].thr];
	snprintf(name, sizeof(name), "[thread %d%s%s]", (int)t->tid, t->name[0] ? " " : "",
		 t->name);
	return funcs_intern(p->funcs, name, "");
}

/* Room for n frames in gbuf and grep; 0 or -ENOMEM. */
static int gbuf_reserve(struct profile *p, size_t n)
{
	uint32_t *nb, *nr;

	if (n <= p->gcap)
		return 0;
	n += 64;
	nb = realloc(p->gbuf, n * sizeof(*nb));
	if (nb)
		p->gbuf = nb;
	nr = realloc(p->grep, n * sizeof(*nr));
	if (nr)
		p->grep = nr;
	if (!nb || !nr)
		return -ENOMEM;
	p->gcap = n;
	return 0;
}

/* The id of the stack the tree shows for (stack sid, context ctx): sid
 * itself, or under a grouping the stack with the group's pseudo-frame
 * first, and with hiding (hide.h) the stack transformed (interned like
 * any other, in gbuf with its repeats in grep); -ENOMEM. */
static int64_t tree_stack(struct profile *p, uint32_t sid, uint32_t ctx)
{
	uint32_t g = group_func(p, ctx), n = p->st[sid].n, k = 0;

	if (!g && p->grouping != PROFILE_GROUP_NONE)
		return -ENOMEM;
	if (!g && !hide_active(p->hide))
		return sid;
	if (gbuf_reserve(p, (size_t)n + 1) < 0)
		return -ENOMEM;
	if (g) {
		p->gbuf[k] = g;
		p->grep[k++] = 1;
	}
	if (hide_active(p->hide)) {
		k += hide_apply(p->hide, p->funcs, p->pool + p->st[sid].off, n, p->gbuf + k,
				p->grep + k);
	} else {
		memcpy(p->gbuf + k, p->pool + p->st[sid].off, (size_t)n * sizeof(*p->gbuf));
		k += n;
	}
	p->gn = k;
	return stack_intern(p, p->gbuf, k);
}

static struct ctnode *tree_leaf(struct profile *p, uint32_t sid, uint32_t ctx)
{
	int64_t id = tree_stack(p, sid, ctx);
	struct ctnode *leaf = id < 0 ? NULL : stack_leaf(p, (uint32_t)id);

	if (leaf && hide_collapse(p->hide))
		hide_mark(leaf, p->grep, p->gn);
	return leaf;
}

/* --- slices and the window ---------------------------------------------- */

static inline uint64_t cutoff(uint64_t now, uint64_t span)
{
	return now > span ? now - span : 0;
}

static inline uint64_t slice_end(uint64_t sec)
{
	return sec >= UINT64_MAX / NS_PER_SEC ? UINT64_MAX : (sec + 1) * NS_PER_SEC;
}

static inline uint64_t horizon(const struct profile *p)
{
	return p->window > p->retain ? p->window : p->retain;
}

/* The buckets of second sec that the tree shows (a mask). */
static uint32_t slice_shown(const struct profile *p, uint64_t sec)
{
	uint32_t m = 0;

	if (p->rto) {
		for (int b = 0; b < PROFILE_HEAT_HZ; b++) {
			uint64_t t = sec * NS_PER_SEC + (uint64_t)b * NS_PER_BUCKET;

			if (t >= p->rfrom && t < p->rto)
				m |= 1u << b;
		}
		return m;
	}
	return p->window && slice_end(sec) > cutoff(p->now, p->window) ? ALL_BUCKETS : 0;
}

/* Is the tree made of the shown slices (a window or a range), rather than
 * of the cumulative aggregate. */
static bool sliced(const struct profile *p)
{
	return p->window || p->rto;
}

static void slice_free(struct slice *s)
{
	if (!s)
		return;
	for (int b = 0; b < PROFILE_HEAT_HZ; b++)
		agg_release(&s->agg[b]);
	free(s);
}

/* The slice for second sec, created if needed; NULL on ENOMEM. */
static struct slice *slice_get(struct profile *p, uint64_t sec)
{
	size_t i;
	struct slice *s;

	if (p->nsl && p->sl[p->nsl - 1]->sec == sec)
		return p->sl[p->nsl - 1];
	for (i = p->nsl; i > 0 && p->sl[i - 1]->sec > sec; i--)
		;
	if (i > 0 && p->sl[i - 1]->sec == sec)
		return p->sl[i - 1];
	if (p->nsl == p->slcap) {
		size_t ncap = p->slcap ? p->slcap * 2 : 16;
		struct slice **n2 = realloc(p->sl, ncap * sizeof(*n2));

		if (!n2)
			return NULL;
		p->sl = n2;
		p->slcap = ncap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->sec = sec;
	s->shown = slice_shown(p, sec);
	memmove(p->sl + i + 1, p->sl + i, (p->nsl - i) * sizeof(*p->sl));
	p->sl[i] = s;
	p->nsl++;
	return s;
}

static bool passes(const struct profile *p, uint32_t ctx)
{
	const struct profile_ctx *c = &p->cx[ctx].c;

	if (p->ftid && c->tid != p->ftid)
		return false;
	if (p->foncpu != PROFILE_ANY && (int)c->oncpu != (int)p->foncpu)
		return false;
	if (p->fcoro && c->coro_id != p->fcoro)
		return false;
	return true;
}

/* Adds (sub == false) or subtracts an aggregate's passing entries. */
static int tree_apply(struct profile *p, const struct agg *a, bool sub);

/* Adds or subtracts the buckets of s in mask. */
static int tree_apply_slice(struct profile *p, const struct slice *s, uint32_t mask, bool sub)
{
	int ret = 0;

	for (int b = 0; b < PROFILE_HEAT_HZ; b++)
		if (mask & (1u << b) && tree_apply(p, &s->agg[b], sub) < 0)
			ret = -ENOMEM;
	return ret;
}

static int tree_apply(struct profile *p, const struct agg *a, bool sub)
{
	uint32_t i;
	int ret = 0;

	if (!a->e)
		return 0;
	for (i = 0; i <= a->mask; i++) {
		const struct entry *e = &a->e[i];
		struct ctnode *leaf;
		struct stack *x;
		int64_t gid;

		if (!e->count || !passes(p, e->ctx))
			continue;
		if (!sub) {
			leaf = tree_leaf(p, e->stack, e->ctx);
			if (!leaf) {
				ret = -ENOMEM;
				continue;
			}
			calltree_add_at(p->tree, leaf, e->weight, e->count);
			continue;
		}
		gid = tree_stack(p, e->stack, e->ctx);
		if (gid < 0)
			continue;
		x = &p->st[gid];
		if (x->gen != p->gen || !x->leaf)
			continue; /* never made it into the tree (ENOMEM) */
		calltree_sub_at(p->tree, x->leaf, e->weight, e->count);
		if (!x->leaf->total_count && !x->leaf->total_weight)
			p->zeroed++;
	}
	return ret;
}

static void rebuild(struct profile *p)
{
	size_t i;

	calltree_clear(p->tree);
	p->gen++;
	p->zeroed = 0;
	p->nleaves = 0;
	if (!sliced(p)) {
		tree_apply(p, &p->cum, false);
		return;
	}
	for (i = 0; i < p->nsl; i++)
		tree_apply_slice(p, p->sl[i], p->sl[i]->shown, false);
}

void profile_prune(struct profile *p)
{
	uint32_t i;

	for (i = 0; i < p->nst; i++) {
		struct stack *x = &p->st[i];

		if (x->gen == p->gen && x->leaf && !x->leaf->total_count &&
		    !x->leaf->total_weight) {
			x->leaf = NULL;
			p->nleaves--;
		}
	}
	calltree_prune(p->tree);
	p->zeroed = 0;
}

/* --- the API ------------------------------------------------------------ */

struct profile *profile_new(struct funcs *f)
{
	struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->tree = calltree_new();
	if (!p->tree) {
		free(p);
		return NULL;
	}
	p->funcs = f;
	profile_set_measure(p, "time", UNIT_NS);
	p->retain = DEFAULT_RETAIN_NS;
	p->foncpu = PROFILE_ANY;
	p->gen = 1;
	return p;
}

void profile_free(struct profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nsl; i++)
		slice_free(p->sl[i]);
	free(p->sl);
	agg_release(&p->cum);
	calltree_free(p->tree);
	free(p->pool);
	free(p->st);
	free(p->stab);
	free(p->thr);
	free(p->ttab);
	free(p->cx);
	free(p->ctab);
	free(p->gbuf);
	free(p->grep);
	free(p);
}

void profile_set_measure(struct profile *p, const char *measure, enum unit unit)
{
	snprintf(p->measure, sizeof(p->measure), "%s", measure ? measure : "");
	p->unit = unit;
}

const char *profile_measure(const struct profile *p)
{
	return p->measure;
}

enum unit profile_unit(const struct profile *p)
{
	return p->unit;
}

int profile_add(struct profile *p, const struct profile_sample *s)
{
	struct profile_ctx c = {s->tid, s->oncpu, s->coro_id, s->labels_id};
	int64_t thr, sid, cid;
	uint64_t sec = s->time_ns / NS_PER_SEC;
	uint32_t b = (uint32_t)((s->time_ns % NS_PER_SEC) / NS_PER_BUCKET);
	struct slice *sl = NULL;
	struct ctnode *leaf = NULL;
	bool shown;

	if (s->n && !s->funcs)
		return -EINVAL;
	thr = thread_get(p, s->tid);
	if (thr < 0)
		goto out_drop;
	sid = stack_intern(p, s->funcs, s->n);
	if (sid < 0)
		goto out_drop;
	cid = ctx_intern(p, &c, (uint32_t)thr);
	if (cid < 0)
		goto out_drop;

	/* Every fallible step comes first, so a drop changes nothing. */
	if (agg_reserve(&p->cum))
		goto out_drop;
	if (horizon(p) && slice_end(sec) > cutoff(p->now, horizon(p))) {
		sl = slice_get(p, sec);
		if (!sl || agg_reserve(&sl->agg[b]))
			goto out_drop;
	}
	shown = passes(p, (uint32_t)cid) && (!sliced(p) || (sl && sl->shown & (1u << b)));
	if (shown) {
		leaf = tree_leaf(p, (uint32_t)sid, (uint32_t)cid);
		if (!leaf)
			goto out_drop;
	}

	agg_bump(&p->cum, (uint32_t)sid, (uint32_t)cid, s->weight);
	if (sl) {
		agg_bump(&sl->agg[b], (uint32_t)sid, (uint32_t)cid, s->weight);
		sl->heat_n[b]++;
		sl->heat_v[b] += s->weight;
	}
	if (leaf)
		calltree_add_at(p->tree, leaf, s->weight, 1);
	p->thr[thr].count++;
	p->thr[thr].weight += s->weight;
	if (s->time_ns > p->thr[thr].last_ns)
		p->thr[thr].last_ns = s->time_ns;
	p->total_count++;
	p->total_weight += s->weight;
	return 0;

out_drop:
	p->dropped++;
	return -ENOMEM;
}

void profile_expire(struct profile *p, uint64_t now_ns)
{
	uint64_t keep, show;
	size_t i, j;

	if (now_ns > p->now)
		p->now = now_ns;
	keep = cutoff(p->now, horizon(p));
	show = cutoff(p->now, p->window);
	for (i = j = 0; i < p->nsl; i++) {
		struct slice *s = p->sl[i];
		uint64_t end = slice_end(s->sec);

		if (s->shown && ((!p->rto && end <= show) || end <= keep)) {
			tree_apply_slice(p, s, s->shown, true);
			s->shown = 0;
		}
		if (end <= keep)
			slice_free(s);
		else
			p->sl[j++] = s;
	}
	p->nsl = j;
	/* Prune once a quarter of the stacks in the tree may have gone. */
	if (p->zeroed >= 32 && p->zeroed * 4 >= p->nleaves)
		profile_prune(p);
}

void profile_set_window(struct profile *p, uint64_t window_ns)
{
	size_t i;

	p->window = window_ns;
	for (i = 0; i < p->nsl; i++)
		p->sl[i]->shown = slice_shown(p, p->sl[i]->sec);
	profile_expire(p, p->now); /* frees what fell beyond the horizon */
	rebuild(p);
}

uint64_t profile_window(const struct profile *p)
{
	return p->window;
}

void profile_set_range(struct profile *p, uint64_t from_ns, uint64_t to_ns)
{
	size_t i;

	p->rfrom = to_ns ? from_ns / NS_PER_BUCKET * NS_PER_BUCKET : 0;
	p->rto = to_ns ? (to_ns + NS_PER_BUCKET - 1) / NS_PER_BUCKET * NS_PER_BUCKET : 0;
	if (p->rto && p->rto <= p->rfrom)
		p->rto = p->rfrom + NS_PER_BUCKET;
	for (i = 0; i < p->nsl; i++)
		p->sl[i]->shown = slice_shown(p, p->sl[i]->sec);
	rebuild(p);
}

bool profile_range(const struct profile *p, uint64_t *from_ns, uint64_t *to_ns)
{
	*from_ns = p->rfrom;
	*to_ns = p->rto;
	return p->rto != 0;
}

void profile_set_retain(struct profile *p, uint64_t retain_ns)
{
	p->retain = retain_ns;
	profile_expire(p, p->now);
}

uint64_t profile_retain(const struct profile *p)
{
	return p->retain;
}

void profile_set_filter(struct profile *p, int32_t tid, enum profile_oncpu oncpu)
{
	p->ftid = tid;
	p->foncpu = oncpu;
	rebuild(p);
}

int32_t profile_filter_tid(const struct profile *p)
{
	return p->ftid;
}

void profile_set_coro_filter(struct profile *p, uint64_t coro_id)
{
	p->fcoro = coro_id;
	rebuild(p);
}

uint64_t profile_filter_coro(const struct profile *p)
{
	return p->fcoro;
}

enum profile_oncpu profile_filter_oncpu(const struct profile *p)
{
	return p->foncpu;
}

void profile_clear(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nsl; i++)
		slice_free(p->sl[i]);
	p->nsl = 0;
	agg_release(&p->cum);
	calltree_clear(p->tree);
	p->gen++;
	p->zeroed = 0;
	p->nleaves = 0;
	free(p->pool);
	free(p->st);
	free(p->stab);
	p->pool = NULL;
	p->st = NULL;
	p->stab = NULL;
	p->pool_n = p->pool_cap = 0;
	p->nst = p->stcap = 0;
	p->stmask = 0;
	for (i = 0; i < p->nthr; i++) {
		p->thr[i].count = 0;
		p->thr[i].weight = 0;
		p->thr[i].last_ns = 0;
	}
	p->total_count = p->total_weight = 0;
}

struct calltree *profile_tree(struct profile *p)
{
	return p->tree;
}

struct funcs *profile_funcs(struct profile *p)
{
	return p->funcs;
}

const struct profile_thread *profile_threads(struct profile *p, size_t *n)
{
	*n = p->nthr;
	return p->thr;
}

void profile_set_grouping(struct profile *p, enum profile_grouping g)
{
	p->grouping = g;
	rebuild(p);
}

void profile_set_hide(struct profile *p, struct hide *h)
{
	p->hide = h;
	rebuild(p);
}

struct hide *profile_hide(const struct profile *p)
{
	return p->hide;
}

enum profile_grouping profile_grouping(const struct profile *p)
{
	return p->grouping;
}

void profile_name_thread(struct profile *p, int32_t tid, const char *name)
{
	int64_t idx = thread_get(p, tid);
	bool renamed;

	if (idx < 0)
		return;
	if (!name)
		name = "";
	renamed = strncmp(p->thr[idx].name, name, sizeof(p->thr[idx].name) - 1) != 0;
	strncpy(p->thr[idx].name, name, sizeof(p->thr[idx].name) - 1);
	p->thr[idx].name[sizeof(p->thr[idx].name) - 1] = '\0';
	/* the pseudo-frames name threads: show the new name */
	if (renamed && p->grouping == PROFILE_GROUP_THREAD && p->thr[idx].count)
		rebuild(p);
}

uint64_t profile_total_count(const struct profile *p)
{
	return p->total_count;
}

uint64_t profile_total_weight(const struct profile *p)
{
	return p->total_weight;
}

uint64_t profile_dropped(const struct profile *p)
{
	return p->dropped;
}

size_t profile_stacks(const struct profile *p)
{
	return p->nst;
}

/* Adds an entry's sums to a (room reserved by agg_reserve). */
static void agg_merge(struct agg *a, const struct entry *e)
{
	uint32_t s = key_slot(e->stack, e->ctx, a->mask);

	while (a->e[s].count) {
		if (a->e[s].stack == e->stack && a->e[s].ctx == e->ctx) {
			a->e[s].weight += e->weight;
			a->e[s].count += e->count;
			return;
		}
		s = (s + 1) & a->mask;
	}
	a->e[s] = *e;
	a->used++;
}

int profile_foreach(struct profile *p, profile_stack_fn fn, void *arg)
{
	struct agg merged = {0};
	const struct agg *a = &p->cum;
	int ret = 0;

	/* with a window or a range, the shown slices summed into one
	 * aggregate, so that each (stack, context) comes once */
	if (sliced(p)) {
		for (size_t i = 0; i < p->nsl; i++)
			for (int b = 0; b < PROFILE_HEAT_HZ; b++) {
				const struct agg *sa = &p->sl[i]->agg[b];

				if (!(p->sl[i]->shown & (1u << b)))
					continue;
				for (uint32_t k = 0; sa->e && k <= sa->mask; k++) {
					if (!sa->e[k].count || !passes(p, sa->e[k].ctx))
						continue;
					if (agg_reserve(&merged)) {
						agg_release(&merged);
						return -ENOMEM;
					}
					agg_merge(&merged, &sa->e[k]);
				}
			}
		a = &merged;
	}
	for (uint32_t k = 0; a->e && k <= a->mask && !ret; k++) {
		const struct entry *e = &a->e[k];
		const struct stack *x;

		if (!e->count || !passes(p, e->ctx))
			continue;
		x = &p->st[e->stack];
		if (hide_active(p->hide)) {
			uint32_t len;

			if (gbuf_reserve(p, x->n) < 0) {
				ret = -ENOMEM;
				break;
			}
			len = hide_apply(p->hide, p->funcs, p->pool + x->off, x->n, p->gbuf, NULL);
			ret = fn(arg, p->gbuf, len, &p->cx[e->ctx].c, e->weight, e->count);
			continue;
		}
		ret = fn(arg, p->pool + x->off, x->n, &p->cx[e->ctx].c, e->weight, e->count);
	}
	agg_release(&merged);
	return ret;
}

size_t profile_heat(const struct profile *p, uint64_t *counts, uint64_t *values, size_t max,
		    uint64_t *first_ns)
{
	size_t n = 0;
	uint64_t sec0;

	*first_ns = 0;
	if (!p->nsl)
		return 0;
	sec0 = p->sl[0]->sec;
	*first_ns = sec0 * NS_PER_SEC;
	for (size_t i = 0; i < p->nsl; i++) {
		const struct slice *sl = p->sl[i];
		uint64_t at = (sl->sec - sec0) * PROFILE_HEAT_HZ;

		/* seconds with no slice are empty buckets */
		for (; n < at && n < max; n++) {
			if (counts)
				counts[n] = 0;
			if (values)
				values[n] = 0;
		}
		for (int b = 0; b < PROFILE_HEAT_HZ && n < max; b++, n++) {
			if (counts)
				counts[n] = sl->heat_n[b];
			if (values)
				values[n] = sl->heat_v[b];
		}
	}
	return n;
}

int profile_foreach_bucket(const struct profile *p, size_t i, profile_stack_fn fn, void *arg)
{
	uint64_t sec;
	size_t lo = 0, hi = p->nsl;
	const struct agg *a;
	int ret = 0;

	if (!p->nsl)
		return 0;
	sec = p->sl[0]->sec + i / PROFILE_HEAT_HZ;
	while (lo < hi) { /* the slice of second sec, if any */
		size_t mid = lo + (hi - lo) / 2;

		if (p->sl[mid]->sec < sec)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->nsl || p->sl[lo]->sec != sec)
		return 0;
	a = &p->sl[lo]->agg[i % PROFILE_HEAT_HZ];
	for (uint32_t k = 0; a->e && k <= a->mask && !ret; k++) {
		const struct entry *e = &a->e[k];
		const struct stack *x = &p->st[e->stack];

		if (e->count)
			ret =
			    fn(arg, p->pool + x->off, x->n, &p->cx[e->ctx].c, e->weight, e->count);
	}
	return ret;
}
