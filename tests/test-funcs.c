/*
 * test-funcs.c - unit tests of funcs.c: interning (name, module) pairs.
 *
 * Checks that id 0 is the root, ids are dense and stable across table
 * growth, that the module is part of the key, and that a real function
 * named "all" does not collide with the root.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "funcs.h"

static void test_root(void **state)
{
	struct funcs *f = funcs_new();

	assert_non_null(f);
	assert_int_equal(funcs_count(f), 1);
	assert_string_equal(funcs_name(f, 0), "all");
	assert_string_equal(funcs_module(f, 0), "");
	assert_string_equal(funcs_name(f, 99), "?");
	assert_string_equal(funcs_module(f, 99), "");
	/* a function really called "all" is not the root */
	assert_int_not_equal(funcs_intern(f, "all", NULL), 0);
	funcs_free(f);
	funcs_free(NULL);
}

static void test_intern(void **state)
{
	struct funcs *f = funcs_new();
	uint32_t a, b, c, d;

	a = funcs_intern(f, "main", "prog");
	b = funcs_intern(f, "main", "libother.so");
	c = funcs_intern(f, "main", NULL);
	d = funcs_intern(f, "mai", "nprog"); /* same bytes, other split */
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(c, 3);
	assert_int_equal(d, 4);
	assert_int_equal(funcs_intern(f, "main", "prog"), a);
	assert_int_equal(funcs_intern(f, "main", ""), c);
	assert_string_equal(funcs_name(f, b), "main");
	assert_string_equal(funcs_module(f, b), "libother.so");
	assert_string_equal(funcs_module(f, c), "");
	assert_int_equal(funcs_count(f), 5);
	funcs_free(f);
}

static void test_many(void **state)
{
	struct funcs *f = funcs_new();
	char name[64], mod[32];
	const char *first;
	uint32_t i;

	first = NULL;
	for (i = 1; i <= 50000; i++) {
		snprintf(name, sizeof(name), "func_%u", i);
		snprintf(mod, sizeof(mod), "lib%u.so", i % 7);
		assert_int_equal(funcs_intern(f, name, mod), i);
		if (i == 1)
			first = funcs_name(f, 1);
	}
	assert_int_equal(funcs_count(f), 50001);
	/* strings did not move while the table grew */
	assert_ptr_equal(funcs_name(f, 1), first);
	for (i = 1; i <= 50000; i++) {
		snprintf(name, sizeof(name), "func_%u", i);
		snprintf(mod, sizeof(mod), "lib%u.so", i % 7);
		assert_int_equal(funcs_intern(f, name, mod), i);
		assert_string_equal(funcs_name(f, i), name);
		assert_string_equal(funcs_module(f, i), mod);
	}
	funcs_free(f);
}

/* Sources and build-ids: set once, files kept once, listed in order. */
static void test_source(void **state)
{
	struct funcs *f = funcs_new();
	uint32_t a = funcs_intern(f, "a", "m"), b = funcs_intern(f, "b", "m");
	const char *module;
	int line = -1;

	(void)state;
	assert_null(funcs_source(f, a, &line));
	assert_int_equal(line, 0);
	assert_int_equal(funcs_nsourced(f), 0);
	assert_int_equal(funcs_set_source(f, b, "/src/x.c", 30), 0);
	assert_int_equal(funcs_set_source(f, a, "/src/x.c", 10), 0);
	assert_int_equal(funcs_set_source(f, a, "/src/y.c", 99), 0);   /* once */
	assert_int_equal(funcs_set_source(f, 0, "/src/root.c", 1), 0); /* not the root */
	assert_int_equal(funcs_set_source(f, 77, "/src/bad.c", 1), 0); /* nor a bad id */
	assert_int_equal(funcs_set_source(f, funcs_intern(f, "c", ""), "", 5), 0);
	assert_string_equal(funcs_source(f, a, &line), "/src/x.c");
	assert_int_equal(line, 10);
	/* one copy of a file for every function in it */
	const char *fa = funcs_source(f, a, &line), *fb = funcs_source(f, b, &line);
	assert_ptr_equal(fa, fb);
	assert_int_equal(line, 30);
	assert_null(funcs_source(f, 0, &line));
	assert_int_equal(funcs_nsourced(f), 2);
	assert_int_equal(funcs_sourced(f, 0), b);
	assert_int_equal(funcs_sourced(f, 1), a);

	/* many functions in many files */
	for (int i = 0; i < 3000; i++) {
		char name[32], file[32];

		snprintf(name, sizeof(name), "f%d", i);
		snprintf(file, sizeof(file), "/src/%d.c", i % 700);
		assert_int_equal(funcs_set_source(f, funcs_intern(f, name, "m"), file, i + 1), 0);
	}
	assert_string_equal(funcs_source(f, funcs_intern(f, "f2999", "m"), &line), "/src/199.c");
	assert_int_equal(line, 3000);
	assert_ptr_equal(funcs_source(f, funcs_intern(f, "f1", "m"), &line),
			 funcs_source(f, funcs_intern(f, "f701", "m"), &line));

	assert_null(funcs_build_id(f, "m"));
	assert_int_equal(funcs_set_build_id(f, "m", "abc123"), 0);
	assert_int_equal(funcs_set_build_id(f, "m", "ffff"), 0); /* once */
	assert_int_equal(funcs_set_build_id(f, "n", ""), 0);
	assert_int_equal(funcs_set_build_id(f, "libz.so.1", "0042"), 0);
	assert_string_equal(funcs_build_id(f, "m"), "abc123");
	assert_null(funcs_build_id(f, "n"));
	assert_int_equal(funcs_nbuild_ids(f), 2);
	assert_string_equal(funcs_build_id_at(f, 1, &module), "0042");
	assert_string_equal(module, "libz.so.1");
	assert_null(funcs_build_id_at(f, 2, &module));
	funcs_free(f);
}

int main(void)
{
	const struct CMUnitTest funcs[] = {
	    cmocka_unit_test(test_root),
	    cmocka_unit_test(test_intern),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_source),
	};

	return cmocka_run_group_tests_name("funcs", funcs, NULL, NULL);
}
