/*
 * alloc.c - the malloc family, interposed: sampled allocations and the
 * release of sampled blocks, written to the sample ring.
 *
 * Every hook calls the next definition (dlsym(RTLD_NEXT)) and behaves
 * exactly like it for the caller: same arguments, return value and errno.
 * The fast path of an allocation is one thread-local subtraction (bytes
 * left until this thread's next sample, alloc-stat.c); a free() reads one
 * global word, and one filter counter while sampled blocks are live.
 * Nothing here takes a lock or makes a system call unless a block is
 * sampled or a sampled block is released.
 *
 * Async-signal-safe only — no malloc (of our own), no stdio, no locks,
 * memory allocated up front: a program may allocate in a signal handler
 * that interrupted one of these hooks, and a sampled allocation unwinds
 * the stack where it is.  So:
 *   - a thread-local guard is held while a sample is taken: anything the
 *     unwinder (or a signal handler of the program) allocates meanwhile
 *     passes straight through, never sampled, never re-entering us;
 *   - the thread counts as inside the loader while libunwind walks its
 *     stack, so the sampling handler drops a sample that lands there
 *     (libunwind's per-thread cache is not re-entrant); a thread inside the
 *     dynamic loader, or with less than ALLOC_STACK_NEED bytes of known
 *     stack left, is written without a stack (FT_ALLOC_NOSTACK);
 *   - live sampled blocks are kept in a lock-free set in private memory
 *     (alloc-live.c), never in the segment, which any process of the
 *     user can write.
 *
 * Bootstrap: until dlsym has found the real functions (dlsym itself
 * allocates), blocks come from a small static arena; free() ignores
 * them, realloc() copies them out.
 *
 * Samples are taken whenever the runtime records (a viewer attached, or
 * FLAMETOP_ALWAYS), in the process that started it (from fork() on
 * until the child turned the runtime off, nothing is written); unwatched, a thread only redraws its
 * countdown.  The runtime thread's own allocations are never sampled.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#define UNW_LOCAL_ONLY
#include "alloc.h"
#include "coro.h"
#include "ring.h"
#include "rt.h"
#include "unwind.h"

#define EXPORT __attribute__((visibility("default")))
#define TLS __attribute__((tls_model("initial-exec")))

#define ARENA_SIZE (64u * 1024u)
#define LIVE_BUCKETS (1u << 14) /* 131072 blocks tracked at most */
#define SKIP_MAX 8u		/* our own frames above the caller's */
#define ALLOC_STACK_NEED (16u * 1024u)

enum { ALLOC_UNREADY = 0, ALLOC_ON = 1, ALLOC_OFF = 2 };

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

static volatile int state; /* ALLOC_* */
static uint64_t rate;	   /* mean bytes between samples, 0: all */
static struct alloc_live live;

static __thread struct alloc_stat tl_stat TLS;
static __thread int tl_guard TLS;
static __thread pid_t tl_tid TLS;

/* ---- bootstrap ---------------------------------------------------------- */

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(64)));
static uint64_t arena_used;

static int in_arena(const void *p)
{
	return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + ARENA_SIZE;
}

