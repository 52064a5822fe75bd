/*
 * svg.c - SVG flame graphs written (see svg.h).
 *
 * Two walks over the tree, neither recursive: the first finds the depth
 * of the deepest frame wide enough to draw (the image's height), the
 * second draws each such frame, children laid out left to right in name
 * order from their parent's left edge.  Each frame is a <g> with its
 * offset, width (in the profile's values) and depth as data attributes,
 * which the inline script reads to zoom without the server's help.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "util.h"

#define FRAME_H 16
#define FONT_SIZE 12
#define FONT_W 0.59
#define XPAD 10
#define YPAD1 (FONT_SIZE * 3)
#define YPAD2 (FONT_SIZE * 2 + 10)

struct pending {
	const struct ctnode *node;
	uint64_t x; /* offset from the left, in values */
};

static int by_name(const void *a, const void *b, void *arg)
{
	const struct funcs *f = arg;
	const struct ctnode *x = *(const struct ctnode *const *)a,
			    *y = *(const struct ctnode *const *)b;
	int c = strcmp(funcs_name(f, x->func), funcs_name(f, y->func));

	return c ? c : (x->func > y->func) - (x->func < y->func);
}

static uint64_t value_of(const struct fprof *fp, const struct ctnode *n)
{
	return fp->unit == UNIT_SAMPLES ? n->total_count : n->total_weight;
}

/* Three numbers in [0, 1) from name, stable across runs. */
static void name_hash(const char *name, double v[3])
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	for (int i = 0; i < 3; i++) {
		v[i] = (double)(h & 0xffff) / 65536.0;
		h >>= 21;
	}
}

static void frame_colour(const struct fprof *fp, uint32_t func, char *buf, size_t len)
{
	const char *name = funcs_name(fp->funcs, func), *mod = funcs_module(fp->funcs, func);
	size_t n = strlen(name);
	double v[3];

	name_hash(name, v);
	if (func == 0 || (name[0] == '[' && name[n ? n - 1 : 0] == ']'))
		snprintf(buf, len, "rgb(%d,%d,%d)", 160 + (int)(40 * v[0]), 160 + (int)(40 * v[0]),
			 170 + (int)(40 * v[0])); /* all, [thread 12 x], [unknown] */
	else if ((n > 4 && !strcmp(name + n - 4, "_[k]")) || strstr(mod, "kernel") ||
		 !strcmp(mod, "[kernel.kallsyms]"))
		snprintf(buf, len, "rgb(%d,%d,0)", 190 + (int)(65 * v[0]), 90 + (int)(65 * v[0]));
	else if (!strcmp(mod, "[jit]") || (n > 6 && !strcmp(name + n - 6, "_[j]")))
		snprintf(buf, len, "rgb(0,%d,%d)", 190 + (int)(65 * v[1]), 190 + (int)(65 * v[1]));
	else /* FlameGraph's "hot" */
		snprintf(buf, len, "rgb(%d,%d,%d)", 205 + (int)(50 * v[2]), (int)(230 * v[0]),
			 (int)(55 * v[1]));
}

