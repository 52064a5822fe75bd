/*
 * formats.c - choosing a file format, and the stacks every writer reads
 * (see formats.h).
 *
 * A tree's stacks are found by a preorder walk without recursion (stacks
 * are untrusted and may be 100,000 frames deep); the path to the current
 * node is kept in an array indexed by depth.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "formats.h"
#include "ftr.h"
#include "pprof.h"
#include "speedscope.h"
#include "svg.h"
#include "util.h"

static const char *const names[] = {
    [FORMAT_FOLDED] = "folded", [FORMAT_PPROF] = "pprof", [FORMAT_SPEEDSCOPE] = "speedscope",
    [FORMAT_SVG] = "svg",	[FORMAT_FTR] = "ftr",
};

void fprof_init(struct fprof *fp, struct calltree *t, struct funcs *f, struct profile *p)
{
	memset(fp, 0, sizeof(*fp));
	fp->tree = t;
	fp->funcs = f;
	fp->profile = p;
	fp->unit = p ? profile_unit(p) : UNIT_SAMPLES;
	snprintf(fp->measure, sizeof(fp->measure), "%s", p ? profile_measure(p) : "samples");
}

int fprof_foreach(const struct fprof *fp, profile_stack_fn fn, void *arg)
{
	struct ctnode *root = calltree_root(fp->tree), *x;
	uint32_t *path = NULL;
	size_t cap = 0;
	int ret = 0;

	if (fp->profile)
		return profile_foreach(fp->profile, fn, arg);
	if (root->self_weight || root->self_count)
		ret = fn(arg, NULL, 0, NULL, root->self_weight, root->self_count);
	for (x = root->child; x && !ret;) {
		if (x->depth > cap) {
			size_t ncap = cap ? cap * 2 : 64;
			uint32_t *np;

			while (ncap < x->depth)
				ncap *= 2;
			np = realloc(path, ncap * sizeof(*np));
			if (!np) {
				ret = -ENOMEM;
				break;
			}
			path = np;
			cap = ncap;
		}
		path[x->depth - 1] = x->func;
		if (x->self_weight || x->self_count)
			ret = fn(arg, path, x->depth, NULL, x->self_weight, x->self_count);
		if (x->child) {
			x = x->child;
			continue;
		}
		while (x != root && !x->next)
			x = x->parent;
		x = x == root ? NULL : x->next;
	}
	free(path);
	return ret;
}

enum format format_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return (enum format)i;
	return FORMAT_NONE;
}

const char *format_name(enum format fmt)
{
	if (fmt < 0 || (size_t)fmt >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[fmt];
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcasecmp(s + n - k, suffix);
}

enum format format_from_name(const char *path)
{
	if (!path)
		return FORMAT_FOLDED;
	if (ends_with(path, ".pb.gz") || ends_with(path, ".pprof"))
		return FORMAT_PPROF;
	if (ends_with(path, ".speedscope.json"))
		return FORMAT_SPEEDSCOPE;
	if (ends_with(path, ".svg"))
		return FORMAT_SVG;
	if (ends_with(path, ".ftr"))
		return FORMAT_FTR;
	return FORMAT_FOLDED;
}

const char *format_default_name(enum format fmt)
{
	switch (fmt) {
	case FORMAT_PPROF:
		return "flametop.pb.gz";
	case FORMAT_SPEEDSCOPE:
		return "flametop.speedscope.json";
	case FORMAT_SVG:
		return "flametop.svg";
	case FORMAT_FTR:
		return "flametop.ftr";
	default:
		return "flametop.folded";
	}
}

int format_write(enum format fmt, FILE *out, const struct fprof *fp, const char *title)
{
	switch (fmt) {
	case FORMAT_FOLDED:
		return folded_write(out, fp->tree, fp->funcs, FOLDED_COUNT, fp->decimals);
	case FORMAT_PPROF:
		return pprof_write(out, fp);
	case FORMAT_SPEEDSCOPE:
		return speedscope_write(out, fp, title);
	case FORMAT_SVG:
		return svg_write(out, fp, title);
	default:
		return -EINVAL; /* a recording is streamed (ftr.h) */
	}
}

