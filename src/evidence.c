/*
 * evidence.c - the evidence of a shape finding (see evidence.h).
 *
 * Callers: one walk over the tree, counting each node of the function
 * that has no ancestor of the same function (a recursion counts once)
 * under its caller.  The profile parts: the frame's path from the root
 * is a prefix of the stacks under it, so one profile_foreach per
 * profile sums what passes under the frame.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "unit.h"

static uint64_t weight_of(const struct ctnode *n, bool w)
{
	return w ? n->total_weight : n->total_count;
}

static bool has_ancestor(const struct ctnode *n, uint32_t func)
{
	for (const struct ctnode *p = n->parent; p; p = p->parent)
		if (p->func == func && p->parent)
			return true;
	return false;
}

struct caller_sum {
	uint32_t func;
	uint64_t v;
};

/* Adds v under caller func to sums (n of them, cap room); false on ENOMEM. */
static bool add_caller(struct caller_sum **sums, size_t *n, size_t *cap, uint32_t func, uint64_t v)
{
	for (size_t i = 0; i < *n; i++)
		if ((*sums)[i].func == func) {
			(*sums)[i].v += v;
			return true;
		}
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct caller_sum *ns = realloc(*sums, nc * sizeof(*ns));

		if (!ns)
			return false;
		*sums = ns;
		*cap = nc;
	}
	(*sums)[(*n)++] = (struct caller_sum){func, v};
	return true;
}

static int cmp_sum(const void *a, const void *b)
{
	const struct caller_sum *x = a, *y = b;

	return x->v < y->v ? 1 : x->v > y->v ? -1 : 0;
}

static int callers_of(uint32_t func, struct calltree *t, struct shape_evidence *e)
{
	const struct ctnode *root = calltree_root(t), **stack = NULL;
	bool w = root->total_weight > 0;
	struct caller_sum *sums = NULL;
	size_t sp = 0, scap = 0, n = 0, cap = 0;
	uint64_t all = 0;
	int ret = 0;

	e->ncallers = 0;
	for (const struct ctnode *c = root->child; c || sp;) {
		if (!c) {
			c = stack[--sp];
			continue;
		}
		if (c->func == func && c->parent != root && !has_ancestor(c, func)) {
			if (!add_caller(&sums, &n, &cap, c->parent->func, weight_of(c, w))) {
				ret = -ENOMEM;
				break;
			}
			all += weight_of(c, w);
		}
		if (c->child) {
			if (c->next) {
				if (sp == scap) {
					size_t nc = scap ? 2 * scap : 64;
					const struct ctnode **ns = realloc(stack, nc * sizeof(*ns));

					if (!ns) {
						ret = -ENOMEM;
						break;
					}
					stack = ns;
					scap = nc;
				}
				stack[sp++] = c->next;
			}
			c = c->child;
		} else {
			c = c->next;
		}
	}
	if (!ret && n) {
		qsort(sums, n, sizeof(*sums), cmp_sum);
		for (size_t i = 0; i < n && i < EVIDENCE_CALLERS; i++) {
			e->callers[i] = sums[i].func;
			e->caller_share[i] = all ? (double)sums[i].v / (double)all : 0.0;
			e->ncallers++;
		}
	}
	free(sums);
	free(stack);
	return ret;
}

/* What passes under a path in a profile. */
struct under {
	const uint32_t *path;
	size_t n;
	uint64_t all, off; /* weight under the path; of it off CPU */
};

static int sum_under(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		     uint64_t value, uint64_t count)
{
	struct under *u = arg;

	(void)count;
	if (n < u->n || memcmp(funcs, u->path, u->n * sizeof(*funcs)) != 0)
		return 0;
	u->all += value;
	if (!ctx->oncpu)
		u->off += value;
	return 0;
}

static int under(struct profile *p, const uint32_t *path, size_t n, struct under *u)
{
	*u = (struct under){.path = path, .n = n};
	return profile_foreach(p, sum_under, u) < 0 ? -ENOMEM : 0;
}

/* The path of node from the root (the profile's thread grouping left
 * out); NULL on ENOMEM. */
static uint32_t *path_of(const struct ctnode *node, struct profile *time_p, size_t *n)
{
	size_t depth = node->depth, k = depth;
	uint32_t *path = malloc((depth ? depth : 1) * sizeof(*path));

	if (!path)
		return NULL;
	for (const struct ctnode *x = node; x && x->parent; x = x->parent)
		path[--k] = x->func;
	if (time_p && profile_grouping(time_p) == PROFILE_GROUP_THREAD && depth) {
		memmove(path, path + 1, (depth - 1) * sizeof(*path));
		depth--;
	}
	*n = depth;
	return path;
}

int evidence_of(const struct ctnode *node, struct calltree *t, struct profile *time_p,
		struct profile *ap, struct profile *fp, double span_s, struct shape_evidence *e)
{
	size_t depth;
	uint32_t *path;
	struct under u;
	int ret;

