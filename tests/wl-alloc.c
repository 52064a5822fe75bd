/*
 * wl-alloc.c - programs that allocate, for the allocation tests.
 *
 *   wl-alloc sites MB          three call sites allocating known shares of
 *                              MB megabytes: parse_line 20%, build_index
 *                              30%, read_chunk 50%
 *   wl-alloc leak ROUNDS       busy paths that free what they allocate,
 *                              and cache_insert, which keeps 4 KiB a round
 *   wl-alloc exact             counted allocations for FLAMETOP_ALLOC_RATE=0
 *   wl-alloc realloc N         grow_buffer: N chains of realloc from 16
 *                              bytes to 1 MiB, the last one kept
 *   wl-alloc aligned N         posix_memalign, aligned_alloc, memalign,
 *                              valloc, N of each (alignment checked)
 *   wl-alloc threads N MB      N threads, MB megabytes each
 *   wl-alloc fork MB           allocates, forks a child that allocates
 *                              too (child_work), allocates more
 *   wl-alloc signal N          N SIGALRMs, each handler call strdup()s
 *
 * Each prints what it allocated on stdout.  Functions are noinline and
 * use what they allocate, so each call site has a frame of its own.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile uint64_t sink;

static NOINLINE void use(char *p, size_t n)
{
	if (n)
		p[0] = p[n - 1] = (char)n;
	sink += (uint64_t)(unsigned char)p[0];
}

/* a line of text: 40 to 160 bytes */
static NOINLINE char *parse_line(unsigned i)
{
	size_t n = 40 + (i * 37) % 121;
	char *s = malloc(n);

	use(s, n);
	return s;
}

/* an index node table: 2 to 8 KiB, zeroed */
static NOINLINE void *build_index(unsigned i)
{
	size_t n = 256 + (i * 11) % 769;
	void *t = calloc(n, 8);

	use(t, n * 8);
	return t;
}

/* a chunk of input: 64 KiB */
static NOINLINE char *read_chunk(void)
{
	char *b = malloc(65536);

	use(b, 65536);
	return b;
}

static int sites(long mb)
{
	uint64_t want[3] = {(uint64_t)mb << 20, 0, 0}, got[3] = {0, 0, 0};
	unsigned i = 0, j = 0;

	want[1] = want[0] * 3 / 10;
	want[2] = want[0] / 2;
	want[0] = want[0] / 5;
	while (got[0] < want[0]) {
		char *s = parse_line(i++);

		got[0] += 40 + ((i - 1) * 37) % 121;
		free(s);
	}
	while (got[1] < want[1]) {
		void *t = build_index(j++);

		got[1] += (256 + ((j - 1) * 11) % 769) * 8;
		free(t);
	}
	while (got[2] < want[2]) {
		free(read_chunk());
		got[2] += 65536;
	}
	printf("parse_line %llu build_index %llu read_chunk %llu\n", (unsigned long long)got[0],
	       (unsigned long long)got[1], (unsigned long long)got[2]);
	return 0;
}

struct entry {
	struct entry *next;
	char data[4088];
};

static struct entry *cache;

/* the leak: every entry is kept, none is ever evicted */
static NOINLINE void cache_insert(unsigned i)
{
	struct entry *e = malloc(sizeof(*e));

	memset(e->data, (int)i, sizeof(e->data));
	e->next = cache;
	cache = e;
}

static NOINLINE void handle_request(unsigned i)
{
	char *req = parse_line(i), *resp = malloc(2048);

	use(resp, 2048);
	free(req);
	free(resp);
}

static NOINLINE void compress_block(void)
{
	char *b = read_chunk(), *out = malloc(32768);

	use(out, 32768);
	free(out);
	free(b);
}

static int leak(long rounds)
{
	uint64_t leaked = 0;

	for (long r = 0; r < rounds; r++) {
		for (unsigned k = 0; k < 64; k++)
			handle_request((unsigned)(r * 64 + k));
		compress_block();
		cache_insert((unsigned)r);
		leaked += sizeof(struct entry);
	}
	printf("cache_insert %llu\n", (unsigned long long)leaked);
	return 0;
}

static NOINLINE void *make_node(void)
{
	char *p = malloc(100);

	use(p, 100);
	return p;
}

static NOINLINE void *make_row(void)
{
	char *p = calloc(10, 30);

	use(p, 300);
	return p;
}

static int exact(void)
{
	static void *keep[1000];

	for (int i = 0; i < 1000; i++)
		keep[i] = make_node();
	for (int i = 0; i < 500; i++)
		free(make_row());
	for (int i = 0; i < 1000; i += 2)
		free(keep[i]);
	printf("make_node 1000 100000 make_row 500 150000 kept 500 50000\n");
	return 0;
}

