/*
 * test-pprof.c - unit tests of pprof.c and formats.c: profile.proto
 * encoded and decoded, gzipped, and turned into call trees.
 *
 * A profile with every message kind (sample types, samples with labels,
 * a mapping with a build-id, a location with an inlined frame, functions
 * with files and lines) survives encode -> decode field by field; the
 * string table starts with ""; folded stacks survive folded -> pprof ->
 * folded byte for byte; and hostile input (not gzipped, truncated, not a
 * profile, an index out of range, an undefined id, values that do not
 * match the sample types) gives -EINVAL and a message, never a tree.
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
#include <zlib.h>

#include "folded.h"
#include "formats.h"
#include "pprof.h"

#define assert_sane_calltree(t)                                                                    \
	do {                                                                                       \
		char err_[256];                                                                    \
		if (calltree_check((t), err_, sizeof(err_)))                                       \
			fail_msg("calltree_check: %s", err_);                                      \
	} while (0)

/* A profile using every message: two sample types, two samples (one with
 * a string and a numeric label), a mapping, three functions, two
 * locations, the first with an inlined frame. */
static void build(struct pprof *pp)
{
	struct pprof_mapping m = {.id = 7,
				  .start = 0x400000,
				  .limit = 0x500000,
				  .offset = 0x1000,
				  .filename = pprof_string(pp, "/usr/bin/server"),
				  .build_id = pprof_string(pp, "abc123"),
				  .has_functions = true};
	struct pprof_function fns[3] = {
	    {1, pprof_string(pp, "main"), pprof_string(pp, "main"), pprof_string(pp, "main.c"), 10},
	    {2, pprof_string(pp, "parse"), 0, pprof_string(pp, "parse.c"), 20},
	    {3, pprof_string(pp, "inlined_helper"), 0, pprof_string(pp, "parse.c"), 30},
	};
	struct pprof_line l1[2] = {{3, 31}, {2, 25}}, l2[1] = {{1, 12}};
	uint64_t s1[2] = {100, 200}, s2[1] = {200};
	int64_t v1[2] = {3, 3000000}, v2[2] = {1, 1000000};
	struct pprof_label lab[2] = {{pprof_string(pp, "request"), pprof_string(pp, "GET /"), 0, 0},
				     {pprof_string(pp, "thread"), 0, 4242, 0}};

	pprof_add_type(pp, "samples", "count");
	pprof_add_type(pp, "cpu", "nanoseconds");
	pp->default_sample_type = pprof_string(pp, "cpu");
	pp->period_type = pp->types[1];
	pp->period = 10000000;
	pp->time_nanos = 1700000000000000000;
	pp->duration_nanos = 4000000000;
	pprof_add_mapping(pp, &m);
	for (int i = 0; i < 3; i++)
		pprof_add_function(pp, &fns[i]);
	pprof_add_location(pp, 100, 7, 0x401234, l1, 2);
	pprof_add_location(pp, 200, 7, 0x400100, l2, 1);
	pprof_add_sample(pp, s1, 2, v1, lab, 2);
	pprof_add_sample(pp, s2, 1, v2, NULL, 0);
	assert_int_equal(pp->err, 0);
}

static void encode(const struct pprof *pp, uint8_t **buf, size_t *len)
{
	assert_int_equal(pprof_encode(pp, buf, len), 0);
	assert_non_null(*buf);
}

