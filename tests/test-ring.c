/*
 * test-ring.c - the ring reader (src/ring-reader.c) against the real writer
 * (runtime/ring.c, compiled into this test).
 *
 * Every record written here carries its writer, a sequence number and a
 * checksum over its body, so a torn or misplaced record is always noticed.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "ring-reader.h"

struct trec {
	struct ft_rec_hdr hdr;
	uint32_t writer;
	uint32_t seq;
	uint32_t nwords;
	uint32_t sum;
	uint64_t words[];
};

#define TREC_MAXWORDS 64

static uint64_t word_of(uint32_t writer, uint32_t seq, uint32_t i)
{
	uint64_t x = ((uint64_t)writer << 48) ^ ((uint64_t)seq << 16) ^ i;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static uint32_t sum_of(const struct trec *t)
{
	uint64_t s = t->writer * 31u + t->seq;

	for (uint32_t i = 0; i < t->nwords; i++)
		s = s * 1000003u ^ t->words[i];
	return (uint32_t)(s ^ (s >> 32));
}

/* Appends one test record with nwords body words; returns its position. */
static uint64_t put(struct ft_ring *ring, uint32_t writer, uint32_t seq, uint32_t nwords)
{
	union {
		struct trec t;
		uint64_t space[(sizeof(struct trec) / 8) + TREC_MAXWORDS];
	} u;

	u.t.writer = writer;
	u.t.seq = seq;
	u.t.nwords = nwords;
	for (uint32_t i = 0; i < nwords; i++)
		u.t.words[i] = word_of(writer, seq, i);
	u.t.sum = sum_of(&u.t);
	return ft_ring_append(ring, &u.t, (uint32_t)(sizeof(struct trec) + nwords * 8),
			      FT_REC_SAMPLE);
}

/* A delivered record is whole and exactly what its writer wrote. */
static int rec_ok(const struct ft_rec_hdr *h, uint32_t len)
{
	const struct trec *t = (const struct trec *)h;

	if (len < sizeof(*t) || len != h->len || h->kind == FT_REC_PAD)
		return 0;
	if (t->nwords > TREC_MAXWORDS || len != sizeof(*t) + t->nwords * 8)
		return 0;
	for (uint32_t i = 0; i < t->nwords; i++)
		if (t->words[i] != word_of(t->writer, t->seq, i))
			return 0;
	return t->sum == sum_of(t);
}

static struct ft_ring *ring_new(uint64_t data_size)
{
	struct ft_ring *ring = NULL;

	assert_int_equal(posix_memalign((void **)&ring, 4096, FT_RING_DATA_OFFSET + data_size), 0);

	assert_non_null(ring);
	memset(ring, 0, FT_RING_DATA_OFFSET + data_size);
	assert_int_equal(ft_ring_init(ring, FT_RING_DATA_OFFSET + data_size), data_size);
	return ring;
}

static uint8_t *ring_bytes(struct ft_ring *ring)
{
	return (uint8_t *)ring + FT_RING_DATA_OFFSET;
}

/* Reads every ready record, checking each; returns how many. */
static unsigned drain(struct ring_reader *r, uint32_t *seqs, unsigned max, unsigned flags)
{
	const struct ft_rec_hdr *h;
	uint32_t len;
	unsigned n = 0;

	while ((h = ring_reader_next(r, &len, flags))) {
		assert_true(rec_ok(h, len));
		if (seqs && n < max)
			seqs[n] = ((const struct trec *)h)->seq;
		n++;
	}
	return n;
}

