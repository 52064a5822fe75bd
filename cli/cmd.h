/*
 * cmd.h - flametop's commands, each defined once.
 *
 * A command is one `struct cmd`, exported by cli/cmd-<name>.c: its name,
 * a one-line summary, its usage, its operands and a table of options.
 * That table is the only place an option is defined: the parser
 * (cli/options.c), `flametop CMD --help` and the test that checks
 * flametop(1) all read it (git's parse-options, perf's OPT_*).  main.c
 * finds the command in cmd_table (cli/cmd-table.c) and hands it to
 * cmd_exec, which parses the options into a copy of the command's
 * defaults and calls the command with its operands.
 *
 * Only cli/ prints and chooses exit codes (0 ok, 1 failure, 2 usage
 * error), and every message goes through the helpers below, so that all
 * commands speak alike:
 *
 *   flametop: cannot open 'x': No such file or directory     failure
 *   flametop: record: -F 0: frequency must be 1-1000 Hz (see flametop record --help)
 *   flametop: warning: no samples (...)
 */
#ifndef FT_CMD_H
#define FT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "group.h"
#include "live.h"
#include "shapes.h"

/*
 * One option.  `offset` is the field it sets in the command's arguments
 * (a struct of the command's own); `parse` turns the value into that
 * field, or fills err with why not ("frequency must be 1-1000 Hz": the
 * parser adds the option and value as the user wrote them).  A flag has
 * no parse function: it sets a bool to true.
 */
struct cmd_option {
	const char *long_name; /* "freq": every option has one */
	char short_name;       /* 'F', or 0 */
	const char *arg;       /* the value's name in help ("HZ"); NULL for a flag */
	const char *help;      /* one line for --help; NULL hides the option */
	size_t offset;
	int (*parse)(const char *s, void *field, char *err, size_t errlen);
};

/* An operand, for --help: "PID", "a process started with the runtime". */
struct cmd_operand {
	const char *name;
	const char *help;
};

struct cmd {
	const char *name;
	const char *summary; /* one line for flametop --help */
	/* after "flametop ": one form per line, for usage and flametop(1) */
	const char *usage;
	const struct cmd_option *options;   /* ends with OPT_END */
	const struct cmd_operand *operands; /* ends with {NULL}; or NULL */
	const char *notes;		    /* closing paragraph of --help, or NULL */
	const void *defaults;		    /* the arguments before any option */
	size_t args_size;
	/* options end at the first operand (it starts a command line) */
	bool stop_at_operand;
	/* it follows live processes: the segments of processes that died
	 * without saying so are removed first (cli/segments.c) */
	bool follows_processes;
	/* args: the parsed options (the command's struct); argv: the
	 * operands, argc of them.  Returns the exit status. */
	int (*fn)(void *args, int argc, char **argv);
};

/* Fills .defaults and .args_size of a struct cmd: CMD_ARGS(struct x, .a = 1) */
#define CMD_ARGS(T, ...) .defaults = &(const T){__VA_ARGS__}, .args_size = sizeof(T)

/* The offset of field f of T, which must have type ctype (a compile error
 * otherwise, so a table cannot write an int into a double). */
#define CMD_FIELD(T, f, ctype) (offsetof(T, f) + 0 * sizeof(_Generic(((T *)0)->f, ctype : 1)))

/* Option table entries, by the type of the field they set. */
#define OPT_FLAG(l, s, help, T, f)                                                                 \
	{                                                                                          \
		l, s, NULL, help, CMD_FIELD(T, f, bool), NULL                                      \
	}
#define OPT_STRING(l, s, arg, help, T, f)                                                          \
	{                                                                                          \
		l, s, arg, help, CMD_FIELD(T, f, const char *), cmd_parse_string                   \
	}
/* samples per second per thread, 1-1000 */
#define OPT_FREQ(l, s, help, T, f)                                                                 \
	{                                                                                          \
		l, s, "HZ", help, CMD_FIELD(T, f, unsigned), cmd_parse_freq                        \
	}
/* cpu or wall: FT_MODE_CPU / FT_MODE_WALL */
#define OPT_MODE(l, s, help, T, f)                                                                 \
	{                                                                                          \
		l, s, "cpu|wall", help, CMD_FIELD(T, f, int), cmd_parse_mode                       \
	}
