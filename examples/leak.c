/*
 * leak.c - flametop-leak: a small request server with one slow leak.
 *
 * Every "request" parses a line, looks it up in a response cache, builds
 * a response and logs it: busy paths that allocate a lot and free all of
 * it (the cache evicts its oldest entry once it holds 256).  One path
 * leaks: every 50th request opens a session, and sessions are never
 * closed, 2 KiB each.
 *
 *   flametop record --weight alloc-bytes -- flametop-leak 5    who allocates
 *   flametop record --weight inuse-bytes -- flametop-leak 5    who holds memory
 *
 * Allocated bytes are spread over the busy paths (the session path is a
 * small part of them); in-use bytes are nearly all in open_session, and
 * grow with the run.  Usage: flametop-leak [SECONDS] (default 10).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))
#define CACHE_MAX 256

struct session {
	struct session *next;
	unsigned id;
	char user[2036];
};

struct cached {
	char *key;
	char *body;
	size_t len;
};

static struct session *sessions;
static struct cached cache[CACHE_MAX];
static unsigned cache_next;
static volatile unsigned long checksum;

static NOINLINE char *parse_request(unsigned i)
{
	size_t n = 64 + i % 192;
	char *line = malloc(n);

	snprintf(line, n, "GET /item/%u?user=%u", i % 1000, i % 77);
	return line;
}

static NOINLINE char *render_page(const char *line)
{
	size_t n = 8192 + strlen(line) * 16;
	char *body = malloc(n);

	memset(body, 'x', n - 1);
	body[n - 1] = '\0';
	memcpy(body, line, strlen(line));
	return body;
}

/* keeps the last CACHE_MAX pages: what goes in, a later insert frees */
static NOINLINE const char *cache_page(const char *line)
{
	struct cached *c;

	for (unsigned k = 0; k < CACHE_MAX; k++)
		if (cache[k].key && strcmp(cache[k].key, line) == 0)
			return cache[k].body;
	c = &cache[cache_next++ % CACHE_MAX];
	free(c->key);
	free(c->body);
	c->key = strdup(line);
	c->body = render_page(line);
	c->len = strlen(c->body);
	return c->body;
}

static NOINLINE void log_request(const char *line, const char *body)
{
	char *msg = malloc(512);

	snprintf(msg, 512, "%s -> %.32s", line, body);
	checksum += (unsigned char)msg[4];
	free(msg);
}

/* the leak: sessions are opened and never closed */
static NOINLINE void open_session(unsigned i)
{
	struct session *s = malloc(sizeof(*s));

	s->id = i;
	snprintf(s->user, sizeof(s->user), "user-%u", i % 77);
	s->next = sessions;
	sessions = s;
}

static NOINLINE void handle(unsigned i)
{
	char *line = parse_request(i);
	const char *body = cache_page(line);

	log_request(line, body);
	if (i % 50 == 0)
		open_session(i);
	free(line);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10;
	struct timespec t0, t;
	unsigned i = 0, n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (int k = 0; k < 1000; k++)
			handle(i++);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= seconds)
			break;
		/* a server waits for its next requests */
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
	for (struct session *s = sessions; s; s = s->next)
		n++;
	printf("%u requests, %u sessions open (%zu bytes)\n", i, n, n * sizeof(struct session));
	return 0;
}
