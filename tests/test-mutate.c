/*
 * test-mutate.c - seeded random corruption of the viewer's untrusted input.
 *
 * This file contains the "mutate" group: a valid shared-memory segment is
 * built with the real layout (runtime/flametop-shm.h; sample records
 * appended with the real writer, runtime/ring.c, compiled into this test),
 * written to a temporary file and read back; then thousands of seeded
 * mutations of it (bit flips, bytes set to 0/0xff/random, overwritten
 * offsets, sizes and counts in the header and regions, rings with garbage
 * or forged records, broken table entries, truncated and extended files)
 * go through the full read path.  The same is done to folded-stack text.
 *
 * What must hold for every mutation:
 *   - nothing crashes and every read loop ends (checked by counting calls,
 *     never by time);
 *   - segment_validate on the bytes and segment_open_path on the file
 *     agree;
 *   - every sample delivered has nframes <= the header's max_depth, and
 *     table entries come back terminated and bounded;
 *   - folded_read leaves a tree that passes calltree_check, with equal
 *     count and weight totals, and reports errors with a line number.
 *
 * The sequence is fixed (the seed is printed with any failure); set
 * FT_MUTATE_SEED and FT_MUTATE_ITERS to explore other ones.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring.h"
#include "calltree.h"
#include "folded.h"
#include "funcs.h"
#include "segment.h"

#define PAGE 4096u
#define DEPTH 16u	       /* max_depth of the images */
#define SAMPLE_RING (PAGE * 4) /* 8 KiB of data */
#define NTHREADS 8u
#define NCOROS 4u
#define NMODULES 6u
#define NSAMPLES 40u /* appended to the fresh image */
#define SEG_ITERS 4000u
#define FOLDED_ITERS 4000u
#define MAX_CALLS 100000 /* segment_read_samples calls per image */
#define TABLE_MAX 64u

/* --- a small seeded generator (xorshift64*) ----------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ull + 0x1234567;
	if (!rng_state)
		rng_state = 1;
	for (int i = 0; i < 4; i++)
		(void)rnd();
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* --- building a segment image ------------------------------------------- */

struct image {
	uint8_t *p;
	size_t len;
};

static struct ft_header *H(const struct image *im)
{
	return (struct ft_header *)im->p;
}

static struct ft_ring *ring_of(const struct image *im, int id)
{
	return (struct ft_ring *)(im->p + H(im)->regions[id].offset);
}

/* len bytes, page-aligned, exactly len long (so ASan sees overreads) */
static struct image image_alloc(size_t len)
{
	struct image im = {NULL, len};

	assert_int_equal(posix_memalign((void **)&im.p, PAGE, len ? len : 1), 0);
	memset(im.p, 0, len);
	return im;
}

/* Appends a sample of nframes pcs: pc[i] = base + i. */
static void put_sample(struct image *im, uint64_t base, uint16_t nframes)
{
	uint64_t buf[sizeof(struct ft_sample) / 8 + DEPTH];
	struct ft_sample *s = (struct ft_sample *)buf;

	memset(buf, 0, sizeof(buf));
	s->time_ns = 1000 + base;
	s->weight_ns = 10101;
	s->cpu_ns = 10101;
	s->tid = 4242;
	s->nframes = nframes;
	s->flags = FT_SAMPLE_ONCPU | (nframes == DEPTH ? FT_SAMPLE_TRUNCATED : 0);
	for (uint16_t i = 0; i < nframes; i++)
		s->pc[i] = base + i;
	assert_int_not_equal(ft_ring_append(ring_of(im, FT_REGION_SAMPLES), s,
					    (uint32_t)(sizeof(*s) + nframes * 8u), FT_REC_SAMPLE),
			     UINT64_MAX);
}

/* A valid segment of this process with nsamples samples (sample i has
 * i % (DEPTH + 1) frames, base 0x10000 * (i + 1)), a GC event, a pad,
 * and some table entries. */