/* a positive number of seconds, decimals allowed */
#define OPT_SECONDS(l, s, help, T, f)                                                              \
	{                                                                                          \
		l, s, "SECONDS", help, CMD_FIELD(T, f, double), cmd_parse_seconds                  \
	}
#define OPT_PID(l, s, help, T, f)                                                                  \
	{                                                                                          \
		l, s, "PID", help, CMD_FIELD(T, f, pid_t), cmd_parse_pid                           \
	}
/* the viewer's refresh interval, 20-10000 ms */
#define OPT_INTERVAL(l, s, help, T, f)                                                             \
	{                                                                                          \
		l, s, "MS", help, CMD_FIELD(T, f, int), cmd_parse_interval                         \
	}
/* -F HZ and --mode of the commands that start a target */
#define OPT_TARGET_FREQ(T, f)                                                                      \
	OPT_FREQ("freq", 'F', "samples per second per thread (1-1000, default 99)", T, f)
#define OPT_TARGET_MODE(T, f)                                                                      \
	OPT_MODE("mode", 0, "weigh by CPU time (default) or sample every thread", T, f)
/* --interval MS of the commands that open the viewer */
#define OPT_VIEWER_INTERVAL(T, f)                                                                  \
	OPT_INTERVAL("interval", 0, "refresh the screen every MS milliseconds (default 250)", T, f)
/* a count, 0 or more */
#define OPT_COUNT(l, s, arg, help, T, f)                                                           \
	{                                                                                          \
		l, s, arg, help, CMD_FIELD(T, f, size_t), cmd_parse_count                          \
	}
/* what a profile weighs: an enum live_weight, -1 when not given */
#define OPT_WEIGHT(l, s, help, T, f)                                                               \
	{                                                                                          \
		l, s, "WEIGHT", help, CMD_FIELD(T, f, int), cmd_parse_weight                       \
	}
/* a number of bytes, 0 to CMD_BYTES_MAX, with K, M or G; -1 when not given */
#define CMD_BYTES_MAX (1ull << 30)
#define OPT_BYTES(l, s, help, T, f)                                                                \
	{                                                                                          \
		l, s, "BYTES", help, CMD_FIELD(T, f, int64_t), cmd_parse_bytes                     \
	}
#define OPT_END                                                                                    \
	{                                                                                          \
		NULL, 0, NULL, NULL, 0, NULL                                                       \
	}

