/*
 * interpose.c - the libc functions the runtime wraps.
 *
 * Every wrapper calls the next definition (dlsym(RTLD_NEXT)) and behaves
 * exactly like it for the caller: same arguments, return value and errno.
 * They work (and only pass through) when the runtime is off, also before
 * its constructor ran.
 *
 *   pthread_create       trampoline that warms libunwind, notes the stack
 *                        bounds and announces tid and stack size
 *   pthread_setname_np   names reread at the next tick
 *   sigaction, signal    the program takes our signal: timers off first;
 *                        any other handler gets our signal added to its
 *                        mask (and old masks are returned without it), so
 *                        a sample never lands on the program's handler,
 *                        whose alternate stack may be a few KiB
 *   sigwait, sigwaitinfo, sigtimedwait, signalfd
 *                        a set of (nearly) all signals loses ours, so a
 *                        signal-handling thread never takes a sample
 *                        signal for its own; a small set with ours in it
 *                        means the program uses it: timers off first
 *   dlopen, dlclose,     set the thread's "inside the loader" flag, which
 *   dl_iterate_phdr      makes the signal handler drop the sample
 *   exec*                segment marked EXECED and unlinked, timers off
 *   exit, _exit, _Exit,  exit status captured for the segment
 *   __libc_start_main    (main's return value is an exit status too)
 *
 * dlopen: glibc searches the DT_RUNPATH of the object that called dlopen,
 * and expands $ORIGIN relative to it.  When the caller has a DT_RUNPATH (or DT_RPATH) or
 * the name has $ORIGIN, the wrapper tail-calls dlopen (no flag, but the
 * caller seen by glibc is the real one).
 */
#include "config.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#define UNW_LOCAL_ONLY
#include "rt.h"
#include "unwind.h"

#define EXPORT __attribute__((visibility("default")))

typedef int (*main_fn)(int, char **, char **);

/* read or written at every start: kept in .data, whose page the loader
 * writes anyway, rather than in a page of .bss of their own */
int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) RT_HOT;
int (*real_dl_iterate_phdr)(int (*)(struct dl_phdr_info *, size_t, void *), void *) RT_HOT;
static void *(*real_dlopen)(const char *, int)RT_HOT;
static int (*real_dlclose)(void *) RT_HOT;
static int (*real_setname)(pthread_t, const char *) RT_HOT;
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *) RT_HOT;
static sighandler_t (*real_signal)(int, sighandler_t) RT_HOT;
static int (*real_sigwait)(const sigset_t *, int *) RT_HOT;
static int (*real_sigwaitinfo)(const sigset_t *, siginfo_t *) RT_HOT;
static int (*real_sigtimedwait)(const sigset_t *, siginfo_t *, const struct timespec *) RT_HOT;
static int (*real_signalfd)(int, const sigset_t *, int) RT_HOT;
static int (*real_execve)(const char *, char *const[], char *const[]) RT_HOT;
static int (*real_execv)(const char *, char *const[]) RT_HOT;
static int (*real_execvp)(const char *, char *const[]) RT_HOT;
static int (*real_execvpe)(const char *, char *const[], char *const[]) RT_HOT;
static void (*real_exit)(int) __attribute__((noreturn)) RT_HOT;
static void (*real__exit)(int) __attribute__((noreturn)) RT_HOT;
static void (*real__Exit)(int) __attribute__((noreturn)) RT_HOT;
static int (*real_libc_start_main)(main_fn, int, char **, void (*)(void), void (*)(void),
				   void (*)(void), void *) RT_HOT;
static main_fn real_main RT_HOT;

int rt_exit_status = -1;

#define RESOLVE(var, name)                                                                         \
	do {                                                                                       \
		if (!(var))                                                                        \
			*(void **)&(var) = dlsym(RTLD_NEXT, name);                                 \
	} while (0)

