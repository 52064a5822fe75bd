/*
 * unwind.c - libunwind, loaded on demand and set up so that it never owns
 * a file descriptor.
 *
 * Loading (see unwind.h): unwind_load() opens libunwind.so (and the
 * remote-address-space library libunwind-ARCH.so, for parked coroutine
 * stacks) with dlopen() and fills unwind_lib.  It runs outside signal
 * handlers, before any timer is armed; a process that is never sampled
 * never maps libunwind at all.
 *
 * File descriptors.  libunwind (1.6 and later) checks an address before it
 * reads a word the unwind information does not vouch for (frames found by
 * guessing, the frame-pointer fallback) by writing one byte of it into a
 * pipe of its own: the pipe is opened at its first use and reopened,
 * closing the numbers it remembers, whenever a read from it fails.  In a
 * program that closes every descriptor (a daemon) and opens new ones,
 * those numbers become the program's: unwinding then reads, writes and
 * closes the program's files.
 *
 * So, right after loading it, before anything else touches libunwind:
 *   - we let libunwind initialise while this file's pipe2() refuses to open
 *     a pipe for it (libunwind keeps -1 and never closes anything);
 *   - we replace the local address space's access_mem with ours, which
 *     checks an address without a descriptor: rt_sigprocmask() with an
 *     invalid "how" copies 8 bytes from the address first and fails with
 *     EFAULT if they are not readable, EINVAL (and no change) if they are
 *     (the technique of Abseil's AddressIsReadable).  libunwind's own
 *     check, and so its pipe, is never used again.
 *
 * unwind_access_mem is async-signal-safe (one system call, no state).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define LOCAL_SYM(name) STR(name)
#define REMOTE_SYM(fn) STR(UNW_ARCH_OBJ(fn))
#define LIB_LOCAL "libunwind.so.8"
#define LIB_REMOTE "libunwind-" STR(UNW_TARGET) ".so.8"

/* the local library's names, taken before unwind.h redirects them */
static const char sym_init_local2[] = LOCAL_SYM(unw_init_local2),
		  sym_get_reg[] = LOCAL_SYM(unw_get_reg), sym_step[] = LOCAL_SYM(unw_step),
		  sym_set_caching_policy[] = LOCAL_SYM(unw_set_caching_policy),
		  sym_get_accessors[] = LOCAL_SYM(unw_get_accessors),
		  getcontext_sym[] = LOCAL_SYM(unw_tdep_getcontext),
		  local_as_sym[] = LOCAL_SYM(unw_local_addr_space),
		  search_sym[] = REMOTE_SYM(dwarf_search_unwind_table);

#include "rt.h"
#include "unwind.h"

struct sym {
	size_t off; /* in struct unwind_calls */
	const char *name;
};

static const struct sym local_syms[] = {
#define LOCAL(field)                                                                               \
	{                                                                                          \
		offsetof(struct unwind_calls, field), sym_##field                                  \
	}
    LOCAL(init_local2),	       LOCAL(get_reg),	     LOCAL(step),
    LOCAL(set_caching_policy), LOCAL(get_accessors),
#undef LOCAL
};

static const struct sym remote_syms[] = {
#define REMOTE(field)                                                                              \
	{                                                                                          \
		offsetof(struct unwind_calls, field), REMOTE_SYM(field)                            \
	}
    REMOTE(init_remote),	REMOTE(get_reg),       REMOTE(step),
    REMOTE(set_caching_policy), REMOTE(get_accessors), REMOTE(create_addr_space),
#undef REMOTE
};

#define EXPORT __attribute__((visibility("default")))

/* libunwind (x86_64) passes "validate this read" as the low bit of the
 * accessor's argument, the rest being the ucontext pointer */
#define ARG_VALIDATE 0x1ul

static int (*lib_access_mem)(unw_addr_space_t, unw_word_t, unw_word_t *, int, void *);
static __thread int refuse_fds __attribute__((tls_model("initial-exec")));
static int (*real_pipe2)(int[2], int);
static int ready; /* unwind_lib is filled */

struct unwind_lib unwind_lib;
__thread int unwind_tls_ready __attribute__((tls_model("initial-exec")));

/* pages found readable lately, per thread (as libunwind's own check
 * keeps them): unwinding reads the same few pages over and over */
#define PAGE_MASK_ ~(unw_word_t)4095
#define GOOD_PAGES 8
static __thread unw_word_t good[GOOD_PAGES] __attribute__((tls_model("initial-exec")));
static __thread unsigned good_next __attribute__((tls_model("initial-exec")));

/* 1 if the 8 bytes at page can be read, without reading them here */
static int page_readable(unw_word_t page)
{
	long r;

	for (unsigned i = 0; i < GOOD_PAGES; i++)
		if (good[i] == page)
			return 1;
	r = syscall(SYS_rt_sigprocmask, ~0, (void *)page, NULL, sizeof(uint64_t));
	if (r == 0 || errno != EINVAL)
		return 0;
	good[good_next++ % GOOD_PAGES] = page;
	return 1;
}

