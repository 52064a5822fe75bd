/*
 * test-speedscope.c - unit tests of json.c and of speedscope.c's reader.
 *
 * JSON: every kind of value, escapes (\uXXXX with surrogate pairs, a NUL
 * or a lone surrogate becoming U+FFFD), and the errors a reader must
 * give rather than crash on (depth, truncation, bad numbers, text after
 * the value).  speedscope: a file as py-spy writes it (a sampled profile
 * per thread in seconds, weights of 1/rate, frames with file and line)
 * gives the stacks and nanoseconds it holds; an evented profile weighs
 * each stack by the time it was open; flametop's own speedscope output
 * reads back to the same folded stacks; bad indexes, weights and events
 * are refused with what is wrong.
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
#include "formats.h"
#include "json.h"
#include "speedscope.h"

static void test_json_values(void **state)
{
	static const char text[] =
	    " {\"a\": [1, -2.5e3, true, false, null, \"x\\\"y\"],"
	    " \"b\": {}, \"c\": [], \"\\u00e9\\ud83d\\ude00\": \"\\u0000\\udc00/\\/\"} ";
	struct json *j;
	char err[128];
	const struct json_value *root, *a, *v;

	(void)state;
	assert_int_equal(json_parse(text, sizeof(text) - 1, &j, err, sizeof(err)), 0);
	root = json_root(j);
	assert_int_equal(root->type, JSON_OBJECT);
	assert_int_equal(root->n, 4);
	a = json_get(j, root, "a");
	assert_int_equal(a->n, 6);
	v = json_first(j, a);
	assert_true(v->type == JSON_NUMBER && v->num == 1);
	v = json_next(j, v);
	assert_true(v->type == JSON_NUMBER && v->num == -2500);
	assert_int_equal(json_next(j, v)->type, JSON_TRUE);
	v = json_next(j, json_next(j, json_next(j, json_next(j, v))));
	assert_string_equal(json_string(j, v), "x\"y");
	assert_null(json_next(j, v));
	assert_int_equal(json_get(j, root, "b")->n, 0);
	assert_null(json_first(j, json_get(j, root, "c")));
	/* U+00E9 and U+1F600 (a surrogate pair); NUL and a lone low surrogate
	 * are U+FFFD */
	v = json_get(j, root, "\xc3\xa9\xf0\x9f\x98\x80");
	assert_non_null(v);
	assert_string_equal(json_string(j, v), "\xef\xbf\xbd\xef\xbf\xbd//");
	assert_null(json_get(j, root, "missing"));
	assert_null(json_get(j, a, "a")); /* not an object */
	json_free(j);
}

static void test_json_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
	    {"", "offset 0: expected a value"},
	    {"{\"a\" 1}", "offset 5: expected ':'"},
	    {"[1 2]", "offset 3: expected ',' or ']'"},
	    {"[1,]", "offset 3: expected a value"},
	    {"{\"a\":1,}", "offset 7: expected a member name"},
	    {"[01]", "offset 2: expected ',' or ']'"},
	    {"[1.]", "offset 3: expected a digit"},
	    {"[-]", "offset 2: expected a value"},
	    {"\"abc", "offset 4: unterminated string"},
	    {"\"a\nb\"", "offset 2: control character in a string"},
	    {"\"\\x\"", "offset 3: bad escape '\\x'"},
	    {"\"\\u12g4\"", "offset 3: bad \\u escape"},
	    {"[1] x", "offset 4: text after the value"},
	    {"[[[", "offset 3: unexpected end (expected ']')"},
	    {"tru", "offset 0: expected a value"},
	};
	char deep[200], err[128];
	struct json *j = (struct json *)1;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = json_parse(bad[i].text, strlen(bad[i].text), &j, err, sizeof(err));

		if (ret != -EINVAL || strcmp(err, bad[i].err))
			fail_msg("case %zu: %d \"%s\", want \"%s\"", i, ret, err, bad[i].err);
		assert_null(j);
	}
	memset(deep, '[', sizeof(deep));
	assert_int_equal(json_parse(deep, JSON_DEPTH_MAX, &j, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "offset 64: unexpected end (expected ']')");
	assert_int_equal(json_parse(deep, JSON_DEPTH_MAX + 1, &j, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "offset 64: nested deeper than 64");
}

/* Reads text as speedscope into a new tree; the result, and the tree as
 * folded stacks (by weight) in *folded (caller frees). */
static int read_text(const char *text, struct fprof *fp, char *err, size_t errlen, char **folded)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	size_t len;
	FILE *out;
	int ret;

	fprof_init(fp, calltree_new(), funcs_new(), NULL);
	ret = speedscope_read(in, fp, err, errlen);
	fclose(in);
	*folded = NULL;
	out = open_memstream(folded, &len);
	assert_int_equal(folded_write(out, fp->tree, fp->funcs, FOLDED_WEIGHT, 0), 0);
	fclose(out);
	return ret;
}

