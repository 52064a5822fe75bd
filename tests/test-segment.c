/*
 * test-segment.c - validating, attaching to and reading a segment.
 *
 * A synthetic segment with the real layout is built in memory and in
 * temporary files (records appended with the real writer, runtime/ring.c,
 * compiled into this test); each corruption must fail with its own message
 * and never crash.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"
#include "segment.h"

#define PAGE 4096u
#define SAMPLE_RING (PAGE * 5) /* 16 KiB of data */
#define EVENT_RING (PAGE * 2)
#define NTHREADS 16u
#define NCOROS 8u
#define NMODULES 8u

static uint64_t pages(uint64_t bytes)
{
	return (bytes + PAGE - 1) / PAGE * PAGE;
}

struct image {
	uint8_t *p;
	size_t len;
};

static struct ft_header *H(struct image *im)
{
	return (struct ft_header *)im->p;
}

static struct ft_ring *ring_of(struct image *im, int id)
{
	return (struct ft_ring *)(im->p + H(im)->regions[id].offset);
}

/* A valid, empty segment of this process, laid out as the runtime does. */
static struct image image_new(void)
{
	struct image im;
	struct ft_region rg[FT_REGION_COUNT];
	uint64_t off = PAGE;
	const uint64_t sizes[FT_REGION_COUNT] = {
	    SAMPLE_RING,
	    EVENT_RING,
	    pages(NTHREADS * sizeof(struct ft_thread)),
	    pages(NCOROS * sizeof(struct ft_coro)),
	    pages(NMODULES * sizeof(struct ft_module)),
	    PAGE,
	};
	const uint32_t counts[FT_REGION_COUNT] = {0, 0, NTHREADS, NCOROS, NMODULES, 0};
	const uint32_t esizes[FT_REGION_COUNT] = {
	    0, 0, sizeof(struct ft_thread), sizeof(struct ft_coro), sizeof(struct ft_module), 0};

	assert_true(sizeof(struct ft_header) <= PAGE);
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		rg[i] = (struct ft_region){off, sizes[i], counts[i], esizes[i]};
		off += sizes[i];
	}
	im.len = off;
	assert_int_equal(posix_memalign((void **)&im.p, PAGE, im.len), 0);
	memset(im.p, 0, im.len);
	struct ft_header *h = H(&im);
	memcpy(h->magic, FT_MAGIC, 8);
	h->version = FT_VERSION;
	h->header_size = sizeof(*h);
	h->segment_size = im.len;
	h->pid = getpid();
	h->uid = getuid();
	h->mode = FT_MODE_CPU;
	h->timer = FT_TIMER_POSIX_CPU;
	h->freq_hz = 99;
	h->max_depth = 8;
	h->period_ns = 1000000000u / 99;
	h->state = FT_STATE_RUNNING;
	snprintf(h->exe, sizeof(h->exe), "/bin/true");
	snprintf(h->cmdline, sizeof(h->cmdline), "true --flag");
	memcpy(h->regions, rg, sizeof(rg));
	assert_int_equal(ft_ring_init(ring_of(&im, FT_REGION_SAMPLES), SAMPLE_RING), 16384);
	assert_int_equal(ft_ring_init(ring_of(&im, FT_REGION_EVENTS), EVENT_RING), 4096);
	((struct ft_strtab *)(im.p + rg[FT_REGION_STRINGS].offset))->size =
	    PAGE - sizeof(struct ft_strtab);
	return im;
}

static struct image image_dup(const struct image *im)
{
	struct image c = {NULL, im->len};

	assert_int_equal(posix_memalign((void **)&c.p, PAGE, c.len), 0);
	memcpy(c.p, im->p, c.len);
	return c;
}

/* Appends a sample with nframes pcs (pc[i] = base + i), claiming
 * claim_frames in its header. */
