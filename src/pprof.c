/*
 * pprof.c - pprof profiles encoded, decoded and gzipped (see pprof.h).
 *
 * Wire format (protobuf): each field is a varint key (field << 3 | wire
 * type) and a value: a varint (type 0), 8 bytes (1), a varint length and
 * that many bytes (2: strings, messages, packed repeated numbers) or 4
 * bytes (5).  Repeated numbers are read packed or not, unknown fields
 * skipped, groups (types 3, 4) refused.  Encoding leaves out zero values
 * (proto3 defaults) except the string table's "", which must be there.
 *
 * Decoding never trusts a length: each is checked against the bytes
 * left, every array grows by what the input holds, so memory stays
 * proportional to the input, itself bounded by PPROF_MAX_SIZE.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pprof.h"
#include "util.h"

/* --- arrays and strings ------------------------------------------------- */

/* Room for one more element in *v (n used of *cap); 0 or -ENOMEM. */
static int grow(void **v, size_t *cap, size_t n, size_t more, size_t size)
{
	size_t ncap = *cap ? *cap : 16;
	void *nv;

	if (n + more <= *cap)
		return 0;
	while (ncap < n + more) {
		if (ncap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		ncap *= 2;
	}
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

#define GROW(pp, name, more)                                                                       \
	grow((void **)&(pp)->name, &(pp)->cap##name, (pp)->n##name, (more), sizeof(*(pp)->name))

struct pprof_strhash {
	size_t mask;
	int64_t *slot; /* string index + 1; 0: empty */
};

static uint64_t hash_str(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* Appends s[0, len) to the table without looking it up: its index, or -1. */
static int64_t add_str(struct pprof *pp, const char *s, size_t len)
{
	if (GROW(pp, strs, 1) || grow((void **)&pp->pool, &pp->poolcap, pp->poollen, len + 1, 1)) {
		pp->err = -ENOMEM;
		return -1;
	}
	memcpy(pp->pool + pp->poollen, s, len);
	pp->pool[pp->poollen + len] = '\0';
	pp->strs[pp->nstrs] = pp->poollen;
	pp->poollen += len + 1;
	return (int64_t)pp->nstrs++;
}

static int rehash(struct pprof *pp)
{
	struct pprof_strhash *h = pp->hash;
	size_t mask = h->mask ? h->mask * 2 + 1 : 255;
	int64_t *slot = calloc(mask + 1, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < pp->nstrs; i++) {
		const char *s = pp->pool + pp->strs[i];
		size_t k = hash_str(s, strlen(s)) & mask;

		while (slot[k])
			k = (k + 1) & mask;
		slot[k] = (int64_t)i + 1;
	}
	free(h->slot);
	h->slot = slot;
	h->mask = mask;
	return 0;
}

int64_t pprof_string(struct pprof *pp, const char *s)
{
	size_t len = strlen(s), k;
	struct pprof_strhash *h = pp->hash;
	int64_t i;

	if (!len)
		return 0;
	if (!h && !(h = pp->hash = calloc(1, sizeof(*h)))) {
		pp->err = -ENOMEM;
		return 0;
	}
	if ((pp->nstrs + 1) * 2 > h->mask && rehash(pp)) {
		pp->err = -ENOMEM;
		return 0;
	}
	for (k = hash_str(s, len) & h->mask; h->slot[k]; k = (k + 1) & h->mask)
		if (!strcmp(pp->pool + pp->strs[h->slot[k] - 1], s))
			return h->slot[k] - 1;
	i = add_str(pp, s, len);
	if (i < 0)
		return 0;
	h->slot[k] = i + 1;
	return i;
}

const char *pprof_str(const struct pprof *pp, int64_t i)
{
	if (i < 0 || (uint64_t)i >= pp->nstrs)
		return NULL;
	return pp->pool + pp->strs[i];
}

void pprof_init(struct pprof *pp)
{
	memset(pp, 0, sizeof(*pp));
	add_str(pp, "", 0);
}

void pprof_release(struct pprof *pp)
{
	free(pp->types);
	free(pp->samples);
	free(pp->locids);
	free(pp->values);
	free(pp->labels);
	free(pp->mappings);
	free(pp->locations);
	free(pp->lines);
	free(pp->functions);
	free(pp->comments);
	free(pp->strs);
	free(pp->pool);
	if (pp->hash)
		free(pp->hash->slot);
	free(pp->hash);
	memset(pp, 0, sizeof(*pp));
}

void pprof_add_type(struct pprof *pp, const char *type, const char *unit)
{
	int64_t t = pprof_string(pp, type), u = pprof_string(pp, unit);

	if (GROW(pp, types, 1)) {
		pp->err = -ENOMEM;
		return;
	}
	pp->types[pp->ntypes++] = (struct pprof_value_type){t, u};
}

void pprof_add_sample(struct pprof *pp, const uint64_t *locids, size_t nloc, const int64_t *values,
		      const struct pprof_label *labels, size_t nlabel)
{
	struct pprof_sample s = {pp->nlocids, nloc, pp->nvalues, pp->ntypes, pp->nlabels, nlabel};

	if (GROW(pp, samples, 1) || GROW(pp, locids, nloc) || GROW(pp, values, pp->ntypes) ||
	    GROW(pp, labels, nlabel)) {
		pp->err = -ENOMEM;
		return;
	}
	if (nloc)
		memcpy(pp->locids + pp->nlocids, locids, nloc * sizeof(*locids));
	if (pp->ntypes)
		memcpy(pp->values + pp->nvalues, values, pp->ntypes * sizeof(*values));
	if (nlabel)
		memcpy(pp->labels + pp->nlabels, labels, nlabel * sizeof(*labels));
	pp->nlocids += nloc;
	pp->nvalues += pp->ntypes;
	pp->nlabels += nlabel;
	pp->samples[pp->nsamples++] = s;
}

void pprof_add_mapping(struct pprof *pp, const struct pprof_mapping *m)
{
	if (GROW(pp, mappings, 1)) {
		pp->err = -ENOMEM;
		return;
	}
	pp->mappings[pp->nmappings++] = *m;
}

void pprof_add_location(struct pprof *pp, uint64_t id, uint64_t mapping_id, uint64_t address,
			const struct pprof_line *lines, size_t nline)
{
	if (GROW(pp, locations, 1) || GROW(pp, lines, nline)) {
		pp->err = -ENOMEM;
		return;
	}
	pp->locations[pp->nlocations++] =
	    (struct pprof_location){id, mapping_id, address, pp->nlines, nline};
	if (nline)
		memcpy(pp->lines + pp->nlines, lines, nline * sizeof(*lines));
	pp->nlines += nline;
}

void pprof_add_function(struct pprof *pp, const struct pprof_function *fn)
{
	if (GROW(pp, functions, 1)) {
		pp->err = -ENOMEM;
		return;
	}
	pp->functions[pp->nfunctions++] = *fn;
}

void pprof_add_comment(struct pprof *pp, const char *text)
{
	int64_t s = pprof_string(pp, text);

	if (GROW(pp, comments, 1)) {
		pp->err = -ENOMEM;
		return;
	}
	pp->comments[pp->ncomments++] = s;
}

/* --- encoding ----------------------------------------------------------- */

struct pb {
	uint8_t *b;
	size_t len, cap;
	int err;
};

static void pb_raw(struct pb *p, const void *d, size_t len)
{
	if (p->err || grow((void **)&p->b, &p->cap, p->len, len, 1)) {
		p->err = -ENOMEM;
		return;
	}
	if (len)
		memcpy(p->b + p->len, d, len);
	p->len += len;
}

static void pb_varint(struct pb *p, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pb_raw(p, b, n);
}

/* A varint field, left out when zero (the default). */
static void pb_uint(struct pb *p, unsigned field, uint64_t v)
{
	if (!v)
		return;
	pb_varint(p, (uint64_t)field << 3);
	pb_varint(p, v);
}

static void pb_bytes(struct pb *p, unsigned field, const void *d, size_t len)
{
	pb_varint(p, (uint64_t)field << 3 | 2);
	pb_varint(p, len);
	pb_raw(p, d, len);
}

/* A message field whose body is in sub (emptied for the next one). */
static void pb_msg(struct pb *p, unsigned field, struct pb *sub)
{
	if (sub->err)
		p->err = sub->err;
	pb_bytes(p, field, sub->b, sub->len);
	sub->len = 0;
}

/* A packed repeated varint field (left out when empty). */
static void pb_packed(struct pb *p, unsigned field, const uint64_t *v, size_t n, struct pb *tmp)
{
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		pb_varint(tmp, v[i]);
	pb_msg(p, field, tmp);
}

static void encode_value_type(struct pb *p, unsigned field, const struct pprof_value_type *vt,
			      struct pb *sub)
{
	pb_uint(sub, 1, (uint64_t)vt->type);
	pb_uint(sub, 2, (uint64_t)vt->unit);
	pb_msg(p, field, sub);
}

int pprof_encode(const struct pprof *pp, uint8_t **out, size_t *len)
{
	struct pb p = {0}, sub = {0}, sub2 = {0};
	int ret;

	*out = NULL;
	*len = 0;
	if (pp->err)
		return pp->err;
	for (size_t i = 0; i < pp->ntypes; i++)
		encode_value_type(&p, 1, &pp->types[i], &sub);
	for (size_t i = 0; i < pp->nsamples; i++) {
		const struct pprof_sample *s = &pp->samples[i];

		/* (an empty range may have no array: no pointer arithmetic then) */
		if (s->nloc)
			pb_packed(&sub, 1, pp->locids + s->loc, s->nloc, &sub2);
		if (s->nvalue)
			pb_packed(&sub, 2, (const uint64_t *)(pp->values + s->value), s->nvalue,
				  &sub2);
		for (size_t k = 0; k < s->nlabel; k++) {
			const struct pprof_label *l = &pp->labels[s->label + k];

			pb_uint(&sub2, 1, (uint64_t)l->key);
			pb_uint(&sub2, 2, (uint64_t)l->str);
			pb_uint(&sub2, 3, (uint64_t)l->num);
			pb_uint(&sub2, 4, (uint64_t)l->num_unit);
			pb_msg(&sub, 3, &sub2);
		}
		pb_msg(&p, 2, &sub);
	}
	for (size_t i = 0; i < pp->nmappings; i++) {
		const struct pprof_mapping *m = &pp->mappings[i];

		pb_uint(&sub, 1, m->id);
		pb_uint(&sub, 2, m->start);
		pb_uint(&sub, 3, m->limit);
		pb_uint(&sub, 4, m->offset);
		pb_uint(&sub, 5, (uint64_t)m->filename);
		pb_uint(&sub, 6, (uint64_t)m->build_id);
		pb_uint(&sub, 7, m->has_functions);
		pb_msg(&p, 3, &sub);
	}
	for (size_t i = 0; i < pp->nlocations; i++) {
		const struct pprof_location *l = &pp->locations[i];

		pb_uint(&sub, 1, l->id);
		pb_uint(&sub, 2, l->mapping_id);
		pb_uint(&sub, 3, l->address);
		for (size_t k = 0; k < l->nline; k++) {
			pb_uint(&sub2, 1, pp->lines[l->line + k].function_id);
			pb_uint(&sub2, 2, (uint64_t)pp->lines[l->line + k].line);
			pb_msg(&sub, 4, &sub2);
		}
		pb_msg(&p, 4, &sub);
	}
	for (size_t i = 0; i < pp->nfunctions; i++) {
		const struct pprof_function *fn = &pp->functions[i];

		pb_uint(&sub, 1, fn->id);
		pb_uint(&sub, 2, (uint64_t)fn->name);
		pb_uint(&sub, 3, (uint64_t)fn->system_name);
		pb_uint(&sub, 4, (uint64_t)fn->filename);
		pb_uint(&sub, 5, (uint64_t)fn->start_line);
		pb_msg(&p, 5, &sub);
	}
	for (size_t i = 0; i < pp->nstrs; i++) {
		const char *s = pp->pool + pp->strs[i];

		pb_bytes(&p, 6, s, strlen(s));
	}
	pb_uint(&p, 9, (uint64_t)pp->time_nanos);
	pb_uint(&p, 10, (uint64_t)pp->duration_nanos);
	if (pp->period_type.type || pp->period_type.unit)
		encode_value_type(&p, 11, &pp->period_type, &sub);
	pb_uint(&p, 12, (uint64_t)pp->period);
	pb_packed(&p, 13, (const uint64_t *)pp->comments, pp->ncomments, &sub);
	pb_uint(&p, 14, (uint64_t)pp->default_sample_type);
	ret = p.err ? p.err : sub.err ? sub.err : sub2.err;
	free(sub.b);
	free(sub2.b);
	if (ret) {
		free(p.b);
		return ret;
	}
	*out = p.b;
	*len = p.len;
	return 0;
}

/* --- decoding ----------------------------------------------------------- */

struct rd {
	const uint8_t *p, *end;
};

struct field {
	unsigned num, wt;
	uint64_t v;	/* wire types 0, 1, 5 */
	struct rd body; /* wire type 2 */
};

static int rd_varint(struct rd *r, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t b = *r->p++;

		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* The next field of r: 1, 0 at the end, -1 when malformed. */
static int rd_field(struct rd *r, struct field *f)
{
	uint64_t key, len;

	if (r->p == r->end)
		return 0;
	if (rd_varint(r, &key) || key >> 3 == 0 || key >> 3 > UINT32_MAX)
		return -1;
	f->num = (unsigned)(key >> 3);
	f->wt = key & 7;
	f->v = 0;
	switch (f->wt) {
	case 0:
		return rd_varint(r, &f->v) ? -1 : 1;
	case 1:
	case 5: {
		size_t n = f->wt == 1 ? 8 : 4;

		if ((size_t)(r->end - r->p) < n)
			return -1;
		for (size_t i = 0; i < n; i++)
			f->v |= (uint64_t)r->p[i] << (8 * i);
		r->p += n;
		return 1;
	}
	case 2:
		if (rd_varint(r, &len) || len > (uint64_t)(r->end - r->p))
			return -1;
		f->body.p = r->p;
		f->body.end = r->p + len;
		r->p += len;
		return 1;
	default:
		return -1;
	}
}

struct dec {
	struct pprof *pp;
	char *err;
	size_t errlen;
};

static int dec_fail(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int dec_fail(struct dec *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err && d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

#define MALFORMED(d, what) dec_fail((d), "not a profile: malformed %s", (what))

/* A repeated varint field, packed or not, appended to *v. */
static int dec_repeated(struct dec *d, const struct field *f, uint64_t **v, size_t *n, size_t *cap,
			const char *what)
{
	if (f->wt == 0) {
		if (grow((void **)v, cap, *n, 1, sizeof(**v)))
			return -ENOMEM;
		(*v)[(*n)++] = f->v;
		return 0;
	}
	if (f->wt != 2)
		return MALFORMED(d, what);
	struct rd r = f->body;
	while (r.p < r.end) {
		uint64_t x;

		if (rd_varint(&r, &x))
			return MALFORMED(d, what);
		if (grow((void **)v, cap, *n, 1, sizeof(**v)))
			return -ENOMEM;
		(*v)[(*n)++] = x;
	}
	return 0;
}

static int dec_value_type(struct dec *d, struct rd r, struct pprof_value_type *vt)
{
	struct field f;
	int got;

	memset(vt, 0, sizeof(*vt));
	while ((got = rd_field(&r, &f)) > 0) {
		if (f.num == 1 && f.wt == 0)
			vt->type = (int64_t)f.v;
		else if (f.num == 2 && f.wt == 0)
			vt->unit = (int64_t)f.v;
	}
	return got < 0 ? MALFORMED(d, "value type") : 0;
}

static int dec_sample(struct dec *d, struct rd r)
{
	struct pprof *pp = d->pp;
	struct pprof_sample s = {pp->nlocids, 0, pp->nvalues, 0, pp->nlabels, 0};
	struct field f, g;
	int got, ret;

	if (GROW(pp, samples, 1))
		return -ENOMEM;
	while ((got = rd_field(&r, &f)) > 0) {
		if (f.num == 1) {
			ret = dec_repeated(d, &f, &pp->locids, &pp->nlocids, &pp->caplocids,
					   "sample");
		} else if (f.num == 2) {
			ret = dec_repeated(d, &f, (uint64_t **)&pp->values, &pp->nvalues,
					   &pp->capvalues, "sample");
		} else if (f.num == 3 && f.wt == 2) {
			struct pprof_label l = {0};
			struct rd lr = f.body;

			while ((got = rd_field(&lr, &g)) > 0) {
				if (g.wt != 0)
					continue;
				if (g.num == 1)
					l.key = (int64_t)g.v;
				else if (g.num == 2)
					l.str = (int64_t)g.v;
				else if (g.num == 3)
					l.num = (int64_t)g.v;
				else if (g.num == 4)
					l.num_unit = (int64_t)g.v;
			}
			if (got < 0)
				return MALFORMED(d, "label");
			ret = GROW(pp, labels, 1);
			if (!ret)
				pp->labels[pp->nlabels++] = l;
		} else {
			continue;
		}
		if (ret)
			return ret;
	}
	if (got < 0)
		return MALFORMED(d, "sample");
	s.nloc = pp->nlocids - s.loc;
	s.nvalue = pp->nvalues - s.value;
	s.nlabel = pp->nlabels - s.label;
	pp->samples[pp->nsamples++] = s;
	return 0;
}

static int dec_mapping(struct dec *d, struct rd r)
{
	struct pprof_mapping m = {0};
	struct field f;
	int got;

	while ((got = rd_field(&r, &f)) > 0) {
		if (f.wt != 0)
			continue;
		switch (f.num) {
		case 1:
			m.id = f.v;
			break;
		case 2:
			m.start = f.v;
			break;
		case 3:
			m.limit = f.v;
			break;
		case 4:
			m.offset = f.v;
			break;
		case 5:
			m.filename = (int64_t)f.v;
			break;
		case 6:
			m.build_id = (int64_t)f.v;
			break;
		case 7:
			m.has_functions = f.v != 0;
			break;
		}
	}
	if (got < 0)
		return MALFORMED(d, "mapping");
	if (GROW(d->pp, mappings, 1))
		return -ENOMEM;
	d->pp->mappings[d->pp->nmappings++] = m;
	return 0;
}

static int dec_location(struct dec *d, struct rd r)
{
	struct pprof *pp = d->pp;
	struct pprof_location l = {0, 0, 0, pp->nlines, 0};
	struct field f, g;
	int got;

	while ((got = rd_field(&r, &f)) > 0) {
		if (f.num == 4 && f.wt == 2) {
			struct pprof_line line = {0};
			struct rd lr = f.body;

			while ((got = rd_field(&lr, &g)) > 0) {
				if (g.num == 1 && g.wt == 0)
					line.function_id = g.v;
				else if (g.num == 2 && g.wt == 0)
					line.line = (int64_t)g.v;
			}
			if (got < 0)
				return MALFORMED(d, "line");
			if (GROW(pp, lines, 1))
				return -ENOMEM;
			pp->lines[pp->nlines++] = line;
		} else if (f.wt == 0) {
			if (f.num == 1)
				l.id = f.v;
			else if (f.num == 2)
				l.mapping_id = f.v;
			else if (f.num == 3)
				l.address = f.v;
		}
	}
	if (got < 0)
		return MALFORMED(d, "location");
	l.nline = pp->nlines - l.line;
	if (GROW(pp, locations, 1))
		return -ENOMEM;
	pp->locations[pp->nlocations++] = l;
	return 0;
}

static int dec_function(struct dec *d, struct rd r)
{
	struct pprof_function fn = {0};
	struct field f;
	int got;

	while ((got = rd_field(&r, &f)) > 0) {
		if (f.wt != 0)
			continue;
		switch (f.num) {
		case 1:
			fn.id = f.v;
			break;
		case 2:
			fn.name = (int64_t)f.v;
			break;
		case 3:
			fn.system_name = (int64_t)f.v;
			break;
		case 4:
			fn.filename = (int64_t)f.v;
			break;
		case 5:
			fn.start_line = (int64_t)f.v;
			break;
		}
	}
	if (got < 0)
		return MALFORMED(d, "function");
	if (GROW(d->pp, functions, 1))
		return -ENOMEM;
	d->pp->functions[d->pp->nfunctions++] = fn;
	return 0;
}

/* Checks that string index i is in the table. */
static bool str_ok(const struct pprof *pp, int64_t i)
{
	return i >= 0 && (uint64_t)i < pp->nstrs;
}

/* Ids of kind what: nonzero and unique (checked on a sorted copy). */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int check_ids(struct dec *d, const void *base, size_t n, size_t stride, const char *what)
{
	uint64_t *ids;
	int ret = 0;

	if (!n)
		return 0;
	ids = malloc(n * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		memcpy(&ids[i], (const char *)base + i * stride, sizeof(*ids));
	qsort(ids, n, sizeof(*ids), cmp_u64);
	if (!ids[0])
		ret = dec_fail(d, "not a profile: a %s has id 0", what);
	for (size_t i = 1; i < n && !ret; i++)
		if (ids[i] == ids[i - 1])
			ret = dec_fail(d, "not a profile: %s id %" PRIu64 " is defined twice", what,
				       ids[i]);
	free(ids);
	return ret;
}

static int check(struct dec *d)
{
	const struct pprof *pp = d->pp;
	int ret;

	if (!pp->nstrs || pp->pool[pp->strs[0]])
		return dec_fail(d, "not a profile: string 0 is not empty");
	for (size_t i = 0; i < pp->ntypes; i++)
		if (!str_ok(pp, pp->types[i].type) || !str_ok(pp, pp->types[i].unit))
			return dec_fail(d, "sample type %zu: string index out of range", i + 1);
	if (!str_ok(pp, pp->default_sample_type) || !str_ok(pp, pp->period_type.type) ||
	    !str_ok(pp, pp->period_type.unit))
		return dec_fail(d, "not a profile: string index out of range");
	for (size_t i = 0; i < pp->ncomments; i++)
		if (!str_ok(pp, pp->comments[i]))
			return dec_fail(d, "comment %zu: string index out of range", i + 1);
	for (size_t i = 0; i < pp->nsamples; i++) {
		const struct pprof_sample *s = &pp->samples[i];

		if (s->nvalue != pp->ntypes)
			return dec_fail(d, "sample %zu: %zu values for %zu sample types", i + 1,
					s->nvalue, pp->ntypes);
		for (size_t k = 0; k < s->nlabel; k++) {
			const struct pprof_label *l = &pp->labels[s->label + k];

			if (!str_ok(pp, l->key) || !str_ok(pp, l->str) || !str_ok(pp, l->num_unit))
				return dec_fail(d, "sample %zu: label string index out of range",
						i + 1);
		}
	}
	for (size_t i = 0; i < pp->nmappings; i++)
		if (!str_ok(pp, pp->mappings[i].filename) || !str_ok(pp, pp->mappings[i].build_id))
			return dec_fail(d, "mapping %zu: string index out of range", i + 1);
	for (size_t i = 0; i < pp->nfunctions; i++) {
		const struct pprof_function *fn = &pp->functions[i];

		if (!str_ok(pp, fn->name) || !str_ok(pp, fn->system_name) ||
		    !str_ok(pp, fn->filename))
			return dec_fail(d, "function %zu: string index out of range", i + 1);
	}
	ret = check_ids(d, pp->mappings, pp->nmappings, sizeof(*pp->mappings), "mapping");
	if (!ret)
		ret =
		    check_ids(d, pp->locations, pp->nlocations, sizeof(*pp->locations), "location");
	if (!ret)
		ret =
		    check_ids(d, pp->functions, pp->nfunctions, sizeof(*pp->functions), "function");
	return ret;
}

int pprof_decode(struct pprof *pp, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct dec d = {pp, err, errlen};
	struct rd r = {buf, buf + len};
	struct field f;
	int got, ret = 0;

	memset(pp, 0, sizeof(*pp));
	if (err && errlen)
		err[0] = '\0';
	while (!ret && (got = rd_field(&r, &f)) > 0) {
		if (f.num == 13) {
			ret = dec_repeated(&d, &f, (uint64_t **)&pp->comments, &pp->ncomments,
					   &pp->capcomments, "comment");
			continue;
		}
		if (f.wt == 2) {
			switch (f.num) {
			case 1:
				ret = GROW(pp, types, 1);
				if (!ret)
					ret = dec_value_type(&d, f.body, &pp->types[pp->ntypes++]);
				continue;
			case 2:
				ret = dec_sample(&d, f.body);
				continue;
			case 3:
				ret = dec_mapping(&d, f.body);
				continue;
			case 4:
				ret = dec_location(&d, f.body);
				continue;
			case 5:
				ret = dec_function(&d, f.body);
				continue;
			case 6:
				if (add_str(pp, (const char *)f.body.p,
					    (size_t)(f.body.end - f.body.p)) < 0)
					ret = -ENOMEM;
				continue;
			case 11:
				ret = dec_value_type(&d, f.body, &pp->period_type);
				continue;
			}
		} else if (f.wt == 0) {
			switch (f.num) {
			case 9:
				pp->time_nanos = (int64_t)f.v;
				break;
			case 10:
				pp->duration_nanos = (int64_t)f.v;
				break;
			case 12:
				pp->period = (int64_t)f.v;
				break;
			case 14:
				pp->default_sample_type = (int64_t)f.v;
				break;
			}
		}
	}
	if (!ret && got < 0)
		ret = dec_fail(&d, "not a profile (malformed protobuf)");
	if (!ret && !pp->ntypes && !pp->nstrs)
		ret = dec_fail(&d, "not a profile (no sample types, no strings)");
	if (!ret)
		ret = check(&d);
	if (ret == -ENOMEM && err && errlen)
		snprintf(err, errlen, "out of memory");
	return ret;
}

/* --- a profile to pprof --------------------------------------------------- */

struct from {
	struct pprof *pp;
	const struct fprof *fp;
	uint64_t *loc_of;     /* funcs id -> location id, 0 while not made */
	uint64_t *map_of_str; /* module string index -> mapping id */
	size_t nmap_of_str;
	uint64_t *ids;
	size_t capids;
	int64_t vals[2];
	int64_t k_thread, k_thread_name, k_coro, k_state, s_on, s_off;
	bool wall;
};

static uint64_t location_of(struct from *x, uint32_t func)
{
	struct pprof *pp = x->pp;
	const struct funcs *f = x->fp->funcs;
	uint64_t id, map = 0;
	const char *mod;

	if (x->loc_of[func])
		return x->loc_of[func];
	id = pp->nlocations + 1;
	mod = funcs_module(f, func);
	if (mod[0]) {
		int64_t s = pprof_string(pp, mod);

		if ((uint64_t)s >= x->nmap_of_str) {
			size_t n = x->nmap_of_str;

			if (grow((void **)&x->map_of_str, &n, x->nmap_of_str, (size_t)s + 1 - n,
				 sizeof(*x->map_of_str))) {
				pp->err = -ENOMEM;
				return 0;
			}
			memset(x->map_of_str + x->nmap_of_str, 0,
			       (n - x->nmap_of_str) * sizeof(*x->map_of_str));
			x->nmap_of_str = n;
		}
		if (!x->map_of_str[s]) {
			const char *bid = funcs_build_id(f, mod);
			struct pprof_mapping m = {.id = pp->nmappings + 1,
						  .filename = s,
						  .build_id = bid ? pprof_string(pp, bid) : 0,
						  .has_functions = true};

			pprof_add_mapping(pp, &m);
			x->map_of_str[s] = m.id;
		}
		map = x->map_of_str[s];
	}
	struct pprof_function fn = {.id = id, .name = pprof_string(pp, funcs_name(f, func))};
	struct pprof_line line = {.function_id = id};
	int start;
	const char *file = funcs_source(f, func, &start);

	fn.system_name = fn.name;
	/* a location stands for the whole function (the tree knows no
	 * finer): its line is where the function starts */
	if (file) {
		fn.filename = pprof_string(pp, file);
		fn.start_line = start;
		line.line = start;
	}
	pprof_add_function(pp, &fn);
	pprof_add_location(pp, id, map, 0, &line, 1);
	x->loc_of[func] = id;
	return id;
}

#define MAX_LABELS 16

static int from_stack(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		      uint64_t value, uint64_t count)
{
	struct from *x = arg;
	struct pprof *pp = x->pp;
	struct pprof_label lab[MAX_LABELS + 4];
	size_t nl = 0;

	if (grow((void **)&x->ids, &x->capids, 0, n, sizeof(*x->ids)))
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		x->ids[i] = location_of(x, funcs[n - 1 - i]); /* leaf first */
	x->vals[0] = count > INT64_MAX ? INT64_MAX : (int64_t)count;
	x->vals[1] = value > INT64_MAX ? INT64_MAX : (int64_t)value;
	if (ctx && x->fp->profile) {
		if (ctx->tid) {
			size_t nt;
			const struct profile_thread *th = profile_threads(x->fp->profile, &nt);

			lab[nl++] = (struct pprof_label){.key = x->k_thread, .num = ctx->tid};
			for (size_t i = 0; i < nt; i++)
				if (th[i].tid == ctx->tid && th[i].name[0])
					lab[nl++] = (struct pprof_label){
					    .key = x->k_thread_name,
					    .str = pprof_string(pp, th[i].name)};
		}
		if (ctx->coro_id)
			lab[nl++] =
			    (struct pprof_label){.key = x->k_coro, .num = (int64_t)ctx->coro_id};
		if (x->wall)
			lab[nl++] = (struct pprof_label){.key = x->k_state,
							 .str = ctx->oncpu ? x->s_on : x->s_off};
		if (ctx->labels_id && x->fp->labels) {
			const char *keys[MAX_LABELS], *values[MAX_LABELS];
			int k = x->fp->labels(x->fp->labels_arg, ctx->labels_id, keys, values,
					      MAX_LABELS);

			for (int i = 0; i < k && i < MAX_LABELS; i++)
				lab[nl++] = (struct pprof_label){pprof_string(pp, keys[i]),
								 pprof_string(pp, values[i]), 0, 0};
		}
	}
	pprof_add_sample(pp, x->ids, n, x->vals, lab, nl);
	return pp->err;
}

/* The pprof spelling of a unit. */
static const char *unit_word(enum unit u)
{
	switch (u) {
	case UNIT_NS:
		return "nanoseconds";
	case UNIT_BYTES:
		return "bytes";
	default:
		return "count";
	}
}

int pprof_from(struct pprof *pp, const struct fprof *fp)
{
	struct from x = {.pp = pp, .fp = fp};
	int ret;

	x.loc_of = calloc(funcs_count(fp->funcs) + 1, sizeof(*x.loc_of));
	if (!x.loc_of)
		return -ENOMEM;
	pprof_add_type(pp, "samples", "count");
	if (fp->unit != UNIT_SAMPLES)
		pprof_add_type(pp, fp->measure[0] ? fp->measure : "value", unit_word(fp->unit));
	pp->default_sample_type = pp->types[pp->ntypes - 1].type;
	if (fp->unit != UNIT_SAMPLES)
		pp->period_type = pp->types[pp->ntypes - 1];
	x.wall = !strcmp(fp->measure, "wall");
	x.k_thread = pprof_string(pp, "thread");
	x.k_thread_name = pprof_string(pp, "thread_name");
	x.k_coro = pprof_string(pp, "coroutine");
	x.k_state = pprof_string(pp, "state");
	x.s_on = pprof_string(pp, "oncpu");
	x.s_off = pprof_string(pp, "offcpu");
	if (fp->decimals) {
		char c[96];

		snprintf(c, sizeof(c), PPROF_SCALE_COMMENT,
			 (unsigned long long)util_pow10(fp->decimals));
		pprof_add_comment(pp, c);
	}
	ret = fprof_foreach(fp, from_stack, &x);
	if (!ret)
		ret = pp->err;
	free(x.loc_of);
	free(x.map_of_str);
	free(x.ids);
	return ret;
}

/* --- pprof to a tree ------------------------------------------------------ */

struct idx {
	uint64_t id;
	size_t i;
};

static int cmp_idx(const void *a, const void *b)
{
	return cmp_u64(&((const struct idx *)a)->id, &((const struct idx *)b)->id);
}

/* An index sorted by id over n records of stride bytes whose first field
 * is the id; NULL on ENOMEM (n 0 gives a harmless 1-element array). */
static struct idx *index_ids(const void *base, size_t n, size_t stride)
{
	struct idx *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		memcpy(&v[i].id, (const char *)base + i * stride, sizeof(v[i].id));
		v[i].i = i;
	}
	qsort(v, n, sizeof(*v), cmp_idx);
	return v;
}

/* The record of id: its index, or -1. */
static ssize_t find_id(const struct idx *v, size_t n, uint64_t id)
{
	struct idx key = {id, 0}, *hit;

	if (!id)
		return -1;
	hit = bsearch(&key, v, n, sizeof(*v), cmp_idx);
	return hit ? (ssize_t)hit->i : -1;
}

/* Chooses the sample type a tree is weighed by: the default, or the last. */
static size_t chosen_type(const struct pprof *pp)
{
	const char *def = pprof_str(pp, pp->default_sample_type);

	for (size_t i = 0; def && def[0] && i < pp->ntypes; i++)
		if (!strcmp(pprof_str(pp, pp->types[i].type), def))
			return i;
	return pp->ntypes - 1;
}

static enum unit unit_of(const char *u)
{
	if (!strcmp(u, "nanoseconds"))
		return UNIT_NS;
	if (!strcmp(u, "bytes"))
		return UNIT_BYTES;
	return UNIT_OBJECTS;
}

/* The decimals a PPROF_SCALE_COMMENT of pp says its counts have, or 0. */
static unsigned scale_of(const struct pprof *pp)
{
	for (size_t i = 0; i < pp->ncomments; i++) {
		for (unsigned d = 1; d <= 9; d++) {
			char c[96];

			snprintf(c, sizeof(c), PPROF_SCALE_COMMENT,
				 (unsigned long long)util_pow10(d));
			if (!strcmp(pprof_str(pp, pp->comments[i]), c))
				return d;
		}
	}
	return 0;
}

int pprof_to_tree(const struct pprof *pp, struct fprof *fp, char *err, size_t errlen)
{
	struct dec d = {(struct pprof *)pp, err, errlen};
	struct idx *locs = NULL, *fns = NULL, *maps = NULL;
	uint32_t *frames = NULL, *stack = NULL;
	size_t *first = NULL, nframes = 0, capframes = 0, capstack = 0, vi, ci = SIZE_MAX;
	int ret = 0;

	if (!pp->ntypes)
		return dec_fail(&d, "not a profile: no sample types");
	vi = chosen_type(pp);
	for (size_t i = 0; i < pp->ntypes; i++)
		if (!strcmp(pprof_str(pp, pp->types[i].type), "samples"))
			ci = i;
	snprintf(fp->measure, sizeof(fp->measure), "%s", pprof_str(pp, pp->types[vi].type));
	fp->decimals = scale_of(pp);
	fp->unit = ci == vi ? UNIT_SAMPLES : unit_of(pprof_str(pp, pp->types[vi].unit));
	if (ci == SIZE_MAX)
		ci = vi;

	locs = index_ids(pp->locations, pp->nlocations, sizeof(*pp->locations));
	fns = index_ids(pp->functions, pp->nfunctions, sizeof(*pp->functions));
	maps = index_ids(pp->mappings, pp->nmappings, sizeof(*pp->mappings));
	/* each location's frames, root first: frames[first[i], first[i + 1]) */
	first = malloc((pp->nlocations + 1) * sizeof(*first));
	if (!locs || !fns || !maps || !first) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pp->nlocations; i++) {
		const struct pprof_location *l = &pp->locations[i];
		ssize_t m = find_id(maps, pp->nmappings, l->mapping_id);
		const char *mod = "";
		char name[64];

		if (l->mapping_id && m < 0) {
			ret = dec_fail(
			    &d, "location %" PRIu64 ": mapping id %" PRIu64 " is not defined",
			    l->id, l->mapping_id);
			goto out;
		}
		if (m >= 0) {
			mod = pprof_str(pp, pp->mappings[m].filename);
			if (mod[0] && funcs_set_build_id(fp->funcs, mod,
							 pprof_str(pp, pp->mappings[m].build_id))) {
				ret = -ENOMEM;
				goto out;
			}
		}
		first[i] = nframes;
		if (grow((void **)&frames, &capframes, nframes, l->nline ? l->nline : 1,
			 sizeof(*frames))) {
			ret = -ENOMEM;
			goto out;
		}
		if (!l->nline) {
			if (m >= 0 && mod[0])
				snprintf(name, sizeof(name), "%s+0x%" PRIx64, util_base_name(mod),
					 l->address - pp->mappings[m].start +
					     pp->mappings[m].offset);
			else
				snprintf(name, sizeof(name), "0x%" PRIx64, l->address);
			frames[nframes] = funcs_intern(fp->funcs, name, mod);
			if (!frames[nframes++]) {
				ret = -ENOMEM;
				goto out;
			}
			continue;
		}
		for (size_t k = l->nline; k-- > 0;) {
			uint64_t fid = pp->lines[l->line + k].function_id;
			ssize_t fi = find_id(fns, pp->nfunctions, fid);

			if (fi < 0) {
				ret = dec_fail(&d,
					       "location %" PRIu64 ": function id %" PRIu64
					       " is not defined",
					       l->id, fid);
				goto out;
			}
			const struct pprof_function *fn = &pp->functions[fi];

			frames[nframes] = funcs_intern(fp->funcs, pprof_str(pp, fn->name), mod);
			if (!frames[nframes] ||
			    funcs_set_source(fp->funcs, frames[nframes],
					     pprof_str(pp, fn->filename),
					     fn->start_line > 0 && fn->start_line <= INT32_MAX
						 ? (int)fn->start_line
						 : 0)) {
				ret = -ENOMEM;
				goto out;
			}
			nframes++;
		}
	}
	first[pp->nlocations] = nframes;

	for (size_t i = 0; i < pp->nsamples; i++) {
		const struct pprof_sample *s = &pp->samples[i];
		int64_t v = pp->values[s->value + vi], c = pp->values[s->value + ci];
		size_t n = 0;
		struct ctnode *root = calltree_root(fp->tree);

		if (v < 0 || c < 0) {
			ret = dec_fail(&d, "sample %zu: negative value (a difference of profiles?)",
				       i + 1);
			goto out;
		}
		if (root->total_weight + (uint64_t)v < root->total_weight ||
		    root->total_count + (uint64_t)c < root->total_count) {
			ret = dec_fail(&d, "sample %zu: the total exceeds 2^64-1", i + 1);
			goto out;
		}
		/* locations leaf first: the stack from the last one, root first */
		for (size_t k = s->nloc; k-- > 0;) {
			uint64_t id = pp->locids[s->loc + k];
			ssize_t li = find_id(locs, pp->nlocations, id);
			size_t nf;

			if (li < 0) {
				ret = dec_fail(&d,
					       "sample %zu: location id %" PRIu64 " is not defined",
					       i + 1, id);
				goto out;
			}
			nf = first[li + 1] - first[li];
			if (grow((void **)&stack, &capstack, n, nf, sizeof(*stack))) {
				ret = -ENOMEM;
				goto out;
			}
			if (nf)
				memcpy(stack + n, frames + first[li], nf * sizeof(*stack));
			n += nf;
		}
		if ((v || c) && !calltree_add(fp->tree, stack, n, (uint64_t)v, (uint64_t)c)) {
			ret = -ENOMEM;
			goto out;
		}
	}
out:
	if (ret == -ENOMEM && err && errlen)
		snprintf(err, errlen, "out of memory");
	free(locs);
	free(fns);
	free(maps);
	free(first);
	free(frames);
	free(stack);
	return ret;
}

/* --- gzip ------------------------------------------------------------------ */

int pprof_write(FILE *out, const struct fprof *fp)
{
	struct pprof pp;
	uint8_t *buf = NULL, chunk[65536];
	size_t len;
	z_stream z = {0};
	int ret, zr;

	pprof_init(&pp);
	ret = pprof_from(&pp, fp);
	if (!ret)
		ret = pprof_encode(&pp, &buf, &len);
	pprof_release(&pp);
	if (ret)
		return ret;
	/* windowBits 15 + 16: a gzip header and trailer */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		free(buf);
		return -ENOMEM;
	}
	z.next_in = buf;
	z.avail_in = (uInt)len; /* profiles stay below 4 GiB (PPROF_MAX_SIZE) */
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = deflate(&z, Z_FINISH);
		if (zr == Z_STREAM_ERROR) {
			ret = -EIO;
			break;
		}
		size_t have = sizeof(chunk) - z.avail_out;

		errno = 0;
		if (have && fwrite(chunk, 1, have, out) != have) {
			ret = errno ? -errno : -EIO;
			break;
		}
	} while (zr != Z_STREAM_END);
	deflateEnd(&z);
	free(buf);
	errno = 0;
	if (!ret && (fflush(out) || ferror(out)))
		ret = errno ? -errno : -EIO;
	return ret;
}

int pprof_gunzip(const uint8_t *gz, size_t len, uint8_t **out, size_t *outlen, char *err,
		 size_t errlen)
{
	z_stream z = {0};
	uint8_t *b = NULL;
	size_t cap = 0, n = 0;
	int zr = Z_OK, ret = 0;

	*out = NULL;
	*outlen = 0;
	if (len < 2 || gz[0] != 0x1f || gz[1] != 0x8b) {
		snprintf(err, errlen, "not gzipped (a pprof profile is a gzipped profile.proto)");
		return -EINVAL;
	}
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	z.next_in = (uint8_t *)gz;
	z.avail_in = len > UINT_MAX ? UINT_MAX : (uInt)len;
	while (zr != Z_STREAM_END) {
		if (n == cap) {
			if (cap >= PPROF_MAX_SIZE) {
				snprintf(err, errlen, "larger than %u MiB uncompressed",
					 PPROF_MAX_SIZE >> 20);
				ret = -EFBIG;
				break;
			}
			if (grow((void **)&b, &cap, n, cap ? cap : 4 * len + 4096, 1)) {
				snprintf(err, errlen, "out of memory");
				ret = -ENOMEM;
				break;
			}
			if (cap > PPROF_MAX_SIZE)
				cap = PPROF_MAX_SIZE;
		}
		z.next_out = b + n;
		z.avail_out = (uInt)(cap - n);
		zr = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && z.avail_out) {
			snprintf(err, errlen, "truncated gzip stream");
			ret = -EINVAL;
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(err, errlen, "corrupt gzip stream (%s)",
				 z.msg ? z.msg : "inflate failed");
			ret = zr == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
			break;
		}
	}
	inflateEnd(&z);
	if (ret) {
		free(b);
		return ret;
	}
	*out = b;
	*outlen = n;
	return 0;
}

int pprof_read(FILE *in, struct fprof *fp, char *err, size_t errlen)
{
	uint8_t *gz = NULL, *raw = NULL;
	size_t len = 0, cap = 0, rawlen, got;
	struct pprof pp;
	int ret = 0;

	err[0] = '\0';
	do {
		if (len >= PPROF_MAX_SIZE) {
			snprintf(err, errlen, "larger than %u MiB", PPROF_MAX_SIZE >> 20);
			free(gz);
			return -EFBIG;
		}
		if (grow((void **)&gz, &cap, len, 65536, 1)) {
			free(gz);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		errno = 0;
		got = fread(gz + len, 1, cap - len, in);
		len += got;
	} while (got && !ferror(in));
	if (ferror(in)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, errlen, "%s", strerror(-ret));
		free(gz);
		return ret;
	}
	ret = pprof_gunzip(gz, len, &raw, &rawlen, err, errlen);
	free(gz);
	if (ret)
		return ret;
	ret = pprof_decode(&pp, raw, rawlen, err, errlen);
	if (!ret)
		ret = pprof_to_tree(&pp, fp, err, errlen);
	pprof_release(&pp);
	free(raw);
	return ret;
}
