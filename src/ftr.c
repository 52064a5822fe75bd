/*
 * ftr.c - flametop recordings: the streaming writer and the reader (see
 * ftr.h and flametop-ftr(5)).
 *
 * The writer appends records to a buffer (struct buf) and, when it passes
 * FTR_BLOCK_FILL or at ftr_flush, deflates the buffer alone and writes it
 * as one block.  Sample times are written as the difference from the
 * previous sample's (zigzag, so that threads out of order cost little);
 * that is the only state carried from block to block, and the reader
 * stops at the first bad block, so it never needs a block it lost.
 *
 * The reader reads block by block: header (bounded lengths), payload,
 * CRC-32 over the lengths and the payload, then inflate into a buffer of
 * exactly rawlen bytes.  Records are parsed with a cursor (struct cur)
 * that refuses to read past its end; every id is checked against what the
 * file defined before (functions are numbered 1, 2, ... in the order
 * written and mapped to the reader's own table).  An error inside a block
 * after the first one ends the reading there, as a truncation does.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "flametop-shm.h"
#include "ftr.h"
#include "gctimeline.h"
#include "util.h"

/* record kinds (flametop-ftr(5)); a reader skips kinds it does not know */
enum ftr_kind {
	FTR_HEADER = 1,
	FTR_FUNC = 2,
	FTR_THREAD = 3,
	FTR_LABELS = 4,
	FTR_SAMPLE = 5,
	FTR_GC = 6,
	FTR_END = 7,
	FTR_SOURCE = 8,
	FTR_BUILD_ID = 9,
};

#define FTR_FLAG_ONCPU 1u

/* bounds the reader holds a file to */
#define FTR_STR_MAX 4096u
#define FTR_STACK_MAX 65536u
#define FTR_LABELS_MAX 64u
#define FTR_FUNCS_MAX (1u << 24)
#define BLOCK_HDR 12u

/* ---- buffers and varints ------------------------------------------------ */

struct buf {
	unsigned char *p;
	size_t n, cap;
	bool failed; /* out of memory: the buffer is incomplete */
};

static void buf_need(struct buf *b, size_t more)
{
	size_t cap;
	unsigned char *np;

	if (b->failed || b->n + more <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->failed = true;
		return;
	}
	b->p = np;
	b->cap = cap;
}