void interpose_resolve(void)
{
	RESOLVE(real_pthread_create, "pthread_create");
	RESOLVE(real_dl_iterate_phdr, "dl_iterate_phdr");
	RESOLVE(real_dlopen, "dlopen");
	RESOLVE(real_dlclose, "dlclose");
	RESOLVE(real_sigaction, "sigaction");
	RESOLVE(real_signal, "signal");
	RESOLVE(real_sigwait, "sigwait");
	RESOLVE(real_sigwaitinfo, "sigwaitinfo");
	RESOLVE(real_sigtimedwait, "sigtimedwait");
	RESOLVE(real_signalfd, "signalfd");
	RESOLVE(real_execve, "execve");
	RESOLVE(real_execv, "execv");
	RESOLVE(real_execvp, "execvp");
	RESOLVE(real_execvpe, "execvpe");
	RESOLVE(real_exit, "exit");
	RESOLVE(real__exit, "_exit");
	RESOLVE(real__Exit, "_Exit");
}

/* ---- threads ---------------------------------------------------------- */

struct tramp {
	void *(*fn)(void *);
	void *arg;
};

static void *thread_start(void *p)
{
	struct tramp t = *(struct tramp *)p;
	pthread_attr_t attr;
	uint64_t root[RT_ROOT_DEPTH];
	size_t size = 0;
	void *lo;
	int n;

	free(p);
	/* the handler checks its room against these bounds */
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
			rt_stack_lo = (uintptr_t)lo;
			rt_stack_hi = (uintptr_t)lo + size;
		}
		pthread_attr_destroy(&attr);
	}
	/* the first unwind on a thread allocates libunwind's thread-local
	 * storage and cache: done here (once libunwind is loaded), never in
	 * the signal handler (unwind.h).  The start routine
	 * (as a return address: +1) above this stack is the thread's first
	 * known stack, shown under a blocked read that cannot unwind */
	root[0] = (uint64_t)(uintptr_t)t.fn + 1;
	n = unwind_backtrace((void **)(root + 1), RT_ROOT_DEPTH - 1);
	if (rt.on)
		sampler_announce((pid_t)syscall(SYS_gettid), size, root,
				 1 + (uint32_t)(n > 0 ? n : 0));
	return t.fn(t.arg);
}

EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct tramp *t;
	int err;

	RESOLVE(real_pthread_create, "pthread_create");
	if (!rt.on || !(t = malloc(sizeof(*t))))
		return real_pthread_create(th, attr, fn, arg);
	t->fn = fn;
	t->arg = arg;
	err = real_pthread_create(th, attr, thread_start, t);
	if (err)
		free(t);
	return err;
}

EXPORT int pthread_setname_np(pthread_t th, const char *name)
{
	int err;

	RESOLVE(real_setname, "pthread_setname_np");
	err = real_setname(th, name);
	if (!err && rt.on)
		rt.names_dirty = 1; /* the runtime thread rereads names */
	return err;
}

/* ---- the sampling signal ---------------------------------------------- */

/* signals whose handler got our signal added to its mask by us */
static sigset_t masked_by_us;

/* 1 if act is a handler of the program's that our signal must not
 * interrupt */
static int wants_mask(int sig, const struct sigaction *act)
{
	if (!act || sig == rt.set.signo || rt.set.signo <= 0 || !rt.hdr)
		return 0;
	if (act->sa_flags & SA_SIGINFO)
		return 1;
	return act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN;
}

/* the old action as the program set it */
static void unmask_old(int sig, struct sigaction *old)
{
	if (old && sig > 0 && sig < NSIG && sigismember(&masked_by_us, sig) == 1)
		sigdelset(&old->sa_mask, rt.set.signo);
}

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction tmp;
	int r, added = 0;

	RESOLVE(real_sigaction, "sigaction");
	if (act && sig == rt.set.signo && rt.on &&
	    !((act->sa_flags & SA_SIGINFO) && act->sa_sigaction == handler_sample))
		rt_signal_taken();
	if (wants_mask(sig, act) && sigismember(&act->sa_mask, rt.set.signo) != 1) {
		tmp = *act;
		sigaddset(&tmp.sa_mask, rt.set.signo);
		act = &tmp;
		added = 1;
	}
	r = real_sigaction(sig, act, old);
	if (r == 0) {
		unmask_old(sig, old);
		if (act && sig > 0 && sig < NSIG) {
			if (added)
				sigaddset(&masked_by_us, sig);
			else
				sigdelset(&masked_by_us, sig);
		}
	}
	return r;
}

