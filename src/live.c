/*
 * live.c - a live source: segment -> symbols -> profile.
 *
 * This file contains the loop body the viewer runs at every tick: refresh
 * the segment header, register modules and name threads when their
 * generation counters move, read a bounded batch of samples, resolve each
 * frame (pc[0] exactly when the runtime says so, every other pc as a return
 * address), add the stack root-first to the profile, expire the window,
 * write the viewer heartbeat.  Invariants:
 *   - l->seg is NULL only after the target called exec and its new image
 *     has not published a segment yet; every poll then tries to reattach;
 *   - the symbolizer belongs to one process image: it is replaced with the
 *     segment on exec (function ids stay valid: they live in the profile's
 *     funcs table);
 *   - counts survive a reattach: samples, lost and first/last times are
 *     kept across segments.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allocs.h"
#include "coros.h"
#include "gctimeline.h"
#include "group.h"
#include "lines.h"
#include "live.h"
#include "segment.h"
#include "symbols.h"
#include "util.h"

#define LIVE_POLL_MAX 200000 /* samples read per poll at most */
/* frames of a stack at most: group pseudo-frames, "[truncated]", and each
 * pc's function with what was inlined there (past this, pcs get their
 * function alone) */
#define LIVE_STACK_MAX (GROUP_MAX + 1 + 4 * FT_MAX_DEPTH)
#define LIVE_RATE_NS 1000000000ull

#define ALLOC_LOG 65536 /* sampled allocations kept one by one */

struct alloc_log {
	uint64_t time_ns, bytes;
	uint64_t thread_bytes, size; /* of the record */
	int32_t tid;
	uint32_t func; /* the function that allocated (innermost frame) */
};

struct live {
	pid_t pid;
	struct profile *p;
	struct funcs *f;
	struct segment *seg; /* NULL: waiting for the exec'd image's segment */
	struct symbols *sym;
	uint64_t seg_start_ns; /* start_mono_ns of the segment followed last */
	bool synced;	       /* the generations below are valid */
	uint64_t modules_gen, threads_gen;
	struct ft_module *mods;
	size_t nmods;
	struct ft_thread *threads;
	size_t nthreads;
	uint32_t *stack; /* LIVE_STACK_MAX function ids */
	uint32_t truncated_id, unknown_id;
	int added;	      /* samples added in the current poll */
	uint64_t lost_before; /* lost by segments followed before an exec */
	bool exit_set;
	int exit_status;
	uint64_t rate_t0, rate_n0;
	struct live_stats st;
	struct live_group *grp; /* --group, --label; NULL: neither */
	struct gctimeline *gc;	/* the target's collections */
	enum live_weight weight;
	struct allocs *allocs; /* in-use weights: the live sampled blocks */
	bool keep_blocks;      /* ... kept whatever the weight (live_keep_blocks) */
	bool inuse_dirty;      /* allocs changed since the profile was filled */
	uint64_t libgc_ns;     /* the last libgc collection's start */
	uint64_t inuse_filled; /* when it was filled last */
	/* live_keep_evidence: the bytes allocated and freed by stack (a
	 * freed block under its allocating stack, at its release), over the
	 * main profile's window */
	struct profile *ap, *fp;
	/* ... and the newest sampled allocations one by one, for the bytes
	 * between two collections (live_allocs_between) */
	struct alloc_log *alog; /* ALLOC_LOG entries, a ring */
	uint64_t alog_n;	/* entries ever written */
	uint64_t freed_at;	/* the time of the release being read */
	uint32_t nostack_id;
	struct lines *lines; /* the stack samples' leaf lines */
	/* the innermost frame kept by the last live_frames, and its line */
	uint32_t leaf_func;
	int leaf_line;
	const char *leaf_file;
	struct live_observer obs; /* live_observe */
};

static void live_update_stats(struct live *l, uint64_t now);
static int live_sample(void *arg, const struct ft_rec_hdr *rec, uint32_t len);
static int live_gc(void *arg, const struct ft_rec_hdr *rec, uint32_t len);
static void live_group_free(struct live_group *g);
static bool live_group_frames(struct live *l, int32_t tid, uint64_t coro_id, uint32_t labels_id,
			      uint32_t *k);
static int live_alloc(void *arg, const struct ft_rec_hdr *rec, uint32_t len);
static int live_free_rec(void *arg, const struct ft_rec_hdr *rec, uint32_t len);

static const struct {
	const char *name;
	enum live_weight w;
} weight_names[] = {
    {"time", LIVE_WEIGHT_TIME},
    {"cpu", LIVE_WEIGHT_TIME},
    {"wall", LIVE_WEIGHT_TIME},
    {"samples", LIVE_WEIGHT_SAMPLES},
    {"alloc-bytes", LIVE_WEIGHT_ALLOC_BYTES},
    {"alloc-objects", LIVE_WEIGHT_ALLOC_OBJECTS},
    {"inuse-bytes", LIVE_WEIGHT_INUSE_BYTES},
    {"inuse-objects", LIVE_WEIGHT_INUSE_OBJECTS},
};

int live_weight_parse(const char *s, enum live_weight *w)
{
	for (size_t i = 0; i < sizeof(weight_names) / sizeof(weight_names[0]); i++)
		if (strcmp(s, weight_names[i].name) == 0) {
			*w = weight_names[i].w;
			return 0;
		}
	return -EINVAL;
}

const char *live_weight_name(enum live_weight w)
{
	for (size_t i = 0; i < sizeof(weight_names) / sizeof(weight_names[0]); i++)
		if (weight_names[i].w == w)
			return weight_names[i].name;
	return "?";
}

bool live_weight_alloc(enum live_weight w)
{
	return w >= LIVE_WEIGHT_ALLOC_BYTES;
}