static void put_sample(struct image *im, uint64_t base, uint16_t nframes, uint16_t claim_frames)
{
	uint64_t buf[(sizeof(struct ft_sample) / 8) + FT_MAX_DEPTH + 8];
	struct ft_sample *s = (struct ft_sample *)buf;

	memset(buf, 0, sizeof(buf));
	s->time_ns = 1000 + base;
	s->weight_ns = 10101;
	s->cpu_ns = 10101;
	s->tid = 77;
	s->nframes = claim_frames;
	s->flags = FT_SAMPLE_ONCPU | FT_SAMPLE_LEAF_EXACT;
	for (uint16_t i = 0; i < nframes; i++)
		s->pc[i] = base + i;
	assert_int_not_equal(ft_ring_append(ring_of(im, FT_REGION_SAMPLES), s,
					    (uint32_t)(sizeof(*s) + nframes * 8u), FT_REC_SAMPLE),
			     UINT64_MAX);
}

static char tmpdir[64];

static char *write_file(const struct image *im, size_t len, const char *name)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, im->p, len), (ssize_t)len);
	close(fd);
	return path;
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-segment.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

struct got {
	unsigned n;
	uint64_t base[16];
	uint16_t nframes[16];
};

static int collect(void *arg, const struct ft_sample *s)
{
	struct got *g = arg;

	assert_true(s->nframes <= 8);
	for (unsigned i = 0; i < s->nframes; i++)
		assert_int_equal(s->pc[i], s->pc[0] + i);
	if (g->n < 16) {
		g->base[g->n] = s->nframes ? s->pc[0] : 0;
		g->nframes[g->n] = s->nframes;
	}
	g->n++;
	return 0;
}

static void test_segment_valid(void **state)
{
	struct image im = image_new();
	char err[256] = "";
	struct segment *s;
	struct got g = {0};

	assert_int_equal(segment_validate(im.p, im.len, err, sizeof(err)), 0);
	put_sample(&im, 0x1000, 3, 3);
	put_sample(&im, 0x2000, 8, 8);
	put_sample(&im, 0x3000, 0, 0);

	/* tables: a live thread with an unterminated name, a free slot, an
	 * entry being written (odd seq), an exited thread */
	struct ft_thread *th =
	    (struct ft_thread *)(im.p + H(&im)->regions[FT_REGION_THREADS].offset);
	th[0] = (struct ft_thread){.seq = 2, .state = FT_THREAD_LIVE, .tid = 101};
	memset(th[0].name, 'x', sizeof(th[0].name));
	th[2] = (struct ft_thread){.seq = 3, .state = FT_THREAD_LIVE, .tid = 102};
	th[3] = (struct ft_thread){.seq = 4, .state = FT_THREAD_EXITED, .tid = 103};
	snprintf(th[3].name, sizeof(th[3].name), "worker");
	struct ft_module *mo =
	    (struct ft_module *)(im.p + H(&im)->regions[FT_REGION_MODULES].offset);
	mo[0] = (struct ft_module){.seq = 2,
				   .loaded = 1,
				   .bias = 0x400000,
				   .lo = 0x401000,
				   .hi = 0x402000,
				   .build_id_len = 99};
	memset(mo[0].path, 'p', sizeof(mo[0].path));
	mo[1] = (struct ft_module){.seq = 2, .loaded = 1}; /* no path: vdso */
	mo[2] = (struct ft_module){.seq = 6, .loaded = 1, .bias = 0x7f0000000000};
	snprintf(mo[2].path, sizeof(mo[2].path), "/lib/libc.so.6");

	s = segment_open_path(write_file(&im, im.len, "valid"), err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_pid(s), getpid());
	assert_string_equal(segment_header(s)->cmdline, "true --flag");
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 3);
	assert_int_equal(g.base[0], 0x1000);
	assert_int_equal(g.nframes[1], 8);
	assert_int_equal(g.nframes[2], 0);
	assert_int_equal(segment_missed(s), 0);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 0);

	struct ft_thread t[NTHREADS];
	assert_int_equal(segment_threads(s, t, NTHREADS), 2);
	assert_int_equal(t[0].tid, 101);
	assert_int_equal(strlen(t[0].name), FT_NAME_LEN - 1);
	assert_int_equal(t[1].tid, 103);
	assert_string_equal(t[1].name, "worker");
	assert_int_equal(segment_threads(s, t, 1), 1);

	struct ft_module m[NMODULES];
	assert_int_equal(segment_modules(s, m, NMODULES), 2);
	assert_int_equal(strlen(m[0].path), FT_PATH_LEN - 1);
	assert_int_equal(m[0].build_id_len, 0);
	assert_string_equal(m[1].path, "/lib/libc.so.6");

	int status = 99;
	assert_int_equal(segment_state(s, &status), FT_STATE_RUNNING);
	segment_touch(s);
	segment_free(s);
	segment_free(NULL);
	free(im.p);
}