static void buf_put(struct buf *b, const void *src, size_t n)
{
	buf_need(b, n);
	if (b->failed)
		return;
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void buf_varint(struct buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	buf_put(b, tmp, n);
}

static void buf_str(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > FTR_STR_MAX)
		n = FTR_STR_MAX;

	buf_varint(b, n);
	buf_put(b, s, n);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* ---- the writer --------------------------------------------------------- */

struct ftr_writer {
	FILE *out;
	const struct funcs *f;
	uint32_t nfuncs;	     /* ids below it are written (id 0 never is) */
	size_t nsourced, nbuild_ids; /* of funcs_sourced, funcs_build_id_at */
	struct buf blk;		     /* the records of the block being filled */
	struct buf rec;		     /* the body of the record being built */
	unsigned char *z;
	size_t zcap;
	uint64_t prev_ns;
	uint64_t written, last_flush;
	int err;
};

/* Appends rec's body to the block as a record of kind. */
static void put_record(struct ftr_writer *w, enum ftr_kind kind)
{
	unsigned char k = (unsigned char)kind;

	buf_put(&w->blk, &k, 1);
	buf_varint(&w->blk, w->rec.n);
	buf_put(&w->blk, w->rec.p, w->rec.n);
	w->rec.n = 0;
	if (w->rec.failed || w->blk.failed)
		w->err = w->err ? w->err : -ENOMEM;
}

struct ftr_writer *ftr_writer_new(FILE *out, const struct ftr_info *h, const struct funcs *f)
{
	struct ftr_writer *w = calloc(1, sizeof(*w));
	unsigned char magic[8];

	if (!w)
		return NULL;
	w->out = out;
	w->f = f;
	w->nfuncs = 1;
	memcpy(magic, FTR_MAGIC, 4);
	put_le32(magic + 4, FTR_VERSION);
	if (fwrite(magic, 1, sizeof(magic), out) != sizeof(magic))
		w->err = -(errno ? errno : EIO);
	w->written = sizeof(magic);
	buf_varint(&w->rec, (uint32_t)h->pid);
	buf_varint(&w->rec, h->mode);
	buf_varint(&w->rec, h->freq_hz);
	buf_str(&w->rec, h->measure);
	buf_varint(&w->rec, (uint64_t)h->unit);
	buf_varint(&w->rec, h->start_ns);
	buf_varint(&w->rec, h->start_real_ns);
	buf_str(&w->rec, h->cmdline);
	buf_varint(&w->rec, FT_VERSION); /* of the GC records' layout */
	put_record(w, FTR_HEADER);
	if (w->err == -ENOMEM) {
		ftr_writer_free(w);
		return NULL;
	}
	return w;
}

void ftr_writer_free(struct ftr_writer *w)
{
	if (!w)
		return;
	free(w->blk.p);
	free(w->rec.p);
	free(w->z);
	free(w);
}

int ftr_flush(struct ftr_writer *w)
{
	unsigned char hdr[BLOCK_HDR];
	uLongf zlen;
	uint32_t crc;

	if (w->err || !w->blk.n)
		goto out_flush;
	zlen = compressBound(w->blk.n);
	if (zlen > w->zcap) {
		unsigned char *nz = realloc(w->z, zlen);

		if (!nz) {
			w->err = -ENOMEM;
			return w->err;
		}
		w->z = nz;
		w->zcap = zlen;
	}
	if (compress2(w->z, &zlen, w->blk.p, w->blk.n, Z_DEFAULT_COMPRESSION) != Z_OK) {
		w->err = -ENOMEM;
		return w->err;
	}
	put_le32(hdr, (uint32_t)zlen);
	put_le32(hdr + 4, (uint32_t)w->blk.n);
	crc = crc32(crc32(0, hdr, 8), w->z, (uInt)zlen);
	put_le32(hdr + 8, crc);
	errno = 0;
	if (fwrite(hdr, 1, sizeof(hdr), w->out) != sizeof(hdr) ||
	    fwrite(w->z, 1, zlen, w->out) != zlen) {
		w->err = -(errno ? errno : EIO);
		return w->err;
	}
	w->written += sizeof(hdr) + zlen;
	w->blk.n = 0;
out_flush:
	if (!w->err && fflush(w->out) != 0)
		w->err = -(errno ? errno : EIO);
	w->last_flush = util_mono_ns();
	return w->err;
}

/* Closes the block once it is full enough. */
static int maybe_flush(struct ftr_writer *w)
{
	if (!w->err && w->blk.n >= FTR_BLOCK_FILL)
		return ftr_flush(w);
	return w->err;
}

int ftr_write_thread(struct ftr_writer *w, int32_t tid, const char *name)
{
	if (w->err)
		return w->err;
	buf_varint(&w->rec, (uint32_t)tid);
	buf_str(&w->rec, name);
	put_record(w, FTR_THREAD);
	return maybe_flush(w);
}

int ftr_write_labels(struct ftr_writer *w, uint32_t id, const char *const *keys,
		     const char *const *values, int n)
{
	if (w->err)
		return w->err;
	if (n < 0)
		n = 0;
	if (n > (int)FTR_LABELS_MAX)
		n = FTR_LABELS_MAX;
	buf_varint(&w->rec, id);
	buf_varint(&w->rec, (uint64_t)n);
	for (int i = 0; i < n; i++) {
		buf_str(&w->rec, keys[i]);
		buf_str(&w->rec, values[i]);
	}
	put_record(w, FTR_LABELS);
	return maybe_flush(w);
}

/* The functions interned since the last call, before a record that may
 * name them. */
static void write_funcs(struct ftr_writer *w)
{
	uint32_t n = funcs_count(w->f);

	for (; w->nfuncs < n && !w->err; w->nfuncs++) {
		buf_varint(&w->rec, w->nfuncs);
		buf_str(&w->rec, funcs_name(w->f, w->nfuncs));
		buf_str(&w->rec, funcs_module(w->f, w->nfuncs));
		put_record(w, FTR_FUNC);
	}
	/* what became known of the functions written (funcs.h) */
	for (; w->nsourced < funcs_nsourced(w->f) && !w->err; w->nsourced++) {
		uint32_t id = funcs_sourced(w->f, w->nsourced);
		int line;
		const char *file = funcs_source(w->f, id, &line);

		buf_varint(&w->rec, id);
		buf_str(&w->rec, file);
		buf_varint(&w->rec, (uint64_t)line);
		put_record(w, FTR_SOURCE);
	}
	for (; w->nbuild_ids < funcs_nbuild_ids(w->f) && !w->err; w->nbuild_ids++) {
		const char *module, *hex = funcs_build_id_at(w->f, w->nbuild_ids, &module);

		buf_str(&w->rec, module);
		buf_str(&w->rec, hex);
		put_record(w, FTR_BUILD_ID);
	}
}

int ftr_write_gc(struct ftr_writer *w, const void *rec, uint32_t len, const uint32_t *ids,
		 uint32_t n)
{
	struct ft_gc g;

	if (w->err)
		return w->err;
	if (len < sizeof(g))
		return 0;
	/* the pcs mean nothing without the target's memory: the stack is
	 * written as function ids instead */
	memcpy(&g, rec, sizeof(g));
	g.hdr.tag = 0;
	g.hdr.len = sizeof(g);
	g.hdr.check = 0;
	g.nframes = 0;
	write_funcs(w);
	buf_varint(&w->rec, sizeof(g));
	buf_put(&w->rec, &g, sizeof(g));
	if (n > FTR_STACK_MAX)
		n = FTR_STACK_MAX;
	buf_varint(&w->rec, n);
	for (uint32_t i = 0; i < n; i++)
		buf_varint(&w->rec, ids[i]);
	put_record(w, FTR_GC);
	return maybe_flush(w);
}

int ftr_write_sample(struct ftr_writer *w, const struct profile_sample *s)
{
	uint32_t n = s->n > FTR_STACK_MAX ? FTR_STACK_MAX : s->n;

	if (w->err)
		return w->err;
	write_funcs(w);
	buf_varint(&w->rec, zigzag((int64_t)(s->time_ns - w->prev_ns)));
	w->prev_ns = s->time_ns;
	buf_varint(&w->rec, (uint32_t)s->tid);
	buf_varint(&w->rec, s->oncpu ? FTR_FLAG_ONCPU : 0);
	buf_varint(&w->rec, s->weight);
	buf_varint(&w->rec, s->coro_id);
	buf_varint(&w->rec, s->labels_id);
	buf_varint(&w->rec, n);
	for (uint32_t i = 0; i < n; i++)
		buf_varint(&w->rec, s->funcs[i]);
	put_record(w, FTR_SAMPLE);
	return maybe_flush(w);
}

int ftr_finish(struct ftr_writer *w, uint64_t lost)
{
	if (w->err)
		return w->err;
	write_funcs(w);
	buf_varint(&w->rec, lost);
	put_record(w, FTR_END);
	return ftr_flush(w);
}

uint64_t ftr_written(const struct ftr_writer *w)
{
	return w->written;
}

uint64_t ftr_last_flush(const struct ftr_writer *w)
{
	return w->last_flush;
}

/* ---- the reader --------------------------------------------------------- */

struct gc_stack {
	uint64_t start_ns, number;
	size_t off;
	uint32_t n;
};

struct label_set {
	uint32_t id;
	int n;
	char **kv; /* 2n strings: key, value, ... */
};

struct ftr {
	struct ftr_info info;
	struct funcs *f;
	struct profile *p;
	uint32_t *fmap; /* file's function id -> ours; fmap[0] = 0 */
	uint32_t nfmap, fmapcap;
	uint32_t *stack; /* stackcap ids, grown up to FTR_STACK_MAX */
	uint32_t stackcap;
	uint64_t prev_ns;
	bool have_header, gc_ok;
	struct label_set *sets;
	size_t nsets;
	struct gctimeline *gc;
	struct gc_stack *gcs;
	size_t ngcs;
	uint32_t *gcids;
	size_t ngcids;
};

/* a record's body being read; fails (ok false) rather than read past end */
struct cur {
	const unsigned char *p, *end;
	bool ok;
};

static uint64_t cur_varint(struct cur *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end) {
			c->ok = false;
			return 0;
		}
		unsigned char b = *c->p++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->ok = false; /* more than 10 bytes */
	return 0;
}

