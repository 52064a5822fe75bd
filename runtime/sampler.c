/*
 * sampler.c - the runtime thread: threads, timers, names, modules, rate.
 *
 * One thread named "flametop", all signals blocked, neither sampled nor
 * listed.  Every tick (10 ms while sampling, 20 ms otherwise) it beats the
 * heartbeat, decides whether to sample (FLAMETOP_ALWAYS, or a viewer
 * heartbeat in the last 2 s), picks up threads announced by the
 * pthread_create trampoline, and arms or disarms timers.  Less often it
 * scans /proc/self/task (100 ms; 1 s while unwatched), reaps dead threads
 * (tgkill(pid, tid, 0) == ESRCH), rereads names (1 s, or at once after
 * pthread_setname_np), refreshes modules (and at the next tick after a
 * dlopen or dlclose) and the achieved rate.
 *
 * In wall mode it also ticks once per sampling period and reads every
 * blocked thread from outside (blocked.c).  Threads announce their stack
 * size; one smaller than RT_STACK_MIN_SIGNALLED never gets a timer (it is
 * counted in threads_small_stack); a thread found by a scan before its
 * announcement waits ARM_WAIT_NS for it.
 *
 * It is the only writer of the thread table (seqlock per entry) and of the
 * slots' timer fields.  It sleeps on the futex word rt.stop so that
 * sampler_stop() wakes it at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "alloc.h"
#include "coro.h"
#include "rt.h"
#include "unwind.h"

#define SCAN_NS 100000000ull	     /* while sampling */
#define SCAN_IDLE_NS 1000000000ull   /* unwatched: threads matter less */
#define PUBLISH_DELAY_NS 20000000ull /* unwatched: the name after 20 ms */
#define NAME_NS 1000000000ull
#define RATE_NS 1000000000ull
#define ARM_WAIT_NS 30000000ull
#define WALL_TICK_MIN_NS 1000000ull /* the fastest wall-mode look */

#define THREAD_CPUCLOCK(tid) ((~(clockid_t)(tid) << 3) | 4 | 2)

static uint64_t rate_t0;

static void thread_write(uint32_t i, uint32_t state, const char *name)
{
	struct ft_thread *t = &rt.threads[i];
	struct rt_slot *s = &rt.slots[i];
	uint32_t old_state = s->state;
	int renamed = 0;

	if (segment_back(FT_REGION_THREADS) < 0)
		return; /* /dev/shm is full: the table stays as it is */
	s->state = state;
	__atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->state = state;
	t->tid = s->tid;
	t->timer = s->last_timer; /* the kind in use, or last used */
	t->samples = __atomic_load_n(&s->samples, __ATOMIC_RELAXED);
	t->cpu_ns = s->last_cpu;
	if (name && strncmp(s->name, name, sizeof(s->name)) != 0) {
		memset(s->name, 0, sizeof(s->name));
		strncpy(s->name, name, sizeof(s->name) - 1);
		renamed = 1;
	}
	memcpy(t->name, s->name, sizeof(t->name));
	__atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELEASE);
	if (renamed || state != old_state)
		__atomic_fetch_add(&rt.hdr->threads_gen, 1, __ATOMIC_RELEASE);
}