/* Reads what the file really holds after the reader's writes. */
static void test_segment_live_file(void **state)
{
	struct image im = image_new();
	char err[256] = "", *path;
	struct segment *s;
	struct got g = {0};
	int fd, status;
	pid_t child;

	path = write_file(&im, im.len, "live");
	s = segment_open_path(path, err, sizeof(err));
	assert_non_null(s);
	/* the writer goes on writing into the shared file */
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	struct image live = {mmap(NULL, im.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), im.len};
	assert_true(live.p != MAP_FAILED);
	close(fd);
	/* opening a file is no viewer; a touch takes a viewer slot */
	assert_int_equal(((struct ft_header *)live.p)->control.viewer_heartbeat_ns, 0);
	segment_touch(s);
	assert_true(((struct ft_header *)live.p)->control.viewer_heartbeat_ns > 0);
	assert_true(((struct ft_header *)live.p)->control.viewer_slot[0] > 0);
	/* a slot left by a viewer that died long ago is taken over */
	segment_free(s);
	assert_int_equal(((struct ft_header *)live.p)->control.viewer_slot[0], 0);
	for (unsigned i = 0; i < FT_VIEWER_SLOTS; i++)
		((struct ft_header *)live.p)->control.viewer_slot[i] = 1;
	s = segment_open_path(path, err, sizeof(err));
	assert_non_null(s);
	segment_touch(s);
	assert_true(((struct ft_header *)live.p)->control.viewer_slot[0] > 1);
	assert_int_equal(((struct ft_header *)live.p)->control.viewer_slot[1], 1);
	put_sample(&live, 0x5000, 2, 2);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 1);
	assert_int_equal(g.base[0], 0x5000);

	/* generations and state are refreshed; offsets never are */
	H(&live)->threads_gen = 7;
	H(&live)->regions[FT_REGION_SAMPLES].offset = 1ull << 40;
	segment_refresh(s);
	assert_int_equal(segment_header(s)->threads_gen, 7);
	assert_int_equal(segment_header(s)->regions[FT_REGION_SAMPLES].offset, PAGE);
	H(&live)->regions[FT_REGION_SAMPLES].offset = PAGE;
	put_sample(&live, 0x6000, 1, 1);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 1);

	H(&live)->state = FT_STATE_EXITED;
	H(&live)->exit_status = 3 << 8;
	assert_int_equal(segment_state(s, &status), FT_STATE_EXITED);
	assert_int_equal(status, 3 << 8);
	H(&live)->state = FT_STATE_EXECED;
	assert_int_equal(segment_state(s, &status), FT_STATE_EXECED);

	/* a running writer whose process is gone exited (status unknown) */
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	segment_free(s);
	H(&live)->state = FT_STATE_RUNNING;
	H(&live)->pid = child;
	s = segment_open_path(path, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_state(s, &status), FT_STATE_EXITED);
	assert_int_equal(status, -1);
	segment_free(s);
	munmap(live.p, live.len);
	free(im.p);
}

/* One corruption: validate must fail with rc and a message containing
 * msg, and opening it as a file must fail the same way. */
static void expect_bad(struct image *im, size_t len, int rc, const char *msg)
{
	char err[256] = "";
	struct segment *s;

	assert_int_equal(segment_validate(im->p, len, err, sizeof(err)), rc);
	if (!strstr(err, msg))
		fail_msg("expected '%s' in '%s'", msg, err);
	err[0] = '\0';
	s = segment_open_path(write_file(im, len, "bad"), err, sizeof(err));
	assert_null(s);
	if (!strstr(err, msg))
		fail_msg("expected '%s' in '%s'", msg, err);
}