static bool weight_inuse(enum live_weight w)
{
	return w == LIVE_WEIGHT_INUSE_BYTES || w == LIVE_WEIGHT_INUSE_OBJECTS;
}

static bool weight_objects(enum live_weight w)
{
	return w == LIVE_WEIGHT_ALLOC_OBJECTS || w == LIVE_WEIGHT_INUSE_OBJECTS;
}

/* The profile's measure for l's weight on a segment of mode */
static void live_measure(struct live *l, uint32_t mode)
{
	if (!live_weight_alloc(l->weight))
		profile_set_measure(l->p, mode == FT_MODE_WALL ? "wall" : "cpu", UNIT_NS);
	else
		profile_set_measure(l->p, live_weight_name(l->weight),
				    weight_objects(l->weight) ? UNIT_OBJECTS : UNIT_BYTES);
}

/* Sizes the table copies for seg and starts a fresh symbolizer. */
static int live_follow(struct live *l, struct segment *seg)
{
	const struct ft_header *h = segment_header(seg);
	size_t nmods = h->regions[FT_REGION_MODULES].count;
	size_t nthreads = h->regions[FT_REGION_THREADS].count;
	struct ft_module *mods = calloc(nmods ? nmods : 1, sizeof(*mods));
	struct ft_thread *threads = calloc(nthreads ? nthreads : 1, sizeof(*threads));
	struct symbols *sym = symbols_new(l->f);
	struct allocs *allocs = allocs_new();

	if (!mods || !threads || !sym || !allocs || symbols_watch_jit(sym, l->pid) < 0 ||
	    segment_on(seg, FT_REC_SAMPLE, live_sample, l) < 0 ||
	    segment_on(seg, FT_REC_GC, live_gc, l) < 0 ||
	    segment_on(seg, FT_REC_ALLOC, live_alloc, l) < 0 ||
	    segment_on(seg, FT_REC_FREE, live_free_rec, l) < 0) {
		free(mods);
		free(threads);
		symbols_free(sym);
		allocs_free(allocs);
		return -ENOMEM;
	}
	/* another image: its addresses are its own */
	allocs_free(l->allocs);
	l->allocs = allocs;
	l->inuse_dirty = true;
	free(l->mods);
	free(l->threads);
	symbols_free(l->sym);
	l->mods = mods;
	l->nmods = nmods;
	l->threads = threads;
	l->nthreads = nthreads;
	l->sym = sym;
	l->seg = seg;
	l->seg_start_ns = h->start_mono_ns;
	/* a sample weighs the time since its thread's previous one */
	live_measure(l, h->mode);
	l->synced = false;
	return 0;
}

struct live *live_attach(pid_t pid, struct profile *p, char *err, size_t errlen)
{
	struct live *l;
	struct segment *seg;

	seg = segment_attach(pid, err, errlen);
	if (!seg)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		goto out_seg;
	l->pid = pid;
	l->p = p;
	l->f = profile_funcs(p);
	l->stack = malloc(LIVE_STACK_MAX * sizeof(*l->stack));
	if (!l->stack)
		goto out_live;
	l->truncated_id = funcs_intern(l->f, "[truncated]", "");
	l->unknown_id = funcs_intern(l->f, "[unknown]", "[unknown]");
	l->nostack_id = funcs_intern(l->f, "[no stack]", "");
	l->lines = lines_new();
	if (!l->lines)
		goto out_live;
	l->gc = gctimeline_new(segment_header(seg)->start_mono_ns);
	if (!l->gc || live_follow(l, seg) < 0)
		goto out_live;
	l->st.pid = pid;
	live_update_stats(l, util_mono_ns());
	return l;

out_live:
	lines_free(l->lines);
	gctimeline_free(l->gc);
	free(l->stack);
	free(l);
out_seg:
	if (err && errlen)
		snprintf(err, errlen, "out of memory");
	segment_free(seg);
	return NULL;
}

void live_free(struct live *l)
{
	if (!l)
		return;
	live_group_free(l->grp);
	gctimeline_free(l->gc);
	segment_free(l->seg);
	symbols_free(l->sym);
	allocs_free(l->allocs);
	profile_free(l->ap);
	profile_free(l->fp);
	free(l->alog);
	lines_free(l->lines);
	free(l->mods);
	free(l->threads);
	free(l->stack);
	free(l);
}

struct lines *live_lines(struct live *l)
{
	return l->lines;
}

static void live_sync_tables(struct live *l)
{
	const struct ft_header *h = segment_header(l->seg);

	if (!l->synced || h->modules_gen != l->modules_gen) {
		size_t n = segment_modules(l->seg, l->mods, l->nmods);

		char buf[FT_PATH_LEN + 32];

		/* unloaded ones first (their pcs may still be in the ring):
		 * where address ranges were reused, the loaded module wins;
		 * a container's paths are read under its root */
		for (int loaded = 0; loaded < 2; loaded++)
			for (size_t i = 0; i < n; i++)
				if ((l->mods[i].loaded != 0) == loaded)
					symbols_add_module(
					    l->sym,
					    segment_module_file(l->seg, l->mods[i].path, buf,
								sizeof(buf)),
					    l->mods[i].bias, l->mods[i].lo, l->mods[i].hi);
		l->modules_gen = h->modules_gen;
	}
	if (!l->synced || h->threads_gen != l->threads_gen) {
		size_t n = segment_threads(l->seg, l->threads, l->nthreads);

		for (size_t i = 0; i < n; i++)
			if (l->threads[i].name[0])
				profile_name_thread(l->p, l->threads[i].tid, l->threads[i].name);
		l->threads_gen = h->threads_gen;
	}
	l->synced = true;
}

