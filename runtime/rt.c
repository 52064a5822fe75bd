/*
 * rt.c - the runtime's life: settings, start, fork, exec, exit.
 *
 * The constructor does nothing unless FLAMETOP=1.  Then it reads the
 * FLAMETOP_* settings (an invalid value gets one stderr line and the
 * default) and starts the runtime thread.  A process nobody watches
 * gets its segment later, when it is first needed (segment-writer.c),
 * its signal handler and libunwind when sampling is first wanted: so it
 * starts nearly as fast as without the runtime, and one that ends
 * within 20 ms leaves no trace.  Sampling from the start
 * (FLAMETOP_ALWAYS, _KEEP_SEGMENT), all of it is done here.  Any failure
 * leaves the runtime off and the program untouched.  rt.on is 1 exactly
 * while this process may write the segment (or the private header that
 * stands for it until it exists): it drops to 0 in a forked child
 * (which also unmaps the parent's segment without touching it), at exec
 * and at exit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sched.h>
#include <sys/syscall.h>
#include "alloc.h"
#include "flametop.h"
#include "coro.h"
#include "rt.h"

struct rt rt;

uint64_t rt_now(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Gives the calling thread (the runtime thread) a file descriptor table of
 * its own: what it opens (/proc files, perf events) can then never be
 * closed, reused or read by the program, and the program's descriptors
 * can never be touched by it.  The private table starts as a copy of the
 * program's; every copy is closed at once, so that no file the program
 * closes stays open because of us.  0, or -1 if the kernel (or a seccomp
 * filter) refuses: the thread then shares the program's table as before.
 */
int rt_private_fds(void)
{
	static char buf[4096] __attribute__((aligned(8)));
	int fd;
	long n;

	if (syscall(SYS_unshare, CLONE_FILES) != 0)
		return -1;
	rt.private_fds = 1;
	if (syscall(SYS_close_range, 0u, ~0u, 0u) == 0)
		return 0;
	/* before Linux 5.9: list our table, then close what it held */
	fd = open("/proc/thread-self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const char *name = buf + off + 19; /* linux_dirent64.d_name */
			unsigned short reclen;
			char *end;
			long v = strtol(name, &end, 10);

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (*end == '\0' && name[0] >= '0' && name[0] <= '9' && v != fd)
				close((int)v);
			off += reclen;
		}
	}
	close(fd);
	return 0;
}

/* stderr for rt_note: on the runtime thread, with a table of its own,
 * the program's descriptor 2 is reached through /proc (appending, as the
 * program's own writes would) */
static int note_fd(void)
{
	if (!rt.private_fds || (pid_t)syscall(SYS_gettid) != rt.rt_tid)
		return STDERR_FILENO;
	return open("/proc/self/fd/2", O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

void rt_note(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n, fd;

	if (rt.set.quiet)
		return;
	n = snprintf(buf, sizeof(buf), "flametop: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	fd = note_fd();
	if (fd < 0)
		return;
	if (write(fd, buf, (size_t)n) < 0)
		n = 0;
	if (fd != STDERR_FILENO)
		close(fd);
}

void rt_set_header_note(const char *msg)
{
	if (rt.hdr)
		snprintf(rt.hdr->note, sizeof(rt.hdr->note), "%s", msg);
}

/* ---- settings --------------------------------------------------------- */

/* parses a whole decimal number in [lo, hi]; 0 if it is not one */
static int parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

static void bad(const char *var, const char *val, const char *expected, const char *dflt)
{
	rt_note("ignoring %s=%s (expected %s), using %s", var, val, expected, dflt);
}

static void setting_num(const char *var, long lo, long hi, uint32_t *out)
{
	const char *v = getenv(var);
	char expected[64], dflt[32];
	long n;

	if (!v || !*v)
		return;
	if (parse_num(v, lo, hi, &n)) {
		*out = (uint32_t)n;
		return;
	}
	snprintf(expected, sizeof(expected), "%ld-%ld", lo, hi);
	snprintf(dflt, sizeof(dflt), "%u", *out);
	bad(var, v, expected, dflt);
}

static void setting_bool(const char *var, int *out)
{
	const char *v = getenv(var);

	if (!v || !*v)
		return;
	if (strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0)
		*out = 0;
	else
		bad(var, v, "0 or 1", *out ? "1" : "0");
}

/* 0, 1, or a pid: on only in the process with that pid (launchers scope
 * a setting to the target itself, not the processes it starts) */
static void setting_pid_bool(const char *var, int *out)
{
	const char *v = getenv(var);
	char *end;
	long pid;

	if (!v || !*v || strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
		setting_bool(var, out);
		return;
	}
	errno = 0;
	pid = strtol(v, &end, 10);
	if (errno || *end || pid <= 1)
		bad(var, v, "0, 1 or a pid", *out ? "1" : "0");
	else
		*out = pid == (long)getpid();
}

/* a signal number or name: 39, SIGPROF, PROF, SIGRTMIN+3, SIGRTMAX-2 */
static int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int signo;
	} names[] = {
	    {"PROF", SIGPROF}, {"VTALRM", SIGVTALRM}, {"ALRM", SIGALRM},
	    {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
	};
	long n;

	if (parse_num(s, 1, SIGRTMAX, &n))
		goto check;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].signo;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		n = 0;
		if (s[5] && (s[5] != '+' || !parse_num(s + 6, 0, SIGRTMAX - SIGRTMIN, &n)))
			return -1;
		return SIGRTMIN + (int)n;
	}
	if (strncasecmp(s, "RTMAX", 5) == 0) {
		n = 0;
		if (s[5] && (s[5] != '-' || !parse_num(s + 6, 0, SIGRTMAX - SIGRTMIN, &n)))
			return -1;
		return SIGRTMAX - (int)n;
	}
	return -1;
check:
	/* only signals nobody needs for faults or job control */
	if ((n >= SIGRTMIN && n <= SIGRTMAX) || n == SIGPROF || n == SIGVTALRM || n == SIGALRM ||
	    n == SIGUSR1 || n == SIGUSR2)
		return (int)n;
	return -1;
}

