/*
 * folded.c - folded stacks ("a;b;c 42"), read and written (see folded.h).
 *
 * Reader: lines of at most FOLDED_MAX_LINE bytes, read in bounded chunks
 * (a binary file or /dev/zero fails at once, with no memory to speak of);
 * the count is what
 * follows the LAST space, so frames may contain spaces ("main (app.py:10)",
 * "std::map<int, int>::find"); one trailing "\r" (and any trailing blanks)
 * is dropped; a UTF-8 byte order mark on line 1 is skipped.  Frames are
 * interned verbatim with module "" (so "libc.so.6`write" or "do_sys_open_[k]"
 * stay as they are); empty frames between ';' are kept as empty names.
 * Counts with a fraction are kept exactly as whole numbers of 10^-D, D
 * the most decimals seen so far: a count with more rescales the tree
 * read before it (calltree_scale), at most FOLDED_DECIMALS_MAX times.
 *
 * Writer: every node with a nonzero self value becomes the line of its path
 * (';' in names written as ':', newlines as ' ', "\r" as ' '); lines are
 * sorted bytewise and equal texts (same names, different modules) merged,
 * so the output is deterministic and reads back to the same tree.  Weight
 * on the root itself (stacks with no frames) is written as the single frame
 * "[unknown]", since a folded line cannot have an empty stack; an empty
 * function name is written as "[unknown]" too.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "util.h"

/* --- writer ------------------------------------------------------------- */

struct fline {
	char *text;
	uint64_t value;
};

static int fline_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fline *)a)->text, ((const struct fline *)b)->text);
}

struct buf {
	char *s;
	size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t more)
{
	size_t ncap;
	char *ns;

	if (b->len + more + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->len + more + 1)
		ncap *= 2;
	ns = realloc(b->s, ncap);
	if (!ns)
		return -ENOMEM;
	b->s = ns;
	b->cap = ncap;
	return 0;
}

static int push_line(struct fline **v, size_t *n, size_t *cap, const char *text, uint64_t value)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct fline *nv = realloc(*v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[*n].text = strdup(text);
	if (!(*v)[*n].text)
		return -ENOMEM;
	(*v)[*n].value = value;
	(*n)++;
	return 0;
}

/* v as a count of 10^-decimals units: "15" or, with decimals 1, "1.5". */
static int print_count(FILE *out, uint64_t v, unsigned decimals)
{
	uint64_t m, frac;
	int width = (int)decimals;

	if (!decimals)
		return fprintf(out, "%" PRIu64 "\n", v);
	m = util_pow10(decimals);
	frac = v % m;
	if (!frac)
		return fprintf(out, "%" PRIu64 "\n", v / m);
	while (frac % 10 == 0) {
		frac /= 10;
		width--;
	}
	return fprintf(out, "%" PRIu64 ".%0*" PRIu64 "\n", v / m, width, frac);
}

