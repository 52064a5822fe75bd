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
	static const struct option opts[] = {
	    {"interval", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct app_opts ao = {0};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct live *l = NULL;
	struct source *src = NULL;
	char err[512];
	pid_t pid;
	int c, status = 1;

	setlocale(LC_ALL, "");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (launch_parse_interval(optarg, &ao.interval_ms, err, sizeof(err)) < 0) {
				cmd_bad_value("attach", err);
				return 2;
			}
			break;
		default:
			cmd_bad_option("attach", c, argv);
			return 2;
		}
	}
	if (argc - optind != 1) {
		cmd_usage("attach");
		return 2;
	}
	if (launch_parse_pid(argv[optind], &pid, err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: attach: '%s' is not a process id\n", argv[optind]);
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
		fprintf(stderr, "flametop: cannot attach to pid %d: %s\n", (int)pid, err);
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