/* a block of the arena; its size is kept in the 8 bytes before it */
static void *arena_alloc(size_t size, size_t align)
{
	uint64_t old, start, end;

	if (align < 16)
		align = 16;
	if (size > ARENA_SIZE || align > ARENA_SIZE / 4)
		goto full;
	old = __atomic_load_n(&arena_used, __ATOMIC_RELAXED);
	do {
		start = (old + 8 + align - 1) & ~(uint64_t)(align - 1);
		end = start + ((size + 15) & ~(size_t)15);
		if (end > ARENA_SIZE)
			goto full;
	} while (!__atomic_compare_exchange_n(&arena_used, &old, end, 0, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	memcpy(arena + start - 8, &size, sizeof(size));
	return arena + start; /* zeroed: the arena is never reused */
full:
	errno = ENOMEM;
	return NULL;
}

static size_t arena_size(const void *p)
{
	size_t size;

	memcpy(&size, (const unsigned char *)p - 8, sizeof(size));
	return size;
}

#define RESOLVE(var, name) (*(void **)&(var) = dlsym(RTLD_NEXT, name))

/* 1 once the real functions are known; 0 while another call resolves
 * them (dlsym allocating, or another thread): use the arena */
static int resolve(void)
{
	static volatile int resolving;

	if (__atomic_load_n(&real_malloc, __ATOMIC_ACQUIRE))
		return 1;
	if (__atomic_exchange_n(&resolving, 1, __ATOMIC_ACQ_REL))
		return 0;
	RESOLVE(real_free, "free");
	RESOLVE(real_calloc, "calloc");
	RESOLVE(real_realloc, "realloc");
	RESOLVE(real_posix_memalign, "posix_memalign");
	RESOLVE(real_aligned_alloc, "aligned_alloc");
	RESOLVE(real_memalign, "memalign");
	RESOLVE(real_valloc, "valloc");
	RESOLVE(real_pvalloc, "pvalloc");
	{
		void *m = dlsym(RTLD_NEXT, "malloc");

		__atomic_store_n((void **)&real_malloc, m, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&resolving, 0, __ATOMIC_RELEASE);
	return real_malloc != NULL;
}

/* ---- samples ------------------------------------------------------------ */

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static pid_t my_tid(void)
{
	if (!tl_tid)
		tl_tid = (pid_t)syscall(SYS_gettid);
	return tl_tid;
}

/* whether records go to the segment now, from this process: they go to
 * the sample ring (2 MiB by default, backed once sampling starts, or at
 * start with FLAMETOP_ALWAYS) */
static int recording(void)
{
	return rt.on && rt.hdr && rt.samples && !rt.forking && (rt.sampling || rt.set.always) &&
	       segment_backed(FT_REGION_SAMPLES);
}

/* the bytes of known stack below sp, or SIZE_MAX when not known (a
 * coroutine's stack, a signal stack) */
static size_t stack_room(uintptr_t sp)
{
	if (!rt_stack_lo || sp < rt_stack_lo || sp >= rt_stack_hi)
		return SIZE_MAX;
	return sp - rt_stack_lo;
}

/* the caller's stack into rec->pc, without this library's frames */
static __attribute__((noinline)) void capture(struct ft_alloc *rec, uint32_t depth)
{
	uint64_t *pc = rec->pc;
	int n, skip = 0;

	if (rt_in_loader || stack_room((uintptr_t)__builtin_frame_address(0)) < ALLOC_STACK_NEED) {
		rec->flags |= FT_ALLOC_NOSTACK;
		count(&rt.hdr->counters.alloc_nostack);
		return;
	}
	/* the sampling handler drops a sample that lands here (drop_busy),
	 * as it does inside the loader: libunwind's per-thread cache is
	 * not re-entrant */
	rt_in_loader++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	n = unwind_backtrace((void **)pc, (int)(depth + SKIP_MAX));
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	rt_in_loader--;
	while (skip < n && skip < (int)SKIP_MAX && pc[skip] >= rt.self_lo && pc[skip] < rt.self_hi)
		skip++;
	n -= skip;
	if (n > (int)depth) {
		n = (int)depth;
		rec->flags |= FT_ALLOC_TRUNCATED;
	}
	if (n <= 0) {
		rec->flags |= FT_ALLOC_NOSTACK;
		count(&rt.hdr->counters.alloc_nostack);
		return;
	}
	memmove(pc, pc + skip, (size_t)n * sizeof(*pc));
	rec->nframes = (uint16_t)n;
}

static __attribute__((noinline)) void write_alloc(void *p, size_t size, uint64_t bytes,
						  uint64_t objects, uint16_t source, uint16_t flags)
{
	uint32_t depth = rt.set.depth;
	uint64_t words[sizeof(struct ft_alloc) / 8 + depth + SKIP_MAX];
	struct ft_alloc *rec = (struct ft_alloc *)words;
	struct ft_counters *c = &rt.hdr->counters;

	memset(rec, 0, sizeof(*rec));
	capture(rec, depth);
	rec->time_ns = rt_now(CLOCK_MONOTONIC);
	rec->addr = (uint64_t)(uintptr_t)p;
	rec->size = size;
	rec->weight_bytes = bytes;
	rec->weight_objects = objects;
	rec->rate = rate;
	rec->coro_id = ft_coro_cur;
	rec->labels_id = ft_coro_labels;
	rec->tid = my_tid();
	rec->source = source;
	rec->flags |= flags;
	rec->thread_bytes = alloc_stat_total(&tl_stat);
	if (!(flags & FT_ALLOC_UNTRACKED) && alloc_live_insert(&live, rec->addr) < 0) {
		rec->flags |= FT_ALLOC_UNTRACKED;
		count(&c->alloc_untracked);
	}
	if (ft_ring_write(rt.samples, rec, sizeof(*rec) + (uint32_t)rec->nframes * 8u,
			  FT_REC_ALLOC) != UINT64_MAX)
		count(&c->events_written);
	else
		count(&c->events_dropped);
}

static void *gc_track(void *p, uint64_t n);

static uint64_t seed(void)
{
	return rt_now(CLOCK_MONOTONIC) ^ ((uint64_t)(uintptr_t)&tl_stat << 16) ^ (uint64_t)my_tid();
}

/*
 * The slow path of every allocation: this thread's countdown ran out (or
 * was never drawn).  p is the block the real function returned.
 */
/* heap: the bytes the block really takes (libgc's granules; size for
 * the malloc family), what the countdown counted: the estimate is of
 * those */
static __attribute__((noinline)) void sampled_as(void *p, size_t size, uint64_t heap, uint64_t n,
						 uint16_t source, uint16_t flags)
{
	uint64_t bytes, objects;
	int saved;

	if (tl_guard)
		return; /* our own, or a signal handler's inside a sample */
	if (state != ALLOC_ON) {
		if (state == ALLOC_OFF)
			tl_stat.left = INT64_MAX / 2;
		return;
	}
	saved = errno;
	tl_guard = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (alloc_stat_take(&tl_stat, heap, rate, tl_stat.rng ? 0 : seed(), &bytes, &objects) &&
	    p && recording()) {
		if (source == FT_ALLOC_GC) {
			void *obj = gc_track(p, n);

			if (obj)
				p = obj;
			else
				flags |= FT_ALLOC_UNTRACKED;
		}
		write_alloc(p, size, bytes, objects * n, source, flags);
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	tl_guard = 0;
	errno = saved;
}

/* one block of the malloc family */
static void sampled(void *p, size_t size, uint16_t source)
{
	sampled_as(p, size, size, 1, source, 0);
}

/* a block is being released: if it was sampled, say so (before the real
 * free, so that its address cannot be handed out again first) */
static __attribute__((noinline)) void released(void *p)
{
	struct ft_free rec;
	int saved;

	if (!alloc_live_remove(&live, (uint64_t)(uintptr_t)p))
		return;
	saved = errno;
	if (recording()) {
		memset(&rec, 0, sizeof(rec));
		rec.time_ns = rt_now(CLOCK_MONOTONIC);
		rec.addr = (uint64_t)(uintptr_t)p;
		rec.tid = my_tid();
		if (ft_ring_write(rt.samples, &rec, sizeof(rec), FT_REC_FREE) != UINT64_MAX)
			count(&rt.hdr->counters.events_written);
		else
			count(&rt.hdr->counters.events_dropped);
	}
	errno = saved;
}

/* 1 when this allocation of size bytes takes the slow path */
static inline int account(size_t size)
{
	return __builtin_expect((tl_stat.left -= (int64_t)size) <= 0, 0);
}

/* 0 if p is surely not a live sampled block (a load, two while some are) */
static inline int maybe_sampled(const void *p)
{
	return __builtin_expect(__atomic_load_n(&live.count, __ATOMIC_RELAXED) != 0, 0) &&
	       alloc_live_maybe(&live, (uint64_t)(uintptr_t)p);
}

static inline void release(void *p)
{
	if (maybe_sampled(p))
		released(p);
}

/* ---- the hooks ---------------------------------------------------------- */

/* for an allocator this libc does not have */
static void *enomem(void)
{
	errno = ENOMEM;
	return NULL;
}

EXPORT void *malloc(size_t size)
{
	void *p;

	if (!account(size))
		return real_malloc(size);
	if (!resolve())
		return arena_alloc(size, 16);
	p = real_malloc(size);
	sampled(p, size, FT_ALLOC_MALLOC);
	return p;
}

EXPORT void free(void *p)
{
	if (!p)
		return;
	release(p);
	if (in_arena(p))
		return;
	if (real_free || resolve())
		real_free(p);
}

EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total))
		total = SIZE_MAX;
	if (!account(total))
		return real_calloc(n, size);
	if (!resolve()) {
		if (total == SIZE_MAX) {
			errno = ENOMEM;
			return NULL;
		}
		return arena_alloc(total, 16);
	}
	p = real_calloc(n, size);
	sampled(p, total, FT_ALLOC_CALLOC);
	return p;
}

EXPORT void *realloc(void *old, size_t size)
{
	void *p;

	if (in_arena(old)) {
		size_t keep = arena_size(old);

		p = malloc(size);
		if (p)
			memcpy(p, old, keep < size ? keep : size);
		return p;
	}
	if (old)
		release(old);
	if (!account(size))
		return real_realloc(old, size);
	if (!resolve())
		return arena_alloc(size, 16);
	p = real_realloc(old, size);
	if (size)
		sampled(p, size, FT_ALLOC_REALLOC);
	return p;
}

EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(old, total);
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	int err;

	if (!real_posix_memalign && resolve() && !real_posix_memalign)
		return ENOMEM; /* this libc has none */
	if (!real_posix_memalign) {
		if (!align || (align & (align - 1)) || align % sizeof(void *))
			return EINVAL;
		*out = arena_alloc(size, align);
		return *out ? 0 : ENOMEM;
	}
	if (!account(size))
		return real_posix_memalign(out, align, size);
	err = real_posix_memalign(out, align, size);
	sampled(err ? NULL : *out, size, FT_ALLOC_ALIGNED);
	return err;
}

