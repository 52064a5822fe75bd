/*
 * test-group.c - unit tests of group.c: --group and --label parsing and
 * the pseudo-frames grouped stacks start with.
 *
 * Checks the nesting order whatever the order given, every bad spelling
 * (empty, unknown key, "label:" without a key, a key given twice, a
 * filter without '='), and that names with ';', ']', '%' or a newline
 * come out escaped so a pseudo-frame is one frame that ends at its ']'.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "group.h"

static void test_group_order(void **state)
{
	struct group g;
	char err[256];

	(void)state;
	assert_int_equal(group_parse("label:stage,coroutine,pid,thread", &g, err, sizeof err), 0);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.key[0], GROUP_PID);
	assert_int_equal(g.key[1], GROUP_THREAD);
	assert_int_equal(g.key[2], GROUP_CORO);
	assert_int_equal(g.key[3], GROUP_LABEL);
	assert_string_equal(g.label[3], "stage");

	assert_int_equal(group_parse("label:b,label:a,coroutine", &g, err, sizeof err), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.key[0], GROUP_CORO);
	assert_string_equal(g.label[1], "b");
	assert_string_equal(g.label[2], "a");
}

static void test_group_bad(void **state)
{
	static const char *const bad[] = {
	    "",	    "label:", "coroutines", "thread,thread",	"label:x,label:x",
	    "pid,", ",pid",   "label:a=b",  "coroutine,label:",
	};
	struct group g;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(group_parse(bad[i], &g, err, sizeof err), -EINVAL);
		assert_true(err[0] != '\0');
	}
	group_parse("label:", &g, err, sizeof err);
	assert_non_null(strstr(err, "needs a key"));
	group_parse("coros", &g, err, sizeof err);
	assert_string_equal(
	    err, "unknown grouping 'coros' (expected pid, thread, coroutine or label:KEY)");
}

static void test_label_filter(void **state)
{
	struct label_filter f;
	char err[256];

	(void)state;
	assert_int_equal(label_filter_parse("stage=transformer", &f, err, sizeof err), 0);
	assert_string_equal(f.key, "stage");
	assert_string_equal(f.value, "transformer");
	assert_int_equal(label_filter_parse("k=a=b", &f, err, sizeof err), 0);
	assert_string_equal(f.value, "a=b");
	assert_int_equal(label_filter_parse("k=", &f, err, sizeof err), 0);
	assert_string_equal(f.value, "");
	assert_int_equal(label_filter_parse("stage", &f, err, sizeof err), -EINVAL);
	assert_string_equal(err, "bad label filter 'stage' (expected KEY=VALUE)");
	assert_int_equal(label_filter_parse("=x", &f, err, sizeof err), -EINVAL);
}

static void test_frames(void **state)
{
	char buf[GROUP_FRAME_LEN];

	(void)state;
	group_frame_pid(buf, sizeof buf, 42, "server");
	assert_string_equal(buf, "[pid 42 server]");
	group_frame_thread(buf, sizeof buf, 43, "io;loop]\n");
	assert_string_equal(buf, "[thread 43 io%3Bloop%5D%0A]");
	group_frame_thread(buf, sizeof buf, 44, "");
	assert_string_equal(buf, "[thread 44]");
	group_frame_coro(buf, sizeof buf, 7, "worker 7");
	assert_string_equal(buf, "[coro 7 worker 7]");
	group_frame_coro(buf, sizeof buf, 0, "x");
	assert_string_equal(buf, "[no coroutine]");
	group_frame_coro(buf, sizeof buf, 9, NULL);
	assert_string_equal(buf, "[coro 9]");
	group_frame_label(buf, sizeof buf, "stage", "a;b]c%");
	assert_string_equal(buf, "[stage=a%3Bb%5Dc%25]");
	group_frame_label(buf, sizeof buf, "stage", NULL);
	assert_string_equal(buf, "[stage unset]");
	group_frame_label(buf, sizeof buf, "stage", "");
	assert_string_equal(buf, "[stage=]");
}

static void test_escape_bounds(void **state)
{
	char small[6];

	(void)state;
	/* never a partial escape, always terminated */
	assert_int_equal(group_escape(small, sizeof small, "ab;cd"), 5);
	assert_string_equal(small, "ab%3B");
	assert_int_equal(group_escape(small, 5, "ab;cd"), 2);
	assert_string_equal(small, "ab");
	assert_int_equal(group_escape(small, sizeof small, "abcdefgh"), 5);
	assert_string_equal(small, "abcde");
}

int main(void)
{
	const struct CMUnitTest group[] = {
	    cmocka_unit_test(test_group_order),	  cmocka_unit_test(test_group_bad),
	    cmocka_unit_test(test_label_filter),  cmocka_unit_test(test_frames),
	    cmocka_unit_test(test_escape_bounds),
	};

	return cmocka_run_group_tests_name("group", group, NULL, NULL);
}