/* FLAMETOP_ALLOC_RATE: bytes, with an optional K, M or G (KiB, MiB,
 * GiB), at most ALLOC_RATE_MAX; 0 samples every allocation */
static void setting_alloc_rate(uint64_t *out)
{
	const char *v = getenv("FLAMETOP_ALLOC_RATE");
	unsigned long long n;
	char *end;
	int shift = 0;

	if (!v || !*v)
		return;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || end == v || v[0] < '0' || v[0] > '9' ||
	    n > (ALLOC_RATE_MAX >> shift)) {
		bad("FLAMETOP_ALLOC_RATE", v, "bytes from 0 to 1G, 0 for every allocation",
		    "524288");
		return;
	}
	*out = (uint64_t)n << shift;
}

static void read_settings(void)
{
	struct rt_settings *s = &rt.set;
	const char *v;

	s->freq = 99;
	s->mode = FT_MODE_CPU;
	s->depth = FT_DEFAULT_DEPTH;
	s->signo = SIGRTMIN + 5;
	s->ring_kb = 2048;
	s->alloc_rate = ALLOC_RATE_DEFAULT;
	setting_bool("FLAMETOP_QUIET", &s->quiet);
	setting_bool("FLAMETOP_CHILDREN", &s->children);
	setting_num("FLAMETOP_FREQ", 1, 1000, &s->freq);
	setting_num("FLAMETOP_DEPTH", 1, FT_MAX_DEPTH, &s->depth);
	setting_num("FLAMETOP_RING_KB", 64, 1024 * 1024, &s->ring_kb);
	setting_pid_bool("FLAMETOP_ALWAYS", &s->always);
	setting_pid_bool("FLAMETOP_KEEP_SEGMENT", &s->keep);
	setting_alloc_rate(&s->alloc_rate);
	v = getenv("FLAMETOP_MODE");
	if (v && *v) {
		if (strcmp(v, "cpu") == 0)
			s->mode = FT_MODE_CPU;
		else if (strcmp(v, "wall") == 0)
			s->mode = FT_MODE_WALL;
		else
			bad("FLAMETOP_MODE", v, "cpu or wall", "cpu");
	}
	v = getenv("FLAMETOP_SIGNAL");
	if (v && *v) {
		int sig = parse_signal(v);
		char dflt[16];

		snprintf(dflt, sizeof(dflt), "%d", s->signo);
		if (sig > 0)
			s->signo = sig;
		else
			bad("FLAMETOP_SIGNAL", v, "a number or SIGPROF, SIGRTMIN+N", dflt);
	}
	v = getenv("FLAMETOP_TIMER");
	if (v && *v) {
		if (strcmp(v, "posix") == 0)
			s->force_posix = 1;
		else if (strcmp(v, "perf") == 0)
			s->force_perf = 1;
		else if (strcmp(v, "auto") != 0)
			bad("FLAMETOP_TIMER", v, "auto, perf or posix", "auto");
	}
	rt.period_ns = 1000000000ull / s->freq;
}