static struct image image_new(unsigned nsamples, enum ft_state state)
{
	const uint64_t sizes[FT_REGION_COUNT] = {SAMPLE_RING, PAGE, PAGE, PAGE, PAGE, PAGE};
	const uint32_t counts[FT_REGION_COUNT] = {0, 0, NTHREADS, NCOROS, NMODULES, 0};
	const uint32_t esizes[FT_REGION_COUNT] = {
	    0, 0, sizeof(struct ft_thread), sizeof(struct ft_coro), sizeof(struct ft_module), 0};
	uint64_t off = PAGE, len = PAGE;
	struct image im;
	struct ft_header *h;

	for (int i = 0; i < FT_REGION_COUNT; i++)
		len += sizes[i];
	im = image_alloc(len);
	h = H(&im);
	memcpy(h->magic, FT_MAGIC, 8);
	h->version = FT_VERSION;
	h->header_size = sizeof(*h);
	h->segment_size = len;
	h->pid = getpid();
	h->uid = getuid();
	h->mode = FT_MODE_WALL;
	h->timer = FT_TIMER_POSIX_WALL;
	h->freq_hz = 99;
	h->max_depth = DEPTH;
	h->period_ns = 1000000000u / 99;
	h->state = state;
	h->exit_status = state == FT_STATE_EXITED ? 0 : -1;
	snprintf(h->exe, sizeof(h->exe), "/usr/bin/target");
	snprintf(h->cmdline, sizeof(h->cmdline), "target --port 8080");
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		h->regions[i] = (struct ft_region){off, sizes[i], counts[i], esizes[i]};
		off += sizes[i];
	}
	assert_int_equal(ft_ring_init(ring_of(&im, FT_REGION_SAMPLES), SAMPLE_RING),
			 SAMPLE_RING / 2);
	assert_int_equal(ft_ring_init(ring_of(&im, FT_REGION_EVENTS), PAGE), PAGE / 2);
	((struct ft_strtab *)(im.p + h->regions[FT_REGION_STRINGS].offset))->size =
	    PAGE - sizeof(struct ft_strtab);

	for (unsigned i = 0; i < nsamples; i++) {
		put_sample(&im, 0x10000ull * (i + 1), (uint16_t)(i % (DEPTH + 1)));
		if (i == 3) {
			struct ft_gc gc = {
			    .start_ns = 5, .end_ns = 6, .tid = 4242, .source = FT_GC_SOURCE_LIBGC};
			uint64_t pad[4] = {0};

			assert_int_not_equal(ft_ring_append(ring_of(&im, FT_REGION_SAMPLES), &gc,
							    sizeof(gc), FT_REC_GC),
					     UINT64_MAX);
			assert_int_not_equal(ft_ring_append(ring_of(&im, FT_REGION_SAMPLES), pad,
							    sizeof(pad), FT_REC_PAD),
					     UINT64_MAX);
		}
	}

	struct ft_thread *th = (struct ft_thread *)(im.p + h->regions[FT_REGION_THREADS].offset);
	th[0] = (struct ft_thread){.seq = 2, .state = FT_THREAD_LIVE, .tid = 4242, .samples = 3};
	snprintf(th[0].name, sizeof(th[0].name), "main");
	th[1] = (struct ft_thread){.seq = 4, .state = FT_THREAD_EXITED, .tid = 4243};
	memset(th[1].name, 'w', sizeof(th[1].name)); /* unterminated */
	th[2] = (struct ft_thread){.seq = 5, .state = FT_THREAD_LIVE, .tid = 4244}; /* odd */
	struct ft_module *mo = (struct ft_module *)(im.p + h->regions[FT_REGION_MODULES].offset);
	mo[0] = (struct ft_module){.seq = 2,
				   .loaded = 1,
				   .bias = 0x400000,
				   .lo = 0x401000,
				   .hi = 0x480000,
				   .build_id_len = FT_BUILD_ID_LEN};
	snprintf(mo[0].path, sizeof(mo[0].path), "/usr/bin/target");
	mo[1] =
	    (struct ft_module){.seq = 2, .loaded = 1, .bias = 0x7f0000000000, .build_id_len = 200};
	/* an unterminated path */
	memset(mo[1].path, '/', sizeof(mo[1].path));
	mo[2] = (struct ft_module){.seq = 2, .loaded = 1}; /* vdso: no path */
	return im;
}

