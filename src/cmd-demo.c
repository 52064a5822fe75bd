/*
 * cmd-demo.c - `flametop demo [--interval MS]`: `flametop run` on the
 * bundled demo.  It takes no other option and no argument: the demo is
 * the command.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "launch.h"

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"interval", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	const char *demo, *interval = NULL;
	char err[512];
	char *args[6];
	int c, n = 0, ms;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (launch_parse_interval(optarg, &ms, err, sizeof(err)) < 0) {
				cmd_bad_value("demo", err);
				return 2;
			}
			interval = optarg;
			break;
		default:
			cmd_bad_option("demo", c, argv);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"flametop: demo: unexpected argument '%s' (see flametop demo --help)\n",
			argv[optind]);
		return 2;
	}
	demo = launch_demo_path(err, sizeof(err));
	if (!demo) {
		fprintf(stderr, "flametop: %s\n", err);
		return 1;
	}
	/* run [--interval MS] -- DEMO */
	args[n++] = "run";
	if (interval) {
		args[n++] = "--interval";
		args[n++] = (char *)interval;
	}
	args[n++] = "--";
	args[n++] = (char *)demo;
	args[n] = NULL;
	return cmd_run(n, args);
}
