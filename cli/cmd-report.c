/*
 * cmd-report.c - flametop report: the top functions of a profile.
 *
 *   flametop report [--top N] [--json] [--weight W] FILE     (folded, pprof; - = stdin)
 *   flametop report [--top N] [--json] [--weight W] [-d SEC] -p PID
 *   flametop report --diff [--top N] [--json] [--count] A B
 *
 * A file is read strictly (formats.h): the first malformed line of a
 * folded file ends the report with its line number (exit 1); a pprof
 * profile is weighed by its default sample type, in its unit.  --diff
 * compares two files' shares of their totals, function by function
 * (diff.h), sorted by the size of the change; the JSON says each change's
 * noise (difftree.h).  With -p the target's segment is followed
 * for SEC seconds (default 5).  The table lists the heaviest functions by
 * self share and then by total share (top.h); --json prints one object
 * {"total", "weight", "unit", "functions": [...]} ordered by self.  --weight
 * chooses what is weighed live (time by default; --count is samples); of
 * a file it says what the numbers are (samples by default).  --findings prints
 * the shape findings (shapes.h) instead, as text or {"findings": [...]};
 * --bursts (with -p) the bursts in time (report-bursts.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "calltree.h"
#include "cmd.h"
#include "diff.h"
#include "difftree.h"
#include "evidence.h"
#include "formats.h"
#include "ftr.h"
#include "funcs.h"
#include "hide.h"
#include "launch.h"
#include "live.h"
#include "profile.h"
#include "gctimeline.h"
#include "report-bursts.h"
#include "report-lines.h"
#include "session.h"
#include "shapes.h"
#include "top.h"
#include "unit.h"
#include "util.h"

#define DEFAULT_TOP 20
#define DEFAULT_SECONDS 5.0
#define DEFAULT_BURST_SECONDS 10.0
#define POLL_MS 25

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

struct report {
	size_t top; /* rows per table; 0 = all */
	bool json;
	bool count;	/* weigh by samples even for live profiles */
	int weight;	/* enum live_weight; -1: not given */
	enum unit unit; /* of the values shown: the profile's, or samples */
	bool gc;	/* --gc: the garbage collections instead */
	double seconds; /* with -p; 0: DEFAULT_SECONDS */
	pid_t pid;
	bool findings; /* the shape findings instead of the tables */
	bool bursts;   /* the bursts in time instead (with -p) */
	/* the findings' evidence (evidence.h): the profile, the allocation
	 * profiles (with -p) and the span they cover; NULL: no data */
	struct profile *ev_time, *ev_alloc, *ev_free;
	double ev_span;
	bool diff;	     /* --diff A B */
	const char *measure; /* a file's: "inuse_space" for a Go heap profile */
	unsigned decimals;   /* a file's counts are scaled by 10^decimals (formats.h) */
	struct shapes_config shapes;
	struct cmd_group_opts grp; /* --group, --label (with -p) */
	const char *callers;	   /* --callers FUNC (report-callers.c) */
	const char *lines;	   /* --lines FUNC (with -p) */
	struct cmd_hide_opts hide; /* --hide, --collapse-recursion (cmd-hide.c) */
};

/* A count in the report's unit: ms for time, KiB for bytes. */
static unsigned long long table_count(const struct report *r, uint64_t v)
{
	return r->unit == UNIT_NS ? v / 1000000 : r->unit == UNIT_BYTES ? v / 1024 : v;
}

static void print_table(const struct report *r, const struct top *t, const struct funcs *f,
			const char *title)
{
	size_t n = r->top && r->top < t->n ? r->top : t->n;
	const char *sfx = r->unit == UNIT_NS	    ? "_MS"
			  : r->unit == UNIT_BYTES   ? "_KB"
			  : r->unit == UNIT_OBJECTS ? "_OBJ"
						    : "";
	char self[16], total[16];

	snprintf(self, sizeof(self), "SELF%s", sfx);
	snprintf(total, sizeof(total), "TOTAL%s", sfx);
	printf("\n%s\n", title);
	printf("  SELF%%  TOTAL%%  %9s  %9s  FUNCTION\n", self, total);
	for (size_t i = 0; i < n; i++) {
		const struct top_row *row = &t->rows[i];
		const char *mod = funcs_module(f, row->func);
		printf(" %5.1f%%  %5.1f%%  %9llu  %9llu  %s", util_pct(row->self, t->grand_total),
		       util_pct(row->total, t->grand_total), table_count(r, row->self),
		       table_count(r, row->total), funcs_name(f, row->func));
		if (mod && *mod)
			printf(" [%s]", util_base_name(mod));
		putchar('\n');
	}
}

