/*
 * cmd-report.c - flametop report: the top functions of a profile.
 *
 *   flametop report [--top N] [--json] [--count] FILE     (folded; - = stdin)
 *   flametop report [--top N] [--json] [--count] [-d SEC] -p PID
 *
 * A folded file is read strictly: the first malformed line ends the report
 * with its line number (exit 1).  With -p the target's segment is followed
 * for SEC seconds (default 5).  The table lists the heaviest functions by
 * self share and then by total share (top.h); --json prints one object
 * {"total", "unit", "functions": [...]} ordered by self.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "calltree.h"
#include "cmd.h"
#include "folded.h"
#include "funcs.h"
#include "launch.h"
#include "live.h"
#include "profile.h"
#include "top.h"
#include "util.h"

#define DEFAULT_TOP 20
#define DEFAULT_SECONDS 5.0

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

struct report {
	size_t top; /* rows per table; 0 = all */
	bool json;
	bool count; /* weigh by samples even for live profiles */
	bool live;  /* weights are nanoseconds */
	double seconds;
	pid_t pid;
};

static void json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}

static void print_table(const struct report *r, const struct top *t, const struct funcs *f,
			const char *title)
{
	size_t n = r->top && r->top < t->n ? r->top : t->n;
	bool ms = r->live && !r->count;

	printf("\n%s\n", title);
	printf("  SELF%%  TOTAL%%  %7s  FUNCTION\n", ms ? "SELF_MS" : "SAMPLES");
	for (size_t i = 0; i < n; i++) {
		const struct top_row *row = &t->rows[i];
		const char *mod = funcs_module(f, row->func);
		printf(" %5.1f%%  %5.1f%%  %7llu  %s", util_pct(row->self, t->grand_total),
		       util_pct(row->total, t->grand_total),
		       (unsigned long long)(ms ? row->self / 1000000 : row->self),
		       funcs_name(f, row->func));
		if (mod && *mod)
			printf(" [%s]", util_base_name(mod));
		putchar('\n');
	}
}

static void print_json(const struct report *r, const struct top *t, const struct funcs *f)
{
	size_t n = r->top && r->top < t->n ? r->top : t->n;

	printf("{\"total\":%llu,\"unit\":\"%s\",\"functions\":[",
	       (unsigned long long)t->grand_total, r->live && !r->count ? "ns" : "samples");
	for (size_t i = 0; i < n; i++) {
		const struct top_row *row = &t->rows[i];
		printf("%s{\"name\":", i ? "," : "");
		json_string(stdout, funcs_name(f, row->func));
		printf(",\"module\":");
		json_string(stdout, funcs_module(f, row->func));
		printf(",\"self\":%llu,\"total\":%llu,\"self_pct\":%.2f,\"total_pct\":%.2f}",
		       (unsigned long long)row->self, (unsigned long long)row->total,
		       util_pct(row->self, t->grand_total), util_pct(row->total, t->grand_total));
	}
	printf("]}\n");
}

/* Prints the report of tree t; 0 or an exit status. */
static int print_report(const struct report *r, struct calltree *t, const struct funcs *f,
			uint64_t samples)
{
	struct top top;
	enum top_measure m = r->count || !r->live ? TOP_COUNT : TOP_WEIGHT;

	if (top_compute(&top, t, m, TOP_BY_SELF) < 0) {
		fprintf(stderr, "flametop: report: out of memory\n");
		return 1;
	}
	if (r->json) {
		print_json(r, &top, f);
	} else {
		if (r->live && !r->count)
			printf("total: %llu samples, %.3f s\n", (unsigned long long)samples,
			       top.grand_total / 1e9);
		else
			printf("total: %llu samples\n", (unsigned long long)top.grand_total);
		if (top.grand_total == 0) {
			printf("no samples\n");
		} else {
			print_table(r, &top, f, "by self:");
			top_sort(&top, TOP_BY_TOTAL);
			print_table(r, &top, f, "by total:");
		}
	}
	top_release(&top);
	return 0;
}

