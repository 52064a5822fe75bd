/*
 * rt-work.c - workloads for the runtime tests (test-runtime.c).
 *
 * Small programs with known noinline call chains that the tests run under
 * libflametop.  usage: rt-work MODE [args]; every mode prints a line on
 * stdout that the test compares with a run without the runtime, and exits
 * with a known status.
 *
 *   spin SEC STATUS      main spins in spin_outer -> spin_mid -> spin_leaf,
 *                        thread "ft-spinner" spins, "ft-sleeper" sleeps
 *   deep SEC DEPTH       main spins at the bottom of DEPTH recursive calls
 *   fork SEC             spins, forks a child that spins too (prints pids)
 *   exec SEC             spins, then execs itself as "spin SEC 5"
 *   execfail SEC         an exec that fails, then spins
 *   sig SEC [signal]     takes SIGRTMIN+5 over after SEC/2 (sigaction, or
 *                        signal) and counts what it gets
 *   dl SEC               dlopens and dlcloses libdw, then spins
 *   dlloop SEC           dlopens and dlcloses libdw in a loop
 *   altstack SEC KB      spins on a KB KiB sigaltstack, prints its use
 *   sigwait SEC          a thread that sigwaits on every signal
 *   churn SEC            short-lived threads, 8 at a time, at least 104
 *   active               prints flametop_active() (linked build only)
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#ifdef RT_WORK_LINKED
#include "flametop.h"
#endif

static volatile unsigned long sink;
static volatile int stop;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void spin_leaf(void)
{
	for (int i = 0; i < 100000; i++)
		sink += (unsigned long)i * 7;
}

__attribute__((noinline)) static void spin_mid(void)
{
	spin_leaf();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void spin_outer(double sec)
{
	double end = now_s() + sec;

	while (now_s() < end)
		spin_mid();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void deep(int n, double sec)
{
	if (n > 1)
		deep(n - 1, sec);
	else
		spin_outer(sec);
	__asm__ volatile("" ::: "memory");
}

static void *spinner(void *arg)
{
	pthread_setname_np(pthread_self(), "ft-spinner");
	while (!stop)
		spin_mid();
	return NULL;
}

static void *sleeper(void *arg)
{
	pthread_setname_np(pthread_self(), "ft-sleeper");
	while (!stop) {
		struct timespec ts = {0, 20000000};

		nanosleep(&ts, NULL);
	}
	return NULL;
}

static int mode_spin(double sec, int status)
{
	pthread_t a, b;

	pthread_create(&a, NULL, spinner, NULL);
	pthread_create(&b, NULL, sleeper, NULL);
	spin_outer(sec);
	stop = 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("spin done\n");
	fflush(stdout);
	exit(status);
}

static volatile sig_atomic_t got;

static void own_handler(int sig)
{
	got++;
}

static int mode_sig(double sec, int use_signal)
{
	struct sigaction sa;

	/* the runtime samples for a while before the program takes over */
	spin_outer(sec / 2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = own_handler;
	if (use_signal)
		signal(SIGRTMIN + 5, own_handler);
	else
		sigaction(SIGRTMIN + 5, &sa, NULL);
	spin_outer(sec / 2);
	for (int i = 0; i < 10; i++)
		raise(SIGRTMIN + 5);
	printf("sig got %d\n", (int)got);
	return got == 10 ? 0 : 1;
}

static int mode_fork(double sec)
{
	int st = 0;
	pid_t pid;

	spin_outer(sec / 2);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		spin_outer(sec / 2);
		printf("child %d\n", (int)getpid());
		fflush(stdout);
		exit(3);
	}
	spin_outer(sec / 2);
	waitpid(pid, &st, 0);
	printf("parent child-status %d\n", WEXITSTATUS(st));
	return 4;
}

static int mode_dl(double sec)
{
	void *h = dlopen("libdw.so.1", RTLD_NOW);

	printf("dlopen %s\n", h ? "ok" : "failed");
	spin_outer(sec / 2);
	if (h)
		dlclose(h);
	spin_outer(sec / 2);
	return 0;
}

/* spins with an alternate signal stack of KB KiB (SA_ONSTACK handlers run
 * there) and prints how much of it was used */
