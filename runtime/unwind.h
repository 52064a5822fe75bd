/*
 * unwind.h - libunwind, loaded when sampling is first wanted.
 *
 * The runtime does not link libunwind: a process that merely inherits the
 * runtime (and never gets a viewer) would pay for mapping and relocating
 * it, and liblzma with it, at every start.  unwind_load() opens it with
 * dlopen() once, from the runtime thread before the first timer is armed
 * (or from the constructor under FLAMETOP_ALWAYS), and fills unwind_lib
 * with its entry points.
 *
 * Include this header instead of <libunwind.h> (after defining
 * UNW_LOCAL_ONLY for this process's own stacks, without it for address
 * spaces of our own): the unw_* names then call through unwind_lib, so call
 * sites read as libunwind's documentation.  Nothing may call them before
 * unwind_loaded() is true.
 *
 * Thread-local storage: unw_backtrace() keeps a per-thread cache in
 * libunwind's TLS, which glibc allocates (malloc, under the loader's TLS
 * lock) at a thread's first access when the library was loaded with
 * dlopen().  A thread's first unw_backtrace() must therefore never happen
 * in a signal handler: unwind_backtrace() (any context but a signal
 * handler) marks the calling thread, and the sampling handler uses
 * unw_backtrace() only on marked threads (unwind_thread_ready()), and the
 * TLS-free unw_init_local2()/unw_step() elsewhere.
 */
#ifndef FT_UNWIND_H
#define FT_UNWIND_H

#include <libunwind.h>

struct unwind_calls {
	int (*init_local2)(unw_cursor_t *, unw_context_t *, int);     /* local only */
	int (*init_remote)(unw_cursor_t *, unw_addr_space_t, void *); /* remote only */
	int (*get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
	int (*step)(unw_cursor_t *);
	int (*set_caching_policy)(unw_addr_space_t, unw_caching_policy_t);
	unw_accessors_t *(*get_accessors)(unw_addr_space_t);
	unw_addr_space_t (*create_addr_space)(unw_accessors_t *, int); /* remote only */
};

struct unwind_lib {
	struct unwind_calls local;  /* libunwind.so: this process */
	struct unwind_calls remote; /* libunwind-ARCH.so: NULLs if it is missing */
	int (*backtrace)(void **, int);
	int (*getcontext)(unw_context_t *);
	unw_addr_space_t local_addr_space;
	/* the remote library's lookup in a binary search table (exported,
	 * not declared) */
	int (*search_unwind_table)(unw_addr_space_t, unw_word_t, unw_dyn_info_t *,
				   unw_proc_info_t *, int, void *);
};

extern struct unwind_lib unwind_lib;
extern __thread int unwind_tls_ready __attribute__((tls_model("initial-exec")));

/* loads and sets up libunwind (idempotent, thread-safe, never from a
 * signal handler); marks the calling thread ready.  0, or -1 with a
 * message in err */
int unwind_load(char *err, size_t errlen);
/* 1 once unwind_load() succeeded (acquire: unwind_lib is filled) */
int unwind_loaded(void);
/* unw_backtrace() outside signal handlers: 0 frames if libunwind is not
 * loaded; marks the calling thread ready */
int unwind_backtrace(void **pc, int max);

/* async-signal-safe: this thread may call unw_backtrace() */
static inline int unwind_thread_ready(void)
{
	return unwind_tls_ready;
}

#ifdef UNW_LOCAL_ONLY
#define UNWIND_CALLS unwind_lib.local
#else
#define UNWIND_CALLS unwind_lib.remote
#endif

#undef unw_init_local2
#define unw_init_local2 (*UNWIND_CALLS.init_local2)
#undef unw_init_remote
#define unw_init_remote (*UNWIND_CALLS.init_remote)
#undef unw_get_reg
#define unw_get_reg (*UNWIND_CALLS.get_reg)
#undef unw_step
#define unw_step (*UNWIND_CALLS.step)
#undef unw_set_caching_policy
#define unw_set_caching_policy (*UNWIND_CALLS.set_caching_policy)
#undef unw_get_accessors
#define unw_get_accessors (*UNWIND_CALLS.get_accessors)
#undef unw_create_addr_space
#define unw_create_addr_space (*UNWIND_CALLS.create_addr_space)
#undef unw_getcontext
#define unw_getcontext(uc) (unwind_lib.getcontext(uc))
#undef unw_local_addr_space
#define unw_local_addr_space (unwind_lib.local_addr_space)
#define unw_backtrace (*unwind_lib.backtrace)

#endif
