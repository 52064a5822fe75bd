/*
 * flametop.h - the public API of libflametop, the flametop runtime.
 *
 * A program linked with -lflametop (or started with the runtime preloaded)
 * samples itself into shared memory when the environment has FLAMETOP=1;
 * see flametop(3) for the FLAMETOP_* settings.  Nothing here is needed to
 * be profiled: the API only adds what the runtime cannot see by itself.
 */
#ifndef FLAMETOP_H
#define FLAMETOP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if the runtime is sampling this process (segment published), else 0. */
int flametop_active(void);

/*
 * Garbage collections, for programs and language runtimes with their own
 * collector (libgc's are recorded without any call).  A collection begins
 * with a reason, may go through named phases ("mark", "sweep": each phase
 * ends where the next begins; NULL ends the current one), and ends with
 * the heap's size in bytes before and after it and the bytes it freed.
 * One collection at a time per process; calls that do not fit (an end
 * without a begin, a begin inside a collection) are counted and ignored.
 * These are inline calls through weak references: a program that uses
 * them runs unchanged, and links, without libflametop.
 */
enum flametop_gc_reason {
	FLAMETOP_GC_ALLOC = 1,	  /* an allocation crossed the threshold */
	FLAMETOP_GC_EXPLICIT = 2, /* the program asked for a collection */
	FLAMETOP_GC_OTHER = 3,	  /* any other reason */
};

/*
 * Coroutines and labels.
 *
 * The functions below are inline wrappers around weak references to the
 * runtime: a program built with this header runs unchanged when the
 * runtime is not linked or preloaded (every call is then one test of a
 * null pointer), and when the runtime is there but off (FLAMETOP unset)
 * every call returns at once.  Misuse (an unknown id, leave or park with
 * no coroutine entered, a pop with nothing pushed, a NULL or over-long
 * name) is counted in the segment and otherwise ignored.
 *
 * Coroutines switched with glibc's makecontext/swapcontext/setcontext are
 * tracked without any of this; these calls are for libraries with their
 * own switch (assembly, boost.context, libco) and for naming and labels.
 */
typedef uint64_t flametop_coro_t; /* 0: no coroutine */

#if (defined(__GNUC__) || defined(__clang__)) && !defined(FLAMETOP_BUILDING)
#define FLAMETOP_WEAK_ __attribute__((weak))
#else
#define FLAMETOP_WEAK_
#endif

FLAMETOP_WEAK_ flametop_coro_t flametop__coro_create(const char *name);
FLAMETOP_WEAK_ void flametop__coro_enter(flametop_coro_t id);
FLAMETOP_WEAK_ void flametop__coro_leave(void);
FLAMETOP_WEAK_ void flametop__coro_park(const char *reason);
FLAMETOP_WEAK_ void flametop__coro_exit(flametop_coro_t id);
FLAMETOP_WEAK_ void flametop__coro_rename(flametop_coro_t id, const char *name);
FLAMETOP_WEAK_ flametop_coro_t flametop__coro_current(void);
FLAMETOP_WEAK_ void flametop__label_push(const char *key, const char *value);
FLAMETOP_WEAK_ void flametop__label_pop(void);

FLAMETOP_WEAK_ void flametop_impl_gc_begin(int reason);
FLAMETOP_WEAK_ void flametop_impl_gc_phase(const char *name);
FLAMETOP_WEAK_ void flametop_impl_gc_end(unsigned long long heap_before,
					 unsigned long long heap_after,
					 unsigned long long bytes_freed);

/* The runtime itself (FLAMETOP_BUILDING) defines the entry points and
 * uses none of the wrappers. */
#ifndef FLAMETOP_BUILDING
/* Creates a coroutine (not running yet) named name (at most 31 bytes
 * kept); it inherits the labels of the caller.  Returns its id, or 0 when
 * the runtime is off or its table is full. */
static inline flametop_coro_t flametop_coro_create(const char *name)
{
	return flametop__coro_create ? flametop__coro_create(name) : 0;
}

/* The calling thread now runs coroutine id (leaving the one it ran). */
static inline void flametop_coro_enter(flametop_coro_t id)
{
	if (flametop__coro_enter)
		flametop__coro_enter(id);
}

/* The calling thread stops running its coroutine and runs as itself. */
static inline void flametop_coro_leave(void)
{
	if (flametop__coro_leave)
		flametop__coro_leave();
}

/* The running coroutine waits for reason ("chan recv", "sleep", at most
 * 23 bytes kept): call it on the coroutine's stack just before switching
 * away; its stack as of this call is what viewers show as parked. */
static inline void flametop_coro_park(const char *reason)
{
	if (flametop__coro_park)
		flametop__coro_park(reason);
}

/* Coroutine id is gone; its id is never reused. */
static inline void flametop_coro_exit(flametop_coro_t id)
{
	if (flametop__coro_exit)
		flametop__coro_exit(id);
}

static inline void flametop_coro_rename(flametop_coro_t id, const char *name)
{
	if (flametop__coro_rename)
		flametop__coro_rename(id, name);
}

/* The coroutine the calling thread runs, or 0. */
static inline flametop_coro_t flametop_coro_current(void)
{
	return flametop__coro_current ? flametop__coro_current() : 0;
}

/* Adds key=value to the labels of the running coroutine (or of the thread
 * when none runs) until the matching pop; a key pushed again hides its
 * older value.  Keys: 1-63 bytes, no '=' and no control characters;
 * values: at most 127 bytes, no control characters; at most 8 keys. */
static inline void flametop_label_push(const char *key, const char *value)
{
	if (flametop__label_push)
		flametop__label_push(key, value);
}

static inline void flametop_label_pop(void)
{
	if (flametop__label_pop)
		flametop__label_pop();
}

static inline void flametop_gc_begin(enum flametop_gc_reason reason)
{
	if (flametop_impl_gc_begin)
		flametop_impl_gc_begin((int)reason);
}

static inline void flametop_gc_phase(const char *name)
{
	if (flametop_impl_gc_phase)
		flametop_impl_gc_phase(name);
}

static inline void flametop_gc_end(unsigned long long heap_before, unsigned long long heap_after,
				   unsigned long long bytes_freed)
{
	if (flametop_impl_gc_end)
		flametop_impl_gc_end(heap_before, heap_after, bytes_freed);
}
#endif

#ifdef __cplusplus
}
#endif

#endif
