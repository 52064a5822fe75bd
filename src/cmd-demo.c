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
	const char *demo, *interval = NULL, *opt;
	char err[512], *end;
	char *args[6];
	int c, n = 0;
	long v;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 20 || v > 10000) {
				fprintf(stderr,
					"flametop: demo: --interval %s: must be 20-10000 "
					"milliseconds\n",
					optarg);
				cmd_usage("demo");
				return 2;
			}
			interval = optarg;
			break;
		default:
			opt = argv[optind - 1];
			if (c == ':')
				fprintf(stderr, "flametop: demo: option '%s' needs a value\n", opt);
			else if (optopt && strncmp(opt, "--", 2) != 0)
				fprintf(stderr, "flametop: demo: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "flametop: demo: unknown option '%s'\n", opt);
			cmd_usage("demo");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "flametop: demo: unexpected argument '%s'\n", argv[optind]);
		cmd_usage("demo");
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
