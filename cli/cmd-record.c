/*
 * cmd-record.c - flametop record: a headless profile written to a file.
 *
 *   flametop record [-F HZ] [--mode cpu|wall] [--weight W] [--alloc-rate BYTES]
 *                   [-d SEC] [-o FILE] [--format F] -- CMD...
 *   flametop record [--weight W] [-d SEC] [-o FILE] [--format F] -p PID
 *
 * With CMD the target is started with the runtime preloaded; the samples it
 * writes up to its exit stay readable through our mapping after the
 * runtime unlinks the segment, and record removes a segment a killed
 * target left behind.  With -p an existing
 * segment is followed (the viewer heartbeat makes the runtime sample).
 * Recording ends when the target exits, -d elapses, or flametop gets
 * SIGINT/SIGTERM; the profile is written in every case (to flametop.ftr,
 * or the format's default name, without -o), in the format --format names
 * or the output's name says (formats.h; a recording without -o, folded
 * stacks of sample counts for other names).  A recording (ftr.h) is
 * streamed as samples arrive, into FILE.partial (renamed to FILE at the
 * end), flushed at least every FTR_FLUSH_NS: a killed flametop leaves
 * FILE.partial readable up to its last block.  Profiles are weighed by --weight (sample counts by
 * default; time in ns; allocated or in-use bytes or objects, estimated
 * from the allocation samples: in use means still live when the recording
 * ends).  CMD's output passes through; the exit status is CMD's (0 when -d
 * stopped it, 128+N when a signal killed it), 0 with -p.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "calltree.h"
#include "cmd.h"
#include "hide.h"
#include "folded.h"
#include "formats.h"
#include "ftr.h"
#include "funcs.h"
#include "gctimeline.h"
#include "launch.h"
#include "outfile.h"
#include "live.h"
#include "profile.h"
#include "segment.h"
#include "session.h"
#include "unit.h"
#include "util.h"

#define POLL_MS 25
#define FTR_FLUSH_NS 1000000000ull /* a recording's blocks go out this often at least */
#define SEGMENT_TIMEOUT_MS 10000
#define ATTACH_RETRY_MS 1000

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

struct record {
	unsigned freq;
	int mode;
	double duration;	   /* seconds; 0: until the target ends */
	const char *output;	   /* NULL: stdout (-o -) */
	enum format format;	   /* of the output */
	pid_t pid;		   /* -p */
	bool stats;		   /* hidden --stats: runtime counters on stderr */
	struct outfile out;	   /* opened by open_output */
	struct segment *stats_seg; /* --stats */
	struct funcs *funcs;
	struct profile *profile;
	struct session *session;
	struct cmd_group_opts grp; /* --group, --label */
	const char *gc_log_path;   /* --gc-log FILE */
	FILE *gc_out;
	struct gclog *gc;
	enum live_weight weight;
	int64_t alloc_rate;	/* -1: the runtime's default */
	bool no_children;	/* --no-children */
	struct ftr_writer *ftr; /* FORMAT_FTR: the recording being streamed */
	char (*ftr_names)[32];	/* the thread names written, by profile_threads index */
	size_t ftr_nnames;
	uint32_t *ftr_labels; /* the label set ids written */
	size_t ftr_nlabels;
};

/* Opens -o FILE (or takes stdout): after the checks that can fail without
 * side effects, before the recording starts. */
static int open_output(struct record *r)
{
	if (r->format == FORMAT_FTR)
		return outfile_open_partial(&r->out, r->output);
	return outfile_open(&r->out, r->output);
}

/* ---- a recording, streamed (FORMAT_FTR) ---- */

/* Writes the threads that are new or were renamed since the last call. */
static void ftr_sync_threads(struct record *r)
{
	size_t n;
	const struct profile_thread *th = profile_threads(r->profile, &n);

	if (n > r->ftr_nnames) {
		char(*nn)[32] = realloc(r->ftr_names, n * sizeof(*nn));

		if (!nn)
			return; /* names are written at the next call */
		for (size_t i = r->ftr_nnames; i < n; i++)
			nn[i][0] = '\0';
		r->ftr_names = nn;
		r->ftr_nnames = n;
	}
	for (size_t i = 0; i < n; i++)
		if (th[i].name[0] && strcmp(th[i].name, r->ftr_names[i])) {
			ftr_write_thread(r->ftr, th[i].tid, th[i].name);
			snprintf(r->ftr_names[i], sizeof(r->ftr_names[i]), "%s", th[i].name);
		}
}