static void test_segment_corrupt(void **state)
{
	struct image good = image_new(), im;
	char err[256];

#define BAD(change, len, rc, msg)                                                                  \
	do {                                                                                       \
		im = image_dup(&good);                                                             \
		change;                                                                            \
		expect_bad(&im, len, rc, msg);                                                     \
		free(im.p);                                                                        \
	} while (0)
	BAD(memcpy(H(&im)->magic, "FLAMETOQ", 8), im.len, -EBADF, "not a flametop segment");
	BAD(memset(im.p, 0, 100), 100, -EBADF, "not a flametop segment");
	BAD(H(&im)->version = FT_VERSION + 1, im.len, -EPROTO, "runtime format v");
	BAD(H(&im)->version = 0, im.len, -EPROTO, "runtime format v0, this viewer reads v");
	BAD((void)0, 100, -EINVAL, "truncated");
	BAD((void)0, sizeof(struct ft_header) - 1, -EINVAL, "truncated");
	BAD((void)0, im.len - PAGE, -EINVAL, "truncated");
	BAD(H(&im)->segment_size = im.len * 2, im.len, -EINVAL, "truncated");
	BAD(H(&im)->header_size = 64, im.len, -EINVAL, "header is 64 bytes");
	BAD(H(&im)->regions[FT_REGION_MODULES].offset = im.len, im.len, -EINVAL,
	    "module table (offset");
	BAD(H(&im)->regions[FT_REGION_STRINGS].offset = 1ull << 60, im.len, -EINVAL,
	    "outside the segment");
	BAD(H(&im)->regions[FT_REGION_THREADS].size = UINT64_MAX - 100, im.len, -EINVAL,
	    "thread table (offset");
	BAD(H(&im)->regions[FT_REGION_SAMPLES].offset = 100, im.len, -EINVAL,
	    "outside the segment");
	BAD(H(&im)->regions[FT_REGION_SAMPLES].offset = 0, im.len, -EINVAL, "outside the segment");
	BAD(H(&im)->regions[FT_REGION_EVENTS].offset = PAGE, im.len, -EINVAL,
	    "event ring overlaps the sample ring");
	BAD(ring_of(&im, FT_REGION_SAMPLES)->size = 3000, im.len, -EINVAL,
	    "sample ring size 3000 is not a power of two");
	BAD(ring_of(&im, FT_REGION_SAMPLES)->size = 0, im.len, -EINVAL, "not a power of two");
	BAD(ring_of(&im, FT_REGION_SAMPLES)->size = 32768, im.len, -EINVAL,
	    "does not fit its region");
	BAD(ring_of(&im, FT_REGION_EVENTS)->size = 1ull << 63, im.len, -EINVAL,
	    "event ring of 9223372036854775808 bytes does not fit");
	BAD(H(&im)->regions[FT_REGION_SAMPLES].size = 0, im.len, -EINVAL,
	    "sample ring is too small");
	BAD(H(&im)->regions[FT_REGION_THREADS].entry_size = 8, im.len, -EINVAL,
	    "thread table entries are 8 bytes");
	BAD(H(&im)->regions[FT_REGION_MODULES].entry_size += 8, im.len, -EINVAL,
	    "module table entries are");
	BAD(H(&im)->regions[FT_REGION_COROS].count = 1000000, im.len, -EINVAL,
	    "coroutine table of 1000000 entries does not fit");
	BAD(H(&im)->regions[FT_REGION_MODULES].count = UINT32_MAX, im.len, -EINVAL, "does not fit");
	BAD(((struct ft_strtab *)(im.p + H(&im)->regions[FT_REGION_STRINGS].offset))->size =
		UINT64_MAX,
	    im.len, -EINVAL, "string table does not fit");
	BAD(H(&im)->max_depth = 10000, im.len, -EINVAL, "max_depth 10000");
	BAD(H(&im)->max_depth = 0, im.len, -EINVAL, "max_depth 0");
	BAD(H(&im)->freq_hz = 0, im.len, -EINVAL, "frequency 0 Hz");
	BAD(H(&im)->freq_hz = 5000, im.len, -EINVAL, "frequency 5000 Hz");
	BAD(H(&im)->pid = 0, im.len, -EINVAL, "no valid pid");
#undef BAD
	/* an empty file, a directory, a missing file */
	assert_null(segment_open_path(write_file(&good, 0, "empty"), err, sizeof(err)));
	assert_non_null(strstr(err, "truncated"));
	assert_null(segment_open_path(tmpdir, err, sizeof(err)));
	assert_null(segment_open_path("/nonexistent/flametop.1", err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open '/nonexistent/flametop.1'"));

	/* random bytes anywhere in the header: never a crash */
	srand(1);
	for (int i = 0; i < 20000; i++) {
		im = image_dup(&good);
		for (int k = 0; k < 1 + i % 4; k++)
			im.p[rand() % PAGE] = (uint8_t)rand();
		segment_validate(im.p, im.len, err, sizeof(err));
		free(im.p);
	}
	free(good.p);
}

static void test_segment_bad_records(void **state)
{
	struct image im = image_new();
	char err[256] = "";
	struct segment *s;
	struct got g = {0};
	struct ft_ring *ring = ring_of(&im, FT_REGION_SAMPLES);

	/* a ring full of garbage: no sample, a missed count */
	srand(7);
	for (unsigned i = 0; i < ring->size; i++)
		((uint8_t *)ring)[FT_RING_DATA_OFFSET + i] = (uint8_t)rand();
	ring->head = 3 * ring->size + 808;
	s = segment_open_path(write_file(&im, im.len, "garbage"), err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 0);
	assert_int_equal(g.n, 0);
	assert_true(segment_missed(s) > 0);
	segment_free(s);
	free(im.p);

	/* samples claiming more frames than max_depth or than they hold */
	im = image_new();
	put_sample(&im, 0x1000, 2, 2);
	put_sample(&im, 0x2000, 20, 20); /* max_depth is 8 */
	put_sample(&im, 0x3000, 2, 6);	 /* 6 frames claimed, 2 present */
	put_sample(&im, 0x4000, 8, 8);
	put_sample(&im, 0x5000, 3, 3);
	s = segment_open_path(write_file(&im, im.len, "records"), err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_read_samples(s, collect, &g, 2), 2);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), 1);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.base[0], 0x1000);
	assert_int_equal(g.base[1], 0x4000);
	assert_int_equal(g.base[2], 0x5000);
	assert_int_equal(segment_missed(s), 2);
	segment_free(s);
	free(im.p);
}