/* The runtime's own frames (its main() and thread-start wrappers) are
 * plumbing, not the program: they are left out of stacks. */
static bool runtime_frame(struct live *l, uint32_t id)
{
	return strncmp(funcs_module(profile_funcs(l->p), id), "libflametop.so", 14) == 0;
}

/* x86_64 numbers of the system calls a thread blocks in most */
static const struct {
	int nr;
	const char *name;
} blocking_calls[] = {
    {0, "read"},
    {1, "write"},
    {7, "poll"},
    {23, "select"},
    {34, "pause"},
    {35, "nanosleep"},
    {42, "connect"},
    {43, "accept"},
    {45, "recvfrom"},
    {47, "recvmsg"},
    {61, "wait4"},
    {65, "semop"},
    {70, "msgrcv"},
    {73, "flock"},
    {128, "rt_sigtimedwait"},
    {130, "rt_sigsuspend"},
    {202, "futex"},
    {208, "io_getevents"},
    {220, "semtimedop"},
    {230, "clock_nanosleep"},
    {232, "epoll_wait"},
    {247, "waitid"},
    {270, "pselect6"},
    {271, "ppoll"},
    {281, "epoll_pwait"},
    {288, "accept4"},
    {426, "io_uring_enter"},
    {441, "epoll_pwait2"},
};

/* the function id of a pseudo frame: "[blocked in NAME]" */
static uint32_t pseudo_frame(struct live *l, uint64_t pc)
{
	char name[64];
	int nr = (int)(uint32_t)(pc - FT_PC_PSEUDO);

	snprintf(name, sizeof(name), "[blocked in syscall %d]", nr);
	if (nr == -1)
		snprintf(name, sizeof(name), "[blocked]");
	for (size_t i = 0; i < sizeof(blocking_calls) / sizeof(blocking_calls[0]); i++)
		if (blocking_calls[i].nr == nr)
			snprintf(name, sizeof(name), "[blocked in %s]", blocking_calls[i].name);
	return funcs_intern(l->f, name, "[kernel]");
}

/* Puts the frames of pc into ids (outermost first: its function, then,
 * if inlined, what was inlined there, see symbols_frames), at most max;
 * returns how many. */
static uint32_t live_pc_frames(struct live *l, uint64_t pc, bool ret, bool inlined, uint32_t *ids,
			       uint32_t max)
{
	const struct symbols_frame *fr = NULL;
	uint32_t n, k = 0;

	if (pc >= FT_PC_PSEUDO) {
		ids[0] = pseudo_frame(l, pc);
		n = 1;
	} else if (!inlined) {
		ids[0] = symbols_resolve(l->sym, pc, ret);
		n = 1;
	} else if (!(n = symbols_frames(l->sym, pc, ret, &fr))) {
		ids[0] = 0;
		n = 1;
	}
	if (n > max)
		n = 1; /* no room left for inlined frames */
	for (uint32_t j = 0; j < n; j++) {
		uint32_t id = pc >= FT_PC_PSEUDO || !fr ? ids[0] : fr[j].func;

		if (!id)
			id = l->unknown_id;
		if (!id || runtime_frame(l, id))
			continue;
		ids[k++] = id;
		l->leaf_func = id;
		l->leaf_file = fr ? fr[j].file : NULL;
		l->leaf_line = fr ? fr[j].line : 0;
	}
	return k;
}

/* Puts the frames pc[0..n) (innermost first) root first into l->stack
 * from index k on; returns the new length.  leaf_exact: pc[0] is an
 * interrupted pc, every other pc is a return address.  inlined: with the
 * frames of inlined functions (what reads debug info). */
static uint32_t live_frames_once(struct live *l, uint32_t k, const uint64_t *pc, uint32_t n,
				 bool truncated, bool leaf_exact, bool inlined)
{
	if (truncated)
		l->stack[k++] = l->truncated_id;
	for (uint32_t i = n; i-- > 0;) {
		bool ret = !(i == 0 && leaf_exact);

		/* the i pcs left need a slot each */
		k += live_pc_frames(l, pc[i], ret, inlined, l->stack + k, LIVE_STACK_MAX - k - i);
	}
	return k;
}

/* live_frames_once, again after a sync of the module table when a pc fell
 * in no module and the runtime has published modules since this poll
 * began: a record is written after the modules it names are published
 * (the executable's at startup, before the first allocation record), but
 * may be read in the same poll as that publication. */
static uint32_t live_frames(struct live *l, uint32_t k, const uint64_t *pc, uint32_t n,
			    bool truncated, bool leaf_exact, bool inlined)
{
	size_t misses = symbols_misses(l->sym);
	uint32_t end = live_frames_once(l, k, pc, n, truncated, leaf_exact, inlined);

	if (symbols_misses(l->sym) != misses &&
	    segment_refresh_modules_gen(l->seg) != l->modules_gen) {
		live_sync_tables(l);
		end = live_frames_once(l, k, pc, n, truncated, leaf_exact, inlined);
	}
	return end;
}

static void live_saw(struct live *l, uint64_t t)
{
	if (!l->st.first_ns || t < l->st.first_ns)
		l->st.first_ns = t;
	if (t > l->st.last_ns)
		l->st.last_ns = t;
	l->added++;
}