static void read_name(pid_t tid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static int find_tid(pid_t tid)
{
	for (uint32_t i = 0; i < RT_THREADS; i++)
		if (rt.slots[i].tid == tid)
			return (int)i;
	return -1;
}

/* stack: the size announced by the thread, 0 if found by a scan;
 * returns the thread's slot, or -1 */
static int thread_add(pid_t tid, uint64_t now, uint64_t stack)
{
	char name[FT_NAME_LEN];
	int i, free_ix = -1, exited_ix = -1;

	if (tid <= 0 || tid == rt.rt_tid)
		return -1;
	if ((i = find_tid(tid)) >= 0) {
		if (stack) {
			rt.slots[i].stack_size = stack;
			rt.slots[i].arm_after_ns = 0;
		}
		return i;
	}
	for (i = 0; i < (int)RT_THREADS; i++) {
		if (rt.slots[i].tid)
			continue;
		if (rt.slots[i].state == FT_THREAD_FREE) {
			free_ix = i;
			break;
		}
		if (exited_ix < 0)
			exited_ix = i;
	}
	if (free_ix < 0)
		free_ix = exited_ix;
	if (free_ix < 0) {
		__atomic_fetch_add(&rt.hdr->counters.threads_timer_failed, 1, __ATOMIC_RELAXED);
		return -1;
	}
	struct rt_slot *s = &rt.slots[free_ix];
	s->timer = s->last_timer = FT_TIMER_NONE;
	s->perf_fd = -1;
	s->next_try_ns = 0;
	s->arm_failed = 0;
	s->busy = 0;
	s->last_cpu = s->last_wall = 0;
	s->samples = 0;
	s->samples_seen = 0;
	s->stack_size = stack;
	s->arm_after_ns = stack || tid == rt.pid ? 0 : now + ARM_WAIT_NS;
	s->small_stack = 0;
	s->off_wall = s->off_cpu = s->off_delay = 0;
	s->off_owed = 0;
	s->wait_ns = s->wait_carry = 0;
	s->last_pc = handler_last_stack((uint32_t)free_ix);
	s->last_n = 0;
	s->cpu_seen = rt_now(THREAD_CPUCLOCK(tid)); /* the rate's base */
	s->name_ns = now;
	__atomic_store_n(&s->tid, tid, __ATOMIC_RELEASE);
	read_name(tid, name, sizeof(name));
	thread_write((uint32_t)free_ix, FT_THREAD_LIVE, name);
	__atomic_fetch_add(&rt.hdr->counters.threads_seen, 1, __ATOMIC_RELAXED);
	if (tid == rt.pid) {
		uint64_t main_pc = interpose_main_pc();

		if (main_pc)
			handler_keep_stack(s, &main_pc, 1);
	}
	return free_ix;
}

static void thread_gone(uint32_t i)
{
	timer_disarm(i);
	thread_write(i, FT_THREAD_EXITED, NULL);
	__atomic_store_n(&rt.slots[i].tid, 0, __ATOMIC_RELEASE);
}

/* Linux's struct linux_dirent64 */
struct dirent64_raw {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* finds threads created without pthread_create; reads the directory with
 * getdents64 into a static buffer: no malloc (opendir would give this
 * thread a malloc arena of its own) */
static void scan_tasks(uint64_t now)
{
	static char buf[8192] __attribute__((aligned(8)));
	int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
			char *end;
			long tid = strtol(d->name, &end, 10);

			if (*end == '\0' && tid > 0)
				thread_add((pid_t)tid, now, 0);
			off += d->reclen;
		}
	}
	close(fd);
}

/* a pending entry being written by its thread */
#define PENDING_CLAIMED UINT64_MAX

static void take_announced(uint64_t now)
{
	for (uint32_t i = 0; i < RT_PENDING; i++) {
		uint64_t v = __atomic_load_n(&rt.pending[i], __ATOMIC_ACQUIRE);
		int slot;

		if (!v || v == PENDING_CLAIMED)
			continue;
		slot = thread_add((pid_t)(uint32_t)v, now, (v >> 32) * 1024);
		if (slot >= 0 && !rt.slots[slot].last_n)
			handler_keep_stack(&rt.slots[slot], rt.pending_root[i],
					   rt.pending_root_n[i]);
		__atomic_store_n(&rt.pending[i], 0, __ATOMIC_RELEASE);
	}
}

