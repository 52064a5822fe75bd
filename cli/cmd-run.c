/*
 * cmd-run.c - `flametop run [options] -- CMD [ARGS...]`: starts CMD with
 * the runtime preloaded and opens the live viewer on it at once.
 *
 * The target's standard output and error go to a log file (the output
 * pane shows its tail) and its standard input is /dev/null unless --stdin,
 * so nothing it prints lands on the screen.  Quitting stops the target
 * (SIGTERM, SIGKILL after a second) unless --keep; the segment, kept for
 * us by the runtime, is removed afterwards.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "cmd.h"
#include "funcs.h"
#include "launch.h"
#include "live.h"
#include "profile.h"
#include "session.h"
#include "source.h"
#include "util.h"

#define SEGMENT_WAIT_MS 10000
#define STOP_GRACE_MS 1000

/* a followed child's reader gets the target's grouping and weight */
static void follow_setup(struct live *l, void *arg)
{
	const struct run_args *a = arg;

	cmd_group_apply(&a->grp, l);
	if (a->weight >= 0)
		live_set_weight(l, (enum live_weight)a->weight);
}

static int run_main(void *args, int argc, char **argv)
{
	const struct run_args *a = args;
	struct launch_opts lo = {
	    .freq_hz = a->freq,
	    .mode = a->mode,
	    .stdin_path = a->stdin_tty ? NULL : "/dev/null",
	    .keep_segment = true,
	    .follow = !a->no_children,
	};
	struct app_opts ao = {.interval_ms = a->interval_ms, .shapes = &a->shapes};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct session *ses = NULL;
	struct source *src = NULL;
	char err[512], log_path[4096], how[64];
	const char *tmp;
	bool keep = a->keep, stopped = false;
	int fd, rc, wstatus = 0, status = 1;
	pid_t pid;

	setlocale(LC_ALL, "");
	if (argc < 1) {
		cmd_usage_error("run", "no command to run");
		return 2;
	}
	/* everything that can refuse refuses before the command runs */
	if (launch_check(argv[0], err, sizeof(err)) < 0 ||
	    app_check_terminal(err, sizeof(err)) < 0) {
		cmd_error("%s", err);
		return 1;
	}
	tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	/* a new file with an unpredictable name (O_EXCL, mode 0600): never
	 * an existing file or a symlink someone planted */
	if ((size_t)snprintf(log_path, sizeof(log_path), "%s/flametop-XXXXXX.log", tmp) >=
	    sizeof(log_path)) {
		cmd_error("TMPDIR is too long");
		return 1;
	}
	fd = mkostemps(log_path, 4, O_CLOEXEC);
	if (fd < 0) {
		cmd_error("cannot create the output log in '%s': %s", tmp, strerror(errno));
		return 1;
	}
	close(fd);
	lo.out_path = log_path;

	pid = launch_start(argv, &lo, err, sizeof(err));
	if (pid < 0) {
		cmd_error("%s", err);
		return 1;
	}
	rc = launch_wait_segment(pid, SEGMENT_WAIT_MS, &wstatus);
	if (rc == -ECHILD) {
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
			cmd_error("cannot run '%s' (see %s)", argv[0], log_path);
		else {
			util_describe_status(wstatus, how, sizeof(how));
			cmd_error("'%s' ended before sampling started: %s (output in %s)", argv[0],
				  how, log_path);
		}
		launch_unlink_segment(pid);
		return 1;
	}
	if (rc < 0) {
		cmd_error("no flametop segment from '%s' (pid %d) after %d s"
			  " (did the runtime load? output in %s)",
			  argv[0], (int)pid, SEGMENT_WAIT_MS / 1000, log_path);
		goto out_stop;
	}
	f = funcs_new();
	p = f ? profile_new(f) : NULL;
	ses = p ? session_new(pid, pid, p) : NULL;
	if (!ses) {
		cmd_error("out of memory");
		goto out_stop;
	}
	if (session_attach(ses, 0, err, sizeof(err)) < 0) {
		cmd_error("cannot attach to pid %d: %s", (int)pid, err);
		goto out_stop;
	}
	if (cmd_group_apply(&a->grp, session_live(ses)) < 0 ||
	    (a->weight >= 0 &&
	     live_set_weight(session_live(ses), (enum live_weight)a->weight) < 0)) {
		cmd_error("out of memory");
		goto out_stop;
	}
	if (!a->no_children)
		session_follow(ses, follow_setup, (void *)a);
	ao.child_pid = keep ? 0 : pid;
	src = source_live(ses, log_path);
	if (!src || cmd_hide_source(&a->hide, src) < 0) {
		cmd_error("out of memory");
		goto out_stop;
	}
	if (app_run(src, &ao, err, sizeof(err)) < 0) {
		cmd_error("%s", err);
		goto out_stop;
	}
	/* the command ended on its own: its status, as time(1) gives it;
	 * ended by the viewer (q): 0 */
	if (session_child_done(ses))
		status = util_exit_code(session_child_status(ses));
	else
		status = 0;
out_stop:
	if (!src || source_child_running(src)) {
		if (keep && status == 0) {
			cmd_note("pid %d keeps running (--keep); its output goes to %s", (int)pid,
				 log_path);
		} else {
			if (ses)
				session_stop(ses, 0, STOP_GRACE_MS);
			else
				launch_stop(pid, STOP_GRACE_MS);
			stopped = true;
		}
	} else {
		stopped = true;
	}
	/* a target left running keeps its segment, so others may attach */
	if (stopped)
		launch_unlink_segment(pid);
	/* the log stays only if the target wrote something (or still may) */
	if (stopped && src) {
		struct stat st;

		if (stat(log_path, &st) == 0 && st.st_size == 0)
			unlink(log_path);
		else
			cmd_note("the target's output is in %s", log_path);
	}
	source_free(src);
	session_free(ses);
	profile_free(p);
	funcs_free(f);
	return status;
}

static const struct cmd_option run_options[] = {
    OPT_TARGET_FREQ(struct run_args, freq),
    OPT_TARGET_MODE(struct run_args, mode),
    OPT_FLAG("stdin", 0, "give CMD the terminal's input (default /dev/null)", struct run_args,
	     stdin_tty),
    OPT_FLAG("keep", 0, "leave CMD running when the viewer quits", struct run_args, keep),
    OPT_FLAG("no-children", 0, "profile CMD alone, not the processes it starts", struct run_args,
	     no_children),
    OPT_VIEWER_INTERVAL(struct run_args, interval_ms),
    OPT_GROUP(struct run_args, grp),
    OPT_VIEWER_WEIGHT(struct run_args, weight),
    OPT_HIDE(struct run_args, hide),
    OPT_SHAPES(struct run_args, shapes),
    OPT_END,
};

static const struct cmd_operand run_operands[] = {
    {"CMD [ARGS...]", "the command to run, with the runtime loaded"},
    {NULL, NULL},
};

const struct cmd cmd_run = {
    .name = "run",
    .follows_processes = true,
    .summary = "run a command under the live viewer",
    .usage =
	"run [-F HZ] [--mode cpu|wall] [--stdin] [--keep] [--no-children] [--interval MS] [--group "
	"KEYS] "
	"[--label K=V] [--weight WEIGHT] [--hide REGEX] [--collapse-recursion] -- CMD [ARGS...]",
    .options = run_options,
    .operands = run_operands,
    .notes = "Press ? in the viewer for its keys.",
    CMD_ARGS(struct run_args, RUN_DEFAULTS),
    .stop_at_operand = true,
    .fn = run_main,
};
