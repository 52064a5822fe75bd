/*
 * gclog.c - following a target's garbage collections for the headless
 * commands: gctrace, record --gc-log and report --gc.
 *
 * A gclog is a view of the target's segment of its own (its own reader
 * position in the event ring, independent of the live source's), which
 * stays readable after the runtime unlinks the name at exit.  Each GC
 * record is decoded into a GC timeline and, when an output is given,
 * printed as one gctrace line at once (flushed: a pipe reader sees each
 * collection as it ends).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "funcs.h"
#include "gctimeline.h"
#include "segment.h"
#include "symbols.h"
#include "util.h"

#define GCLOG_POLL_MAX 4096 /* records per poll at most */

struct gclog {
	struct segment *seg;
	struct gctimeline *t;
	FILE *out;	   /* NULL: no lines */
	uint64_t since_ns; /* collections ending before this are skipped */
	uint64_t skipped;  /* ... how many */
	bool write_failed;
	/* gclog_stacks: each line followed by its trigger stack */
	struct funcs *funcs;
	struct symbols *sym;
	uint64_t modules_gen;
};

static int on_record(void *arg, const struct ft_rec_hdr *rec, uint32_t len);

struct gclog *gclog_open(pid_t pid, FILE *out, bool from_now, char *err, size_t errlen)
{
	struct gclog *g = calloc(1, sizeof(*g));

	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->seg = segment_open_pid(pid, err, errlen);
	if (!g->seg) {
		free(g);
		return NULL;
	}
	g->t = gctimeline_new(segment_header(g->seg)->start_mono_ns);
	if (!g->t) {
		snprintf(err, errlen, "out of memory");
		gclog_free(g);
		return NULL;
	}
	g->out = out;
	g->since_ns = from_now ? util_mono_ns() : 0;
	if (segment_on(g->seg, FT_REC_GC, on_record, g) < 0) {
		snprintf(err, errlen, "out of memory");
		gclog_free(g);
		return NULL;
	}
	return g;
}

void gclog_free(struct gclog *g)
{
	if (!g)
		return;
	gctimeline_free(g->t);
	symbols_free(g->sym);
	funcs_free(g->funcs);
	segment_free(g->seg);
	free(g);
}

int gclog_stacks(struct gclog *g)
{
	g->funcs = funcs_new();
	g->sym = g->funcs ? symbols_new(g->funcs) : NULL;
	g->modules_gen = UINT64_MAX;
	return g->sym ? 0 : -ENOMEM;
}

/* registers the target's modules with the symbolizer when they changed */
static void sync_modules(struct gclog *g)
{
	const struct ft_header *h = segment_header(g->seg);
	struct ft_module mods[256];
	size_t n;

	if (h->modules_gen == g->modules_gen)
		return;
	g->modules_gen = h->modules_gen;
	n = segment_modules(g->seg, mods, sizeof(mods) / sizeof(mods[0]));
	for (size_t i = 0; i < n; i++) {
		char buf[FT_PATH_LEN + 32];

		if (mods[i].path[0])
			symbols_add_module(g->sym,
					   segment_module_file(g->seg, mods[i].path, buf, sizeof(buf)),
					   mods[i].bias, mods[i].lo, mods[i].hi);
	}
}

/* the trigger stack, innermost first, one "    function [module]" line
 * per frame; every pc is a return address but the first */
static void print_stack(struct gclog *g, const struct gc_cycle *c)
{
	sync_modules(g);
	if (!c->nframes)
		fprintf(g->out, "    (no stack: none is taken while nothing samples)\n");
	for (uint16_t i = 0; i < c->nframes; i++) {
		const struct symbols_frame *fr;
		uint32_t n = symbols_frames(g->sym, c->pc[i], i > 0, &fr);

		for (uint32_t j = n; j-- > 0;) { /* what was inlined first */
			const char *mod = funcs_module(g->funcs, fr[j].func);
			const char *base = strrchr(mod, '/');

			fprintf(g->out, "    %s [%s]\n", funcs_name(g->funcs, fr[j].func),
				base ? base + 1 : mod);
		}
		if (!n)
			fprintf(g->out, "    [unknown]\n");
	}
}