static void test_pprof_roundtrip(void **state)
{
	struct pprof a, b;
	uint8_t *buf;
	size_t len;
	char err[256];

	(void)state;
	pprof_init(&a);
	build(&a);
	encode(&a, &buf, &len);
	assert_int_equal(pprof_decode(&b, buf, len, err, sizeof(err)), 0);
	assert_string_equal(pprof_str(&b, 0), "");
	assert_int_equal(b.nstrs, a.nstrs);
	for (size_t i = 0; i < a.nstrs; i++)
		assert_string_equal(pprof_str(&b, (int64_t)i), pprof_str(&a, (int64_t)i));
	assert_int_equal(b.ntypes, 2);
	assert_string_equal(pprof_str(&b, b.types[1].type), "cpu");
	assert_string_equal(pprof_str(&b, b.types[1].unit), "nanoseconds");
	assert_string_equal(pprof_str(&b, b.default_sample_type), "cpu");
	assert_int_equal(b.period, 10000000);
	assert_int_equal(b.time_nanos, a.time_nanos);
	assert_int_equal(b.duration_nanos, a.duration_nanos);
	assert_string_equal(pprof_str(&b, b.period_type.unit), "nanoseconds");
	assert_int_equal(b.nsamples, 2);
	assert_int_equal(b.samples[0].nloc, 2);
	assert_int_equal(b.locids[b.samples[0].loc + 1], 200);
	assert_int_equal(b.values[b.samples[0].value + 1], 3000000);
	assert_int_equal(b.samples[1].nlabel, 0);
	/* labels: a string one and a numeric one */
	assert_int_equal(b.samples[0].nlabel, 2);
	assert_string_equal(pprof_str(&b, b.labels[b.samples[0].label].key), "request");
	assert_string_equal(pprof_str(&b, b.labels[b.samples[0].label].str), "GET /");
	assert_string_equal(pprof_str(&b, b.labels[b.samples[0].label + 1].key), "thread");
	assert_int_equal(b.labels[b.samples[0].label + 1].num, 4242);
	assert_int_equal(b.labels[b.samples[0].label + 1].str, 0);
	/* mapping, locations with an inlined frame, functions */
	assert_int_equal(b.nmappings, 1);
	assert_int_equal(b.mappings[0].limit, 0x500000);
	assert_string_equal(pprof_str(&b, b.mappings[0].build_id), "abc123");
	assert_true(b.mappings[0].has_functions);
	assert_int_equal(b.nlocations, 2);
	assert_int_equal(b.locations[0].address, 0x401234);
	assert_int_equal(b.locations[0].nline, 2);
	assert_int_equal(b.lines[b.locations[0].line].function_id, 3);
	assert_int_equal(b.lines[b.locations[0].line + 1].line, 25);
	assert_int_equal(b.nfunctions, 3);
	assert_string_equal(pprof_str(&b, b.functions[2].name), "inlined_helper");
	assert_int_equal(b.functions[1].start_line, 20);
	/* and encoding again gives the same bytes */
	uint8_t *buf2;
	size_t len2;

	encode(&b, &buf2, &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(buf2, buf, len);
	free(buf2);
	free(buf);
	pprof_release(&a);
	pprof_release(&b);
}

/* The tree of build(): the inlined frame is a frame of its own, under
 * the function it was inlined into; weighed by the default type. */
static void test_pprof_to_tree(void **state)
{
	struct pprof a, b;
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct fprof fp;
	uint8_t *buf;
	size_t len;
	char err[256];
	uint32_t ids[3];

	(void)state;
	pprof_init(&a);
	build(&a);
	encode(&a, &buf, &len);
	assert_int_equal(pprof_decode(&b, buf, len, err, sizeof(err)), 0);
	fprof_init(&fp, t, f, NULL);
	assert_int_equal(pprof_to_tree(&b, &fp, err, sizeof(err)), 0);
	assert_sane_calltree(t);
	assert_string_equal(fp.measure, "cpu");
	assert_int_equal(fp.unit, UNIT_NS);
	assert_int_equal(calltree_root(t)->total_weight, 4000000);
	assert_int_equal(calltree_root(t)->total_count, 4);
	ids[0] = funcs_intern(f, "main", "/usr/bin/server");
	ids[1] = funcs_intern(f, "parse", "/usr/bin/server");
	ids[2] = funcs_intern(f, "inlined_helper", "/usr/bin/server");
	struct ctnode *n = calltree_root(t);

	for (int i = 0; i < 3; i++) {
		n = calltree_child(n, ids[i]);
		assert_non_null(n);
	}
	assert_int_equal(n->self_weight, 3000000);
	assert_int_equal(n->self_count, 3);
	assert_int_equal(calltree_child(calltree_root(t), ids[0])->self_weight, 1000000);
	free(buf);
	pprof_release(&a);
	pprof_release(&b);
	calltree_free(t);
	funcs_free(f);
}

/* Writes fp with format_write into memory. */
static char *write_mem(enum format fmt, const struct fprof *fp, size_t *len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);

	assert_non_null(out);
	assert_int_equal(format_write(fmt, out, fp, "test"), 0);
	fclose(out);
	return buf;
}