static void print_json(const struct report *r, const struct top *t, const struct funcs *f)
{
	size_t n = r->top && r->top < t->n ? r->top : t->n;

	printf("{\"total\":%llu,\"weight\":\"%s\",\"unit\":\"%s\",",
	       (unsigned long long)t->grand_total,
	       r->pid || !r->measure ? live_weight_name((enum live_weight)r->weight) : r->measure,
	       unit_name(r->unit));
	if (r->decimals)
		printf("\"count_scale\":%llu,", (unsigned long long)util_pow10(r->decimals));
	printf("\"functions\":[");
	for (size_t i = 0; i < n; i++) {
		const struct top_row *row = &t->rows[i];
		printf("%s{\"name\":", i ? "," : "");
		cmd_json_string(stdout, funcs_name(f, row->func));
		printf(",\"module\":");
		cmd_json_string(stdout, funcs_module(f, row->func));
		printf(",\"self\":%llu,\"total\":%llu,\"self_pct\":%.2f,\"total_pct\":%.2f}",
		       (unsigned long long)row->self, (unsigned long long)row->total,
		       util_pct(row->self, t->grand_total), util_pct(row->total, t->grand_total));
	}
	printf("]}\n");
}

/* The frames from the root's child down to n, root first, as a JSON array
 * (iterative: the path can be as deep as the stack). */
static void print_path(const struct ctnode *n, const struct funcs *f)
{
	size_t depth = n->depth, i = depth;
	const struct ctnode **path = malloc((depth ? depth : 1) * sizeof(*path));

	putchar('[');
	if (path) {
		for (const struct ctnode *x = n; x && x->depth > 0; x = x->parent)
			path[--i] = x;
		for (i = 0; i < depth; i++) {
			if (i)
				putchar(',');
			cmd_json_string(stdout, funcs_name(f, path[i]->func));
		}
		free(path);
	}
	putchar(']');
}

/* ,"evidence":{...} of a finding: null where there is no data. */
static void print_evidence_json(const struct shape_evidence *e, const struct funcs *f)
{
	printf(",\"evidence\":{\"callers\":[");
	for (size_t i = 0; i < e->ncallers; i++) {
		printf("%s{\"name\":", i ? "," : "");
		cmd_json_string(stdout, funcs_name(f, e->callers[i]));
		printf(",\"share\":%.4f}", e->caller_share[i]);
	}
	printf("],\"offcpu_share\":");
	if (e->offcpu_known)
		printf("%.4f", e->offcpu);
	else
		printf("null");
	if (e->alloc_known)
		printf(",\"allocated_bytes\":%llu,\"freed_bytes\":%llu,\"inuse_grows\":%s}",
		       (unsigned long long)e->allocated, (unsigned long long)e->freed,
		       evidence_inuse_grows(e) ? "true" : "false");
	else
		printf(",\"allocated_bytes\":null,\"freed_bytes\":null,\"inuse_grows\":null}");
}

