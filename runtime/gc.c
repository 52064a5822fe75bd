/*
 * gc.c - garbage collections: libgc's collection events and the
 * flametop_gc_* API, written as struct ft_gc records into the event ring.
 *
 * libgc (the Boehm-Demers-Weiser collector) is used unmodified: its
 * GC_set_on_collection_event() is found with dlsym (in the program, or in
 * a libgc that a later dlopen brings in: gc_dlopened) and given our
 * callback.  The setter and getter are interposed, so a callback the
 * program installs itself is chained behind ours, not lost, and the
 * program reads back what it set.  GC_gcollect & co. are interposed only
 * to tell an explicit collection from one an allocation triggered.
 *
 * The callback runs in the collecting thread with libgc's allocation
 * lock held, and between the stop- and start-world events with every
 * other thread stopped.  So it is written like the signal handler: no
 * malloc, no stdio, no locks; it calls only libgc's lock-free getters
 * (GC_get_heap_size, GC_get_free_bytes, GC_get_bytes_since_gc,
 * GC_get_gc_no, GC_get_prof_stats_unsafe).  The trigger stack is taken at
 * the start event, before the world stops, with the sampling signal
 * blocked (libunwind's per-thread cache is not re-entrant) and never
 * inside the dynamic loader.  The callbacks are serialised by libgc's
 * lock, so one cycle record suffices for them.
 *
 * The API's calls come from any thread: a cycle is claimed with a
 * compare-and-swap, and calls that do not fit (end without begin, a begin
 * inside a collection, a phase outside one) are counted in gc_misuse and
 * ignored.
 *
 * Events are recorded whenever the runtime is on; the trigger stack only
 * while it samples (a viewer is attached, or FLAMETOP_ALWAYS), which keeps
 * a collection's cost with no viewer to a few clock reads.
 */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#define UNW_LOCAL_ONLY
#define FLAMETOP_BUILDING 1
#include "flametop.h"
#include "alloc.h"
#include "ring.h"
#include "rt.h"
#include "unwind.h"

#define EXPORT __attribute__((visibility("default")))
#define GC_DEPTH_MAX 256u

/* libgc's GC_EventType (gc.h, 7.6 and later); an ABI, fixed */
enum {
	EV_START = 0,
	EV_MARK_START,
	EV_MARK_END,
	EV_RECLAIM_START,
	EV_RECLAIM_END,
	EV_END,
	EV_PRE_STOP_WORLD,
	EV_POST_STOP_WORLD,
	EV_PRE_START_WORLD,
	EV_POST_START_WORLD,
};

/* libgc's struct GC_prof_stats_s, as far as we read it */
struct lib_prof_stats {
	unsigned long heapsize_full, free_bytes_full, unmapped_bytes;
	unsigned long bytes_allocd_since_gc, allocd_bytes_before_gc;
	unsigned long non_gc_bytes, gc_no, markers_m1;
	unsigned long bytes_reclaimed_since_gc, reclaimed_bytes_before_gc;
	unsigned long expl_freed_bytes_since_gc, obtained_from_os_bytes;
};

typedef void (*gc_event_fn)(int);

static struct {
	void (*set_event)(gc_event_fn);
	gc_event_fn (*get_event)(void);
	size_t (*heap_size)(void);
	size_t (*free_bytes)(void);
	size_t (*bytes_since_gc)(void);
	unsigned long (*gc_no)(void);
	size_t (*prof_stats)(struct lib_prof_stats *, size_t);
	void (*gcollect)(void);
	void (*gcollect_and_unmap)(void);
	int (*try_to_collect)(int (*)(void));
} lib;

static volatile int hooked;	     /* our callback is installed in libgc */
static int old_noted;		     /* "too old" said once */
static int resolving;		     /* guards gc_dlopened against itself */
static gc_event_fn volatile prog_cb; /* the program's own, chained */
static void *(*gc_real_dlopen)(const char *, int);
static int (*gc_real_dlclose)(void *);

static __thread int explicit_depth __attribute__((tls_model("initial-exec")));
static __thread pid_t my_tid __attribute__((tls_model("initial-exec")));