/* adds our signal to the mask of sig's handler, if it has one */
static void mask_handler(int sig)
{
	struct sigaction cur;

	if (real_sigaction(sig, NULL, &cur) != 0 || !wants_mask(sig, &cur) ||
	    sigismember(&cur.sa_mask, rt.set.signo) == 1)
		return;
	sigaddset(&cur.sa_mask, rt.set.signo);
	if (real_sigaction(sig, &cur, NULL) == 0)
		sigaddset(&masked_by_us, sig);
}

/* at start: the handlers the program installed before the runtime */
void interpose_mask_handlers(void)
{
	RESOLVE(real_sigaction, "sigaction");
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			mask_handler(sig);
}

EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	sighandler_t r;

	RESOLVE(real_signal, "signal");
	RESOLVE(real_sigaction, "sigaction");
	if (sig == rt.set.signo && rt.on)
		rt_signal_taken();
	r = real_signal(sig, handler);
	if (r != SIG_ERR && sig != rt.set.signo) {
		sigdelset(&masked_by_us, sig);
		mask_handler(sig);
	}
	return r;
}

/*
 * The set a signal-waiting call should really use: a set of nearly every
 * signal (sigfillset) is "whatever comes", and our signal is taken out of
 * it; a small set that names our signal means the program uses it.
 * Returns set itself or tmp.
 */
static const sigset_t *wait_set(const sigset_t *set, sigset_t *tmp)
{
	int n = 0;

	if (!set || !rt.on || getpid() != rt.pid || !sigismember(set, rt.set.signo))
		return set;
	for (int sig = 1; sig < NSIG; sig++)
		n += sigismember(set, sig) == 1;
	if (n < 16) {
		rt_signal_taken();
		return set;
	}
	*tmp = *set;
	sigdelset(tmp, rt.set.signo);
	return tmp;
}

EXPORT int sigwait(const sigset_t *set, int *sig)
{
	sigset_t tmp;

	RESOLVE(real_sigwait, "sigwait");
	return real_sigwait(wait_set(set, &tmp), sig);
}

EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	sigset_t tmp;

	RESOLVE(real_sigwaitinfo, "sigwaitinfo");
	return real_sigwaitinfo(wait_set(set, &tmp), info);
}

EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *ts)
{
	sigset_t tmp;

	RESOLVE(real_sigtimedwait, "sigtimedwait");
	return real_sigtimedwait(wait_set(set, &tmp), info, ts);
}

EXPORT int signalfd(int fd, const sigset_t *mask, int flags)
{
	sigset_t tmp;

	RESOLVE(real_signalfd, "signalfd");
	return real_signalfd(fd, wait_set(mask, &tmp), flags);
}

/* ---- the dynamic loader ----------------------------------------------- */

/* 1 if glibc's dlopen needs to see the real caller */
static int caller_matters(const char *file, void *caller)
{
	struct link_map *lm = NULL;
	Dl_info info;

	if (file && strstr(file, "ORIGIN"))
		return 1;
	if (!file || strchr(file, '/'))
		return 0;
	if (!dladdr1(caller, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm || !lm->l_ld)
		return 0;
	for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_RUNPATH || d->d_tag == DT_RPATH)
			return 1;
	return 0;
}

static void *dlopen_guarded(const char *file, int mode)
{
	void *h;

	rt_in_loader++;
	h = real_dlopen(file, mode);
	rt_in_loader--;
	rt.modules_dirty = 1;
	gc_dlopened();
	return h;
}

EXPORT void *dlopen(const char *file, int mode)
{
	RESOLVE(real_dlopen, "dlopen");
	if (caller_matters(file, __builtin_return_address(0))) {
		rt.modules_dirty = 1; /* before the call: it must stay a tail call */
		return real_dlopen(file, mode);
	}
	return dlopen_guarded(file, mode);
}