static struct image image_dup(const struct image *im, size_t len)
{
	struct image c = image_alloc(len);

	memcpy(c.p, im->p, len < im->len ? len : im->len);
	return c;
}

static char tmpdir[64];
static char seg_path[128];

static void write_file(const struct image *im)
{
	int fd = open(seg_path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	if (im->len)
		assert_int_equal(write(fd, im->p, im->len), (ssize_t)im->len);
	close(fd);
}

/* --- the full read path ------------------------------------------------- */

struct got {
	uint32_t max_depth;
	unsigned n;
	unsigned pattern_ok; /* samples whose pcs follow put_sample's pattern */
	uint64_t first_base, last_base;
};

static int collect(void *arg, const struct ft_sample *s)
{
	struct got *g = arg;
	bool ok = true;

	assert_int_equal(s->hdr.kind, FT_REC_SAMPLE);
	if (s->nframes > g->max_depth || s->nframes > FT_MAX_DEPTH)
		fail_msg("sample with %u frames delivered, max_depth is %u", s->nframes,
			 g->max_depth);
	for (uint16_t i = 1; i < s->nframes; i++)
		ok = ok && s->pc[i] == s->pc[0] + i;
	if (ok && s->nframes && s->time_ns == 1000 + s->pc[0])
		g->pattern_ok++;
	if (s->nframes) {
		if (!g->first_base)
			g->first_base = s->pc[0];
		g->last_base = s->pc[0];
	}
	g->n++;
	return 0;
}

struct outcome {
	int valid; /* segment_validate's result */
	bool opened;
	struct got got;
	uint64_t missed;
	size_t threads, modules;
};

/* Runs everything a viewer does with the image: validation of the bytes,
 * opening the file, reading every sample, the tables and the state. */
static struct outcome read_all(const struct image *im, const char *what)
{
	struct ft_thread th[TABLE_MAX];
	struct ft_module mo[TABLE_MAX];
	struct outcome o = {0};
	struct segment *s;
	char err[256] = "", err2[256] = "";
	int ret, calls = 0, status;

	o.valid = segment_validate(im->p, im->len, err, sizeof(err));
	if (o.valid)
		assert_true(o.valid == -EINVAL || o.valid == -EPROTO || o.valid == -EBADF);
	if (o.valid && !err[0])
		fail_msg("%s: segment_validate failed (%d) without a message", what, o.valid);
	write_file(im);
	s = segment_open_path(seg_path, err2, sizeof(err2));
	if (!o.valid != !!s)
		fail_msg("%s: validate says %d (%s) but open %s (%s)", what, o.valid, err,
			 s ? "succeeded" : "failed", err2);
	if (!s)
		return o;
	o.opened = true;
	o.got.max_depth = segment_header(s)->max_depth;
	assert_true(o.got.max_depth >= 1 && o.got.max_depth <= FT_MAX_DEPTH);
	segment_refresh(s);
	(void)segment_state(s, &status);
	segment_touch(s);
	assert_true(segment_read_samples(s, collect, &o.got, 1) >= 0);
	do {
		ret = segment_read_samples(s, collect, &o.got, 0);
		assert_true(ret >= 0);
		if (++calls > MAX_CALLS)
			fail_msg("%s: the reader never runs dry", what);
	} while (ret > 0);
	o.missed = segment_missed(s);

	o.threads = segment_threads(s, th, TABLE_MAX);
	assert_true(o.threads <= TABLE_MAX);
	for (size_t i = 0; i < o.threads; i++) {
		assert_true(strnlen(th[i].name, FT_NAME_LEN) < FT_NAME_LEN);
		assert_true(th[i].tid != 0);
	}
	o.modules = segment_modules(s, mo, TABLE_MAX);
	assert_true(o.modules <= TABLE_MAX);
	for (size_t i = 0; i < o.modules; i++) {
		assert_true(strnlen(mo[i].path, FT_PATH_LEN) < FT_PATH_LEN);
		assert_true(mo[i].path[0] != '\0');
		assert_true(mo[i].build_id_len <= FT_BUILD_ID_LEN);
	}
	segment_free(s);
	return o;
}

static void test_mutate_segment_valid(void **state)
{
	struct image im = image_new(NSAMPLES, FT_STATE_RUNNING);
	struct outcome o;
	unsigned with_frames = 0;

	o = read_all(&im, "fresh image");
	assert_int_equal(o.valid, 0);
	assert_true(o.opened);
	assert_int_equal(o.got.n, NSAMPLES);
	for (unsigned i = 0; i < NSAMPLES; i++)
		with_frames += i % (DEPTH + 1) != 0;
	assert_int_equal(o.got.pattern_ok, with_frames);
	assert_int_equal(o.got.first_base, 0x20000); /* sample 0 has no frames */
	assert_int_equal(o.got.last_base, 0x10000ull * NSAMPLES);
	assert_int_equal(o.missed, 0);
	assert_int_equal(o.threads, 2);
	assert_int_equal(o.modules, 2);
	free(im.p);

	/* a lapped ring still yields the newest samples, in order */
	im = image_new(NSAMPLES * 10, FT_STATE_EXITED);
	o = read_all(&im, "lapped image");
	assert_int_equal(o.valid, 0);
	assert_true(o.got.n > 0 && o.got.n < NSAMPLES * 10);
	assert_int_equal(o.got.last_base, 0x10000ull * NSAMPLES * 10);
	free(im.p);
}

/* Interesting values for sizes, offsets and counts of an image of len. */
static uint64_t interesting(uint64_t len)
{
	/* clang-format off */
	static const uint64_t fixed[] = {
		0, 1, 7, 8, 63, 64, 65, 127, 128, 4095, 4096, 4097, 8192, 65536, 0x7fffffff,
		0x80000000ull, 0xffffffffull, 0x100000000ull, 1ull << 62, 1ull << 63,
		UINT64_MAX, UINT64_MAX - 4095, UINT64_MAX - 63,
	};
	const uint64_t rel[] = {len, len - 1, len + 1, len - PAGE, len + PAGE, len / 2,
				(len / 2) & ~(uint64_t)(PAGE - 1)};
	/* clang-format on */

	switch (below(4)) {
	case 0:
		return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return rel[below(sizeof(rel) / sizeof(rel[0]))];
	case 2:
		return below(len / PAGE + 2) * PAGE;
	default:
		return rnd() >> below(64);
	}
}

static void put_field(struct image *im, size_t off, unsigned width, uint64_t v)
{
	if (off + width > im->len)
		return;
	memcpy(im->p + off, &v, width); /* little-endian: the low bytes */
}

/* A random header field (offset, width). */
static void header_field(size_t *off, unsigned *width)
{
	/* clang-format off */
#define F(m) {offsetof(struct ft_header, m), sizeof(((struct ft_header *)0)->m)}
	static const struct {
		size_t off;
		unsigned width;
	} fields[] = {
		F(version), F(header_size), F(segment_size), F(pid), F(max_depth), F(freq_hz),
		F(state), F(mode), F(exit_status), F(heartbeat_ns),
	};
#undef F
	/* clang-format on */
	if (below(3)) {
		/* one of the region table's fields */
		size_t r = offsetof(struct ft_header, regions) +
			   below(FT_REGION_COUNT) * sizeof(struct ft_region);

		switch (below(4)) {
		case 0:
			*off = r + offsetof(struct ft_region, offset), *width = 8;
			break;
		case 1:
			*off = r + offsetof(struct ft_region, size), *width = 8;
			break;
		case 2:
			*off = r + offsetof(struct ft_region, count), *width = 4;
			break;
		default:
			*off = r + offsetof(struct ft_region, entry_size), *width = 4;
		}
		return;
	}
	unsigned i = (unsigned)below(sizeof(fields) / sizeof(fields[0]));

	*off = fields[i].off;
	*width = fields[i].width;
}

/* Offsets and length of region id according to the base image (the
 * mutated header may say anything). */
static void region_span(const struct image *base, int id, size_t *off, size_t *len)
{
	*off = H(base)->regions[id].offset;
	*len = H(base)->regions[id].size;
}

/* Where a random byte mutation lands: mostly the header and the rings. */
static size_t pick_offset(const struct image *base, const struct image *im)
{
	size_t off, len;

	switch (below(5)) {
	case 0:
	case 1:
		off = below(sizeof(struct ft_header));
		break;
	case 2:
		region_span(base, FT_REGION_SAMPLES, &off, &len);
		off += below(below(2) ? 256 : len);
		break;
	case 3:
		region_span(base, FT_REGION_THREADS + (int)below(3), &off, &len);
		off += below(len);
		break;
	default:
		off = below(im->len);
	}
	return off;
}

/* The ring position of a record start in base's sample ring: the k-th
 * committed tag found from the oldest byte on (k taken modulo their
 * number), or head if there is none. */
static uint64_t record_pos(const struct image *base, uint64_t k)
{
	const struct ft_ring *ring = ring_of(base, FT_REGION_SAMPLES);
	const uint8_t *data = (const uint8_t *)ring + FT_RING_DATA_OFFSET;
	uint64_t head = ring->head, size = ring->size, p, found[2048];
	size_t n = 0;

	for (p = head > size ? head - size : 0; p < head && n < 2048; p += 8) {
		uint64_t w;

		memcpy(&w, data + (p & (size - 1)), 8);
		if (w == (p ^ FT_TAG_XOR))
			found[n++] = p;
	}
	return n ? found[k % n] : head;
}

/* Writes a record header and sample fields into the sample ring, taken
 * from interesting values so that it passes some checks and fails others:
 * either over a real record (its tag kept) or at a random position with
 * a forged tag (found when the reader resynchronises). */
static void forge_record(struct image *im, const struct image *base)
{
	size_t roff, rlen, from;
	uint8_t rec[sizeof(struct ft_sample)];
	struct ft_sample *s = (struct ft_sample *)rec;
	const struct ft_ring *bring = ring_of(base, FT_REGION_SAMPLES);
	uint64_t head = bring->head, size = bring->size, pos;
	/* clang-format off */
	static const uint32_t lens[] = {0, 8, 16, 24, 56, 64, 72, 128, 1024, 2048, 2056, 4096,
					 0xfffffff8u};
	static const uint16_t frames[] = {0, 1, DEPTH - 1, DEPTH, DEPTH + 1, 255, 511,
					  512, 513, 0xffff};
	/* clang-format on */

	region_span(base, FT_REGION_SAMPLES, &roff, &rlen);
	if (below(2)) {
		pos = record_pos(base, rnd());
		from = 8; /* keep the real tag */
	} else {
		uint64_t span = head < size ? head : size;

		pos = head - (span ? 8 * (1 + below(span / 8)) : 0);
		from = 0;
	}
	memset(rec, 0, sizeof(rec));
	s->hdr.tag = (pos ^ FT_TAG_XOR) + (below(8) ? 0 : below(3));
	s->hdr.len = below(3) ? lens[below(sizeof(lens) / sizeof(lens[0]))] : (uint32_t)rnd();
	s->hdr.kind = (uint16_t)(below(4) ? FT_REC_SAMPLE : below(8));
	s->nframes = below(4) ? frames[below(sizeof(frames) / sizeof(frames[0]))] : (uint16_t)rnd();
	s->time_ns = rnd();
	for (size_t i = from; i < sizeof(rec); i++) {
		size_t off = roff + FT_RING_DATA_OFFSET + ((pos + i) & (size - 1));

		if (off < im->len)
			im->p[off] = rec[i];
	}
}

/* One random mutation of im (base: the image it started as). */
static void mutate_once(struct image *im, const struct image *base)
{
	size_t off, roff, rlen;
	unsigned width;

	switch (below(10)) {
	case 0: /* flip a bit */
		off = pick_offset(base, im);
		if (off < im->len)
			im->p[off] ^= (uint8_t)(1u << below(8));
		break;
	case 1: { /* set a byte */
		static const uint8_t vals[] = {0, 0xff, 0x7f, 0x80, 1};

		off = pick_offset(base, im);
		if (off < im->len)
			im->p[off] = below(2) ? vals[below(5)] : (uint8_t)rnd();
		break;
	}
	case 2:
	case 3: /* a header or region field */
		header_field(&off, &width);
		put_field(im, off, width, interesting(im->len));
		break;
	case 4: /* a region made to overlap or swap with another */
		off = offsetof(struct ft_header, regions);
		{
			size_t a = off + below(FT_REGION_COUNT) * sizeof(struct ft_region);
			size_t b = off + below(FT_REGION_COUNT) * sizeof(struct ft_region);
			struct ft_region t;

			memcpy(&t, im->p + a, sizeof(t));
			if (below(2))
				memcpy(im->p + a, im->p + b, sizeof(t));
			else
				memcpy(im->p + b, &t, 8); /* same offset, own size */
		}
		break;
	case 5: /* the sample ring's head or size */
		region_span(base, FT_REGION_SAMPLES, &roff, &rlen);
		{
			struct ft_ring *r = (struct ft_ring *)(im->p + roff);
			uint64_t v;

			switch (below(4)) {
			case 0:
				v = r->head + below(64) - 32;
				break;
			case 1:
				v = r->head + r->size * (1 + below(3)) + below(2) * 8;
				break;
			default:
				v = interesting(im->len);
			}
			if (below(3))
				r->head = v;
			else
				r->size = below(2) ? v : r->size << below(4);
		}
		break;
	case 6: { /* garbage over a span of ring data */
		size_t n;

		region_span(base, FT_REGION_SAMPLES, &roff, &rlen);
		off = roff + FT_RING_DATA_OFFSET + below(rlen - FT_RING_DATA_OFFSET);
		n = 1 + below(below(2) ? 64 : 2048);
		for (size_t i = 0; i < n && off + i < im->len; i++)
			im->p[off + i] = below(4) ? (uint8_t)rnd() : 0;
		break;
	}
	case 7:
	case 8: /* a forged record */
		forge_record(im, base);
		break;
	default: { /* a table entry with random fields */
		int id = below(2) ? FT_REGION_THREADS : FT_REGION_MODULES;
		size_t esize =
		    id == FT_REGION_THREADS ? sizeof(struct ft_thread) : sizeof(struct ft_module);

		region_span(base, id, &roff, &rlen);
		off = roff + below(rlen / esize) * esize;
		for (size_t i = 0; i < esize && off + i < im->len; i++)
			if (below(4) == 0)
				im->p[off + i] = (uint8_t)rnd();
		if (off + 4 <= im->len)
			memset(im->p + off, 0, 1); /* even seq: the copy is kept */
	}
	}
}

/* Truncates or extends im, keeping segment_size consistent or not (after
 * the in-place mutations, which assume the base's length). */
static void resize(struct image *im)
{
	struct image c;
	size_t len;

	if (below(2)) {
		len = below(2) || im->len <= PAGE ? below(im->len) : im->len - 1 - below(PAGE);
		c = image_dup(im, len);
	} else {
		len = im->len + (below(2) ? 1 + below(64) : PAGE * (1 + below(2)));
		c = image_dup(im, len);
		if (below(2))
			for (size_t i = im->len; i < len; i++)
				c.p[i] = (uint8_t)rnd();
	}
	if (below(4))
		put_field(&c, offsetof(struct ft_header, segment_size), 8, len);
	free(im->p);
	*im = c;
}

static void test_mutate_segment_random(void **state)
{
	struct image base[3] = {
	    image_new(NSAMPLES, FT_STATE_RUNNING),
	    image_new(NSAMPLES, FT_STATE_EXITED),
	    image_new(NSAMPLES * 10, FT_STATE_EXITED),
	};
	uint64_t seed = env_u64("FT_MUTATE_SEED", 1), iters = env_u64("FT_MUTATE_ITERS", SEG_ITERS);
	unsigned valid = 0, samples = 0, lossy = 0;
	char what[96];

	for (uint64_t it = 0; it < iters; it++) {
		const struct image *b = &base[it % 3];
		struct image im = image_dup(b, b->len);
		struct outcome o;
		unsigned n = 1 + (unsigned)below(below(4) ? 3 : 12);

		rng_seed(seed + it);
		for (unsigned k = 0; k < n; k++)
			mutate_once(&im, b);
		if (below(5) == 0)
			resize(&im);
		snprintf(what, sizeof(what), "segment mutation %llu (FT_MUTATE_SEED=%llu)",
			 (unsigned long long)it, (unsigned long long)(seed + it));
		o = read_all(&im, what);
		valid += o.opened;
		samples += o.got.n;
		lossy += o.missed > 0;
		free(im.p);
	}
	print_message("segment: %llu mutations, %u still valid, %u samples delivered, "
		      "%u with records missed or rejected\n",
		      (unsigned long long)iters, valid, samples, lossy);
	/* the mutations must not all be rejected at the door */
	if (iters >= 1000) {
		assert_true(valid > iters / 10);
		assert_true(samples > iters);
		assert_true(lossy > iters / 20);
	}
	for (int i = 0; i < 3; i++)
		free(base[i].p);
}

/* --- folded text -------------------------------------------------------- */

/* clang-format off */
static const char folded_base[] =
	"# perf script | stackcollapse-perf.pl\n"
	"main;run;parse_line 120\n"
	"main;run;write_out 30\n"
	"\n"
	"main;idle 5\r\n"
	"process_request (app.py:10);<module> (app.py:40) 17\n"
	"std::map<int, int>::find;main;libc.so.6`write 7 \n"
	"main;;do_sys_open_[k] 1\n";
/* clang-format on */
#define FOLDED_TOTAL 180u

struct text {
	char *p;
	size_t len, cap;
};

static void text_reserve(struct text *t, size_t more)
{
	if (t->len + more <= t->cap)
		return;
	t->cap = (t->len + more) * 2;
	t->p = realloc(t->p, t->cap);
	assert_non_null(t->p);
}

static void text_insert(struct text *t, size_t at, const char *s, size_t n)
{
	text_reserve(t, n);
	if (at > t->len)
		at = t->len;
	memmove(t->p + at + n, t->p + at, t->len - at);
	memcpy(t->p + at, s, n);
	t->len += n;
}

static void mutate_text(struct text *t)
{
	/* clang-format off */
	static const char *const tokens[] = {
		";", " ", "\n", "\r", "\r\n", "\t", "#", "-", "0", "9", "\xEF\xBB\xBF", "[unknown]",
		"18446744073709551615", "18446744073709551616", "99999999999999999999",
		" 18446744073709551615\n", ";;;;", " 1\n", "a b c", "\n\n", "\\", "\xff\xfe",
	};
	/* clang-format on */
	size_t at = below(t->len + 1);

	switch (below(8)) {
	case 0: /* flip a bit */
		if (t->len)
			t->p[below(t->len)] ^= (char)(1u << below(8));
		break;
	case 1: { /* set a byte */
		static const char vals[] = {';', ' ', '\n', '\r', '\0', '#', '9', '\t'};

		if (t->len)
			t->p[below(t->len)] = below(2) ? vals[below(sizeof(vals))] : (char)rnd();
		break;
	}
	case 2:
	case 3: { /* insert a token */
		const char *s = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];

		text_insert(t, at, s, strlen(s));
		break;
	}
	case 4: /* delete a span */
		if (at < t->len) {
			size_t n = 1 + below(t->len - at);

			memmove(t->p + at, t->p + at + n, t->len - at - n);
			t->len -= n;
		}
		break;
	case 5: /* duplicate a span */
		if (at < t->len) {
			size_t n = 1 + below(t->len - at < 64 ? t->len - at : 64);
			char buf[64];

			memcpy(buf, t->p + at, n);
			text_insert(t, below(t->len + 1), buf, n);
		}
		break;
	case 6: { /* a very deep stack or a very long frame */
		size_t n = 100 + below(3000);
		char *s = malloc(n + 8);

		assert_non_null(s);
		for (size_t i = 0; i < n; i++)
			s[i] = below(2) ? ';' : (char)('a' + below(3));
		memcpy(s + n, " 3\n", 3);
		text_insert(t, at, s, n + 3);
		free(s);
		break;
	}
	default: /* truncate */
		t->len = below(t->len + 1);
	}
}

