/*
 * cmd-table.c - the table of flametop's commands, in --help order.  Each
 * command is defined once, in its cli/cmd-<name>.c.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include "cmd.h"

const struct cmd *const cmd_table[] = {
    &cmd_run,	 &cmd_attach, &cmd_list,    &cmd_view,	&cmd_diff,    &cmd_demo,
    &cmd_record, &cmd_report, &cmd_convert, &cmd_coros, &cmd_gctrace, NULL,
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *const *c = cmd_table; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}
