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
#include <getopt.h>
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
#include "source.h"
#include "util.h"

#define SEGMENT_WAIT_MS 10000
#define STOP_GRACE_MS 1000

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"mode", required_argument, NULL, 'm'},
	    {"stdin", no_argument, NULL, 's'},
	    {"keep", no_argument, NULL, 'k'},
	    {"interval", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct launch_opts lo = {.mode = -1, .stdin_path = "/dev/null", .keep_segment = true};
	struct app_opts ao = {0};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct live *l = NULL;
	struct source *src = NULL;
	char err[512], log_path[4096], how[64];
	const char *tmp;
	bool keep = false, stopped = false;
	int c, fd, rc, wstatus = 0, status = 1;
	pid_t pid;

	setlocale(LC_ALL, "");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:F:", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (launch_parse_freq(optarg, &lo.freq_hz, err, sizeof(err)) < 0)
				goto usage_err;
			break;
		case 'm':
			if (launch_parse_mode(optarg, &lo.mode, err, sizeof(err)) < 0)
				goto usage_err;
			break;
		case 's':
			lo.stdin_path = NULL;
			break;
		case 'k':
			keep = true;
			break;
		case 'i':
			if (launch_parse_interval(optarg, &ao.interval_ms, err, sizeof(err)) < 0)
				goto usage_err;
			break;
		default:
			cmd_bad_option("run", c, argv);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "flametop: no command to run\n");
		cmd_usage("run");
		return 2;
	}
	if (launch_check(argv[optind], err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: %s\n", err);
		return 1;
	}
	tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	/* a new file with an unpredictable name (O_EXCL, mode 0600): never
	 * an existing file or a symlink someone planted */
	if ((size_t)snprintf(log_path, sizeof(log_path), "%s/flametop-XXXXXX.log", tmp) >=
	    sizeof(log_path)) {
		fprintf(stderr, "flametop: TMPDIR is too long\n");
		return 1;
	}
	fd = mkostemps(log_path, 4, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "flametop: cannot create the output log in '%s': %s\n", tmp,
			strerror(errno));
		return 1;
	}
	close(fd);
	lo.out_path = log_path;

	pid = launch_start(argv + optind, &lo, err, sizeof(err));
	if (pid < 0) {
		fprintf(stderr, "flametop: %s\n", err);
		return 1;
	}
	rc = launch_wait_segment(pid, SEGMENT_WAIT_MS, &wstatus);
	if (rc == -ECHILD) {
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
			fprintf(stderr, "flametop: cannot run '%s' (see %s)\n", argv[optind],
				log_path);
		else {
			util_describe_status(wstatus, how, sizeof(how));
			fprintf(stderr,
				"flametop: '%s' ended before sampling started: %s (output in %s)\n",
				argv[optind], how, log_path);
		}
		launch_unlink_segment(pid);
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr,
			"flametop: no flametop segment from '%s' (pid %d) after %d s"
			" (did the runtime load? output in %s)\n",
			argv[optind], (int)pid, SEGMENT_WAIT_MS / 1000, log_path);
		goto out_stop;
	}
	f = funcs_new();
	p = f ? profile_new(f) : NULL;
	if (!p) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out_stop;
	}
	l = live_attach(pid, p, err, sizeof(err));
	if (!l) {
		fprintf(stderr, "flametop: cannot attach to pid %d: %s\n", (int)pid, err);
		goto out_stop;
	}
	ao.child_pid = keep ? 0 : pid;
	src = source_live(l, p, pid, log_path);
	if (!src) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out_stop;
	}
	if (app_run(src, &ao, err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: %s\n", err);
		goto out_stop;
	}
	status = 0;
out_stop:
	if (!src || source_child_running(src)) {
		if (keep && status == 0) {
			fprintf(stderr,
				"flametop: pid %d keeps running (--keep); its output goes to %s\n",
				(int)pid, log_path);
		} else {
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
			fprintf(stderr, "flametop: the target's output is in %s\n", log_path);
	}
	source_free(src);
	live_free(l);
	profile_free(p);
	funcs_free(f);
	return status;
usage_err:
	cmd_bad_value("run", err);
	return 2;
}
