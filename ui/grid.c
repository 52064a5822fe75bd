/*
 * grid.c - the off-screen cell grid (see grid.h), UTF-8 text in cells, and
 * fitting names into boxes with an ellipsis.
 *
 * Invariant: cells holds exactly w * h cells; every drawing call clips, so
 * no caller can write outside the grid.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "style.h"

/* Decodes one UTF-8 code point at s (s[0] != 0); sets *len to the bytes it
 * took.  An invalid sequence takes one byte and decodes to '?'. */
static uint32_t utf8_next(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	int n, i;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = u[0] & 0x07;
	} else {
		*len = 1;
		return '?';
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = 1;
			return '?';
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	*len = n;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return '?';
	return cp;
}

static int utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

struct grid *grid_new(int w, int h, bool utf8)
{
	struct grid *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->utf8 = utf8;
	if (grid_resize(g, w, h) < 0) {
		free(g);
		return NULL;
	}
	return g;
}

void grid_free(struct grid *g)
{
	if (!g)
		return;
	free(g->cells);
	free(g);
}

int grid_resize(struct grid *g, int w, int h)
{
	struct cell *c;

	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	c = calloc((size_t)w * h + 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	free(g->cells);
	g->cells = c;
	g->w = w;
	g->h = h;
	grid_clear(g);
	return 0;
}

void grid_clear(struct grid *g)
{
	size_t i, n = (size_t)g->w * g->h;

	for (i = 0; i < n; i++)
		g->cells[i] = (struct cell){' ', COL_DEFAULT, 0};
}

struct cell *grid_at(struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * g->w + x];
}

const struct cell *grid_cat(const struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * g->w + x];
}

void grid_fill(struct grid *g, int x, int y, int n, uint32_t ch, uint8_t col, uint8_t attr)
{
	int i;

	if (y < 0 || y >= g->h)
		return;
	for (i = 0; i < n; i++) {
		struct cell *c = grid_at(g, x + i, y);

		if (c)
			*c = (struct cell){ch, col, attr};
	}
}

int grid_put(struct grid *g, int x, int y, int maxw, const char *s, uint8_t col, uint8_t attr)
{
	int n = 0, len;

	while (*s && n < maxw) {
		uint32_t cp = utf8_next(s, &len);
		struct cell *c = grid_at(g, x + n, y);

		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			cp = '?';
		if (c)
			*c = (struct cell){cp, col, attr};
		s += len;
		n++;
	}
	return n;
}

int grid_text_width(const char *s)
{
	int n = 0, len;

	while (*s) {
		utf8_next(s, &len);
		s += len;
		n++;
	}
	return n;
}

/* Byte offset of code point k of s (or of the end). */
static size_t cp_offset(const char *s, int k)
{
	size_t off = 0;
	int len;

	while (k-- > 0 && s[off]) {
		utf8_next(s + off, &len);
		off += len;
	}
	return off;
}

/* Copies at most n bytes of s and a NUL into out, within outlen. */
static size_t copy_bytes(char *out, size_t outlen, size_t pos, const char *s, size_t n)
{
	if (pos >= outlen)
		return pos;
	if (n > outlen - 1 - pos)
		n = outlen - 1 - pos;
	memcpy(out + pos, s, n);
	out[pos + n] = '\0';
	return pos + n;
}

/* Length of name without a trailing parameter list "(...)", or the whole
 * length when there is none (or it starts the name). */
static size_t strip_params(const char *name)
{
	size_t len = strlen(name), i;
	int depth = 0;

	if (len == 0 || name[len - 1] != ')')
		return len;
	for (i = len; i-- > 0;) {
		if (name[i] == ')')
			depth++;
		else if (name[i] == '(' && --depth == 0)
			return i > 0 ? i : len;
	}
	return len;
}

