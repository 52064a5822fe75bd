/*
 * timer.c - per-thread sampling timers.
 *
 * Only the runtime thread arms and disarms timers (and the exit/exec paths
 * once it has stopped).  Each live slot has at most one timer:
 *   cpu mode:  a perf_event task-clock counter of the thread that signals
 *              the thread itself every period_ns of its CPU time
 *              (F_SETOWN_EX F_OWNER_TID, F_SETSIG; the handler re-arms it
 *              with PERF_EVENT_IOC_REFRESH), else a POSIX timer on the
 *              thread's CPU-time clock;
 *   wall mode: a POSIX timer on CLOCK_MONOTONIC, first expiry staggered.
 * POSIX timers use SIGEV_THREAD_ID with sival_int = slot.  slot->tid is
 * set before a timer exists and cleared only after it is gone, so the
 * handler's tid check is always against a stable value.
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

/* the kernel's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED) */
#define THREAD_CPUCLOCK(tid) ((~(clockid_t)(tid) << 3) | 4 | 2)

static int perf_open(pid_t tid, int exclude_kernel)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.sample_period = rt.period_ns;
	a.disabled = 1;
	a.exclude_kernel = exclude_kernel;
	a.exclude_hv = 1;
	a.wakeup_events = 1;
	return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int arm_perf(uint32_t slot, pid_t tid)
{
	static int exclude_kernel = 0;
	struct f_owner_ex owner = {F_OWNER_TID, tid};
	int fd;

	fd = perf_open(tid, exclude_kernel);
	if (fd < 0 && !exclude_kernel && (errno == EACCES || errno == EPERM)) {
		exclude_kernel = 1;
		fd = perf_open(tid, 1);
	}
	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0 ||
	    fcntl(fd, F_SETSIG, rt.set.signo) < 0 || fcntl(fd, F_SETOWN_EX, &owner) < 0)
		goto out_close;
	rt.slots[slot].perf_fd = fd;
	if (fd < RT_FDMAP)
		__atomic_store_n(&rt.fd_slot[fd], (int16_t)(slot + 1), __ATOMIC_RELEASE);
	if (ioctl(fd, PERF_EVENT_IOC_RESET, 0) < 0 || ioctl(fd, PERF_EVENT_IOC_REFRESH, 1) < 0) {
		if (fd < RT_FDMAP)
			rt.fd_slot[fd] = 0;
		rt.slots[slot].perf_fd = -1;
		goto out_close;
	}
	rt.slots[slot].timer = rt.slots[slot].last_timer = FT_TIMER_PERF_TASK_CLOCK;
	return 0;

out_close:
	close(fd);
	return -1;
}

static int arm_posix(uint32_t slot, pid_t tid, int wall)
{
	struct sigevent ev;
	struct itimerspec its;
	uint64_t first;
	timer_t t;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = rt.set.signo;
	ev.sigev_value.sival_int = (int)slot;
	ev.sigev_notify_thread_id = tid;
	if (timer_create(wall ? CLOCK_MONOTONIC : THREAD_CPUCLOCK(tid), &ev, &t) < 0)
		return -1;
	/* stagger wall timers so that threads are not all stopped at once */
	first = wall ? rt.period_ns * ((slot * 7) % 16 + 1) / 16 : rt.period_ns;
	its.it_value.tv_sec = (time_t)(first / 1000000000ull);
	its.it_value.tv_nsec = (long)(first % 1000000000ull);
	its.it_interval.tv_sec = (time_t)(rt.period_ns / 1000000000ull);
	its.it_interval.tv_nsec = (long)(rt.period_ns % 1000000000ull);
	if (timer_settime(t, 0, &its, NULL) < 0) {
		timer_delete(t);
		return -1;
	}
	rt.slots[slot].posix = t;
	rt.slots[slot].timer = wall ? FT_TIMER_POSIX_WALL : FT_TIMER_POSIX_CPU;
	rt.slots[slot].last_timer = rt.slots[slot].timer;
	return 0;
}

int timer_arm(uint32_t slot)
{
	struct rt_slot *s = &rt.slots[slot];
	pid_t tid = s->tid;

	if (s->timer != FT_TIMER_NONE)
		return 0;
	/* no handler runs for this slot while it is unarmed: start its
	 * deltas afresh, so a pause does not weigh on the first sample */
	s->last_cpu = s->last_wall = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (rt.set.mode == FT_MODE_WALL)
		return arm_posix(slot, tid, 1);
	if (!rt.set.force_posix && arm_perf(slot, tid) == 0)
		return 0;
	return arm_posix(slot, tid, 0);
}

/* 1 if fd is still one of our perf events (the program may have closed
 * it and reused the number: then it is not ours to close) */
static int is_perf_fd(int fd)
{
	char path[40], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	return strcmp(link, "anon_inode:[perf_event]") == 0;
}

void timer_disarm(uint32_t slot)
{
	struct rt_slot *s = &rt.slots[slot];

	switch (s->timer) {
	case FT_TIMER_PERF_TASK_CLOCK: {
		int fd = s->perf_fd;

		/* forget the fd first: a late signal must not re-arm (ioctl)
		 * an fd number that close() below hands back to the program */
		__atomic_store_n(&s->perf_fd, -1, __ATOMIC_RELEASE);
		if (fd < RT_FDMAP)
			__atomic_store_n(&rt.fd_slot[fd], 0, __ATOMIC_RELEASE);
		if (is_perf_fd(fd)) {
			ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
			close(fd);
		}
		break;
	}
	case FT_TIMER_POSIX_CPU:
	case FT_TIMER_POSIX_WALL:
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