static void test_ring_write_read(void **state)
{
	struct ft_ring *ring = ring_new(4096);
	struct ring_reader r;
	uint32_t seqs[16];

	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	assert_null(ring_reader_next(&r, &(uint32_t){0}, 0));
	for (uint32_t i = 0; i < 10; i++)
		assert_int_not_equal(put(ring, 1, i, i % 5), UINT64_MAX);
	assert_int_equal(drain(&r, seqs, 16, 0), 10);
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(seqs[i], i);
	assert_int_equal(ring_reader_missed(&r), 0);
	/* more later: only the new ones */
	put(ring, 1, 10, 3);
	assert_int_equal(drain(&r, seqs, 16, 0), 1);
	assert_int_equal(seqs[0], 10);
	ring_reader_release(&r);

	/* a reader attaching later starts at the oldest record still there */
	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	assert_int_equal(drain(&r, seqs, 16, 0), 11);
	assert_int_equal(seqs[0], 0);
	ring_reader_release(&r);

	/* ... or at head when asked */
	assert_int_equal(ring_reader_init(&r, ring, 4096, false), 0);
	assert_int_equal(drain(&r, NULL, 0, 0), 0);
	put(ring, 1, 11, 0);
	assert_int_equal(drain(&r, seqs, 16, 0), 1);
	assert_int_equal(seqs[0], 11);
	ring_reader_release(&r);
	free(ring);
}

/* Records of varied length go round a small ring many times, read as they
 * come: each one arrives whole, also those split across the end. */
static void test_ring_wrap_split(void **state)
{
	struct ft_ring *ring = ring_new(1024);
	struct ring_reader r;
	uint32_t seq = 0, next = 0, seqs[64];
	unsigned split = 0;

	assert_int_equal(ring_reader_init(&r, ring, 1024, true), 0);
	for (int round = 0; round < 500; round++) {
		unsigned k = 1 + round % 5;

		for (unsigned j = 0; j < k; j++) {
			uint32_t nw = (seq * 7) % 29; /* 24..256 bytes */
			uint64_t pos = put(ring, 2, seq++, nw);
			uint64_t len = sizeof(struct trec) + nw * 8;

			assert_int_not_equal(pos, UINT64_MAX);
			if ((pos & 1023) + len > 1024)
				split++;
		}
		unsigned n = drain(&r, seqs, 64, 0);

		assert_int_equal(n, k);
		for (unsigned j = 0; j < n; j++)
			assert_int_equal(seqs[j], next++);
	}
	assert_true(split > 10);
	assert_true(ring->head > 50 * 1024);
	assert_int_equal(ring_reader_missed(&r), 0);
	ring_reader_release(&r);
	free(ring);
}

/* The writer laps the reader: the gap is counted exactly for records of
 * one size, and reading resumes at the oldest intact record. */
static void test_ring_gap(void **state)
{
	struct ft_ring *ring = ring_new(1024);
	struct ring_reader r;
	uint32_t seqs[64];

	/* records of 64 bytes: sizeof(struct trec) 32 + 4 words */
	assert_int_equal(ring_reader_init(&r, ring, 1024, true), 0);
	for (uint32_t i = 0; i < 4; i++)
		put(ring, 3, i, 4);
	const struct ft_rec_hdr *h;
	uint32_t len;
	for (int i = 0; i < 2; i++) {
		h = ring_reader_next(&r, &len, 0);
		assert_non_null(h);
		assert_true(rec_ok(h, len));
	}
	for (uint32_t i = 4; i < 24; i++)
		put(ring, 3, i, 4);
	/* head = 24 * 64 = 1536: records 8..23 survive, 2..7 are lost */
	assert_int_equal(drain(&r, seqs, 64, 0), 16);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(seqs[i], 8 + i);
	assert_int_equal(ring_reader_missed(&r), 6);
	assert_int_equal(r.missed_bytes, 6 * 64);

	/* lapped many times over: still exact */
	for (uint32_t i = 24; i < 24 + 1000; i++)
		put(ring, 3, i, 4);
	assert_int_equal(drain(&r, seqs, 64, 0), 16);
	assert_int_equal(seqs[0], 24 + 1000 - 16);
	assert_int_equal(ring_reader_missed(&r), 6 + 1000 - 16);
	ring_reader_release(&r);

	/* records of mixed sizes: the gap is estimated, never zero */
	memset(ring, 0, FT_RING_DATA_OFFSET + 1024);
	ft_ring_init(ring, FT_RING_DATA_OFFSET + 1024);
	assert_int_equal(ring_reader_init(&r, ring, 1024, true), 0);
	put(ring, 4, 0, 1);
	assert_int_equal(drain(&r, NULL, 0, 0), 1);
	for (uint32_t i = 1; i < 200; i++)
		put(ring, 4, i, i % 20);
	unsigned n = drain(&r, seqs, 64, 0);
	assert_true(n > 0 && n < 199);
	assert_int_equal(seqs[n - 1], 199);
	assert_true(ring_reader_missed(&r) > 0);
	assert_int_equal(r.missed_bytes % 8, 0);
	ring_reader_release(&r);
	free(ring);
}

