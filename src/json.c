/*
 * json.c - a small JSON reader (see json.h).
 *
 * One pass over the text without recursion: open arrays and objects are
 * on a stack of at most JSON_DEPTH_MAX; each value becomes an element of
 * one array (members linked by index: child, next), strings are decoded
 * into one pool.  Indexes rather than pointers while parsing, since both
 * arrays grow.  Invariants: every value but the root is a member of the
 * value that was on top of the stack when it was read; an object's
 * members have a key; n counts the members (at most UINT32_MAX: more is
 * an error).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct json {
	struct json_value *v;
	size_t n, cap;
	char *pool;
	size_t plen, pcap;
};

struct parser {
	const char *p, *start, *end;
	struct json *j;
	char *err;
	size_t errlen;
	size_t stack[JSON_DEPTH_MAX]; /* open containers: value indexes */
	int depth;
};

static int fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (ps->err && ps->errlen) {
		k = snprintf(ps->err, ps->errlen, "offset %zu: ", (size_t)(ps->p - ps->start));
		if (k >= 0 && (size_t)k < ps->errlen) {
			va_start(ap, fmt);
			vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return -EINVAL;
}

static int grow(void **p, size_t *cap, size_t n, size_t more, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *np;

	if (n + more <= *cap)
		return 0;
	while (c < n + more) {
		if (c > SIZE_MAX / 2 / size)
			return -ENOMEM;
		c *= 2;
	}
	np = realloc(*p, c * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = c;
	return 0;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int put(struct json *j, const char *s, size_t n)
{
	if (grow((void **)&j->pool, &j->pcap, j->plen, n, 1))
		return -ENOMEM;
	memcpy(j->pool + j->plen, s, n);
	j->plen += n;
	return 0;
}

/* Code point c as UTF-8 into the pool. */
static int put_utf8(struct json *j, unsigned c)
{
	char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6), b[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12), b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		b[0] = (char)(0xf0 | c >> 18), b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f)), b[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	return put(j, b, n);
}

/* Four hex digits at ps->p: the value, or -1. */
static long hex4(struct parser *ps)
{
	long v = 0;

	if (ps->end - ps->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = ps->p[i];

		v = v * 16 + (c >= '0' && c <= '9'   ? c - '0'
			      : c >= 'a' && c <= 'f' ? c - 'a' + 10
			      : c >= 'A' && c <= 'F' ? c - 'A' + 10
						     : -1000000);
	}
	if (v < 0)
		return -1;
	ps->p += 4;
	return v;
}

/* A string at ps->p (at its '"'), decoded into the pool: 0 and its
 * offset in *off, or an error. */
static int string(struct parser *ps, size_t *off)
{
	struct json *j = ps->j;
	const char *run;

	*off = j->plen;
	ps->p++;
	for (;;) {
		for (run = ps->p; ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
				  (unsigned char)*ps->p >= 0x20;
		     ps->p++)
			;
		if (put(j, run, (size_t)(ps->p - run)))
			return -ENOMEM;
		if (ps->p == ps->end)
			return fail(ps, "unterminated string");
		if ((unsigned char)*ps->p < 0x20)
			return fail(ps, "control character in a string");
		if (*ps->p == '"') {
			ps->p++;
			return put(j, "", 1) ? -ENOMEM : 0;
		}
		/* an escape */
		if (++ps->p == ps->end)
			return fail(ps, "unterminated string");
		char c = *ps->p++, out;
		long u, lo;

		switch (c) {
		case '"':
		case '\\':
		case '/':
			out = c;
			break;
		case 'b':
			out = '\b';
			break;
		case 'f':
			out = '\f';
			break;
		case 'n':
			out = '\n';
			break;
		case 'r':
			out = '\r';
			break;
		case 't':
			out = '\t';
			break;
		case 'u':
			if ((u = hex4(ps)) < 0)
				return fail(ps, "bad \\u escape");
			if (u >= 0xd800 && u < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
			    ps->p[1] == 'u') {
				const char *save = ps->p;

				ps->p += 2;
				lo = hex4(ps);
				if (lo >= 0xdc00 && lo < 0xe000)
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				else
					ps->p = save; /* not a pair: the next escape stands alone */
			}
			if (u == 0 || (u >= 0xd800 && u < 0xe000))
				u = 0xfffd; /* no NUL in a name; no lone surrogates */
			if (put_utf8(j, (unsigned)u))
				return -ENOMEM;
			continue;
		default:
			return fail(ps, "bad escape '\\%c'", c);
		}
		if (put(j, &out, 1))
			return -ENOMEM;
	}
}

/* A number at ps->p, as JSON spells them. */
static int number(struct parser *ps, double *out)
{
	const char *s = ps->p;
	char buf[400];

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p == ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "expected a value");
	if (*ps->p == '0')
		ps->p++;
	else
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	if (ps->p < ps->end && *ps->p == '.') {
		if (++ps->p == ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "expected a digit");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		if (++ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p == ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "expected a digit");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if ((size_t)(ps->p - s) >= sizeof(buf))
		return fail(ps, "number too long");
	memcpy(buf, s, (size_t)(ps->p - s));
	buf[ps->p - s] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

/* A new value of type t, a member of the open container (with key when
 * that is an object): 0 and its index, or an error. */
static int add(struct parser *ps, enum json_type t, size_t key, size_t *idx)
{
	struct json *j = ps->j;

	if (grow((void **)&j->v, &j->cap, j->n, 1, sizeof(*j->v)))
		return -ENOMEM;
	*idx = j->n++;
	j->v[*idx] = (struct json_value){.type = t, .key = key};
	if (ps->depth) {
		struct json_value *parent = &j->v[ps->stack[ps->depth - 1]];

		if (parent->n == UINT32_MAX)
			return fail(ps, "too many members");
		if (parent->last)
			j->v[parent->last - 1].next = *idx + 1;
		else
			parent->child = *idx + 1;
		parent->last = *idx + 1;
		parent->n++;
	}
	return 0;
}

/* One value at ps->p (a member of the open container, named key): a
 * scalar whole, or an array or object opened (pushed). */
static int value(struct parser *ps, size_t key)
{
	struct json *j = ps->j;
	size_t i, s;
	int ret;

	skip_ws(ps);
	if (ps->p == ps->end)
		return fail(ps, "expected a value");
	switch (*ps->p) {
	case '{':
	case '[':
		if (ps->depth == JSON_DEPTH_MAX)
			return fail(ps, "nested deeper than %d", JSON_DEPTH_MAX);
		ret = add(ps, *ps->p == '{' ? JSON_OBJECT : JSON_ARRAY, key, &i);
		if (ret)
			return ret;
		ps->stack[ps->depth++] = i;
		ps->p++;
		return 0;
	case '"':
		ret = string(ps, &s);
		if (!ret && !(ret = add(ps, JSON_STRING, key, &i)))
			j->v[i].str = s;
		return ret;
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = {"true", "false", "null"};
		static const enum json_type types[] = {JSON_TRUE, JSON_FALSE, JSON_NULL};

		for (int w = 0; w < 3; w++) {
			size_t n = strlen(words[w]);

			if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, words[w], n)) {
				ps->p += n;
				return add(ps, types[w], key, &i);
			}
		}
		return fail(ps, "expected a value");
	}
	default: {
		double d;

		ret = number(ps, &d);
		if (!ret && !(ret = add(ps, JSON_NUMBER, key, &i)))
			j->v[i].num = d;
		return ret;
	}
	}
}

