/*
 * wl-target.c - programs as people write them, for the runtime's promise
 * that the target behaves exactly as it does without flametop.
 *
 * Built like a distribution's program (-O2, no frame pointers).  None of
 * them retries EINTR, blocks signals or otherwise accommodates a profiler.
 * usage: wl-target MODE SEC; each mode prints one line on stdout and exits
 * 0 when the program saw what it would see without the runtime.
 *
 *   matrix SEC     one thread per blocking call (nanosleep, usleep, sleep,
 *                  poll, select, epoll_wait, sem_timedwait, sigtimedwait,
 *                  recv with SO_RCVTIMEO), each working ~0.3 ms between
 *                  calls; prints "NAME calls N eintr E early R" per call
 *                  and exits 1 if any call failed with EINTR or returned
 *                  before its timeout
 *   halfsleep SEC  main works 5 ms (half_work) and sleeps 5 ms in usleep
 *                  (half_sleep), in turn; prints the share of wall time
 *                  it measured in half_sleep
 *   daemon SEC     a daemon's loop: every 100 ms it closes every fd >= 3
 *                  (close_range), then opens pipes and /dev/null on the
 *                  lowest numbers and dup2s onto 3..15, and checks that
 *                  what it writes comes back intact; a worker spins
 *   stackmin SEC   a PTHREAD_STACK_MIN thread using 2 KiB spins
 *   stack32 SEC    a 32 KiB thread using 24 KiB spins
 *   altrun SEC     the program's SIGUSR1 handler (3 KiB of locals) runs
 *                  20 ms at a time on an 8 KiB alternate signal stack
 *   alt2k SEC      a 2 KiB alternate signal stack installed, never used
 *   stackneed SEC  a thread on a painted 1 MiB stack spins under 100 calls;
 *                  prints how far below its deepest frame the stack was
 *                  written (the signal frame and the handler)
 *   stackchurn SEC threads on stacks the program maps itself sleep 4 x 500
 *                  us under 60 calls, exit, and have their stacks unmapped at
 *                  once, 8 at a time; prints "stackchurn threads N"
 *   forkwork SEC   forks a child that works SEC seconds in child_work
 *                  while the parent waits for it; prints "forkwork child
 *                  PID status S"
 *   ctxargs SEC    coroutines made with makecontext and 3, 13, 14 and 20
 *                  int arguments check they got each one; prints
 *                  "ctxargs ok" (or what went wrong, and exits 1)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define NOINLINE __attribute__((noipa))

static volatile uint64_t sink;
static double end_s;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mono_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static NOINLINE void work_for(double sec)
{
	double end = now_s() + sec;
	uint64_t x = 88172645463325252ull;

	while (now_s() < end)
		for (int i = 0; i < 2000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			__asm__ volatile("" : "+r"(x));
		}
	sink = x;
}

/* ---- the blocking-call matrix ------------------------------------------ */

#define TIMEOUT_MS 2

enum call {
	C_NANOSLEEP,
	C_USLEEP,
	C_SLEEP,
	C_POLL,
	C_SELECT,
	C_EPOLL,
	C_SEM,
	C_SIGWAIT,
	C_RECV,
	C_N
};

static const char *call_names[C_N] = {"nanosleep",     "usleep",       "sleep",
				      "poll",	       "select",       "epoll_wait",
				      "sem_timedwait", "sigtimedwait", "recv"};

struct caller {
	pthread_t th;
	enum call call;
	unsigned long calls, eintr, early;
};

