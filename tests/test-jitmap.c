/*
 * test-jitmap.c - the perf map reader: a map that grows while it is read,
 * malformed and partial lines, overlapping entries, files that must be
 * refused (another owner, a symlink, a FIFO), anonymous code regions.
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
#include <sys/stat.h>
#include <unistd.h>

#include "jitmap.h"

static char dir[64], map[96];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/flametop-jit.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(map, sizeof(map), "%s/perf-1.map", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_jitmap_growing(void **state)
{
	struct jitmap *j;

	unlink(map);
	j = jitmap_open(map, getuid(), NULL);
	assert_non_null(j);
	assert_int_equal(jitmap_poll(j), -ENOENT); /* not written yet */
	append(map, "7f0000001000 40 LazyCompile:~main app.js:1\n"
		    "0x7f0000002000 0x100 py::f:/x.py\n");
	assert_int_equal(jitmap_poll(j), 2);
	assert_string_equal(jitmap_find(j, 0x7f0000001000), "LazyCompile:~main app.js:1");
	assert_string_equal(jitmap_find(j, 0x7f000000103f), "LazyCompile:~main app.js:1");
	assert_null(jitmap_find(j, 0x7f0000001040));
	assert_string_equal(jitmap_find(j, 0x7f00000020ff), "py::f:/x.py");
	assert_int_equal(jitmap_poll(j), 0);

	/* a line written in two parts is read once it is whole */
	append(map, "7f0000000800 10 ear");
	assert_int_equal(jitmap_poll(j), 0);
	assert_null(jitmap_find(j, 0x7f0000000800));
	append(map, "lier\n");
	assert_int_equal(jitmap_poll(j), 1);
	assert_string_equal(jitmap_find(j, 0x7f0000000808), "earlier");

	/* code freed and reused: the newest entry names it */
	append(map, "7f0000001000 20 reused\n");
	assert_int_equal(jitmap_poll(j), 1);
	assert_string_equal(jitmap_find(j, 0x7f0000001010), "reused");
	assert_string_equal(jitmap_find(j, 0x7f0000001030), "LazyCompile:~main app.js:1");
	assert_int_equal(jitmap_count(j), 4);
	assert_int_equal(jitmap_malformed(j), 0);
	jitmap_free(j);
	jitmap_free(NULL);
}

static void test_jitmap_malformed(void **state)
{
	struct jitmap *j;
	char *big = malloc(100000);

	unlink(map);
	assert_non_null(big);
	memset(big, 'x', 99998);
	big[99998] = '\n';
	big[99999] = '\0';
	append(map, "zz 10 nothex\n"
		    "1000\n"
		    "1000 10\n"
		    "1000 0 empty\n"
		    "ffffffffffffffff 10 wraps\n"
		    "1000 10 \n"
		    "12345678901234567890 10 toolong\n"
		    "\n"
		    "2000 10 good\n");
	append(map, big); /* one line longer than any buffer */
	append(map, "3000 10 after\n");
	j = jitmap_open(map, getuid(), NULL);
	assert_non_null(j);
	assert_int_equal(jitmap_poll(j), 2);
	assert_int_equal(jitmap_malformed(j), 8);
	assert_string_equal(jitmap_find(j, 0x2008), "good");
	assert_string_equal(jitmap_find(j, 0x3000), "after");
	assert_null(jitmap_find(j, 0x1000));
	jitmap_free(j);
	free(big);
}

static void test_jitmap_refused(void **state)
{
	char link[128], fifo[128];
	struct jitmap *j;

	unlink(map);
	append(map, "1000 10 f\n");
	/* another user's file */
	j = jitmap_open(map, getuid() + 1, NULL);
	assert_int_equal(jitmap_poll(j), -EPERM);
	assert_null(jitmap_find(j, 0x1000));
	jitmap_free(j);
	/* a symlink to a readable map */
	snprintf(link, sizeof(link), "%s/perf-2.map", dir);
	assert_int_equal(symlink(map, link), 0);
	j = jitmap_open(link, getuid(), NULL);
	assert_int_equal(jitmap_poll(j), -EPERM);
	jitmap_free(j);
	/* a FIFO: refused at once, not waited on */
	snprintf(fifo, sizeof(fifo), "%s/perf-3.map", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	j = jitmap_open(fifo, getuid(), NULL);
	alarm(10);
	assert_int_equal(jitmap_poll(j), -EPERM);
	alarm(0);
	jitmap_free(j);
}

static void test_jitmap_regions(void **state)
{
	char maps[128];
	struct jitmap *j;

	snprintf(maps, sizeof(maps), "%s/maps", dir);
	append(maps, "555555554000-555555556000 r-xp 00001000 08:01 1234  /usr/bin/app\n"
		     "7f0000000000-7f0000010000 r-xp 00000000 00:00 0 \n"
		     "7f0000020000-7f0000030000 rw-p 00000000 00:00 0 \n"
		     "7f0000040000-7f0000050000 r-xs 00000000 00:01 99   /memfd:jit (deleted)\n"
		     "7ffff7fc1000-7ffff7fc3000 r-xp 00000000 00:00 0    [vdso]\n");
	j = jitmap_open(map, getuid(), maps);
	assert_true(jitmap_anon_exec(j, 0x7f0000000100));
	assert_true(jitmap_anon_exec(j, 0x7f0000040100));
	assert_false(jitmap_anon_exec(j, 0x7f0000020100)); /* not executable */
	assert_false(jitmap_anon_exec(j, 0x555555554100)); /* a file */
	assert_false(jitmap_anon_exec(j, 0x7ffff7fc1100)); /* the vdso */
	jitmap_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jitmap_growing),
	    cmocka_unit_test(test_jitmap_malformed),
	    cmocka_unit_test(test_jitmap_refused),
	    cmocka_unit_test(test_jitmap_regions),
	};

	return cmocka_run_group_tests_name("jitmap", tests, setup, teardown);
}
