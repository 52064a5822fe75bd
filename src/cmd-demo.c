/*
 * cmd-demo.c - `flametop demo`: `flametop run` on the bundled demo.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "launch.h"

int cmd_demo(int argc, char **argv)
{
	const char *demo;
	char err[512];
	char **args;
	int i, n = 0, status;

	demo = launch_demo_path(err, sizeof(err));
	if (!demo) {
		fprintf(stderr, "flametop: %s\n", err);
		return 1;
	}
	/* run [the demo's own options] -- DEMO */
	args = calloc((size_t)argc + 3, sizeof(*args));
	if (!args) {
		fprintf(stderr, "flametop: out of memory\n");
		return 1;
	}
	args[n++] = "run";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n++] = "--";
	args[n++] = (char *)demo;
	args[n] = NULL;
	status = cmd_run(n, args);
	free(args);
	return status;
}