int folded_write(FILE *out, struct calltree *t, const struct funcs *f, enum folded_measure m,
		 unsigned decimals)
{
	struct ctnode *root = calltree_root(t), *x;
	struct buf path = {0};
	size_t *mark = NULL, markcap = 0, n = 0, cap = 0, i;
	struct fline *lines = NULL;
	int ret = 0;
#define SELF(x) (m == FOLDED_COUNT ? (x)->self_count : (x)->self_weight)

	if (SELF(root) && push_line(&lines, &n, &cap, "[unknown]", SELF(root))) {
		ret = -ENOMEM;
		goto out;
	}
	/* Preorder walk; mark[d] is the path length before the frame at d. */
	x = root->child;
	while (x) {
		const char *name = funcs_name(f, x->func);
		size_t nl, k;

		if (!name[0])
			name = "[unknown]"; /* so that no line has an empty stack */
		nl = strlen(name);

		if (x->depth >= markcap) {
			size_t ncap = markcap ? markcap * 2 : 64;
			size_t *nm;

			while (ncap <= x->depth)
				ncap *= 2;
			nm = realloc(mark, ncap * sizeof(*nm));
			if (!nm) {
				ret = -ENOMEM;
				goto out;
			}
			mark = nm;
			markcap = ncap;
		}
		if (buf_reserve(&path, nl + 1)) {
			ret = -ENOMEM;
			goto out;
		}
		mark[x->depth] = path.len;
		k = 0;
		if (x->depth > 1) {
			path.s[path.len++] = ';';
		} else if (name[0] == '#' || !strncmp(name, "\xef\xbb\xbf", 3)) {
			/* a line must not read back as a comment or a BOM */
			path.s[path.len++] = '?';
			k = name[0] == '#' ? 1 : 3;
		}
		for (; k < nl; k++) {
			char c = name[k];

			path.s[path.len++] = c == ';' ? ':' : (c == '\n' || c == '\r') ? ' ' : c;
		}
		path.s[path.len] = '\0';
		if (SELF(x) && push_line(&lines, &n, &cap, path.s, SELF(x))) {
			ret = -ENOMEM;
			goto out;
		}
		if (x->child) {
			x = x->child;
			continue;
		}
		while (x != root && !x->next)
			x = x->parent;
		if (x == root)
			break;
		path.len = mark[x->depth];
		x = x->next;
	}
#undef SELF

	if (n)
		qsort(lines, n, sizeof(*lines), fline_cmp);
	for (i = 0; i < n; i++) {
		uint64_t v = lines[i].value;

		while (i + 1 < n && !strcmp(lines[i].text, lines[i + 1].text)) {
			i++;
			v = v + lines[i].value < v ? UINT64_MAX : v + lines[i].value;
		}
		errno = 0;
		if (fprintf(out, "%s ", lines[i].text) < 0 || print_count(out, v, decimals) < 0) {
			ret = errno ? -errno : -EIO;
			goto out;
		}
	}
	errno = 0;
	if (fflush(out) || ferror(out))
		ret = errno ? -errno : -EIO;
out:
	for (i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
	free(mark);
	free(path.s);
	return ret;
}

/* --- reader ------------------------------------------------------------- */

/* A count as read: whole * 10^decimals + frac, decimals 0 .. FOLDED_DECIMALS_MAX. */
struct count {
	uint64_t whole, frac;
	unsigned decimals;
};

/* Parses the count text [s, s+len): digits, optionally a '.' and more
 * digits (FlameGraph's "\d+(\.\d*)?"); trailing zeros of the fraction
 * do not count, a fraction past FOLDED_DECIMALS_MAX digits is rounded to
 * it (half up).  NULL or a message. */
static const char *parse_count(const char *s, size_t len, struct count *c)
{
	size_t i, dot = len, digits;

	memset(c, 0, sizeof(*c));
	if (!len)
		return "no count after the last space";
	if (s[0] == '-')
		return "negative count";
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] == '.' && dot == len && i > 0) {
			dot = i;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return "count is not a number";
		if (dot < len)
			continue;
		d = (unsigned)(s[i] - '0');
		if (c->whole > (UINT64_MAX - d) / 10)
			return "count overflow";
		c->whole = c->whole * 10 + d;
	}
	if (dot == len)
		return NULL;
	/* the fraction's digits that matter: no trailing zeros */
	for (digits = len - dot - 1; digits && s[dot + digits] == '0'; digits--)
		;
	for (i = 1; i <= digits && i <= FOLDED_DECIMALS_MAX; i++)
		c->frac = c->frac * 10 + (uint64_t)(s[dot + i] - '0');
	c->decimals = digits < FOLDED_DECIMALS_MAX ? (unsigned)digits : FOLDED_DECIMALS_MAX;
	if (digits > FOLDED_DECIMALS_MAX && s[dot + FOLDED_DECIMALS_MAX + 1] >= '5' &&
	    ++c->frac == util_pow10(FOLDED_DECIMALS_MAX)) {
		c->frac = 0;
		if (c->whole == UINT64_MAX)
			return "count overflow";
		c->whole++;
	}
	return NULL;
}

/* c as a whole number of 10^-decimals units (decimals >= c->decimals):
 * 0, or -EOVERFLOW. */
static int count_scaled(const struct count *c, unsigned decimals, uint64_t *out)
{
	uint64_t m = util_pow10(decimals), f = c->frac * util_pow10(decimals - c->decimals);

	if (c->whole > (UINT64_MAX - f) / m)
		return -EOVERFLOW;
	*out = c->whole * m + f;
	return 0;
}

/* A bounded line reader: fread in chunks, lines found with memchr, so no
 * line (and no buffer) grows past FOLDED_MAX_LINE plus one chunk. */
#define READ_CHUNK 65536

struct lines {
	FILE *in;
	char *buf;
	size_t cap, start, end; /* the unread bytes are buf[start, end) */
	bool eof;
};

/* The next line, without its '\n', NUL-terminated in place (valid until
 * the next call): 1 and the line in *line, *len; 0 at the end; -E2BIG
 * for a line longer than FOLDED_MAX_LINE; -ENOMEM; -errno of a read. */
static int next_line(struct lines *l, char **line, size_t *len)
{
	size_t scanned = 0;

	for (;;) {
		size_t left = l->end - l->start - scanned;
		char *nl = left ? memchr(l->buf + l->start + scanned, '\n', left) : NULL;
		size_t got;

		if (nl) {
			*line = l->buf + l->start;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			l->start = (size_t)(nl + 1 - l->buf);
			return *len > FOLDED_MAX_LINE ? -E2BIG : 1;
		}
		scanned = l->end - l->start;
		if (scanned > FOLDED_MAX_LINE)
			return -E2BIG;
		if (l->eof) {
			if (!scanned)
				return 0;
			*line = l->buf + l->start;
			*len = scanned;
			(*line)[scanned] = '\0';
			l->start = l->end;
			return 1;
		}
		/* the partial line to the front, and room for a chunk and a NUL */
		if (l->start) {
			memmove(l->buf, l->buf + l->start, scanned);
			l->start = 0;
			l->end = scanned;
		}
		if (l->cap - l->end < READ_CHUNK + 1) {
			size_t ncap = l->cap ? l->cap * 2 : 2 * READ_CHUNK;
			char *nb = realloc(l->buf, ncap);

			if (!nb)
				return -ENOMEM;
			l->buf = nb;
			l->cap = ncap;
		}
		errno = 0;
		got = fread(l->buf + l->end, 1, READ_CHUNK, l->in);
		l->end += got;
		if (got < READ_CHUNK) {
			if (ferror(l->in))
				return errno ? -errno : -EIO;
			l->eof = true;
		}
	}
}