/* one call; returns 1 if it ended early (before its timeout) */
static NOINLINE int call_once(struct caller *c, int ep, int sock, sem_t *sem)
{
	uint64_t t0 = mono_ns(CLOCK_MONOTONIC), want = TIMEOUT_MS * 1000000ull;
	int r = 0, early = 0;

	switch (c->call) {
	case C_NANOSLEEP: {
		struct timespec ts = {0, TIMEOUT_MS * 1000000L}, rem = {0, 0};

		r = nanosleep(&ts, &rem);
		early = r == 0 && (rem.tv_sec || rem.tv_nsec);
		break;
	}
	case C_USLEEP:
		r = usleep(TIMEOUT_MS * 1000);
		break;
	case C_SLEEP:
		want = 1000000000ull;
		early = sleep(1) != 0;
		break;
	case C_POLL: {
		struct pollfd p = {sock, POLLIN, 0};

		r = poll(&p, 1, TIMEOUT_MS);
		break;
	}
	case C_SELECT: {
		struct timeval tv = {0, TIMEOUT_MS * 1000};
		fd_set rd;

		FD_ZERO(&rd);
		FD_SET(sock, &rd);
		r = select(sock + 1, &rd, NULL, NULL, &tv);
		break;
	}
	case C_EPOLL: {
		struct epoll_event ev;

		r = epoll_wait(ep, &ev, 1, TIMEOUT_MS);
		break;
	}
	case C_SEM: {
		struct timespec dl;
		uint64_t d = mono_ns(CLOCK_REALTIME) + want;

		dl.tv_sec = (time_t)(d / 1000000000ull);
		dl.tv_nsec = (long)(d % 1000000000ull);
		r = sem_timedwait(sem, &dl);
		if (r < 0 && errno == ETIMEDOUT && mono_ns(CLOCK_REALTIME) < d)
			early = 1;
		if (r < 0 && errno == ETIMEDOUT)
			r = 0;
		break;
	}
	case C_SIGWAIT: {
		struct timespec ts = {0, TIMEOUT_MS * 1000000L};
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGWINCH);
		r = sigtimedwait(&set, NULL, &ts);
		if (r < 0 && errno == EAGAIN)
			r = 0;
		break;
	}
	case C_RECV: {
		char b;

		r = (int)recv(sock, &b, 1, 0);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			r = 0;
		break;
	}
	default:
		break;
	}
	c->calls++;
	if (r < 0 && errno == EINTR)
		c->eintr++;
	else if (early || mono_ns(CLOCK_MONOTONIC) - t0 < want)
		c->early++;
	return early;
}

static void *caller_main(void *p)
{
	struct caller *c = p;
	struct timeval tv = {0, TIMEOUT_MS * 1000};
	int ep = epoll_create1(0), sv[2];
	struct epoll_event ev = {EPOLLIN, {0}};
	sem_t sem;

	sem_init(&sem, 0, 0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	while (now_s() < end_s) {
		work_for(0.0003);
		call_once(c, ep, sv[0], &sem);
	}
	close(sv[0]);
	close(sv[1]);
	close(ep);
	sem_destroy(&sem);
	return NULL;
}

static int mode_matrix(void)
{
	struct caller c[C_N];
	int bad = 0;

	memset(c, 0, sizeof(c));
	for (int i = 0; i < C_N; i++) {
		c[i].call = (enum call)i;
		pthread_create(&c[i].th, NULL, caller_main, &c[i]);
	}
	for (int i = 0; i < C_N; i++)
		pthread_join(c[i].th, NULL);
	for (int i = 0; i < C_N; i++) {
		printf("%s calls %lu eintr %lu early %lu\n", call_names[i], c[i].calls, c[i].eintr,
		       c[i].early);
		bad += c[i].eintr || c[i].early || !c[i].calls;
	}
	return bad ? 1 : 0;
}

/* ---- wall-mode shares ---------------------------------------------------- */

static NOINLINE void half_work(void)
{
	work_for(0.005);
	__asm__ volatile("" ::: "memory"); /* no tail call: keep the frame */
}

static NOINLINE void half_sleep(void)
{
	usleep(5000);
	__asm__ volatile("" ::: "memory");
}

/* returns the percentage of wall time spent in half_sleep */
static NOINLINE double half_loop(void)
{
	double start = now_s(), slept = 0;

	while (now_s() < end_s) {
		double t;

		half_work();
		t = now_s();
		half_sleep();
		slept += now_s() - t;
	}
	return 100 * slept / (now_s() - start);
}

/* ---- a daemon that closes every descriptor ------------------------------ */

static volatile int worker_stop;

static void *worker_main(void *arg)
{
	while (!worker_stop)
		work_for(0.01);
	return arg;
}

/* writes through a pipe on fds it was given and reads the bytes back */
static int pipe_intact(int round)
{
	char msg[64], got[64];
	int p[2], n, ok;

	if (pipe(p) < 0)
		return 0;
	n = snprintf(msg, sizeof(msg), "daemon round %d", round);
	ok = write(p[1], msg, (size_t)n) == n && read(p[0], got, sizeof(got)) == n &&
	     memcmp(msg, got, (size_t)n) == 0;
	close(p[0]);
	close(p[1]);
	return ok;
}

static int mode_daemon(void)
{
	pthread_t t;
	int rounds = 0, bad = 0;

	pthread_create(&t, NULL, worker_main, NULL);
	fprintf(stderr, "daemon closes at %llu\n", (unsigned long long)mono_ns(CLOCK_MONOTONIC));
	while (now_s() < end_s) {
		int null;

		syscall(SYS_close_range, 3u, ~0u, 0);
		/* the lowest numbers, and then every one up to 15 */
		bad += !pipe_intact(rounds);
		null = open("/dev/null", O_WRONLY);
		for (int fd = 3; null >= 0 && fd <= 15; fd++)
			if (fd != null && dup2(null, fd) < 0)
				bad++;
		for (int fd = 3; fd <= 15; fd++)
			if (write(fd, "x", 1) != 1)
				bad++;
		bad += !pipe_intact(rounds);
		rounds++;
		work_for(0.1);
	}
	worker_stop = 1;
	pthread_join(t, NULL);
	printf("daemon rounds %d bad %d\n", rounds, bad);
	return bad ? 1 : 0;
}

/* ---- small stacks -------------------------------------------------------- */

static NOINLINE void use_stack(size_t bytes)
{
	volatile char buf[1024];

	buf[0] = 1;
	buf[sizeof(buf) - 1] = 2;
	if (bytes > sizeof(buf) + 256)
		use_stack(bytes - sizeof(buf) - 64);
	else
		while (now_s() < end_s)
			work_for(0.001);
	__asm__ volatile("" ::: "memory");
}

static void *stack_user(void *arg)
{
	use_stack((size_t)(uintptr_t)arg);
	return NULL;
}

static int run_on_stack(size_t stack, size_t use)
{
	pthread_attr_t a;
	pthread_t t;
	int err;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, stack);
	err = pthread_create(&t, &a, stack_user, (void *)(uintptr_t)use);
	pthread_attr_destroy(&a);
	if (err) {
		fprintf(stderr, "wl-target: pthread_create: %s\n", strerror(err));
		return 1;
	}
	work_for(end_s - now_s()); /* main works too */
	pthread_join(t, NULL);
	printf("stack %zu used %zu done\n", stack, use);
	return 0;
}