static int report_file(struct report *r, const char *path)
{
	char err[256];
	int ret = 1;
	FILE *in = stdin;
	const char *name = path;

	if (strcmp(path, "-") != 0) {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "flametop: report: cannot open '%s': %s\n", path,
				strerror(errno));
			return 1;
		}
	} else {
		name = "stdin";
	}
	struct funcs *f = funcs_new();
	struct calltree *t = calltree_new();
	if (!f || !t) {
		fprintf(stderr, "flametop: report: out of memory\n");
		goto out;
	}
	err[0] = '\0';
	int e = folded_read(in, t, f, err, sizeof err);
	if (e < 0) {
		if (err[0])
			fprintf(stderr, "flametop: report: %s: %s\n", name, err);
		else
			fprintf(stderr, "flametop: report: %s: %s\n", name, strerror(-e));
		goto out;
	}
	ret = print_report(r, t, f, calltree_root(t)->total_count);
out:
	calltree_free(t);
	funcs_free(f);
	if (in != stdin)
		fclose(in);
	return ret;
}

static int report_pid(struct report *r)
{
	char err[256];
	struct funcs *f = funcs_new();
	struct profile *p = f ? profile_new(f) : NULL;
	struct live *l = NULL;
	struct live_stats st;
	int ret = 1;

	if (!p) {
		fprintf(stderr, "flametop: report: out of memory\n");
		goto out;
	}
	profile_set_window(p, 0);
	l = live_attach(r->pid, p, err, sizeof err);
	if (!l) {
		cmd_attach_error(r->pid, err);
		goto out;
	}
	if (cmd_target_gone(r->pid))
		goto out;
	live_skip_backlog(l); /* report on the next SECONDS, not the past */
	struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	struct timespec t0, now, tick = {0, 25 * 1000000L};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		live_poll(l);
		live_stats(l, &st);
		if (st.state == FT_STATE_EXITED || st.state == FT_STATE_FAILED || stop_signal)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 >= r->seconds)
			break;
		nanosleep(&tick, NULL);
	}
	for (int i = 0; i < 10000 && live_poll(l) > 0; i++)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	live_stats(l, &st);
	ret = print_report(r, profile_tree(p), f, st.samples);
out:
	live_free(l);
	profile_free(p);
	funcs_free(f);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"top", required_argument, NULL, 't'},
	    {"json", no_argument, NULL, 'j'},
	    {"count", no_argument, NULL, 'c'},
	    {"duration", required_argument, NULL, 'd'},
	    {"pid", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct report r = {.top = DEFAULT_TOP, .seconds = DEFAULT_SECONDS};
	char err[256], *end;
	bool have_d = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': {
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0) {
				fprintf(stderr, "flametop: report: --top %s: not a count\n",
					optarg);
				return 2;
			}
			r.top = (size_t)v;
			break;
		}
		case 'j':
			r.json = true;
			break;
		case 'c':
			r.count = true;
			break;
		case 'd':
			if (launch_parse_seconds(optarg, &r.seconds, err, sizeof err) < 0)
				goto bad_value;
			have_d = true;
			break;
		case 'p':
			if (launch_parse_pid(optarg, &r.pid, err, sizeof err) < 0)
				goto bad_value;
			break;
		case 'h':
			cmd_usage("report");
			return 0;
		default:
			cmd_bad_option("report", c, argv);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (r.pid) {
		if (argc > 0) {
			fprintf(stderr,
				"flametop: report: give either -p PID or a file, not both\n");
			return 2;
		}
		r.live = true;
		return report_pid(&r);
	}
	if (have_d) {
		fprintf(stderr, "flametop: report: -d needs -p PID\n");
		return 2;
	}
	if (argc != 1) {
		fprintf(stderr, "flametop: report: %s (usage: flametop report [options] FILE)\n",
			argc ? "one file at a time" : "no file given");
		return 2;
	}
	return report_file(&r, argv[0]);

bad_value:
	fprintf(stderr, "flametop: %s\n", err);
	return 2;
}