/* A varint that must be at most max. */
static uint64_t cur_bounded(struct cur *c, uint64_t max)
{
	uint64_t v = cur_varint(c);

	if (v > max)
		c->ok = false;
	return c->ok ? v : 0;
}

/* A string into out (len bytes, cut there and NUL-terminated); NUL bytes
 * inside are refused. */
static void cur_str(struct cur *c, char *out, size_t len)
{
	uint64_t n = cur_bounded(c, FTR_STR_MAX);

	out[0] = '\0';
	if (!c->ok)
		return;
	if (n > (uint64_t)(c->end - c->p) || memchr(c->p, '\0', n)) {
		c->ok = false;
		return;
	}
	snprintf(out, len, "%.*s", (int)n, (const char *)c->p);
	c->p += n;
}

static bool known_unit(uint64_t u)
{
	return u == UNIT_NS || u == UNIT_SAMPLES || u == UNIT_BYTES || u == UNIT_OBJECTS;
}

static int rd_header(struct ftr *r, struct cur *c)
{
	struct ftr_info *h = &r->info;
	uint64_t unit, shm;

	h->pid = (int32_t)cur_bounded(c, INT32_MAX);
	h->mode = (uint32_t)cur_bounded(c, FT_MODE_WALL);
	h->freq_hz = (uint32_t)cur_bounded(c, UINT32_MAX);
	cur_str(c, h->measure, sizeof(h->measure));
	unit = cur_varint(c);
	h->start_ns = cur_varint(c);
	h->start_real_ns = cur_varint(c);
	cur_str(c, h->cmdline, sizeof(h->cmdline));
	shm = cur_varint(c);
	if (!c->ok || !known_unit(unit) || !h->measure[0])
		return -EINVAL;
	h->unit = (enum unit)unit;
	r->gc_ok = shm == FT_VERSION;
	profile_set_measure(r->p, h->measure, h->unit);
	/* also without collections: its origin is the recording's "@0s" */
	r->gc = gctimeline_new(h->start_ns);
	if (!r->gc)
		return -ENOMEM;
	r->have_header = true;
	return 0;
}

