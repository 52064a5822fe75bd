/*
 * test-ftr.c - unit tests of ftr.c: flametop recordings written and read.
 *
 * Every record kind survives write -> read: the samples (time, thread,
 * on/off CPU, weight, coroutine, label set, stack) give the same profile
 * as the samples added directly, stack by stack and context by context;
 * threads keep their names, label sets their pairs, GC collections their
 * numbers and trigger stacks, functions where their source starts and
 * modules their build-ids (also when learnt after the function or the
 * module was first written).  A file cut at every byte reads up to its
 * last complete block and says it is truncated (or, before the header
 * block is whole, is refused); a file with any one byte flipped is never
 * read as a complete recording; another version or magic is refused with
 * a message.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flametop-shm.h"
#include "ftr.h"
#include "gctimeline.h"

static const struct ftr_info header = {
    .pid = 4242,
    .mode = FT_MODE_WALL,
    .freq_hz = 99,
    .measure = "wall",
    .unit = UNIT_NS,
    .start_ns = 5000000000ull,
    .start_real_ns = 1700000000000000000ull,
    .cmdline = "./server --port 8080",
};

struct blob {
	char *p;
	size_t n;
};

/* "stack|tid|oncpu|coro|labels value count" lines of a profile, sorted */
struct lines {
	char **v;
	size_t n;
};

