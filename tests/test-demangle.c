/*
 * test-demangle.c - C++ names: demangled, parameter lists dropped.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"

static void expect_demangled(const char *sym, const char *want)
{
	char *got = demangle(sym);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_demangle_names(void **state)
{
	/* outer::inner::work<int>(std::vector<int> const&) */
	expect_demangled("_ZN5outer5inner4workIiEEvRKSt6vectorIiSaIiEE", "outer::inner::work<int>");
	/* (anonymous namespace)::spin(int) */
	expect_demangled("_ZN12_GLOBAL__N_14spinEi", "(anonymous namespace)::spin");
	/* S::operator()(int) const */
	expect_demangled("_ZNK1SclEi", "S::operator()");
	/* operator<<(std::ostream&, S const&) */
	expect_demangled("_ZlsRSoRK1S", "operator<<");
	/* f(void (*)(int)) */
	expect_demangled("_Z1fPFviE", "f");
	/* ns::g(), a plain nested name */
	expect_demangled("_ZN2ns1gEv", "ns::g");
}

static void test_not_mangled(void **state)
{
	assert_null(demangle("main"));
	assert_null(demangle("_start"));
	assert_null(demangle("_Zgarbage!"));
	assert_null(demangle(NULL));
}

static void test_strip_params(void **state)
{
	struct {
		const char *in, *out;
	} cases[] = {
	    {"ns::f<int>(int) const", "ns::f<int>"},
	    {"std::function<void (int)>::operator()(int) const",
	     "std::function<void (int)>::operator()"},
	    {"main::{lambda(int)#1}::operator()(int) const", "main::{lambda(int)#1}::operator()"},
	    {"bool operator<(A const&, A const&)", "operator<"},
	    {"void ns::g<std::pair<int, int> >(int)", "ns::g<std::pair<int, int> >"},
	    {"operator new(unsigned long)", "operator new"},
	    {"A::operator int() const", "A::operator int"},
	    {"(anonymous namespace)::h(char)", "(anonymous namespace)::h"},
	    {"plain", "plain"},
	    {"(odd)", "(odd)"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128];

		strcpy(buf, cases[i].in);
		demangle_strip_params(buf);
		assert_string_equal(buf, cases[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demangle_names),
	    cmocka_unit_test(test_not_mangled),
	    cmocka_unit_test(test_strip_params),
	};

	return cmocka_run_group_tests_name("demangle", tests, NULL, NULL);
}
