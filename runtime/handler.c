/*
 * handler.c - the sampling signal handler.
 *
 * Async-signal-safe only — no malloc, no stdio, no locks, memory allocated
 * up front.  The handler runs on the sampled thread itself, so it reads
 * only the global struct rt (fixed after start), the thread's own slot and
 * its stack; it writes its slot's handler fields, the counters (relaxed
 * atomic adds) and one record into the sample ring.
 *
 * Invariants: errno is restored; a signal that does not belong to a live
 * slot of the calling thread is counted and dropped without re-arming
 * anything; a thread inside the dynamic loader is never unwound (libunwind
 * would take the loader lock it may already hold); the first frame of a
 * sample is the interrupted pc itself, never a frame of the handler.
 *
 * Stack room.  The handler is installed without SA_ONSTACK: it runs on the
 * stack the thread is on (the program's alternate signal stacks, which may
 * be 2 KiB, are left to the program, and the sampling signal is kept
 * blocked while the program's own handlers run: interpose.c adds it to
 * their masks).  Before the first instruction of the handler the kernel has
 * written its signal frame there (AT_MINSIGSTKSZ: 3.3 KiB with AVX2, about
 * 12 KiB with AVX-512); threads whose stack is smaller than
 * RT_STACK_MIN_SIGNALLED are therefore never sent the signal (sampler.c).
 * The handler then compares the room left below its own frame with the
 * thread's stack bounds (rt_stack_lo/hi, or the alternate stack it is on):
 *   >= HANDLER_STACK_NEED    the sample is taken in place;
 *   >= HANDLER_SWITCH_NEED   it is taken on the slot's own stack (64 KiB
 *                            reserved at start, touched only when used);
 *   less                     it is dropped (drop_stack).
 * A thread whose bounds are unknown is sampled on the slot's stack.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#define UNW_LOCAL_ONLY
#include "coro.h"
#include "ring.h"
#include "rt.h"
#include "unwind.h"

/* how many handler-side frames we expect above the interrupted one */
#define HANDLER_FRAMES_MAX 16
/* stack the handler needs at most, unwinding included (measured with
 * tests/rt-work stackneed: see HANDLER_STACK_NEED in flametop(3)) */
#define HANDLER_STACK_NEED (24 * 1024)
/* what the handler uses on the thread's stack before it moves to the
 * slot's: handler_sample's frame, ft_call_on_stack, a libc call */
#define HANDLER_SWITCH_NEED 1024
/* per-slot stacks for threads with too little room */
#define SLOT_STACK (64 * 1024)
/* wall mode: runnable-wait samples written with one signal sample */
#define WAIT_MAX_PER_SAMPLE 64

static uint8_t *slot_stacks;  /* RT_THREADS * SLOT_STACK, reserved at start */
static uint64_t *last_stacks; /* RT_THREADS * RT_LAST_DEPTH */

/* calls fn(arg) with the stack pointer at top (x86_64 SysV) */
__attribute__((visibility("hidden"))) void ft_call_on_stack(void *top, void (*fn)(void *),
							    void *arg);
__asm__(".text\n"
	".p2align 4\n"
	".hidden ft_call_on_stack\n"
	".type ft_call_on_stack, @function\n"
	"ft_call_on_stack:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	.cfi_def_cfa_offset 16\n"
	"	.cfi_offset %rbp, -16\n"
	"	movq %rsp, %rbp\n"
	"	.cfi_def_cfa_register %rbp\n"
	"	movq %rdi, %rsp\n"
	"	andq $-16, %rsp\n"
	"	movq %rdx, %rdi\n"
	"	callq *%rsi\n"
	"	movq %rbp, %rsp\n"
	"	popq %rbp\n"
	"	.cfi_def_cfa %rsp, 8\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ft_call_on_stack, .-ft_call_on_stack\n");