static int on_record(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct gclog *g = arg;
	const struct gc_cycle *c;
	char line[512];

	/* records.c checked it by the rules of its kind */
	if (g->since_ns && ((const struct ft_gc *)rec)->end_ns < g->since_ns) {
		g->skipped++;
		return 0;
	}
	c = gctimeline_add(g->t, rec, len);
	if (!c || !g->out)
		return 0;
	gctimeline_format(c, gctimeline_origin(g->t), line, sizeof(line));
	if (fprintf(g->out, "%s\n", line) >= 0 && g->sym)
		print_stack(g, c);
	if (ferror(g->out) || fflush(g->out) != 0)
		g->write_failed = true;
	return 0;
}

int gclog_poll(struct gclog *g)
{
	uint64_t before = gctimeline_total(g->t);
	int n;

	segment_refresh(g->seg);
	do
		n = segment_read(g->seg, GCLOG_POLL_MAX);
	while (n == GCLOG_POLL_MAX);
	if (n < 0)
		return n;
	return (int)(gctimeline_total(g->t) - before);
}

struct gctimeline *gclog_timeline(struct gclog *g)
{
	return g->t;
}

struct segment *gclog_segment(struct gclog *g)
{
	return g->seg;
}

bool gclog_write_failed(const struct gclog *g)
{
	return g->write_failed;
}

void gclog_warn(struct gclog *g)
{
	const struct ft_header *h = segment_header(g->seg);
	uint64_t lost, missed, misuse;

	segment_refresh(g->seg);
	lost = h->counters.events_dropped + gctimeline_invalid(g->t);
	missed = segment_missed(g->seg);
	misuse = h->counters.gc_misuse;
	if (lost)
		cmd_warning("%llu GC records lost (the runtime could not write them)",
			    (unsigned long long)lost);
	if (missed)
		cmd_warning("%llu records missed while reading (collections may be missing)",
			    (unsigned long long)missed);
	if (misuse)
		cmd_warning("%llu GC API calls out of order were ignored (an end without a "
			    "begin, a begin inside a collection, a phase outside one)",
			    (unsigned long long)misuse);
}

#define MIB (1024.0 * 1024.0)

void gclog_report(struct gclog *g, FILE *out, bool json)
{
	const struct ft_header *h = segment_header(g->seg);
	uint64_t now = util_mono_ns(), from = g->since_ns ? g->since_ns : h->start_mono_ns;
	const struct gctimeline *t = g->t;
	struct gc_summary s;

	if (gctimeline_summary(t, from, now, &s) < 0) {
		cmd_error("out of memory");
		return;
	}
	if (json) {
		fprintf(
		    out,
		    "{\"collections\": %llu, \"seconds\": %.3f, \"per_second\": %.3f, "
		    "\"pause_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f, \"total\": %.3f}, "
		    "\"pause_share\": %.6f, \"gc_share\": %.6f, \"allocated_per_gc\": %.0f, "
		    "\"allocated_per_second\": %.0f}\n",
		    (unsigned long long)s.collections, (double)s.span_ns / 1e9, s.rate_per_s,
		    (double)s.pause_p50_ns / 1e6, (double)s.pause_p99_ns / 1e6,
		    (double)s.pause_max_ns / 1e6, (double)s.pause_total_ns / 1e6, s.pause_share,
		    s.work_share, s.alloc_per_gc, s.alloc_rate);
		return;
	}
	fprintf(out, "collections       %llu in %.1f s (%.2f per second)\n",
		(unsigned long long)s.collections, (double)s.span_ns / 1e9, s.rate_per_s);
	if (!s.collections)
		return;
	fprintf(out, "pause             p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
		(double)s.pause_p50_ns / 1e6, (double)s.pause_p99_ns / 1e6,
		(double)s.pause_max_ns / 1e6);
	fprintf(out, "time paused       %.2f%% (%.3f ms in all)\n", s.pause_share * 100,
		(double)s.pause_total_ns / 1e6);
	fprintf(out, "time collecting   %.2f%%\n", s.work_share * 100);
	if (s.allocated_known)
		fprintf(out, "allocated per gc  %.2f MB (%.2f MB per second)\n",
			s.alloc_per_gc / MIB, s.alloc_rate / MIB);
}