int folded_read(FILE *in, struct calltree *t, struct funcs *f, unsigned *decimals, char *err,
		size_t errlen)
{
	struct lines lr = {.in = in};
	char *line = NULL, *sp;
	size_t lineno = 0, len = 0, nids, idcap = 0;
	uint32_t *ids = NULL;
	uint64_t count;
	struct count c;
	unsigned dec = 0;
	const char *what;
	int ret = 0, got;
	struct ctnode *root = calltree_root(t);

#define FAIL(code, ...)                                                                            \
	do {                                                                                       \
		ret = (code);                                                                      \
		if (err && errlen) {                                                               \
			int o_ = snprintf(err, errlen, "line %zu: ", lineno);                      \
			if (o_ >= 0 && (size_t)o_ < errlen)                                        \
				snprintf(err + o_, errlen - o_, __VA_ARGS__);                      \
		}                                                                                  \
		goto out;                                                                          \
	} while (0)

	if (err && errlen)
		err[0] = '\0';
	for (;;) {
		char *p, *end;

		got = next_line(&lr, &line, &len);
		if (got == 0)
			break;
		lineno++;
		if (got == -E2BIG)
			FAIL(-EINVAL, "longer than %d MiB (not a folded-stack file?)",
			     FOLDED_MAX_LINE >> 20);
		if (got == -ENOMEM)
			FAIL(-ENOMEM, "out of memory");
		if (got < 0)
			FAIL(got, "%s", strerror(-got));
		while (len &&
		       (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		line[len] = '\0';
		p = line;
		if (lineno == 1 && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
			p += 3;
			len -= 3;
		}
		if (!len || p[0] == '#')
			continue;
		if (strlen(p) != len)
			FAIL(-EINVAL, "NUL byte in line (not a folded-stack file?)");
		sp = memrchr(p, ' ', len);
		if (!sp)
			FAIL(-EINVAL, "no count (expected \"frame;frame;... COUNT\")");
		what = parse_count(sp + 1, len - (size_t)(sp + 1 - p), &c);
		if (what)
			FAIL(-EINVAL, "%s", what);
		if (sp == p)
			FAIL(-EINVAL, "empty stack");
		if (c.decimals && !decimals)
			FAIL(-EINVAL, "count is not a whole number");
		*sp = '\0';
		/* more decimals than so far: what was read is scaled up to them */
		if (c.decimals > dec) {
			if (calltree_scale(t, util_pow10(c.decimals - dec)))
				FAIL(-EINVAL,
				     "count overflow (the total exceeds 2^64-1 once "
				     "scaled for %u decimals)",
				     c.decimals);
			dec = c.decimals;
		}
		if (count_scaled(&c, dec, &count))
			FAIL(-EINVAL, "count overflow");
		if (root->total_count + count < root->total_count ||
		    root->total_weight + count < root->total_weight)
			FAIL(-EINVAL, "count overflow (the total exceeds 2^64-1)");
		if (!count)
			continue;

		nids = 0;
		for (;;) {
			end = strchr(p, ';');
			if (end)
				*end = '\0';
			if (nids == idcap) {
				size_t ncap = idcap ? idcap * 2 : 64;
				uint32_t *ni = realloc(ids, ncap * sizeof(*ni));

				if (!ni)
					FAIL(-ENOMEM, "out of memory");
				ids = ni;
				idcap = ncap;
			}
			ids[nids] = funcs_intern(f, p, NULL);
			if (!ids[nids])
				FAIL(-ENOMEM, "out of memory");
			nids++;
			if (!end)
				break;
			p = end + 1;
		}
		if (!calltree_add(t, ids, nids, count, count))
			FAIL(-ENOMEM, "out of memory");
	}
#undef FAIL
out:
	if (decimals)
		*decimals = dec;
	free(lr.buf);
	free(ids);
	return ret;
}

int folded_load(const char *path, struct calltree *t, struct funcs *f, unsigned *decimals,
		char *err, size_t errlen)
{
	FILE *in;
	int ret = util_open_input(path, &in, err, errlen);

	if (ret < 0)
		return ret;
	ret = folded_read(in, t, f, decimals, err, errlen);
	if (ret < 0 && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	if (in != stdin)
		fclose(in);
	return ret;
}