__thread int rt_in_loader __attribute__((tls_model("initial-exec")));
__thread uintptr_t rt_stack_lo __attribute__((tls_model("initial-exec")));
__thread uintptr_t rt_stack_hi __attribute__((tls_model("initial-exec")));

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* the slot this signal was meant for, or -1 */
static int find_slot(siginfo_t *si, pid_t tid)
{
	int s = -1;

	if (si->si_code == SI_TIMER) {
		s = si->si_value.sival_int;
	} else if (si->si_code <= 0) {
		return -1; /* sent by a process (kill, sigqueue): not ours */
	} else if (si->si_fd >= 0 && si->si_fd < RT_FDMAP) {
		s = rt.fd_slot[si->si_fd] - 1;
	} else {
		for (uint32_t i = 0; i < RT_THREADS; i++)
			if (rt.slots[i].perf_fd == si->si_fd && rt.slots[i].tid == tid) {
				s = (int)i;
				break;
			}
	}
	if (s < 0 || s >= (int)RT_THREADS || rt.slots[s].tid != tid)
		return -1;
	return s;
}

/* the slow path: unwinds from the interrupted context itself */
static __attribute__((noinline)) int unwind_context(ucontext_t *uc, uint64_t *pc, int max)
{
	unw_cursor_t cur;
	int n = 0;

	if (unw_init_local2(&cur, (unw_context_t *)uc, UNW_INIT_SIGNAL_FRAME) < 0)
		return 0;
	do {
		unw_word_t ip;

		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		pc[n++] = ip;
	} while (n < max && unw_step(&cur) > 0);
	return n;
}

/*
 * Unwinds into pc[] (room for max + HANDLER_FRAMES_MAX entries) and leaves
 * the frames from the interrupted pc on at pc[0..); returns how many (at
 * most max).  unw_backtrace() starts in this handler: the frames up to the
 * signal trampoline are found by looking for the interrupted pc.  It is
 * used only on a thread that already unwound outside a signal handler
 * (its libunwind thread-local storage exists: see unwind.h); other
 * threads are unwound from the context.
 */
static int unwind(ucontext_t *uc, uint64_t *pc, int max, int *exact)
{
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	int n, i, skip = -1;

	n = unwind_thread_ready() ? unw_backtrace((void **)pc, max + HANDLER_FRAMES_MAX) : 0;
	for (i = 0; i < n && i < HANDLER_FRAMES_MAX; i++)
		if (pc[i] == rip) {
			skip = i;
			break;
		}
	if (skip >= 0) {
		n -= skip;
		if (n > max)
			n = max;
		memmove(pc, pc + skip, (size_t)n * sizeof(*pc));
		*exact = 1;
		return n;
	}
	n = unwind_context(uc, pc, max);
	*exact = n > 0 && pc[0] == rip;
	return n;
}

static void take_sample(struct rt_slot *sl, uint32_t slot, pid_t tid, ucontext_t *uc, uint64_t now,
			int from_context);

/* appends one sample record of n frames */
static void append(struct rt_slot *sl, struct ft_sample *smp, uint32_t n)
{
	struct ft_counters *c = &rt.hdr->counters;

	if (ft_ring_write(rt.samples, smp, sizeof(*smp) + n * 8, FT_REC_SAMPLE) != UINT64_MAX) {
		count(&c->samples_written);
		__atomic_fetch_add(&sl->samples, 1, __ATOMIC_RELAXED);
	} else {
		count(&c->samples_dropped);
	}
}

struct sample_args {
	struct rt_slot *sl;
	uint32_t slot;
	pid_t tid;
	ucontext_t *uc;
	uint64_t now;
};

static void take_sample_thunk(void *p)
{
	struct sample_args *a = p;

	take_sample(a->sl, a->slot, a->tid, a->uc, a->now, 1);
}

/*
 * Bytes of stack left below sp on the stack the handler runs on: the
 * alternate signal stack if it is on one, else the thread's stack.
 * SIZE_MAX: the bounds are not known.
 */
static size_t stack_room(uintptr_t sp)
{
	uintptr_t lo = rt_stack_lo, hi = rt_stack_hi;
	stack_t ss;

	if (syscall(SYS_sigaltstack, NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK)) {
		lo = (uintptr_t)ss.ss_sp;
		hi = lo + ss.ss_size;
	}
	/* a thread of raw clone() may share another thread's TLS */
	if (!lo || sp < lo || sp >= hi)
		return SIZE_MAX;
	return sp - lo;
}