/* Reserves len bytes and writes a record without committing its tag, the
 * way a writer interrupted between steps 2 and 3 leaves it. */
static uint64_t put_uncommitted(struct ft_ring *ring, uint32_t seq, uint32_t nwords)
{
	uint64_t len = sizeof(struct trec) + nwords * 8;
	uint64_t pos = __atomic_fetch_add(&ring->head, len, __ATOMIC_ACQ_REL);
	uint8_t *d = ring_bytes(ring);
	struct trec t = {.hdr = {.tag = 0, .len = (uint32_t)len, .kind = FT_REC_SAMPLE},
			 .writer = 5,
			 .seq = seq,
			 .nwords = 0};

	memcpy(d + (pos & (ring->size - 1)), &t, sizeof(t));
	*(uint64_t *)(d + (pos & (ring->size - 1))) = 0;
	return pos;
}

static void commit(struct ft_ring *ring, uint64_t pos)
{
	__atomic_store_n((uint64_t *)(ring_bytes(ring) + (pos & (ring->size - 1))),
			 pos ^ FT_TAG_XOR, __ATOMIC_RELEASE);
}

static void test_ring_uncommitted(void **state)
{
	struct ft_ring *ring = ring_new(4096);
	struct ring_reader r;
	uint32_t seqs[8];
	uint64_t pos;

	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	put(ring, 5, 0, 2);
	pos = put_uncommitted(ring, 1, 0);
	put(ring, 5, 2, 2);
	/* only what precedes the uncommitted record is delivered */
	assert_int_equal(drain(&r, seqs, 8, 0), 1);
	assert_int_equal(seqs[0], 0);
	assert_int_equal(drain(&r, seqs, 8, 0), 0);
	assert_int_equal(ring_reader_missed(&r), 0);
	/* committed late: it and the one after it arrive, in order */
	struct trec *t = (struct trec *)(ring_bytes(ring) + (pos & 4095));
	t->sum = sum_of(t);
	t->hdr.check = ft_rec_check(t, t->hdr.len);
	commit(ring, pos);
	assert_int_equal(drain(&r, seqs, 8, 0), 2);
	assert_int_equal(seqs[0], 1);
	assert_int_equal(seqs[1], 2);

	/* never committed, writer gone: lost, and reading goes on */
	put_uncommitted(ring, 3, 0);
	put(ring, 5, 4, 1);
	assert_int_equal(drain(&r, seqs, 8, 0), 0);
	assert_int_equal(drain(&r, seqs, 8, RING_WRITER_GONE), 1);
	assert_int_equal(seqs[0], 4);
	assert_int_equal(ring_reader_missed(&r), 1);

	/* never committed, waited long enough (stall time 0 here) */
	put_uncommitted(ring, 5, 0);
	put(ring, 5, 6, 1);
	r.stall_ns = 0;
	assert_int_equal(drain(&r, seqs, 8, 0), 1);
	assert_int_equal(seqs[0], 6);
	assert_int_equal(ring_reader_missed(&r), 2);
	ring_reader_release(&r);
	free(ring);
}

/* A stalled writer that lapped the ring can scribble over a committed
 * record after the reader checked head: the body check drops it. */