/* 1 if the word at addr can be read (it may straddle two pages) */
static int readable(unw_word_t addr)
{
	unw_word_t last = addr + sizeof(unw_word_t) - 1;

	/* page 0 is never mapped, and good[] starts out holding it */
	if (addr < 4096 || last < addr)
		return 0;
	return page_readable(addr & PAGE_MASK_) &&
	       ((last & PAGE_MASK_) == (addr & PAGE_MASK_) || page_readable(last & PAGE_MASK_));
}

static int unwind_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
			     void *arg)
{
	int saved;

	if (write || !((uintptr_t)arg & ARG_VALIDATE))
		return lib_access_mem(as, addr, val, write, arg);
	saved = errno;
	if (!readable(addr)) {
		errno = saved;
		return -UNW_EINVAL;
	}
	errno = saved;
	*val = *(const unw_word_t *)addr;
	return 0;
}

#define NSYMS(a) (sizeof(a) / sizeof((a)[0]))

/* fills calls with lib's entry points: NULL, or the name of one missing */
static const char *resolve(void *lib, struct unwind_calls *calls, const struct sym *syms, size_t n)
{
	memset(calls, 0, sizeof(*calls));
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(lib, syms[i].name);

		if (!f)
			return syms[i].name;
		memcpy((char *)calls + syms[i].off, &f, sizeof(f));
	}
	return NULL;
}

/* the remote library is optional: without it, parked coroutine stacks
 * are not unwound (coro-stacks.c) */
static void load_remote(void)
{
	void *lib = dlopen(LIB_REMOTE, RTLD_NOW | RTLD_LOCAL);
	struct unwind_calls calls;
	void *search;

	if (!lib)
		return;
	search = dlsym(lib, search_sym);
	if (!search || resolve(lib, &calls, remote_syms, NSYMS(remote_syms))) {
		dlclose(lib);
		return;
	}
	*(void **)&unwind_lib.search_unwind_table = search;
	unwind_lib.remote = calls;
}

/* the first call into libunwind initialises it (its pipe2 fails), then
 * its memory checks become ours */
static void setup(void)
{
	unw_accessors_t *acc;

	refuse_fds = 1;
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	acc = unw_get_accessors(unw_local_addr_space);
	refuse_fds = 0;
	if (acc && acc->access_mem != unwind_access_mem) {
		lib_access_mem = acc->access_mem;
		acc->access_mem = unwind_access_mem;
	}
}

int unwind_load(char *err, size_t errlen)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct unwind_calls calls;
	const char *missing;
	void *lib, *as, *bt, *gc;
	int ret = -1;

	if (unwind_loaded())
		goto out_warm;
	pthread_mutex_lock(&lock);
	if (ready) {
		ret = 0;
		goto out_unlock;
	}
	lib = dlopen(LIB_LOCAL, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen, "cannot load %s: %s", LIB_LOCAL, dlerror());
		goto out_unlock;
	}
	missing = resolve(lib, &calls, local_syms, NSYMS(local_syms));
	if (!missing && !(as = dlsym(lib, local_as_sym)))
		missing = local_as_sym;
	if (!missing && !(bt = dlsym(lib, "unw_backtrace")))
		missing = "unw_backtrace";
	if (!missing && !(gc = dlsym(lib, getcontext_sym)))
		missing = getcontext_sym;
	if (missing) {
		snprintf(err, errlen, "cannot use %s: no %s in it", LIB_LOCAL, missing);
		dlclose(lib);
		goto out_unlock;
	}
	unwind_lib.local = calls;
	unwind_lib.local_addr_space = *(unw_addr_space_t *)as;
	*(void **)&unwind_lib.backtrace = bt;
	*(void **)&unwind_lib.getcontext = gc;
	load_remote();
	setup();
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	ret = 0;
out_unlock:
	pthread_mutex_unlock(&lock);
	if (ret < 0)
		return ret;
out_warm:
	/* the first unwind on a thread allocates libunwind's thread-local
	 * storage and cache: done here, never in the signal handler */
	unwind_backtrace((void *[4]){0}, 4);
	return 0;
}

int unwind_loaded(void)
{
	return __atomic_load_n(&ready, __ATOMIC_ACQUIRE);
}

int unwind_backtrace(void **pc, int max)
{
	int n;

	if (!unwind_loaded())
		return 0;
	n = unw_backtrace(pc, max);
	unwind_tls_ready = 1;
	return n;
}

/*
 * libunwind opens its pipe with pipe2(); while unwind_init runs on this
 * thread it gets EMFILE, as if the process were out of descriptors, which
 * libunwind survives by keeping -1.  Every other caller gets glibc's.
 */
EXPORT int pipe2(int fds[2], int flags)
{
	if (refuse_fds) {
		errno = EMFILE;
		return -1;
	}
	if (!real_pipe2)
		*(void **)&real_pipe2 = dlsym(RTLD_NEXT, "pipe2");
	if (!real_pipe2)
		return (int)syscall(SYS_pipe2, fds, flags);
	return real_pipe2(fds, flags);
}