static int rd_func(struct ftr *r, struct cur *c)
{
	char name[FTR_STR_MAX + 1], module[FTR_STR_MAX + 1];
	uint64_t id = cur_varint(c);
	uint32_t ours;

	cur_str(c, name, sizeof(name));
	cur_str(c, module, sizeof(module));
	/* numbered 1, 2, ... in the order written */
	if (!c->ok || id != r->nfmap || id >= FTR_FUNCS_MAX)
		return -EINVAL;
	if (r->nfmap == r->fmapcap) {
		uint32_t cap = r->fmapcap * 2;
		uint32_t *nm = realloc(r->fmap, cap * sizeof(*nm));

		if (!nm)
			return -ENOMEM;
		r->fmap = nm;
		r->fmapcap = cap;
	}
	ours = funcs_intern(r->f, name, module);
	if (!ours)
		return -ENOMEM;
	r->fmap[r->nfmap++] = ours;
	return 0;
}

static int rd_source(struct ftr *r, struct cur *c)
{
	char file[FTR_STR_MAX + 1];
	uint64_t id = cur_varint(c), line;

	cur_str(c, file, sizeof(file));
	line = cur_bounded(c, INT32_MAX);
	if (!c->ok || !id || id >= r->nfmap)
		return -EINVAL;
	return funcs_set_source(r->f, r->fmap[id], file, (int)line);
}

static int rd_build_id(struct ftr *r, struct cur *c)
{
	char module[FTR_STR_MAX + 1], hex[FTR_STR_MAX + 1];

	cur_str(c, module, sizeof(module));
	cur_str(c, hex, sizeof(hex));
	if (!c->ok)
		return -EINVAL;
	return funcs_set_build_id(r->f, module, hex);
}