	memset(e, 0, sizeof(*e));
	e->span_s = span_s;
	path = path_of(node, time_p, &depth);
	if (!path)
		return -ENOMEM;
	ret = callers_of(node->func, t, e);
	if (!ret && time_p && strcmp(profile_measure(time_p), "wall") == 0) {
		ret = under(time_p, path, depth, &u);
		e->offcpu_known = !ret;
		e->offcpu = u.all ? (double)u.off / (double)u.all : 0.0;
	}
	if (!ret && ap && fp) {
		ret = under(ap, path, depth, &u);
		e->allocated = u.all;
		if (!ret)
			ret = under(fp, path, depth, &u);
		e->freed = u.all;
		e->alloc_known = !ret;
	}
	free(path);
	return ret;
}

/* Adds sign times what passes under path in each tenth of p to the
 * seconds of net (second 0 starting at first_ns). */
static int trend_add(struct profile *p, const uint32_t *path, size_t n, int sign, int64_t *net,
		     size_t max, uint64_t first_ns)
{
	uint64_t p0;
	size_t nb = profile_heat(p, NULL, NULL, SIZE_MAX, &p0);

	for (size_t i = 0; i < nb; i++) {
		struct under u = {.path = path, .n = n};
		uint64_t t = p0 + i * (1000000000ull / PROFILE_HEAT_HZ);
		size_t sec;

		if (t < first_ns)
			continue;
		sec = (size_t)((t - first_ns) / 1000000000ull);
		if (sec >= max)
			break;
		if (profile_foreach_bucket(p, i, sum_under, &u) < 0)
			return -ENOMEM;
		net[sec] += sign * (int64_t)u.all;
	}
	return 0;
}

long evidence_trend(const struct ctnode *node, struct profile *time_p, struct profile *ap,
		    struct profile *fp, int64_t *net, size_t max, uint64_t *first_ns)
{
	uint64_t a0, f0, last;
	size_t na, nf, n, depth;
	uint32_t *path;
	long ret;

	*first_ns = 0;
	if (!ap || !fp)
		return 0;
	na = profile_heat(ap, NULL, NULL, SIZE_MAX, &a0);
	nf = profile_heat(fp, NULL, NULL, SIZE_MAX, &f0);
	if (!na)
		return 0;
	*first_ns = nf && f0 < a0 ? f0 : a0;
	last = a0 + na * (1000000000ull / PROFILE_HEAT_HZ);
	if (nf && f0 + nf * (1000000000ull / PROFILE_HEAT_HZ) > last)
		last = f0 + nf * (1000000000ull / PROFILE_HEAT_HZ);
	n = (size_t)((last - *first_ns + 999999999ull) / 1000000000ull);
	if (n > max)
		n = max;
	memset(net, 0, n * sizeof(*net));
	path = path_of(node, time_p, &depth);
	if (!path)
		return -ENOMEM;
	ret = trend_add(ap, path, depth, 1, net, n, *first_ns);
	if (!ret)
		ret = trend_add(fp, path, depth, -1, net, n, *first_ns);
	free(path);
	return ret < 0 ? ret : (long)n;
}

bool evidence_inuse_grows(const struct shape_evidence *e)
{
	return e->alloc_known && e->allocated > e->freed &&
	       (double)(e->allocated - e->freed) >= EVIDENCE_GROWTH * (double)e->allocated;
}

void evidence_text(const struct shape_finding *f, const struct shape_evidence *e,
		   const struct funcs *fn, char *buf, size_t len)
{
	size_t off;
	char a[32], b[32], r[32];

#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (off < len)                                                                     \
			off += (size_t)snprintf(buf + off, len - off, __VA_ARGS__);                \
	} while (0)

	shapes_explain(f, fn, buf, len);
	off = strlen(buf);
	for (size_t i = 0; i < e->ncallers; i++)
		ADD("%s%s (%.0f%%)", i ? ", " : "; called from ", funcs_name(fn, e->callers[i]),
		    100.0 * e->caller_share[i]);
	if (!e->ncallers)
		ADD("; no caller (a root)");
	if (e->offcpu_known)
		ADD("; %.0f%% of it off CPU", 100.0 * e->offcpu);
	else
		ADD("; off CPU: no data (cpu mode)");
	if (!e->alloc_known) {
		ADD("; allocations: no data");
		return;
	}
	unit_format(UNIT_BYTES, e->allocated, a, sizeof(a));
	if (!e->allocated) {
		ADD("; no sampled allocation under it");
		return;
	}
	unit_format(UNIT_BYTES, e->freed, b, sizeof(b));
	unit_format(UNIT_BYTES, e->span_s > 0 ? (uint64_t)((double)e->allocated / e->span_s) : 0, r,
		    sizeof(r));
	ADD("; allocated %s (%s/s) and freed %s under it", a, r, b);
	if (evidence_inuse_grows(e)) {
		unit_format(UNIT_BYTES, e->allocated - e->freed, b, sizeof(b));
		ADD(": in-use bytes under it grew by %s", b);
	} else {
		ADD(": in use steady");
	}
#undef ADD
}
