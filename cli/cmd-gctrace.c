/*
 * cmd-gctrace.c - flametop gctrace: one line per garbage collection.
 *
 *   flametop gctrace [--stack] [-d SECONDS] -p PID
 *
 * Prints the target's collections as they end, in the gctrace line
 * format of flametop(1) (gctimeline_format), beginning with those still
 * in its event ring.  Ends when the target exits, -d elapses or flametop
 * gets SIGINT/SIGTERM; exit status 0 then.  gctrace does not ask the
 * runtime to sample: the target pays only for its GC events.  The loop
 * is shared with report --gc (gc_follow).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "gctimeline.h"
#include "segment.h"
#include "util.h"

#define POLL_MS 50

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

int gc_follow(pid_t pid, FILE *out, bool from_now, double seconds, int summary, bool stacks)
{
	struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
	struct timespec tick = {0, POLL_MS * 1000000L};
	struct segment *probe;
	struct gclog *g;
	char err[256];
	uint64_t t0;
	int ret = 0;

	/* the usual attach checks and messages */
	probe = segment_attach(pid, err, sizeof(err));
	if (!probe) {
		cmd_attach_error(pid, err);
		return 1;
	}
	segment_free(probe);
	if (cmd_target_gone(pid))
		return 1;
	g = gclog_open(pid, out, from_now, err, sizeof(err));
	if (!g) {
		cmd_attach_error(pid, err);
		return 1;
	}
	if (stacks && gclog_stacks(g) < 0) {
		cmd_error("out of memory");
		gclog_free(g);
		return 1;
	}
	stop_signal = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	t0 = util_mono_ns();
	for (;;) {
		enum ft_state st = segment_state(gclog_segment(g), NULL);

		if (gclog_poll(g) < 0 || gclog_write_failed(g))
			break;
		if (stacks) /* stacks are taken while a viewer is there */
			segment_touch(gclog_segment(g));
		if (st == FT_STATE_EXITED || st == FT_STATE_FAILED || st == FT_STATE_EXECED ||
		    stop_signal)
			break;
		if (seconds > 0 && (double)(util_mono_ns() - t0) / 1e9 >= seconds)
			break;
		nanosleep(&tick, NULL);
	}
	gclog_poll(g);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (gclog_write_failed(g)) {
		cmd_error("cannot write gctrace lines: %s", strerror(errno));
		ret = 1;
	}
	gclog_warn(g);
	if (summary >= 0)
		gclog_report(g, stdout, summary == 1);
	gclog_free(g);
	return ret;
}

struct gctrace_args {
	double seconds;
	pid_t pid;
	bool stack;
};

static int gctrace_main(void *args, int argc, char **argv)
{
	const struct gctrace_args *a = args;

	if (argc > 0) {
		cmd_usage_error("gctrace", "unexpected argument '%s'", argv[0]);
		return 2;
	}
	if (!a->pid) {
		cmd_usage_error("gctrace", "no process given (-p PID)");
		return 2;
	}
	return gc_follow(a->pid, stdout, false, a->seconds, -1, a->stack);
}

static const struct cmd_option gctrace_options[] = {
    OPT_PID("pid", 'p', "the process to follow (started with the runtime)", struct gctrace_args,
	    pid),
    OPT_SECONDS("duration", 'd', "stop after SECONDS seconds (default: when it exits)",
		struct gctrace_args, seconds),
    OPT_FLAG("stack", 0, "follow each line with the stack that triggered it", struct gctrace_args,
	     stack),
    OPT_END,
};

const struct cmd cmd_gctrace = {
    .name = "gctrace",
    .follows_processes = true,
    .summary = "print a line per garbage collection of a process",
    .usage = "gctrace [--stack] [-d SECONDS] -p PID",
    .options = gctrace_options,
    .notes = "One line per collection, as it ends (see GCTRACE LINES in flametop(1)).",
    CMD_ARGS(struct gctrace_args, .seconds = 0),
    .fn = gctrace_main,
};