/* Writes label set id before the first sample that carries it. */
static void ftr_labels(struct record *r, uint32_t id)
{
	const char *keys[64], *values[64];
	int n;

	for (size_t i = r->ftr_nlabels; i-- > 0;)
		if (r->ftr_labels[i] == id)
			return;
	if (r->ftr_nlabels % 64 == 0) {
		uint32_t *nl = realloc(r->ftr_labels, (r->ftr_nlabels + 64) * sizeof(*nl));

		if (!nl)
			return;
		r->ftr_labels = nl;
	}
	n = live_label_pairs(session_live(r->session), id, keys, values, 64);
	ftr_write_labels(r->ftr, id, keys, values, n);
	r->ftr_labels[r->ftr_nlabels++] = id;
}

/* live's observer: each sample as it is added to the profile */
static void ftr_on_sample(void *arg, const struct profile_sample *s)
{
	struct record *r = arg;

	if (s->labels_id)
		ftr_labels(r, s->labels_id);
	ftr_write_sample(r->ftr, s);
}

/* live's observer: each collection, with its trigger stack resolved */
static void ftr_on_gc(void *arg, const struct ft_rec_hdr *rec, uint32_t len,
		      const struct gc_cycle *c)
{
	static uint32_t ids[4 * FT_MAX_DEPTH];
	struct record *r = arg;
	size_t n = live_gc_stack(session_live(r->session), c, ids, sizeof(ids) / sizeof(ids[0]));

	ftr_write_gc(r->ftr, rec, len, ids, (uint32_t)n);
}

/* Starts the recording once the target is followed (or known to have
 * left nothing): its header, then every sample as it arrives.  0 or -1
 * (out of memory). */
static int ftr_start(struct record *r)
{
	struct live *l = r->session ? session_live(r->session) : NULL;
	struct ftr_info h;
	struct live_stats st;
	struct timespec ts;

	if (r->format != FORMAT_FTR || r->ftr)
		return 0;
	memset(&h, 0, sizeof(h));
	memset(&st, 0, sizeof(st));
	if (r->session)
		session_stats(r->session, &st);
	h.pid = st.pid ? st.pid : r->pid;
	h.mode = st.mode;
	h.freq_hz = st.freq_hz;
	snprintf(h.measure, sizeof(h.measure), "%s", profile_measure(r->profile));
	h.unit = profile_unit(r->profile);
	if (l && live_segment(l))
		h.start_ns = segment_header(live_segment(l))->start_mono_ns;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.start_real_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	snprintf(h.cmdline, sizeof(h.cmdline), "%s", st.cmd);
	r->ftr = ftr_writer_new(r->out.f, &h, r->funcs);
	if (!r->ftr) {
		cmd_error("out of memory");
		return -1;
	}
	ftr_flush(r->ftr); /* the header is there from the start */
	if (l) {
		struct live_observer o = {.sample = ftr_on_sample, .gc = ftr_on_gc, .arg = r};

		live_observe(l, &o);
	}
	return 0;
}

/* Between polls: names, and a block at least every FTR_FLUSH_NS. */
static void ftr_tick(struct record *r)
{
	if (!r->ftr)
		return;
	ftr_sync_threads(r);
	if (util_mono_ns() - ftr_last_flush(r->ftr) >= FTR_FLUSH_NS)
		ftr_flush(r->ftr);
}

/* Ends the recording: what is left, the end record.  0 or -errno. */
static int ftr_end(struct record *r)
{
	struct live_stats st;

	if (ftr_start(r) < 0)
		return -ENOMEM;
	memset(&st, 0, sizeof(st));
	if (r->session)
		session_stats(r->session, &st);
	ftr_sync_threads(r);
	return ftr_finish(r->ftr, st.lost);
}

/* Prints the runtime's counters from the segment header (hidden --stats,
 * for bench/run). */
static void print_stats(const struct ft_header *h)
{
	char line[512];

	segment_format_stats(h, line, sizeof(line));
	cmd_note("stats: %s", line);
}

/* --stats: a second view of the segment, opened at attach so
 * the counters can still be read after the runtime unlinked it. */
static void stats_open(struct record *r, pid_t pid)
{
	char err[256], path[300];

	segment_find(pid, path, sizeof path);
	r->stats_seg = segment_open_path(path, err, sizeof err);
	if (!r->stats_seg)
		cmd_error("stats: %s", err);
}

