/*
 * cmd-demo.c - `flametop demo [--interval MS]`: `flametop run` on the
 * bundled demo.  It takes no other option and no operand: the demo is
 * the command.
 */
#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "launch.h"

static int demo_main(void *args, int argc, char **argv)
{
	char err[512];
	char *demo[2] = {NULL, NULL};

	if (argc > 0) {
		cmd_usage_error("demo", "unexpected argument '%s'", argv[0]);
		return 2;
	}
	demo[0] = (char *)launch_demo_path(err, sizeof(err));
	if (!demo[0]) {
		cmd_error("%s", err);
		return 1;
	}
	return cmd_run.fn(args, 1, demo);
}

static const struct cmd_option demo_options[] = {
    OPT_VIEWER_INTERVAL(struct run_args, interval_ms),
    OPT_END,
};

const struct cmd cmd_demo = {
    .name = "demo",
    .summary = "run the bundled demo under the live viewer",
    .usage = "demo [--interval MS]",
    .options = demo_options,
    .notes = "Runs the bundled demo program (a wide hot path, a deep recursion, a\n"
	     "sleeping thread) under the live viewer.",
    CMD_ARGS(struct run_args, RUN_DEFAULTS),
    .fn = demo_main,
};
