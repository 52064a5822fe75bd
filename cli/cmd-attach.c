/*
 * cmd-attach.c - `flametop attach PID`: the live viewer on a process that
 * runs with the runtime.  Detaching (quitting) never disturbs the target;
 * any number of viewers may attach at once.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "funcs.h"
#include "launch.h"
#include "live.h"
#include "profile.h"
#include "source.h"

int cmd_attach(int argc, char **argv)
{
	struct app_opts ao = {0};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct live *l = NULL;
	struct source *src = NULL;
	char err[512];
	pid_t pid;
	int c, status = 1;

	setlocale(LC_ALL, "");
	c = cmd_viewer_options("attach", argc, argv, &ao.interval_ms);
	if (c < 0)
		return -c;
	if (argc - c != 1) {
		cmd_usage("attach");
		return 2;
	}
	if (launch_parse_pid(argv[c], &pid, err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: attach: '%s' is not a process id\n", argv[c]);
		return 2;
	}
	f = funcs_new();
	p = f ? profile_new(f) : NULL;
	if (!p) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out;
	}
	l = live_attach(pid, p, err, sizeof(err));
	if (!l) {
		cmd_attach_error(pid, err);
		goto out;
	}
	src = source_live(l, p, 0, NULL);
	if (!src) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out;
	}
	if (app_run(src, &ao, err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: %s\n", err);
		goto out;
	}
	status = 0;
out:
	source_free(src);
	live_free(l);
	profile_free(p);
	funcs_free(f);
	return status;
}
