/*
 * speedscope.c - speedscope JSON written and read (see speedscope.h).
 *
 * The stacks are gathered first (fprof_foreach), each with its thread,
 * then sorted by thread (stable: in the order they came) and written one
 * profile per thread.  Frame indexes are given in order of first use.
 *
 * The reader parses the whole file (json.h), interns the shared frames,
 * then adds every profile's stacks to the tree; every index, weight and
 * event is checked, and a stack is at most SPEEDSCOPE_STACK_MAX frames.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "speedscope.h"

struct sstack {
	int32_t tid;
	size_t seq, off, n; /* frames[off, off + n): frame indexes, root first */
	uint64_t weight;
};

struct gather {
	const struct fprof *fp;
	struct sstack *st;
	size_t nst, capst;
	uint32_t *frames;
	size_t nframes, capframes;
	uint32_t *index_of; /* funcs id -> frame index + 1 */
	uint32_t *order;    /* frame index -> funcs id */
	uint32_t norder;
};

static int more(void **v, size_t *cap, size_t n, size_t k, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *nv;

	if (n + k <= *cap)
		return 0;
	while (ncap < n + k)
		ncap *= 2;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static int gather_stack(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
			uint64_t value, uint64_t count)
{
	struct gather *g = arg;
	uint64_t w = g->fp->unit == UNIT_SAMPLES ? count : value;

	if (!w)
		return 0;
	if (more((void **)&g->st, &g->capst, g->nst, 1, sizeof(*g->st)) ||
	    more((void **)&g->frames, &g->capframes, g->nframes, n, sizeof(*g->frames)))
		return -ENOMEM;
	g->st[g->nst] = (struct sstack){ctx ? ctx->tid : 0, g->nst, g->nframes, n, w};
	g->nst++;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f = funcs[i];

		if (!g->index_of[f]) {
			g->order[g->norder] = f;
			g->index_of[f] = ++g->norder;
		}
		g->frames[g->nframes++] = g->index_of[f] - 1;
	}
	return 0;
}

static int by_thread(const void *a, const void *b)
{
	const struct sstack *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *unit_word(enum unit u)
{
	return u == UNIT_NS ? "nanoseconds" : u == UNIT_BYTES ? "bytes" : "none";
}

/* The name of thread tid's profile: "TID NAME" or "thread TID". */
static void thread_title(const struct fprof *fp, int32_t tid, const char *title, char *buf,
			 size_t len)
{
	size_t n = 0;
	const struct profile_thread *th = fp->profile ? profile_threads(fp->profile, &n) : NULL;

	if (!tid) {
		snprintf(buf, len, "%s", title);
		return;
	}
	snprintf(buf, len, "thread %d", tid);
	for (size_t i = 0; i < n; i++)
		if (th[i].tid == tid && th[i].name[0])
			snprintf(buf, len, "%d %s", tid, th[i].name);
}

int speedscope_write(FILE *out, const struct fprof *fp, const char *title)
{
	struct gather g = {.fp = fp};
	uint32_t nf = funcs_count(fp->funcs) + 1;
	char name[128];
	int ret;

	if (!title)
		title = "flametop";
	g.index_of = calloc(nf, sizeof(*g.index_of));
	g.order = calloc(nf, sizeof(*g.order));
	if (!g.index_of || !g.order) {
		ret = -ENOMEM;
		goto out;
	}
	ret = fprof_foreach(fp, gather_stack, &g);
	if (ret)
		goto out;
	if (g.nst)
		qsort(g.st, g.nst, sizeof(*g.st), by_thread);

	errno = 0;
	fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",", out);
	fprintf(out, "\"exporter\":\"flametop %s\",\"name\":", PACKAGE_VERSION);
	format_json_string(out, title);
	fputs(",\"activeProfileIndex\":0,\"shared\":{\"frames\":[", out);
	for (uint32_t i = 0; i < g.norder; i++) {
		const char *mod = funcs_module(fp->funcs, g.order[i]);

		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		format_json_string(out, funcs_name(fp->funcs, g.order[i]));
		if (mod[0]) {
			fputs(",\"file\":", out);
			format_json_string(out, mod);
		}
		putc('}', out);
	}
	fputs("]},\"profiles\":[", out);
	for (size_t i = 0, end; i < g.nst; i = end) {
		uint64_t total = 0;

		for (end = i; end < g.nst && g.st[end].tid == g.st[i].tid; end++)
			total += g.st[end].weight;
		thread_title(fp, g.st[i].tid, title, name, sizeof(name));
		fputs(i ? ",{\"type\":\"sampled\",\"name\":" : "{\"type\":\"sampled\",\"name\":",
		      out);
		format_json_string(out, name);
		fprintf(out,
			",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%" PRIu64 ",\"samples\":[",
			unit_word(fp->unit), total);
		for (size_t k = i; k < end; k++) {
			fputs(k > i ? ",[" : "[", out);
			for (size_t j = 0; j < g.st[k].n; j++)
				fprintf(out, j ? ",%" PRIu32 : "%" PRIu32,
					g.frames[g.st[k].off + j]);
			putc(']', out);
		}
		fputs("],\"weights\":[", out);
		for (size_t k = i; k < end; k++)
			fprintf(out, k > i ? ",%" PRIu64 : "%" PRIu64, g.st[k].weight);
		fputs("]}", out);
	}
	fputs("]}\n", out);
	if (fflush(out) || ferror(out))
		ret = errno ? -errno : -EIO;
out:
	free(g.st);
	free(g.frames);
	free(g.index_of);
	free(g.order);
	return ret;
}