static int rd_thread(struct ftr *r, struct cur *c)
{
	char name[32];
	uint64_t tid = cur_bounded(c, UINT32_MAX);

	cur_str(c, name, sizeof(name));
	if (!c->ok)
		return -EINVAL;
	profile_name_thread(r->p, (int32_t)tid, name);
	return 0;
}

static int rd_labels(struct ftr *r, struct cur *c)
{
	char s[FTR_STR_MAX + 1];
	uint64_t id = cur_bounded(c, UINT32_MAX);
	uint64_t n = cur_bounded(c, FTR_LABELS_MAX);
	struct label_set set = {.id = (uint32_t)id, .n = (int)n};

	if (!c->ok || !id)
		return -EINVAL;
	for (size_t i = 0; i < r->nsets; i++)
		if (r->sets[i].id == id)
			return -EINVAL; /* defined once */
	set.kv = calloc(2 * n + 1, sizeof(*set.kv));
	if (!set.kv)
		return -ENOMEM;
	for (uint64_t i = 0; i < 2 * n; i++) {
		cur_str(c, s, sizeof(s));
		if (!c->ok || !(set.kv[i] = strdup(s)))
			goto out_set;
	}
	if (r->nsets % 16 == 0) {
		struct label_set *ns = realloc(r->sets, (r->nsets + 16) * sizeof(*ns));

		if (!ns)
			goto out_set;
		r->sets = ns;
	}
	r->sets[r->nsets++] = set;
	return 0;
out_set:
	for (uint64_t i = 0; i < 2 * n; i++)
		free(set.kv[i]);
	free(set.kv);
	return c->ok ? -ENOMEM : -EINVAL;
}

/* n function ids of the file into r->stack, mapped to ours; false when
 * one is undefined (or memory ran out: *nomem set). */
static bool rd_stack(struct ftr *r, struct cur *c, uint32_t n, bool *nomem)
{
	/* each id takes a byte at least: no more room than the record has */
	if (n > (uint64_t)(c->end - c->p))
		return false;
	if (n > r->stackcap || !r->stack) { /* funcs never NULL, even empty */
		uint32_t cap = r->stackcap ? r->stackcap : 64;
		uint32_t *ns;

		while (cap < n)
			cap *= 2;
		ns = realloc(r->stack, cap * sizeof(*ns));
		if (!ns) {
			*nomem = true;
			return false;
		}
		r->stack = ns;
		r->stackcap = cap;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t id = cur_varint(c);

		if (!c->ok || id == 0 || id >= r->nfmap)
			return false;
		r->stack[i] = r->fmap[id];
	}
	return true;
}

static int rd_sample(struct ftr *r, struct cur *c)
{
	struct profile_sample s;
	uint64_t flags;
	bool nomem = false;

	s.time_ns = r->prev_ns + (uint64_t)unzigzag(cur_varint(c));
	s.tid = (int32_t)cur_bounded(c, UINT32_MAX);
	flags = cur_bounded(c, FTR_FLAG_ONCPU);
	s.oncpu = flags & FTR_FLAG_ONCPU;
	s.weight = cur_varint(c);
	s.coro_id = cur_varint(c);
	s.labels_id = (uint32_t)cur_bounded(c, UINT32_MAX);
	s.n = (uint32_t)cur_bounded(c, FTR_STACK_MAX);
	if (!c->ok || !rd_stack(r, c, s.n, &nomem))
		return nomem ? -ENOMEM : -EINVAL;
	s.funcs = r->stack;
	r->prev_ns = s.time_ns;
	/* a sample the profile cannot keep it counts as dropped */
	profile_add(r->p, &s);
	if (!r->info.samples || s.time_ns < r->info.first_ns)
		r->info.first_ns = s.time_ns;
	if (s.time_ns > r->info.last_ns)
		r->info.last_ns = s.time_ns;
	r->info.samples++;
	return 0;
}