/* the slot's last stack, for a blocked read that cannot unwind: written by
 * the slot's own thread (handler) or the runtime thread while the thread
 * is blocked, never both at once */
void handler_keep_stack(struct rt_slot *sl, const uint64_t *pc, uint32_t n)
{
	if (!sl->last_pc)
		return;
	if (n > RT_LAST_DEPTH)
		n = RT_LAST_DEPTH;
	__atomic_store_n(&sl->last_seq, sl->last_seq + 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(sl->last_pc, pc, n * sizeof(*pc));
	sl->last_n = n;
	__atomic_store_n(&sl->last_seq, sl->last_seq + 1, __ATOMIC_RELEASE);
}

/* unwinds and appends one sample; the record lives on the stack, sized
 * by the depth setting */
static __attribute__((noinline)) void take_sample(struct rt_slot *sl, uint32_t slot, pid_t tid,
						  ucontext_t *uc, uint64_t now, int from_context)
{
	uint64_t words[sizeof(struct ft_sample) / 8 + rt.set.depth + 1 + HANDLER_FRAMES_MAX];
	struct ft_sample *smp = (struct ft_sample *)words;
	struct ft_counters *c = &rt.hdr->counters;
	uint64_t cpu, cpu_d;
	int n, exact = 0;

	cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	cpu_d = sl->last_cpu && cpu > sl->last_cpu ? cpu - sl->last_cpu : 0;
	if (!sl->last_cpu)
		cpu_d = rt.period_ns < cpu ? rt.period_ns : cpu;
	sl->last_cpu = cpu;
	sl->last_wall = now;

	if (from_context) {
		/* on another stack: the handler's frames cannot be walked */
		n = unwind_context(uc, smp->pc, (int)rt.set.depth + 1);
		exact = n > 0 && smp->pc[0] == (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	} else {
		n = unwind(uc, smp->pc, (int)rt.set.depth + 1, &exact);
	}
	if (n <= 0) {
		count(&c->samples_dropped);
		count(&c->drop_unwind);
		return;
	}
	memset(smp, 0, sizeof(*smp));
	if (n > (int)rt.set.depth) {
		n = (int)rt.set.depth;
		smp->flags |= FT_SAMPLE_TRUNCATED;
		count(&c->truncated);
	}
	if (exact)
		smp->flags |= FT_SAMPLE_LEAF_EXACT;
	smp->time_ns = now;
	smp->cpu_ns = cpu_d;
	/* both modes: the timer runs on the thread's CPU time, so this is
	 * the time it ran; wall mode adds its blocked time (blocked.c) */
	smp->weight_ns = cpu_d;
	smp->flags |= FT_SAMPLE_ONCPU;
	smp->tid = tid;
	smp->thread_slot = slot;
	if (ft_coro_switching) {
		smp->coro_id = ft_coro_was;
		smp->labels_id = ft_coro_was_labels;
	} else {
		smp->coro_id = ft_coro_cur;
		smp->labels_id = ft_coro_labels;
	}
	coro_sampled(cpu_d);
	smp->nframes = (uint16_t)n;
	handler_keep_stack(sl, smp->pc, (uint32_t)n);
	append(sl, smp, (uint32_t)n);
	if (rt.set.mode != FT_MODE_WALL || !sl->wait_ns)
		return;
	/* wall mode: the time the thread waited for a CPU, one sample per
	 * period, at the stack it resumed at (neither on CPU nor blocked) */
	sl->wait_carry += __atomic_exchange_n(&sl->wait_ns, 0, __ATOMIC_RELAXED);
	smp->flags &= (uint16_t)~FT_SAMPLE_ONCPU;
	smp->weight_ns = rt.period_ns;
	smp->cpu_ns = 0;
	for (int k = 0; sl->wait_carry >= rt.period_ns && k < WAIT_MAX_PER_SAMPLE; k++) {
		sl->wait_carry -= rt.period_ns;
		append(sl, smp, (uint32_t)n);
	}
	if (sl->wait_carry >= rt.period_ns)
		sl->wait_carry = 0;
}

void handler_sample(int signo, siginfo_t *si, void *ucv)
{
	struct ft_counters *c;
	int saved = errno, slot;
	struct rt_slot *sl;
	uint64_t t0, d;
	size_t room;
	pid_t tid;
	int b = 0;

	if (!rt.on || !rt.hdr)
		goto out;
	c = &rt.hdr->counters;
	t0 = clock_ns(CLOCK_MONOTONIC);
	tid = (pid_t)syscall(SYS_gettid);
	slot = find_slot(si, tid);
	if (slot < 0) {
		count(&c->samples_dropped);
		count(&c->drop_nothread);
		goto out;
	}
	sl = &rt.slots[slot];
	if (!unwind_loaded()) { /* no timer is armed before: never */
		count(&c->samples_dropped);
		count(&c->drop_unwind);
		goto out;
	}
	if (sl->busy || rt_in_loader) {
		count(&c->samples_dropped);
		count(&c->drop_busy);
		goto out;
	}
	sl->busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	room = stack_room((uintptr_t)__builtin_frame_address(0));
	if (room != SIZE_MAX && room >= HANDLER_STACK_NEED) {
		take_sample(sl, (uint32_t)slot, tid, ucv, t0, 0);
	} else if (slot_stacks && room >= HANDLER_SWITCH_NEED) {
		struct sample_args a = {sl, (uint32_t)slot, tid, ucv, t0};

		ft_call_on_stack(slot_stacks + (size_t)(slot + 1) * SLOT_STACK, take_sample_thunk,
				 &a);
	} else {
		count(&c->samples_dropped);
		count(&c->drop_stack);
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sl->busy = 0;

	d = clock_ns(CLOCK_MONOTONIC) - t0;
	while (b < 31 && (d >> (b + 1)))
		b++;
	__atomic_fetch_add(&c->handler_ns_total, d, __ATOMIC_RELAXED);
	count(&c->handler_calls);
	count(&c->handler_hist[b]);
out:
	errno = saved;
	(void)signo;
}

/* the slot's buffer for its last stack (address space reserved at start,
 * a page touched when used), or NULL */
uint64_t *handler_last_stack(uint32_t slot)
{
	return last_stacks ? last_stacks + (size_t)slot * RT_LAST_DEPTH : NULL;
}

/* the main thread's stack bounds, from its top and RLIMIT_STACK */
void handler_main_stack(void)
{
	extern void *__libc_stack_end;
	uintptr_t top = ((uintptr_t)__libc_stack_end + 4095) & ~(uintptr_t)4095;
	struct rlimit rl;
	uint64_t size = 8u << 20;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		size = rl.rlim_cur;
	if (!top || size >= top)
		return;
	rt_stack_lo = top - size;
	rt_stack_hi = top;
}

/* prev: the action it replaced */
int handler_install(struct sigaction *prev)
{
	struct sigaction sa;
	void *p;

	/* address space only: a page is used when a thread with little room
	 * is sampled (or its last stack kept) */
	p = mmap(NULL, (size_t)RT_THREADS * SLOT_STACK, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	slot_stacks = p == MAP_FAILED ? NULL : p;
	p = mmap(NULL, (size_t)RT_THREADS * RT_LAST_DEPTH * 8, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	last_stacks = p == MAP_FAILED ? NULL : p;
	interpose_mask_handlers();

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler_sample;
	/* no SA_ONSTACK: the program's alternate stacks may be far smaller
	 * than a sample needs (see the head of this file) */
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	/* no extra mask: blocking SIGSEGV & co. here would turn a fault
	 * into a kill; nesting is handled by the slot's busy guard */
	sigemptyset(&sa.sa_mask);
	return sigaction(rt.set.signo, &sa, prev);
}

/* 1 while our handler is the one installed on the sampling signal */
int handler_owned(void)
{
	struct sigaction cur;

	if (sigaction(rt.set.signo, NULL, &cur) != 0)
		return 0;
	return (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == handler_sample;
}