/* The consumer of FT_REC_SAMPLE records (segment_on). */
static int live_sample(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_sample *smp = (const struct ft_sample *)rec;
	struct live *l = arg;
	struct profile_sample ps;
	uint32_t k = 0;

	(void)len;
	if (live_weight_alloc(l->weight)) {
		l->st.samples++;
		return 0; /* the profile weighs allocations */
	}
	if (l->grp && !live_group_frames(l, smp->tid, smp->coro_id, smp->labels_id, &k))
		return 0; /* filtered out by a label */
	l->leaf_func = 0;
	k = live_frames(l, k, smp->pc, smp->nframes, smp->flags & FT_SAMPLE_TRUNCATED,
			smp->flags & FT_SAMPLE_LEAF_EXACT, true);
	if (l->leaf_func)
		lines_add(l->lines, l->leaf_func, l->leaf_file, l->leaf_line, smp->weight_ns);
	ps.time_ns = smp->time_ns;
	ps.tid = smp->tid;
	ps.oncpu = smp->flags & FT_SAMPLE_ONCPU;
	ps.weight = smp->weight_ns;
	ps.funcs = l->stack;
	ps.n = k;
	ps.coro_id = smp->coro_id;
	ps.labels_id = smp->labels_id;
	profile_add(l->p, &ps); /* a sample it could not keep it counts itself */
	if (l->obs.sample)
		l->obs.sample(l->obs.arg, &ps);
	live_saw(l, smp->time_ns);
	l->st.samples++;
	return 0;
}

/* The consumer of FT_REC_GC records: the GC timeline. */
static int live_gc(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct live *l = arg;
	/* an invalid one it counts itself */
	const struct gc_cycle *c = gctimeline_add(l->gc, rec, len);

	if (c && c->source == FT_GC_SOURCE_LIBGC && c->start_ns > l->libgc_ns) {
		/* libgc's objects allocated before it are in use now */
		l->libgc_ns = c->start_ns;
		l->inuse_dirty = true;
	}
	if (c && l->obs.gc)
		l->obs.gc(l->obs.arg, rec, len, c);
	return 0;
}

void live_observe(struct live *l, const struct live_observer *o)
{
	memset(&l->obs, 0, sizeof(l->obs));
	if (o)
		l->obs = *o;
}

struct gctimeline *live_gctimeline(struct live *l)
{
	return l->gc;
}

size_t live_gc_stack(struct live *l, const struct gc_cycle *c, uint32_t *ids, size_t max)
{
	size_t k = 0;

	if (!l->sym)
		return 0;
	for (uint16_t i = c->nframes; i-- > 0 && k < max;)
		k += live_pc_frames(l, c->pc[i], i > 0, true, ids + k, (uint32_t)(max - k));
	return k;
}

/* Are the live sampled blocks followed? */
static bool blocks_kept(const struct live *l)
{
	return l->allocs && (l->keep_blocks || weight_inuse(l->weight));
}

void live_keep_blocks(struct live *l)
{
	l->keep_blocks = true;
}

/* a thread's count of bytes at the two ends of an interval */
struct thread_span {
	int32_t tid;
	uint64_t from, to; /* 0: not seen */
};

#define SPAN_THREADS 256

static struct thread_span *span_of(struct thread_span *t, size_t *n, int32_t tid)
{
	for (size_t i = 0; i < *n; i++)
		if (t[i].tid == tid)
			return &t[i];
	if (*n == SPAN_THREADS)
		return NULL;
	t[*n] = (struct thread_span){tid, 0, 0};
	return &t[(*n)++];
}

/* e, a sample older than to (the start of the interval's collection),
 * in its thread's span: its count is the thread's last before the
 * interval (from_ns) or, inside it, the last so far; a thread first seen
 * inside starts at that sample, less its block */
static void span_note(struct thread_span *t, size_t *n, const struct alloc_log *e, uint64_t from_ns)
{
	struct thread_span *s;

	if (!e->thread_bytes || !(s = span_of(t, n, e->tid)))
		return;
	if (e->time_ns < from_ns) {
		s->from = e->thread_bytes;
		return;
	}
	if (!s->from)
		s->from = e->thread_bytes > e->size ? e->thread_bytes - e->size : 1;
	s->to = e->thread_bytes;
}

/*
 * The bytes the threads counted between the end of prev and the start of
 * c, from their spans (span_note): per thread, its count at its last
 * sample before c (or at c itself, for the thread that triggered it) less
 * its count at its last sample before the interval (or at prev, for
 * prev's trigger).  What a thread allocated after its last sample falls in
 * the next interval, so the error is at most a sampling interval per
 * thread at each end.
 */
static uint64_t counted_between(struct thread_span *t, size_t n, const struct gc_cycle *prev,
				const struct gc_cycle *c)
{
	struct thread_span *s;
	uint64_t sum = 0;

	if (prev && (prev->flags & FT_GC_HAVE_THREAD_BYTES) && (s = span_of(t, &n, prev->tid)))
		s->from = prev->thread_bytes;
	if ((c->flags & FT_GC_HAVE_THREAD_BYTES) && (s = span_of(t, &n, c->tid)))
		s->to = c->thread_bytes;
	for (size_t i = 0; i < n; i++)
		if (t[i].from && t[i].to > t[i].from)
			sum += t[i].to - t[i].from;
	return sum;
}

size_t live_allocs_between(struct live *l, const struct gc_cycle *prev, const struct gc_cycle *c,
			   struct alloc_site *out, size_t max, struct alloc_between *r)
{
	uint64_t first = l->alog_n > ALLOC_LOG ? l->alog_n - ALLOC_LOG : 0;
	uint64_t from_ns = prev ? prev->end_ns : 0, to_ns = c->start_ns;
	struct thread_span spans[SPAN_THREADS];
	size_t n = 0, nspans = 0;