static int collect(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		   uint64_t value, uint64_t count)
{
	void **a = arg;
	struct lines *out = a[0];
	struct funcs *f = a[1];
	char buf[4096];
	size_t k = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s@%s", i ? ";" : "",
				      funcs_name(f, funcs[i]), funcs_module(f, funcs[i]));
	snprintf(buf + k, sizeof(buf) - k, "|%d|%d|%llu|%u %llu %llu", ctx->tid, ctx->oncpu,
		 (unsigned long long)ctx->coro_id, ctx->labels_id, (unsigned long long)value,
		 (unsigned long long)count);
	out->v = realloc(out->v, (out->n + 1) * sizeof(*out->v));
	out->v[out->n++] = strdup(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct lines profile_lines(struct profile *p)
{
	struct lines out = {0};
	void *arg[2] = {&out, profile_funcs(p)};

	assert_int_equal(profile_foreach(p, collect, arg), 0);
	qsort(out.v, out.n, sizeof(*out.v), cmp_str);
	return out;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* A GC record of the segment's layout, with two pcs (left out). */
static void make_gc(struct ft_gc *g, uint64_t number, uint64_t start)
{
	memset(g, 0, sizeof(*g));
	g->hdr.kind = FT_REC_GC;
	g->hdr.len = sizeof(*g);
	g->number = number;
	g->start_ns = start;
	g->end_ns = start + 3000000;
	g->pause_ns = 1000000;
	g->heap_before = 1 << 20;
	g->heap_after = 1 << 19;
	g->source = FT_GC_SOURCE_API;
	g->reason = FT_GC_REASON_ALLOC;
}

/* Writes a recording of nsamples samples (flushing every flush_every;
 * 0: never but at the end) into b, and adds the same samples to p (built
 * on f) for comparison; offsets[i] (when not NULL) gets the file's size
 * after the i-th block. */
static void write_recording(struct blob *b, struct funcs *f, struct profile *p, int nsamples,
			    int flush_every, bool finish, size_t *offsets, size_t *noffsets)
{
	FILE *out = open_memstream(&b->p, &b->n);
	struct ftr_writer *w;
	uint32_t stack[8];
	const char *keys[] = {"stage", "user"}, *values[] = {"parse", "al;ice \xff"};
	struct ft_gc g;
	uint32_t gcstack[2];

	assert_non_null(out);
	w = ftr_writer_new(out, &header, f);
	assert_non_null(w);
	stack[0] = funcs_intern(f, "main", "server");
	stack[1] = funcs_intern(f, "serve", "server");
	gcstack[0] = stack[0];
	gcstack[1] = funcs_intern(f, "GC_malloc", "libgc.so.1");
	assert_int_equal(funcs_set_source(f, stack[0], "/src/server/main.c", 12), 0);
	assert_int_equal(funcs_set_build_id(f, "server", "8f3e0a1b2c3d4e5f"), 0);
	assert_int_equal(ftr_write_thread(w, 11, "main"), 0);
	assert_int_equal(ftr_write_labels(w, 3, keys, values, 2), 0);
	make_gc(&g, 1, header.start_ns + 1000);
	assert_int_equal(ftr_write_gc(w, &g, sizeof(g), gcstack, 2), 0);
	for (int i = 0; i < nsamples; i++) {
		char name[32];
		struct profile_sample s = {
		    /* times go back now and then (threads read in turns) */
		    .time_ns = header.start_ns + (uint64_t)i * 10000000ull - (i % 3) * 5000000ull,
		    .tid = 11 + i % 3,
		    .oncpu = i % 2,
		    .weight = 1000 + (uint64_t)i * 7,
		    .coro_id = i % 4 == 0 ? 0 : (uint64_t)i << 40,
		    .labels_id = i % 5 == 0 ? 3 : 0,
		    .funcs = stack,
		    .n = (uint32_t)(i % 7 == 6 ? 0 : 2 + i % 5),
		};

		/* new functions appear as the recording goes */
		for (uint32_t k = 2; k < s.n; k++) {
			snprintf(name, sizeof(name), "f%d_%u", i % 11, k);
			stack[k] = funcs_intern(f, name, k % 2 ? "libx.so" : "");
		}
		if (i == nsamples / 2) {
			assert_int_equal(ftr_write_thread(w, 12, "worker-1"), 0);
			/* learnt after the function and the module were written */
			assert_int_equal(funcs_set_source(f, stack[1], "/src/server/serve.c", 0),
					 0);
			assert_int_equal(funcs_set_build_id(f, "libx.so", "00ff"), 0);
		}
		assert_int_equal(ftr_write_sample(w, &s), 0);
		if (p)
			assert_int_equal(profile_add(p, &s), 0);
		if (flush_every && i % flush_every == flush_every - 1) {
			assert_int_equal(ftr_flush(w), 0);
			if (offsets)
				offsets[(*noffsets)++] = (size_t)ftr_written(w);
		}
	}
	if (finish)
		assert_int_equal(ftr_finish(w, 7), 0);
	else
		assert_int_equal(ftr_flush(w), 0);
	if (offsets)
		offsets[(*noffsets)++] = (size_t)ftr_written(w);
	ftr_writer_free(w);
	assert_int_equal(fclose(out), 0);
}

static void test_ftr_roundtrip(void **state)
{
	struct funcs *f = funcs_new(), *g = funcs_new();
	struct profile *p = profile_new(f);
	struct blob b = {0};
	struct ftr *r = NULL;
	char err[256];
	const char *keys[4], *values[4];

	(void)state;
	profile_set_window(p, 0);
	write_recording(&b, f, p, 500, 97, true, NULL, NULL);
	assert_int_equal(ftr_read_mem(b.p, b.n, g, &r, err, sizeof(err)), 0);
	assert_non_null(r);
	assert_string_equal(err, "");

	const struct ftr_info *in = ftr_info(r);
	assert_int_equal(in->version, FTR_VERSION);
	assert_int_equal(in->pid, 4242);
	assert_int_equal(in->mode, FT_MODE_WALL);
	assert_int_equal(in->freq_hz, 99);
	assert_string_equal(in->measure, "wall");
	assert_int_equal(in->unit, UNIT_NS);
	assert_int_equal(in->start_ns, header.start_ns);
	assert_int_equal(in->start_real_ns, header.start_real_ns);
	assert_string_equal(in->cmdline, "./server --port 8080");
	assert_int_equal(in->samples, 500);
	assert_int_equal(in->lost, 7);
	assert_false(in->truncated);
	assert_true(in->blocks >= 6); /* 500 / 97 flushes and the end */
	assert_int_equal(in->first_ns, header.start_ns);
	assert_int_equal(in->last_ns, header.start_ns + 499 * 10000000ull - 5000000ull);

	/* the same stacks in the same contexts with the same values */
	struct profile *q = ftr_profile(r);
	struct lines want = profile_lines(p), got = profile_lines(q);
	assert_int_equal(got.n, want.n);
	for (size_t i = 0; i < want.n; i++)
		assert_string_equal(got.v[i], want.v[i]);
	lines_free(&want);
	lines_free(&got);
	assert_int_equal(profile_total_count(q), 500);
	assert_int_equal(profile_total_weight(q), profile_total_weight(p));
	/* every second is retained: a range over the first second shows it */
	profile_set_range(q, header.start_ns, header.start_ns + 1);
	assert_true(calltree_root(profile_tree(q))->total_count > 0);
	assert_true(calltree_root(profile_tree(q))->total_count < 500);
	profile_set_range(q, 0, 0);

	/* thread names */
	size_t nt;
	const struct profile_thread *th = profile_threads(q, &nt);
	int named = 0;
	for (size_t i = 0; i < nt; i++) {
		if (th[i].tid == 11)
			assert_string_equal(th[i].name, "main"), named++;
		if (th[i].tid == 12)
			assert_string_equal(th[i].name, "worker-1"), named++;
	}
	assert_int_equal(named, 2);

	/* label sets */
	assert_int_equal(ftr_label_pairs(r, 3, keys, values, 4), 2);
	assert_string_equal(keys[0], "stage");
	assert_string_equal(values[0], "parse");
	assert_string_equal(keys[1], "user");
	assert_string_equal(values[1], "al;ice \xff");
	assert_int_equal(ftr_label_pairs(r, 4, keys, values, 4), 0);

	/* GC collections and their trigger stacks */
	struct gctimeline *gt = ftr_gctimeline(r);
	assert_non_null(gt);
	assert_int_equal(gctimeline_count(gt), 1);
	const struct gc_cycle *c = gctimeline_get(gt, 0);
	assert_int_equal(c->number, 1);
	assert_int_equal(c->pause_ns, 1000000);
	uint32_t ids[4];
	assert_int_equal(ftr_gc_stack(r, c, ids, 4), 2);
	assert_string_equal(funcs_name(g, ids[0]), "main");
	assert_string_equal(funcs_name(g, ids[1]), "GC_malloc");
	assert_string_equal(funcs_module(g, ids[1]), "libgc.so.1");

	/* sources and build-ids */
	int line;
	assert_string_equal(funcs_source(g, ids[0], &line), "/src/server/main.c");
	assert_int_equal(line, 12);
	assert_string_equal(funcs_source(g, funcs_intern(g, "serve", "server"), &line),
			    "/src/server/serve.c");
	assert_int_equal(line, 0);
	assert_null(funcs_source(g, ids[1], &line));
	assert_string_equal(funcs_build_id(g, "server"), "8f3e0a1b2c3d4e5f");
	assert_string_equal(funcs_build_id(g, "libx.so"), "00ff");
	assert_null(funcs_build_id(g, "libgc.so.1"));

	ftr_free(r);
	profile_free(p);
	funcs_free(f);
	funcs_free(g);
	free(b.p);
}

/* Cut at every byte: up to the last complete block, said truncated. */
static void test_ftr_truncated(void **state)
{
	struct funcs *f = funcs_new();
	struct blob b = {0};
	size_t off[64], noff = 0;
	char err[256];

	(void)state;
	write_recording(&b, f, NULL, 40, 4, true, off, &noff);
	assert_true(noff >= 10);
	for (size_t len = 0; len <= b.n; len++) {
		struct funcs *g = funcs_new();
		struct ftr *r = NULL;
		int ret = ftr_read_mem(b.p, len, g, &r, err, sizeof(err));
		size_t whole = 0;

		for (size_t i = 0; i < noff; i++)
			if (off[i] <= len)
				whole = i + 1;
		if (len < off[0]) {
			/* the header block is not whole */
			assert_int_equal(ret, -EINVAL);
			assert_null(r);
			assert_true(err[0]);
		} else if (len < b.n) {
			assert_int_equal(ret, 0);
			assert_true(ftr_info(r)->truncated);
			assert_int_equal(ftr_info(r)->blocks, whole);
			/* 4 samples per block; the last holds the end record only */
			assert_int_equal(ftr_info(r)->samples, 4 * whole);
			assert_non_null(strstr(err, "truncated after"));
		} else {
			assert_int_equal(ret, 0);
			assert_false(ftr_info(r)->truncated);
			assert_int_equal(ftr_info(r)->samples, 40);
			assert_string_equal(err, "");
		}
		ftr_free(r);
		funcs_free(g);
	}
	/* a file without its end record (a writer killed between flushes) */
	free(b.p);
	b = (struct blob){0};
	write_recording(&b, f, NULL, 10, 0, false, NULL, NULL);
	{
		struct funcs *g = funcs_new();
		struct ftr *r = NULL;

		assert_int_equal(ftr_read_mem(b.p, b.n, g, &r, err, sizeof(err)), 0);
		assert_true(ftr_info(r)->truncated);
		assert_int_equal(ftr_info(r)->samples, 10);
		assert_non_null(strstr(err, "truncated after 1 block: no end record"));
		ftr_free(r);
		funcs_free(g);
	}
	funcs_free(f);
	free(b.p);
}

/* Any one byte flipped: refused, or read as truncated, never whole. */
static void test_ftr_corrupt(void **state)
{
	struct funcs *f = funcs_new();
	struct blob b = {0};
	char err[256];

	(void)state;
	write_recording(&b, f, NULL, 30, 10, true, NULL, NULL);
	for (size_t i = 0; i < b.n; i++) {
		static const unsigned char masks[] = {0x01, 0x80, 0xff};

		for (size_t m = 0; m < sizeof(masks); m++) {
			struct funcs *g = funcs_new();
			struct ftr *r = NULL;
			int ret;

			b.p[i] ^= masks[m];
			ret = ftr_read_mem(b.p, b.n, g, &r, err, sizeof(err));
			b.p[i] ^= masks[m];
			if (ret < 0) {
				assert_null(r);
				assert_true(err[0]);
			} else {
				assert_true(ftr_info(r)->truncated);
				assert_true(ftr_info(r)->samples <= 30);
			}
			ftr_free(r);
			funcs_free(g);
		}
	}
	funcs_free(f);
	free(b.p);
}

static void test_ftr_refused(void **state)
{
	struct funcs *f = funcs_new();
	struct blob b = {0};
	struct ftr *r = NULL;
	char err[256];

	(void)state;
	write_recording(&b, f, NULL, 3, 0, true, NULL, NULL);
	assert_true(ftr_probe(b.p, b.n));
	b.p[4] = 2; /* version 2 */
	assert_int_equal(ftr_read_mem(b.p, b.n, f, &r, err, sizeof(err)), -EINVAL);
	assert_null(r);
	assert_string_equal(err, "recording format version 2 (this flametop reads 1)");
	assert_int_equal(ftr_read_mem("main;a 1\n", 9, f, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "not a flametop recording (no FTR magic)");
	assert_false(ftr_probe("main;a 1\n", 9));
	assert_int_equal(ftr_read_mem("", 0, f, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "not a flametop recording (no FTR magic)");
	/* the magic and nothing else */
	assert_int_equal(ftr_read_mem(b.p, 6, f, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "truncated in its first 8 bytes");
	b.p[4] = 1;
	assert_int_equal(ftr_read_mem(b.p, 8, f, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "no readable header");
	funcs_free(f);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ftr_roundtrip),
	    cmocka_unit_test(test_ftr_truncated),
	    cmocka_unit_test(test_ftr_corrupt),
	    cmocka_unit_test(test_ftr_refused),
	};

	return cmocka_run_group_tests_name("ftr", tests, NULL, NULL);
}