/* one collection being recorded */
struct cycle {
	volatile int state; /* CYCLE_* */
	uint64_t stw_t0;    /* the world began to stop */
	int open_phase;	    /* index of the running phase, or -1 */
	union {
		struct ft_gc rec;
		uint64_t words[(sizeof(struct ft_gc) + GC_DEPTH_MAX * 8) / 8];
	} u;
};

enum { CYCLE_IDLE = 0, CYCLE_BUSY = 1, CYCLE_OPEN = 2 };

static struct cycle libgc_cycle, api_cycle;

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static pid_t self_tid(void)
{
	if (!my_tid)
		my_tid = (pid_t)syscall(SYS_gettid);
	return my_tid;
}

static int enabled; /* gc_init ran and FLAMETOP_GC is not 0 */

static int writing(void)
{
	return enabled && rt.on && rt.hdr && rt.events;
}

/* ---- the trigger stack ------------------------------------------------ */

/*
 * The calling thread's stack into rec->pc, without this library's own
 * frames: pc[0] is the caller of the API, or the libgc function that
 * announced the collection.
 */
static __attribute__((noinline)) void capture(struct ft_gc *rec)
{
	uint64_t *pc = rec->pc;
	uint32_t max = rt.set.depth < GC_DEPTH_MAX ? rt.set.depth : GC_DEPTH_MAX;
	sigset_t block, old;
	int n, skip = 0;

	rec->nframes = 0;
	if (!rt.sampling || rt_in_loader)
		return;
	sigemptyset(&block);
	sigaddset(&block, rt.set.signo);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	n = unwind_backtrace((void **)pc, (int)max);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	while (skip < n && pc[skip] >= rt.self_lo && pc[skip] < rt.self_hi)
		skip++;
	n -= skip;
	memmove(pc, pc + skip, (size_t)n * sizeof(*pc));
	if (n + skip >= (int)max)
		rec->flags |= FT_GC_TRUNCATED;
	rec->nframes = (uint16_t)n;
}

/* ---- cycles ------------------------------------------------------------ */

static void cycle_begin(struct cycle *c, uint16_t source, uint16_t reason, uint64_t t)
{
	struct ft_gc *rec = &c->u.rec;

	memset(rec, 0, sizeof(*rec));
	rec->start_ns = t;
	rec->source = source;
	rec->reason = reason;
	rec->tid = self_tid();
	c->open_phase = -1;
	c->stw_t0 = 0;
	count(&rt.hdr->counters.gc_seen);
	capture(rec);
}

static void phase_end(struct cycle *c, uint64_t t)
{
	struct ft_gc_phase *ph;

	if (c->open_phase < 0)
		return;
	ph = &c->u.rec.phase[c->open_phase];
	ph->dur_ns = t - c->u.rec.start_ns - ph->start_ns;
	c->open_phase = -1;
}

static void phase_begin(struct cycle *c, const char *name, uint64_t t)
{
	struct ft_gc *rec = &c->u.rec;
	struct ft_gc_phase *ph;
	size_t i;

	phase_end(c, t);
	if (!name)
		return;
	if (rec->nphases >= FT_GC_PHASES) {
		rec->flags |= FT_GC_PHASES_CUT;
		return;
	}
	ph = &rec->phase[rec->nphases];
	for (i = 0; i + 1 < FT_GC_PHASE_NAME && name[i]; i++)
		ph->name[i] = name[i];
	ph->name[i] = '\0';
	ph->start_ns = t - rec->start_ns;
	c->open_phase = rec->nphases++;
}

static void cycle_write(struct cycle *c, uint64_t t)
{
	struct ft_gc *rec = &c->u.rec;
	struct ft_counters *k = &rt.hdr->counters;

	phase_end(c, t);
	rec->end_ns = t;
	if (segment_back(FT_REGION_EVENTS) < 0) {
		count(&k->events_dropped);
		return;
	}
	if (ft_ring_write(rt.events, rec, sizeof(*rec) + (uint32_t)rec->nframes * 8u, FT_REC_GC) !=
	    UINT64_MAX)
		count(&k->events_written);
	else
		count(&k->events_dropped);
}

/* ---- libgc --------------------------------------------------------------- */

