/*
 * cmd.h - the subcommands of flametop.
 *
 * Each subcommand lives in src/cmd-<name>.c and exports one entry
 * function; src/cmd-table.c lists them, main.c dispatches.  An entry gets
 * argv with argv[0] = the subcommand name and returns the process exit
 * status (0 ok, 1 failure, 2 usage error).  Only cmd-*.c and main.c
 * print and choose exit codes.
 */
#ifndef FT_CMD_H
#define FT_CMD_H

#include <stdbool.h>
#include <sys/types.h>

struct cmd {
	const char *name;
	const char *usage;   /* one line: "record [options] -- CMD [ARGS...]" */
	const char *summary; /* one line for flametop --help */
	int (*fn)(int argc, char **argv);
};

/* The table, ending with a zeroed entry. */
extern const struct cmd cmd_table[];

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/* Prints "usage: flametop <usage>" for the named command to stderr. */
void cmd_usage(const char *name);

/* Reports getopt's '?' (unknown option) or ':' (missing value; opterr is
 * 0 and optstring starts with ':') for the named command as one line on
 * stderr, pointing to its --help. */
void cmd_bad_option(const char *name, int c, char **argv);

/* Reports a bad option value (msg) for the named command, one line. */
void cmd_bad_value(const char *name, const char *msg);

/* Parses the options of a viewer command that takes only --interval MS
 * (into *interval_ms, left alone when absent): the index of the first
 * operand, or -2 after printing the error (the exit status, negated). */
int cmd_viewer_options(const char *name, int argc, char **argv, int *interval_ms);

/* For the headless -p commands: true, after saying so, when pid has
 * exited and only its stale segment is left. */
bool cmd_target_gone(pid_t pid);

/* Reports a failed attach as "flametop: cannot attach to pid N: why",
 * without naming the pid twice when why already does. */
void cmd_attach_error(pid_t pid, const char *why);

#endif