static NOINLINE char *grow_buffer(void)
{
	char *b = NULL;

	for (size_t n = 16; n <= (1u << 20); n *= 2) {
		char *nb = realloc(b, n);

		if (!nb) {
			free(b);
			return NULL;
		}
		b = nb;
		use(b, n);
	}
	return b;
}

static int reallocs(long n)
{
	char *last = NULL;

	for (long i = 0; i < n; i++) {
		free(last);
		last = grow_buffer();
	}
	/* 17 calls per chain: 16, 32, ... 1 MiB */
	printf("grow_buffer %ld calls, %ld bytes kept\n", n * 17, last ? 1l << 20 : 0l);
	return 0;
}

static NOINLINE long aligned(long n)
{
	long bad = 0;

	for (long i = 0; i < n; i++) {
		void *p[5];

		if (posix_memalign(&p[0], 256, 1000) != 0)
			p[0] = NULL;
		p[1] = aligned_alloc(64, 640);
		p[2] = memalign(4096, 100);
		p[3] = valloc(5000);
		p[4] = pvalloc(10);
		bad += ((uintptr_t)p[0] % 256) + ((uintptr_t)p[1] % 64) + ((uintptr_t)p[2] % 4096) +
		       ((uintptr_t)p[3] % 4096) + ((uintptr_t)p[4] % 4096);
		for (int k = 0; k < 5; k++) {
			if (!p[k])
				bad++;
			free(p[k]);
		}
	}
	return bad;
}

static long thread_mb;

static NOINLINE void *worker(void *arg)
{
	uint64_t done = 0;
	unsigned i = (unsigned)(uintptr_t)arg;

	while (done < (uint64_t)thread_mb << 20) {
		size_t n = 512 + (i++ * 97) % 8192;
		char *p = malloc(n);

		use(p, n);
		free(p);
		done += n;
	}
	return (void *)(uintptr_t)done;
}

static int threads(long n, long mb)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	uint64_t total = 0;

	thread_mb = mb;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i * 1000)) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (long i = 0; i < n; i++) {
		void *r;

		pthread_join(t[i], &r);
		total += (uint64_t)(uintptr_t)r;
	}
	free(t);
	printf("worker %llu\n", (unsigned long long)total);
	return 0;
}

static NOINLINE void child_work(long mb)
{
	for (long i = 0; i < mb * 16; i++)
		free(read_chunk());
}

static int forks(long mb)
{
	int status;
	pid_t pid;

	for (long i = 0; i < mb * 16; i++)
		free(read_chunk());
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		child_work(mb);
		_exit(0);
	}
	for (long i = 0; i < mb * 16; i++)
		free(read_chunk());
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("read_chunk %ld child ok\n", mb * 2 << 20);
	return 0;
}

static volatile sig_atomic_t alarms;
static char *last_msg;

/* logs the tick the way many programs do: not async-signal-safe, but
 * the main loop never allocates while ticks arrive */
static NOINLINE void on_alarm(int sig)
{
	char buf[64];

	snprintf(buf, sizeof buf, "tick %d", (int)alarms);
	free(last_msg);
	last_msg = strdup(buf);
	alarms++;
	(void)sig;
}

static int ticks(long n)
{
	struct itimerval it = {{0, 2000}, {0, 2000}};
	struct sigaction sa;
	double x = 1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	while (alarms < n)
		x = x * 1.0000001 + 1e-9;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	sink += (uint64_t)x;
	printf("on_alarm %d %s\n", (int)alarms, last_msg ? "ok" : "none");
	return 0;
}

int main(int argc, char **argv)
{
	long a = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	long b = argc > 3 ? strtol(argv[3], NULL, 10) : 0;

	if (argc < 2) {
		fprintf(stderr,
			"usage: wl-alloc sites|leak|exact|realloc|aligned|threads|fork|signal N\n");
		return 2;
	}
	if (!strcmp(argv[1], "sites"))
		return sites(a);
	if (!strcmp(argv[1], "leak"))
		return leak(a);
	if (!strcmp(argv[1], "exact"))
		return exact();
	if (!strcmp(argv[1], "realloc"))
		return reallocs(a);
	if (!strcmp(argv[1], "aligned")) {
		long bad = aligned(a);

		printf("aligned %ld of each, %ld misaligned\n", a, bad);
		return bad != 0;
	}
	if (!strcmp(argv[1], "threads"))
		return threads(a, b);
	if (!strcmp(argv[1], "fork"))
		return forks(a);
	if (!strcmp(argv[1], "signal"))
		return ticks(a);
	fprintf(stderr, "wl-alloc: unknown mode '%s'\n", argv[1]);
	return 2;
}