static volatile unsigned long handled;

/* a handler with a 3 KiB buffer, as one that formats a message has */
static void on_usr1(int sig)
{
	volatile char msg[3072];

	msg[0] = (char)sig;
	msg[sizeof(msg) - 1] = 0;
	work_for(0.02);
	handled++;
	(void)sig;
}

static int with_altstack(size_t size, int use)
{
	stack_t ss = {.ss_sp = malloc(size), .ss_size = size};
	struct sigaction sa;

	if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0) {
		perror("wl-target: sigaltstack");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	while (now_s() < end_s) {
		if (use)
			raise(SIGUSR1);
		else
			work_for(0.02);
	}
	printf("altstack %zu handled %s\n", size, use && !handled ? "none" : "ok");
	return 0;
}

#define NEED_STACK (1u << 20)

static NOINLINE void deep_work(int n, uintptr_t *low)
{
	volatile char pad[64];

	pad[0] = (char)n;
	__asm__ volatile("" : : "r"(pad) : "memory");
	if (n > 1) {
		deep_work(n - 1, low);
	} else {
		*low = (uintptr_t)__builtin_frame_address(0) - 256;
		while (now_s() < end_s)
			work_for(0.001);
	}
	__asm__ volatile("" ::: "memory");
}

static void *need_main(void *arg)
{
	deep_work(100, arg);
	return NULL;
}

static int mode_stackneed(void)
{
	unsigned char *mem = malloc(NEED_STACK);
	uintptr_t low = 0;
	pthread_attr_t a;
	pthread_t t;
	size_t i;

	memset(mem, 0xa5, NEED_STACK);
	pthread_attr_init(&a);
	pthread_attr_setstack(&a, mem, NEED_STACK);
	pthread_create(&t, &a, need_main, &low);
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
	for (i = 0; i < NEED_STACK && mem[i] == 0xa5; i++)
		;
	printf("stackneed done\n");
	fprintf(stderr, "stackneed %zu\n", low > (uintptr_t)mem + i ? low - (uintptr_t)mem - i : 0);
	return 0;
}

static NOINLINE void churn_down(int n)
{
	if (n > 0)
		churn_down(n - 1);
	else
		for (int i = 0; i < 4; i++)
			usleep(500);
	sink++;
}

static void *churn_main(void *arg)
{
	(void)arg;
	churn_down(60);
	return NULL;
}