	r->total = 0;
	r->counted = 0;
	r->whole = true;
	if (!l->alog)
		return 0;
	if (first > 0 && l->alog[first % ALLOC_LOG].time_ns > from_ns)
		r->whole = false; /* the start of the interval was overwritten */
	for (uint64_t i = first; i < l->alog_n; i++) {
		const struct alloc_log *e = &l->alog[i % ALLOC_LOG];
		size_t j;

		if (e->time_ns >= to_ns)
			continue;
		span_note(spans, &nspans, e, from_ns);
		if (e->time_ns < from_ns)
			continue;
		r->total += e->bytes;
		for (j = 0; j < n && out[j].func != e->func; j++)
			;
		if (j < n) {
			out[j].bytes += e->bytes;
		} else if (n < max) {
			out[n].func = e->func;
			out[n++].bytes = e->bytes;
		} else {
			/* a site past max: in place of the lightest, if heavier */
			size_t m = 0;

			for (j = 1; j < n; j++)
				if (out[j].bytes < out[m].bytes)
					m = j;
			if (out[m].bytes < e->bytes) {
				out[m].func = e->func;
				out[m].bytes = e->bytes;
			}
		}
	}
	if (r->whole)
		r->counted = counted_between(spans, nspans, prev, c);
	/* the heaviest first */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].bytes > out[j - 1].bytes; j--) {
			struct alloc_site t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

int live_keep_evidence(struct live *l)
{
	if (l->ap)
		return 0;
	l->ap = profile_new(profile_funcs(l->p));
	l->fp = profile_new(profile_funcs(l->p));
	if (!l->ap || !l->fp) {
		profile_free(l->ap);
		profile_free(l->fp);
		l->ap = l->fp = NULL;
		return -ENOMEM;
	}
	profile_set_measure(l->ap, "alloc", UNIT_BYTES);
	profile_set_measure(l->fp, "free", UNIT_BYTES);
	l->keep_blocks = true;
	/* without it (ENOMEM), no bytes between collections: not an error */
	l->alog = calloc(ALLOC_LOG, sizeof(*l->alog));
	return 0;
}

struct profile *live_alloc_profile(struct live *l)
{
	return l->ap;
}

struct profile *live_free_profile(struct live *l)
{
	return l->fp;
}

/* The evidence profiles show what the main one does: its window, range
 * and hidden frames, as of now. */
static void evidence_sync(struct live *l, uint64_t now)
{
	struct profile *aux[2] = {l->ap, l->fp};
	uint64_t rf, rt, af, at;

	for (int i = 0; i < 2 && aux[i]; i++) {
		if (profile_window(aux[i]) != profile_window(l->p))
			profile_set_window(aux[i], profile_window(l->p));
		profile_range(l->p, &rf, &rt);
		if (profile_range(aux[i], &af, &at) != (rt != 0) || af != rf || at != rt)
			profile_set_range(aux[i], rf, rt);
		if (profile_hide(aux[i]) != profile_hide(l->p))
			profile_set_hide(aux[i], profile_hide(l->p));
		profile_expire(aux[i], now);
	}
}

/* The consumer of FT_REC_ALLOC records: the allocation weights add the
 * sample to the profile, the in-use ones keep it until its release. */
static int live_alloc(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_alloc *a = (const struct ft_alloc *)rec;
	struct live *l = arg;
	struct profile_sample ps;
	uint32_t k = 0;

	/* an allocation weight that is not in use adds the sample to the
	 * profile; the live blocks are kept for the in-use weights (and,
	 * with live_keep_blocks, for one chosen later); a block whose release
	 * would never be seen is not kept */
	bool to_profile = live_weight_alloc(l->weight) && !weight_inuse(l->weight);
	bool to_blocks = blocks_kept(l) && !(a->flags & FT_ALLOC_UNTRACKED);
	bool to_evidence = l->ap != NULL;

	(void)len;
	l->st.allocs++;
	if (live_weight_alloc(l->weight))
		live_saw(l, a->time_ns);
	if (!to_profile && !to_blocks && !to_evidence)
		return 0;
	if (l->grp && !live_group_frames(l, a->tid, a->coro_id, a->labels_id, &k))
		return 0;
	if (!a->nframes)
		l->stack[k++] = l->nostack_id;
	/* allocation stacks come at high rates from the first instant, and
	 * name the calls that allocate: by their symbols, without stalling
	 * the first polls on reading debug info */
	k = live_frames(l, k, a->pc, a->nframes, a->flags & FT_ALLOC_TRUNCATED, false, false);
	ps.time_ns = a->time_ns;
	ps.tid = a->tid;
	ps.oncpu = true;
	ps.weight = weight_objects(l->weight) ? a->weight_objects : a->weight_bytes;
	ps.funcs = l->stack;
	ps.n = k;
	ps.coro_id = a->coro_id;
	ps.labels_id = a->labels_id;
	if (to_profile) {
		profile_add(l->p, &ps);
		if (l->obs.sample)
			l->obs.sample(l->obs.arg, &ps);
	}
	if (to_evidence) {
		ps.weight = a->weight_bytes;
		profile_add(l->ap, &ps);
		if (l->alog) {
			struct alloc_log *e = &l->alog[l->alog_n++ % ALLOC_LOG];

			e->time_ns = a->time_ns;
			e->bytes = a->weight_bytes;
			e->thread_bytes = a->thread_bytes;
			e->size = a->size;
			e->tid = a->tid;
			e->func = k ? l->stack[k - 1] : l->nostack_id;
		}
	}
	if (to_blocks) {
		allocs_add(l->allocs, a->addr, &ps, a->weight_bytes, a->weight_objects,
			   a->source == FT_ALLOC_GC);
		l->inuse_dirty = true;
	}
	return 0;
}

/* A sampled block released: its bytes freed under its allocating stack,
 * at the release's time (l->freed_at). */
static void live_freed(void *arg, const struct profile_sample *s, uint64_t bytes)
{
	struct live *l = arg;
	struct profile_sample fs = *s;

	fs.time_ns = l->freed_at;
	fs.weight = bytes;
	profile_add(l->fp, &fs);
}

/* The consumer of FT_REC_FREE records. */
static int live_free_rec(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_free *f = (const struct ft_free *)rec;
	struct live *l = arg;

	(void)len;
	l->st.frees++;
	if (!blocks_kept(l))
		return 0;
	if (weight_inuse(l->weight))
		l->added++;
	l->freed_at = f->time_ns;
	if (allocs_release(l->allocs, f->addr, l->fp ? live_freed : NULL, l))
		l->inuse_dirty = true;
	return 0;
}

int live_set_weight(struct live *l, enum live_weight w)
{
	bool changed = w != l->weight;

	l->weight = w;
	if (l->seg)
		live_measure(l, segment_header(l->seg)->mode);
	/* the profile held another measure: time and allocations count from
	 * now on, in-use weights are filled from the live blocks */
	if (changed && !weight_inuse(w))
		profile_clear(l->p);
	l->inuse_dirty = true;
	return 0;
}

enum live_weight live_weight(const struct live *l)
{
	return l->weight;
}

void live_flush(struct live *l)
{
	if (!weight_inuse(l->weight) || !l->inuse_dirty || !l->allocs)
		return;
	allocs_fill(l->allocs, l->p, weight_objects(l->weight), l->libgc_ns);
	l->inuse_dirty = false;
	l->inuse_filled = util_mono_ns();
}

static uint64_t seg_lost(struct live *l)
{
	if (!l->seg)
		return 0;
	return segment_header(l->seg)->counters.samples_dropped + segment_missed(l->seg);
}

/* The target called exec: read what is left, then let go of the segment
 * (its image is gone); the next polls look for the new one. */
static void live_drop_segment(struct live *l)
{
	for (int i = 0; i < 100; i++)
		if (segment_read(l->seg, LIVE_POLL_MAX) <= 0)
			break;
	segment_refresh(l->seg);
	l->lost_before += seg_lost(l);
	segment_free(l->seg);
	l->seg = NULL;
}

static void live_reattach(struct live *l)
{
	struct segment *seg;
	char err[256];
	int status;

	seg = segment_attach(l->pid, err, sizeof(err));
	if (!seg)
		return;
	/* the old image's segment, not yet unlinked: not the one we want */
	if (segment_header(seg)->start_mono_ns == l->seg_start_ns &&
	    segment_state(seg, &status) == FT_STATE_EXECED) {
		segment_free(seg);
		return;
	}
	if (live_follow(l, seg) < 0)
		segment_free(seg);
}

static void live_group_sync(struct live *l);

static void live_update_stats(struct live *l, uint64_t now)
{
	struct live_stats *st = &l->st;

	if (l->seg) {
		const struct ft_header *h = segment_header(l->seg);

		snprintf(st->cmd, sizeof(st->cmd), "%.*s", (int)sizeof(h->cmdline), h->cmdline);
		st->mode = (enum ft_mode)h->mode;
		st->timer = (enum ft_timer)h->timer;
		st->freq_hz = h->freq_hz;
		st->achieved_hz = h->achieved_hz_milli / 1000.0;
		st->state = segment_state(l->seg, &st->exit_status);
		st->alloc_hooked = h->flags & FT_FLAG_ALLOC;
		st->alloc_rate = h->alloc_rate;
	} else if (kill(l->pid, 0) < 0 && errno == ESRCH) {
		st->state = FT_STATE_EXITED;
		st->exit_status = -1;
	} else {
		st->state = FT_STATE_EXECED;
	}
	if (l->exit_set) {
		st->state = FT_STATE_EXITED;
		st->exit_status = l->exit_status;
	}
	st->lost = l->lost_before + seg_lost(l);
	st->now_ns = now;
	if (!l->rate_t0) {
		l->rate_t0 = now;
		l->rate_n0 = st->samples;
	} else if (now - l->rate_t0 >= LIVE_RATE_NS) {
		st->samples_per_sec = (st->samples - l->rate_n0) * 1e9 / (double)(now - l->rate_t0);
		l->rate_t0 = now;
		l->rate_n0 = st->samples;
	}
}

/* the target ended: its child status is known or its runtime said so */
static bool live_ended(struct live *l)
{
	int status;

	return l->exit_set || (l->seg && segment_state(l->seg, &status) == FT_STATE_EXITED);
}

int live_poll(struct live *l)
{
	uint64_t now;
	int n = 0, status;

	l->added = 0;
	if (!l->seg && !l->exit_set)
		live_reattach(l);
	if (l->seg) {
		segment_refresh(l->seg);
		live_sync_tables(l);
		symbols_poll(l->sym); /* JIT names written since the last poll */
		if (l->grp)
			live_group_sync(l);
		n = segment_read(l->seg, LIVE_POLL_MAX);
		segment_touch(l->seg);
		if (util_mono_ns() - l->inuse_filled >= LIVE_INUSE_NS)
			live_flush(l);
		if (segment_state(l->seg, &status) == FT_STATE_EXECED && !l->exit_set) {
			live_drop_segment(l);
			live_reattach(l);
		}
	}
	now = util_mono_ns();
	/* over a target that ended, a window ends at its last sample: the
	 * profile stays as it was, not emptied by the passing time */
	if (live_ended(l) && l->st.last_ns && l->st.last_ns < now)
		profile_expire(l->p, l->st.last_ns + 1);
	else
		profile_expire(l->p, now);
	evidence_sync(l, live_ended(l) && l->st.last_ns && l->st.last_ns < now ? l->st.last_ns + 1
									       : now);
	live_update_stats(l, now);
	return n < 0 ? n : l->added;
}

void live_stats(struct live *l, struct live_stats *out)
{
	*out = l->st;
}

void live_skip_backlog(struct live *l)
{
	if (l->seg)
		segment_skip_backlog(l->seg);
}

void live_set_exit(struct live *l, int wait_status)
{
	l->exit_set = true;
	l->exit_status = wait_status;
	l->st.state = FT_STATE_EXITED;
	l->st.exit_status = wait_status;
}

/* ---- grouping and label filters -------------------------------------- */

/* a map from 64-bit keys to function ids (open addressing, grows) */
struct idmap {
	uint64_t *key; /* key + 1; 0: empty */
	uint32_t *val;
	size_t cap, n;
};

struct live_group {
	struct group g;
	struct label_filter filt[GROUP_MAX];
	int nfilt;
	struct idmap coros;   /* coroutine id -> frame */
	struct idmap threads; /* tid -> frame */
	struct idmap labels;  /* label set id -> index into sets */
	struct segment_labels *sets;
	size_t nsets;
	uint32_t pid_frame;
	uint64_t coro_gen, threads_gen, modules_gen;
	bool coro_synced;
	struct segment *seg; /* the segment the caches describe */
	struct coros *snap;
};

static bool idmap_get(const struct idmap *m, uint64_t key, uint32_t *val)
{
	if (!m->cap)
		return false;
	for (size_t i = (key * 0x9e3779b97f4a7c15ull) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i])
			return false;
		if (m->key[i] == key + 1) {
			*val = m->val[i];
			return true;
		}
	}
}

