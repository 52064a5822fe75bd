/*
 * cmd-list.c - flametop list: the processes flametop can attach to.
 *
 * Shows the current user's segments (cli/segments.c): pid, state, age and
 * command; removes the stale ones (their process died without saying
 * so), and with --clean every one whose process is gone.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "segments.h"

struct list_args {
	bool clean;
};

static void said_removed(const struct seg_entry *e)
{
	printf("removed %s segment of pid %d\n", e->state, (int)e->pid);
}

static int list_main(void *args, int argc, char **argv)
{
	const struct list_args *a = args;
	struct seg_entry *v;
	size_t n, removed = 0;
	char err[256];
	int ret = 0;

	if (argc > 0) {
		cmd_usage_error("list", "unexpected argument '%s'", argv[0]);
		return 2;
	}
	removed = (size_t)segments_reap_unpublished(said_removed);
	if (segments_scan(&v, &n, err, sizeof err) < 0) {
		cmd_error("%s", err);
		return 1;
	}
	if (n == 0) {
		printf("no flametop processes\n");
		free(v);
		return 0;
	}
	printf("%7s  %-8s %6s  %s\n", "PID", "STATE", "AGE", "COMMAND");
	for (size_t i = 0; i < n; i++)
		printf("%7d  %-8s %6s  %s%s\n", (int)v[i].pid, v[i].state, v[i].age,
		       v[i].container ? "[container] " : "", v[i].cmd);
	/* a stale segment of a process that no longer exists serves
	 * nobody: removed always (one whose pid exists may be one being
	 * created); --clean also removes those of gone processes that
	 * exited or are invalid, and stale ones whose pid was reused */
	for (size_t i = 0; i < n; i++) {
		if (!v[i].gone || (!a->clean && (v[i].alive || strcmp(v[i].state, "stale") != 0)))
			continue;
		if (unlink(v[i].path) < 0) {
			if (errno == ENOENT) /* another flametop was first */
				continue;
			cmd_error("cannot remove %s: %s", v[i].path, strerror(errno));
			ret = 1;
			continue;
		}
		said_removed(&v[i]);
		removed++;
	}
	if (a->clean && !removed)
		printf("nothing to clean\n");
	free(v);
	return ret;
}

static const struct cmd_option list_options[] = {
    OPT_FLAG("clean", 0, "also remove the segments of gone processes that exited", struct list_args,
	     clean),
    OPT_END,
};

const struct cmd cmd_list = {
    .name = "list",
    .summary = "list processes that can be attached to",
    .usage = "list [--clean]",
    .options = list_options,
    CMD_ARGS(struct list_args, .clean = false),
    .fn = list_main,
};