static const char folded_text[] = "[unknown] 2\n"
				  "main;a;b 7\n"
				  "main;a;b;c 1\n"
				  "main;std::map<int, int>::find 18446744073709\n"
				  "main;x 5\n"
				  "other 3\n";

/* folded -> pprof -> folded gives the same text; the string table of
 * the pprof starts with "" and holds each name once. */
static void test_pprof_folded_roundtrip(void **state)
{
	struct calltree *t = calltree_new(), *t2 = calltree_new();
	struct funcs *f = funcs_new(), *f2 = funcs_new();
	struct fprof fp, fp2;
	char err[256], *gz, *back;
	size_t len, blen;
	FILE *in = fmemopen((void *)folded_text, strlen(folded_text), "r");

	(void)state;
	assert_int_equal(folded_read(in, t, f, NULL, err, sizeof(err)), 0);
	fclose(in);
	fprof_init(&fp, t, f, NULL);
	gz = write_mem(FORMAT_PPROF, &fp, &len);
	assert_true(len > 20 && (uint8_t)gz[0] == 0x1f && (uint8_t)gz[1] == 0x8b);

	uint8_t *raw;
	size_t rawlen;
	struct pprof pp;

	assert_int_equal(pprof_gunzip((uint8_t *)gz, len, &raw, &rawlen, err, sizeof(err)), 0);
	assert_int_equal(pprof_decode(&pp, raw, rawlen, err, sizeof(err)), 0);
	assert_string_equal(pprof_str(&pp, 0), "");
	for (size_t i = 1; i < pp.nstrs; i++) {
		assert_true(pprof_str(&pp, (int64_t)i)[0]);
		for (size_t k = 1; k < i; k++)
			assert_string_not_equal(pprof_str(&pp, (int64_t)i),
						pprof_str(&pp, (int64_t)k));
	}
	assert_int_equal(pp.ntypes, 1);
	assert_string_equal(pprof_str(&pp, pp.types[0].type), "samples");
	pprof_release(&pp);
	free(raw);

	in = fmemopen(gz, len, "r");
	fprof_init(&fp2, t2, f2, NULL);
	assert_int_equal(pprof_read(in, &fp2, err, sizeof(err)), 0);
	fclose(in);
	assert_sane_calltree(t2);
	assert_int_equal(fp2.unit, UNIT_SAMPLES);
	back = write_mem(FORMAT_FOLDED, &fp2, &blen);
	assert_string_equal(back, folded_text);
	free(back);
	free(gz);
	calltree_free(t);
	calltree_free(t2);
	funcs_free(f);
	funcs_free(f2);
}

/* Gzips buf into a malloc'd buffer. */
/* Fractional folded counts: the pprof states their scale in a comment,
 * read back, so that folded -> pprof -> folded gives the fractions. */