/* Reads text through folded_read into a fresh tree and checks it.
 * Returns folded_read's value; *total gets the root's total count. */
static int folded_check(const char *p, size_t len, uint64_t *total, const char *what)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "", cerr[256] = "";
	struct ctnode *root;
	FILE *in;
	int ret = 0;

	assert_non_null(t);
	assert_non_null(f);
	*total = 0;
	if (len) {
		in = fmemopen((void *)p, len, "r");
		assert_non_null(in);
		ret = folded_read(in, t, f, NULL, err, sizeof(err));
		fclose(in);
	}
	if (ret != 0 && ret != -EINVAL)
		fail_msg("%s: folded_read returned %d (%s)", what, ret, err);
	if (ret && strncmp(err, "line ", 5))
		fail_msg("%s: error without a line number: '%s'", what, err);
	if (calltree_check(t, cerr, sizeof(cerr)))
		fail_msg("%s: calltree_check: %s", what, cerr);
	root = calltree_root(t);
	if (root->total_count != root->total_weight)
		fail_msg("%s: count %llu and weight %llu differ", what,
			 (unsigned long long)root->total_count,
			 (unsigned long long)root->total_weight);
	*total = root->total_count;
	calltree_free(t);
	funcs_free(f);
	return ret;
}

static void test_mutate_folded_valid(void **state)
{
	uint64_t total;
	char bom[sizeof(folded_base) + 3];

	assert_int_equal(folded_check(folded_base, strlen(folded_base), &total, "base text"), 0);
	assert_int_equal(total, FOLDED_TOTAL);
	snprintf(bom, sizeof(bom), "\xEF\xBB\xBF%s", folded_base);
	assert_int_equal(folded_check(bom, strlen(bom), &total, "base text with BOM"), 0);
	assert_int_equal(total, FOLDED_TOTAL);
}

