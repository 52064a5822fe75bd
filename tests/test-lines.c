/*
 * test-lines.c - hot source lines: the histogram and the source reader.
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
#include <unistd.h>

#include "lines.h"

static void test_lines_histogram(void **state)
{
	struct lines *l = lines_new();
	struct lines_row *rows;
	uint64_t w, c;
	char file[32];

	assert_non_null(l);
	assert_int_equal(lines_add(l, 7, "/src/b.c", 10, 5), 0);
	assert_int_equal(lines_add(l, 7, "/src/a.c", 30, 1), 0);
	assert_int_equal(lines_add(l, 7, "/src/a.c", 4, 2), 0);
	assert_int_equal(lines_add(l, 7, NULL, 12, 3), 0); /* no file: not known */
	assert_int_equal(lines_add(l, 7, "/src/a.c", 4, 2), 0);
	assert_int_equal(lines_add(l, 8, "/src/a.c", 4, 100), 0);
	assert_int_equal(lines_of(l, 7, &rows, &w, &c), 4);
	assert_int_equal(w, 13);
	assert_int_equal(c, 5);
	assert_string_equal(rows[0].file, "/src/a.c");
	assert_int_equal(rows[0].line, 4);
	assert_int_equal(rows[0].weight, 4);
	assert_int_equal(rows[0].count, 2);
	assert_int_equal(rows[1].line, 30);
	assert_string_equal(rows[2].file, "/src/b.c");
	assert_null(rows[3].file); /* the unknown row last */
	assert_int_equal(rows[3].line, 0);
	assert_int_equal(rows[3].weight, 3);
	free(rows);
	assert_int_equal(lines_of(l, 9, &rows, &w, &c), 0);
	assert_null(rows);
	assert_int_equal(w, 0);

	/* many lines and files: the tables grow, nothing is lost */
	for (int i = 0; i < 5000; i++) {
		snprintf(file, sizeof(file), "/f%d.c", i % 300);
		assert_int_equal(lines_add(l, 20, file, i, 1), 0);
	}
	assert_int_equal(lines_of(l, 20, &rows, &w, &c), 5000);
	assert_int_equal(c, 5000);
	free(rows);
	lines_clear(l);
	assert_int_equal(lines_of(l, 7, &rows, &w, &c), 0);
	lines_free(l);
	lines_free(NULL);
}

static void test_lines_source(void **state)
{
	char path[] = "/tmp/flametop-test-lines.XXXXXX";
	int fd = mkstemp(path);
	struct lines_source src;
	const char *t;
	size_t len;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "one\n\ttwo\n\nlast", 14), 14);
	close(fd);
	assert_int_equal(lines_source(&src, path), 0);
	t = lines_source_line(&src, 2, &len);
	assert_non_null(t);
	assert_int_equal(len, 4);
	assert_memory_equal(t, "\ttwo", 4);
	t = lines_source_line(&src, 3, &len);
	assert_int_equal(len, 0);
	t = lines_source_line(&src, 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(t, "last", 4);
	assert_null(lines_source_line(&src, 5, &len));
	assert_null(lines_source_line(&src, 0, &len));
	lines_source_release(&src);
	unlink(path);

	assert_int_equal(lines_source(&src, path), -ENOENT);
	assert_null(src.text);
	assert_int_equal(lines_source(&src, "/tmp"), -EINVAL);
	assert_int_equal(lines_source(&src, "/dev/zero"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_histogram),
	    cmocka_unit_test(test_lines_source),
	};

	return cmocka_run_group_tests_name("lines", tests, NULL, NULL);
}