static void test_ring_scribbled(void **state)
{
	struct ft_ring *ring = ring_new(4096);
	struct ring_reader r;
	uint32_t seqs[8];
	uint64_t pos;

	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	pos = put(ring, 5, 0, 4);
	put(ring, 5, 1, 4);
	ring_bytes(ring)[(pos + sizeof(struct trec) + 8) & (ring->size - 1)] ^= 0x40;
	assert_int_equal(drain(&r, seqs, 8, 0), 1);
	assert_int_equal(seqs[0], 1);
	assert_int_equal(ring_reader_missed(&r), 1);
	ring_reader_release(&r);
	free(ring);
}

static void test_ring_corrupt(void **state)
{
	struct ft_ring *ring = ring_new(4096);
	struct ring_reader r;
	uint32_t seqs[16];
	uint64_t pos[8];
	uint8_t *d = ring_bytes(ring);

	/* a bad len, a huge len and an unknown kind in the middle: the kind
	 * is the caller's to check (records.c), the record is delivered */
	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	for (uint32_t i = 0; i < 8; i++)
		pos[i] = put(ring, 6, i, 4);
	((struct ft_rec_hdr *)(d + pos[2]))->len = 12;
	((struct ft_rec_hdr *)(d + pos[4]))->len = 0xfffffff8u;
	((struct ft_rec_hdr *)(d + pos[6]))->kind = 999;
	assert_int_equal(drain(&r, seqs, 16, 0), 6);
	assert_int_equal(seqs[0], 0);
	assert_int_equal(seqs[1], 1);
	assert_int_equal(seqs[2], 3);
	assert_int_equal(seqs[3], 5);
	assert_int_equal(seqs[4], 6);
	assert_int_equal(seqs[5], 7);
	assert_int_equal(ring_reader_missed(&r), 2);
	/* a len that runs past head */
	pos[0] = put(ring, 6, 8, 4);
	((struct ft_rec_hdr *)(d + (pos[0] & 4095)))->len = 512;
	assert_int_equal(drain(&r, seqs, 16, 0), 0);
	assert_int_equal(drain(&r, seqs, 16, RING_WRITER_GONE), 0);
	assert_true(ring_reader_missed(&r) >= 3);
	ring_reader_release(&r);

	/* a ring full of garbage, written over many times */
	srand(42);
	for (unsigned i = 0; i < 4096; i++)
		d[i] = (uint8_t)rand();
	ring->head = 10 * 4096 + 512;
	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	assert_int_equal(drain(&r, NULL, 0, RING_WRITER_GONE), 0);
	assert_true(ring_reader_missed(&r) > 0);
	ring_reader_release(&r);
	/* ... or once */
	ring->head = 2048;
	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	assert_int_equal(drain(&r, NULL, 0, RING_WRITER_GONE), 0);
	assert_true(ring_reader_missed(&r) > 0);
	/* head not a multiple of 8, going backwards, jumping far */
	ring->head = 2051;
	assert_int_equal(drain(&r, NULL, 0, RING_WRITER_GONE), 0);
	ring->head = 8;
	assert_int_equal(drain(&r, NULL, 0, RING_WRITER_GONE), 0);
	ring->head = UINT64_MAX - 5;
	assert_int_equal(drain(&r, NULL, 0, RING_WRITER_GONE), 0);
	ring_reader_release(&r);

	/* random damage while records flow: never a crash, never a bad len */
	memset(ring, 0, FT_RING_DATA_OFFSET + 4096);
	ft_ring_init(ring, FT_RING_DATA_OFFSET + 4096);
	assert_int_equal(ring_reader_init(&r, ring, 4096, true), 0);
	for (uint32_t i = 0; i < 20000; i++) {
		const struct ft_rec_hdr *h;
		uint32_t len;

		put(ring, 7, i, i % 13);
		if (i % 3 == 0)
			d[rand() % 4096] = (uint8_t)rand();
		if (i % 7 == 0)
			while ((h = ring_reader_next(&r, &len, i % 2 ? RING_WRITER_GONE : 0))) {
				assert_int_equal(len % 8, 0);
				assert_true(len >= sizeof(*h) && len <= 1024);
			}
	}
	assert_true(ring_reader_missed(&r) > 0);
	ring_reader_release(&r);
	free(ring);
}

