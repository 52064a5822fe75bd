/*
 * cmd-coros.c - flametop coros: every coroutine of a process, with where
 * it is parked (the goroutine dump of Go's debug=2, for native programs).
 *
 *   flametop coros [--json | --folded] -p PID
 *
 * Attaching makes the runtime read the stacks of parked coroutines (it
 * does that only while a viewer is there); coros waits for them up to a
 * second, then prints what it has.  Text: one block per coroutine, its
 * stack root first as in folded stacks.  --json: an object with a
 * "coroutines" array.  --folded: the parked stacks as folded stacks, each
 * weighed by the number of coroutines parked there.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "coros.h"
#include "funcs.h"
#include "launch.h"
#include "live.h"
#include "profile.h"
#include "segment.h"

#define WAIT_ROUNDS 20
#define WAIT_MS 50

enum coros_format { COROS_TEXT, COROS_JSON, COROS_FOLDED };

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* snapshots until every parked coroutine has its stack, for at most
 * WAIT_ROUNDS * WAIT_MS (the runtime thread reads them only once a viewer
 * is attached, and on a busy machine it may not run at once) */
static int snapshot(struct live *l, struct coros *c)
{
	int n = 0;

	for (int i = 0; i < WAIT_ROUNDS; i++) {
		live_poll(l);
		if (!live_segment(l))
			return -ENOENT;
		n = coros_snapshot(c, live_segment(l), live_symbols(l));
		if (n < 0)
			return n;
		if (coros_unknown_stacks(c) == 0)
			break;
		sleep_ms(WAIT_MS);
	}
	return n;
}

static void print_stack(const struct coro_row *r, const struct funcs *f, const char *sep)
{
	for (uint32_t i = 0; i < r->nstack; i++)
		printf("%s%s", i ? sep : "", funcs_name(f, r->stack[i]));
}

static void print_text(const struct coro_row *rows, size_t n, const struct funcs *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct coro_row *r = &rows[i];

		printf("coro %llu \"%s\" %s %.3f s", (unsigned long long)r->id, r->name,
		       coros_state_name(r->state), r->in_state_ns / 1e9);
		if (r->reason[0])
			printf(" [%s]", r->reason);
		if (r->tid)
			printf(" thread %d", (int)r->tid);
		printf(" cpu %.3f s", r->cpu_ns / 1e9);
		if (r->labels[0])
			printf(" labels %s", r->labels);
		printf("\n");
		if (r->nstack) {
			printf("    ");
			print_stack(r, f, ";");
			printf("\n");
		}
	}
}

static void print_json(struct segment *seg, const struct coro_row *rows, size_t n,
		       const struct funcs *f, const struct ft_corotab *t)
{
	printf("{\"pid\":%d,\"coroutines\":[", (int)segment_pid(seg));
	for (size_t i = 0; i < n; i++) {
		const struct coro_row *r = &rows[i];
		struct segment_labels l;
		int nl = segment_labels(seg, r->labels_id, &l);

		printf("%s{\"id\":%llu,\"name\":", i ? "," : "", (unsigned long long)r->id);
		cmd_json_string(stdout, r->name);
		printf(",\"state\":\"%s\",\"tid\":%d,\"state_ns\":%llu,\"reason\":",
		       coros_state_name(r->state), (int)r->tid, (unsigned long long)r->in_state_ns);
		cmd_json_string(stdout, r->reason);
		printf(",\"parent\":%llu,\"cpu_ns\":%llu,\"samples\":%llu,\"labels\":{",
		       (unsigned long long)r->parent_id, (unsigned long long)r->cpu_ns,
		       (unsigned long long)r->samples);
		for (int k = 0; k < nl; k++) {
			printf("%s", k ? "," : "");
			cmd_json_string(stdout, l.key[k]);
			putchar(':');
			cmd_json_string(stdout, l.value[k]);
		}
		printf("},\"stack\":[");
		for (uint32_t k = 0; k < r->nstack; k++) {
			printf("%s", k ? "," : "");
			cmd_json_string(stdout, funcs_name(f, r->stack[k]));
		}
		printf("]}");
	}
	printf("],\"created\":%llu,\"exited\":%llu,\"table_full\":%llu,\"misuse\":%llu,"
	       "\"unfollowed\":%llu,\"stacks_taken\":%llu,\"stacks_stale\":%llu,"
	       "\"stacks_failed\":%llu}\n",
	       (unsigned long long)t->created, (unsigned long long)t->exited,
	       (unsigned long long)t->table_full, (unsigned long long)t->misuse,
	       (unsigned long long)t->unfollowed, (unsigned long long)t->stacks_taken,
	       (unsigned long long)t->stacks_stale, (unsigned long long)t->stacks_failed);
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* parked stacks, each weighed by how many coroutines wait there */
static int print_folded(const struct coro_row *rows, size_t n, const struct funcs *f)
{
	char **lines = calloc(n ? n : 1, sizeof(*lines));
	size_t k = 0;

	if (!lines)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct coro_row *r = &rows[i];
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		if (r->state != FT_CORO_PARKED || !r->nstack)
			continue;
		m = open_memstream(&buf, &len);
		if (!m)
			break;
		for (uint32_t j = 0; j < r->nstack; j++) {
			const char *s = funcs_name(f, r->stack[j]);

			if (j)
				fputc(';', m);
			for (; *s; s++)
				fputc(*s == ';' || *s == '\n' ? ':' : *s, m);
		}
		fclose(m);
		lines[k++] = buf;
	}
	qsort(lines, k, sizeof(*lines), cmp_text);
	for (size_t i = 0; i < k;) {
		size_t j = i;

		while (j < k && strcmp(lines[j], lines[i]) == 0)
			j++;
		printf("%s %zu\n", lines[i], j - i);
		i = j;
	}
	for (size_t i = 0; i < k; i++)
		free(lines[i]);
	free(lines);
	return 0;
}

