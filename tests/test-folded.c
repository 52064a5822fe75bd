/*
 * test-folded.c - unit tests of folded.c: folded stacks read and written.
 *
 * Reads a realistic perf | stackcollapse-perf.pl fixture (kernel frames
 * "_[k]", "lib`func" frames, C++ names with spaces, a py-spy line with a
 * CRLF ending), rejects malformed lines with the right line number,
 * round-trips names with spaces and odd bytes, and checks that output does
 * not depend on the order stacks were added in.
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

#include "folded.h"

#ifndef FT_TEST_DATA
#define FT_TEST_DATA "tests/data"
#endif

#define assert_sane_calltree(t)                                                                    \
	do {                                                                                       \
		char err_[256];                                                                    \
		if (calltree_check((t), err_, sizeof(err_)))                                       \
			fail_msg("calltree_check: %s", err_);                                      \
	} while (0)

/* the decimals of the last read_text */
static unsigned last_decimals;

/* Reads text into t/f; returns folded_read's result, message in err. */
static int read_text(const char *text, size_t len, struct calltree *t, struct funcs *f, char *err,
		     size_t errlen)
{
	FILE *in = fmemopen((void *)text, len, "r");
	int ret;

	assert_non_null(in);
	ret = folded_read(in, t, f, &last_decimals, err, errlen);
	fclose(in);
	assert_sane_calltree(t);
	return ret;
}

static char *write_text(struct calltree *t, const struct funcs *f, enum folded_measure m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(folded_write(out, t, f, m, 0), 0);
	fclose(out);
	return buf;
}

/* The node for the ';'-separated path of names, or NULL. */
static struct ctnode *find(struct calltree *t, struct funcs *f, const char *path)
{
	char *copy = strdup(path), *tok, *save = NULL;
	struct ctnode *x = calltree_root(t);
	uint32_t before = funcs_count(f), id;

	for (tok = strtok_r(copy, ";", &save); tok && x; tok = strtok_r(NULL, ";", &save)) {
		id = funcs_intern(f, tok, NULL);
		x = id < before ? calltree_child(x, id) : NULL;
	}
	free(copy);
	return x;
}

static void test_fixture(void **state)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "";
	FILE *in = fopen(FT_TEST_DATA "/perf-collapsed.folded", "r");
	struct ctnode *x;

	assert_non_null(in);
	assert_int_equal(folded_read(in, t, f, NULL, err, sizeof(err)), 0);
	fclose(in);
	assert_string_equal(err, "");
	assert_sane_calltree(t);
	assert_int_equal(calltree_root(t)->total_count, 2191);
	assert_int_equal(calltree_root(t)->total_weight, 2191);
	assert_int_equal(calltree_root(t)->nchildren, 3);

	x = find(t, f, "swapper;secondary_startup_64_[k];start_secondary_[k]");
	assert_non_null(x);
	assert_int_equal(x->total_count, 1551);
	x = find(t, f,
		 "myserver;_start;__libc_start_main_impl;main;event_loop;"
		 "handle_request;parse_json;__memmove_avx_unaligned_erms");
	assert_non_null(x);
	assert_int_equal(x->self_count, 420); /* two lines, merged */
	assert_int_equal(x->parent->self_count, 96);
	x = find(t, f, "myserver;[unknown];libc.so.6`__GI___libc_read");
	assert_non_null(x);
	assert_int_equal(x->self_weight, 3);
	x = find(t, f,
		 "myserver;_start;__libc_start_main_impl;main;"
		 "std::vector<int, std::allocator<int> >::push_back(int const&);"
		 "operator new(unsigned long);malloc");
	assert_non_null(x);
	assert_int_equal(x->self_count, 25);
	/* py-spy frames keep their "(file:line)"; the CRLF is not in the name */
	x = find(t, f,
		 "python3;<module> (app.py:10);main (app.py:5);handle (server.py:88);"
		 "json.loads (json/__init__.py:346)");
	assert_non_null(x);
	assert_int_equal(x->self_count, 7);
	assert_int_equal(x->depth, 5);
	calltree_free(t);
	funcs_free(f);
}