static int rd_gc(struct ftr *r, struct cur *c)
{
	struct ft_gc g;
	const struct gc_cycle *cy;
	uint64_t len = cur_varint(c);
	uint32_t n;
	bool nomem = false;

	if (!c->ok || len != sizeof(g) || len > (uint64_t)(c->end - c->p))
		return -EINVAL;
	memcpy(&g, c->p, sizeof(g));
	c->p += sizeof(g);
	n = (uint32_t)cur_bounded(c, FTR_STACK_MAX);
	if (!c->ok || !rd_stack(r, c, n, &nomem))
		return nomem ? -ENOMEM : -EINVAL;
	g.hdr.kind = FT_REC_GC;
	g.hdr.len = sizeof(g);
	if (!r->gc_ok || g.nframes || !gctimeline_check(&g.hdr, sizeof(g)))
		return 0; /* another runtime's layout, or invalid: left out */
	if (r->ngcs % 64 == 0) {
		struct gc_stack *ns = realloc(r->gcs, (r->ngcs + 64) * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		r->gcs = ns;
	}
	if (n) {
		uint32_t *ni = realloc(r->gcids, (r->ngcids + n) * sizeof(*ni));

		if (!ni)
			return -ENOMEM;
		r->gcids = ni;
		memcpy(r->gcids + r->ngcids, r->stack, n * sizeof(*ni));
	}
	cy = gctimeline_add(r->gc, &g.hdr, sizeof(g));
	if (!cy)
		return 0;
	r->gcs[r->ngcs++] = (struct gc_stack){cy->start_ns, cy->number, r->ngcids, n};
	r->ngcids += n;
	return 0;
}

static const char *kind_name(unsigned kind)
{
	static const char *const names[] = {
	    [FTR_HEADER] = "header", [FTR_FUNC] = "function", [FTR_THREAD] = "thread",
	    [FTR_LABELS] = "labels", [FTR_SAMPLE] = "sample", [FTR_GC] = "gc",
	    [FTR_END] = "end",	     [FTR_SOURCE] = "source", [FTR_BUILD_ID] = "build-id",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "unknown";
}

/* The records of one inflated block; 0, or -errno with err filled. */
static int rd_block(struct ftr *r, const unsigned char *p, size_t n, char *err, size_t errlen)
{
	struct cur blk = {p, p + n, true};
	uint64_t k = 0;

	while (blk.p < blk.end) {
		unsigned kind = *blk.p++;
		uint64_t len = cur_varint(&blk);
		struct cur c;
		int ret = 0;

		k++;
		if (!blk.ok || len > (uint64_t)(blk.end - blk.p)) {
			snprintf(err, errlen, "record %llu runs past its block",
				 (unsigned long long)k);
			return -EINVAL;
		}
		c = (struct cur){blk.p, blk.p + len, true};
		blk.p += len;
		if (!r->have_header && kind != FTR_HEADER) {
			snprintf(err, errlen, "no header record");
			return -EINVAL;
		}
		switch (kind) {
		case FTR_HEADER:
			ret = r->have_header ? -EINVAL : rd_header(r, &c);
			break;
		case FTR_FUNC:
			ret = rd_func(r, &c);
			break;
		case FTR_THREAD:
			ret = rd_thread(r, &c);
			break;
		case FTR_LABELS:
			ret = rd_labels(r, &c);
			break;
		case FTR_SAMPLE:
			ret = rd_sample(r, &c);
			break;
		case FTR_GC:
			ret = rd_gc(r, &c);
			break;
		case FTR_SOURCE:
			ret = rd_source(r, &c);
			break;
		case FTR_BUILD_ID:
			ret = rd_build_id(r, &c);
			break;
		case FTR_END:
			r->info.lost = cur_varint(&c);
			ret = c.ok ? 0 : -EINVAL;
			r->info.truncated = false;
			break;
		default:
			break; /* a later kind: skipped */
		}
		if (ret == -ENOMEM) {
			snprintf(err, errlen, "out of memory");
			return ret;
		}
		if (ret < 0) {
			snprintf(err, errlen, "bad %s record", kind_name(kind));
			return ret;
		}
	}
	return 0;
}

/* a source of bytes: a stream or memory */
struct src {
	FILE *in;
	const unsigned char *mem;
	size_t len, off;
};

/* Reads n bytes: n, or fewer at the end of the input (-EIO on error). */
static ssize_t src_read(struct src *s, void *out, size_t n)
{
	size_t got;

	if (!s->in) {
		got = s->len - s->off < n ? s->len - s->off : n;
		memcpy(out, s->mem + s->off, got);
		s->off += got;
		return (ssize_t)got;
	}
	got = fread(out, 1, n, s->in);
	if (got < n && ferror(s->in))
		return -EIO;
	return (ssize_t)got;
}

static struct ftr *ftr_new(struct funcs *f)
{
	struct ftr *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->f = f;
	r->p = profile_new(f);
	r->fmapcap = 256;
	r->fmap = malloc(r->fmapcap * sizeof(*r->fmap));
	if (!r->p || !r->fmap) {
		ftr_free(r);
		return NULL;
	}
	r->fmap[0] = 0;
	r->nfmap = 1;
	r->info.truncated = true; /* until the end record */
	/* every second of the recording is kept, so a range can be moved
	 * over all of it */
	profile_set_window(r->p, 0);
	profile_set_retain(r->p, UINT64_MAX / 2);
	return r;
}

/* Why the blocks stop: a cut or a bad block after good ones.  Ends the
 * reading with what was read. */
static int stop_early(struct ftr *r, const char *why, char *err, size_t errlen)
{
	r->info.truncated = true;
	snprintf(err, errlen, "truncated after %llu block%s: %s",
		 (unsigned long long)r->info.blocks, r->info.blocks == 1 ? "" : "s", why);
	return 0;
}

/* *p of *cap bytes made at least n bytes long (memory follows the file:
 * a block is as large as its lengths say, at most FTR_BLOCK_MAX) */
static int grow(unsigned char **p, size_t *cap, size_t n)
{
	unsigned char *np;

	if (n <= *cap)
		return 0;
	np = realloc(*p, n);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = n;
	return 0;
}

static int read_all(struct src *s, struct ftr *r, char *err, size_t errlen)
{
	unsigned char magic[8], hdr[BLOCK_HDR];
	unsigned char *z = NULL, *raw = NULL;
	size_t zcap = 0, rawcap = 0;
	char why[160], bad[100];
	ssize_t got;
	int ret = 0;

	got = src_read(s, magic, sizeof(magic));
	if (got < 0)
		return -EIO;
	if (got < 4 || memcmp(magic, FTR_MAGIC, 4) != 0) {
		snprintf(err, errlen, "not a flametop recording (no FTR magic)");
		return -EINVAL;
	}
	if (got < (ssize_t)sizeof(magic)) {
		snprintf(err, errlen, "truncated in its first 8 bytes");
		return -EINVAL;
	}
	r->info.version = get_le32(magic + 4);
	if (r->info.version != FTR_VERSION) {
		snprintf(err, errlen, "recording format version %u (this flametop reads %u)",
			 r->info.version, FTR_VERSION);
		return -EINVAL;
	}
	for (;;) {
		uint32_t zlen, rawlen;
		uLongf outlen;

		why[0] = '\0';
		got = src_read(s, hdr, sizeof(hdr));
		if (got < 0) {
			ret = -EIO;
			goto out;
		}
		if (got == 0)
			break;
		if (got < (ssize_t)sizeof(hdr)) {
			snprintf(why, sizeof(why), "the file ends inside a block");
			break;
		}
		zlen = get_le32(hdr);
		rawlen = get_le32(hdr + 4);
		if (rawlen == 0 || rawlen > FTR_BLOCK_MAX || zlen == 0 ||
		    zlen > compressBound(rawlen)) {
			snprintf(why, sizeof(why), "block %llu has impossible lengths",
				 (unsigned long long)r->info.blocks + 1);
			break;
		}
		if (grow(&z, &zcap, zlen) < 0 || grow(&raw, &rawcap, rawlen) < 0) {
			ret = -ENOMEM;
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		got = src_read(s, z, zlen);
		if (got < 0) {
			ret = -EIO;
			goto out;
		}
		if (got < zlen) {
			snprintf(why, sizeof(why), "the file ends inside a block");
			break;
		}
		if ((uint32_t)crc32(crc32(0, hdr, 8), z, zlen) != get_le32(hdr + 8)) {
			snprintf(why, sizeof(why), "block %llu fails its CRC check",
				 (unsigned long long)r->info.blocks + 1);
			break;
		}
		outlen = rawlen;
		if (uncompress(raw, &outlen, z, zlen) != Z_OK || outlen != rawlen) {
			snprintf(why, sizeof(why), "block %llu does not inflate",
				 (unsigned long long)r->info.blocks + 1);
			break;
		}
		ret = rd_block(r, raw, rawlen, bad, sizeof(bad));
		if (ret == -ENOMEM) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (ret < 0) {
			snprintf(why, sizeof(why), "block %llu: %.100s",
				 (unsigned long long)r->info.blocks + 1, bad);
			ret = 0;
			break;
		}
		r->info.blocks++;
		if (!r->info.truncated)
			break; /* the end record: what follows is not ours */
	}
	if (!r->have_header) {
		snprintf(err, errlen, "no readable header%s%s", why[0] ? ": " : "", why);
		ret = -EINVAL;
	} else if (r->info.truncated) {
		ret = stop_early(r, why[0] ? why : "no end record", err, errlen);
	}
out:
	free(z);
	free(raw);
	return ret;
}

/* The profile as a viewer wants it: every second retained and the window
 * ending at the last sample. */
static void settle(struct ftr *r)
{
	uint64_t span = r->info.last_ns - r->info.first_ns;

	profile_set_retain(r->p, span + 2000000000ull);
	profile_expire(r->p, r->info.last_ns + 1);
}

static int read_src(struct src *s, struct funcs *f, struct ftr **out, char *err, size_t errlen)
{
	struct ftr *r = ftr_new(f);
	int ret;

	err[0] = '\0';
	*out = NULL;
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = read_all(s, r, err, errlen);
	if (ret < 0) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-ret));
		ftr_free(r);
		return ret;
	}
	settle(r);
	*out = r;
	return 0;
}