int grid_fit(const char *name, int w, bool utf8, bool keep_end, char *out, size_t outlen)
{
	const char *ell = utf8 ? "\xe2\x80\xa6" : "~";
	int width = grid_text_width(name);
	size_t pos = 0, off;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (w <= 0)
		return 0;
	if (width <= w) {
		copy_bytes(out, outlen, 0, name, strlen(name));
		return width;
	}
	if (w == 1) {
		copy_bytes(out, outlen, 0, name, cp_offset(name, 1));
		return 1;
	}
	if (keep_end) {
		size_t corelen = strip_params(name);
		char core[1024];
		int cw;

		if (corelen >= sizeof(core))
			corelen = sizeof(core) - 1;
		memcpy(core, name, corelen);
		core[corelen] = '\0';
		cw = grid_text_width(core);
		if (cw + 3 <= w && corelen < strlen(name)) {
			pos = copy_bytes(out, outlen, 0, core, corelen);
			pos = copy_bytes(out, outlen, pos, "(", 1);
			pos = copy_bytes(out, outlen, pos, ell, strlen(ell));
			copy_bytes(out, outlen, pos, ")", 1);
			return cw + 3;
		}
		if (cw <= w) {
			copy_bytes(out, outlen, 0, core, corelen);
			return cw;
		}
		/* the last w - 1 code points of core, after the ellipsis; when
		 * a "::" comes early in them, start there ("…::parse_header") */
		off = cp_offset(core, cw - (w - 1));
		{
			const char *sep = strstr(core + off, "::");

			if (sep && sep != core + off &&
			    grid_text_width(core + off) - grid_text_width(sep) <= (w - 1) / 3)
				off = (size_t)(sep - core);
			else if (!sep && core[off] == ':')
				off++; /* cut inside a "::": drop the lone ':' */
		}
		pos = copy_bytes(out, outlen, 0, ell, strlen(ell));
		copy_bytes(out, outlen, pos, core + off, corelen - off);
		return 1 + grid_text_width(core + off);
	}
	off = cp_offset(name, w - 1);
	pos = copy_bytes(out, outlen, 0, name, off);
	copy_bytes(out, outlen, pos, ell, strlen(ell));
	return w;
}

size_t grid_row_text(const struct grid *g, int y, char *buf, size_t len)
{
	size_t pos = 0, end = 0;
	int x;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (y < 0 || y >= g->h)
		return 0;
	for (x = 0; x < g->w; x++) {
		const struct cell *c = grid_cat(g, x, y);
		char tmp[4];
		int n;

		if (c->ch == 0) /* the right half of a wide character */
			continue;
		n = utf8_put(c->ch, tmp);
		if (pos + n >= len)
			break;
		memcpy(buf + pos, tmp, n);
		pos += n;
		if (c->ch != ' ')
			end = pos;
	}
	buf[end] = '\0';
	return end;
}

const char *grid_wrap(const char *s, int w, size_t *len)
{
	size_t off = 0, brk = 0, next = 0;
	int n = 0, l;

	if (w < 1)
		w = 1;
	/* the whole rest fits */
	if (grid_text_width(s) <= w) {
		*len = strlen(s);
		while (*len > 0 && s[*len - 1] == ' ')
			(*len)--;
		return s + strlen(s);
	}
	/* the last blank at which the text before it fits in w cells */
	while (s[off] && n <= w) {
		if (s[off] == ' ' && off > 0) {
			size_t end = off;

			while (end > 0 && s[end - 1] == ' ')
				end--;
			if (end > 0) {
				brk = end;
				next = off;
			}
		}
		utf8_next(s + off, &l);
		off += (size_t)l;
		n++;
	}
	if (brk == 0) {
		/* one token wider than the line: cut it at w cells */
		*len = cp_offset(s, w);
		return s + *len;
	}
	/* " | " at the break goes with it: the next line starts with text */
	while (s[next] == ' ')
		next++;
	if (s[next] == '|' && (s[next + 1] == ' ' || !s[next + 1])) {
		next++;
		while (s[next] == ' ')
			next++;
	} else if (brk >= 1 && s[brk - 1] == '|' && (brk == 1 || s[brk - 2] == ' ')) {
		/* the line would end with a lone "|": drop it too */
		brk--;
		while (brk > 0 && s[brk - 1] == ' ')
			brk--;
		if (brk == 0)
			brk = 1;
	}
	*len = brk;
	return s + next;
}

int grid_put_wrapped(struct grid *g, int x, int y, int w, int indent, int maxrows, const char *s,
		     uint8_t col, uint8_t attr)
{
	char line[4096];
	const char *next;
	size_t len;
	int row = 0, lw, lx;

	if (w < 1)
		return 0;
	if (indent >= w)
		indent = 0;
	while (row < maxrows) {
		lx = row ? indent : 0;
		lw = w - lx;
		next = grid_wrap(s, lw, &len);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, s, len);
		line[len] = '\0';
		if (g) {
			grid_fill(g, x, y + row, w, ' ', col, attr);
			grid_put(g, x + lx, y + row, lw, line, col, attr);
		}
		row++;
		s = next;
		if (!*s)
			break;
	}
	return row;
}
