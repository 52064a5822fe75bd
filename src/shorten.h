/*
 * shorten.h - function names shortened to fit a width, keeping the name.
 *
 * A box in a flame graph is often narrower than a C++ name.  Cutting the
 * end keeps "…_Iter_less_iter>" and loses the function; cutting the start
 * keeps template noise.  shorten_name keeps the function's own name (the
 * last component, with a lambda's "{lambda(…)#1}::operator()" kept whole)
 * and gives up, in this order, until the name fits:
 *   1. the contents of template argument and parameter lists in the
 *      qualifiers ("std::vector<…>::push_back"),
 *   2. those of the function's own name ("std::__introsort_loop<…>"),
 *   3. qualifiers from the left ("…::Parser::parse_line", "…::parse_line"),
 *      then all of them ("parse_line"),
 *   4. the end of the own name ("parse_li…").
 * Operators ("operator<", "operator()", "operator<=>"), "(anonymous
 * namespace)" and lambdas are read as names, not as brackets.  A trailing
 * marker that the symbolizer appends (" (inlined)") is kept while it fits.
 */
#ifndef FT_SHORTEN_H
#define FT_SHORTEN_H

#include <stdbool.h>
#include <stddef.h>

/* Writes name, shortened to at most width columns, into out (always
 * NUL-terminated when outlen > 0); the ellipsis is "…" with utf8, else
 * "~".  Returns the columns used.  Widths count code points. */
int shorten_name(const char *name, int width, bool utf8, char *out, size_t outlen);

#endif