static void libgc_event(int ev)
{
	struct cycle *c = &libgc_cycle;
	struct ft_gc *rec = &c->u.rec;
	gc_event_fn chained = prog_cb;
	uint64_t t;

	if (ev == EV_RECLAIM_END)
		alloc_gc_reclaimed(); /* before an allocation reuses an address */
	if (!writing())
		goto chain;
	t = rt_now(CLOCK_MONOTONIC);
	switch (ev) {
	case EV_START:
		/* a START with no END before it: that collection was given
		 * up (a stop function said so); start afresh */
		cycle_begin(c, FT_GC_SOURCE_LIBGC,
			    explicit_depth ? FT_GC_REASON_EXPLICIT : FT_GC_REASON_ALLOC, t);
		rec->heap_before = lib.heap_size();
		rec->free_before = lib.free_bytes();
		rec->allocated = lib.bytes_since_gc();
		rec->flags |= FT_GC_HAVE_FREE | FT_GC_HAVE_ALLOC | FT_GC_HAVE_NUMBER;
		/* the allocation that triggered it is counted after it */
		rec->thread_bytes = alloc_thread_bytes();
		if (rec->thread_bytes)
			rec->flags |= FT_GC_HAVE_THREAD_BYTES;
		c->state = CYCLE_OPEN;
		break;
	case EV_MARK_START:
	case EV_RECLAIM_START:
		if (c->state == CYCLE_OPEN)
			phase_begin(c, ev == EV_MARK_START ? "mark" : "reclaim", t);
		break;
	case EV_MARK_END:
	case EV_RECLAIM_END:
		if (c->state == CYCLE_OPEN)
			phase_end(c, t);
		break;
	case EV_PRE_STOP_WORLD:
		c->stw_t0 = t;
		break;
	case EV_POST_START_WORLD:
		if (c->state == CYCLE_OPEN && c->stw_t0 && t >= c->stw_t0)
			rec->pause_ns += t - c->stw_t0;
		c->stw_t0 = 0;
		break;
	case EV_END:
		if (c->state != CYCLE_OPEN)
			break;
		rec->heap_after = lib.heap_size();
		rec->free_after = lib.free_bytes();
		rec->number = lib.gc_no();
		if (lib.prof_stats) {
			struct lib_prof_stats ps;

			memset(&ps, 0, sizeof(ps));
			if (lib.prof_stats(&ps, sizeof(ps)) >= sizeof(ps) &&
			    ps.bytes_reclaimed_since_gc) {
				rec->freed = ps.bytes_reclaimed_since_gc;
				rec->flags |= FT_GC_HAVE_FREED;
			}
		}
		cycle_write(c, t);
		c->state = CYCLE_IDLE;
		break;
	}
chain:
	if (chained)
		chained(ev);
}

#define LOOKUP(h, var, name) (*(void **)&(var) = dlsym((h), (name)))

static int is_self(void *fn)
{
	return (uintptr_t)fn >= rt.self_lo && (uintptr_t)fn < rt.self_hi;
}

/* fills lib from handle h; 1 if the collection-event setter is there */
static int lib_resolve(void *h)
{
	LOOKUP(h, lib.set_event, "GC_set_on_collection_event");
	if (!lib.set_event || is_self((void *)lib.set_event)) {
		lib.set_event = NULL;
		return 0;
	}
	LOOKUP(h, lib.get_event, "GC_get_on_collection_event");
	LOOKUP(h, lib.heap_size, "GC_get_heap_size");
	LOOKUP(h, lib.free_bytes, "GC_get_free_bytes");
	LOOKUP(h, lib.bytes_since_gc, "GC_get_bytes_since_gc");
	LOOKUP(h, lib.gc_no, "GC_get_gc_no");
	LOOKUP(h, lib.prof_stats, "GC_get_prof_stats_unsafe");
	if (!lib.get_event || !lib.heap_size || !lib.free_bytes || !lib.bytes_since_gc ||
	    !lib.gc_no) {
		lib.set_event = NULL;
		return 0;
	}
	LOOKUP(h, lib.gcollect, "GC_gcollect");
	LOOKUP(h, lib.gcollect_and_unmap, "GC_gcollect_and_unmap");
	LOOKUP(h, lib.try_to_collect, "GC_try_to_collect");
	return 1;
}