/* The value parsers of the option types: 0, or -EINVAL with a message. */
int cmd_parse_string(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_freq(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_mode(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_seconds(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_pid(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_interval(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_count(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_weight(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_bytes(const char *s, void *field, char *err, size_t errlen);

/* The commands, in --help order, ending with NULL (cmd-table.c). */
extern const struct cmd *const cmd_table[];

extern const struct cmd cmd_run, cmd_attach, cmd_list, cmd_view, cmd_demo, cmd_record, cmd_report,
    cmd_coros;
extern const struct cmd cmd_gctrace, cmd_convert, cmd_diff;

/* The command called name, or NULL. */
const struct cmd *cmd_find(const char *name);

/* run's arguments, which demo shares (demo is run on the bundled demo). */

/*
 * options.c: parsing and help, from the tables.
 */

enum cmd_parse_result {
	CMD_PARSE_OK,	 /* *first is the index of the first operand */
	CMD_PARSE_HELP,	 /* --help or -h: the help was printed */
	CMD_PARSE_ERROR, /* the error was printed; exit 2 */
};

/* Parses argv (argv[0] is the command's name) into args, which holds the
 * command's defaults. */
enum cmd_parse_result cmd_parse(const struct cmd *c, void *args, int argc, char **argv, int *first);

/* Runs command c on argv (argv[0] is its name): parses, then calls it.
 * Returns the exit status. */
int cmd_exec(const struct cmd *c, int argc, char **argv);

/* Writes "flametop CMD --help": usage, summary, options, operands, notes. */
void cmd_help(const struct cmd *c, FILE *out);

/* Writes "flametop --help": the commands and their summaries. */
void cmd_list_commands(FILE *out);

/*
 * messages.c: every message of every command.
 */

/* "flametop: MSG" on stderr: a failure. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "flametop: MSG" on stderr: what happened, when it is not a failure. */
void cmd_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "flametop: warning: MSG" on stderr. */
void cmd_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "flametop: CMD: MSG (see flametop CMD --help)" on stderr: a usage
 * error of the command called name (the caller exits with 2). */
void cmd_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For the headless -p commands: true, after saying so, when pid has
 * exited and only its stale segment is left. */
bool cmd_target_gone(pid_t pid);

/* For the allocation weights: true, after saying why, when l (NULL:
 * nothing attached) read no allocation sample of the target called
 * what. */
bool cmd_alloc_missing(struct live *l, enum live_weight w, const char *what);

/* Reads the recording at path (ftr.h), its functions into f: 0 with *rec
 * set, or -1 after saying why.  One cut short is read up to its last
 * complete block, and a warning says so. */
struct ftr;
struct funcs;
int cmd_read_recording(const char *path, struct funcs *f, struct ftr **rec);

/* Reports a failed attach as "flametop: cannot attach to pid N: why",
 * without naming the pid twice when why already does. */
void cmd_attach_error(pid_t pid, const char *why);

/*
 * cmd-group.c: --group and --label of record and report, JSON strings.
 */

struct cmd_group_opts {
	struct group g;
	bool grouped;
	struct label_filter filt[GROUP_MAX];
	int nfilt;
};

/* --group KEYS into a struct cmd_group_opts; --label KEY=VALUE appended
 * to one (repeatable). */
int cmd_parse_group(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_label(const char *s, void *field, char *err, size_t errlen);
#define OPT_GROUP(T, f)                                                                            \
	{"group",                                                                                  \
	 0,                                                                                        \
	 "KEYS",                                                                                   \
	 "split stacks by pid,thread,coroutine,label:KEY (pseudo-frames first)",                   \
	 CMD_FIELD(T, f, struct cmd_group_opts),                                                   \
	 cmd_parse_group},                                                                         \
	{                                                                                          \
		"label", 0, "KEY=VALUE", "keep only samples labelled KEY=VALUE (repeatable)",      \
		    CMD_FIELD(T, f, struct cmd_group_opts), cmd_parse_label                        \
	}

/*
 * cmd-hide.c: --hide REGEX (repeatable) and --collapse-recursion of
 * record and report (hide.h).
 */
#define CMD_HIDE_MAX 32
struct cmd_hide_opts {
	const char *re[CMD_HIDE_MAX]; /* as given (argv outlives the command) */
	int n;
	bool collapse;
};
/* --hide REGEX appended to a struct cmd_hide_opts, the regex checked. */
int cmd_parse_hide(const char *s, void *field, char *err, size_t errlen);
#define OPT_HIDE(T, f)                                                                             \
	{"hide",                                                                                   \
	 0,                                                                                        \
	 "REGEX",                                                                                  \
	 "hide frames whose function or module matches REGEX: time goes to the caller "            \
	 "(repeatable)",                                                                           \
	 CMD_FIELD(T, f, struct cmd_hide_opts),                                                    \
	 cmd_parse_hide},                                                                          \
	    OPT_FLAG("collapse-recursion", 0,                                                      \
		     "make each run of a function calling itself directly one frame", T,           \
		     f.collapse)
/* The struct hide of o (*out NULL when o asks for nothing); 0 or
 * -ENOMEM.  Free with hide_free. */
struct hide;
int cmd_hide_make(const struct cmd_hide_opts *o, struct hide **out);
/* Transforms the stacks of t (functions f) as o says, in place; 0 or
 * -ENOMEM. */
int cmd_hide_tree(const struct cmd_hide_opts *o, const struct funcs *f, struct calltree *t);
/* Makes the viewer's source s hide as o says (x, X, C and U change it
 * afterwards); 0 or -ENOMEM. */
struct source;
int cmd_hide_source(const struct cmd_hide_opts *o, struct source *s);
/* The viewer on s (NULL: out of memory), hiding as o says, until it is
 * quit: 0, or -1 after saying why on stderr. */
struct app_opts;
int cmd_view_source(const struct cmd_hide_opts *o, struct source *s, const struct app_opts *ao);

/* The shape thresholds (shapes.h): four options, each setting one field
 * of a struct shapes_config f (defaulted with SHAPES_CONFIG_DEFAULTS). */
int cmd_parse_wide_share(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_wide_depth(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_spike_depth(const char *s, void *field, char *err, size_t errlen);
int cmd_parse_spike_share(const char *s, void *field, char *err, size_t errlen);
#define OPT_SHAPES(T, f)                                                                           \
	{"wide-share", 0, "PCT", "a wide peak holds at least PCT% of the total (default 30)",      \
	 CMD_FIELD(T, f.wide_min_share, double), cmd_parse_wide_share},                            \
	    {"wide-depth", 0, "N", "a wide peak is at most N levels deep (default 3)",             \
	     CMD_FIELD(T, f.wide_max_height, uint32_t), cmd_parse_wide_depth},                     \
	    {"spike-depth", 0, "N", "a spike is at least N levels deep (default 10)",              \
	     CMD_FIELD(T, f.spike_min_height, uint32_t), cmd_parse_spike_depth},                   \
	    {"spike-share", 0, "PCT", "a spike holds at most PCT% of the total (default 5)",       \
	     CMD_FIELD(T, f.spike_max_share, double), cmd_parse_spike_share}

/* run's options (and demo's, which runs the bundled demo) */
struct run_args {
	unsigned freq;		   /* 0: the runtime's default */
	int mode;		   /* FT_MODE_*; -1: the runtime's default */
	bool stdin_tty;		   /* --stdin */
	bool keep;		   /* --keep */
	bool no_children;	   /* --no-children */
	int interval_ms;	   /* 0: the viewer's default */
	struct cmd_group_opts grp; /* --group, --label */
	int weight;		   /* --weight: enum live_weight, -1 time */
	struct cmd_hide_opts hide; /* --hide, --collapse-recursion */
	struct shapes_config shapes; /* --wide-share ... */
};
#define RUN_DEFAULTS .mode = -1, .weight = -1, .shapes = SHAPES_CONFIG_DEFAULTS
/* the viewer's --weight option */
#define OPT_VIEWER_WEIGHT(T, f)                                                                    \
	OPT_WEIGHT("weight", 0,                                                                    \
		   "weigh the graph by time (default), samples, alloc-bytes, alloc-objects, "      \
		   "inuse-bytes or inuse-objects (W changes it)",                                  \
		   T, f)

struct live;
/* Makes l group and filter as o says: 0 or -ENOMEM. */
int cmd_group_apply(const struct cmd_group_opts *o, struct live *l);

/* Writes s as a JSON string (quoted, escaped). */
void cmd_json_string(FILE *out, const char *s);

/* report --callers (report-callers.c): prints the callers and callees of
 * the function called name in t (every module's), by count or weight, at
 * most top rows each (0: all), as text or JSON.  Returns the exit status,
 * after a one-line error when there is no such function. */
struct calltree;
struct funcs;
int report_callers(const char *name, struct calltree *t, const struct funcs *f, bool by_count,
		   size_t top, bool json);

/* ---- gclog.c: a target's garbage collections, for the headless commands */

struct gclog;
struct gctimeline;
struct segment;

/* Opens a view of pid's segment of its own and follows its GC records,
 * printing each collection's gctrace line to out (NULL: none) as it is
 * read.  from_now: skip collections that ended before this call.  NULL
 * with a one-line message. */
struct gclog *gclog_open(pid_t pid, FILE *out, bool from_now, char *err, size_t errlen);
void gclog_free(struct gclog *g); /* NULL is a no-op */

/* Reads what arrived: the number of collections added, or -errno. */
int gclog_poll(struct gclog *g);

/* From now on each line is followed by the collection's trigger stack,
 * symbolized: "    function [module]" lines, innermost first.  0 or
 * -ENOMEM. */
int gclog_stacks(struct gclog *g);

struct gctimeline *gclog_timeline(struct gclog *g);
struct segment *gclog_segment(struct gclog *g);
bool gclog_write_failed(const struct gclog *g);

/* Says on stderr how many GC records were lost (the runtime could not
 * write them, or we could not read them) and how many GC API calls the
 * runtime ignored, if any. */
void gclog_warn(struct gclog *g);

/* Follows pid's collections (cmd-gctrace.c): lines to out (NULL: none),
 * for seconds (0: until the target ends or SIGINT/SIGTERM); then, with
 * summary 0 or 1, the report --gc summary as text or JSON (-1: none).
 * Returns the exit status, after printing any error. */
int gc_follow(pid_t pid, FILE *out, bool from_now, double seconds, int summary, bool stacks);

/* Prints the summary of report --gc (text or JSON) over the collections
 * of g up to now. */
void gclog_report(struct gclog *g, FILE *out, bool json);

#endif
