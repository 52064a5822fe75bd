/*
 * demo.c - flametop-demo, the bundled target of `flametop demo`.
 *
 * A program with a known profile shape, so the viewer has something worth
 * looking at and the tests have something to check:
 *
 *   main thread   main -> serve -> handle_request -> parse_headers     ~27%
 *                                                -> compute_checksum  ~27%
 *                                                -> decode_body       ~18%
 *                 main -> serve -> rebuild_index -> walk_tree x25
 *                                                -> visit_leaf         ~4%
 *                 main -> serve -> log_stats                          ~13%
 *                 main -> serve -> flush_cache -> compact_entries     ~10%,
 *                                   300 ms every 3 s: a periodic burst
 *   "worker"      worker_main -> crunch_numbers (busy a third of the time)
 *   "idle"        idle_main -> nanosleep (almost never on CPU)
 *
 * (shares of the main thread's time; the worker adds a third of a CPU).
 * The wide, shallow handle_request plateau (above 30% of the total, its
 * two callees each below) and the tall, thin walk_tree tower (below 5%)
 * are what the shape classifier should find; the flush_cache burst,
 * hidden in an aggregate flame graph, is what the burst finder and the
 * time heatmap should show.  Work is counted in
 * loop iterations of one shared kernel, so shares do not depend on the
 * machine's speed.  Runs until killed, or for --seconds N; prints a line
 * every two seconds.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noipa)) /* noinline, no clones, no folding */
#define TREE_DEPTH 25

/* Work units (loop iterations) per request, by function. */
#define UNITS_PARSE 15000
#define UNITS_CHECKSUM 15000
#define UNITS_DECODE 10000
#define UNITS_LEAF 2000
#define UNITS_LOG 7000
#define UNITS_SERVE 1000
#define UNITS_WORKER 200000	     /* per burst; then it sleeps twice as long */
#define FLUSH_EVERY_NS 3000000000ull /* the periodic cache flush */
#define FLUSH_NS 300000000ull

static volatile uint64_t sink;
static volatile sig_atomic_t done;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* The shared kernel: n rounds of a xorshift step. */
static inline uint64_t spin(uint64_t x, long n)
{
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static NOINLINE uint64_t parse_headers(uint64_t seed)
{
	return spin(seed, UNITS_PARSE);
}

static NOINLINE uint64_t compute_checksum(uint64_t seed)
{
	return spin(seed + 1, UNITS_CHECKSUM);
}

static NOINLINE uint64_t decode_body(uint64_t seed)
{
	return spin(seed + 2, UNITS_DECODE);
}

/* The empty asm statements keep calls from becoming tail calls, so the
 * callers stay on the stack. */
#define KEEP_FRAME(x) __asm__ volatile("" : "+r"(x))

static NOINLINE uint64_t handle_request(uint64_t seed)
{
	uint64_t h = parse_headers(seed);
	h = compute_checksum(h);
	h = decode_body(h);
	KEEP_FRAME(h);
	return h;
}

static NOINLINE uint64_t visit_leaf(uint64_t seed)
{
	return spin(seed, UNITS_LEAF);
}

static NOINLINE uint64_t walk_tree(uint64_t seed, int depth)
{
	uint64_t r;
	if (depth <= 1)
		r = visit_leaf(seed);
	else
		r = walk_tree(seed * 31 + 7, depth - 1);
	KEEP_FRAME(r);
	return r;
}

static NOINLINE uint64_t rebuild_index(uint64_t seed)
{
	uint64_t r = walk_tree(seed, TREE_DEPTH);
	KEEP_FRAME(r);
	return r;
}

static NOINLINE uint64_t log_stats(uint64_t seed)
{
	return spin(seed ^ 0x5bd1e995, UNITS_LOG);
}

static NOINLINE uint64_t compact_entries(uint64_t seed)
{
	return spin(seed, UNITS_LEAF);
}

/* Every FLUSH_EVERY_NS the main thread flushes its cache for FLUSH_NS
 * instead of serving. */
static NOINLINE uint64_t flush_cache(uint64_t seed)
{
	uint64_t t0 = now_ns();

	while (now_ns() - t0 < FLUSH_NS) {
		seed = compact_entries(seed);
		KEEP_FRAME(seed);
	}
	return seed;
}

static NOINLINE void serve(double seconds)
{
	uint64_t seed = 88172645463325252ull, start = now_ns(), last = start, flushed = start;
	unsigned long served = 0, since = 0;

	while (!done) {
		seed = handle_request(seed);
		seed = rebuild_index(seed);
		seed = log_stats(seed);
		seed = spin(seed, UNITS_SERVE);
		served++;
		since++;
		if ((served & 15) == 0) {
			uint64_t now = now_ns();

			if (now - flushed >= FLUSH_EVERY_NS) {
				seed = flush_cache(seed);
				flushed = now = now_ns();
			}
			if (now - last >= 2000000000ull) {
				printf("demo: served %lu requests (%.0f/s)\n", served,
				       since / ((now - last) / 1e9));
				fflush(stdout);
				last = now;
				since = 0;
			}
			if (seconds > 0 && (now - start) / 1e9 >= seconds)
				break;
		}
	}
	sink = seed;
}

static NOINLINE uint64_t crunch_numbers(uint64_t seed)
{
	return spin(seed, UNITS_WORKER);
}

static void *worker_main(void *arg)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	pthread_setname_np(pthread_self(), "worker");
	while (!done) {
		uint64_t t0 = now_ns();
		seed = crunch_numbers(seed);
		uint64_t busy = now_ns() - t0;
		/* sleep twice as long as the burst took: busy a third of the time */
		struct timespec ts = {(time_t)(2 * busy / 1000000000u),
				      (long)(2 * busy % 1000000000u)};
		nanosleep(&ts, NULL);
	}
	sink = seed;
	return arg;
}

static NOINLINE void idle_wait(void)
{
	struct timespec ts = {0, 200 * 1000000L};
	nanosleep(&ts, NULL);
}

static void *idle_main(void *arg)
{
	pthread_setname_np(pthread_self(), "idle");
	while (!done)
		idle_wait();
	return arg;
}

static void usage(void)
{
	fprintf(stderr, "usage: flametop-demo [--seconds N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double seconds = 0;
	pthread_t worker, idle;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			char *end;
			seconds = strtod(argv[++i], &end);
			if (*end || seconds <= 0)
				usage();
		} else {
			usage();
		}
	}
	pthread_setname_np(pthread_self(), "demo-main");
	printf("demo: serving requests (pid %d)%s\n", (int)getpid(),
	       seconds > 0 ? "" : "; stop with Ctrl-C");
	fflush(stdout);
	if (pthread_create(&worker, NULL, worker_main, NULL) ||
	    pthread_create(&idle, NULL, idle_main, NULL)) {
		fprintf(stderr, "flametop-demo: cannot start threads\n");
		return 1;
	}
	serve(seconds);
	done = 1;
	pthread_join(worker, NULL);
	pthread_join(idle, NULL);
	printf("demo: done\n");
	return 0;
}
