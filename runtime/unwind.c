/*
 * unwind.c - libunwind set up so that it never owns a file descriptor.
 *
 * libunwind (1.6 and later) checks an address before it reads a word the
 * unwind information does not vouch for (frames found by guessing, the
 * frame-pointer fallback) by writing one byte of it into a pipe of its own:
 * the pipe is opened at its first use and reopened, closing the numbers it
 * remembers, whenever a read from it fails.  In a program that closes every
 * descriptor (a daemon) and opens new ones, those numbers become the
 * program's: unwinding then reads, writes and closes the program's files.
 *
 * So, before anything else in the process touches libunwind, unwind_init():
 *   - lets libunwind initialise while this file's pipe2() refuses to open
 *     a pipe for it (libunwind keeps -1 and never closes anything);
 *   - replaces the local address space's access_mem with ours, which
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
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include "rt.h"

#define EXPORT __attribute__((visibility("default")))

/* libunwind (x86_64) passes "validate this read" as the low bit of the
 * accessor's argument, the rest being the ucontext pointer */
#define ARG_VALIDATE 0x1ul

static int (*lib_access_mem)(unw_addr_space_t, unw_word_t, unw_word_t *, int, void *);
static __thread int refuse_fds __attribute__((tls_model("initial-exec")));
static int (*real_pipe2)(int[2], int);
static int ready;

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

void unwind_init(void)
{
	unw_accessors_t *acc;

	if (ready)
		return;
	refuse_fds = 1;
	/* the first call into libunwind initialises it (its pipe2 fails) */
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	acc = unw_get_accessors(unw_local_addr_space);
	refuse_fds = 0;
	if (acc && acc->access_mem != unwind_access_mem) {
		lib_access_mem = acc->access_mem;
		acc->access_mem = unwind_access_mem;
	}
	ready = 1;
}

void unwind_warm(void)
{
	void *warm[4];

	/* the first unwind on a thread allocates libunwind's per-thread
	 * cache: done here, never in the signal handler */
	unw_backtrace(warm, 4);
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