static int mode_altstack(double sec, int kb)
{
	size_t size = (size_t)kb * 1024, used;
	unsigned char *mem = malloc(size);
	stack_t ss = {.ss_sp = mem, .ss_size = size};

	memset(mem, 0xa5, size);
	if (sigaltstack(&ss, NULL) != 0) {
		perror("sigaltstack");
		return 1;
	}
	spin_outer(sec);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	for (used = size; used > 0 && mem[size - used] == 0xa5; used--)
		;
	printf("altstack done\n");
	fprintf(stderr, "altstack used %zu of %zu\n", used, size);
	free(mem);
	return 0;
}

static volatile int sigwait_got;

static void *sigwaiter(void *arg)
{
	struct timespec ts = {0, 20000000};
	sigset_t all;

	pthread_setname_np(pthread_self(), "ft-sigwait");
	sigfillset(&all);
	while (!stop)
		if (sigtimedwait(&all, NULL, &ts) > 0)
			sigwait_got++;
	return NULL;
}

/* a signal thread (all signals blocked, sigtimedwait on all of them) must
 * never receive the runtime's signal */
static int mode_sigwait(double sec)
{
	sigset_t all, old;
	pthread_t t;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_create(&t, NULL, sigwaiter, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	spin_outer(sec);
	stop = 1;
	pthread_join(t, NULL);
	printf("sigwait got %d\n", sigwait_got);
	return 0;
}

static void *short_worker(void *arg)
{
	for (int i = 0; i < 20; i++)
		spin_leaf();
	return NULL;
}

/* threads come and go: 8 at a time, each for about a millisecond */
static int mode_churn(double sec)
{
	double start = now_s(), end = start + sec;
	unsigned long n = 0;

	/* at least 104 threads: a loaded machine takes longer, up to 20 s */
	while (now_s() < end || (n <= 100 && now_s() < start + 20)) {
		pthread_t t[8];

		for (int i = 0; i < 8; i++)
			pthread_create(&t[i], NULL, short_worker, NULL);
		for (int i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
		n += 8;
	}
	printf("churn %s\n", n > 100 ? "ok" : "few");
	return 0;
}

/* dlopen/dlclose in a loop: most samples land in the loader */
static int mode_dlloop(double sec)
{
	double end = now_s() + sec;
	unsigned long n = 0;

	while (now_s() < end) {
		void *h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);

		if (!h)
			break;
		dlclose(h);
		n++;
	}
	printf("dlloop %s\n", n ? "ran" : "0");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "spin";
	double sec = argc > 2 ? atof(argv[2]) : 0.5;

	if (strcmp(mode, "spin") == 0)
		return mode_spin(sec, argc > 3 ? atoi(argv[3]) : 0);
	if (strcmp(mode, "deep") == 0) {
		deep(argc > 3 ? atoi(argv[3]) : 30, sec);
		printf("deep done\n");
		return 0;
	}
	if (strcmp(mode, "fork") == 0)
		return mode_fork(sec);
	if (strcmp(mode, "exec") == 0) {
		char s[32];

		spin_outer(sec);
		snprintf(s, sizeof(s), "%g", sec);
		printf("exec\n");
		fflush(stdout);
		execl("/proc/self/exe", argv[0], "spin", s, "5", (char *)NULL);
		return 99;
	}
	if (strcmp(mode, "execfail") == 0) {
		int r = execl("/nonexistent/rt-work", "x", (char *)NULL);

		printf("execfail %d %s\n", r, errno == ENOENT ? "ENOENT" : "other");
		spin_outer(sec);
		return 0;
	}
	if (strcmp(mode, "sig") == 0)
		return mode_sig(sec, argc > 3 && strcmp(argv[3], "signal") == 0);
	if (strcmp(mode, "altstack") == 0)
		return mode_altstack(sec, argc > 3 ? atoi(argv[3]) : 64);
	if (strcmp(mode, "churn") == 0)
		return mode_churn(sec);
	if (strcmp(mode, "sigwait") == 0)
		return mode_sigwait(sec);
	if (strcmp(mode, "dlloop") == 0)
		return mode_dlloop(sec);
	if (strcmp(mode, "dl") == 0)
		return mode_dl(sec);
#ifdef RT_WORK_LINKED
	if (strcmp(mode, "active") == 0) {
		printf("active %d\n", flametop_active());
		return 0;
	}
#endif
	fprintf(stderr, "rt-work: unknown mode %s\n", mode);
	return 2;
}