/* Prints the shape findings of tree t (shapes.h); 0 or an exit status. */
static int print_findings(const struct report *r, struct calltree *t, const struct funcs *f)
{
	struct shape_finding *res;
	size_t n;
	char expl[1024];
	struct shape_evidence ev;

	if (shapes_find(calltree_root(t), f, &r->shapes, &res, &n) < 0) {
		cmd_error("out of memory");
		return 1;
	}
	if (r->json)
		printf("{\"findings\":[");
	else if (n == 0)
		printf("no findings: no wide peak and no spike in %llu samples\n",
		       (unsigned long long)calltree_root(t)->total_count);
	for (size_t i = 0; i < n; i++) {
		const struct shape_finding *x = &res[i];

		if (evidence_of(x->node, t, r->ev_time, r->ev_alloc, r->ev_free, r->ev_span, &ev) <
		    0) {
			cmd_error("out of memory");
			free(res);
			return 1;
		}
		evidence_text(x, &ev, f, expl, sizeof(expl));
		if (!r->json) {
			printf("%-9s %5.1f%%  depth %-4u %s\n          %s\n",
			       shapes_kind_name(x->kind), 100.0 * x->share, x->height,
			       funcs_name(f, x->node->func), expl);
			continue;
		}
		printf("%s{\"kind\":\"%s\",\"frame\":", i ? "," : "", shapes_kind_name(x->kind));
		cmd_json_string(stdout, funcs_name(f, x->node->func));
		printf(",\"path\":");
		print_path(x->node, f);
		printf(",\"share\":%.4f,\"self_share\":%.4f,\"depth\":%u", x->share, x->self_share,
		       x->height);
		if (x->kind == SHAPE_SPIKE) {
			printf(",\"recursion\":");
			if (x->repeat_func)
				cmd_json_string(stdout, funcs_name(f, x->repeat_func));
			else
				printf("null");
			printf(",\"repeats\":%u,\"distinct\":%u", x->repeat_func ? x->repeats : 0,
			       x->distinct);
		}
		print_evidence_json(&ev, f);
		printf(",\"explanation\":");
		cmd_json_string(stdout, expl);
		putchar('}');
	}
	if (r->json)
		printf("]}\n");
	free(res);
	return 0;
}

