/*
 * demangle.c - C++ symbol names through libstdc++'s __cxa_demangle.
 *
 * Names are demangled once per distinct address (the symbolizer caches),
 * so the allocation __cxa_demangle makes is of no concern.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "demangle.h"

/* libstdc++'s demangler (cxxabi.h is C++ only) */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

/* Whether the '<' at p is part of an operator's name ("operator<",
 * "operator<<", "operator<=>"), not a template argument list. */
static int in_operator(const char *name, const char *p)
{
	while (p > name && p[-1] == '<')
		p--;
	return p - name >= 8 && !strncmp(p - 8, "operator", 8);
}

/* Drops a leading return type ("void ns::f<int>" -> "ns::f<int>"): the
 * text after the last space outside <>, () and {}, unless that space
 * belongs to "operator new" or a conversion operator. */
static void strip_return_type(char *name)
{
	int depth = 0;
	char *cut = NULL;

	for (char *p = name; *p; p++) {
		if (*p == '<' || *p == '(' || *p == '{') {
			if (*p == '<' && in_operator(name, p))
				continue;
			depth++;
		} else if ((*p == '>' || *p == ')' || *p == '}') && depth > 0) {
			depth--;
		} else if (*p == ' ' && depth == 0) {
			if (p - name >= 8 && !strncmp(p - 8, "operator", 8))
				continue;
			cut = p + 1;
		}
	}
	if (cut && *cut)
		memmove(name, cut, strlen(cut) + 1);
}

void demangle_strip_params(char *name)
{
	int angle = 0, brace = 0;

	for (char *p = name; *p; p++) {
		if (*p == '{') { /* "{lambda(int)#1}" */
			brace++;
		} else if (*p == '}' && brace > 0) {
			brace--;
		} else if (brace > 0) {
			continue;
		} else if (*p == '<') {
			if (in_operator(name, p))
				continue;
			angle++;
		} else if (*p == '>' && angle > 0) {
			angle--;
		} else if (*p == '(' && angle == 0) {
			if (!strncmp(p, "(anonymous namespace)", 21)) {
				p += 20;
				continue;
			}
			if (p - name >= 8 && !strncmp(p - 8, "operator", 8) && p[1] == ')') {
				p++; /* operator() */
				continue;
			}
			if (p > name) { /* never leave an empty name */
				*p = '\0';
				strip_return_type(name);
			}
			return;
		}
	}
}

char *demangle(const char *sym)
{
	int status = -1;
	char *name;

	if (!sym || strncmp(sym, "_Z", 2) != 0)
		return NULL;
	name = __cxa_demangle(sym, NULL, NULL, &status);
	if (status != 0 || !name) {
		free(name);
		return NULL;
	}
	demangle_strip_params(name);
	return name;
}
