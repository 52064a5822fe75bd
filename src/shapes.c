/*
 * shapes.c - wide peaks and spikes in a call tree (rules in shapes.h).
 *
 * One pass lists the subtree in pre-order (an explicit stack, no
 * recursion), so that every parent comes before its children; walking the
 * list backwards then visits children before parents, which is all that
 * heights and "a descendant qualifies" need.  Memory: a few words per
 * node, freed before returning.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shapes.h"

#define STRUCTURAL_SHARE 0.99
#define SPAWN_DEPTH 4 /* levels under the root where threads start */
/* a frame that carries this much of its caller's weight continues the
 * caller's tower: a stray self sample on one level does not start a new one */
#define TOWER_SHARE 0.9

const char *const shapes_config_names[] = {
    "wide-share", "wide-depth", "spike-depth", "spike-share", NULL,
};

void shapes_config_default(struct shapes_config *c)
{
	*c = (struct shapes_config)SHAPES_CONFIG_DEFAULTS;
}

static int parse_share(const char *value, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(value, &end);
	if (end == value || errno)
		return -EINVAL;
	if (*end == '%')
		end++;
	if (*end || !(v > 0.0 && v <= 100.0))
		return -EINVAL;
	*out = v / 100.0;
	return 0;
}

static int parse_levels(const char *value, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (end == value || *end || errno || value[0] == '-' || v < 1 || v > 100000)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int shapes_config_set(struct shapes_config *c, const char *name, const char *value, char *err,
		      size_t errlen)
{
	int rc;

	if (strcmp(name, "wide-share") == 0)
		rc = parse_share(value, &c->wide_min_share);
	else if (strcmp(name, "spike-share") == 0)
		rc = parse_share(value, &c->spike_max_share);
	else if (strcmp(name, "wide-depth") == 0)
		rc = parse_levels(value, &c->wide_max_height);
	else if (strcmp(name, "spike-depth") == 0)
		rc = parse_levels(value, &c->spike_min_height);
	else {
		snprintf(err, errlen, "unknown threshold '%s'", name);
		return -EINVAL;
	}
	if (rc < 0)
		snprintf(err, errlen, "bad %s '%s': %s", name, value,
			 strstr(name, "share") ? "a percentage above 0 and at most 100"
					       : "a number of levels from 1 to 100000");
	return rc;
}

const char *shapes_kind_name(enum shape_kind k)
{
	return k == SHAPE_WIDE_PEAK ? "wide-peak" : "spike";
}

/* per node of the pre-order list */
struct info {
	const struct ctnode *node;
	uint32_t parent;		 /* index, UINT32_MAX for the root */
	uint32_t height;		 /* frames down to the deepest leaf, itself included */
	uint32_t deepest;		 /* index of the child on the deepest path, or UINT32_MAX */
	uint8_t structural;		 /* see shapes.h */
	uint8_t spawns;			 /* start_thread, clone: children start threads */
	uint8_t wide, spike;		 /* qualifies */
	uint8_t wide_below, spike_below; /* a descendant qualifies */
};

static bool use_weight(const struct ctnode *root)
{
	return root->total_weight > 0;
}

static uint64_t total_of(const struct ctnode *n, bool w)
{
	return w ? n->total_weight : n->total_count;
}

static uint64_t self_of(const struct ctnode *n, bool w)
{
	return w ? n->self_weight : n->self_count;
}

/* Lists the live nodes (total > 0) under root in pre-order into *out. */
static int list_nodes(const struct ctnode *root, bool w, struct info **out, size_t *n)
{
	size_t cap = 256, len = 0, sp = 0, scap = 64;
	struct info *v = malloc(cap * sizeof(*v));
	uint32_t *stack = malloc(scap * sizeof(*stack));

	if (!v || !stack)
		goto out_nomem;
	v[len++] = (struct info){.node = root, .parent = UINT32_MAX, .deepest = UINT32_MAX};
	stack[sp++] = 0;
	while (sp) {
		uint32_t i = stack[--sp];

		for (const struct ctnode *c = v[i].node->child; c; c = c->next) {
			if (total_of(c, w) == 0)
				continue;
			if (len == cap) {
				struct info *nv = realloc(v, 2 * cap * sizeof(*v));

				if (!nv)
					goto out_nomem;
				v = nv;
				cap *= 2;
			}
			if (sp == scap) {
				uint32_t *ns = realloc(stack, 2 * scap * sizeof(*stack));

				if (!ns)
					goto out_nomem;
				stack = ns;
				scap *= 2;
			}
			v[len] = (struct info){.node = c, .parent = i, .deepest = UINT32_MAX};
			stack[sp++] = (uint32_t)len++;
		}
	}
	free(stack);
	*out = v;
	*n = len;
	return 0;
out_nomem:
	free(stack);
	free(v);
	return -ENOMEM;
}

static bool starts_threads(const struct funcs *fn, uint32_t func)
{
	static const char *const names[] = {"start_thread", "clone", "clone3", "__clone",
					    "thread_start"};
	const char *name;

	if (!fn || func == 0)
		return false;
	name = funcs_name(fn, func);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The most repeated function on the deepest path from v[i], and how many
 * distinct functions that path has. */
static void tower_of(const struct info *v, uint32_t i, struct shape_finding *f)
{
	uint32_t *ids = malloc(f->height * sizeof(*ids)), n = 0;

	f->repeat_func = 0;
	f->repeats = 1;
	f->distinct = f->height;
	if (!ids)
		return;
	for (uint32_t k = i; k != UINT32_MAX && n < f->height; k = v[k].deepest)
		ids[n++] = v[k].node->func;
	qsort(ids, n, sizeof(*ids), cmp_u32);
	f->distinct = 0;
	for (uint32_t a = 0; a < n;) {
		uint32_t b = a;

		while (b < n && ids[b] == ids[a])
			b++;
		f->distinct++;
		if (b - a > f->repeats) {
			f->repeats = b - a;
			f->repeat_func = ids[a];
		}
		a = b;
	}
	if (f->repeats < 2)
		f->repeat_func = 0;
	free(ids);
}

static int cmp_share(const void *a, const void *b)
{
	const struct shape_finding *x = a, *y = b;

	if (x->share != y->share)
		return x->share < y->share ? 1 : -1;
	return (int)x->kind - (int)y->kind;
}

int shapes_find(const struct ctnode *root, const struct funcs *fn, const struct shapes_config *c,
		struct shape_finding **out, size_t *n)
{
	bool w = use_weight(root);
	double rtotal = (double)total_of(root, w);
	struct shape_finding *res = NULL;
	size_t len, nres = 0, cap = 0;
	struct info *v;

	*out = NULL;
	*n = 0;
	if (rtotal <= 0)
		return 0;
	if (list_nodes(root, w, &v, &len) < 0)
		return -ENOMEM;

	/* parents first: structural frames (thread starters sit near the
	 * root, so only the first levels are looked up by name) */
	for (size_t i = 1; i < len; i++) {
		struct info *p = &v[v[i].parent];
		bool carries = (double)total_of(v[i].node, w) >=
			       STRUCTURAL_SHARE * (double)total_of(p->node, w);

		v[i].spawns = v[i].node->depth - root->depth <= SPAWN_DEPTH &&
			      starts_threads(fn, v[i].node->func);
		v[i].structural = (carries && (v[i].parent == 0 || p->structural)) || p->spawns;
	}
	/* children first: heights */
	for (size_t i = len; i-- > 0;) {
		struct info *x = &v[i];

		x->height++;
		if (x->parent != UINT32_MAX && x->height > v[x->parent].height) {
			v[x->parent].height = x->height; /* its own +1 comes when it is visited */
			v[x->parent].deepest = (uint32_t)i;
		}
	}
	/* children first again: who qualifies, and whether a descendant does */
	for (size_t i = len; i-- > 1;) {
		struct info *x = &v[i], *p = &v[x->parent];
		double share = (double)total_of(x->node, w) / rtotal;
		double self = (double)self_of(x->node, w) / rtotal;

		x->wide = share >= c->wide_min_share && x->height <= c->wide_max_height &&
			  (!x->structural || self >= c->wide_min_share);
		x->spike =
		    x->height >= c->spike_min_height && share <= c->spike_max_share &&
		    share >= c->spike_min_share &&
		    (double)total_of(x->node, w) < TOWER_SHARE * (double)total_of(p->node, w);
		p->wide_below |= x->wide | x->wide_below;
		p->spike_below |= x->spike | x->spike_below;
	}
	for (size_t i = 1; i < len; i++) {
		struct info *x = &v[i];
		bool wide = x->wide && !x->wide_below, spike = x->spike && !x->spike_below;

		if (!wide && !spike)
			continue;
		if (nres + 2 > cap) {
			size_t ncap = cap ? 2 * cap : 8;
			struct shape_finding *nr = realloc(res, ncap * sizeof(*nr));

			if (!nr) {
				free(res);
				free(v);
				return -ENOMEM;
			}
			res = nr;
			cap = ncap;
		}
		for (int k = 0; k < 2; k++) {
			struct shape_finding *f;
			uint64_t tot = total_of(x->node, w);

			if (!(k == 0 ? wide : spike))
				continue;
			f = &res[nres++];
			memset(f, 0, sizeof(*f));
			f->kind = k == 0 ? SHAPE_WIDE_PEAK : SHAPE_SPIKE;
			f->node = x->node;
			f->share = (double)tot / rtotal;
			f->self_share = tot ? (double)self_of(x->node, w) / (double)tot : 0.0;
			f->height = x->height;
			if (f->kind == SHAPE_SPIKE)
				tower_of(v, (uint32_t)i, f);
		}
	}
	free(v);
	if (nres)
		qsort(res, nres, sizeof(*res), cmp_share);
	*out = res;
	*n = nres;
	return 0;
}

void shapes_explain(const struct shape_finding *f, const struct funcs *fn, char *buf, size_t len)
{
	const char *name = fn ? funcs_name(fn, f->node->func) : "?";

	if (f->kind == SHAPE_WIDE_PEAK && f->height == 1) {
		snprintf(buf, len,
			 "wide peak: %s takes %.1f%% of the total, all of it in %s itself", name,
			 100.0 * f->share, name);
	} else if (f->kind == SHAPE_WIDE_PEAK) {
		snprintf(buf, len,
			 "wide peak: %s takes %.1f%% of the total, %.1f%% of it in %s itself, "
			 "the rest in callees at most %u level%s below",
			 name, 100.0 * f->share, 100.0 * f->self_share, name, f->height - 1,
			 f->height == 2 ? "" : "s");
	} else if (f->repeat_func) {
		snprintf(buf, len,
			 "spike: a tower %u frames deep from %s with %.1f%% of the total; "
			 "recursion: %s appears %u times on it",
			 f->height, name, 100.0 * f->share,
			 fn ? funcs_name(fn, f->repeat_func) : "?", f->repeats);
	} else {
		snprintf(buf, len,
			 "spike: a tower %u frames deep from %s with %.1f%% of the total; "
			 "a chain of %u distinct functions, no recursion",
			 f->height, name, 100.0 * f->share, f->distinct);
	}
}