static void hook(void)
{
	gc_event_fn theirs = lib.get_event();

	if (theirs && theirs != libgc_event)
		prog_cb = theirs;
	lib.set_event(libgc_event);
	hooked = 1;
	__atomic_fetch_or(&rt.hdr->flags, FT_FLAG_GC_LIBGC, __ATOMIC_RELEASE);
}

static void too_old(void)
{
	if (old_noted)
		return;
	old_noted = 1;
	rt_note("libgc has no GC_set_on_collection_event (before 7.6?): no GC events");
}

/* a loaded object whose name says libgc: its handle (RTLD_NOLOAD) */
struct find_lib {
	void *handle;
	int seen; /* an object named like libgc */
};

static int find_libgc(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find_lib *f = arg;
	const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;

	(void)size;
	base = base ? base + 1 : info->dlpi_name;
	if (!base || strncmp(base, "libgc.so", 8) != 0)
		return 0;
	f->seen = 1;
	f->handle = gc_real_dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
	return f->handle != NULL;
}

/*
 * libgc's own definition of name, for the allocator hooks (alloc.c): the
 * next one after ours, or, for a libgc the program loaded with RTLD_LOCAL
 * and whose functions it then looked up globally (finding ours), the one
 * in that library.  NULL without libgc.  Works with the runtime off too.
 */
void *gc_real_sym(const char *name)
{
	static void *(*open_)(const char *, int);
	static int (*close_)(void *);
	struct find_lib f = {NULL, 0};
	void *p = dlsym(RTLD_NEXT, name);

	if (p || !real_dl_iterate_phdr)
		return p;
	if (!open_) {
		*(void **)&close_ = dlsym(RTLD_NEXT, "dlclose");
		*(void **)&open_ = dlsym(RTLD_NEXT, "dlopen");
	}
	if (!open_ || !close_)
		return NULL;
	if (!gc_real_dlopen)
		gc_real_dlopen = open_; /* find_libgc's */
	real_dl_iterate_phdr(find_libgc, &f);
	if (f.handle) {
		p = dlsym(f.handle, name);
		/* our reference only: the program's keeps it loaded */
		close_(f.handle);
	}
	return p;
}

/* looks for libgc in the process and hooks it; quiet if there is none */
static void try_hook(void)
{
	struct find_lib f = {NULL, 0};

	if (hooked || resolving || !writing())
		return;
	resolving = 1;
	if (lib_resolve(RTLD_NEXT) || lib_resolve(RTLD_DEFAULT)) {
		hook();
		goto out;
	}
	if (dlsym(RTLD_DEFAULT, "GC_init") && !dlsym(RTLD_DEFAULT, "GC_set_on_collection_event"))
		too_old();
	/* a libgc loaded with RTLD_LOCAL is not in the global scope */
	if (gc_real_dlopen && real_dl_iterate_phdr) {
		real_dl_iterate_phdr(find_libgc, &f);
		if (f.handle) {
			if (lib_resolve(f.handle))
				hook();
			else if (dlsym(f.handle, "GC_init"))
				too_old();
			/* our handle only: the program's references keep
			 * the library loaded as long as it wants it */
			gc_real_dlclose(f.handle);
		}
	}
out:
	resolving = 0;
}

void gc_init(void)
{
	const char *v = getenv("FLAMETOP_GC");

	if (v && *v && strcmp(v, "1") != 0) {
		if (strcmp(v, "0") == 0)
			return;
		rt_note("ignoring FLAMETOP_GC=%s (expected 0 or 1), using 1", v);
	}
	enabled = 1;
	*(void **)&gc_real_dlopen = dlsym(RTLD_NEXT, "dlopen");
	*(void **)&gc_real_dlclose = dlsym(RTLD_NEXT, "dlclose");
	try_hook();
}

int gc_hooked(void)
{
	return hooked;
}

void gc_dlopened(void)
{
	if (!hooked && enabled)
		try_hook();
}

