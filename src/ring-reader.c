/*
 * ring-reader.c - the reader side of the shared-memory rings.
 *
 * This file contains ring_reader, which follows one ring written by
 * runtime/ring.c (protocol: runtime/flametop-shm.h) without ever writing
 * to it.  Invariants:
 *   - rpos is a multiple of 8 and, once the reader is synchronised, the
 *     position of a record boundary; head is read with acquire order and
 *     rounded down to 8 before use;
 *   - every access to data[] goes through (pos & (size - 1)) with size the
 *     validated copy taken at init, so no ring content can make the reader
 *     touch memory outside data[];
 *   - a record is delivered only if its tag equals its position ^
 *     FT_TAG_XOR, its len is sane, and head re-read after the
 *     copy (behind an acquire fence) shows that no writer reserved the
 *     bytes it was copied from;
 *   - every call does bounded work (at most about size / 8 steps).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring-reader.h"
#include "util.h"

/* the loss estimate before any record was seen: a sample of 16 frames */
#define RING_DEFAULT_REC 192u

static inline uint64_t ring_head(const struct ring_reader *r)
{
	return __atomic_load_n(&r->ring->head, __ATOMIC_ACQUIRE) & ~7ull;
}

/* The aligned 64-bit word at pos (pos % 8 == 0, so it never wraps). */
static inline uint64_t ring_word(const struct ring_reader *r, uint64_t pos)
{
	const uint64_t *w = (const uint64_t *)(r->data + (pos & (r->size - 1)));

	return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

/* Kinds are not checked here: every kind is delivered, and the caller
 * validates it by its kind (records.c) or counts it as unknown. */
static bool rec_sane(const struct ring_reader *r, uint32_t len)
{
	return len >= sizeof(struct ft_rec_hdr) && len % 8 == 0 && len <= r->size / 4;
}

/* Does a committed, sane record start at pos and end by head? */
static bool rec_at(const struct ring_reader *r, uint64_t pos, uint64_t head, uint32_t *lenp)
{
	uint64_t w;
	uint32_t len;

	if (ring_word(r, pos) != (pos ^ FT_TAG_XOR))
		return false;
	w = ring_word(r, pos + 8);
	len = (uint32_t)w;
	if (!rec_sane(r, len) || len > head - pos)
		return false;
	*lenp = len;
	return true;
}

/*
 * Resynchronises: the first position p in [from, head) (from rounded up to
 * 8, and never older than head - size) where a committed record with a sane
 * header starts, or head if there is none.  *hint gets that record's len.
 */
static uint64_t ring_scan(const struct ring_reader *r, uint64_t from, uint64_t head, uint32_t *hint)
{
	uint64_t p = (from + 7) & ~7ull;

	*hint = 0;
	if (head > r->size && p < head - r->size)
		p = head - r->size;
	for (; p < head; p += 8)
		if (rec_at(r, p, head, hint))
			return p;
	return head;
}

/* Counts bytes lost as records: by the average record delivered so far,
 * else by the record found after them, else by a typical sample. */
static void ring_lost(struct ring_reader *r, uint64_t bytes, uint32_t hint)
{
	uint64_t avg, n;

	if (bytes == 0)
		return;
	if (r->records)
		avg = r->bytes / r->records;
	else if (hint)
		avg = hint;
	else
		avg = RING_DEFAULT_REC;
	n = (bytes + avg / 2) / avg;
	r->missed += n ? n : 1;
	r->missed_bytes += bytes;
}

/* Skips to the next committed record after a bad or abandoned one at rpos
 * (at least one record is counted lost). */
static void ring_skip_bad(struct ring_reader *r, uint64_t head)
{
	uint32_t hint;
	uint64_t p = ring_scan(r, r->rpos + 8, head, &hint);

	ring_lost(r, p - r->rpos, hint);
	r->rpos = p;
	r->resyncs++;
	r->stalled = false;
}

int ring_reader_init(struct ring_reader *r, const struct ft_ring *ring, uint64_t size,
		     bool from_oldest)
{
	uint64_t head, start, p;
	uint32_t hint;

	memset(r, 0, sizeof(*r));
	if (size < 64 || (size & (size - 1)))
		return -EINVAL;
	r->buf = malloc(size / 4 < 64 ? 64 : size / 4);
	if (!r->buf)
		return -ENOMEM;
	r->ring = ring;
	r->data = (const uint8_t *)ring + FT_RING_DATA_OFFSET;
	r->size = size;
	r->stall_ns = RING_STALL_NS;
	head = ring_head(r);
	if (!from_oldest) {
		r->rpos = head;
		return 0;
	}
	start = head > size ? head - size : 0;
	p = ring_scan(r, start, head, &hint);
	/* From position 0 every byte skipped was a lost record; from
	 * head - size the first record may have been overwritten in part
	 * (at most size / 4 bytes of it), which is not a loss of ours. */
	if (start == 0)
		ring_lost(r, p, hint);
	else if (p - start > size / 4)
		ring_lost(r, p - start, hint);
	r->rpos = p;
	return 0;
}

void ring_reader_release(struct ring_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

static void ring_copy_out(struct ring_reader *r, uint64_t pos, uint32_t len)
{
	uint64_t off = pos & (r->size - 1);
	uint64_t first = r->size - off < len ? r->size - off : len;

	memcpy(r->buf, r->data + off, first);
	if (first < len)
		memcpy(r->buf + first, r->data, len - first);
}

const struct ft_rec_hdr *ring_reader_next(struct ring_reader *r, uint32_t *lenp, unsigned int flags)
{
	uint64_t steps = r->size / 8 + 16;
	int scans = 4; /* resynchronisations per call: each may read the ring */
	const struct ft_rec_hdr *hdr = (const struct ft_rec_hdr *)r->buf;

	while (steps-- && scans > 0) {
		uint64_t head = ring_head(r), head2, w, now;
		uint32_t len, hint;
		uint16_t kind;

		if (head == r->rpos) {
			r->stalled = false;
			return NULL;
		}
		if (head < r->rpos) {
			/* head went backwards: the ring was reset or is
			 * corrupt; follow it from where it is now */
			r->rpos = head;
			r->stalled = false;
			return NULL;
		}
		if (head - r->rpos > r->size) {
			/* lapped: everything before head - size is gone */
			uint64_t p = ring_scan(r, head - r->size, head, &hint);

			scans--;

			ring_lost(r, p - r->rpos, hint);
			r->rpos = p;
			r->resyncs++;
			r->stalled = false;
			continue;
		}
		if (ring_word(r, r->rpos) != (r->rpos ^ FT_TAG_XOR)) {
			/* not committed yet (or never will be) */
			now = util_mono_ns();
			if (!r->stalled || r->stall_pos != r->rpos) {
				r->stalled = true;
				r->stall_pos = r->rpos;
				r->stall_since_ns = now;
			}
			if ((flags & RING_WRITER_GONE) || now - r->stall_since_ns >= r->stall_ns) {
				scans--;
				ring_skip_bad(r, head);
				continue;
			}
			return NULL;
		}
		r->stalled = false;
		w = ring_word(r, r->rpos + 8);
		len = (uint32_t)w;
		kind = (uint16_t)(w >> 32);
		if (!rec_sane(r, len) || len > head - r->rpos) {
			scans--;
			ring_skip_bad(r, head);
			continue;
		}
		ring_copy_out(r, r->rpos, len);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		head2 = __atomic_load_n(&r->ring->head, __ATOMIC_ACQUIRE) & ~7ull;
		if (head2 < r->rpos || head2 - r->rpos > r->size)
			continue; /* torn: the next turn counts the loss */
		if (hdr->tag != (r->rpos ^ FT_TAG_XOR) || hdr->len != len || hdr->kind != kind) {
			/* changed under us although head says it could not */
			scans--;
			ring_skip_bad(r, head);
			continue;
		}
		r->rpos += len;
		if (kind == FT_REC_PAD)
			continue;
		if (hdr->check != ft_rec_check(hdr, len)) {
			/* a stalled writer scribbled over it: drop it */
			ring_lost(r, len, len);
			continue;
		}
		r->records++;
		r->bytes += len;
		*lenp = len;
		return hdr;
	}
	return NULL;
}

void ring_reader_seek_end(struct ring_reader *r)
{
	r->rpos = ring_head(r);
	r->stalled = false;
}

uint64_t ring_reader_missed(const struct ring_reader *r)
{
	return r->missed;
}

void ring_reader_drop(struct ring_reader *r, uint64_t n)
{
	r->missed += n;
}