/* the aligned allocators of one (alignment, size) argument list */
#define ALIGNED_HOOK(name, real)                                                                   \
	EXPORT void *name(size_t align, size_t size)                                               \
	{                                                                                          \
		void *p;                                                                           \
                                                                                                   \
		if (!(real) && (!resolve() || !(real)))                                            \
			return !real_malloc ? arena_alloc(size, align) : enomem();                 \
		if (!account(size))                                                                \
			return (real)(align, size);                                                \
		p = (real)(align, size);                                                           \
		sampled(p, size, FT_ALLOC_ALIGNED);                                                \
		return p;                                                                          \
	}

ALIGNED_HOOK(aligned_alloc, real_aligned_alloc)
ALIGNED_HOOK(memalign, real_memalign)

/* the page-aligned ones */
#define PAGE_HOOK(name, real)                                                                      \
	EXPORT void *name(size_t size)                                                             \
	{                                                                                          \
		void *p;                                                                           \
                                                                                                   \
		if (!(real) && (!resolve() || !(real)))                                            \
			return !real_malloc ? arena_alloc(size, 4096) : enomem();                  \
		if (!account(size))                                                                \
			return (real)(size);                                                       \
		p = (real)(size);                                                                  \
		sampled(p, size, FT_ALLOC_ALIGNED);                                                \
		return p;                                                                          \
	}