struct coros_args {
	bool json, folded;
	pid_t pid;
};

static int coros_main(void *args, int argc, char **argv)
{
	const struct coros_args *a = args;
	enum coros_format fmt = a->json ? COROS_JSON : a->folded ? COROS_FOLDED : COROS_TEXT;
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct live *l = NULL;
	struct coros *c = NULL;
	const struct coro_row *rows;
	char err[256];
	size_t n;
	int ret = 1, e;

	(void)argv;
	if (argc > 0) {
		cmd_usage_error("coros", "unexpected argument '%s'", argv[0]);
		return 2;
	}
	if (!a->pid) {
		cmd_usage_error("coros", "no process given (-p PID)");
		return 2;
	}
	if (a->json && a->folded) {
		cmd_usage_error("coros", "give --json or --folded, not both");
		return 2;
	}
	f = funcs_new();
	p = f ? profile_new(f) : NULL;
	c = f ? coros_new(f) : NULL;
	if (!p || !c) {
		cmd_error("out of memory");
		goto out;
	}
	l = live_attach(a->pid, p, err, sizeof err);
	if (!l) {
		cmd_attach_error(a->pid, err);
		goto out;
	}
	if (cmd_target_gone(a->pid))
		goto out;
	e = snapshot(l, c);
	if (e < 0) {
		cmd_error("cannot read the coroutines of pid %d: %s", (int)a->pid,
			  e == -ENOENT ? "its segment has no coroutine table" : strerror(-e));
		goto out;
	}
	rows = coros_rows(c, &n);
	if (fmt == COROS_JSON)
		print_json(live_segment(l), rows, n, f, coros_counters(c));
	else if (fmt == COROS_FOLDED)
		print_folded(rows, n, f);
	else
		print_text(rows, n, f);
	ret = fflush(stdout) == 0 ? 0 : 1;
	if (ret)
		cmd_error("cannot write stdout: %s", strerror(errno));
out:
	coros_free(c);
	live_free(l);
	profile_free(p);
	funcs_free(f);
	return ret;
}

static const struct cmd_option coros_options[] = {
    OPT_FLAG("json", 0, "print one JSON object with a coroutines array", struct coros_args, json),
    OPT_FLAG("folded", 0, "print the parked stacks as folded stacks, weighed by coroutines",
	     struct coros_args, folded),
    OPT_PID("pid", 'p', "the process", struct coros_args, pid),
    OPT_END,
};

const struct cmd cmd_coros = {
    .name = "coros",
    .follows_processes = true,
    .summary = "list a process's coroutines and where they wait",
    .usage = "coros [--json | --folded] -p PID",
    .options = coros_options,
    .notes = "Parked stacks are read by the runtime once a viewer attaches; coros waits for "
	     "them up to a second.",
    CMD_ARGS(struct coros_args, .json = false),
    .fn = coros_main,
};
