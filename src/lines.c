/*
 * lines.c - hot source lines: (function, file, line) -> weight.
 *
 * Two open-addressing tables (linear probing, power-of-two sizes, at most
 * half full): one from a file name to its index in files[] (names are
 * copied, index + 1 stored, 0 empty), one from (function, file index + 1,
 * line) to its sums.  File 0 with line 0 is "not known".  Nothing is ever
 * removed but by lines_clear, which keeps the file names.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lines.h"

struct lent {
	uint32_t func;
	uint32_t file; /* index + 1 into files, 0: not known */
	int line;
	uint64_t weight, count;
	uint8_t used;
};

struct lines {
	char **files;
	size_t nfiles, capfiles;
	uint32_t *ftab; /* file index + 1 */
	size_t fcap;
	struct lent *tab;
	size_t cap, count;
};

#define LINES_INITIAL_CAP 1024u

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static size_t ent_hash(uint32_t func, uint32_t file, int line, size_t cap)
{
	uint64_t h = ((uint64_t)func << 32 | file) * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)(uint32_t)line * 0xc2b2ae3d27d4eb4full;
	return (size_t)(h ^ h >> 29) & (cap - 1);
}

struct lines *lines_new(void)
{
	struct lines *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cap = LINES_INITIAL_CAP;
	l->fcap = 64;
	l->tab = calloc(l->cap, sizeof(*l->tab));
	l->ftab = calloc(l->fcap, sizeof(*l->ftab));
	if (!l->tab || !l->ftab) {
		lines_free(l);
		return NULL;
	}
	return l;
}

void lines_free(struct lines *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	free(l->ftab);
	free(l->tab);
	free(l);
}

void lines_clear(struct lines *l)
{
	memset(l->tab, 0, l->cap * sizeof(*l->tab));
	l->count = 0;
}

/* The file's index + 1, added if new; 0 when memory ran out. */
static uint32_t file_id(struct lines *l, const char *file)
{
	size_t i = (size_t)str_hash(file) & (l->fcap - 1);
	char *copy;

	for (; l->ftab[i]; i = (i + 1) & (l->fcap - 1))
		if (!strcmp(l->files[l->ftab[i] - 1], file))
			return l->ftab[i];
	if ((l->nfiles + 1) * 2 > l->fcap) {
		size_t cap = l->fcap * 2;
		uint32_t *t = calloc(cap, sizeof(*t));

		if (!t)
			return 0;
		for (size_t k = 0; k < l->nfiles; k++) {
			size_t j = (size_t)str_hash(l->files[k]) & (cap - 1);

			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = (uint32_t)k + 1;
		}
		free(l->ftab);
		l->ftab = t;
		l->fcap = cap;
		return file_id(l, file);
	}
	if (l->nfiles == l->capfiles) {
		size_t cap = l->capfiles ? l->capfiles * 2 : 16;
		char **f = realloc(l->files, cap * sizeof(*f));

		if (!f)
			return 0;
		l->files = f;
		l->capfiles = cap;
	}
	copy = strdup(file);
	if (!copy)
		return 0;
	l->files[l->nfiles++] = copy;
	l->ftab[i] = (uint32_t)l->nfiles;
	return l->ftab[i];
}

static struct lent *ent_find(struct lent *tab, size_t cap, uint32_t func, uint32_t file, int line)
{
	size_t i = ent_hash(func, file, line, cap);

	while (tab[i].used && (tab[i].func != func || tab[i].file != file || tab[i].line != line))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int ent_grow(struct lines *l)
{
	size_t cap = l->cap * 2;
	struct lent *t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < l->cap; i++)
		if (l->tab[i].used)
			*ent_find(t, cap, l->tab[i].func, l->tab[i].file, l->tab[i].line) =
			    l->tab[i];
	free(l->tab);
	l->tab = t;
	l->cap = cap;
	return 0;
}

int lines_add(struct lines *l, uint32_t func, const char *file, int line, uint64_t weight)
{
	uint32_t fid = 0;
	struct lent *e;

	if (file && line > 0 && !(fid = file_id(l, file)))
		return -ENOMEM;
	if (!fid)
		line = 0;
	e = ent_find(l->tab, l->cap, func, fid, line);
	if (!e->used) {
		if ((l->count + 1) * 2 > l->cap) {
			if (ent_grow(l) < 0)
				return -ENOMEM;
			e = ent_find(l->tab, l->cap, func, fid, line);
		}
		*e = (struct lent){.func = func, .file = fid, .line = line, .used = 1};
		l->count++;
	}
	e->weight += weight;
	e->count++;
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct lines_row *x = a, *y = b;
	int c;

	if (!x->file || !y->file)
		return !x->file - !y->file; /* the unknown row last */
	c = strcmp(x->file, y->file);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

long lines_of(const struct lines *l, uint32_t func, struct lines_row **rows, uint64_t *weight,
	      uint64_t *count)
{
	size_t n = 0, k = 0;
	uint64_t w = 0, c = 0;

	*rows = NULL;
	for (size_t i = 0; i < l->cap; i++)
		n += l->tab[i].used && l->tab[i].func == func;
	if (n && !(*rows = malloc(n * sizeof(**rows))))
		return -ENOMEM;
	for (size_t i = 0; i < l->cap && k < n; i++) {
		const struct lent *e = &l->tab[i];

		if (!e->used || e->func != func)
			continue;
		(*rows)[k++] = (struct lines_row){e->file ? l->files[e->file - 1] : NULL, e->line,
						  e->weight, e->count};
		w += e->weight;
		c += e->count;
	}
	if (n)
		qsort(*rows, n, sizeof(**rows), row_cmp);
	if (weight)
		*weight = w;
	if (count)
		*count = c;
	return (long)n;
}

int lines_source(struct lines_source *src, const char *path)
{
	struct stat st;
	size_t len = 0, cap = 64;
	ssize_t got;
	int fd, err;

	memset(src, 0, sizeof(*src));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto out_close;
	}
	err = -EINVAL;
	if (!S_ISREG(st.st_mode))
		goto out_close;
	err = -EFBIG;
	if ((uint64_t)st.st_size > LINES_SOURCE_MAX)
		goto out_close;
	err = -ENOMEM;
	src->text = malloc((size_t)st.st_size + 1);
	src->start = malloc(cap * sizeof(*src->start));
	if (!src->text || !src->start)
		goto out_close;
	/* what was there when read, even if it grew since the stat */
	while (len < (size_t)st.st_size &&
	       (got = read(fd, src->text + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)got;
	src->text[len] = '\0';
	close(fd);
	for (size_t i = 0; i < len;) {
		if (src->nlines == cap) {
			size_t *s = realloc(src->start, cap * 2 * sizeof(*s));

			if (!s) {
				lines_source_release(src);
				return -ENOMEM;
			}
			src->start = s;
			cap *= 2;
		}
		src->start[src->nlines++] = i;
		while (i < len && src->text[i] != '\n')
			i++;
		i++;
	}
	return 0;

out_close:
	close(fd);
	lines_source_release(src);
	return err;
}

const char *lines_source_line(const struct lines_source *src, int n, size_t *len)
{
	const char *p, *nl;

	if (n <= 0 || (size_t)n > src->nlines)
		return NULL;
	p = src->text + src->start[n - 1];
	nl = strchr(p, '\n');
	*len = nl ? (size_t)(nl - p) : strlen(p);
	return p;
}

void lines_source_release(struct lines_source *src)
{
	free(src->text);
	free(src->start);
	memset(src, 0, sizeof(*src));
}