PAGE_HOOK(valloc, real_valloc)
PAGE_HOOK(pvalloc, real_pvalloc)

/* ---- libgc's allocators --------------------------------------------------
 *
 * The Boehm collector's allocation calls are sampled like malloc's, and
 * written with FT_ALLOC_GC; the collector says when a sampled object dies
 * (below).  libgc calls its own exports through the PLT (GC_malloc
 * calls GC_malloc_kind): a thread-local depth counts only the outermost.
 * A batch of GC_generic_malloc_many / GC_malloc_many (the free lists that
 * guile and gc_inline.h allocate from) is counted when it is handed out,
 * as one block of all its bytes standing for its objects.  The real
 * functions are looked up at the first call: a process without libgc
 * never calls them.
 */
static __thread int tl_in_gc TLS;

/* a list of libgc objects linked through their first word (GC_NEXT) */
static uint64_t gc_list_len(void *p)
{
	uint64_t n = 0;

	for (; p && n < (1u << 20); p = *(void **)p)
		n++;
	return n;
}

#define GC_RESOLVE(real, name)                                                                     \
	do {                                                                                       \
		if (!(real))                                                                       \
			*(void **)&(real) = gc_real_sym(name);                                     \
	} while (0)

/* what an object of lb bytes takes in libgc's heap: rounded up to the
 * 16-byte granule, after the byte libgc adds when every interior pointer
 * counts (GC_all_interior_pointers, its default); the bytes that bring
 * the next collection nearer, as the collector counts them */