/* a thread pool that maps its own stacks and unmaps them after a join */
static int mode_stackchurn(void)
{
	const size_t size = 256 * 1024;
	unsigned long n = 0;

	while (now_s() < end_s) {
		pthread_t th[8];
		void *stk[8];

		for (int i = 0; i < 8; i++) {
			pthread_attr_t a;

			stk[i] = mmap(NULL, size, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
			if (stk[i] == MAP_FAILED)
				return 1;
			pthread_attr_init(&a);
			pthread_attr_setstack(&a, stk[i], size);
			if (pthread_create(&th[i], &a, churn_main, NULL) != 0)
				return 1;
			pthread_attr_destroy(&a);
		}
		for (int i = 0; i < 8; i++) {
			pthread_join(th[i], NULL);
			munmap(stk[i], size);
			n++;
		}
	}
	printf("stackchurn threads %lu\n", n);
	return 0;
}

static NOINLINE void child_work(void)
{
	work_for(end_s - now_s());
	sink++;
}

static int mode_forkwork(void)
{
	int st = 0;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		child_work();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("forkwork child %d status %d\n", (int)pid, st);
	return 0;
}

static ucontext_t ctx_main, ctx_co;
static int ctx_bad;

/* each argument is its position times 7, plus one */
static void ctx_check(int n, const int *v)
{
	for (int i = 0; i < n; i++)
		if (v[i] != 7 * i + 1) {
			printf("ctxargs: %d arguments: argument %d is %d\n", n, i, v[i]);
			ctx_bad = 1;
		}
}

static void ctx3(int a, int b, int c)
{
	int v[] = {a, b, c};

	ctx_check(3, v);
}

static void ctx13(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9,
		  int a10, int a11, int a12)
{
	int v[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12};

	ctx_check(13, v);
}

static void ctx14(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9,
		  int a10, int a11, int a12, int a13)
{
	int v[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13};

	ctx_check(14, v);
}

static void ctx20(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9,
		  int a10, int a11, int a12, int a13, int a14, int a15, int a16, int a17, int a18,
		  int a19)
{
	int v[] = {a0,	a1,  a2,  a3,  a4,  a5,	 a6,  a7,  a8,	a9,
		   a10, a11, a12, a13, a14, a15, a16, a17, a18, a19};

	ctx_check(20, v);
}

static int mode_ctxargs(void)
{
	static char stack[64 * 1024];
	static int n; /* not clobbered by the switches */

	for (n = 0; n < 4; n++) {
		getcontext(&ctx_co);
		ctx_co.uc_stack.ss_sp = stack;
		ctx_co.uc_stack.ss_size = sizeof(stack);
		ctx_co.uc_link = &ctx_main;
		if (n == 0)
			makecontext(&ctx_co, (void (*)(void))ctx3, 3, 1, 8, 15);
		else if (n == 1)
			makecontext(&ctx_co, (void (*)(void))ctx13, 13, 1, 8, 15, 22, 29, 36, 43,
				    50, 57, 64, 71, 78, 85);
		else if (n == 2)
			makecontext(&ctx_co, (void (*)(void))ctx14, 14, 1, 8, 15, 22, 29, 36, 43,
				    50, 57, 64, 71, 78, 85, 92);
		else
			makecontext(&ctx_co, (void (*)(void))ctx20, 20, 1, 8, 15, 22, 29, 36, 43,
				    50, 57, 64, 71, 78, 85, 92, 99, 106, 113, 120, 127, 134);
		swapcontext(&ctx_main, &ctx_co);
	}
	if (ctx_bad)
		return 1;
	printf("ctxargs ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	double sec = argc > 2 ? atof(argv[2]) : 1.0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	end_s = now_s() + sec;
	if (strcmp(mode, "matrix") == 0)
		return mode_matrix();
	if (strcmp(mode, "halfsleep") == 0) {
		printf("halfsleep slept %.1f%%\n", half_loop());
		return 0;
	}
	if (strcmp(mode, "daemon") == 0)
		return mode_daemon();
	if (strcmp(mode, "stackmin") == 0)
		return run_on_stack(PTHREAD_STACK_MIN, 2048);
	if (strcmp(mode, "stack32") == 0)
		return run_on_stack(32 * 1024, 24 * 1024);
	if (strcmp(mode, "altrun") == 0)
		return with_altstack(8 * 1024, 1);
	if (strcmp(mode, "alt2k") == 0)
		return with_altstack(2 * 1024, 0);
	if (strcmp(mode, "stackneed") == 0)
		return mode_stackneed();
	if (strcmp(mode, "stackchurn") == 0)
		return mode_stackchurn();
	if (strcmp(mode, "forkwork") == 0)
		return mode_forkwork();
	if (strcmp(mode, "ctxargs") == 0)
		return mode_ctxargs();
	fprintf(stderr, "usage: wl-target MODE SEC\n");
	return 2;
}