/* --- reading ------------------------------------------------------------- */

struct sread {
	const struct json *j;
	struct fprof *fp;
	uint32_t *ids; /* frame index -> funcs id */
	size_t nids;
	uint32_t *stack;
	size_t capstack;
	double factor; /* weight in the file's unit -> ours */
	bool counted;  /* unit none: a sample counts its weight */
	char *err;
	size_t errlen;
};

static int sread_fail(struct sread *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sread_fail(struct sread *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The unit named u: sets fp->unit, r->factor; false when unknown. */
static bool sread_unit(struct sread *r, const char *u)
{
	static const struct {
		const char *name;
		enum unit unit;
		double factor;
	} units[] = {
	    {"nanoseconds", UNIT_NS, 1},    {"microseconds", UNIT_NS, 1e3},
	    {"milliseconds", UNIT_NS, 1e6}, {"seconds", UNIT_NS, 1e9},
	    {"bytes", UNIT_BYTES, 1},	    {"none", UNIT_SAMPLES, 1},
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(u, units[i].name))
			continue;
		r->fp->unit = units[i].unit;
		r->factor = units[i].factor;
		r->counted = units[i].unit == UNIT_SAMPLES;
		snprintf(r->fp->measure, sizeof(r->fp->measure), "%s",
			 units[i].unit == UNIT_NS      ? "time"
			 : units[i].unit == UNIT_BYTES ? "bytes"
						       : "samples");
		return true;
	}
	return false;
}

/* Adds the stack stack[0, n) weighed w (in the file's unit). */
static int sread_add(struct sread *r, size_t n, double w, const char *what, size_t k)
{
	double v = w * r->factor;
	uint64_t weight, count;
	struct ctnode *root = calltree_root(r->fp->tree);

	if (!(v >= 0) || v > 9.2e18)
		return sread_fail(r, "%s %zu: weight out of range", what, k + 1);
	weight = (uint64_t)(v + 0.5);
	count = r->counted ? weight : 1;
	if (root->total_weight + weight < root->total_weight ||
	    root->total_count + count < root->total_count)
		return sread_fail(r, "%s %zu: the total exceeds 2^64-1", what, k + 1);
	if ((weight || count) && !calltree_add(r->fp->tree, r->stack, n, weight, count))
		return -ENOMEM;
	return 0;
}

/* The funcs id of frame index v (a number), or 0 after sread_fail. */
static uint32_t sread_frame(struct sread *r, const struct json_value *v, const char *what, size_t k)
{
	if (!v || v->type != JSON_NUMBER || !(v->num >= 0) || v->num >= (double)r->nids ||
	    v->num != (double)(size_t)v->num) {
		sread_fail(r, "%s %zu: not a frame index", what, k + 1);
		return 0;
	}
	return r->ids[(size_t)v->num];
}

static int sread_push(struct sread *r, size_t n, uint32_t id)
{
	if (n >= SPEEDSCOPE_STACK_MAX)
		return -E2BIG;
	if (more((void **)&r->stack, &r->capstack, n, 1, sizeof(*r->stack)))
		return -ENOMEM;
	r->stack[n] = id;
	return 0;
}

static int sread_sampled(struct sread *r, const struct json_value *p)
{
	const struct json *j = r->j;
	const struct json_value *samples = json_get(j, p, "samples"),
				*weights = json_get(j, p, "weights"), *s, *w, *f;
	size_t k = 0;
	int ret;

	if (!samples || samples->type != JSON_ARRAY)
		return sread_fail(r, "a sampled profile without samples");
	if (weights && (weights->type != JSON_ARRAY || weights->n != samples->n))
		return sread_fail(r, "%u samples but not as many weights", samples->n);
	w = json_first(j, weights);
	for (s = json_first(j, samples); s; s = json_next(j, s), w = json_next(j, w), k++) {
		size_t n = 0;

		if (s->type != JSON_ARRAY)
			return sread_fail(r, "sample %zu: not a list of frames", k + 1);
		if (w && w->type != JSON_NUMBER)
			return sread_fail(r, "weight %zu: not a number", k + 1);
		for (f = json_first(j, s); f; f = json_next(j, f)) {
			uint32_t id = sread_frame(r, f, "sample", k);

			if (!id)
				return -EINVAL;
			if ((ret = sread_push(r, n++, id)))
				return ret == -E2BIG ? sread_fail(r, "sample %zu: too deep", k + 1)
						     : ret;
		}
		if ((ret = sread_add(r, n, w ? w->num : 1, "sample", k)))
			return ret;
	}
	return 0;
}

/* An evented profile: the time between two events weighs the stack open
 * then. */
static int sread_evented(struct sread *r, const struct json_value *p)
{
	const struct json *j = r->j;
	const struct json_value *events = json_get(j, p, "events"), *e,
				*start = json_get(j, p, "startValue");
	double last = start && start->type == JSON_NUMBER ? start->num : 0;
	size_t n = 0, k = 0;
	int ret;

	if (!events || events->type != JSON_ARRAY)
		return sread_fail(r, "an evented profile without events");
	r->counted = false;
	for (e = json_first(j, events); e; e = json_next(j, e), k++) {
		const char *type = json_string(j, json_get(j, e, "type"));
		const struct json_value *at = json_get(j, e, "at");
		uint32_t id = sread_frame(r, json_get(j, e, "frame"), "event", k);

		if (!id)
			return -EINVAL;
		if (!type || (strcmp(type, "O") && strcmp(type, "C")) || !at ||
		    at->type != JSON_NUMBER)
			return sread_fail(r, "event %zu: not an open or close event", k + 1);
		if (at->num < last)
			return sread_fail(r, "event %zu: goes back in time", k + 1);
		if (n && (ret = sread_add(r, n, at->num - last, "event", k)))
			return ret;
		last = at->num;
		if (type[0] == 'O') {
			if ((ret = sread_push(r, n++, id)))
				return ret == -E2BIG ? sread_fail(r, "event %zu: too deep", k + 1)
						     : ret;
		} else if (!n || r->stack[n - 1] != id) {
			return sread_fail(r, "event %zu: closes a frame that is not open", k + 1);
		} else {
			n--;
		}
	}
	return 0;
}

static int sread_frames(struct sread *r, const struct json_value *frames)
{
	const struct json *j = r->j;
	const struct json_value *f;
	size_t k = 0;

	r->ids = malloc((frames->n ? frames->n : 1) * sizeof(*r->ids));
	if (!r->ids)
		return -ENOMEM;
	for (f = json_first(j, frames); f; f = json_next(j, f), k++) {
		const char *name = json_string(j, json_get(j, f, "name")),
			   *file = json_string(j, json_get(j, f, "file"));
		const struct json_value *line = json_get(j, f, "line");

		if (!name)
			return sread_fail(r, "frame %zu: no name", k + 1);
		r->ids[k] = funcs_intern(r->fp->funcs, name, file);
		if (!r->ids[k])
			return -ENOMEM;
		if (file && line && line->type == JSON_NUMBER && line->num >= 1 &&
		    line->num <= INT32_MAX &&
		    funcs_set_source(r->fp->funcs, r->ids[k], file, (int)line->num))
			return -ENOMEM;
	}
	r->nids = k;
	return 0;
}

int speedscope_read(FILE *in, struct fprof *fp, char *err, size_t errlen)
{
	struct sread r = {.fp = fp, .err = err, .errlen = errlen};
	const struct json_value *root, *frames, *profiles, *p;
	struct json *j = NULL;
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	const char *unit = NULL;
	int ret = 0;

	err[0] = '\0';
	do {
		if (len >= SPEEDSCOPE_MAX_SIZE) {
			snprintf(err, errlen, "larger than %u MiB", SPEEDSCOPE_MAX_SIZE >> 20);
			free(text);
			return -EFBIG;
		}
		if (more((void **)&text, &cap, len, 65536, 1)) {
			free(text);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		errno = 0;
		got = fread(text + len, 1, cap - len, in);
		len += got;
	} while (got && !ferror(in));
	if (ferror(in)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, errlen, "%s", strerror(-ret));
		free(text);
		return ret;
	}
	ret = json_parse(text, len, &j, err, errlen);
	free(text);
	if (ret) {
		if (ret == -EINVAL) {
			char why[160];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "not JSON (%s)", why);
		}
		return ret;
	}
	r.j = j;
	root = json_root(j);
	frames = json_get(j, json_get(j, root, "shared"), "frames");
	profiles = json_get(j, root, "profiles");
	if (!frames || frames->type != JSON_ARRAY || !profiles || profiles->type != JSON_ARRAY) {
		ret = sread_fail(&r, "not a speedscope profile (no shared frames or no profiles)");
		goto out;
	}
	ret = sread_frames(&r, frames);
	for (p = json_first(j, profiles); !ret && p; p = json_next(j, p)) {
		const char *type = json_string(j, json_get(j, p, "type"));
		const char *u = json_string(j, json_get(j, p, "unit"));

		if (!u || !sread_unit(&r, u)) {
			ret = sread_fail(&r, "a profile of unknown unit '%s'", u ? u : "");
			break;
		}
		if (unit && strcmp(unit, u)) {
			ret = sread_fail(&r, "profiles in different units (%s, %s)", unit, u);
			break;
		}
		unit = u;
		if (type && !strcmp(type, "sampled"))
			ret = sread_sampled(&r, p);
		else if (type && !strcmp(type, "evented"))
			ret = sread_evented(&r, p);
		else
			ret = sread_fail(&r, "a profile of unknown type '%s'", type ? type : "");
	}
	if (!ret && !unit) { /* no profiles: no samples */
		fp->unit = UNIT_SAMPLES;
		snprintf(fp->measure, sizeof(fp->measure), "samples");
	}
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(r.ids);
	free(r.stack);
	json_free(j);
	return ret;
}