static size_t gc_heap_size(size_t lb)
{
	static int (*interior)(void);
	static int extra = -1;

	if (extra < 0) {
		GC_RESOLVE(interior, "GC_get_all_interior_pointers");
		extra = interior && interior() ? 1 : 0;
	}
	return (lb + (size_t)extra + 15) & ~(size_t)15;
}

/* size: the bytes asked for, heap: what they take in the heap (what the
 * countdown counted), n objects of size / n each (the slow path: the
 * countdown ran out) */
static void gc_sampled(void *p, size_t size, size_t heap, uint64_t n)
{
	if (tl_guard || !p || !n)
		return;
	sampled_as(p, size, heap, n, FT_ALLOC_GC, 0);
}

/*
 * libgc's objects in use.  Nothing frees a collected object, so the
 * collector tells: a sampled object gets a long link (GC_register_long_link,
 * cleared when the object is reclaimed, after any finalizer) in a slot of
 * private memory that libgc does not scan, holding the address hidden
 * (complemented), so that the slot keeps nothing alive.  At the end of
 * each collection's reclaim phase (GC_EVENT_RECLAIM_END, under libgc's
 * lock, before an allocation can hand a reclaimed address out again:
 * gc.c) the slots whose link libgc cleared are released as a free() would
 * be, and reused.  The sample of a batch stands for all its objects; its
 * link is set on one of them drawn at random, so that in-use estimates
 * without bias the share of the batch still alive.  GC_free() of a
 * sampled object releases it at once.  Without libgc's collection events
 * (before 7.6), or with every slot taken, a sample is written untracked.
 */
#define GC_SLOTS (1u << 16)
#define GC_PROBES 64u

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_LINKED };

static struct {
	void *volatile mem; /* the three arrays, mapped at the first use */
	void **link;	    /* GC_SLOTS links */
	uint64_t *addr;	    /* the objects */
	uint8_t *state;	    /* SLOT_* */
	uint32_t high;	    /* slots at and above it are free */
	uint32_t cursor;    /* where the next claim starts */
	int (*reg)(void **, const void *);
	int (*unreg)(void **);
	volatile int ready; /* 1: on, -1: libgc cannot link */
} gcl;