/* ---- life ------------------------------------------------------------- */

/*
 * Around fork the forking thread blocks the sampling signal: the child
 * inherits the mask, so no sample can run in it before atfork_child has
 * turned the runtime off (its handler would otherwise count into the
 * parent's segment, which the child still maps until then).
 */
static __thread sigset_t fork_saved_mask __attribute__((tls_model("initial-exec")));

/* the threads of this process now (/proc/self/stat), 0 if unknown */
static long threads_now(void)
{
	char buf[512], *p;
	long n = 0;
	ssize_t len;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	/* after the name's last ')': state is field 3, num_threads 20 */
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (int field = 2; field < 20 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		n = strtol(p + 1, NULL, 10);
	return n;
}

static void atfork_prepare(void)
{
	sigset_t block;

	__atomic_store_n(&rt.forking, 1, __ATOMIC_SEQ_CST);
	/* the child may start a runtime (a thread) only if no other thread
	 * of the program (nor ours, in dlopen) can hold a lock it needs: a
	 * single-threaded program (the forking thread and ours) */
	rt.fork_follow = rt.set.children && rt.on && getpid() == rt.pid &&
			 !__atomic_load_n(&rt.in_dl, __ATOMIC_SEQ_CST) &&
			 threads_now() <= (rt.thread_started ? 2 : 1);
	sigemptyset(&block);
	if (rt.on && rt.set.signo > 0)
		sigaddset(&block, rt.set.signo);
	pthread_sigmask(SIG_BLOCK, &block, &fork_saved_mask);
}

static void atfork_parent(void)
{
	rt.forking = 0;
	pthread_sigmask(SIG_SETMASK, &fork_saved_mask, NULL);
}

/*
 * FLAMETOP_CHILDREN=1 (what run and record set): the forked child profiles
 * itself as the process it now is, with a segment and a runtime thread of
 * its own, unwatched until a viewer polls it; its segment is its own to
 * remove.  It starts without coroutines or labels: the parent's
 * tables stay the parent's.
 */
static void child_start(void)
{
	rt.pid = getpid();
	/* as any process the target starts: watched once a viewer finds it */
	rt.set.always = 0;
	rt.set.keep = 0;
	rt.stop = 0;
	rt.state = 0;
	memset((void *)rt.pending, 0, sizeof(rt.pending));
	coro_forget();
	modules_forget();
	rt.start_mono_ns = rt_now(CLOCK_MONOTONIC);
	rt.start_realtime_ns = rt_now(CLOCK_REALTIME);
	segment_early(1); /* made when first needed, as at any start */
	rt.modules_dirty = 1;
	rt.on = 1;
	if (sampler_start() < 0) {
		rt.on = 0;
		rt_note("cannot start the runtime thread in the child %d; not profiling it",
			(int)rt.pid);
		segment_unlink();
		segment_unmap();
	}
}

static void atfork_child(void)
{
	/* the child is silent: it neither samples nor writes the parent's
	 * segment, and it never unlinks the parent's name */
	if (!rt.on && !rt.hdr)
		return;
	rt.on = 0;
	rt.sampling = 0;
	rt.thread_started = 0; /* the runtime thread is not in the child */
	for (uint32_t i = 0; i < RT_THREADS; i++) {
		/* inherited fds of the parent's perf events (only when they
		 * were in the program's table); POSIX timers are not
		 * inherited */
		if (!rt.private_fds && rt.slots[i].timer == FT_TIMER_PERF_TASK_CLOCK &&
		    rt.slots[i].perf_fd >= 0)
			close(rt.slots[i].perf_fd);
		rt.slots[i].perf_fd = -1;
		rt.slots[i].timer = FT_TIMER_NONE;
		rt.slots[i].tid = 0;
	}
	segment_unmap();
	rt.shm_name[0] = '\0';
	rt.forking = 0;
	if (rt.fork_follow)
		child_start();
	pthread_sigmask(SIG_SETMASK, &fork_saved_mask, NULL);
}

static int find_self(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t me = (uintptr_t)arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && me >= lo &&
		    me < lo + ph->p_memsz) {
			rt.self_lo = lo;
			rt.self_hi = lo + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

/* this library's code range, for leaving its frames out of stacks */
void rt_find_self(void)
{
	if (real_dl_iterate_phdr && !rt.self_hi)
		real_dl_iterate_phdr(find_self, (void *)(uintptr_t)rt_find_self);
}

/*
 * Installs the sampling handler once, unless the program already has its
 * own on our signal (then sampling stays off, and says why).  0 or -1.
 */
int rt_install_handler(void)
{
	struct sigaction old;

	if (rt.handler_in)
		return 0;
	if (rt.sig_lost)
		return -1;
	if (sigaction(rt.set.signo, NULL, &old) == 0 &&
	    ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)) {
		rt.sig_lost = 1;
		rt.sig_noted = 1;
		rt_note("signal %d is used by the program; sampling off (set FLAMETOP_SIGNAL)",
			rt.set.signo);
		rt_set_header_note("sampling signal in use by the program");
		return -1;
	}
	if (handler_install(&old) < 0) {
		rt.sig_lost = 1;
		rt.sig_noted = 1;
		rt_set_header_note("cannot install the signal handler");
		return -1;
	}
	/* the program installed its own handler between our look and ours
	 * (the runtime thread installs while the program runs): its handler
	 * is put back, and its own later install (rt_signal_taken) stands */
	if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) {
		sigaction(rt.set.signo, &old, NULL);
		rt.sig_lost = 1;
		return -1;
	}
	__atomic_store_n(&rt.handler_in, 1, __ATOMIC_RELEASE);
	return 0;
}