static const char script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "'use strict';\n"
    "var W = 0, X0 = 0, ZX = 0, ZW = 0, ZD = 0, frames = [], details, matchedtxt, unit, total;\n"
    "function init(evt) {\n"
    "  var svg = document.documentElement;\n"
    "  W = +svg.getAttribute('data-plotw'); X0 = +svg.getAttribute('data-xpad');\n"
    "  total = +svg.getAttribute('data-total'); ZW = total;\n"
    "  details = document.getElementById('details');\n"
    "  matchedtxt = document.getElementById('matched');\n"
    "  frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
    "  frames.forEach(function (g) {\n"
    "    g.fx = +g.getAttribute('data-x'); g.fw = +g.getAttribute('data-w');\n"
    "    g.fd = +g.getAttribute('data-d');\n"
    "    g.fname = g.getAttribute('data-name');\n"
    "    g.addEventListener('click', function () { zoom(g); });\n"
    "    g.addEventListener('mouseover', function () {\n"
    "      details.textContent = g.querySelector('title').textContent; });\n"
    "    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
    "  });\n"
    "  document.getElementById('unzoom').addEventListener('click', function () { zoom(null); });\n"
    "  document.getElementById('search').addEventListener('click', search);\n"
    "  window.addEventListener('keydown', function (e) {\n"
    "    if (e.keyCode === 114 || (e.ctrlKey && e.keyCode === 70)) { e.preventDefault(); search(); "
    "}\n"
    "  });\n"
    "}\n"
    "function fit(g, w) {\n"
    "  var t = g.querySelector('text'), n = Math.floor(w / ("
    "12 * 0.59"
    "));\n"
    "  t.textContent = n < 3 ? '' : g.fname.length <= n ? g.fname : g.fname.slice(0, n - 2) + "
    "'..';\n"
    "}\n"
    "function place(g, x, w, faded) {\n"
    "  var r = g.querySelector('rect'), t = g.querySelector('text');\n"
    "  g.style.display = w < 0.1 ? 'none' : '';\n"
    "  r.setAttribute('x', x); r.setAttribute('width', w);\n"
    "  t.setAttribute('x', x + 3); g.style.opacity = faded ? 0.5 : 1; fit(g, w);\n"
    "}\n"
    "function zoom(z) {\n"
    "  if (!z || z.fd === 0) { ZX = 0; ZW = total; ZD = 0; }\n"
    "  else { ZX = z.fx; ZW = z.fw; ZD = z.fd; }\n"
    "  document.getElementById('unzoom').style.opacity = ZD ? 1 : 0;\n"
    "  frames.forEach(function (g) {\n"
    "    if (g.fd < ZD) {\n"
    "      if (g.fx <= ZX && g.fx + g.fw >= ZX + ZW) place(g, X0, W, true);\n"
    "      else g.style.display = 'none';\n"
    "    } else if (g.fx >= ZX && g.fx + g.fw <= ZX + ZW) {\n"
    "      place(g, X0 + (g.fx - ZX) * W / ZW, g.fw * W / ZW, false);\n"
    "    } else g.style.display = 'none';\n"
    "  });\n"
    "}\n"
    "function search() {\n"
    "  var term = prompt('Search (a regular expression):', '');\n"
    "  var re, spans = [], sum = 0, end = -1;\n"
    "  if (term === null) return;\n"
    "  try { re = new RegExp(term); } catch (e) { alert(e); return; }\n"
    "  frames.forEach(function (g) {\n"
    "    var r = g.querySelector('rect'), hit = term !== '' && re.test(g.fname);\n"
    "    if (!r.hasAttribute('data-fill')) r.setAttribute('data-fill', r.getAttribute('fill'));\n"
    "    r.setAttribute('fill', hit ? 'rgb(230,0,230)' : r.getAttribute('data-fill'));\n"
    "    if (hit) spans.push(g);\n"
    "  });\n"
    "  spans.sort(function (a, b) { return a.fx - b.fx || b.fw - a.fw; });\n"
    "  spans.forEach(function (g) {\n"
    "    if (g.fx >= end) { sum += g.fw; end = g.fx + g.fw; }\n"
    "    else if (g.fx + g.fw > end) { sum += g.fx + g.fw - end; end = g.fx + g.fw; }\n"
    "  });\n"
    "  matchedtxt.textContent = term === '' ? ' ' :\n"
    "    'Matched: ' + (100 * sum / total).toFixed(1) + '%';\n"
    "}\n"
    "]]></script>\n";

/* The deepest depth of a frame wide enough to draw. */
static uint32_t max_depth(const struct fprof *fp, struct ctnode *root, double per_value)
{
	uint32_t deepest = 0;

	for (struct ctnode *x = root->child; x;) {
		bool wide = value_of(fp, x) * per_value >= SVG_MIN_WIDTH;

		if (wide && x->depth > deepest)
			deepest = x->depth;
		if (wide && x->child) {
			x = x->child;
			continue;
		}
		while (x != root && !x->next)
			x = x->parent;
		x = x == root ? NULL : x->next;
	}
	return deepest;
}

static void draw_frame(FILE *out, const struct fprof *fp, const struct ctnode *n, uint64_t x,
		       uint64_t total, double per_value, int height)
{
	uint64_t v = value_of(fp, n);
	double px = XPAD + x * per_value, w = v * per_value;
	int y = height - YPAD2 - (int)(n->depth + 1) * FRAME_H;
	const char *name = n->depth ? funcs_name(fp->funcs, n->func) : "all";
	const char *mod = n->depth ? funcs_module(fp->funcs, n->func) : "";
	char colour[48], value[64];
	size_t fit = (size_t)(w / (FONT_SIZE * FONT_W));

	if (!name[0])
		name = "[unknown]";
	frame_colour(fp, n->depth ? n->func : 0, colour, sizeof(colour));
	unit_format(fp->unit, v, value, sizeof(value));
	fprintf(out,
		"<g class=\"f\" data-x=\"%" PRIu64 "\" data-w=\"%" PRIu64 "\" data-d=\"%u\" "
		"data-name=\"",
		x, v, n->depth);
	format_xml_text(out, name, SIZE_MAX);
	fputs("\"><title>", out);
	format_xml_text(out, name, SIZE_MAX);
	if (mod[0]) {
		fputs(" [", out);
		format_xml_text(out, util_base_name(mod), SIZE_MAX);
		putc(']', out);
	}
	fprintf(out, " (%s, %.2f%%)</title>", value, util_pct(v, total));
	fprintf(out,
		"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" rx=\"2\" "
		"ry=\"2\"/><text x=\"%.1f\" y=\"%.1f\">",
		px, y, w, FRAME_H - 1, colour, px + 3, y + FRAME_H - 4.5);
	if (fit >= 3)
		format_xml_text(out, name, fit);
	fputs("</text></g>\n", out);
}