static void fprof_done(struct fprof *fp, char *folded)
{
	calltree_free(fp->tree);
	funcs_free(fp->funcs);
	free(folded);
}

/* As py-spy 0.3 writes it: seconds, a weight of 1/rate per sample. */
static const char pyspy[] =
    "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
    "\"profiles\":[{\"type\":\"sampled\",\"name\":\"Thread 4242 \\\"MainThread\\\"\","
    "\"unit\":\"seconds\",\"startValue\":0.0,\"endValue\":0.04,"
    "\"samples\":[[0,1,2],[0,1,2],[0,1,3],[0,1]],\"weights\":[0.01,0.01,0.01,0.01]},"
    "{\"type\":\"sampled\",\"name\":\"Thread 4243 \\\"worker\\\"\",\"unit\":\"seconds\","
    "\"startValue\":0.0,\"endValue\":0.02,\"samples\":[[4,2],[4,2]],\"weights\":[0.01,0.01]}],"
    "\"shared\":{\"frames\":[{\"name\":\"<module>\",\"file\":\"/app/main.py\",\"line\":1,"
    "\"col\":null},{\"name\":\"serve\",\"file\":\"/app/main.py\",\"line\":12,\"col\":null},"
    "{\"name\":\"parse\",\"file\":\"/app/parse.py\",\"line\":40,\"col\":null},"
    "{\"name\":\"loads\",\"file\":\"/usr/lib/python3.11/json/__init__.py\",\"line\":346},"
    "{\"name\":\"run\",\"file\":\"/usr/lib/python3.11/threading.py\",\"line\":975}]},"
    "\"activeProfileIndex\":null,\"exporter\":\"py-spy@0.3.14\",\"name\":\"py-spy profile\"}\n";

static void test_speedscope_pyspy(void **state)
{
	struct fprof fp;
	char err[256], *folded;
	int line;

	(void)state;
	assert_int_equal(read_text(pyspy, &fp, err, sizeof(err), &folded), 0);
	assert_int_equal(fp.unit, UNIT_NS);
	assert_string_equal(fp.measure, "time");
	assert_string_equal(folded, "<module>;serve 10000000\n"
				    "<module>;serve;loads 10000000\n"
				    "<module>;serve;parse 20000000\n"
				    "run;parse 20000000\n");
	assert_int_equal(calltree_root(fp.tree)->total_count, 6);
	uint32_t id = funcs_intern(fp.funcs, "parse", "/app/parse.py");
	assert_string_equal(funcs_source(fp.funcs, id, &line), "/app/parse.py");
	assert_int_equal(line, 40);
	fprof_done(&fp, folded);
}

static void test_speedscope_evented(void **state)
{
	static const char text[] =
	    "{\"shared\":{\"frames\":[{\"name\":\"main\"},{\"name\":\"work\"},{\"name\":\"io\"}]},"
	    "\"profiles\":[{\"type\":\"evented\",\"name\":\"t\",\"unit\":\"milliseconds\","
	    "\"startValue\":0,\"endValue\":10,\"events\":["
	    "{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"O\",\"frame\":1,\"at\":1},"
	    "{\"type\":\"O\",\"frame\":2,\"at\":4},{\"type\":\"C\",\"frame\":2,\"at\":6},"
	    "{\"type\":\"C\",\"frame\":1,\"at\":9},{\"type\":\"C\",\"frame\":0,\"at\":10}]}]}";
	struct fprof fp;
	char err[256], *folded;

	(void)state;
	assert_int_equal(read_text(text, &fp, err, sizeof(err), &folded), 0);
	assert_int_equal(fp.unit, UNIT_NS);
	assert_string_equal(folded, "main 2000000\nmain;work 6000000\nmain;work;io 2000000\n");
	fprof_done(&fp, folded);
}