/* Before a member of an object: its name and ':'; 0 and the name's
 * offset, or an error. */
static int member_key(struct parser *ps, size_t *key)
{
	int ret;

	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != '"')
		return fail(ps, "expected a member name");
	ret = string(ps, key);
	if (ret)
		return ret;
	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != ':')
		return fail(ps, "expected ':'");
	ps->p++;
	return 0;
}

static int parse(struct parser *ps)
{
	struct json *j = ps->j;
	size_t key = 0;
	int ret = value(ps, 0);

	while (!ret && ps->depth) {
		struct json_value *top = &j->v[ps->stack[ps->depth - 1]];
		char close = top->type == JSON_OBJECT ? '}' : ']';

		skip_ws(ps);
		if (ps->p == ps->end)
			return fail(ps, "unexpected end (expected '%c')", close);
		if (*ps->p == close) {
			/* closed: empty, or after its last member */
			ps->p++;
			ps->depth--;
			continue;
		}
		if (top->n) {
			if (*ps->p != ',')
				return fail(ps, "expected ',' or '%c'", close);
			ps->p++;
		}
		key = 0;
		if (top->type == JSON_OBJECT && (ret = member_key(ps, &key)))
			return ret;
		ret = value(ps, key);
	}
	if (ret)
		return ret;
	skip_ws(ps);
	return ps->p == ps->end ? 0 : fail(ps, "text after the value");
}

int json_parse(const char *text, size_t len, struct json **out, char *err, size_t errlen)
{
	struct json *j = calloc(1, sizeof(*j));
	struct parser ps = {text, text, text + len, j, err, errlen, {0}, 0};
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (!j)
		return -ENOMEM;
	/* offset 0 of the pool is "" (keys of array members point there) */
	ret = put(j, "", 1);
	if (!ret)
		ret = parse(&ps);
	if (ret) {
		if (ret == -ENOMEM && err && errlen)
			snprintf(err, errlen, "out of memory");
		json_free(j);
		return ret;
	}
	*out = j;
	return 0;
}

void json_free(struct json *j)
{
	if (!j)
		return;
	free(j->v);
	free(j->pool);
	free(j);
}

const struct json_value *json_root(const struct json *j)
{
	return j && j->n ? &j->v[0] : NULL;
}

const struct json_value *json_first(const struct json *j, const struct json_value *v)
{
	return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) && v->child
		   ? &j->v[v->child - 1]
		   : NULL;
}

const struct json_value *json_next(const struct json *j, const struct json_value *v)
{
	return v && v->next ? &j->v[v->next - 1] : NULL;
}

const struct json_value *json_get(const struct json *j, const struct json_value *o, const char *key)
{
	if (!o || o->type != JSON_OBJECT)
		return NULL;
	for (const struct json_value *m = json_first(j, o); m; m = json_next(j, m))
		if (!strcmp(j->pool + m->key, key))
			return m;
	return NULL;
}

const char *json_string(const struct json *j, const struct json_value *v)
{
	return v && v->type == JSON_STRING ? j->pool + v->str : NULL;
}