int svg_write(FILE *out, const struct fprof *fp, const char *title)
{
	struct ctnode *root = calltree_root(fp->tree);
	uint64_t total = value_of(fp, root);
	double plotw = SVG_WIDTH - 2 * XPAD, per_value = total ? plotw / (double)total : 0;
	uint32_t deepest = total ? max_depth(fp, root, per_value) : 0;
	int height = (int)(deepest + 1) * FRAME_H + YPAD1 + YPAD2;
	struct pending *stack = NULL;
	const struct ctnode **kids = NULL;
	size_t n = 0, cap = 0, kcap = 0;
	int ret = 0;

	if (!title)
		title = "Flame Graph";
	errno = 0;
	fprintf(out,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"onload=\"init(evt)\" xmlns=\"http://www.w3.org/2000/svg\" "
		"data-plotw=\"%.0f\" data-xpad=\"%d\" data-total=\"%" PRIu64 "\">\n"
		"<!-- Flame graph written by flametop %s; the layout and colours of "
		"Brendan Gregg's FlameGraph -->\n"
		"<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
		"<stop stop-color=\"#eeeeee\" offset=\"5%%\"/>"
		"<stop stop-color=\"#eeeeb0\" offset=\"95%%\"/></linearGradient></defs>\n"
		"<style type=\"text/css\">text { font-family: Verdana, sans-serif; "
		"font-size: %dpx; fill: rgb(0,0,0); } g.f:hover { stroke: black; stroke-width: "
		"0.5; cursor: pointer; } #title { text-anchor: middle; font-size: 17px; } "
		"#search, #unzoom { cursor: pointer; }</style>\n",
		SVG_WIDTH, height, SVG_WIDTH, height, plotw, XPAD, total, PACKAGE_VERSION,
		FONT_SIZE);
	fputs(script, out);
	fprintf(out,
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#background)\"/>\n"
		"<text id=\"title\" x=\"%d\" y=\"24\">",
		SVG_WIDTH, height, SVG_WIDTH / 2);
	format_xml_text(out, title, SIZE_MAX);
	fprintf(out,
		"</text>\n<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n"
		"<text id=\"unzoom\" x=\"%d\" y=\"24\" style=\"opacity: 0\">Reset Zoom</text>\n"
		"<text id=\"search\" x=\"%d\" y=\"24\">Search</text>\n"
		"<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n",
		XPAD, height - YPAD2 / 2, XPAD, SVG_WIDTH - XPAD - 60, SVG_WIDTH - XPAD - 120,
		height - YPAD2 / 2);

	if (total) {
		if (!(stack = malloc(64 * sizeof(*stack)))) {
			ret = -ENOMEM;
			goto out;
		}
		cap = 64;
		stack[n++] = (struct pending){root, 0};
	}
	while (n) {
		struct pending p = stack[--n];
		size_t k = 0;
		uint64_t x = p.x;

		draw_frame(out, fp, p.node, p.x, total, per_value, height);
		for (const struct ctnode *c = p.node->child; c; c = c->next) {
			if (value_of(fp, c) * per_value < SVG_MIN_WIDTH)
				continue;
			if (k == kcap) {
				size_t nc = kcap ? kcap * 2 : 64;
				const struct ctnode **nk = realloc(kids, nc * sizeof(*nk));

				if (!nk) {
					ret = -ENOMEM;
					goto out;
				}
				kids = nk;
				kcap = nc;
			}
			kids[k++] = c;
		}
		if (k > 1)
			qsort_r(kids, k, sizeof(*kids), by_name, fp->funcs);
		if (n + k > cap) {
			size_t nc = cap * 2;
			struct pending *ns;

			while (nc < n + k)
				nc *= 2;
			ns = realloc(stack, nc * sizeof(*ns));
			if (!ns) {
				ret = -ENOMEM;
				goto out;
			}
			stack = ns;
			cap = nc;
		}
		for (size_t i = 0; i < k; i++) {
			/* children start at the parent's left edge, in name order */
			stack[n++] = (struct pending){kids[i], x};
			x += value_of(fp, kids[i]);
		}
	}
	fputs("</svg>\n", out);
	if (fflush(out) || ferror(out))
		ret = errno ? -errno : -EIO;
out:
	free(stack);
	free(kids);
	return ret;
}