static void idmap_put(struct idmap *m, uint64_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		uint64_t *k = calloc(cap, sizeof(*k));
		uint32_t *v = calloc(cap, sizeof(*v));
		struct idmap old = *m;

		if (!k || !v) {
			free(k);
			free(v);
			return;
		}
		m->key = k;
		m->val = v;
		m->cap = cap;
		m->n = 0;
		for (size_t j = 0; j < old.cap; j++)
			if (old.key[j])
				idmap_put(m, old.key[j] - 1, old.val[j]);
		free(old.key);
		free(old.val);
	}
	for (i = (key * 0x9e3779b97f4a7c15ull) & (m->cap - 1); m->key[i] && m->key[i] != key + 1;
	     i = (i + 1) & (m->cap - 1))
		;
	if (!m->key[i])
		m->n++;
	m->key[i] = key + 1;
	m->val[i] = val;
}

static void idmap_clear(struct idmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static void live_group_free(struct live_group *g)
{
	if (!g)
		return;
	idmap_clear(&g->coros);
	idmap_clear(&g->threads);
	idmap_clear(&g->labels);
	free(g->sets);
	coros_free(g->snap);
	free(g);
}

static struct live_group *live_group_get(struct live *l)
{
	if (!l->grp) {
		l->grp = calloc(1, sizeof(*l->grp));
		if (l->grp)
			l->grp->snap = coros_new(l->f);
		if (l->grp && l->grp->snap)
			coros_names_only(l->grp->snap, true);
		if (l->grp && !l->grp->snap) {
			free(l->grp);
			l->grp = NULL;
		}
	}
	return l->grp;
}

int live_set_group(struct live *l, const struct group *g)
{
	struct live_group *lg = live_group_get(l);

	if (!lg)
		return -ENOMEM;
	lg->g = *g;
	return 0;
}

void live_group_text(struct live *l, char *out, size_t len)
{
	char spec[512];

	live_group_spec(l, spec, sizeof(spec));
	/* "by KEYS FILTERS", or the filters alone */
	snprintf(out, len, "%s%s", l->grp && l->grp->g.n ? "by " : "", spec);
}

int live_regroup(struct live *l, const struct group *g, const struct label_filter *f, int nf)
{
	struct live_group *lg;

	if (nf > GROUP_MAX)
		return -E2BIG;
	if (!l->grp && g->n == 0 && nf == 0)
		return 0;
	lg = live_group_get(l);
	if (!lg)
		return -ENOMEM;
	lg->g = *g;
	memcpy(lg->filt, f, (size_t)nf * sizeof(*f));
	lg->nfilt = nf;
	return 0;
}

void live_group_spec(struct live *l, char *out, size_t len)
{
	static const char *const names[] = {"pid", "thread", "coroutine", "label:"};
	size_t o = 0;
	int k;

	out[0] = '\0';
	if (!l->grp)
		return;
	for (int i = 0; i < l->grp->g.n && o < len; i++) {
		k = snprintf(out + o, len - o, "%s%s%s", i ? "," : "", names[l->grp->g.key[i]],
			     l->grp->g.key[i] == GROUP_LABEL ? l->grp->g.label[i] : "");
		if (k < 0)
			return;
		o += (size_t)k;
	}
	for (int i = 0; i < l->grp->nfilt && o < len; i++) {
		k = snprintf(out + o, len - o, "%s%s=%s", o ? " " : "", l->grp->filt[i].key,
			     l->grp->filt[i].value);
		if (k < 0)
			return;
		o += (size_t)k;
	}
}

int live_add_label_filter(struct live *l, const struct label_filter *f)
{
	struct live_group *lg = live_group_get(l);

	if (!lg)
		return -ENOMEM;
	if (lg->nfilt == GROUP_MAX)
		return -E2BIG;
	lg->filt[lg->nfilt++] = *f;
	return 0;
}

/* names every coroutine in the table (once per change of the table) */
static void live_group_sync(struct live *l)
{
	struct live_group *lg = l->grp;
	struct ft_corotab t;
	const struct coro_row *rows;
	char buf[GROUP_FRAME_LEN];
	size_t n;

	if (lg->seg != l->seg) {
		/* another process image: its ids and label sets are its own */
		idmap_clear(&lg->coros);
		idmap_clear(&lg->threads);
		idmap_clear(&lg->labels);
		lg->nsets = 0;
		lg->coro_synced = false;
		lg->pid_frame = 0;
		lg->seg = l->seg;
	}
	if (segment_header(l->seg)->threads_gen != lg->threads_gen) {
		idmap_clear(&lg->threads);
		lg->threads_gen = segment_header(l->seg)->threads_gen;
	}
	/* a coroutine is named after its entry function when it has no name:
	 * name it again once more modules are known */
	if (segment_header(l->seg)->modules_gen != lg->modules_gen) {
		lg->coro_synced = false;
		lg->modules_gen = segment_header(l->seg)->modules_gen;
	}
	if (segment_corotab(l->seg, &t) < 0 || (lg->coro_synced && t.gen == lg->coro_gen))
		return;
	if (coros_snapshot(lg->snap, l->seg, l->sym) < 0)
		return;
	rows = coros_rows(lg->snap, &n);
	for (size_t i = 0; i < n; i++) {
		group_frame_coro(buf, sizeof(buf), rows[i].id, rows[i].name);
		idmap_put(&lg->coros, rows[i].id, funcs_intern(l->f, buf, ""));
	}
	lg->coro_gen = t.gen;
	lg->coro_synced = true;
}

static const struct segment_labels *live_labels(struct live *l, uint32_t id)
{
	static const struct segment_labels none;
	struct live_group *lg = l->grp;
	uint32_t i;

	if (!id || !l->seg)
		return &none;
	if (idmap_get(&lg->labels, id, &i))
		return &lg->sets[i];
	if (lg->nsets % 64 == 0) {
		struct segment_labels *p = realloc(lg->sets, (lg->nsets + 64) * sizeof(*p));

		if (!p)
			return &none;
		lg->sets = p;
	}
	if (segment_labels(l->seg, id, &lg->sets[lg->nsets]) < 0)
		lg->sets[lg->nsets].n = 0;
	idmap_put(&lg->labels, id, (uint32_t)lg->nsets);
	return &lg->sets[lg->nsets++];
}

int live_label_pairs(struct live *l, uint32_t id, const char **keys, const char **values, int max)
{
	const struct segment_labels *set;
	int n = 0;

	if (!live_group_get(l))
		return 0;
	set = live_labels(l, id);
	for (; n < set->n && n < max; n++) {
		keys[n] = set->key[n];
		values[n] = set->value[n];
	}
	return n;
}

static const char *label_value(const struct segment_labels *s, const char *key)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->key[i], key) == 0)
			return s->value[i];
	return NULL;
}