/* Appends an event record of kind with len bytes to the event ring. */
static void put_event(struct image *im, uint16_t kind, uint64_t a, uint32_t len)
{
	uint64_t buf[16] = {0};
	struct ft_event *e = (struct ft_event *)buf;

	e->time_ns = 5000 + a;
	e->tid = 78;
	e->a = a;
	assert_int_not_equal(ft_ring_append(ring_of(im, FT_REGION_EVENTS), e, len, kind),
			     UINT64_MAX);
}

/* Appends a GC record (struct ft_gc, no frames) numbered a, len bytes of
 * it (shorter than the struct: a record its kind's checks refuse). */
static void put_gc(struct image *im, uint64_t a, uint32_t len)
{
	struct ft_gc g;

	memset(&g, 0, sizeof(g));
	g.start_ns = 5000 + a;
	g.end_ns = 6000 + a;
	g.number = a;
	g.tid = 78;
	g.source = FT_GC_SOURCE_LIBGC;
	g.flags = FT_GC_HAVE_NUMBER;
	assert_int_not_equal(ft_ring_append(ring_of(im, FT_REGION_EVENTS), &g, len, FT_REC_GC),
			     UINT64_MAX);
}

struct kinds_seen {
	unsigned samples, gcs, coros;
	uint64_t gc_a[4];
};

static int on_sample(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct kinds_seen *k = arg;

	assert_int_equal(rec->kind, FT_REC_SAMPLE);
	assert_true(len >= sizeof(struct ft_sample));
	k->samples++;
	return 0;
}

