/*
 * blocked.c - wall mode: threads blocked in the kernel, read without
 * signals.
 *
 * A signal makes a blocked nanosleep, poll, epoll_wait, sem_timedwait,
 * sigtimedwait or recv with a timeout fail with EINTR even with SA_RESTART,
 * so wall mode never signals a thread that is not running: its timers run
 * on the thread's user CPU time (timer.c) and cover the time it runs, and
 * the runtime thread, once per period, looks at every thread from outside:
 *
 *   /proc/self/task/TID/syscall   "running", or "NR ARG1..ARG6 SP PC" for
 *                                 a thread blocked in system call NR
 *                                 ("-1 SP PC": blocked outside one)
 *
 * For a blocked thread it unwinds the thread's stack, which is in this
 * address space, with libunwind from a context holding that pc and sp, and
 * writes samples flagged FT_SAMPLE_BLOCKED.  The thread may wake, return,
 * exit and have its stack unmapped during the walk: the stack is read only
 * through process_vm_readv (coro-stacks.c), where a vanished page is an
 * error, never a fault in the program.  The time is kept as a running
 * balance per thread: wall time, less CPU time, less the time it waited
 * for a CPU (run_delay in /proc/self/task/TID/schedstat, which the kernel
 * adds when the thread gets the CPU) is the time it was blocked; a look
 * that finds it blocked writes one sample per period of that balance not
 * yet written (so counts stay proportional to wall time when this thread
 * is late, and a block that ended between two looks is counted at the
 * next one).  The time waited for a CPU is handed to the thread's next
 * signal sample (wait_ns), at the stack it resumes at.  The thread may wake
 * while it is read: its CPU clock and its syscall line are read before and
 * after, and a sample whose thread ran meanwhile is dropped (drop_woke).
 *
 * From a pc and an sp alone, unwinding stops at the first frame whose
 * call frame is found through the frame pointer (code built with frame
 * pointers keeps rbp live in the register, which the file does not give).
 * Such a stack is not guessed: the sample is the pseudo frame
 * FT_PC_SYSCALL(nr), "blocked in NR", above the last stack known for the
 * thread (FT_SAMPLE_STALE), or alone when none is known.
 *
 * Cost: a thread whose CPU clock has not moved since the previous look has
 * not run, so it is where it was: its previous sample is written again
 * without reading anything else.  A thread that ran and blocked again with
 * the same system call line (number, arguments, sp, pc) is checked
 * against its previous stack: each return address is read again from the
 * slot it was unwound from; all equal, the stack is the same.
 *
 * Runs on the runtime thread only (malloc, stdio and locks are allowed
 * here, but none is needed).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "coro.h"
#include "ring.h"
#include "rt.h"

#define THREAD_CPUCLOCK(tid) ((~(clockid_t)(tid) << 3) | 4 | 2)
/* a look after a long pause writes at most this many samples */
#define BLOCKED_MAX_PER_LOOK 64

/* one parsed /proc/self/task/TID/syscall */
struct sysline {
	int blocked; /* 0: running (or unreadable) */
	long nr;
	uint64_t sp, pc;
	char raw[256];
};

/* per slot: the previous blocked look, to be written again */
struct prev {
	int valid;   /* the thread was blocked at the previous look */
	int nframes; /* 0: it was not unwound (STALE) */
	long nr;
	char raw[256];	/* its syscall line */
	uint64_t *pc;	/* rt.set.depth + 1 frames */
	uint64_t *slot; /* where pc[i] (i >= 1) was read from */
};

static struct prev *prevs; /* RT_THREADS */
static uint64_t *frames, *slots;
static struct ft_sample *rec;
static size_t stride; /* entries per slot in the arrays */

int blocked_init(void)
{
	stride = rt.set.depth + 1;
	if (!rec)
		rec = calloc(1, sizeof(*rec) + (FT_MAX_DEPTH + 1) * sizeof(uint64_t));
	if (!frames)
		frames = calloc(2 * stride, sizeof(uint64_t));
	if (!prevs) {
		/* address space only: pages are used as threads block */
		size_t len = RT_THREADS * (sizeof(*prevs) + 2 * stride * sizeof(uint64_t));
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p != MAP_FAILED) {
			uint64_t *arr = (uint64_t *)((struct prev *)p + RT_THREADS);

			prevs = p;
			for (uint32_t i = 0; i < RT_THREADS; i++) {
				prevs[i].pc = arr + (size_t)i * 2 * stride;
				prevs[i].slot = prevs[i].pc + stride;
			}
		}
	}
	slots = frames ? frames + stride : NULL;
	return rec && frames && prevs ? 0 : -1;
}