static void test_mutate_folded_random(void **state)
{
	uint64_t seed = env_u64("FT_MUTATE_SEED", 1);
	uint64_t iters = env_u64("FT_MUTATE_ITERS", FOLDED_ITERS);
	unsigned ok = 0, bad = 0;
	struct text t = {0};
	char what[96];

	for (uint64_t it = 0; it < iters; it++) {
		unsigned n;
		uint64_t total;

		rng_seed(seed + it);
		t.len = 0;
		text_insert(&t, 0, folded_base, strlen(folded_base));
		n = 1 + (unsigned)below(below(4) ? 3 : 10);
		for (unsigned k = 0; k < n; k++)
			mutate_text(&t);
		snprintf(what, sizeof(what), "folded mutation %llu (FT_MUTATE_SEED=%llu)",
			 (unsigned long long)it, (unsigned long long)(seed + it));
		if (folded_check(t.p, t.len, &total, what))
			bad++;
		else
			ok++;
	}
	print_message("folded: %llu mutations, %u read whole, %u stopped at a bad line\n",
		      (unsigned long long)iters, ok, bad);
	if (iters >= 1000)
		assert_true(ok > iters / 10 && bad > iters / 10);
	free(t.p);
}

static int setup(void **state)
{
	const char *dir = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test-mutate.XXXXXX",
		 dir && *dir && strlen(dir) < 40 ? dir : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(seg_path, sizeof(seg_path), "%s/segment", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	unlink(seg_path);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mutate_segment_valid),
	    cmocka_unit_test(test_mutate_segment_random),
	    cmocka_unit_test(test_mutate_folded_valid),
	    cmocka_unit_test(test_mutate_folded_random),
	};

	return cmocka_run_group_tests_name("mutate", tests, setup, teardown);
}
