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
	const char *demo;
	char err[512];
	char *args[6];
	int c, n = 0, ms = 0;
	char msbuf[16];

	c = cmd_viewer_options("demo", argc, argv, &ms);
	if (c < 0)
		return -c;
	if (c < argc) {
		fprintf(stderr,
			"flametop: demo: unexpected argument '%s' (see flametop demo --help)\n",
			argv[c]);
		return 2;
	}
	demo = launch_demo_path(err, sizeof(err));
	if (!demo) {
		fprintf(stderr, "flametop: %s\n", err);
		return 1;
	}
	/* run [--interval MS] -- DEMO */
	args[n++] = "run";
	if (ms) {
		snprintf(msbuf, sizeof(msbuf), "%d", ms);
		args[n++] = "--interval";
		args[n++] = msbuf;
	}
	args[n++] = "--";
	args[n++] = (char *)demo;
	args[n] = NULL;
	return cmd_run(n, args);
}