static void sysline_read(pid_t tid, struct sysline *l)
{
	char path[64];
	ssize_t n;
	int fd;

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, l->raw, sizeof(l->raw) - 1);
	close(fd);
	if (n <= 0)
		return;
	l->raw[n] = '\0';
	if (strncmp(l->raw, "running", 7) == 0)
		return;
	if (l->raw[0] == '-') {
		/* "-1 SP PC": blocked, but not in a system call */
		if (sscanf(l->raw, "%ld %lx %lx", &l->nr, &l->sp, &l->pc) != 3)
			return;
	} else {
		unsigned long a[6];

		if (sscanf(l->raw, "%ld %lx %lx %lx %lx %lx %lx %lx %lx", &l->nr, &a[0], &a[1],
			   &a[2], &a[3], &a[4], &a[5], &l->sp, &l->pc) != 9)
			return;
	}
	l->blocked = l->sp && l->pc;
}

static void drop(uint64_t *c)
{
	__atomic_fetch_add(&rt.hdr->counters.samples_dropped, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* the last stack kept for the slot, under the pseudo frame; returns the
 * number of frames written after it */
static uint32_t last_stack(struct rt_slot *s, uint64_t *pc, uint32_t max)
{
	uint32_t seq = __atomic_load_n(&s->last_seq, __ATOMIC_ACQUIRE), n;

	if (!s->last_pc || (seq & 1))
		return 0;
	n = s->last_n < max ? s->last_n : max;
	memcpy(pc, s->last_pc, n * sizeof(*pc));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&s->last_seq, __ATOMIC_RELAXED) == seq ? n : 0;
}

/* 1 if the return addresses of p's stack are still in their slots */
static int same_stack(const struct prev *p)
{
	return p->nframes > 1 && stacks_same_words(p->slot + 1, p->pc + 1, p->nframes - 1);
}

/* reads the thread's stack into p; 0, or -1 if it woke meanwhile */
static int read_stack(pid_t tid, uint64_t now, uint64_t cpu0, struct sysline *l0, struct prev *p)
{
	uint32_t max = rt.set.depth;
	struct sysline l1;
	int n, complete;

	n = stacks_unwind_safe(now, l0->pc, l0->sp, frames, slots, (int)max + 1, &complete);
	if (n < 0)
		n = complete = 0; /* not unwound: "blocked in NR" above its last stack */
	/* did the thread run while we read its stack? */
	sysline_read(tid, &l1);
	if (rt_now(THREAD_CPUCLOCK(tid)) != cpu0 || !l1.blocked || strcmp(l0->raw, l1.raw) != 0)
		return -1;
	p->valid = 1;
	p->nr = l0->nr;
	memcpy(p->raw, l0->raw, sizeof(p->raw));
	p->nframes = n > 1 && complete ? n : 0;
	memcpy(p->pc, frames, (size_t)p->nframes * sizeof(uint64_t));
	memcpy(p->slot, slots, (size_t)p->nframes * sizeof(uint64_t));
	return 0;
}

/* the thread's run_delay (ns runnable but waiting for a CPU), or 0 */
static uint64_t run_delay(pid_t tid)
{
	char path[64], buf[96];
	unsigned long long run = 0, delay = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &run, &delay) != 2)
		return 0;
	return delay;
}