struct bad {
	const char *text;
	const char *msg; /* expected start of err */
	uint64_t kept;	 /* total count read before the bad line */
};

static void test_malformed(void **state)
{
	static const struct bad bad[] = {
	    {"a;b 1\n\n# comment\nfoo\n", "line 4: no count", 1},
	    {"a;b 1\r\nfoo bar\n", "line 2: count is not a number", 1},
	    {"a 12x\n", "line 1: count is not a number", 0},
	    {"a 1\nb 2\na;b -3\n", "line 3: negative count", 3},
	    {" 5\n", "line 1: empty stack", 0},
	    {"a 1\n5\n", "line 2: no count", 1},
	    {"a;b 18446744073709551616\n", "line 1: count overflow", 0},
	    {"a 9223372036854775808\nb 9223372036854775808\n", "line 2: count overflow", 0},
	    {"x 1\ny 2\nz 3\nw 4\n\n\nv\n", "line 7: no count", 10},
	    {"a 1\nb\t7\n", "line 2: no count", 1},
	    {"a 1\nb +7\n", "line 2: count is not a number", 1},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct calltree *t = calltree_new();
		struct funcs *f = funcs_new();
		char err[256] = "";
		int ret = read_text(bad[i].text, strlen(bad[i].text), t, f, err, sizeof(err));

		if (ret != -EINVAL || strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("case %zu: got %d \"%s\", want \"%s\"", i, ret, err, bad[i].msg);
		if (i != 7)
			assert_int_equal(calltree_root(t)->total_count, bad[i].kept);
		else /* the first 2^63 was kept */
			assert_int_equal(calltree_root(t)->total_count, 1ull << 63);
		calltree_free(t);
		funcs_free(f);
	}
	/* a NUL byte in a line */
	{
		static const char nul[] = "a 1\nb\0c 2\n";
		struct calltree *t = calltree_new();
		struct funcs *f = funcs_new();
		char err[256] = "";

		assert_int_equal(read_text(nul, sizeof(nul) - 1, t, f, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "line 2:"));
		calltree_free(t);
		funcs_free(f);
	}
}

static void test_accepts(void **state)
{
	/* BOM, CRLF, trailing blanks, no final newline, zero count, 2^64-1 */
	static const char text[] = "\xEF\xBB\xBF"
				   "a;b 2\r\n"
				   "a;c  3 \r\n"
				   "a;d 0\n"
				   "#a;e 9\n"
				   "a;b 1";
	static const char big[] = "deep 18446744073709551615\n";
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "";
	struct ctnode *x;

	assert_int_equal(read_text(text, sizeof(text) - 1, t, f, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(t)->total_count, 6);
	assert_int_equal(find(t, f, "a;b")->self_count, 3);
	x = find(t, f, "a;c "); /* the name keeps its space before the count's */
	assert_non_null(x);
	assert_int_equal(x->self_count, 3);
	assert_null(find(t, f, "a;d"));
	calltree_clear(t);
	assert_int_equal(read_text(big, sizeof(big) - 1, t, f, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(t)->total_weight, UINT64_MAX);
	calltree_free(t);
	funcs_free(f);
}

static void test_long_line(void **state)
{
	enum { DEPTH = 100000 };
	size_t cap = (size_t)DEPTH * 12 + 64, len = 0, i;
	char *text = malloc(cap);
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "";
	struct ctnode *x;

	for (i = 0; i < DEPTH; i++)
		len += (size_t)sprintf(text + len, "%sf%zu", i ? ";" : "", i % 1000);
	len += (size_t)sprintf(text + len, " 5\n");
	assert_int_equal(read_text(text, len, t, f, err, sizeof(err)), 0);
	assert_int_equal(calltree_nodes(t), DEPTH + 1);
	for (x = calltree_root(t); x->child; x = x->child)
		;
	assert_int_equal(x->depth, DEPTH);
	assert_int_equal(x->self_count, 5);
	assert_int_equal(funcs_count(f), 1001);
	free(text);
	calltree_free(t);
	funcs_free(f);
}

/* Lines are bounded: one byte over FOLDED_MAX_LINE fails at that line,
 * with or without a final newline, and so does /dev/zero's endless line
 * of NUL bytes, at once; a line of exactly FOLDED_MAX_LINE reads. */
static void test_line_bound(void **state)
{
	size_t n = FOLDED_MAX_LINE + 1;
	char *text = malloc(n + 16);
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "";
	FILE *zero;

	(void)state;
	memcpy(text, "a 1\n", 4);
	memset(text + 4, 'x', n);
	assert_int_equal(read_text(text, 4 + n, t, f, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 2: longer than 16 MiB (not a folded-stack file?)");
	assert_int_equal(calltree_root(t)->total_count, 1); /* line 1 kept */
	text[4 + n] = '\n';
	assert_int_equal(read_text(text, 5 + n, t, f, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 2: longer than 16 MiB (not a folded-stack file?)");
	/* exactly the bound: "xxx...x 1" */
	memcpy(text + 4 + FOLDED_MAX_LINE - 2, " 1\n", 3);
	calltree_free(t);
	t = calltree_new();
	assert_int_equal(read_text(text, 4 + FOLDED_MAX_LINE + 1, t, f, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(t)->total_count, 2);
	free(text);

	zero = fopen("/dev/zero", "r");
	if (zero) {
		assert_int_equal(folded_read(zero, t, f, NULL, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "line 1: longer than 16 MiB (not a folded-stack file?)");
		fclose(zero);
	}
	calltree_free(t);
	funcs_free(f);
}

/* folded_load: "-" is stdin, directories and missing files say so. */
static void test_load(void **state)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "";

	(void)state;
	assert_int_equal(folded_load("/", t, f, NULL, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "Is a directory");
	assert_int_equal(folded_load("/nonexistent/x.folded", t, f, NULL, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "No such file or directory");
	assert_int_equal(
	    folded_load(FT_TEST_DATA "/perf-collapsed.folded", t, f, NULL, err, sizeof(err)), 0);
	assert_true(calltree_root(t)->total_count > 0);
	calltree_free(t);
	funcs_free(f);
}

static void test_round_trip(void **state)
{
	static const char *const names[] = {
	    "main",
	    "with space",
	    "  lead and trail  ",
	    "tab\there",
	    "\x01\x7f\xff\xfe",
	    "libc.so.6`write",
	    "do_sys_open_[k]",
	    "main (app.py:10)",
	    "x 12",
	    "std::map<int, int>::find(int const&) const",
	    "[unknown]",
	    "all",
	    "-1",
	};
	enum { NN = sizeof(names) / sizeof(names[0]) };
	struct calltree *t = calltree_new(), *t2 = calltree_new();
	struct funcs *f = funcs_new(), *f2 = funcs_new();
	uint32_t ids[NN], s[6];
	char *out1, *out2, err[256] = "";
	size_t i, j;

	for (i = 0; i < NN; i++)
		ids[i] = funcs_intern(f, names[i], "mod");
	srand(99);
	for (i = 0; i < 300; i++) {
		size_t n = (size_t)(rand() % 6) + 1;

		for (j = 0; j < n; j++)
			s[j] = ids[rand() % NN];
		assert_non_null(calltree_add(t, s, n, (uint64_t)(rand() % 1000) + 1,
					     (uint64_t)(rand() % 9) + 1));
	}
	out1 = write_text(t, f, FOLDED_COUNT);
	if (read_text(out1, strlen(out1), t2, f2, err, sizeof(err)))
		fail_msg("reading back: %s", err);
	out2 = write_text(t2, f2, FOLDED_COUNT);
	assert_string_equal(out1, out2);
	assert_int_equal(calltree_root(t2)->total_count, calltree_root(t)->total_count);
	assert_int_equal(calltree_nodes(t2), calltree_nodes(t));
	free(out2);
	free(out1);

	/* the weight measure round-trips too (into both measures) */
	calltree_clear(t2);
	out1 = write_text(t, f, FOLDED_WEIGHT);
	assert_int_equal(read_text(out1, strlen(out1), t2, f2, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(t2)->total_weight, calltree_root(t)->total_weight);
	assert_int_equal(calltree_root(t2)->total_count, calltree_root(t)->total_weight);
	out2 = write_text(t2, f2, FOLDED_WEIGHT);
	assert_string_equal(out1, out2);
	free(out2);
	free(out1);
	calltree_free(t);
	calltree_free(t2);
	funcs_free(f);
	funcs_free(f2);
}

/* Found by fuzzing: an empty tree (qsort on NULL) and outermost names
 * that would read back as a comment or lose a BOM-like prefix. */
static void test_write_edge_names(void **state)
{
	struct calltree *t = calltree_new(), *t2 = calltree_new();
	struct funcs *f = funcs_new(), *f2 = funcs_new();
	uint32_t hash = funcs_intern(f, "#x", NULL), bom = funcs_intern(f, "\xef\xbb\xbfy", NULL);
	char *out, err[256] = "";

	out = write_text(t, f, FOLDED_COUNT);
	assert_string_equal(out, "");
	free(out);
	assert_non_null(calltree_add(t, &hash, 1, 5, 5));
	assert_non_null(calltree_add(t, &bom, 1, 7, 7));
	out = write_text(t, f, FOLDED_COUNT);
	assert_string_equal(out, "?x 5\n?y 7\n");
	assert_int_equal(read_text(out, strlen(out), t2, f2, err, sizeof(err)), 0);
	assert_int_equal(calltree_root(t2)->total_count, 12);
	free(out);
	calltree_free(t);
	calltree_free(t2);
	funcs_free(f);
	funcs_free(f2);
}

static void test_sanitize_and_order(void **state)
{
	struct calltree *a = calltree_new(), *b = calltree_new();
	struct funcs *f = funcs_new();
	uint32_t semi = funcs_intern(f, "a;b", NULL), nl = funcs_intern(f, "x\ny\r", NULL);
	uint32_t m1 = funcs_intern(f, "same", "lib1.so"), m2 = funcs_intern(f, "same", "lib2.so");
	uint32_t z = funcs_intern(f, "zeta", NULL), s1[2] = {semi, nl}, s2[2] = {z, 0};
	uint32_t s3[1] = {m1}, s4[1] = {m2};
	char *oa, *ob;

	/* the same stacks in two orders */
	calltree_add(a, s1, 2, 1, 1);
	s2[1] = funcs_intern(f, "", NULL);
	calltree_add(a, s2, 2, 2, 2);
	calltree_add(a, s3, 1, 3, 3);
	calltree_add(a, s4, 1, 4, 4);
	calltree_add(a, NULL, 0, 5, 5);
	calltree_add(b, s4, 1, 4, 4);
	calltree_add(b, NULL, 0, 5, 5);
	calltree_add(b, s3, 1, 3, 3);
	calltree_add(b, s2, 2, 2, 2);
	calltree_add(b, s1, 2, 1, 1);
	oa = write_text(a, f, FOLDED_COUNT);
	ob = write_text(b, f, FOLDED_COUNT);
	assert_string_equal(oa, ob);
	/* sorted bytewise; same names of two modules merged; root self */
	assert_string_equal(oa, "[unknown] 5\n"
				"a:b;x y  1\n"
				"same 7\n"
				"zeta;[unknown] 2\n");
	free(oa);
	free(ob);
	calltree_free(a);
	calltree_free(b);
	funcs_free(f);
}

static void test_write_error(void **state)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	uint32_t s[1] = {funcs_intern(f, "main", NULL)};
	FILE *out = fopen("/dev/full", "w");

	if (!out)
		skip();
	calltree_add(t, s, 1, 1, 1);
	assert_int_equal(folded_write(out, t, f, FOLDED_COUNT, 0), -ENOSPC);
	fclose(out);
	calltree_free(t);
	funcs_free(f);
}

/* Writes t with decimals d into a string (caller frees). */
static char *write_scaled(struct calltree *t, const struct funcs *f, unsigned d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(folded_write(out, t, f, FOLDED_COUNT, d), 0);
	fclose(out);
	return buf;
}

/* Fractional counts, as FlameGraph takes them: every count of the file
 * scaled by 10^D, D the most decimals of any (trailing zeros do not
 * count), also when the first fraction comes after whole counts; written
 * back as the same fractions. */
static void test_fractions(void **state)
{
	static const char text[] = "main;a 3\n"
				   "main;b 1.5\n"
				   "main;c 0.25\n"
				   "main;b 2.50\n"
				   "main;d 7.\n";
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	char err[256] = "", *out;

	(void)state;
	assert_int_equal(read_text(text, sizeof(text) - 1, t, f, err, sizeof(err)), 0);
	assert_int_equal(last_decimals, 2);
	/* 3 + 1.5 + 0.25 + 2.5 + 7 = 14.25, in hundredths */
	assert_int_equal(calltree_root(t)->total_count, 1425);
	assert_int_equal(calltree_root(t)->total_weight, 1425);
	assert_int_equal(find(t, f, "main;a")->self_count, 300);
	assert_int_equal(find(t, f, "main;b")->self_count, 400);
	assert_int_equal(find(t, f, "main;c")->self_weight, 25);
	assert_int_equal(find(t, f, "main;d")->self_count, 700);
	out = write_scaled(t, f, last_decimals);
	assert_string_equal(out, "main;a 3\nmain;b 4\nmain;c 0.25\nmain;d 7\n");
	free(out);

	/* whole counts stay as given, "5.0" included */
	calltree_clear(t);
	assert_int_equal(read_text("x 5.0\ny 2\n", 10, t, f, err, sizeof(err)), 0);
	assert_int_equal(last_decimals, 0);
	assert_int_equal(calltree_root(t)->total_count, 7);

	/* more than 9 decimals: rounded to 9 (half up) */
	calltree_clear(t);
	assert_int_equal(read_text("x 0.0000000015\ny 1.1234567894\n", 30, t, f, err, sizeof(err)),
			 0);
	assert_int_equal(last_decimals, 9);
	assert_int_equal(find(t, f, "x")->self_count, 2);
	assert_int_equal(find(t, f, "y")->self_count, 1123456789);
	out = write_scaled(t, f, last_decimals);
	assert_string_equal(out, "x 0.000000002\ny 1.123456789\n");
	free(out);

	/* what does not fit once scaled is an overflow, with its line */
	calltree_clear(t);
	assert_int_equal(read_text("x 18446744073709552\ny 0.001\n", 28, t, f, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "line 2: count overflow (the total exceeds 2^64-1 once scaled for "
				 "3 decimals)");
	calltree_clear(t);
	assert_int_equal(read_text("x 0.5\ny 1844674407370955162\n", 28, t, f, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "line 2: count overflow");
	assert_int_equal(calltree_root(t)->total_count, 5); /* line 1 kept */
	assert_int_equal(last_decimals, 1);

	/* not numbers: a lone dot, two dots, a sign, an exponent */
	static const char *const bad[] = {"x .5\n", "x 1.2.3\n", "x 1.-2\n", "x 1e3\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		calltree_clear(t);
		assert_int_equal(read_text(bad[i], strlen(bad[i]), t, f, err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, "line 1: count is not a number");
	}

	/* a reader that takes no scale refuses fractions */
	{
		FILE *in = fmemopen((void *)"x 1\ny 1.5\n", 10, "r");

		calltree_clear(t);
		assert_int_equal(folded_read(in, t, f, NULL, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "line 2: count is not a whole number");
		fclose(in);
	}
	calltree_free(t);
	funcs_free(f);
}

int main(void)
{
	const struct CMUnitTest folded[] = {
	    cmocka_unit_test(test_fixture),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_accepts),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_line_bound),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_write_edge_names),
	    cmocka_unit_test(test_sanitize_and_order),
	    cmocka_unit_test(test_write_error),
	    cmocka_unit_test(test_fractions),
	};

	return cmocka_run_group_tests_name("folded", folded, NULL, NULL);
}