static uint64_t raw_now(clockid_t clk)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, clk, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void rt_start(void)
{
	char err[256];
	const char *on = getenv("FLAMETOP");

	if (!on || strcmp(on, "1") != 0)
		return;
	read_settings();
	rt_find_self();
	rt.pid = getpid();
	/* the clocks of the start, read with the system call: the vDSO's
	 * data pages would be one more page fault for a process that may
	 * never read a clock again */
	rt.start_mono_ns = raw_now(CLOCK_MONOTONIC);
	rt.start_realtime_ns = raw_now(CLOCK_REALTIME);
	/* relative module names are made absolute with the directory the
	 * program started in */
	if (!getcwd(rt.cwd, sizeof(rt.cwd)))
		rt.cwd[0] = '\0';
	/* sampling from the start, the segment is made and named now; else
	 * when first needed, and named by the runtime thread a little later
	 * (segment_publish) */
	segment_early(0);
	if ((rt.set.always || rt.set.keep) &&
	    (segment_create(err, sizeof(err)) < 0 || segment_publish(err, sizeof(err)) < 0)) {
		rt_note("%s; not profiling", err);
		segment_unmap();
		return;
	}
	/* libunwind is loaded when sampling is first wanted (sampler.c);
	 * sampling from the start, the main thread also gets its cache here,
	 * outside any signal handler; the sample ring is backed now, so that
	 * the allocations of the program's first instants are recorded too (a
	 * failure is reported by the runtime thread, which tries again), and
	 * the modules are published before the first allocation record names
	 * them (the runtime thread, their writer from now on, is not started
	 * yet) */
	if (rt.set.always) {
		sampler_load_unwinder();
		segment_populate_samples();
		modules_refresh(1);
	}
	/* the runtime thread publishes the modules at its first tick (and
	 * rt_shutdown at the latest); the main thread's stack bounds are
	 * taken here, on it; the handler is installed now when sampling from
	 * the start, else by the runtime thread when a viewer first comes (a
	 * process nobody watches never pays for it) */
	handler_main_stack();
	if (rt.set.always)
		rt_install_handler();
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
	rt.on = 1;
	if (sampler_start() < 0) {
		rt.on = 0;
		rt_note("cannot start the runtime thread; not profiling");
		rt.state = FT_STATE_FAILED;
		__atomic_store_n(&rt.hdr->state, FT_STATE_FAILED, __ATOMIC_RELEASE);
		rt_set_header_note("cannot start the runtime thread");
		segment_unlink();
	}
	if (rt.on)
		gc_init();
}

__attribute__((constructor)) static void rt_init(void)
{
	interpose_resolve();
	rt_start();
	alloc_init(); /* off unless the runtime is on */
}

/*
 * Marks the segment with its final state.  light: the process is about to
 * vanish (_exit) or we may be in a signal handler: do not join the runtime
 * thread, only publish the state.
 */