static void test_pprof_fractions(void **state)
{
	static const char text[] = "main;a 1.5\nmain;b 0.25\n";
	struct calltree *t = calltree_new(), *t2 = calltree_new();
	struct funcs *f = funcs_new(), *f2 = funcs_new();
	struct fprof fp, fp2;
	char err[256], *gz, *back;
	size_t len, blen, rawlen;
	uint8_t *raw;
	struct pprof pp;
	FILE *in = fmemopen((void *)text, strlen(text), "r");

	(void)state;
	fprof_init(&fp, t, f, NULL);
	assert_int_equal(folded_read(in, t, f, &fp.decimals, err, sizeof(err)), 0);
	fclose(in);
	assert_int_equal(fp.decimals, 2);
	gz = write_mem(FORMAT_PPROF, &fp, &len);
	assert_int_equal(pprof_gunzip((uint8_t *)gz, len, &raw, &rawlen, err, sizeof(err)), 0);
	assert_int_equal(pprof_decode(&pp, raw, rawlen, err, sizeof(err)), 0);
	assert_int_equal(pp.ncomments, 1);
	assert_string_equal(pprof_str(&pp, pp.comments[0]),
			    "counts scaled by 100 (fractional counts in the input)");
	pprof_release(&pp);
	free(raw);

	in = fmemopen(gz, len, "r");
	fprof_init(&fp2, t2, f2, NULL);
	assert_int_equal(pprof_read(in, &fp2, err, sizeof(err)), 0);
	fclose(in);
	assert_int_equal(fp2.decimals, 2);
	assert_int_equal(calltree_root(t2)->total_count, 175);
	back = write_mem(FORMAT_FOLDED, &fp2, &blen);
	assert_string_equal(back, text);
	free(back);
	free(gz);
	calltree_free(t);
	calltree_free(t2);
	funcs_free(f);
	funcs_free(f2);
}

/* Functions with their source and modules with their build-ids: written
 * as Function.filename and start_line, Line.line (the start line: a
 * location is a whole function) and Mapping.build_id; read back into
 * the funcs table, so pprof -> pprof keeps them. */