/* A recording summed into fp's tree (its samples' stacks and weights). */
static int ftr_load_tree(FILE *in, struct fprof *fp, char *err, size_t errlen)
{
	struct ftr *r;
	int ret = ftr_read(in, fp->funcs, &r, err, errlen);

	if (ret < 0)
		return ret;
	/* a truncation is a note: what was read is good */
	snprintf(fp->note, sizeof(fp->note), "%s", err);
	err[0] = '\0';
	fp->unit = profile_unit(ftr_profile(r));
	snprintf(fp->measure, sizeof(fp->measure), "%s", profile_measure(ftr_profile(r)));
	ret = calltree_copy(fp->tree, profile_tree(ftr_profile(r)));
	ftr_free(r);
	return ret;
}

int format_load(const char *path, enum format fmt, struct fprof *fp, char *err, size_t errlen)
{
	FILE *in;
	int ret, c;

	err[0] = '\0';
	fp->note[0] = '\0';
	fp->decimals = 0;
	ret = util_open_input(path, &in, err, errlen);
	if (ret < 0)
		return ret;
	if (fmt == FORMAT_NONE) {
		/* a gzip stream is pprof; so is a file named so (to say it
		 * is not gzipped rather than which line is not folded) */
		c = getc(in);
		if (c != EOF)
			ungetc(c, in);
		fmt = c == 0x1f || format_from_name(path) == FORMAT_PPROF	  ? FORMAT_PPROF
		      : c == FTR_MAGIC[0] || format_from_name(path) == FORMAT_FTR ? FORMAT_FTR
		      : c == '{' || format_from_name(path) == FORMAT_SPEEDSCOPE ? FORMAT_SPEEDSCOPE
										: FORMAT_FOLDED;
	}
	if (fmt == FORMAT_FTR) {
		ret = ftr_load_tree(in, fp, err, errlen);
	} else if (fmt == FORMAT_PPROF) {
		ret = pprof_read(in, fp, err, errlen);
	} else if (fmt == FORMAT_SPEEDSCOPE) {
		ret = speedscope_read(in, fp, err, errlen);
	} else if (fmt == FORMAT_FOLDED) {
		fp->unit = UNIT_SAMPLES;
		snprintf(fp->measure, sizeof(fp->measure), "samples");
		ret = folded_read(in, fp->tree, fp->funcs, &fp->decimals, err, errlen);
	} else {
		ret = -EINVAL;
		snprintf(err, errlen,
			 "%s files cannot be read (readable: folded, pprof, speedscope, ftr)",
			 format_name(fmt));
	}
	if (ret < 0 && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	if (in != stdin)
		fclose(in);
	return ret;
}

bool format_is_recording(const char *path)
{
	unsigned char head[4];
	FILE *in;
	size_t n;

	if (!strcmp(path, "-") || !(in = fopen(path, "re")))
		return false;
	n = fread(head, 1, sizeof(head), in);
	fclose(in);
	return ftr_probe(head, n);
}

/* The length of the UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, surrogates or values past U+10FFFF */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

void format_json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', out);
	while (*p) {
		size_t n = utf8_len(p);

		if (!n) {
			fputs("\\ufffd", out);
			p++;
		} else if (*p == '"' || *p == '\\') {
			putc('\\', out);
			putc(*p++, out);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	putc('"', out);
}

void format_xml_text(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, total = 0;

	for (const unsigned char *q = p; *q; total++) {
		size_t n = utf8_len(q);

		q += n ? n : 1;
	}
	if (total > max)
		max = max >= 2 ? max - 2 : 0;
	while (*p && chars < max) {
		size_t n = utf8_len(p);

		chars++;
		if (!n) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			if (*p < 0x20)
				putc('?', out);
			else
				fwrite(p, 1, n, out);
		}
		p += n;
	}
	if (total > chars && *p)
		fputs("..", out);
}
