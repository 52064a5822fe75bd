/*
 * test-shorten.c - function names shortened to fit a box.
 *
 * Real names from libstdc++ and C++ programs: the function's own name
 * must survive (templates and parameter lists go first, then namespaces
 * from the left), operators and lambdas are names, not brackets.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "shorten.h"

static const char *introsort =
    "std::__introsort_loop<__gnu_cxx::__normal_iterator<int*, std::vector<int, "
    "std::allocator<int> > >, long, __gnu_cxx::__ops::_Iter_less_iter>";
static const char *insert = "std::__unguarded_linear_insert<__gnu_cxx::__normal_iterator<int*, "
			    "std::vector<int, std::allocator<int> > >, "
			    "__gnu_cxx::__ops::_Val_less_iter>";

/* shorten_name at width w must give want, as many columns as it has. */
static void check(const char *name, int w, const char *want)
{
	char out[512];
	int cols = shorten_name(name, w, true, out, sizeof(out));

	if (strcmp(out, want))
		fail_msg("%s at %d: got \"%s\", want \"%s\"", name, w, out, want);
	assert_true(cols <= w);
}

static void test_shorten_fits(void **state)
{
	check("parse_line", 10, "parse_line");
	check("ns::Parser::parse_line", 40, "ns::Parser::parse_line");
	check(introsort, 400, introsort);
}

static void test_shorten_templates(void **state)
{
	/* the two libstdc++ sort helpers stay apart */
	check(introsort, 40, "std::__introsort_loop<…>");
	check(insert, 40, "std::__unguarded_linear_insert<…>");
	check(introsort, 24, "std::__introsort_loop<…>");
	check(introsort, 23, "…::__introsort_loop<…>");
	check(introsort, 20, "__introsort_loop<…>");
	check(introsort, 10, "__introso…");
	/* qualifiers' templates go before the function's own */
	check("std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>", 50,
	      "std::vector<…>::_M_realloc_insert<int const&>");
	check("std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>", 36,
	      "std::vector<…>::_M_realloc_insert<…>");
	check("std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>", 30,
	      "…::_M_realloc_insert<…>");
	/* parameter lists, where a name has one */
	check("ns::Parser::parse_header(char const*, unsigned long)", 30,
	      "ns::Parser::parse_header(…)");
	/* not UTF-8: a one-column ASCII ellipsis */
	char out[128];
	assert_int_equal(shorten_name(introsort, 24, false, out, sizeof(out)), 24);
	assert_string_equal(out, "std::__introsort_loop<~>");
}

static void test_shorten_namespaces(void **state)
{
	const char *n = "llvm::detail::PassModel<llvm::Function, llvm::SimplifyCFGPass>::run";

	check(n, 40, "llvm::detail::PassModel<…>::run");
	check(n, 28, "…::detail::PassModel<…>::run");
	check(n, 27, "…::PassModel<…>::run");
	check(n, 12, "…::run");
	check(n, 3, "run");
	check(n, 2, "r…");
	check("a::b::c::d::work_hard", 16, "…::d::work_hard");
}

static void test_shorten_operators(void **state)
{
	check("ns::Big<int>::operator<", 15, "…::operator<");
	check("ns::Big<int>::operator<", 21, "ns::Big<…>::operator<");
	check("std::less<void>::operator()<int&, int&>", 30, "std::less<…>::operator()<…>");
	check("std::operator<< <std::char_traits<char> >", 22, "std::operator<< <…>");
	check("ns::Cmp<int>::operator<=>", 20, "…::operator<=>");
	check("ns::Vec<float>::operator[]", 22, "ns::Vec<…>::operator[]");
	check("ns::Ptr<Node>::operator->", 22, "ns::Ptr<…>::operator->");
	check("ns::Mat<3>::operator>>", 21, "…::Mat<…>::operator>>");
}

static void test_shorten_lambdas(void **state)
{
	const char *lam = "app::Server::run(int)::{lambda(int, char const*)#1}::operator()";

	check(lam, 50, "app::Server::run(…)::{lambda(…)#1}::operator()");
	check(lam, 30, "…::{lambda(…)#1}::operator()");
	check(lam, 25, "{lambda(…)#1}::operator()");
	check("std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#1}> > >::"
	      "_M_run",
	      40, "std::thread::_State_impl<…>::_M_run");
}

static void test_shorten_anonymous(void **state)
{
	const char *n = "(anonymous namespace)::Parser::parse_line";

	check(n, 30, "…::Parser::parse_line");
	check(n, 20, "…::parse_line");
	check("(anonymous namespace)::Table<int>::find", 38,
	      "(anonymous namespace)::Table<…>::find");
}

static void test_shorten_marks(void **state)
{
	char out[64];

	check("std::vector<int, std::allocator<int> >::size (inlined)", 40,
	      "std::vector<…>::size (inlined)");
	check("std::vector<int, std::allocator<int> >::size (inlined)", 8, "…::size");
	check("std::vector<int, std::allocator<int> >::size (inlined)", 4, "size");
	/* unbalanced or odd input is copied, never read past */
	check("broken<name(", 8, "broken<…");
	assert_true(shorten_name("::", 1, true, out, sizeof(out)) <= 1);
	assert_int_equal(shorten_name("anything", 0, true, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(shorten_name("anything", 5, true, out, 3), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shorten_fits),       cmocka_unit_test(test_shorten_templates),
	    cmocka_unit_test(test_shorten_namespaces), cmocka_unit_test(test_shorten_operators),
	    cmocka_unit_test(test_shorten_lambdas),    cmocka_unit_test(test_shorten_anonymous),
	    cmocka_unit_test(test_shorten_marks),
	};

	return cmocka_run_group_tests_name("shorten", tests, NULL, NULL);
}
