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
 *
 * A function's source file is an index + 1 into files[] (0: none), each
 * file kept once (found through ftab, like the functions); sourced[]
 * lists the ids whose source was set, in order.  Build-ids are a short
 * list of (module, hex) pairs, searched in order: a profile has tens to
 * hundreds of modules, and each is looked up once per write.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

struct fent {
	uint32_t hash;
	uint32_t namelen; /* the module starts at str + namelen + 1 */
	uint32_t file;	  /* files[file - 1]; 0: source not known */
	int32_t line;
	char str[];
};

struct build_id {
	char *module, *hex;
};

struct funcs {
	struct fent **ents;
	uint32_t n, cap;
	uint32_t *tab; /* id + 1, 0 = empty */
	uint32_t tabmask;
	char **files; /* source files, each once */
	uint32_t nfiles, capfiles;
	uint32_t *ftab; /* index + 1 into files, 0 = empty */
	uint32_t ftabmask;
	uint32_t *sourced; /* ids whose source was set, in order */
	size_t nsourced, capsourced;
	struct build_id *ids;
	size_t nids, capids;
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
	e->file = 0;
	e->line = 0;
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
	for (i = 0; i < f->nfiles; i++)
		free(f->files[i]);
	for (size_t k = 0; k < f->nids; k++) {
		free(f->ids[k].module);
		free(f->ids[k].hex);
	}
	free(f->ents);
	free(f->tab);
	free(f->files);
	free(f->ftab);
	free(f->sourced);
	free(f->ids);
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

/* Room for one more of n elements of size in *v (cap of them); 0 or
 * -ENOMEM. */
static int more(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static uint32_t str_hash(const char *s)
{
	return pair_hash(s, strlen(s), "", 0);
}

/* The index + 1 of file in f->files, added if new; 0 on ENOMEM. */
static uint32_t file_intern(struct funcs *f, const char *file)
{
	uint32_t s, h = str_hash(file);
	char *copy;

	for (s = h & f->ftabmask; f->ftab && f->ftab[s]; s = (s + 1) & f->ftabmask)
		if (!strcmp(f->files[f->ftab[s] - 1], file))
			return f->ftab[s];
	if (f->nfiles == UINT32_MAX - 1)
		return 0;
	if (!f->ftab || (size_t)(f->nfiles + 1) * 2 > (size_t)f->ftabmask + 1) {
		uint32_t mask = f->ftab ? f->ftabmask * 2 + 1 : 63;
		uint32_t *nt = calloc((size_t)mask + 1, sizeof(*nt));

		if (!nt)
			return 0;
		for (uint32_t i = 0; i < f->nfiles; i++) {
			for (s = str_hash(f->files[i]) & mask; nt[s]; s = (s + 1) & mask)
				;
			nt[s] = i + 1;
		}
		free(f->ftab);
		f->ftab = nt;
		f->ftabmask = mask;
		for (s = h & mask; nt[s]; s = (s + 1) & mask)
			;
	}
	if (f->nfiles == f->capfiles) {
		size_t cap = f->capfiles;

		if (more((void **)&f->files, &cap, f->nfiles, sizeof(*f->files)))
			return 0;
		f->capfiles = (uint32_t)cap;
	}
	copy = strdup(file);
	if (!copy)
		return 0;
	f->files[f->nfiles++] = copy;
	f->ftab[s] = f->nfiles;
	return f->nfiles;
}

int funcs_set_source(struct funcs *f, uint32_t id, const char *file, int line)
{
	struct fent *e;

	if (!f || !id || id >= f->n || !file || !file[0] || f->ents[id]->file)
		return 0;
	e = f->ents[id];
	if (more((void **)&f->sourced, &f->capsourced, f->nsourced, sizeof(*f->sourced)))
		return -ENOMEM;
	e->file = file_intern(f, file);
	if (!e->file)
		return -ENOMEM;
	e->line = line > 0 ? line : 0;
	f->sourced[f->nsourced++] = id;
	return 0;
}

const char *funcs_source(const struct funcs *f, uint32_t id, int *line)
{
	*line = 0;
	if (!f || id >= f->n || !f->ents[id]->file)
		return NULL;
	*line = f->ents[id]->line;
	return f->files[f->ents[id]->file - 1];
}

size_t funcs_nsourced(const struct funcs *f)
{
	return f ? f->nsourced : 0;
}

uint32_t funcs_sourced(const struct funcs *f, size_t i)
{
	return f && i < f->nsourced ? f->sourced[i] : 0;
}

int funcs_set_build_id(struct funcs *f, const char *module, const char *hex)
{
	struct build_id b;

	if (!f || !module || !hex || !hex[0] || funcs_build_id(f, module))
		return 0;
	if (more((void **)&f->ids, &f->capids, f->nids, sizeof(*f->ids)))
		return -ENOMEM;
	b.module = strdup(module);
	b.hex = strdup(hex);
	if (!b.module || !b.hex) {
		free(b.module);
		free(b.hex);
		return -ENOMEM;
	}
	f->ids[f->nids++] = b;
	return 0;
}

const char *funcs_build_id(const struct funcs *f, const char *module)
{
	for (size_t i = 0; f && module && i < f->nids; i++)
		if (!strcmp(f->ids[i].module, module))
			return f->ids[i].hex;
	return NULL;
}

size_t funcs_nbuild_ids(const struct funcs *f)
{
	return f ? f->nids : 0;
}

const char *funcs_build_id_at(const struct funcs *f, size_t i, const char **module)
{
	if (!f || i >= f->nids) {
		*module = "";
		return NULL;
	}
	*module = f->ids[i].module;
	return f->ids[i].hex;
}
