/*
 * demangle.h - C++ (Itanium ABI) symbol names made readable.
 *
 * A flame graph wants the function's qualified name, not its signature:
 * "_ZN5outer5inner4workIiEEvRKSt6vectorIiSaIiEE" becomes
 * "outer::inner::work<int>", the parameter list and qualifiers after it
 * dropped (as stackcollapse-perf.pl does).  The demangler is libstdc++'s
 * __cxa_demangle, present wherever a C++ program runs.
 */
#ifndef FT_DEMANGLE_H
#define FT_DEMANGLE_H

/* The readable name of a mangled symbol (a malloc'ed string the caller
 * frees), or NULL if sym is not a mangled C++ name (or memory ran out). */
char *demangle(const char *sym);

/* Cuts the parameter list (and what follows it) off a demangled name in
 * place: "ns::f<int>(int) const" -> "ns::f<int>", and with it a return
 * type that template functions carry ("void ns::g<int>(int)" -> "ns::g<int>").  Parentheses inside
 * template arguments or braces ("{lambda(int)#1}"), "(anonymous
 * namespace)" and "operator()" stay. */
void demangle_strip_params(char *name);

#endif