/* flametop's own speedscope (counts: unit none) reads back the same. */
static void test_speedscope_roundtrip(void **state)
{
	static const char text[] = "main;a;b 7\nmain;a;b;c 1\nmain;x 5\nother 3\n";
	struct fprof fp, back;
	char err[256], *json = NULL, *folded;
	size_t len;
	FILE *in = fmemopen((void *)text, strlen(text), "r"), *out;

	(void)state;
	fprof_init(&fp, calltree_new(), funcs_new(), NULL);
	assert_int_equal(folded_read(in, fp.tree, fp.funcs, NULL, err, sizeof(err)), 0);
	fclose(in);
	out = open_memstream(&json, &len);
	assert_int_equal(speedscope_write(out, &fp, "t"), 0);
	fclose(out);
	assert_int_equal(read_text(json, &back, err, sizeof(err), &folded), 0);
	assert_int_equal(back.unit, UNIT_SAMPLES);
	assert_string_equal(folded, text);
	assert_int_equal(calltree_root(back.tree)->total_count, 16);
	fprof_done(&back, folded);
	calltree_free(fp.tree);
	funcs_free(fp.funcs);
	free(json);
}

static void test_speedscope_bad(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
	    {"[1,2", "not JSON (offset 4: unexpected end (expected ']'))"},
	    {"{\"profiles\":[]}", "not a speedscope profile (no shared frames or no profiles)"},
	    {"{\"shared\":{\"frames\":[{\"file\":\"x\"}]},\"profiles\":[]}", "frame 1: no name"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
	     "\"unit\":\"none\",\"samples\":[[0],[1]],\"weights\":[1,1]}]}",
	     "sample 2: not a frame index"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
	     "\"unit\":\"none\",\"samples\":[[0],[0]],\"weights\":[1]}]}",
	     "2 samples but not as many weights"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
	     "\"unit\":\"none\",\"samples\":[[0]],\"weights\":[-1]}]}",
	     "sample 1: weight out of range"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
	     "\"unit\":\"furlongs\",\"samples\":[]}]}",
	     "a profile of unknown unit 'furlongs'"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
	     "\"unit\":\"none\",\"samples\":[]},{\"type\":\"sampled\",\"unit\":\"bytes\","
	     "\"samples\":[]}]}",
	     "profiles in different units (none, bytes)"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"profiles\":[{\"type\":"
	     "\"evented\",\"unit\":\"none\",\"events\":[{\"type\":\"O\",\"frame\":0,\"at\":0},"
	     "{\"type\":\"C\",\"frame\":1,\"at\":1}]}]}",
	     "event 2: closes a frame that is not open"},
	    {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":"
	     "\"evented\",\"unit\":\"none\",\"events\":[{\"type\":\"O\",\"frame\":0,\"at\":5},"
	     "{\"type\":\"C\",\"frame\":0,\"at\":1}]}]}",
	     "event 2: goes back in time"},
	};
	struct fprof fp;
	char err[256], *folded;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = read_text(bad[i].text, &fp, err, sizeof(err), &folded);

		if (ret != -EINVAL || strcmp(err, bad[i].err))
			fail_msg("case %zu: %d \"%s\", want \"%s\"", i, ret, err, bad[i].err);
		fprof_done(&fp, folded);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_values),		 cmocka_unit_test(test_json_errors),
	    cmocka_unit_test(test_speedscope_pyspy),	 cmocka_unit_test(test_speedscope_evented),
	    cmocka_unit_test(test_speedscope_roundtrip), cmocka_unit_test(test_speedscope_bad),
	};

	return cmocka_run_group_tests_name("speedscope", tests, NULL, NULL);
}