/*
 * Two writers hammer a small ring while the reader follows: every record
 * delivered is whole (checksum) and in each writer's order.
 *
 * The protocol has one hole no reader can close: a writer preempted in the
 * middle of its copy for as long as the others take to fill the whole ring
 * finishes its copy into bytes that a newer record owns by then, after the
 * reader checked head.  Writers here notice when that may have happened to
 * them (head moved past their position + size before they returned); a
 * damaged record is tolerated only as a consequence of such a write, each
 * of which can spoil at most the 11 smallest records its bytes cover.
 */
struct hammer {
	struct ft_ring *ring;
	uint32_t writer;
	uint32_t count;
	uint64_t lapped; /* writes that may have landed in newer records */
};

static void *hammer_write(void *arg)
{
	struct hammer *h = arg;

	for (uint32_t i = 0; i < h->count; i++) {
		uint64_t pos = put(h->ring, h->writer, i, (i * 13 + h->writer) % 40);

		if (__atomic_load_n(&h->ring->head, __ATOMIC_SEQ_CST) > pos + h->ring->size)
			h->lapped++;
	}
	return NULL;
}

static void test_ring_concurrent(void **state)
{
	struct ft_ring *ring = ring_new(8192);
	struct ring_reader r;
	struct hammer w[2] = {{ring, 1, 400000, 0}, {ring, 2, 400000, 0}};
	pthread_t th[2];
	int64_t last[3] = {-1, -1, -1};
	uint64_t got = 0, bad = 0;
	int done = 0;

	assert_int_equal(ring_reader_init(&r, ring, 8192, true), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer_write, &w[i]), 0);
	for (;;) {
		const struct ft_rec_hdr *h;
		uint32_t len;

		while ((h = ring_reader_next(&r, &len, done ? RING_WRITER_GONE : 0))) {
			const struct trec *t = (const struct trec *)h;

			if (!rec_ok(h, len) || t->writer < 1 || t->writer > 2 ||
			    (int64_t)t->seq <= last[t->writer]) {
				bad++;
				continue;
			}
			last[t->writer] = t->seq;
			got++;
		}
		if (done)
			break;
		/* poll until both writers finished, then drain once more */
		for (int i = 0; i < 2; i++)
			if (th[i] && pthread_tryjoin_np(th[i], NULL) == 0)
				th[i] = 0;
		done = !th[0] && !th[1];
	}
	print_message("concurrent: %llu bad records, %llu writes lapped while writing\n",
		      (unsigned long long)bad, (unsigned long long)(w[0].lapped + w[1].lapped));
	assert_true(bad <= 11 * (w[0].lapped + w[1].lapped));
	assert_true(got > 0);
	assert_true(got <= 800000);
	/* the very last record written survives the end */
	assert_true(last[1] == 399999 || last[2] == 399999);
	/* every byte was either delivered or counted as missed */
	assert_int_equal(r.rpos, ring->head);
	assert_int_equal(r.bytes + r.missed_bytes, ring->head);
	print_message("concurrent: %llu delivered, %llu missed (%llu bytes), %llu resyncs\n",
		      (unsigned long long)got, (unsigned long long)ring_reader_missed(&r),
		      (unsigned long long)r.missed_bytes, (unsigned long long)r.resyncs);
	ring_reader_release(&r);
	free(ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring_write_read), cmocka_unit_test(test_ring_wrap_split),
	    cmocka_unit_test(test_ring_gap),	    cmocka_unit_test(test_ring_uncommitted),
	    cmocka_unit_test(test_ring_corrupt),    cmocka_unit_test(test_ring_scribbled),
	    cmocka_unit_test(test_ring_concurrent),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