void sampler_announce(pid_t tid, uint64_t stack_size, const uint64_t *root, uint32_t nroot)
{
	uint64_t kb = stack_size / 1024, v;

	if (!kb)
		kb = 1; /* unknown: any non-zero size ends the wait */
	if (kb > UINT32_MAX)
		kb = UINT32_MAX;
	v = (uint64_t)(uint32_t)tid | kb << 32;
	for (uint32_t i = tid % RT_PENDING, n = 0; n < RT_PENDING; n++, i = (i + 1) % RT_PENDING) {
		uint64_t zero = 0;

		if (!__atomic_compare_exchange_n(&rt.pending[i], &zero, PENDING_CLAIMED, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		if (nroot > RT_ROOT_DEPTH)
			nroot = RT_ROOT_DEPTH;
		memcpy(rt.pending_root[i], root, nroot * sizeof(*root));
		rt.pending_root_n[i] = nroot;
		__atomic_store_n(&rt.pending[i], v, __ATOMIC_RELEASE);
		return;
	}
	/* full: the /proc scan will find the thread */
}

static void reap_and_name(uint64_t now, int names)
{
	for (uint32_t i = 0; i < RT_THREADS; i++) {
		struct rt_slot *s = &rt.slots[i];
		pid_t tid = s->tid;

		if (!tid)
			continue;
		if (syscall(SYS_tgkill, rt.pid, tid, 0) < 0 && errno == ESRCH) {
			thread_gone(i);
			continue;
		}
		if (timer_check(i) < 0)
			thread_write(i, FT_THREAD_LIVE, NULL); /* armed again next tick */
		if (names && (now - s->name_ns >= NAME_NS || rt.names_dirty)) {
			char name[FT_NAME_LEN];

			s->name_ns = now;
			read_name(tid, name, sizeof(name));
			thread_write(i, FT_THREAD_LIVE, name[0] ? name : NULL);
		}
	}
}

/* the last look at the threads, from rt_shutdown once the runtime thread
 * has stopped (so this thread is the only writer) */
void sampler_final(void)
{
	uint64_t now = rt_now(CLOCK_MONOTONIC);

	if (rt.state != FT_STATE_RUNNING)
		return;
	rt.names_dirty = 1;
	reap_and_name(now, 1);
	rt.names_dirty = 0;
	for (uint32_t i = 0; i < RT_THREADS; i++)
		if (rt.slots[i].tid)
			thread_write(i, FT_THREAD_LIVE, NULL);
}

/*
 * A thread that ran four periods without a sample may have lost its perf
 * event (the program closed it): look at once rather than at the next
 * scan.  Costs a clock read per thread and tick.
 */
static void perf_quiet(uint32_t i)
{
	struct rt_slot *s = &rt.slots[i];
	uint64_t cpu = rt_now(THREAD_CPUCLOCK(s->tid));
	uint64_t n = __atomic_load_n(&s->samples, __ATOMIC_RELAXED);

	if (n != s->samples_check || cpu < s->cpu_check) {
		s->samples_check = n;
		s->cpu_check = cpu;
	} else if (cpu - s->cpu_check >= 4 * rt.period_ns) {
		s->cpu_check = cpu;
		if (timer_check(i) < 0 && timer_arm(i) == 0)
			thread_write(i, FT_THREAD_LIVE, NULL);
	}
}

static void arm_all(uint64_t now)
{
	uint32_t best = FT_TIMER_NONE;

	for (uint32_t i = 0; i < RT_THREADS; i++) {
		struct rt_slot *s = &rt.slots[i];

		if (!s->tid)
			continue;
		if (s->stack_size > 1024 && s->stack_size < RT_STACK_MIN_SIGNALLED) {
			/* the kernel's signal frame alone could overflow it */
			if (!s->small_stack) {
				s->small_stack = 1;
				__atomic_fetch_add(&rt.hdr->counters.threads_small_stack, 1,
						   __ATOMIC_RELAXED);
			}
			if (s->timer != FT_TIMER_NONE)
				timer_disarm(i);
			continue;
		}
		if (s->timer == FT_TIMER_NONE && now >= s->next_try_ns && now >= s->arm_after_ns) {
			if (timer_arm(i) < 0) {
				/* a thread that died meanwhile is reaped later */
				if (errno != ESRCH && !s->arm_failed) {
					s->arm_failed = 1;
					__atomic_fetch_add(&rt.hdr->counters.threads_timer_failed,
							   1, __ATOMIC_RELAXED);
				}
				s->next_try_ns = now + NAME_NS;
				continue;
			}
			thread_write(i, FT_THREAD_LIVE, NULL);
		}
		if (s->timer == FT_TIMER_PERF_TASK_CLOCK)
			perf_quiet(i);
		if (s->timer != FT_TIMER_NONE && (best == FT_TIMER_NONE || s->timer < best))
			best = s->timer;
	}
	rt.hdr->timer = best;
}

/* wall mode: every thread, once a period, from outside */
static void look_all(uint64_t now)
{
	for (uint32_t i = 0; i < RT_THREADS; i++)
		if (rt.slots[i].tid)
			blocked_look(i, now);
}

static void disarm_all(void)
{
	timer_disarm_all();
	for (uint32_t i = 0; i < RT_THREADS; i++)
		rt.slots[i].off_wall = 0; /* a pause is no blocked time */
	for (uint32_t i = 0; i < RT_THREADS; i++)
		if (rt.slots[i].tid)
			thread_write(i, FT_THREAD_LIVE, NULL);
	rt.hdr->timer = FT_TIMER_NONE;
}

/* a new base for the rate, when sampling (re)starts */
static void rate_reset(uint64_t now)
{
	for (uint32_t i = 0; i < RT_THREADS; i++) {
		struct rt_slot *s = &rt.slots[i];

		if (s->tid) {
			s->cpu_seen = rt_now(THREAD_CPUCLOCK(s->tid));
			s->samples_seen = __atomic_load_n(&s->samples, __ATOMIC_RELAXED);
		}
	}
	rate_t0 = now;
}

/* achieved_hz_milli over the last second */
static void rate_tick(uint64_t now)
{
	uint64_t samples = 0, cpu = 0, live = 0, dt = now - rate_t0;

	if (dt < RATE_NS)
		return;
	for (uint32_t i = 0; i < RT_THREADS; i++) {
		struct rt_slot *s = &rt.slots[i];
		uint64_t n, c;

		if (!s->tid)
			continue;
		c = rt_now(THREAD_CPUCLOCK(s->tid));
		n = __atomic_load_n(&s->samples, __ATOMIC_RELAXED);
		if (c >= s->cpu_seen && s->timer != FT_TIMER_NONE) {
			samples += n - s->samples_seen;
			cpu += c - s->cpu_seen;
			live++;
		}
		s->cpu_seen = c;
		s->samples_seen = n;
		/* the per-thread sample count, published once a second */
		thread_write(i, FT_THREAD_LIVE, NULL);
	}
	if (rt.set.mode == FT_MODE_WALL)
		rt.hdr->achieved_hz_milli = live ? samples * 1000000000000ull / (live * dt) : 0;
	else
		rt.hdr->achieved_hz_milli = cpu ? samples * 1000000000000ull / cpu : 0;
	rate_t0 = now;
}

static void check_signal(void)
{
	if (rt.sig_noted || !rt.handler_in || (!rt.sig_lost && handler_owned()))
		return;
	rt.sig_noted = 1;
	rt.sig_lost = 1;
	rt_note("signal %d is used by the program; sampling off (set FLAMETOP_SIGNAL)",
		rt.set.signo);
	rt_set_header_note("sampling signal taken over by the program");
}

/*
 * Loads libunwind, before the first timer is armed (unwind.h); a failure
 * turns sampling off for good, and says so once.  0 or -1.
 */
int sampler_load_unwinder(void)
{
	char err[256];
	int r;

	if (unwind_loaded())
		return 0;
	/* a fork under way could copy the loader's locks held by this
	 * dlopen into a child that starts a thread (rt.c, child_start):
	 * then the load waits for the next tick */
	__atomic_store_n(&rt.in_dl, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&rt.forking, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&rt.in_dl, 0, __ATOMIC_SEQ_CST);
		return -EAGAIN;
	}
	r = unwind_load(err, sizeof(err));
	__atomic_store_n(&rt.in_dl, 0, __ATOMIC_SEQ_CST);
	if (r == 0)
		return 0;
	rt.sig_lost = rt.sig_noted = 1;
	rt_note("%s; not sampling", err);
	rt_set_header_note("cannot load libunwind");
	return -1;
}

/*
 * Unwatched, the segment is made (if nothing needed it before) and given
 * its name (and viewers can find the process) only after
 * PUBLISH_DELAY_NS: a process that ends sooner pays for none of it.  0,
 * or -1 if it will not be published (the process is leaving, or the
 * segment or its name cannot be made: then it says so and stays off).
 */
static int publish_later(void)
{
	struct timespec ts = {0, (long)PUBLISH_DELAY_NS};
	char err[256];

	/* only rt_shutdown, rt_before_exec and sampler_stop wake us, after
	 * setting rt.stop: no clock is read (a process that ends sooner
	 * never reads one) */
	while (!__atomic_load_n(&rt.stop, __ATOMIC_ACQUIRE))
		if (syscall(SYS_futex, &rt.stop, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0) < 0 &&
		    errno == ETIMEDOUT)
			break;
	if (__atomic_load_n(&rt.stop, __ATOMIC_ACQUIRE) || segment_need(1) < 0)
		return -1;
	err[0] = '\0';
	if (segment_publish(err, sizeof(err)) == 0)
		return 0;
	if (err[0]) {
		rt_note("%s; not profiling", err);
		rt.on = 0;
	}
	return -1;
}

static void *sampler_main(void *arg)
{
	/* unwatched, the first look at threads and modules waits for the
	 * usual idle interval (a short-lived process never pays for it) */
	uint64_t last_scan = rt.set.always ? 0 : rt_now(CLOCK_MONOTONIC), last_names = 0;

	rt.rt_tid = (pid_t)syscall(SYS_gettid);
	alloc_ignore_thread(); /* what this thread allocates is ours */
	if (!segment_published() && publish_later() < 0)
		return NULL;
	/* before it opens anything (libunwind's files, /proc, perf events):
	 * the handler never uses a descriptor number, so the perf events
	 * live in the private table too */
	if (rt_private_fds() == 0)
		__atomic_fetch_or(&rt.hdr->flags, FT_FLAG_PRIVATE_FDS, __ATOMIC_RELEASE);
	prctl(PR_SET_NAME, "flametop");
	/* let the kernel batch our wakeups with others' */
	prctl(PR_SET_TIMERSLACK, 1000000UL);
	rate_t0 = rt_now(CLOCK_MONOTONIC);
	while (!__atomic_load_n(&rt.stop, __ATOMIC_ACQUIRE)) {
		uint64_t now = rt_now(CLOCK_MONOTONIC);
		struct timespec ts;
		int want, err;

		rt.hdr->heartbeat_ns = now;
		segment_fold_early();
		check_signal();
		want = !rt.sig_lost && rt.on && (rt_viewers_tick(now) || rt.set.always);
		take_announced(now);
		if (rt.modules_dirty) {
			rt.modules_dirty = 0;
			modules_refresh(0);
			gc_dlopened();
		}
		if (now - last_scan >= (rt.sampling || want ? SCAN_NS : SCAN_IDLE_NS) ||
		    rt.names_dirty) {
			int names = now - last_names >= NAME_NS || rt.names_dirty;

			scan_tasks(now);
			reap_and_name(now, names);
			if (names) {
				last_names = now;
				rt.names_dirty = 0;
			}
			modules_refresh(0);
			last_scan = now;
		}
		if (want && (sampler_load_unwinder() < 0 || rt_install_handler() < 0))
			want = 0;
		if (want && rt.set.mode == FT_MODE_WALL && blocked_init() < 0) {
			rt.sig_lost = rt.sig_noted = 1;
			rt_note("out of memory for blocked threads' stacks; not sampling");
			rt_set_header_note("out of memory");
			want = 0;
		}
		if (want && (err = segment_populate_samples()) < 0) {
			rt.sig_lost = rt.sig_noted = 1; /* no sampling from now on */
			rt_note("cannot allocate the sample ring: %s; not sampling",
				strerror(-err));
			rt_set_header_note("cannot allocate the sample ring");
			want = 0;
		}
		if (want) {
			if (!rt.sampling)
				rate_reset(now);
			rt.sampling = 1;
			arm_all(now);
			__atomic_fetch_or(&rt.hdr->flags, FT_FLAG_SAMPLING, __ATOMIC_RELEASE);
			if (rt.set.mode == FT_MODE_WALL)
				look_all(now);
			rate_tick(now);
			coro_stacks_tick(now);
		} else if (rt.sampling) {
			disarm_all();
			__atomic_fetch_and(&rt.hdr->flags, ~FT_FLAG_SAMPLING, __ATOMIC_RELEASE);
			rt.hdr->achieved_hz_milli = 0;
			__atomic_store_n(&rt.sampling, 0, __ATOMIC_RELEASE);
		}
		ts.tv_sec = 0;
		ts.tv_nsec = want ? 10000000 : 20000000;
		if (want && rt.set.mode == FT_MODE_WALL && rt.period_ns < 10000000ull)
			ts.tv_nsec = (long)(rt.period_ns > WALL_TICK_MIN_NS ? rt.period_ns
									    : WALL_TICK_MIN_NS);
		syscall(SYS_futex, &rt.stop, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	}
	return NULL;
}

int sampler_start(void)
{
	pthread_attr_t attr;
	sigset_t all, saved;
	int err;

	/* the thread starts with every signal blocked (it inherits the mask
	 * of its creator, restored at once; pthread_attr_setsigmask_np would
	 * cost a process nobody watches its first malloc) */
	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	err = real_pthread_create(&rt.thread, &attr, sampler_main, NULL);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	rt.thread_started = 1;
	return 0;
}

void sampler_wake(void)
{
	syscall(SYS_futex, &rt.stop, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void sampler_stop(void)
{
	if (!rt.thread_started)
		return;
	__atomic_store_n(&rt.stop, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &rt.stop, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(rt.thread, NULL);
	rt.thread_started = 0;
}
