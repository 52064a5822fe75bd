/*
 * shorten.c - function names shortened to fit a width (see shorten.h).
 *
 * This file contains a small reader of demangled C++ names: a name is
 * split at the "::" that are outside brackets into components, and each
 * component is copied with the contents of its bracket groups replaced by
 * an ellipsis.  Operator names are read as one token, so that the '<' of
 * "operator<" or the "()" of "operator()" never open a group.  A group
 * that is not closed is copied as it is.  Everything is bounded by
 * SHORT_MAX bytes: longer names are cut before they are read.
 */
#include "config.h"

#include <string.h>

#include "shorten.h"

#define SHORT_MAX 1024
#define SHORT_COMPS 64
#define INLINED_MARK " (inlined)"

struct comp {
	const char *p;
	size_t len;
};

/* The length of an operator's symbol at p, or 0. */
static size_t op_symbol(const char *p)
{
	static const char *const ops[] = {
	    "()", "[]", "<=>", "<<=", ">>=", "->*", "<<", ">>", "<=", ">=", "->", "==", "!=",
	    "&&", "||", "++",  "--",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "<",
	    ">",  "+",	"-",   "*",   "/",   "%",   "&",  "|",	"^",  "~",  "!",  "=",	","};

	for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (!strncmp(p, ops[i], strlen(ops[i])))
			return strlen(ops[i]);
	return 0;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* If p (inside name) starts the word "operator", the length of the whole
 * operator name ("operator<<", "operator new[]"), else 0. */
static size_t operator_len(const char *name, const char *p)
{
	size_t n = 8, sym;

	if (strncmp(p, "operator", 8) || (p > name && ident_char(p[-1])) || ident_char(p[8]))
		return 0;
	if (p[n] == ' ' && op_symbol(p + n + 1))
		n++;
	sym = op_symbol(p + n);
	if (sym)
		return n + sym;
	if (!strncmp(p + n, " new[]", 6) || !strncmp(p + n, " delete[]", 9))
		return n + (p[n + 1] == 'n' ? 6 : 9);
	return n; /* "operator new", "operator int": the word is read as a name */
}

static bool opener(char c)
{
	return c == '<' || c == '(' || c == '{' || c == '[';
}

static char closer(char c)
{
	return c == '<' ? '>' : c == '(' ? ')' : c == '{' ? '}' : ']';
}

/* The end of the group opened at p (just past its closer), or NULL if
 * it is not closed before end. */
static const char *group_end(const char *name, const char *p, const char *end)
{
	char stack[64];
	int depth = 0;

	for (; p < end; p++) {
		size_t op = operator_len(name, p);

		if (op) {
			p += op - 1;
			continue;
		}
		if (opener(*p)) {
			if (depth == (int)sizeof(stack))
				return NULL;
			stack[depth++] = closer(*p);
		} else if (depth > 0 && *p == stack[depth - 1]) {
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

/* Splits name at "::" outside brackets; returns the number of components
 * (at most max; the last one holds the rest). */
static size_t split(const char *name, size_t len, struct comp *c, size_t max)
{
	const char *p = name, *end = name + len, *start = name;
	size_t n = 0;

	while (p < end) {
		size_t op = operator_len(name, p);
		const char *e;

		if (op) {
			p += op;
		} else if (opener(*p) && (e = group_end(name, p, end))) {
			p = e;
		} else if (p[0] == ':' && p + 1 < end && p[1] == ':' && n + 1 < max) {
			c[n++] = (struct comp){start, (size_t)(p - start)};
			p += 2;
			start = p;
		} else {
			p++;
		}
	}
	c[n++] = (struct comp){start, (size_t)(end - start)};
	return n;
}

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		n = b->cap - 1 - b->len;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Copies a component with its groups' contents collapsed to ell: "<…>",
 * "(…)"; "(anonymous namespace)" stays, a lambda's braces are entered
 * ("{lambda(…)#1}"), "()" stays "()". */
static void put_collapsed(struct buf *b, const char *name, struct comp c, const char *ell)
{
	const char *p = c.p, *end = c.p + c.len;

	while (p < end) {
		size_t op = operator_len(name, p);
		const char *e;

		if (op) {
			put(b, p, op);
			p += op;
			continue;
		}
		if (!opener(*p) || !(e = group_end(name, p, end))) {
			put(b, p++, 1);
			continue;
		}
		if (*p == '{' || e - p == 2 || !strncmp(p, "(anonymous namespace)", 21)) {
			struct comp inner = {p + 1, (size_t)(e - p - 2)};

			put(b, p, 1);
			if (*p == '{')
				put_collapsed(b, name, inner, ell);
			else
				put(b, inner.p, inner.len);
			put(b, e - 1, 1);
		} else {
			put(b, p, 1);
			put(b, ell, strlen(ell));
			put(b, e - 1, 1);
		}
		p = e;
	}
}

static int text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* The byte offset of code point n in s (or its end). */
static size_t cp_offset(const char *s, int n)
{
	size_t i = 0;

	for (; s[i] && n > 0; n--)
		for (i++; ((unsigned char)s[i] & 0xc0) == 0x80; i++)
			;
	return i;
}

/* Builds components [from, n) (qualifiers collapsed when cq, the own name
 * when co), behind "ell::" when from > 0 and lead. */
static void build(struct buf *b, const char *name, const struct comp *c, size_t n, size_t own,
		  size_t from, bool lead, bool cq, bool co, const char *ell)
{
	b->len = 0;
	b->s[0] = '\0';
	if (from > 0 && lead) {
		put(b, ell, strlen(ell));
		put(b, "::", 2);
	}
	for (size_t i = from; i < n; i++) {
		if (i > from)
			put(b, "::", 2);
		if (i >= own ? co : cq)
			put_collapsed(b, name, c[i], ell);
		else
			put(b, c[i].p, c[i].len);
	}
}

static int emit(const char *s, const char *mark, char *out, size_t outlen)
{
	struct buf o = {out, 0, outlen};

	out[0] = '\0';
	put(&o, s, strlen(s));
	put(&o, mark, strlen(mark));
	return text_width(out);
}

int shorten_name(const char *name, int width, bool utf8, char *out, size_t outlen)
{
	const char *ell = utf8 ? "\xe2\x80\xa6" : "~";
	char tmp[SHORT_MAX + 16];
	struct buf b = {tmp, 0, sizeof(tmp)};
	struct comp c[SHORT_COMPS];
	size_t len = strlen(name), mlen = strlen(INLINED_MARK), n, own;
	const char *mark = "";

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	if (text_width(name) <= width)
		return emit(name, "", out, outlen);
	if (len > mlen && !strcmp(name + len - mlen, INLINED_MARK)) {
		len -= mlen;
		if (width > (int)mlen + 4) {
			mark = INLINED_MARK;
			width -= (int)mlen;
		}
	}
	if (len > SHORT_MAX)
		len = SHORT_MAX;
	n = split(name, len, c, SHORT_COMPS);
	own = n - 1;
	/* a lambda's call operator: the lambda is the name */
	if (own > 0 && !strncmp(c[own].p, "operator()", 10) && c[own - 1].p[0] == '{')
		own--;
	for (int step = 0; step < 3; step++) {
		build(&b, name, c, n, own, 0, true, step >= 1, step >= 2, ell);
		if (text_width(tmp) <= width)
			return emit(tmp, mark, out, outlen);
	}
	for (size_t from = 1; from <= own; from++) {
		build(&b, name, c, n, own, from, true, true, true, ell);
		if (text_width(tmp) <= width)
			return emit(tmp, mark, out, outlen);
	}
	build(&b, name, c, n, own, own, false, true, true, ell);
	if (text_width(tmp) <= width)
		return emit(tmp, mark, out, outlen);
	/* the start of the own name, then the ellipsis */
	if (*mark)
		width += (int)mlen;
	if (width == 1) {
		tmp[cp_offset(tmp, 1)] = '\0';
		return emit(tmp, "", out, outlen);
	}
	tmp[cp_offset(tmp, width - 1)] = '\0';
	b.len = strlen(tmp);
	put(&b, ell, strlen(ell));
	return emit(tmp, "", out, outlen);
}