static void test_pprof_sources(void **state)
{
	struct calltree *t = calltree_new(), *t2 = calltree_new();
	struct funcs *f = funcs_new(), *f2 = funcs_new();
	uint32_t s[3] = {funcs_intern(f, "main", "app"), funcs_intern(f, "parse", "app"),
			 funcs_intern(f, "memcpy", "libc.so.6")};
	struct fprof fp, fp2;
	char err[256], *gz, *gz2;
	size_t len, len2, rawlen;
	uint8_t *raw;
	struct pprof pp;
	int line;
	FILE *in;

	(void)state;
	assert_int_equal(funcs_set_source(f, s[0], "/src/app/main.c", 7), 0);
	assert_int_equal(funcs_set_source(f, s[1], "/src/app/parse.c", 120), 0);
	assert_int_equal(funcs_set_build_id(f, "app", "0a1b2c3d4e5f60718293"), 0);
	assert_non_null(calltree_add(t, s, 3, 5, 5));
	assert_non_null(calltree_add(t, s, 2, 3, 3));
	fprof_init(&fp, t, f, NULL);
	gz = write_mem(FORMAT_PPROF, &fp, &len);

	assert_int_equal(pprof_gunzip((uint8_t *)gz, len, &raw, &rawlen, err, sizeof(err)), 0);
	assert_int_equal(pprof_decode(&pp, raw, rawlen, err, sizeof(err)), 0);
	assert_int_equal(pp.nfunctions, 3);
	for (size_t i = 0; i < pp.nfunctions; i++) {
		const struct pprof_function *fn = &pp.functions[i];
		const char *name = pprof_str(&pp, fn->name);
		const struct pprof_location *l = NULL;

		for (size_t k = 0; k < pp.nlocations; k++)
			if (pp.lines[pp.locations[k].line].function_id == fn->id)
				l = &pp.locations[k];
		assert_non_null(l);
		assert_int_equal(l->nline, 1);
		if (!strcmp(name, "parse")) {
			assert_string_equal(pprof_str(&pp, fn->filename), "/src/app/parse.c");
			assert_int_equal(fn->start_line, 120);
			assert_int_equal(pp.lines[l->line].line, 120);
		} else if (!strcmp(name, "memcpy")) {
			assert_int_equal(fn->filename, 0);
			assert_int_equal(fn->start_line, 0);
			assert_int_equal(pp.lines[l->line].line, 0);
		}
	}
	assert_int_equal(pp.nmappings, 2);
	for (size_t i = 0; i < pp.nmappings; i++) {
		const char *file = pprof_str(&pp, pp.mappings[i].filename);
		const char *bid = pprof_str(&pp, pp.mappings[i].build_id);

		assert_string_equal(bid, strcmp(file, "app") ? "" : "0a1b2c3d4e5f60718293");
	}
	pprof_release(&pp);
	free(raw);

	/* read back, and written again the same */
	in = fmemopen(gz, len, "r");
	fprof_init(&fp2, t2, f2, NULL);
	assert_int_equal(pprof_read(in, &fp2, err, sizeof(err)), 0);
	fclose(in);
	assert_string_equal(funcs_source(f2, funcs_intern(f2, "main", "app"), &line),
			    "/src/app/main.c");
	assert_int_equal(line, 7);
	assert_null(funcs_source(f2, funcs_intern(f2, "memcpy", "libc.so.6"), &line));
	assert_string_equal(funcs_build_id(f2, "app"), "0a1b2c3d4e5f60718293");
	assert_null(funcs_build_id(f2, "libc.so.6"));
	gz2 = write_mem(FORMAT_PPROF, &fp2, &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(gz2, gz, len);
	free(gz2);
	free(gz);
	calltree_free(t);
	calltree_free(t2);
	funcs_free(f);
	funcs_free(f2);
}

static uint8_t *gzip_mem(const uint8_t *buf, size_t len, size_t *outlen)
{
	z_stream z = {0};
	size_t cap = len + 128;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (uint8_t *)buf;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* pprof_read of bytes (gzipped when gz): its result, message in err. */
static int read_bytes(const uint8_t *buf, size_t len, bool gz, char *err, size_t errlen)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct fprof fp;
	size_t zlen = len;
	uint8_t *z = gz ? gzip_mem(buf, len, &zlen) : (uint8_t *)buf;
	FILE *in = fmemopen(z, zlen ? zlen : 1, "r");
	int ret;

	fprof_init(&fp, t, f, NULL);
	ret = pprof_read(in, &fp, err, errlen);
	fclose(in);
	assert_sane_calltree(t);
	if (ret)
		assert_true(err[0]);
	if (gz)
		free(z);
	calltree_free(t);
	funcs_free(f);
	return ret;
}

/* build() encoded, with one change made by fn. */
static int read_changed(void (*fn)(struct pprof *), char *err, size_t errlen)
{
	struct pprof pp;
	uint8_t *buf;
	size_t len;
	int ret;

	pprof_init(&pp);
	build(&pp);
	fn(&pp);
	encode(&pp, &buf, &len);
	ret = read_bytes(buf, len, true, err, errlen);
	free(buf);
	pprof_release(&pp);
	return ret;
}

static void bad_function_name(struct pprof *pp)
{
	pp->functions[1].name = (int64_t)pp->nstrs + 5;
}
static void bad_location_id(struct pprof *pp)
{
	pp->locids[1] = 999;
}
static void bad_function_id(struct pprof *pp)
{
	pp->lines[0].function_id = 77;
}
static void bad_mapping_id(struct pprof *pp)
{
	pp->locations[1].mapping_id = 8;
}
static void bad_label(struct pprof *pp)
{
	pp->labels[0].str = 100000;
}
static void bad_default_type(struct pprof *pp)
{
	pp->default_sample_type = -3;
}
static void duplicate_id(struct pprof *pp)
{
	pp->functions[2].id = 1;
}
static void negative_value(struct pprof *pp)
{
	pp->values[1] = -5;
}
static void few_values(struct pprof *pp)
{
	/* a third sample type: the samples have two values each */
	pprof_add_type(pp, "alloc_space", "bytes");
}

static void test_pprof_bad(void **state)
{
	char err[256];
	static const uint8_t text[] = "main;a 1\n";
	static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0x01};
	struct pprof pp;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_int_equal(read_bytes(text, sizeof(text) - 1, false, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not gzipped"));
	assert_int_equal(read_bytes(text, 0, false, err, sizeof(err)), -EINVAL);
	assert_int_equal(read_bytes(text, sizeof(text) - 1, true, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a profile"));
	assert_int_equal(read_bytes(junk, sizeof(junk), true, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a profile"));
	assert_int_equal(read_bytes(junk, 0, true, err, sizeof(err)), -EINVAL);

	/* truncated and corrupt gzip streams */
	pprof_init(&pp);
	build(&pp);
	encode(&pp, &buf, &len);
	size_t zlen;
	uint8_t *z = gzip_mem(buf, len, &zlen);

	assert_int_equal(read_bytes(z, zlen / 2, false, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "truncated"));
	z[zlen / 2] ^= 0x55;
	z[zlen / 2 + 1] ^= 0x55;
	assert_int_equal(read_bytes(z, zlen, false, err, sizeof(err)), -EINVAL);
	free(z);
	/* every truncation of the protobuf itself fails cleanly or reads */
	for (size_t cut = 0; cut < len; cut++) {
		int r = read_bytes(buf, cut, true, err, sizeof(err));

		assert_true(r == 0 || r == -EINVAL);
	}
	free(buf);
	pprof_release(&pp);

	assert_int_equal(read_changed(bad_function_name, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(read_changed(bad_location_id, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "sample 1: location id 999 is not defined");
	assert_int_equal(read_changed(bad_function_id, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "location 100: function id 77 is not defined");
	assert_int_equal(read_changed(bad_mapping_id, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "location 200: mapping id 8 is not defined");
	assert_int_equal(read_changed(bad_label, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "label string index out of range"));
	assert_int_equal(read_changed(bad_default_type, err, sizeof(err)), -EINVAL);
	assert_int_equal(read_changed(duplicate_id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "function id 1 is defined twice"));
	assert_int_equal(read_changed(negative_value, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "negative value"));
	assert_int_equal(read_changed(few_values, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "sample 1: 2 values for 3 sample types");
}

/* A string table whose first string is not empty is refused. */
static void test_pprof_string0(void **state)
{
	/* field 6 (string_table), "x"; field 1 (sample_type) {1: 0} */
	static const uint8_t pb[] = {0x32, 0x01, 'x', 0x0a, 0x02, 0x08, 0x00};
	char err[256];

	(void)state;
	assert_int_equal(read_bytes(pb, sizeof(pb), true, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "not a profile: string 0 is not empty");
}

static void test_format_names(void **state)
{
	(void)state;
	assert_int_equal(format_from_name("x.pb.gz"), FORMAT_PPROF);
	assert_int_equal(format_from_name("cpu.pprof"), FORMAT_PPROF);
	assert_int_equal(format_from_name("a.speedscope.json"), FORMAT_SPEEDSCOPE);
	assert_int_equal(format_from_name("a.json"), FORMAT_FOLDED);
	assert_int_equal(format_from_name("A.SVG"), FORMAT_SVG);
	assert_int_equal(format_from_name("run.ftr"), FORMAT_FTR);
	assert_int_equal(format_parse("ftr"), FORMAT_FTR);
	assert_string_equal(format_default_name(FORMAT_FTR), "flametop.ftr");
	assert_int_equal(format_from_name("a.folded"), FORMAT_FOLDED);
	assert_int_equal(format_from_name("a.txt"), FORMAT_FOLDED);
	assert_int_equal(format_from_name("-"), FORMAT_FOLDED);
	assert_int_equal(format_from_name(".svg"), FORMAT_FOLDED);
	assert_int_equal(format_parse("speedscope"), FORMAT_SPEEDSCOPE);
	assert_int_equal(format_parse("json"), FORMAT_NONE);
	assert_string_equal(format_name(FORMAT_SVG), "svg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pprof_roundtrip),	   cmocka_unit_test(test_pprof_to_tree),
	    cmocka_unit_test(test_pprof_folded_roundtrip), cmocka_unit_test(test_pprof_bad),
	    cmocka_unit_test(test_pprof_string0),	   cmocka_unit_test(test_format_names),
	    cmocka_unit_test(test_pprof_fractions),	   cmocka_unit_test(test_pprof_sources),
	};

	return cmocka_run_group_tests_name("pprof", tests, NULL, NULL);
}