/* --gc-log: opens FILE before the recording starts */
static int gc_log_open(struct record *r)
{
	if (!r->gc_log_path)
		return 0;
	r->gc_out = fopen(r->gc_log_path, "w");
	if (!r->gc_out) {
		cmd_error("cannot open '%s': %s", r->gc_log_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --gc-log: follows pid's collections once its segment exists */
static void gc_log_attach(struct record *r, pid_t pid, bool from_now)
{
	char err[256];

	if (!r->gc_out || r->gc)
		return;
	r->gc = gclog_open(pid, r->gc_out, from_now, err, sizeof err);
	if (!r->gc)
		cmd_error("--gc-log: %s", err);
}

/* session_run, with the GC log written as collections arrive and a
 * recording's blocks flushed: the run goes in slices of GC_LOG_SLICE_NS,
 * the log read after each */
#define GC_LOG_SLICE_NS 100000000ull

static enum session_end run(struct record *r)
{
	uint64_t duration = (uint64_t)(r->duration * 1e9), t0 = util_mono_ns();
	enum session_end why;

	if (!r->gc && !r->ftr)
		return session_run(r->session, duration, POLL_MS, &stop_signal);
	for (;;) {
		uint64_t slice = GC_LOG_SLICE_NS, done = util_mono_ns() - t0;

		if (duration && done >= duration)
			why = SESSION_TIMEOUT;
		else {
			if (duration && duration - done < slice)
				slice = duration - done;
			why = session_run(r->session, slice, POLL_MS, &stop_signal);
		}
		if (r->gc)
			gclog_poll(r->gc);
		ftr_tick(r);
		if (why != SESSION_TIMEOUT || (duration && util_mono_ns() - t0 >= duration))
			return why;
	}
}

static void stats_print(struct record *r)
{
	if (!r->stats_seg)
		return;
	segment_refresh(r->stats_seg);
	print_stats(segment_header(r->stats_seg));
}

/* The session of pid (child: ours to reap), attached with retries while
 * the child runs: a target just started may still be filling its header
 * in.  0, or -1 with the reason in err (-ENOMEM: none). */
static int attach(struct record *r, pid_t pid, pid_t child, bool retry, char *err, size_t errlen)
{
	r->session = session_new(pid, child, r->profile);
	if (!r->session) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (session_attach(r->session, retry ? ATTACH_RETRY_MS : 0, err, errlen) < 0)
		return -1;
	live_set_weight(session_live(r->session), r->weight);
	if (cmd_group_apply(&r->grp, session_live(r->session)) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* a followed child's reader gets the target's weight and grouping */
static void follow_setup(struct live *l, void *arg)
{
	struct record *r = arg;

	live_set_weight(l, r->weight);
	cmd_group_apply(&r->grp, l);
}

/* fprof's labels: the label sets of the recorded segment */
static int record_labels(void *live, uint32_t id, const char **keys, const char **values, int max)
{
	return live_label_pairs(live, id, keys, values, max);
}

/* Writes the profile in its format and completes the output file: 0, or
 * -1 after saying why (an existing file is then left as it was). */
static int write_output(struct record *r, const char *title)
{
	struct fprof fp;
	int e;

	if (r->format == FORMAT_FTR) {
		e = ftr_end(r);
		if (e < 0) {
			outfile_fail(&r->out, -e);
			return -1;
		}
		return outfile_commit(&r->out);
	}
	fprof_init(&fp, profile_tree(r->profile), r->funcs, r->profile);
	if (r->session && session_live(r->session)) {
		fp.labels = record_labels;
		fp.labels_arg = session_live(r->session);
	}
	if (r->format == FORMAT_FOLDED && r->weight != LIVE_WEIGHT_SAMPLES)
		e = folded_write(r->out.f, fp.tree, fp.funcs, FOLDED_WEIGHT, 0);
	else
		e = format_write(r->format, r->out.f, &fp, title);

	if (e < 0) {
		outfile_fail(&r->out, -e);
		return -1;
	}
	return outfile_commit(&r->out);
}

/* The summary line.  The rate is per busy thread over the whole
 * recording: samples per second of the time they weigh (each sample
 * weighs its thread's CPU time since its previous sample in cpu mode,
 * wall time in wall mode), so threads do not add up and a short run is
 * not divided by time the threads did not run. */
static void summary(struct record *r, const char *what, double secs, const char *output)
{
	const struct ctnode *root = calltree_root(profile_tree(r->profile));
	struct live_stats st;
	double hz = 0;

	memset(&st, 0, sizeof st);
	if (r->session && session_live(r->session))
		session_stats(r->session, &st);
	if (live_weight_alloc(r->weight)) {
		char v[64];

		unit_format(profile_unit(r->profile), root->total_weight, v, sizeof v);
		cmd_note("recorded %.1f s of '%s', %llu allocation samples, %s %s, %llu lost, "
			 "written to %s",
			 secs, what, (unsigned long long)st.allocs, v, live_weight_name(r->weight),
			 (unsigned long long)st.lost, output ? output : "stdout");
		return;
	}
	if (root->total_weight)
		hz = root->total_count * 1e9 / root->total_weight;
	cmd_note("recorded %.1f s of '%s', %llu samples (%.1f Hz per busy thread), "
		 "%llu lost, written to %s",
		 secs, what, (unsigned long long)st.samples, hz, (unsigned long long)st.lost,
		 output ? output : "stdout");
	if (st.samples == 0)
		cmd_warning("no samples (the target ran too briefly, was idle in cpu mode, or "
			    "did not load the runtime)");
}

/* Short name of a command line for messages: its first word's basename. */
static void short_name(const char *cmdline, char *out, size_t len)
{
	size_t n = strcspn(cmdline, " ");
	const char *w = cmdline;
	for (const char *p = cmdline; p < cmdline + n; p++)
		if (*p == '/')
			w = p + 1;
	snprintf(out, len, "%.*s", (int)(cmdline + n - w), w);
}

/* Writes the folded stacks and the summary line naming what (a command
 * or path; its directory is left out).  0, or 1 after saying why. */
static int finish(struct record *r, const char *what, double secs)
{
	char name[64];

	if (cmd_alloc_missing(r->session ? session_live(r->session) : NULL, r->weight, what))
		return 1;
	short_name(what, name, sizeof name);
	if (write_output(r, name) < 0)
		return 1;
	summary(r, name, secs, r->output);
	return 0;
}

static int record_cmd(struct record *r, char **argv)
{
	char err[512];
	struct launch_opts lo = {
	    .freq_hz = r->freq,
	    .mode = r->mode,
	    /* kept, for the target alone (FLAMETOP_KEEP_SEGMENT names its
	     * pid, so the processes it starts do not keep theirs): a target
	     * that ends between the segment's appearance and our attach
	     * leaves it for us to read; we remove it once read */
	    .keep_segment = true,
	    .alloc_rate_set = r->alloc_rate >= 0,
	    .alloc_rate = r->alloc_rate >= 0 ? (uint64_t)r->alloc_rate : 0,
	    .follow = !r->no_children,
	};
	int status = -1, ret = 0;
	bool reaped = false, stopped_by_us = false;

	if (launch_check(argv[0], err, sizeof err) < 0) {
		cmd_error("%s", err);
		return 1;
	}
	const char *lib = launch_runtime_path(err, sizeof err);
	if (!lib) {
		cmd_error("%s", err);
		return 1;
	}
	if (open_output(r) < 0 || gc_log_open(r) < 0)
		return 1;
	uint64_t t0 = util_mono_ns();
	pid_t pid = launch_start(argv, &lo, err, sizeof err);
	if (pid < 0) {
		cmd_error("%s", err);
		return 1;
	}
	int w = launch_wait_segment(pid, SEGMENT_TIMEOUT_MS, &status);
	if (w == -ECHILD)
		reaped = true;
	if (w == -ETIMEDOUT) {
		status = launch_stop(pid, 500);
		reaped = true;
		launch_unlink_segment(pid);
		cmd_error("cannot record '%s': the runtime did not start "
			  "(no segment after %d s; is %s loadable?)",
			  argv[0], SEGMENT_TIMEOUT_MS / 1000, lib);
		return 1;
	}
	/* A target that exited at once has still left its segment (kept);
	 * one that ended without a segment gives an empty profile. */
	if (attach(r, pid, reaped ? 0 : pid, !reaped, err, sizeof err) < 0 &&
	    (!r->session || !reaped)) {
		if (r->session)
			session_poll(r->session); /* reaps a child that just ended */
		if (!r->session || !session_child_done(r->session)) {
			cmd_error("cannot record '%s': %s", argv[0], err);
			launch_stop(pid, 500);
			launch_unlink_segment(pid);
			return 1;
		}
	}
	if (!r->no_children)
		session_follow(r->session, follow_setup, r);
	if (session_live(r->session) && r->stats)
		stats_open(r, pid);
	if (session_live(r->session))
		gc_log_attach(r, pid, false);
	if (ftr_start(r) < 0) {
		launch_stop(pid, 500);
		launch_unlink_segment(pid);
		return 1;
	}

	enum session_end why = SESSION_ENDED;
	if (!reaped)
		why = run(r);
	stopped_by_us = why == SESSION_TIMEOUT;
	/* a Ctrl-C at the terminal reached the target too: give it a moment
	 * to end by itself, then stop it; a target that said it exited gets
	 * longer to finish its exit */
	if (reaped)
		session_drain(r->session);
	else
		status = session_stop(r->session,
				      why == SESSION_STOPPED ? 500
				      : why == SESSION_ENDED ? 5000
							     : 0,
				      2000);
	double secs = (util_mono_ns() - t0) / 1e9;
	if (r->stats)
		stats_print(r);
	launch_unlink_segment(pid);
	if (finish(r, argv[0], secs))
		return 1;

	if (stop_signal)
		ret = 128 + stop_signal;
	else if (stopped_by_us)
		ret = 0;
	else
		ret = util_exit_code(status);
	return ret;
}

static int record_pid(struct record *r)
{
	char err[512];

	if (attach(r, r->pid, 0, false, err, sizeof err) < 0) {
		cmd_attach_error(r->pid, err);
		return 1;
	}
	if (cmd_target_gone(r->pid))
		return 1;
	session_skip_backlog(r->session); /* record from now on, not the ring's past */
	if (r->stats)
		stats_open(r, r->pid);
	if (open_output(r) < 0 || gc_log_open(r) < 0)
		return 1;
	gc_log_attach(r, r->pid, true);
	if (ftr_start(r) < 0)
		return 1;
	uint64_t t0 = util_mono_ns();
	struct live_stats st;
	run(r);
	if (r->gc)
		gclog_poll(r->gc);
	double secs = (util_mono_ns() - t0) / 1e9;
	if (r->stats)
		stats_print(r);
	session_stats(r->session, &st);
	return finish(r, st.cmd[0] ? st.cmd : "?", secs);
}

struct record_args {
	unsigned freq;	 /* 0: the runtime's default */
	int mode;	 /* -1: the runtime's default */
	double duration; /* 0: until the target ends */
	const char *output;
	const char *format; /* NULL: from the output's name */
	pid_t pid;
	bool stats;
	struct cmd_group_opts grp;
	const char *gc_log;
	int weight;	    /* enum live_weight; -1: samples */
	int64_t alloc_rate; /* -1: the runtime's default */
	struct cmd_hide_opts hide;
	bool no_children;
};

static int record_main(void *args, int argc, char **argv)
{
	const struct record_args *a = args;
	struct record r = {
	    .freq = a->freq,
	    .mode = a->mode,
	    .duration = a->duration,
	    .output = a->output,
	    .pid = a->pid,
	    .stats = a->stats,
	    .grp = a->grp,
	    .gc_log_path = a->gc_log,
	    .weight = a->weight < 0 ? LIVE_WEIGHT_SAMPLES : (enum live_weight)a->weight,
	    .alloc_rate = a->alloc_rate,
	    .no_children = a->no_children,
	};
	struct hide *hide = NULL;
	int ret;

	if (r.pid && argc > 0) {
		cmd_usage_error("record", "give either -p PID or a command, not both");
		return 2;
	}
	if (!r.pid && argc == 0) {
		cmd_usage_error("record", "no command to run");
		return 2;
	}
	if (r.pid && (r.freq || r.mode >= 0 || r.alloc_rate >= 0))
		cmd_warning("-F, --mode and --alloc-rate are set by the target with -p");

	/* no -o: a recording; -o FILE: by its name */
	r.format = a->format   ? format_parse(a->format)
		   : a->output ? format_from_name(a->output)
			       : FORMAT_FTR;
	if (r.format == FORMAT_NONE) {
		cmd_usage_error("record", "unknown format '%s' (known: %s)", a->format,
				FORMAT_NAMES);
		return 2;
	}
	if (r.format == FORMAT_FTR &&
	    (r.weight == LIVE_WEIGHT_INUSE_BYTES || r.weight == LIVE_WEIGHT_INUSE_OBJECTS)) {
		cmd_usage_error("record",
				"a recording holds samples as they come: --weight %s needs "
				"another format (in use is known only at the end)",
				live_weight_name(r.weight));
		return 2;
	}
	/* no -o: a file in the current directory, as perf record's
	 * perf.data (the target's own output goes to standard output); "-o -"
	 * is standard output */
	if (!r.output)
		r.output = format_default_name(r.format);
	else if (!strcmp(r.output, "-"))
		r.output = NULL;
	r.funcs = funcs_new();
	r.profile = r.funcs ? profile_new(r.funcs) : NULL;
	if (!r.profile || cmd_hide_make(&a->hide, &hide) < 0) {
		cmd_error("out of memory");
		ret = 1;
		goto out_free;
	}
	profile_set_window(r.profile, 0);
	profile_set_hide(r.profile, hide);

	struct sigaction sa = {.sa_handler = on_stop};
	struct sigaction old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	ret = r.pid ? record_pid(&r) : record_cmd(&r, argv);

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out_free:
	segment_free(r.stats_seg);
	session_free(r.session);
	if (r.gc) {
		gclog_poll(r.gc);
		gclog_warn(r.gc);
	}
	gclog_free(r.gc);
	if (r.gc_out && fclose(r.gc_out) != 0 && ret == 0) {
		cmd_error("cannot write '%s': %s", r.gc_log_path, strerror(errno));
		ret = 1;
	}
	profile_free(r.profile);
	hide_free(hide);
	funcs_free(r.funcs);
	ftr_writer_free(r.ftr);
	free(r.ftr_names);
	free(r.ftr_labels);
	outfile_abort(&r.out); /* unless written */
	return ret;
}

static const struct cmd_option record_options[] = {
    OPT_TARGET_FREQ(struct record_args, freq),
    OPT_TARGET_MODE(struct record_args, mode),
    OPT_SECONDS("duration", 'd', "stop after SECONDS seconds (decimals allowed)",
		struct record_args, duration),
    OPT_STRING("output", 'o', "FILE",
	       "write the profile to FILE (default flametop.ftr, a recording; - for folded stacks "
	       "on standard output), in the format its name says",
	       struct record_args, output),
    OPT_STRING("format", 0, "FORMAT",
	       "write " FORMAT_NAMES " (default: by the name; ftr without -o, else folded)",
	       struct record_args, format),
    OPT_PID("pid", 'p', "record a running process instead of CMD", struct record_args, pid),
    OPT_FLAG("no-children", 0, "record CMD alone, not the processes it starts", struct record_args,
	     no_children),
    OPT_STRING("gc-log", 0, "FILE", "write a gctrace line per garbage collection to FILE",
	       struct record_args, gc_log),
    /* the runtime's counters on stderr, for make bench */
    OPT_FLAG("stats", 0, NULL, struct record_args, stats),
    OPT_WEIGHT("weight", 0,
	       "weigh by time, samples (default), alloc-bytes, alloc-objects, inuse-bytes or "
	       "inuse-objects",
	       struct record_args, weight),
    OPT_BYTES("alloc-rate", 0,
	      "sample one allocation per BYTES allocated, on average (default 512K, 0 for all)",
	      struct record_args, alloc_rate),
    OPT_GROUP(struct record_args, grp),
    OPT_HIDE(struct record_args, hide),
    OPT_END,
};

static const struct cmd_operand record_operands[] = {
    {"CMD [ARGS...]", "the command to record, with the runtime loaded"},
    {NULL, NULL},
};

const struct cmd cmd_record = {
    .name = "record",
    .follows_processes = true,
    .summary = "record a profile: a recording, folded stacks, pprof, speedscope or SVG",
    .usage = "record [-F HZ] [--mode cpu|wall] [--weight WEIGHT] [--alloc-rate BYTES] [-d SECONDS] "
	     "[--no-children] "
	     "[-o FILE] [--format FORMAT] [--group KEYS] [--label K=V] "
	     "[--hide REGEX] [--collapse-recursion] [--gc-log FILE] -- CMD [ARGS...]\n"
	     "record [--weight WEIGHT] [-d SECONDS] [-o FILE] [--format FORMAT] [--group KEYS] "
	     "[--label K=V] [--gc-log FILE] -p PID",
    .options = record_options,
    .operands = record_operands,
    CMD_ARGS(struct record_args, .mode = -1, .weight = -1, .alloc_rate = -1),
    .stop_at_operand = true,
    .fn = record_main,
};
