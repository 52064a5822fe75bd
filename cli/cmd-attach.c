/*
 * cmd-attach.c - `flametop attach PID`: the live viewer on a process that
 * runs with the runtime.  Detaching (quitting) never disturbs the target;
 * any number of viewers may attach at once.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "funcs.h"
#include "live.h"
#include "profile.h"
#include "session.h"
#include "source.h"

struct attach_args {
	int interval_ms;
	struct cmd_group_opts grp;   /* --group, --label */
	int weight;		     /* --weight: enum live_weight, -1 time */
	struct cmd_hide_opts hide;   /* --hide, --collapse-recursion */
	struct shapes_config shapes; /* --wide-share ... */
};

static int attach_main(void *args, int argc, char **argv)
{
	const struct attach_args *a = args;
	struct app_opts ao = {.interval_ms = a->interval_ms, .shapes = &a->shapes};
	struct funcs *f = NULL;
	struct profile *p = NULL;
	struct session *ses = NULL;
	struct source *src = NULL;
	char err[512];
	pid_t pid;
	int status = 1;

	setlocale(LC_ALL, "");
	if (argc != 1) {
		if (argc)
			cmd_usage_error("attach", "unexpected argument '%s'", argv[1]);
		else
			cmd_usage_error("attach", "no process id given");
		return 2;
	}
	if (cmd_parse_pid(argv[0], &pid, err, sizeof(err)) < 0) {
		cmd_usage_error("attach", "'%s' is not a process id", argv[0]);
		return 2;
	}
	f = funcs_new();
	p = f ? profile_new(f) : NULL;
	ses = p ? session_new(pid, 0, p) : NULL;
	if (!ses) {
		cmd_error("out of memory");
		goto out;
	}
	if (session_attach(ses, 0, err, sizeof(err)) < 0) {
		cmd_attach_error(pid, err);
		goto out;
	}
	if (cmd_group_apply(&a->grp, session_live(ses)) < 0 ||
	    (a->weight >= 0 &&
	     live_set_weight(session_live(ses), (enum live_weight)a->weight) < 0)) {
		cmd_error("out of memory");
		goto out;
	}
	src = source_live(ses);
	if (cmd_view_source(&a->hide, src, &ao) == 0)
		status = 0;
out:
	source_free(src);
	session_free(ses);
	profile_free(p);
	funcs_free(f);
	return status;
}

static const struct cmd_option attach_options[] = {
    OPT_VIEWER_INTERVAL(struct attach_args, interval_ms),
    OPT_GROUP(struct attach_args, grp),
    OPT_VIEWER_WEIGHT(struct attach_args, weight),
    OPT_HIDE(struct attach_args, hide),
    OPT_SHAPES(struct attach_args, shapes),
    OPT_END,
};

static const struct cmd_operand attach_operands[] = {
    {"PID", "a process started with the runtime loaded"},
    {NULL, NULL},
};

const struct cmd cmd_attach = {
    .name = "attach",
    .follows_processes = true,
    .summary = "open the live viewer on a running process",
    .usage = "attach [--interval MS] [--group KEYS] [--label K=V] [--weight WEIGHT] [--hide REGEX] "
	     "[--collapse-recursion] PID",
    .options = attach_options,
    .operands = attach_operands,
    .notes = "Quitting the viewer leaves the process running.",
    CMD_ARGS(struct attach_args, .interval_ms = 0, .weight = -1, .shapes = SHAPES_CONFIG_DEFAULTS),
    .fn = attach_main,
};
