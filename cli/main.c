/*
 * main.c - flametop's entry point: finds the subcommand and runs it.
 *
 * main() only dispatches (git's git.c): the subcommands live in
 * src/cmd-<name>.c and are listed in cmd_table (src/cmd-table.c); an entry
 * without a function is skipped everywhere.
 * "flametop CMD --help" is answered here from the table and from the
 * option descriptions below, so every command gets the same help shape.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "launch.h"

/* Options of each command, one per line, for "flametop CMD --help". */
static const struct cmd_help {
	const char *name;
	const char *options;
} cmd_helps[] = {
    {"run", "  -F, --freq HZ       samples per second per thread (1-1000, default 99)\n"
	    "  --mode cpu|wall     weigh by CPU time (default) or sample every thread\n"
	    "  --stdin             give CMD the terminal's input (default /dev/null)\n"
	    "  --keep              leave CMD running when the viewer quits\n"
	    "  --interval MS       refresh the screen every MS milliseconds (default 250)\n"
	    "\nPress ? in the viewer for its keys.\n"},
    {"attach", "  PID                 a process started with the runtime loaded\n"
	       "  --interval MS       refresh the screen every MS milliseconds (default 250)\n"
	       "\nQuitting the viewer leaves the process running.\n"},
    {"list", "  --clean             remove segments whose process is gone\n"},
    {"view", "  FILE                a folded-stack file (\"outer;inner COUNT\" lines): ours,\n"
	     "                      perf script | stackcollapse-perf.pl, inferno, py-spy raw\n"},
    {"demo", "  --interval MS       refresh the screen every MS milliseconds (default 250)\n"
	     "\nRuns the bundled demo program (a wide hot path, a deep recursion, a\n"
	     "sleeping thread) under the live viewer.\n"},
    {"record", "  -F, --freq HZ       samples per second per thread (1-1000, default 99)\n"
	       "  --mode cpu|wall     weigh by CPU time (default) or sample every thread\n"
	       "  -d, --duration SEC  stop after SEC seconds (decimals allowed)\n"
	       "  -o, --output FILE   write the folded stacks to FILE (default stdout)\n"
	       "  -p, --pid PID       record a running process instead of CMD\n"},
    {"report", "  --top N             show N functions (default 20, 0 for all)\n"
	       "  --json              print JSON instead of a table\n"
	       "  --count             weigh by sample count (live: default CPU/wall time)\n"
	       "  -d, --duration SEC  with -p: collect for SEC seconds (default 5)\n"
	       "  -p, --pid PID       report on a running process\n"
	       "  FILE                a folded-stack file, or - for stdin\n"},
    {NULL, NULL},
};

static const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (c->fn && !strcmp(c->name, name))
			return c;
	return NULL;
}

void cmd_usage(const char *name)
{
	for (const struct cmd *c = cmd_table; c->name; c++) {
		if (!strcmp(c->name, name)) {
			fprintf(stderr, "usage: flametop %s\n", c->usage);
			return;
		}
	}
	fprintf(stderr, "usage: flametop <command> [<args>]\n");
}

void cmd_bad_option(const char *name, int c, char **argv)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		fprintf(stderr,
			"flametop: %s: option '%s' needs a value (see flametop %s --help)\n", name,
			opt, name);
	else if (optopt && strncmp(opt, "--", 2) != 0)
		fprintf(stderr, "flametop: %s: unknown option '-%c' (see flametop %s --help)\n",
			name, optopt, name);
	else
		fprintf(stderr, "flametop: %s: unknown option '%s' (see flametop %s --help)\n",
			name, opt, name);
}

void cmd_bad_value(const char *name, const char *msg)
{
	fprintf(stderr, "flametop: %s: %s\n", name, msg);
}

int cmd_viewer_options(const char *name, int argc, char **argv, int *interval_ms)
{
	static const struct option opts[] = {
	    {"interval", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	char err[256];
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c != 'i') {
			cmd_bad_option(name, c, argv);
			return -2;
		}
		if (launch_parse_interval(optarg, interval_ms, err, sizeof(err)) < 0) {
			cmd_bad_value(name, err);
			return -2;
		}
	}
	return optind;
}

void cmd_attach_error(pid_t pid, const char *why)
{
	char num[16];
	const char *p;

	snprintf(num, sizeof num, " %d", (int)pid);
	p = strstr(why, num);
	if (p && (p[strlen(num)] < '0' || p[strlen(num)] > '9'))
		fprintf(stderr, "flametop: cannot attach: %s\n", why);
	else
		fprintf(stderr, "flametop: cannot attach to pid %d: %s\n", (int)pid, why);
}

bool cmd_target_gone(pid_t pid)
{
	if (kill(pid, 0) == 0 || errno != ESRCH)
		return false;
	cmd_attach_error(pid, "the process has exited (its segment is stale: "
			      "flametop list --clean removes it)");
	return true;
}

static void print_help(FILE *out)
{
	fprintf(out, "usage: flametop [--version] [--help] <command> [<args>]\n\n"
		     "flametop is a live flame-graph profiler for native programs.\n\n"
		     "commands:\n");
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (c->fn)
			fprintf(out, "   %-8s %s\n", c->name, c->summary);
	fprintf(out, "\nSee 'flametop <command> --help' or man flametop for details.\n");
}

static int print_cmd_help(const struct cmd *c)
{
	printf("usage: flametop %s\n\n%s\n", c->usage, c->summary);
	for (const struct cmd_help *h = cmd_helps; h->name; h++) {
		if (!strcmp(h->name, c->name)) {
			printf("\n%s", h->options);
			break;
		}
	}
	return 0;
}

/* True if args before a "--" ask for help. */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			const struct cmd *c = cmd_find(argv[2]);
			if (c)
				return print_cmd_help(c);
		}
		print_help(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("flametop %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (name[0] == '-') {
		fprintf(stderr, "flametop: unknown option '%s' (see flametop --help)\n", name);
		return 2;
	}
	const struct cmd *c = cmd_find(name);
	if (!c) {
		fprintf(stderr, "flametop: '%s' is not a flametop command (see flametop --help)\n",
			name);
		return 2;
	}
	if (wants_help(argc - 1, argv + 1))
		return print_cmd_help(c);
	int status = c->fn(argc - 1, argv + 1);
	if (fflush(stdout) != 0 && status == 0) {
		fprintf(stderr, "flametop: write error on standard output\n");
		status = 1;
	}
	return status;
}