EXPORT int dlclose(void *h)
{
	int r;

	RESOLVE(real_dlclose, "dlclose");
	rt_in_loader++;
	r = real_dlclose(h);
	rt_in_loader--;
	rt.modules_dirty = 1;
	return r;
}

EXPORT int dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	int r;

	RESOLVE(real_dl_iterate_phdr, "dl_iterate_phdr");
	rt_in_loader++;
	r = real_dl_iterate_phdr(cb, data);
	rt_in_loader--;
	return r;
}

/* ---- exec ------------------------------------------------------------- */

#define EXEC_AROUND(call)                                                                          \
	do {                                                                                       \
		int r_, e_;                                                                        \
		rt_before_exec();                                                                  \
		r_ = (call);                                                                       \
		e_ = errno;                                                                        \
		rt_exec_failed();                                                                  \
		errno = e_;                                                                        \
		return r_;                                                                         \
	} while (0)

EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	RESOLVE(real_execve, "execve");
	EXEC_AROUND(real_execve(path, argv, envp));
}

EXPORT int execv(const char *path, char *const argv[])
{
	RESOLVE(real_execv, "execv");
	EXEC_AROUND(real_execv(path, argv));
}

EXPORT int execvp(const char *file, char *const argv[])
{
	RESOLVE(real_execvp, "execvp");
	EXEC_AROUND(real_execvp(file, argv));
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	RESOLVE(real_execvpe, "execvpe");
	EXEC_AROUND(real_execvpe(file, argv, envp));
}

/* counts the variadic arguments after arg0 up to the NULL */
static size_t count_args(va_list ap)
{
	size_t n = 1;

	while (va_arg(ap, char *) != NULL)
		n++;
	return n;
}

#define BUILD_ARGV(argv, n, arg0, ap)                                                              \
	do {                                                                                       \
		argv[0] = (char *)(arg0);                                                          \
		for (size_t i_ = 1; i_ <= (n); i_++)                                               \
			argv[i_] = va_arg(ap, char *);                                             \
	} while (0)

EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg);
	n = count_args(ap);
	va_end(ap);
	char *argv[n + 1];
	va_start(ap, arg);
	BUILD_ARGV(argv, n, arg, ap);
	va_end(ap);
	return execve(path, argv, environ);
}

EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg);
	n = count_args(ap);
	va_end(ap);
	char *argv[n + 1];
	va_start(ap, arg);
	BUILD_ARGV(argv, n, arg, ap);
	va_end(ap);
	return execvp(file, argv);
}

EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	char **envp;
	size_t n;

	va_start(ap, arg);
	n = count_args(ap);
	envp = va_arg(ap, char **);
	va_end(ap);
	char *argv[n + 1];
	va_start(ap, arg);
	BUILD_ARGV(argv, n, arg, ap);
	va_end(ap);
	return execve(path, argv, envp);
}

/* ---- exit ------------------------------------------------------------- */

EXPORT void exit(int status)
{
	RESOLVE(real_exit, "exit");
	rt_exit_status = status & 0xff;
	real_exit(status);
}

EXPORT void _exit(int status)
{
	RESOLVE(real__exit, "_exit");
	rt_exit_status = status & 0xff;
	rt_shutdown(FT_STATE_EXITED, rt_exit_status, 1);
	real__exit(status);
}

EXPORT void _Exit(int status)
{
	RESOLVE(real__Exit, "_Exit");
	rt_exit_status = status & 0xff;
	rt_shutdown(FT_STATE_EXITED, rt_exit_status, 1);
	real__Exit(status);
}

/* main's address as a return address (+1), or 0 */
uint64_t interpose_main_pc(void)
{
	return real_main ? (uint64_t)(uintptr_t)real_main + 1 : 0;
}

static int main_wrapper(int argc, char **argv, char **envp)
{
	int r = real_main(argc, argv, envp);

	rt_exit_status = r & 0xff;
	return r;
}

EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
			     void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	RESOLVE(real_libc_start_main, "__libc_start_main");
	if (!rt.on)
		return real_libc_start_main(main, argc, argv, init, fini, rtld_fini, stack_end);
	real_main = main;
	return real_libc_start_main(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}