static int on_gc(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct kinds_seen *k = arg;

	assert_int_equal(rec->kind, FT_REC_GC);
	assert_true(len >= sizeof(struct ft_gc));
	if (k->gcs < 4)
		k->gc_a[k->gcs] = ((const struct ft_gc *)rec)->number;
	k->gcs++;
	return 0;
}

static int on_coro(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct kinds_seen *k = arg;

	assert_int_equal(rec->kind, FT_REC_CORO);
	k->coros++;
	return 0;
}

/* Both rings, every kind: each record reaches the consumer of its kind
 * after its kind's checks; unknown kinds are counted and skipped; a kind
 * nobody consumes is skipped; a record too short for its kind is lost. */
static void test_segment_kinds(void **state)
{
	struct image im = image_new();
	struct kinds_seen k = {0};
	char err[256] = "";
	struct segment *s;

	put_sample(&im, 0x1000, 2, 2);
	put_gc(&im, 1, sizeof(struct ft_gc));
	put_event(&im, 77, 2, sizeof(struct ft_event)); /* a kind of a later format */
	put_event(&im, FT_REC_CORO, 3, sizeof(struct ft_event));
	put_gc(&im, 4, sizeof(struct ft_event));		  /* shorter than a GC record */
	put_event(&im, FT_REC_ALLOC, 5, sizeof(struct ft_event)); /* too short */
	put_event(&im, 60000, 6, sizeof(struct ft_event));
	put_gc(&im, 7, sizeof(struct ft_gc));
	put_sample(&im, 0x2000, 3, 3);
	s = segment_open_path(write_file(&im, im.len, "kinds"), err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_on(s, FT_REC_SAMPLE, on_sample, &k), 0);
	assert_int_equal(segment_on(s, FT_REC_GC, on_gc, &k), 0);
	assert_int_equal(segment_on(s, FT_REC_CORO, on_coro, &k), 0);
	assert_int_equal(segment_read(s, 0), 5);
	assert_int_equal(k.samples, 2);
	assert_int_equal(k.gcs, 2);
	assert_int_equal(k.gc_a[0], 1);
	assert_int_equal(k.gc_a[1], 7);
	assert_int_equal(k.coros, 1);
	assert_int_equal(segment_unknown(s), 2);
	assert_int_equal(segment_missed(s), 2);
	assert_int_equal(segment_read(s, 0), 0);

	/* a consumer removed gets nothing more; max bounds what is delivered */
	assert_int_equal(segment_on(s, FT_REC_CORO, NULL, NULL), 0);
	put_event(&im, FT_REC_CORO, 8, sizeof(struct ft_event));
	put_gc(&im, 9, sizeof(struct ft_gc));
	put_gc(&im, 10, sizeof(struct ft_gc));
	segment_free(s);
	k = (struct kinds_seen){0};
	s = segment_open_path(write_file(&im, im.len, "kinds2"), err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(segment_on(s, FT_REC_GC, on_gc, &k), 0);
	assert_int_equal(segment_read(s, 3), 3);
	assert_int_equal(segment_read(s, 0), 1);
	assert_int_equal(k.gcs, 4);
	assert_int_equal(k.samples, 0);
	assert_int_equal(k.coros, 0);
	segment_free(s);
	free(im.p);
}

/* A segment of another format version is refused with both versions
 * named; the error reaches the user as it is. */
static void test_segment_version(void **state)
{
	struct image im = image_new();
	char err[256] = "", want[128];

	H(&im)->version = FT_VERSION + 1;
	assert_null(segment_open_path(write_file(&im, im.len, "v-next"), err, sizeof(err)));
	snprintf(want, sizeof(want), "runtime format v%u, this viewer reads v%u", FT_VERSION + 1,
		 FT_VERSION);
	assert_non_null(strstr(err, want));
	H(&im)->version = FT_VERSION;
	free(im.p);
}

static void test_segment_attach(void **state)
{
	char err[256] = "", path[64];
	struct image im = image_new();
	struct segment *s;
	pid_t child;
	int fd;

	/* this process has no segment */
	snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)getpid());
	unlink(path);
	assert_null(segment_attach(getpid(), err, sizeof(err)));
	char want[128];
	snprintf(want, sizeof(want), "no flametop segment for pid %d (was the runtime loaded?)",
		 (int)getpid());
	assert_string_equal(err, want);

	/* no such process */
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_null(segment_attach(child, err, sizeof(err)));
	snprintf(want, sizeof(want), "no process %d", (int)child);
	assert_string_equal(err, want);
	assert_null(segment_attach(-1, err, sizeof(err)));

	/* a real one */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, im.p, im.len), (ssize_t)im.len);
	s = segment_attach(getpid(), err, sizeof(err));
	if (!s)
		fail_msg("attach: %s", err);
	segment_free(s);

	/* another user's */
	if (geteuid() == 0) {
		assert_int_equal(fchown(fd, 65534, 65534), 0);
		assert_null(segment_attach(getpid(), err, sizeof(err)));
		snprintf(want, sizeof(want), "segment of pid %d belongs to another user",
			 (int)getpid());
		assert_string_equal(err, want);
	} else {
		print_message("not root: skipping the other-user case\n");
	}
	close(fd);
	unlink(path);

	/* a symbolic link in its place */
	char target[128];
	snprintf(target, sizeof(target), "%s", write_file(&im, im.len, "target"));
	assert_int_equal(symlink(target, path), 0);
	assert_null(segment_attach(getpid(), err, sizeof(err)));
	assert_non_null(strstr(err, "symbolic link"));
	unlink(path);

	/* a segment naming another pid */
	H(&im)->pid = getpid() + 1;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, im.p, im.len), (ssize_t)im.len);
	close(fd);
	assert_null(segment_attach(getpid(), err, sizeof(err)));
	assert_non_null(strstr(err, "says it belongs to pid"));
	unlink(path);
	free(im.p);
}