void rt_shutdown(int state, int status, int light)
{
	if (!rt.on || !rt.hdr || getpid() != rt.pid)
		return;
	if (!light && state == FT_STATE_EXITED && !rt.sampling && !rt.set.always && !rt.set.keep) {
		/* nobody watched: the runtime thread only beats the heartbeat;
		 * it is told to stop but not waited for (joining it would make
		 * every short-lived process wait for one more wakeup), and not
		 * even woken while it waits to publish (it looks at rt.stop
		 * when it wakes, if the process still exists then) */
		__atomic_store_n(&rt.stop, 1, __ATOMIC_RELEASE);
		if (segment_published())
			sampler_wake();
	} else if (!light) {
		sampler_stop();
		if (rt.set.always || rt.set.keep)
			modules_refresh(0); /* in case the thread never looked */
		sampler_final();
		rt.sampling = 0;
		timer_disarm_all();
		__atomic_fetch_and(&rt.hdr->flags, ~FT_FLAG_SAMPLING, __ATOMIC_RELEASE);
		rt.hdr->timer = FT_TIMER_NONE;
	}
	rt.on = 0;
	rt.state = (uint32_t)state;
	if (segment_exists()) {
		rt.hdr->exit_status = state == FT_STATE_EXITED ? status : -1;
		rt.hdr->heartbeat_ns = rt_now(CLOCK_MONOTONIC);
		__atomic_store_n(&rt.hdr->state, (uint32_t)state, __ATOMIC_RELEASE);
	}
	if (!rt.set.keep || state == FT_STATE_EXECED)
		segment_unlink();
}

__attribute__((destructor)) static void rt_fini(void)
{
	rt_shutdown(FT_STATE_EXITED, rt_exit_status, 0);
}

/*
 * The program is installing its own disposition for our signal (from the
 * sigaction/signal wrappers, possibly inside a signal handler).  Hands the
 * signal over: the runtime thread disarms every timer (and says so once),
 * we wait for that, at most 200 ms, and a little longer for signals
 * already on their way, so that none reaches the program's handler.
 */
void rt_signal_taken(void)
{
	struct timespec ms = {0, 1000000};

	if (!rt.on || rt.sig_lost || getpid() != rt.pid)
		return;
	rt.sig_lost = 1;
	rt_set_header_note("sampling signal taken over by the program");
	if (!rt.thread_started)
		return;
	sampler_wake();
	for (int i = 0; i < 200 && __atomic_load_n(&rt.sampling, __ATOMIC_ACQUIRE); i++)
		nanosleep(&ms, NULL);
	nanosleep(&ms, NULL);
}

/*
 * The runtime thread's look at the control block, which any process can
 * write: counts the viewer slots beaten in the last FT_VIEWER_TIMEOUT_NS
 * (a killed viewer's slot expires by itself) into control.viewers.
 * Returns 1 if a viewer polled lately.  Values from the future count only
 * a little ahead of now (a viewer may write after we read the clock).
 */
int rt_viewers_tick(uint64_t now)
{
	struct ft_control *c = &rt.hdr->control;
	uint32_t n = 0;
	uint64_t hb;

	for (unsigned i = 0; i < FT_VIEWER_SLOTS; i++) {
		uint64_t t = __atomic_load_n(&c->viewer_slot[i], __ATOMIC_ACQUIRE);

		n += t && t <= now + FT_VIEWER_TIMEOUT_NS &&
		     (t >= now || now - t < FT_VIEWER_TIMEOUT_NS);
	}
	c->viewers = n;
	hb = __atomic_load_n(&c->viewer_heartbeat_ns, __ATOMIC_ACQUIRE);
	return hb && hb <= now + FT_VIEWER_TIMEOUT_NS &&
	       (hb >= now || now - hb < FT_VIEWER_TIMEOUT_NS);
}

void rt_before_exec(void)
{
	/* a vfork child shares our memory: it must not touch anything */
	if (!rt.on || !rt.hdr || getpid() != rt.pid)
		return;
	rt_shutdown(FT_STATE_EXECED, -1, 0);
	rt.shm_name[0] = '\0';
}

void rt_exec_failed(void)
{
	if (rt.on || !rt.hdr || getpid() != rt.pid || rt.state != FT_STATE_EXECED)
		return;
	/* the name is gone: viewers still mapping the segment keep
	 * following it, new ones cannot find it; a segment never made can
	 * still be */
	if (!rt.seg_size)
		segment_early(1);
	rt.stop = 0;
	rt.on = 1;
	rt.state = FT_STATE_RUNNING;
	__atomic_store_n(&rt.hdr->state, FT_STATE_RUNNING, __ATOMIC_RELEASE);
	if (sampler_start() < 0)
		rt.on = 0;
}

__attribute__((visibility("default"))) int flametop_active(void)
{
	return rt.on && rt.hdr != NULL;
}