static int gc_links_ready(void)
{
	size_t size = (size_t)GC_SLOTS * (8 + 8 + 1);
	void *mem, *none = NULL;

	if (gcl.ready)
		return gcl.ready > 0;
	if (!gc_hooked())
		return 0; /* no reclaim events (yet): nothing could release */
	GC_RESOLVE(gcl.reg, "GC_register_long_link");
	GC_RESOLVE(gcl.unreg, "GC_unregister_long_link");
	if (!gcl.reg || !gcl.unreg) {
		gcl.ready = -1;
		return 0;
	}
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (mem == MAP_FAILED)
		return 0;
	if (!__atomic_compare_exchange_n(&gcl.mem, &none, mem, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		munmap(mem, size); /* another thread's came first */
		mem = none;
	}
	gcl.link = mem;
	gcl.addr = (uint64_t *)((char *)mem + (size_t)GC_SLOTS * 8);
	gcl.state = (uint8_t *)mem + (size_t)GC_SLOTS * 16;
	__atomic_store_n(&gcl.ready, 1, __ATOMIC_RELEASE);
	return 1;
}

static int gc_claim_at(uint32_t s)
{
	uint8_t free_ = SLOT_FREE;
	uint32_t high;

	if (!__atomic_compare_exchange_n(&gcl.state[s], &free_, SLOT_CLAIMED, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return 0;
	high = __atomic_load_n(&gcl.high, __ATOMIC_RELAXED);
	while (s >= high && !__atomic_compare_exchange_n(&gcl.high, &high, s + 1, 0,
							 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;
	return 1;
}

/* a free slot, claimed: among the used ones first, else above them; -1 */
static int64_t gc_claim(void)
{
	uint32_t high = __atomic_load_n(&gcl.high, __ATOMIC_ACQUIRE);
	uint32_t start = __atomic_fetch_add(&gcl.cursor, 1, __ATOMIC_RELAXED);
	uint32_t i, s;

	for (i = 0; high && i < GC_PROBES; i++) {
		s = (start + i) % high;
		if (gc_claim_at(s))
			return s;
	}
	for (s = high; s < GC_SLOTS && s < high + GC_PROBES; s++)
		if (gc_claim_at(s))
			return s;
	return -1;
}

/* p: a sampled object, or the head of a batch of n; the object whose life
 * the sample follows, linked, or NULL (untracked) */
static void *gc_track(void *p, uint64_t n)
{
	void *obj = p;
	int64_t s;

	if (!gc_links_ready())
		return NULL;
	if (n > 1) {
		uint64_t k = (uint64_t)(alloc_stat_uniform(&tl_stat, 0) * (double)n);

		if (k >= n)
			k = n - 1;
		for (; k && *(void **)obj; k--)
			obj = *(void **)obj;
	}
	s = gc_claim();
	if (s < 0) {
		count(&rt.hdr->counters.alloc_untracked);
		return NULL;
	}
	gcl.addr[s] = (uint64_t)(uintptr_t)obj;
	gcl.link[s] = (void *)~(uintptr_t)obj;
	if (gcl.reg(&gcl.link[s], obj) != 0) {
		__atomic_store_n(&gcl.state[s], SLOT_FREE, __ATOMIC_RELEASE);
		count(&rt.hdr->counters.alloc_untracked);
		return NULL;
	}
	__atomic_store_n(&gcl.state[s], SLOT_LINKED, __ATOMIC_RELEASE);
	return obj;
}

void alloc_gc_reclaimed(void)
{
	uint32_t high, s;

	if (__atomic_load_n(&gcl.ready, __ATOMIC_ACQUIRE) != 1)
		return;
	high = __atomic_load_n(&gcl.high, __ATOMIC_ACQUIRE);
	for (s = 0; s < high; s++) {
		if (__atomic_load_n(&gcl.state[s], __ATOMIC_ACQUIRE) != SLOT_LINKED ||
		    __atomic_load_n(&gcl.link[s], __ATOMIC_RELAXED))
			continue;
		released((void *)(uintptr_t)gcl.addr[s]);
		__atomic_store_n(&gcl.state[s], SLOT_FREE, __ATOMIC_RELEASE);
	}
}

/* GC_free() of p: its link goes, and its release is written */
static void gc_unlink(void *p)
{
	uint64_t a = (uint64_t)(uintptr_t)p;
	uint32_t high, s;

	if (__atomic_load_n(&gcl.ready, __ATOMIC_ACQUIRE) != 1 || !maybe_sampled(p))
		return;
	high = __atomic_load_n(&gcl.high, __ATOMIC_ACQUIRE);
	for (s = 0; s < high; s++) {
		uint8_t linked = SLOT_LINKED;

		if (gcl.addr[s] != a ||
		    !__atomic_compare_exchange_n(&gcl.state[s], &linked, SLOT_CLAIMED, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		gcl.unreg(&gcl.link[s]);
		__atomic_store_n(&gcl.state[s], SLOT_FREE, __ATOMIC_RELEASE);
		break;
	}
	released(p);
}

EXPORT void GC_free(void *p)
{
	static void (*real)(void *);

	GC_RESOLVE(real, "GC_free");
	if (!real)
		return;
	if (p)
		gc_unlink(p);
	real(p);
}

/* void *name(size_t lb) */
#define GC_HOOK1(name)                                                                             \
	EXPORT void *name(size_t lb)                                                               \
	{                                                                                          \
		static void *(*real)(size_t);                                                      \
		size_t heap;                                                                       \
		void *p;                                                                           \
                                                                                                   \
		GC_RESOLVE(real, #name);                                                           \
		if (!real)                                                                         \
			return enomem();                                                           \
		if (tl_in_gc)                                                                      \
			return real(lb);                                                           \
		tl_in_gc = 1;                                                                      \
		p = real(lb);                                                                      \
		tl_in_gc = 0;                                                                      \
		heap = gc_heap_size(lb);                                                           \
		if (account(heap))                                                                 \
			gc_sampled(p, lb, heap, 1);                                                \
		return p;                                                                          \
	}

/* void *name(size_t lb, int kind) */
#define GC_HOOK2(name)                                                                             \
	EXPORT void *name(size_t lb, int k)                                                        \
	{                                                                                          \
		static void *(*real)(size_t, int);                                                 \
		size_t heap;                                                                       \
		void *p;                                                                           \
                                                                                                   \
		GC_RESOLVE(real, #name);                                                           \
		if (!real)                                                                         \
			return enomem();                                                           \
		if (tl_in_gc)                                                                      \
			return real(lb, k);                                                        \
		tl_in_gc = 1;                                                                      \
		p = real(lb, k);                                                                   \
		tl_in_gc = 0;                                                                      \
		heap = gc_heap_size(lb);                                                           \
		if (account(heap))                                                                 \
			gc_sampled(p, lb, heap, 1);                                                \
		return p;                                                                          \
	}

GC_HOOK1(GC_malloc)
GC_HOOK1(GC_malloc_atomic)
GC_HOOK1(GC_malloc_uncollectable)
GC_HOOK1(GC_malloc_atomic_uncollectable)
GC_HOOK1(GC_malloc_ignore_off_page)
GC_HOOK1(GC_malloc_atomic_ignore_off_page)
GC_HOOK2(GC_malloc_kind)
GC_HOOK2(GC_malloc_kind_global)
GC_HOOK2(GC_generic_malloc)
GC_HOOK2(GC_generic_malloc_ignore_off_page)
GC_HOOK2(GC_generic_malloc_uncollectable)

EXPORT void GC_generic_malloc_many(size_t lb, int k, void **result)
{
	static void (*real)(size_t, int, void **);
	uint64_t n;

	GC_RESOLVE(real, "GC_generic_malloc_many");
	if (!real) {
		*result = NULL;
		return;
	}
	if (tl_in_gc) {
		real(lb, k, result);
		return;
	}
	tl_in_gc = 1;
	real(lb, k, result);
	tl_in_gc = 0;
	n = gc_list_len(*result);
	/* a free list's objects come in the heap's size already */
	if (n && account(lb * n))
		gc_sampled(*result, lb * n, lb * n, n);
}

EXPORT void *GC_malloc_many(size_t lb)
{
	static void *(*real)(size_t);
	uint64_t n;
	void *p;

	GC_RESOLVE(real, "GC_malloc_many");
	if (!real)
		return enomem();
	if (tl_in_gc)
		return real(lb);
	tl_in_gc = 1;
	p = real(lb);
	tl_in_gc = 0;
	n = gc_list_len(p);
	if (n && account(lb * n))
		gc_sampled(p, lb * n, lb * n, n);
	return p;
}

/* ---- life --------------------------------------------------------------- */

uint64_t alloc_thread_bytes(void)
{
	return alloc_stat_total(&tl_stat);
}

void alloc_ignore_thread(void)
{
	tl_guard = 1;
}

void alloc_init(void)
{
	size_t size = alloc_live_size(LIVE_BUCKETS);
	void *mem;

	if (!resolve()) {
		state = ALLOC_OFF;
		return;
	}
	if (!rt.on || !rt.hdr) {
		state = ALLOC_OFF;
		return;
	}
	if (dlsym(RTLD_DEFAULT, "malloc") != (void *)malloc) {
		rt_note("the program's malloc is not interposable (it has its own); "
			"allocations are not sampled");
		state = ALLOC_OFF;
		return;
	}
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (mem == MAP_FAILED) {
		rt_note("cannot map the table of sampled blocks; allocations are not sampled");
		state = ALLOC_OFF;
		return;
	}
	alloc_live_init(&live, mem, LIVE_BUCKETS);
	rate = rt.set.alloc_rate;
	rt.hdr->alloc_rate = rate;
	__atomic_fetch_or(&rt.hdr->flags, FT_FLAG_ALLOC, __ATOMIC_RELEASE);
	__atomic_store_n(&state, ALLOC_ON, __ATOMIC_RELEASE);
}
