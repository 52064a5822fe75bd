/*
 * main.c - flametop's entry point: finds the command and runs it.
 *
 * main() only dispatches (git's git.c): the commands are defined in
 * cli/cmd-<name>.c and listed in cmd_table (cli/cmd-table.c); cmd_exec
 * parses a command's options from its table and calls it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "segments.h"

int main(int argc, char **argv)
{
	const struct cmd *c;
	const char *name;
	int status;

	if (argc < 2) {
		cmd_list_commands(stderr);
		return 2;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		c = argc > 2 && !strcmp(name, "help") ? cmd_find(argv[2]) : NULL;
		if (c)
			cmd_help(c, stdout);
		else
			cmd_list_commands(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("flametop %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (name[0] == '-') {
		cmd_error("unknown option '%s' (see flametop --help)", name);
		return 2;
	}
	c = cmd_find(name);
	if (!c) {
		cmd_error("'%s' is not a flametop command (see flametop --help)", name);
		return 2;
	}
	if (c->follows_processes)
		segments_reap(false, NULL);
	status = cmd_exec(c, argc - 1, argv + 1);
	if (fflush(stdout) != 0 && status == 0) {
		cmd_error("cannot write to standard output: %s", strerror(errno));
		status = 1;
	}
	return status;
}
