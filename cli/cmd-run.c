/*
 * cmd-run.c - `flametop run [options] -- CMD [ARGS...]`: starts CMD with
 * the runtime preloaded and opens the live viewer on it at once.
 *
 * CMD gets a terminal of its own, a pty sized to the output pane: its
 * standard output and error, its /dev/tty, and its standard input when
 * ours is a terminal (otherwise our standard input, a file or a pipe,
 * passes to it unchanged).  The viewer reads the pty and shows it in the
 * output pane; I types into it.  Quitting stops the target (SIGTERM,
 * SIGKILL after a second) unless --keep: then the pty is handed to a
 * small process of its own that copies what the target writes to a log
 * file until the target and everything it started closed the terminal,
 * so the target never gets SIGHUP nor blocks on a full terminal.  The
 * segment, kept for us by the runtime, is removed afterwards.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "cmd.h"
#include "funcs.h"
#include "launch.h"
#include "live.h"
#include "pane.h"
#include "profile.h"
#include "session.h"
#include "source.h"
#include "util.h"
#include "vtpane.h"

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

/* What the target wrote before it ended, on our standard error (it ended
 * before the viewer opened: its last words explain why). */
static void show_output(struct vtpane *term)
{
	while (vtpane_read(term, 1 << 20) > 0)
		;
	fflush(stderr);
	vtpane_write_text(term, STDERR_FILENO);
}

/* The drain, in a process of its own: copies the pty to the log until
 * nobody holds the slave.  cat when there is one (it holds none of the
 * viewer's memory), else a loop in this copy of flametop. */
static _Noreturn void drain(int master, int log)
{
	char buf[16384];
	ssize_t n;
	int null = open("/dev/null", O_RDWR);

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	setsid();
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) & ~O_NONBLOCK);
	if (dup2(master, 0) < 0 || dup2(log, 1) < 0 || (null >= 0 && dup2(null, 2) < 0))
		_exit(1);
	execl("/bin/cat", "cat", (char *)NULL);
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || write(1, buf, (size_t)n) != n)
			_exit(0);
	}
}

/* --keep: the pty goes to a drain writing into a new log file in TMPDIR,
 * which starts with what the terminal showed.  0 and the file's name in
 * path, or -1 with a message. */
static int hand_over(struct vtpane *term, char *path, size_t len, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	int log, master, e;
	pid_t pid;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	/* a new file with an unpredictable name (O_EXCL, mode 0600): never
	 * an existing file or a symlink someone planted */
	if ((size_t)snprintf(path, len, "%s/flametop-XXXXXX.log", tmp) >= len) {
		snprintf(err, errlen, "TMPDIR is too long");
		return -1;
	}
	log = mkostemps(path, 4, O_CLOEXEC | O_APPEND);
	if (log < 0) {
		snprintf(err, errlen, "cannot create the output log in '%s': %s", tmp,
			 strerror(errno));
		return -1;
	}
	while (vtpane_read(term, 1 << 20) > 0)
		;
	vtpane_write_text(term, log);
	master = vtpane_take_fd(term);
	if (master < 0) {
		/* everything that wrote to it has closed it: nothing to drain */
		close(log);
		return 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* a grandchild, so that it is nobody's zombie */
		if (fork() == 0)
			drain(master, log);
		_exit(0);
	}
	e = errno;
	close(master);
	close(log);
	if (pid < 0) {
		snprintf(err, errlen, "cannot keep the target's output: %s", strerror(e));
		return -1;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return 0;
}

static int run_main(void *args, int argc, char **argv)
{
	const struct run_args *a = args;
	struct launch_opts lo = {
	    .freq_hz = a->freq,
	    .mode = a->mode,
	    .keep_segment = true,
	    .follow = !a->no_children,
	    .use_tty = true,
	    /* our standard input, when it is not the terminal (a file, a
	     * pipe), is the target's as it is */
	    .tty_stdin = isatty(STDIN_FILENO),
	};
	struct app_opts ao = {.interval_ms = a->interval_ms, .shapes = &a->shapes};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct session *ses = NULL;
	struct source *src = NULL;
	struct vtpane *term = NULL;
	struct winsize ws;
	char err[512], log_path[4096], how[64];
	bool keep = a->keep, stopped = false;
	int master, slave, rows, cols, rc, wstatus = 0, status = 1;
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
	/* its terminal, with our terminal's settings, as big as the pane */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0 || ws.ws_row == 0)
		ws = (struct winsize){.ws_row = 24, .ws_col = 80};
	pane_term_size(ws.ws_col, ws.ws_row, &rows, &cols);
	if (vtpane_open(rows, cols, STDOUT_FILENO, &master, &slave, err, sizeof(err)) < 0) {
		cmd_error("%s", err);
		return 1;
	}
	term = vtpane_new(master, rows, cols, VTPANE_SCROLLBACK);
	if (!term) {
		close(master);
		close(slave);
		cmd_error("out of memory");
		return 1;
	}
	lo.tty_fd = slave;
	pid = launch_start(argv, &lo, err, sizeof(err));
	/* the target holds it now: when it and its children close it, the
	 * master reads end of file */
	close(slave);
	if (pid < 0) {
		show_output(term);
		cmd_error("%s", err);
		vtpane_free(term);
		return 1;
	}
	rc = launch_wait_segment(pid, SEGMENT_WAIT_MS, &wstatus);
	if (rc == -ECHILD) {
		show_output(term);
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
			cmd_error("cannot run '%s'", argv[0]);
		else {
			util_describe_status(wstatus, how, sizeof(how));
			cmd_error("'%s' ended before sampling started: %s", argv[0], how);
		}
		launch_unlink_segment(pid);
		vtpane_free(term);
		return 1;
	}
	if (rc < 0) {
		cmd_error("no flametop segment from '%s' (pid %d) after %d s"
			  " (did the runtime load?)",
			  argv[0], (int)pid, SEGMENT_WAIT_MS / 1000);
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
	ao.term = term;
	ao.typing = a->stdin_tty;
	src = source_live(ses);
	if (cmd_view_source(&a->hide, src, &ao) < 0)
		goto out_stop;
	/* the command ended on its own: its status, as time(1) gives it;
	 * ended by the viewer (q): 0 */
	if (session_child_done(ses))
		status = util_exit_code(session_child_status(ses));
	else
		status = 0;
out_stop:
	if (!src || source_child_running(src)) {
		if (keep && status == 0 &&
		    hand_over(term, log_path, sizeof(log_path), err, sizeof(err)) == 0) {
			cmd_note("pid %d keeps running (--keep); its output goes to %s", (int)pid,
				 log_path);
		} else {
			if (keep && status == 0)
				cmd_error("%s", err);
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
	source_free(src);
	session_free(ses);
	profile_free(p);
	funcs_free(f);
	vtpane_free(term);
	return status;
}

static const struct cmd_option run_options[] = {
    OPT_TARGET_FREQ(struct run_args, freq),
    OPT_TARGET_MODE(struct run_args, mode),
    OPT_FLAG("stdin", 0, "start with the keys going to CMD's terminal (as I does; C-] comes back)",
	     struct run_args, stdin_tty),
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