int ftr_read(FILE *in, struct funcs *f, struct ftr **out, char *err, size_t errlen)
{
	struct src s = {.in = in};

	return read_src(&s, f, out, err, errlen);
}

int ftr_read_mem(const void *buf, size_t len, struct funcs *f, struct ftr **out, char *err,
		 size_t errlen)
{
	struct src s = {.mem = buf, .len = len};

	return read_src(&s, f, out, err, errlen);
}

bool ftr_probe(const void *head, size_t n)
{
	return n >= 4 && memcmp(head, FTR_MAGIC, 4) == 0;
}

void ftr_free(struct ftr *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsets; i++) {
		for (int j = 0; j < 2 * r->sets[i].n; j++)
			free(r->sets[i].kv[j]);
		free(r->sets[i].kv);
	}
	free(r->sets);
	gctimeline_free(r->gc);
	free(r->gcs);
	free(r->gcids);
	profile_free(r->p);
	free(r->fmap);
	free(r->stack);
	free(r);
}

const struct ftr_info *ftr_info(const struct ftr *r)
{
	return &r->info;
}

struct profile *ftr_profile(struct ftr *r)
{
	return r->p;
}

struct funcs *ftr_funcs(struct ftr *r)
{
	return r->f;
}

int ftr_label_pairs(void *arg, uint32_t id, const char **keys, const char **values, int max)
{
	struct ftr *r = arg;

	for (size_t i = 0; i < r->nsets; i++) {
		int n = 0;

		if (r->sets[i].id != id)
			continue;
		for (; n < r->sets[i].n && n < max; n++) {
			keys[n] = r->sets[i].kv[2 * n];
			values[n] = r->sets[i].kv[2 * n + 1];
		}
		return n;
	}
	return 0;
}

struct gctimeline *ftr_gctimeline(struct ftr *r)
{
	return r->gc;
}

size_t ftr_gc_stack(struct ftr *r, const struct gc_cycle *c, uint32_t *ids, size_t max)
{
	for (size_t i = r->ngcs; i-- > 0;) {
		const struct gc_stack *g = &r->gcs[i];
		size_t n = g->n < max ? g->n : max;

		if (g->start_ns != c->start_ns || g->number != c->number)
			continue;
		memcpy(ids, r->gcids + g->off, n * sizeof(*ids));
		return n;
	}
	return 0;
}