static uint32_t thread_frame(struct live *l, int32_t tid)
{
	char buf[GROUP_FRAME_LEN];
	const char *name = NULL;
	uint32_t id;

	if (idmap_get(&l->grp->threads, (uint32_t)tid, &id))
		return id;
	for (size_t i = 0; i < l->nthreads; i++)
		if (l->threads[i].tid == tid)
			name = l->threads[i].name;
	group_frame_thread(buf, sizeof(buf), tid, name);
	id = funcs_intern(l->f, buf, "");
	idmap_put(&l->grp->threads, (uint32_t)tid, id);
	return id;
}

static uint32_t coro_frame(struct live *l, uint64_t coro)
{
	char buf[GROUP_FRAME_LEN];
	uint32_t id;

	if (idmap_get(&l->grp->coros, coro, &id))
		return id;
	/* exited before the table was read: known by its id only */
	group_frame_coro(buf, sizeof(buf), coro, NULL);
	id = funcs_intern(l->f, buf, "");
	idmap_put(&l->grp->coros, coro, id);
	return id;
}

/* Applies the label filters to smp and puts its pseudo-frames at the
 * start of l->stack; false if the sample is filtered out. */
static bool live_group_frames(struct live *l, int32_t tid, uint64_t coro_id, uint32_t labels_id,
			      uint32_t *k)
{
	struct live_group *lg = l->grp;
	const struct segment_labels *set = NULL;
	char buf[GROUP_FRAME_LEN];

	if (lg->nfilt || lg->g.n)
		set = live_labels(l, labels_id);
	for (int i = 0; i < lg->nfilt; i++) {
		const char *v = label_value(set, lg->filt[i].key);

		if (!v || strcmp(v, lg->filt[i].value) != 0)
			return false;
	}
	for (int i = 0; i < lg->g.n; i++) {
		switch (lg->g.key[i]) {
		case GROUP_PID:
			if (!lg->pid_frame) {
				const char *exe = segment_header(l->seg)->exe,
					   *b = strrchr(exe, '/');

				group_frame_pid(buf, sizeof(buf), (int)l->pid, b ? b + 1 : exe);
				lg->pid_frame = funcs_intern(l->f, buf, "");
			}
			l->stack[(*k)++] = lg->pid_frame;
			break;
		case GROUP_THREAD:
			l->stack[(*k)++] = thread_frame(l, tid);
			break;
		case GROUP_CORO:
			if (coro_id)
				l->stack[(*k)++] = coro_frame(l, coro_id);
			else
				l->stack[(*k)++] = funcs_intern(l->f, "[no coroutine]", "");
			break;
		case GROUP_LABEL:
			group_frame_label(buf, sizeof(buf), lg->g.label[i],
					  label_value(set, lg->g.label[i]));
			l->stack[(*k)++] = funcs_intern(l->f, buf, "");
			break;
		}
	}
	return true;
}

struct segment *live_segment(struct live *l)
{
	return l->seg;
}

struct symbols *live_symbols(struct live *l)
{
	return l->sym;
}