/* A writer of our own user truncates its file after we mapped it: reads
 * past the new end would raise SIGBUS; the segment turns broken instead. */
static void test_segment_truncated(void **state)
{
	struct image im = image_new();
	char err[256] = "", *path;
	struct ft_thread th[4];
	struct segment *s;
	struct got g = {0};

	put_sample(&im, 0x5000, 2, 2);
	path = write_file(&im, im.len, "shrunk");
	s = segment_open_path(path, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(truncate(path, PAGE), 0); /* only the header is left */
	assert_int_equal(segment_read_samples(s, collect, &g, 0), -EFAULT);
	assert_true(segment_broken(s));
	assert_int_equal(segment_state(s, NULL), FT_STATE_FAILED);
	assert_int_equal(segment_threads(s, th, 4), 0);
	assert_int_equal(segment_read_samples(s, collect, &g, 0), -EFAULT);
	segment_touch(s);
	segment_refresh(s);
	segment_free(s);
	free(im.p);
}

static void test_segment_handler_quantile(void **state)
{
	struct ft_counters c = {0};

	assert_true(segment_handler_quantile(&c, 0.5) == 0);
	c.handler_hist[10] = 100; /* all calls took 1024..2047 ns */
	assert_true(segment_handler_quantile(&c, 0.5) == 1536);
	c.handler_hist[20] = 1; /* one slow call: p99 stays in bucket 10 */
	assert_true(segment_handler_quantile(&c, 0.99) < 2048);
	assert_true(segment_handler_quantile(&c, 1.0) >= 1 << 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_segment_valid),
	    cmocka_unit_test(test_segment_live_file),
	    cmocka_unit_test(test_segment_corrupt),
	    cmocka_unit_test(test_segment_bad_records),
	    cmocka_unit_test(test_segment_kinds),
	    cmocka_unit_test(test_segment_version),
	    cmocka_unit_test(test_segment_attach),
	    cmocka_unit_test(test_segment_handler_quantile),
	    cmocka_unit_test(test_segment_truncated),
	};

	return cmocka_run_group_tests_name("segment", tests, setup, teardown);
}
