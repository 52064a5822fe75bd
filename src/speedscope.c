/*
 * speedscope.c - speedscope JSON written (see speedscope.h).
 *
 * The stacks are gathered first (fprof_foreach), each with its thread,
 * then sorted by thread (stable: in the order they came) and written one
 * profile per thread.  Frame indexes are given in order of first use.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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