/* Prints the report of tree t; 0 or an exit status. */
static int print_report(const struct report *r, struct calltree *t, const struct funcs *f,
			uint64_t samples)
{
	struct top top;

	if (r->findings)
		return print_findings(r, t, f);
	if (r->callers)
		return report_callers(r->callers, t, f, r->unit == UNIT_SAMPLES, r->top, r->json);
	enum top_measure m = r->unit == UNIT_SAMPLES ? TOP_COUNT : TOP_WEIGHT;

	if (top_compute(&top, t, m, TOP_BY_SELF) < 0) {
		cmd_error("out of memory");
		return 1;
	}
	if (r->json) {
		print_json(r, &top, f);
	} else {
		char value[64];

		unit_format(r->unit, top.grand_total, value, sizeof(value));
		if (live_weight_alloc(r->weight) && r->pid)
			printf("total: %llu allocation samples, %s %s\n",
			       (unsigned long long)samples, value, live_weight_name(r->weight));
		else if (r->unit != UNIT_SAMPLES && r->measure && samples == top.grand_total)
			printf("total: %s %s\n", value, r->measure); /* no sample counts */
		else if (r->unit != UNIT_SAMPLES)
			printf("total: %llu samples, %s\n", (unsigned long long)samples, value);
		else if (r->decimals)
			printf("total: %llu samples (counts scaled by %llu: the file's counts have "
			       "fractions)\n",
			       (unsigned long long)top.grand_total,
			       (unsigned long long)util_pow10(r->decimals));
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

/* Reads path into fp (tree and funcs made by the caller); 0 or -1 after
 * saying why. */
static int load(const char *path, struct fprof *fp)
{
	char err[256];

	if (format_load(path, FORMAT_NONE, fp, err, sizeof(err)) < 0) {
		cmd_error("cannot read '%s': %s", strcmp(path, "-") ? path : "stdin", err);
		return -1;
	}
	if (fp->note[0])
		cmd_warning("'%s': %s", strcmp(path, "-") ? path : "stdin", fp->note);
	return 0;
}

/* the unit of a file's numbers, by --weight */
static enum unit file_unit(enum live_weight w)
{
	switch (w) {
	case LIVE_WEIGHT_TIME:
		return UNIT_NS;
	case LIVE_WEIGHT_ALLOC_BYTES:
	case LIVE_WEIGHT_INUSE_BYTES:
		return UNIT_BYTES;
	case LIVE_WEIGHT_ALLOC_OBJECTS:
	case LIVE_WEIGHT_INUSE_OBJECTS:
		return UNIT_OBJECTS;
	default:
		return UNIT_SAMPLES;
	}
}

static int report_file(struct report *r, const char *path)
{
	struct funcs *f = funcs_new();
	struct calltree *t = calltree_new();
	struct fprof fp;
	int ret = 1;

	if (!f || !t) {
		cmd_error("out of memory");
		goto out;
	}
	fprof_init(&fp, t, f, NULL);
	if (load(path, &fp) < 0)
		goto out;
	if (cmd_hide_tree(&r->hide, f, t) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	if (r->weight >= 0) {
		/* --weight says what a file's numbers are */
		r->unit = file_unit((enum live_weight)r->weight);
		r->measure = live_weight_name((enum live_weight)r->weight);
	} else {
		r->unit = r->count ? UNIT_SAMPLES : fp.unit;
		r->measure = fp.measure;
	}
	r->decimals = fp.decimals;
	ret = print_report(r, t, f, calltree_root(t)->total_count);
out:
	calltree_free(t);
	funcs_free(f);
	return ret;
}

/* "+1.5" or "-0.3": a change in percentage points. */
static void print_diff_table(const struct report *r, const struct diff *d, const struct funcs *f,
			     const char *a, const char *b, const char *ua, const char *ub)
{
	size_t n = r->top && r->top < d->n ? r->top : d->n;

	printf("A: %s (total %s)\nB: %s (total %s)\n", a, ua, b, ub);
	printf("shares of each profile's total; change = B - A in points, largest first\n\n");
	printf(" SELF_A  SELF_B  CHANGE  TOTAL_A TOTAL_B  CHANGE  FUNCTION\n");
	for (size_t i = 0; i < n; i++) {
		const struct diff_row *x = &d->rows[i];
		const char *mod = funcs_module(f, x->func);

		printf(" %5.1f%%  %5.1f%%  %+5.1f  %6.1f%%  %5.1f%%  %+5.1f  %s", x->self_a,
		       x->self_b, x->self_b - x->self_a, x->total_a, x->total_b,
		       x->total_b - x->total_a, funcs_name(f, x->func));
		if (mod && *mod)
			printf(" [%s]", util_base_name(mod));
		putchar('\n');
	}
}

static void print_diff_json(const struct report *r, const struct diff *d, const struct funcs *f,
			    const struct fprof *fa, const struct fprof *fb)
{
	size_t n = r->top && r->top < d->n ? r->top : d->n;

	printf("{\"a\":{\"total\":%llu,\"unit\":\"%s\"},\"b\":{\"total\":%llu,\"unit\":\"%s\"},"
	       "\"functions\":[",
	       (unsigned long long)d->total_a, unit_name(r->count ? UNIT_SAMPLES : fa->unit),
	       (unsigned long long)d->total_b, unit_name(r->count ? UNIT_SAMPLES : fb->unit));
	for (size_t i = 0; i < n; i++) {
		const struct diff_row *x = &d->rows[i];

		printf("%s{\"name\":", i ? "," : "");
		cmd_json_string(stdout, funcs_name(f, x->func));
		printf(",\"module\":");
		cmd_json_string(stdout, funcs_module(f, x->func));
		struct diff_share ss = {x->self_a, x->self_b,
					diff_noise(x->self_a, x->self_b, d->count_a, d->count_b)};
		struct diff_share ts = {x->total_a, x->total_b,
					diff_noise(x->total_a, x->total_b, d->count_a, d->count_b)};

		printf(",\"self_a_pct\":%.2f,\"self_b_pct\":%.2f,\"self_change\":%.2f,"
		       "\"total_a_pct\":%.2f,\"total_b_pct\":%.2f,\"total_change\":%.2f,"
		       "\"self_noise\":%.2f,\"total_noise\":%.2f,\"significant\":%s}",
		       x->self_a, x->self_b, x->self_b - x->self_a, x->total_a, x->total_b,
		       x->total_b - x->total_a, ss.noise, ts.noise,
		       diff_significant(&ss) || diff_significant(&ts) ? "true" : "false");
	}
	printf("]}\n");
}

/* report --diff A B: both read with one funcs table, so that a function
 * is the same id in both. */
static int report_diff(struct report *r, const char *a, const char *b)
{
	struct funcs *f = funcs_new();
	struct calltree *ta = calltree_new(), *tb = calltree_new();
	struct fprof fa, fb;
	struct diff d;
	char va[64], vb[64];
	int ret = 1;

	if (!f || !ta || !tb) {
		cmd_error("out of memory");
		goto out;
	}
	fprof_init(&fa, ta, f, NULL);
	fprof_init(&fb, tb, f, NULL);
	if (load(a, &fa) < 0 || load(b, &fb) < 0)
		goto out;
	if (cmd_hide_tree(&r->hide, f, ta) < 0 || cmd_hide_tree(&r->hide, f, tb) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	if (diff_compute(&d, ta, r->count || fa.unit == UNIT_SAMPLES ? TOP_COUNT : TOP_WEIGHT, tb,
			 r->count || fb.unit == UNIT_SAMPLES ? TOP_COUNT : TOP_WEIGHT) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	if (r->json) {
		print_diff_json(r, &d, f, &fa, &fb);
	} else {
		unit_format(r->count ? UNIT_SAMPLES : fa.unit, d.total_a, va, sizeof(va));
		unit_format(r->count ? UNIT_SAMPLES : fb.unit, d.total_b, vb, sizeof(vb));
		print_diff_table(r, &d, f, a, b, va, vb);
	}
	diff_release(&d);
	ret = 0;
out:
	calltree_free(ta);
	calltree_free(tb);
	funcs_free(f);
	return ret;
}

static int report_pid(struct report *r)
{
	char err[256];
	struct funcs *f = funcs_new();
	struct profile *p = f ? profile_new(f) : NULL;
	struct session *ses = p ? session_new(r->pid, 0, p) : NULL;
	struct live_stats st;
	struct hide *hide = NULL;
	int ret = 1;

	if (!ses || cmd_hide_make(&r->hide, &hide) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	profile_set_window(p, 0);
	if (r->bursts && r->seconds > 60) /* every second collected, for bursts */
		profile_set_retain(p, (uint64_t)((r->seconds + 1) * 1e9));
	profile_set_hide(p, hide);
	if (session_attach(ses, 0, err, sizeof err) < 0) {
		cmd_attach_error(r->pid, err);
		goto out;
	}
	if (cmd_target_gone(r->pid))
		goto out;
	if (cmd_group_apply(&r->grp, session_live(ses)) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	live_set_weight(session_live(ses), (enum live_weight)r->weight);
	if (r->findings && live_keep_evidence(session_live(ses)) < 0) {
		cmd_error("out of memory");
		goto out;
	}
	session_skip_backlog(ses); /* report on the next SECONDS, not the past */
	struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	session_run(ses, (uint64_t)(r->seconds * 1e9), POLL_MS, &stop_signal);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	session_stats(ses, &st);
	if (cmd_alloc_missing(session_live(ses), (enum live_weight)r->weight,
			      st.cmd[0] ? st.cmd : "?"))
		goto out;
	r->unit = r->weight == LIVE_WEIGHT_SAMPLES ? UNIT_SAMPLES : profile_unit(p);
	if (r->bursts) {
		ret = report_bursts(p, gctimeline_origin(live_gctimeline(session_live(ses))),
				    r->json);
		goto out;
	}
	if (r->lines) {
		const struct ctnode *root = calltree_root(profile_tree(p));

		ret = report_lines(r->lines, f, live_lines(session_live(ses)), r->unit,
				   r->unit == UNIT_SAMPLES ? root->total_count : root->total_weight,
				   r->json);
		goto out;
	}
	r->ev_time = p;
	if (st.alloc_hooked) {
		r->ev_alloc = live_alloc_profile(session_live(ses));
		r->ev_free = live_free_profile(session_live(ses));
	}
	r->ev_span = r->seconds;
	ret = print_report(r, profile_tree(p), f,
			   live_weight_alloc(r->weight) ? st.allocs : st.samples);
out:
	session_free(ses);
	profile_free(p);
	hide_free(hide);
	funcs_free(f);
	return ret;
}

/* report --bursts FILE: a recording keeps its samples' times; other
 * files do not. */
static int report_bursts_file(struct report *r, const char *path)
{
	const char *name = strcmp(path, "-") ? path : "stdin";
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct funcs *f = funcs_new();
	struct ftr *rec = NULL;
	unsigned char head[8];
	size_t n;
	char err[256];
	int ret = 1;

	if (!in) {
		cmd_error("cannot open '%s': %s", name, strerror(errno));
		funcs_free(f);
		return 1;
	}
	n = fread(head, 1, sizeof(head), in);
	if (!ftr_probe(head, n)) {
		cmd_error("cannot find bursts in '%s': it keeps no sample times (a recording "
			  "does: record -o FILE.ftr; or report --bursts -p PID)",
			  name);
		goto out;
	}
	if (!f || fseek(in, 0, SEEK_SET) != 0) {
		cmd_error(f ? "cannot read '%s' again: %s" : "out of memory", name,
			  strerror(errno));
		goto out;
	}
	if (ftr_read(in, f, &rec, err, sizeof(err)) < 0) {
		cmd_error("cannot read '%s': %s", name, err);
		goto out;
	}
	if (ftr_info(rec)->truncated)
		cmd_warning("'%s': %s", name, err);
	ret = report_bursts(ftr_profile(rec), ftr_info(rec)->start_ns, r->json);
out:
	ftr_free(rec);
	funcs_free(f);
	if (in != stdin)
		fclose(in);
	return ret;
}

static int report_main(void *args, int argc, char **argv)
{
	struct report *r = args;

	if (r->count && r->weight >= 0 && r->weight != LIVE_WEIGHT_SAMPLES) {
		cmd_usage_error("report", "--count is --weight samples: give one of them");
		return 2;
	}
	if (r->count)
		r->weight = LIVE_WEIGHT_SAMPLES;
	if (r->lines && (r->diff || r->findings || r->gc || r->callers ||
			 (r->weight >= 0 && live_weight_alloc((enum live_weight)r->weight)))) {
		cmd_usage_error("report", "--lines goes with neither --diff, --findings, --gc, "
					  "--callers nor an allocation weight");
		return 2;
	}
	if (r->lines && !r->pid && argc == 1) {
		cmd_error("cannot show the lines of '%s' in '%s': recorded profiles keep no source "
			  "lines (use report --lines FUNC -p PID)",
			  r->lines, strcmp(argv[0], "-") ? argv[0] : "stdin");
		return 1;
	}

	if (r->bursts && (r->diff || r->findings || r->gc || r->callers || r->lines)) {
		cmd_usage_error("report", "--bursts goes with neither --diff, --findings, --gc, "
					  "--callers nor --lines");
		return 2;
	}
	if (r->bursts && !r->pid && argc == 1)
		return report_bursts_file(r, argv[0]);
	if (r->pid) {
		if (argc > 0 || r->diff) {
			cmd_usage_error("report", "give either -p PID or files, not both");
			return 2;
		}
		if (!r->seconds) /* bursts need a baseline: a longer look */
			r->seconds = r->bursts ? DEFAULT_BURST_SECONDS : DEFAULT_SECONDS;
		if (r->gc)
			return gc_follow(r->pid, NULL, true, r->seconds, r->json, false);
		if (r->weight < 0)
			r->weight = LIVE_WEIGHT_TIME;
		return report_pid(r);
	}
	if (r->gc) {
		cmd_usage_error("report", "--gc needs -p PID (recordings keep no GC events yet)");
		return 2;
	}
	if (r->seconds) {
		cmd_usage_error("report", "-d needs -p PID");
		return 2;
	}
	if (r->diff) {
		if (r->findings || r->callers) {
			cmd_usage_error("report", "--diff and --%s do not go together",
					r->findings ? "findings" : "callers");
			return 2;
		}
		if (argc != 2) {
			cmd_usage_error("report", "--diff needs two files, A and B");
			return 2;
		}
		return report_diff(r, argv[0], argv[1]);
	}
	if (r->grp.grouped || r->grp.nfilt) {
		cmd_usage_error("report", "--group and --label need -p PID (a file is grouped "
					  "when recorded: record --group)");
		return 2;
	}
	if (argc != 1) {
		if (argc)
			cmd_usage_error("report", "unexpected argument '%s'", argv[1]);
		else
			cmd_usage_error("report", "no file given");
		return 2;
	}
	return report_file(r, argv[0]);
}

static const struct cmd_option report_options[] = {
    OPT_COUNT("top", 0, "N", "show N functions (default 20, 0 for all)", struct report, top),
    OPT_FLAG("json", 0, "print JSON instead of a table", struct report, json),
    OPT_FLAG("count", 0,
	     "weigh by sample count (default: the profile's measure: CPU/wall time, pprof's type)",
	     struct report, count),
    OPT_WEIGHT("weight", 0,
	       "weigh by time, samples, alloc-bytes, alloc-objects, inuse-bytes or inuse-objects",
	       struct report, weight),
    OPT_SECONDS("duration", 'd',
		"with -p: collect for SECONDS seconds (default 5, 10 with --bursts)", struct report,
		seconds),
    OPT_PID("pid", 'p', "report on a running process", struct report, pid),
    OPT_FLAG("findings", 0, "print the wide peaks and spikes instead of the tables", struct report,
	     findings),
    OPT_FLAG("bursts", 0,
	     "print the time ranges where the sample rate or the mix of stacks jumped (-p PID or "
	     "a recording)",
	     struct report, bursts),
    OPT_FLAG("diff", 0, "compare two files A B: each function's share of B minus its share of A",
	     struct report, diff),
    OPT_SHAPES(struct report, shapes),
    OPT_GROUP(struct report, grp),
    OPT_FLAG("gc", 0, "with -p: summarise the garbage collections instead", struct report, gc),
    OPT_STRING("callers", 0, "FUNC",
	       "print FUNC's callers and callees, merged over every call site, instead",
	       struct report, callers),
    OPT_STRING("lines", 0, "FUNC",
	       "with -p: the self time of function FUNC line by line, with the source text",
	       struct report, lines),
    OPT_HIDE(struct report, hide),
    OPT_END,
};

static const struct cmd_operand report_operands[] = {
    {"FILE", "a folded-stack or pprof file, or - for stdin"},
    {"A B", "with --diff: the profiles before and after"},
    {NULL, NULL},
};

const struct cmd cmd_report = {
    .name = "report",
    .follows_processes = true,
    .summary = "print the top functions of a profile",
    .usage = "report [--top N] [--json] [--count] [--weight WEIGHT] [--findings] FILE\n"
	     "report [--top N] [--json] [--count] [--weight WEIGHT] [--findings] [-d SECONDS] "
	     "[--group KEYS] "
	     "[--label K=V] -p PID\n"
	     "report [--json] [-d SECONDS] --gc -p PID\n"
	     "report [--json] --bursts (FILE.ftr | [-d SECONDS] -p PID)\n"
	     "report --callers FUNC [--top N] [--json] [--count] FILE\n"
	     "report --lines FUNC [--json] [--count] [-d SECONDS] -p PID\n"
	     "report [--hide REGEX] [--collapse-recursion] [--callers FUNC] FILE\n"
	     "report --diff [--top N] [--json] [--count] A B",
    .options = report_options,
    .operands = report_operands,
    CMD_ARGS(struct report, .top = DEFAULT_TOP, .unit = UNIT_SAMPLES, .weight = -1,
	     .shapes = SHAPES_CONFIG_DEFAULTS),
    .fn = report_main,
};
