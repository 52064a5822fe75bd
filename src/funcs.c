/*
 * funcs.c - interning of (name, module) pairs into dense ids.
 *
 * Each function is one heap block "name\0module\0"; ents[id] points at it.
 * An open-addressing table (linear probing, power-of-two size, at most half
 * full) maps a pair's hash to id + 1 (0 marks an empty slot).
 *
 * Invariants:
 *  - id 0 is the root "all" (module ""); it is NOT in the hash table, so a
 *    real function called "all" gets an id of its own;
 *  - ids are 0 .. n-1, never reused or moved; strings stay put until
 *    funcs_free;
 *  - the table holds every id 1 .. n-1 exactly once.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

struct fent {
	uint32_t hash;
	uint32_t namelen; /* the module starts at str + namelen + 1 */
	char str[];
};

struct funcs {
	struct fent **ents;
	uint32_t n, cap;
	uint32_t *tab; /* id + 1, 0 = empty */
	uint32_t tabmask;
};

static uint32_t pair_hash(const char *name, size_t nl, const char *module, size_t ml)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < nl; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	h = (h ^ 0xffu) * 16777619u; /* separator: ("ab","c") != ("a","bc") */
	for (i = 0; i < ml; i++)
		h = (h ^ (unsigned char)module[i]) * 16777619u;
	h ^= h >> 15;
	return h;
}

static struct fent *fent_new(const char *name, size_t nl, const char *module, size_t ml,
			     uint32_t hash)
{
	struct fent *e = malloc(sizeof(*e) + nl + ml + 2);

	if (!e)
		return NULL;
	e->hash = hash;
	e->namelen = (uint32_t)nl;
	memcpy(e->str, name, nl);
	e->str[nl] = '\0';
	memcpy(e->str + nl + 1, module, ml);
	e->str[nl + 1 + ml] = '\0';
	return e;
}

struct funcs *funcs_new(void)
{
	struct funcs *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->cap = 64;
	f->ents = malloc(f->cap * sizeof(*f->ents));
	f->tab = calloc(128, sizeof(*f->tab));
	if (!f->ents || !f->tab)
		goto out_free;
	f->tabmask = 127;
	f->ents[0] = fent_new("all", 3, "", 0, 0);
	if (!f->ents[0])
		goto out_free;
	f->n = 1;
	return f;
out_free:
	free(f->ents);
	free(f->tab);
	free(f);
	return NULL;
}

void funcs_free(struct funcs *f)
{
	uint32_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		free(f->ents[i]);
	free(f->ents);
	free(f->tab);
	free(f);
}

static int tab_grow(struct funcs *f)
{
	uint32_t newmask = f->tabmask * 2 + 1, i;
	uint32_t *nt = calloc((size_t)newmask + 1, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (i = 1; i < f->n; i++) {
		uint32_t s = f->ents[i]->hash & newmask;

		while (nt[s])
			s = (s + 1) & newmask;
		nt[s] = i + 1;
	}
	free(f->tab);
	f->tab = nt;
	f->tabmask = newmask;
	return 0;
}

uint32_t funcs_intern(struct funcs *f, const char *name, const char *module)
{
	size_t nl, ml;
	uint32_t h, s, id;
	struct fent *e;

	if (!name)
		name = "";
	if (!module)
		module = "";
	nl = strlen(name);
	ml = strlen(module);
	h = pair_hash(name, nl, module, ml);
	for (s = h & f->tabmask; f->tab[s]; s = (s + 1) & f->tabmask) {
		e = f->ents[f->tab[s] - 1];
		if (e->hash == h && e->namelen == nl && !memcmp(e->str, name, nl) &&
		    !strcmp(e->str + nl + 1, module))
			return f->tab[s] - 1;
	}
	if (f->n == UINT32_MAX - 1)
		return 0;
	if (f->n == f->cap) {
		struct fent **ne = realloc(f->ents, (size_t)f->cap * 2 * sizeof(*ne));

		if (!ne)
			return 0;
		f->ents = ne;
		f->cap *= 2;
	}
	if ((size_t)(f->n + 1) * 2 > (size_t)f->tabmask + 1) {
		if (tab_grow(f))
			return 0;
		for (s = h & f->tabmask; f->tab[s]; s = (s + 1) & f->tabmask)
			;
	}
	e = fent_new(name, nl, module, ml, h);
	if (!e)
		return 0;
	id = f->n++;
	f->ents[id] = e;
	f->tab[s] = id + 1;
	return id;
}

const char *funcs_name(const struct funcs *f, uint32_t id)
{
	if (!f || id >= f->n)
		return "?";
	return f->ents[id]->str;
}

const char *funcs_module(const struct funcs *f, uint32_t id)
{
	if (!f || id >= f->n)
		return "";
	return f->ents[id]->str + f->ents[id]->namelen + 1;
}

uint32_t funcs_count(const struct funcs *f)
{
	return f ? f->n : 0;
}
