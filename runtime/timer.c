/*
 * timer.c - per-thread sampling timers.
 *
 * Only the runtime thread arms, checks and disarms timers (and the
 * exit/exec paths once it has stopped).  Each live slot has at most one
 * timer, in both modes a clock of the thread's user CPU time, so that an
 * expiry lands while the thread runs its own code, never while it enters
 * or sleeps in a system call (which would then fail with EINTR):
 *   perf:  a perf_event task-clock counter of the thread with
 *          exclude_kernel, enabled once, that signals the thread itself on
 *          every overflow (F_SETOWN_EX F_OWNER_TID, F_SETSIG); the handler
 *          never touches the descriptor;
 *   posix: timer_create on the thread's user CPU clock (CPUCLOCK_VIRT):
 *          owns no descriptor, but expires on kernel ticks only.
 * Wall mode uses the same timers for running threads; blocked threads are
 * read without signals (blocked.c).
 *
 * The perf descriptors are in the runtime thread's own table
 * (rt_private_fds), out of the program's reach.  Where the kernel refused
 * that table they are in the program's, which may close one (a daemon
 * closing every fd, close_range) and get the number back for a file of its
 * own:
 * timer_check() tells ours from a reuse by the event id, and a lost event
 * is counted (timers_lost), forgotten without touching the number, and
 * armed again.  POSIX timers use SIGEV_THREAD_ID with sival_int = slot.
 * slot->tid is set before a timer exists and cleared only after it is
 * gone, so the handler's tid check is always against a stable value.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include "rt.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* the kernel's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_VIRT): user time */
#define THREAD_USERCLOCK(tid) ((~(clockid_t)(tid) << 3) | 4 | 1)
/* at most this rate, the POSIX timer is the default: it owns no fd */
#define POSIX_MAX_HZ 200u

static int perf_open(pid_t tid)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.sample_period = rt.period_ns;
	a.disabled = 1;
	/* user time only: an overflow is taken only when the timer interrupt
	 * finds the thread in user mode, so the signal never lands in a
	 * system call */
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.wakeup_events = 1;
	return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int arm_perf(uint32_t slot, pid_t tid)
{
	struct f_owner_ex owner = {F_OWNER_TID, tid};
	struct rt_slot *s = &rt.slots[slot];
	uint64_t id = 0;
	int fd;

	fd = perf_open(tid);
	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0 ||
	    fcntl(fd, F_SETSIG, rt.set.signo) < 0 || fcntl(fd, F_SETOWN_EX, &owner) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0)
		goto out_close;
	s->perf_fd = fd;
	s->perf_id = id;
	if (fd < RT_FDMAP)
		__atomic_store_n(&rt.fd_slot[fd], (int16_t)(slot + 1), __ATOMIC_RELEASE);
	/* no event limit: every overflow signals, the handler never re-arms */
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		if (fd < RT_FDMAP)
			rt.fd_slot[fd] = 0;
		s->perf_fd = -1;
		goto out_close;
	}
	s->timer = s->last_timer = FT_TIMER_PERF_TASK_CLOCK;
	return 0;

out_close:
	close(fd);
	return -1;
}

static int arm_posix(uint32_t slot, pid_t tid)
{
	struct sigevent ev;
	struct itimerspec its;
	timer_t t;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = rt.set.signo;
	ev.sigev_value.sival_int = (int)slot;
	ev.sigev_notify_thread_id = tid;
	if (timer_create(THREAD_USERCLOCK(tid), &ev, &t) < 0)
		return -1;
	its.it_value.tv_sec = its.it_interval.tv_sec = (time_t)(rt.period_ns / 1000000000ull);
	its.it_value.tv_nsec = its.it_interval.tv_nsec = (long)(rt.period_ns % 1000000000ull);
	if (timer_settime(t, 0, &its, NULL) < 0) {
		timer_delete(t);
		return -1;
	}
	rt.slots[slot].posix = t;
	rt.slots[slot].timer = rt.slots[slot].last_timer = FT_TIMER_POSIX_CPU;
	return 0;
}

int timer_arm(uint32_t slot)
{
	struct rt_slot *s = &rt.slots[slot];
	pid_t tid = s->tid;
	int perf;

	if (s->timer != FT_TIMER_NONE)
		return 0;
	/* no handler runs for this slot while it is unarmed: start its
	 * deltas afresh, so a pause does not weigh on the first sample */
	s->last_cpu = s->last_wall = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	perf = rt.set.force_perf || (!rt.set.force_posix && rt.set.freq > POSIX_MAX_HZ);
	if (perf && arm_perf(slot, tid) == 0)
		return 0;
	return arm_posix(slot, tid);
}

/* 1 if fd is still our perf event id: the program may have closed it
 * and reused the number, and then it is not ours to touch */
static int perf_fd_ours(int fd, uint64_t id)
{
	char path[48], link[64];
	uint64_t cur = 0;
	ssize_t n;

	/* the calling thread's table: the runtime thread may have its own */
	snprintf(path, sizeof(path), "/proc/thread-self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	/* a perf event's ID ioctl only reads: safe on the program's too */
	return strcmp(link, "anon_inode:[perf_event]") == 0 &&
	       ioctl(fd, PERF_EVENT_IOC_ID, &cur) == 0 && cur == id;
}

static void forget_perf(struct rt_slot *s)
{
	int fd = s->perf_fd;

	/* a late signal maps its si_fd to no slot from now on */
	__atomic_store_n(&s->perf_fd, -1, __ATOMIC_RELEASE);
	if (fd >= 0 && fd < RT_FDMAP)
		__atomic_store_n(&rt.fd_slot[fd], 0, __ATOMIC_RELEASE);
}

int timer_check(uint32_t slot)
{
	struct rt_slot *s = &rt.slots[slot];

	if (s->timer != FT_TIMER_PERF_TASK_CLOCK || perf_fd_ours(s->perf_fd, s->perf_id))
		return 0;
	/* the runtime thread's own table is out of other threads' sight (at
	 * exit it is gone with the thread, and the events with it) */
	if (rt.private_fds && (pid_t)syscall(SYS_gettid) != rt.rt_tid)
		return 0;
	forget_perf(s);
	s->timer = FT_TIMER_NONE;
	__atomic_fetch_add(&rt.hdr->counters.timers_lost, 1, __ATOMIC_RELAXED);
	return -1;
}

void timer_disarm(uint32_t slot)
{
	struct rt_slot *s = &rt.slots[slot];

	switch (s->timer) {
	case FT_TIMER_PERF_TASK_CLOCK: {
		int fd = s->perf_fd;
		int ours = perf_fd_ours(fd, s->perf_id);

		forget_perf(s);
		if (ours) {
			ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
			close(fd);
		}
		break;
	}
	case FT_TIMER_POSIX_CPU:
		timer_delete(s->posix);
		break;
	default:
		break;
	}
	s->timer = FT_TIMER_NONE;
}

void timer_disarm_all(void)
{
	for (uint32_t i = 0; i < RT_THREADS; i++)
		if (rt.slots[i].timer != FT_TIMER_NONE)
			timer_disarm(i);
}