/* ---- libgc's functions, interposed ------------------------------------------ */

/*
 * The program installs its own callback: once ours is in place, theirs is
 * chained behind it instead of replacing it.  Before that (or with the
 * runtime off) the call goes through unchanged.
 */
EXPORT void GC_set_on_collection_event(gc_event_fn fn)
{
	if (hooked) {
		prog_cb = fn;
		return;
	}
	if (!lib.set_event)
		lib_resolve(RTLD_NEXT);
	if (lib.set_event)
		lib.set_event(fn);
}

EXPORT gc_event_fn GC_get_on_collection_event(void)
{
	if (hooked)
		return prog_cb;
	if (!lib.get_event)
		lib_resolve(RTLD_NEXT);
	return lib.get_event ? lib.get_event() : NULL;
}

#define RESOLVE_NEXT(var, name)                                                                    \
	do {                                                                                       \
		if (!(var))                                                                        \
			*(void **)&(var) = dlsym(RTLD_NEXT, name);                                 \
	} while (0)

EXPORT void GC_gcollect(void)
{
	RESOLVE_NEXT(lib.gcollect, "GC_gcollect");
	if (!lib.gcollect)
		return;
	explicit_depth++;
	lib.gcollect();
	explicit_depth--;
}

EXPORT void GC_gcollect_and_unmap(void)
{
	RESOLVE_NEXT(lib.gcollect_and_unmap, "GC_gcollect_and_unmap");
	if (!lib.gcollect_and_unmap)
		return;
	explicit_depth++;
	lib.gcollect_and_unmap();
	explicit_depth--;
}

EXPORT int GC_try_to_collect(int (*stop)(void))
{
	int r;

	RESOLVE_NEXT(lib.try_to_collect, "GC_try_to_collect");
	if (!lib.try_to_collect)
		return 0;
	explicit_depth++;
	r = lib.try_to_collect(stop);
	explicit_depth--;
	return r;
}

/* ---- the API ------------------------------------------------------------------ */

static int claim(struct cycle *c, int from)
{
	int expect = from;

	return __atomic_compare_exchange_n(&c->state, &expect, CYCLE_BUSY, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static void release_to(struct cycle *c, int to)
{
	__atomic_store_n(&c->state, to, __ATOMIC_RELEASE);
}

static void misuse(void)
{
	count(&rt.hdr->counters.gc_misuse);
}

EXPORT void flametop_impl_gc_begin(int reason)
{
	struct cycle *c = &api_cycle;

	if (!writing())
		return;
	if (!claim(c, CYCLE_IDLE)) {
		misuse(); /* a begin inside a collection */
		return;
	}
	if (reason < FLAMETOP_GC_ALLOC || reason > FLAMETOP_GC_OTHER) {
		misuse();
		reason = FT_GC_REASON_UNKNOWN;
	}
	cycle_begin(c, FT_GC_SOURCE_API, (uint16_t)reason, rt_now(CLOCK_MONOTONIC));
	release_to(c, CYCLE_OPEN);
}

EXPORT void flametop_impl_gc_phase(const char *name)
{
	struct cycle *c = &api_cycle;

	if (!writing())
		return;
	if (!claim(c, CYCLE_OPEN)) {
		misuse(); /* outside a collection */
		return;
	}
	phase_begin(c, name, rt_now(CLOCK_MONOTONIC));
	release_to(c, CYCLE_OPEN);
}

EXPORT void flametop_impl_gc_end(unsigned long long heap_before, unsigned long long heap_after,
				 unsigned long long bytes_freed)
{
	struct cycle *c = &api_cycle;
	struct ft_gc *rec = &c->u.rec;
	uint64_t t;

	if (!writing())
		return;
	if (!claim(c, CYCLE_OPEN)) {
		misuse(); /* end without begin */
		return;
	}
	t = rt_now(CLOCK_MONOTONIC);
	rec->heap_before = heap_before;
	rec->heap_after = heap_after;
	rec->freed = bytes_freed;
	rec->flags |= FT_GC_HAVE_FREED;
	rec->pause_ns = t - rec->start_ns;
	cycle_write(c, t);
	release_to(c, CYCLE_IDLE);
}