static void write_sample(uint32_t slot, const struct prev *p, uint64_t now)
{
	struct ft_counters *c = &rt.hdr->counters;
	struct rt_slot *s = &rt.slots[slot];
	uint32_t max = rt.set.depth;
	int n = p->nframes;

	memset(rec, 0, sizeof(*rec));
	if (n) {
		if (n > (int)max) {
			n = (int)max;
			rec->flags |= FT_SAMPLE_TRUNCATED;
			__atomic_fetch_add(&c->truncated, 1, __ATOMIC_RELAXED);
		}
		memcpy(rec->pc, p->pc, (size_t)n * sizeof(uint64_t));
		rec->flags |= FT_SAMPLE_LEAF_EXACT;
	} else {
		rec->pc[0] = FT_PC_SYSCALL(p->nr);
		n = 1 + (int)last_stack(s, rec->pc + 1, max - 1);
		rec->flags |= FT_SAMPLE_STALE | FT_SAMPLE_LEAF_EXACT;
	}
	rec->flags |= FT_SAMPLE_BLOCKED;
	rec->time_ns = now;
	rec->weight_ns = rt.period_ns;
	rec->cpu_ns = 0;
	rec->tid = s->tid;
	rec->thread_slot = slot;
	rec->nframes = (uint16_t)n;
	/* one sample per period blocked (a late look writes several) */
	for (int k = 0; s->off_owed >= (int64_t)rt.period_ns && k < BLOCKED_MAX_PER_LOOK; k++) {
		s->off_owed -= (int64_t)rt.period_ns;
		if (ft_ring_write(rt.samples, rec, sizeof(*rec) + (uint32_t)n * 8, FT_REC_SAMPLE) !=
		    UINT64_MAX) {
			__atomic_fetch_add(&c->samples_written, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&s->samples, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_fetch_add(&c->samples_dropped, 1, __ATOMIC_RELAXED);
		}
	}
}

/* adds to the blocked balance, kept within BLOCKED_MAX_PER_LOOK periods */
static void owe(struct rt_slot *s, int64_t ns)
{
	int64_t cap = (int64_t)rt.period_ns * BLOCKED_MAX_PER_LOOK;

	s->off_owed += ns;
	if (s->off_owed > cap)
		s->off_owed = cap;
	if (s->off_owed < -cap)
		s->off_owed = -cap;
}

void blocked_look(uint32_t slot, uint64_t now)
{
	struct rt_slot *s = &rt.slots[slot];
	uint64_t cpu0, dw, dc, delay, dd;
	int was_blocked;
	struct prev *p;
	struct sysline l0;
	pid_t tid = s->tid;

	if (!tid || !rec || !prevs)
		return;
	p = &prevs[slot];
	cpu0 = rt_now(THREAD_CPUCLOCK(tid));
	if (!s->off_wall || cpu0 < s->off_cpu) {
		s->off_wall = now;
		s->off_cpu = cpu0;
		s->off_delay = run_delay(tid);
		s->off_owed = 0;
		p->valid = 0;
		return;
	}
	dw = now - s->off_wall;
	dc = cpu0 - s->off_cpu;
	s->off_wall = now;
	s->off_cpu = cpu0;
	owe(s, (int64_t)dw - (int64_t)dc);
	if (dc == 0 && p->valid) {
		/* it has not run: still where it was */
		write_sample(slot, p, now);
		return;
	}
	/* it ran.  Woken from the block seen last time, the time it then
	 * waited for a CPU was still spent in that call: it stays in the
	 * balance.  Otherwise it was preempted: the wait goes to its next
	 * signal sample. */
	was_blocked = p->valid;
	delay = run_delay(tid);
	dd = delay >= s->off_delay ? delay - s->off_delay : 0;
	s->off_delay = delay;
	if (dd && !was_blocked) {
		owe(s, -(int64_t)dd);
		__atomic_fetch_add(&s->wait_ns, dd, __ATOMIC_RELAXED);
	}
	sysline_read(tid, &l0);
	if (!l0.blocked) {
		/* the end of the block seen last time is written at its
		 * stack; a balance left from blocks too short to be seen
		 * waits for the next block (a program blocks where it
		 * blocked) */
		if (was_blocked)
			write_sample(slot, p, now);
		p->valid = 0;
		return;
	}
	if (!(p->valid && strcmp(p->raw, l0.raw) == 0 && same_stack(p)) &&
	    read_stack(tid, now, cpu0, &l0, p) < 0) {
		p->valid = 0;
		drop(&rt.hdr->counters.drop_woke);
		return;
	}
	if (p->nframes)
		handler_keep_stack(s, p->pc, (uint32_t)p->nframes);
	write_sample(slot, p, now);
}
