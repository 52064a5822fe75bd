/*
 * options.c - the command line, read from the commands' tables (cmd.h).
 *
 * cmd_parse builds getopt_long's tables from a command's option table
 * (short options map to their letter, long-only ones to 256 + their
 * index), so an option in the table is parsed, and shown by --help,
 * by construction.  -h and --help are every command's; an option's value
 * is parsed by the function of its type into the field it names.
 * Usage errors are one line each (messages.c).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "flametop-shm.h"
#include "live.h"
#include "shapes.h"

#define HELP_COLUMN 28 /* where option help starts in --help */
#define LONG_ONLY 256  /* getopt value of long-only option i: LONG_ONLY + i */

/* --- value parsers -------------------------------------------------------- */

int cmd_parse_string(const char *s, void *field, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	*(const char **)field = s;
	return 0;
}

/* s, the whole of it, as a decimal integer in [lo, hi]: 0, or -EINVAL
 * with why in err. */
static int parse_long(const char *s, long lo, long hi, const char *why, long *out, char *err,
		      size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		snprintf(err, errlen, "%s", why);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int cmd_parse_freq(const char *s, void *field, char *err, size_t errlen)
{
	long v;
	int e = parse_long(s, 1, 1000, "frequency must be 1-1000 Hz", &v, err, errlen);

	if (!e)
		*(unsigned *)field = (unsigned)v;
	return e;
}

int cmd_parse_interval(const char *s, void *field, char *err, size_t errlen)
{
	long v;
	int e = parse_long(s, 20, 10000, "must be 20-10000 milliseconds", &v, err, errlen);

	if (!e)
		*(int *)field = (int)v;
	return e;
}

int cmd_parse_pid(const char *s, void *field, char *err, size_t errlen)
{
	long v;
	int e = parse_long(s, 1, INT_MAX, "not a process id", &v, err, errlen);

	if (!e)
		*(pid_t *)field = (pid_t)v;
	return e;
}

int cmd_parse_count(const char *s, void *field, char *err, size_t errlen)
{
	long v;
	int e = parse_long(s, 0, LONG_MAX, "not a count", &v, err, errlen);

	if (!e)
		*(size_t *)field = (size_t)v;
	return e;
}

int cmd_parse_weight(const char *s, void *field, char *err, size_t errlen)
{
	enum live_weight w;

	if (live_weight_parse(s, &w) < 0) {
		snprintf(err, errlen,
			 "weight must be time, cpu, wall, samples, alloc-bytes, "
			 "alloc-objects, inuse-bytes or inuse-objects");
		return -EINVAL;
	}
	*(int *)field = (int)w;
	return 0;
}

int cmd_parse_bytes(const char *s, void *field, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || end == s || *end || *s < '0' || *s > '9' || v > (CMD_BYTES_MAX >> shift)) {
		snprintf(err, errlen, "must be a number of bytes from 0 to 1G (K, M, G allowed)");
		return -EINVAL;
	}
	*(int64_t *)field = (int64_t)(v << shift);
	return 0;
}

int cmd_parse_mode(const char *s, void *field, char *err, size_t errlen)
{
	if (!strcmp(s, "cpu")) {
		*(int *)field = FT_MODE_CPU;
	} else if (!strcmp(s, "wall")) {
		*(int *)field = FT_MODE_WALL;
	} else {
		snprintf(err, errlen, "mode must be cpu or wall");
		return -EINVAL;
	}
	return 0;
}

int cmd_parse_seconds(const char *s, void *field, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 1e7) {
		snprintf(err, errlen, "duration must be a positive number of seconds");
		return -EINVAL;
	}
	*(double *)field = v;
	return 0;
}

/* --- parsing ---------------------------------------------------------------- */

static size_t count_options(const struct cmd *c)
{
	size_t n = 0;

	while (c->options && c->options[n].long_name)
		n++;
	return n;
}

/* The table entry getopt_long returned as val, or NULL. */
static const struct cmd_option *option_of(const struct cmd *c, size_t n, int val)
{
	if (val >= LONG_ONLY && (size_t)(val - LONG_ONLY) < n)
		return &c->options[val - LONG_ONLY];
	for (size_t i = 0; i < n; i++)
		if (c->options[i].short_name && c->options[i].short_name == val)
			return &c->options[i];
	return NULL;
}

/* Says what is wrong with getopt's '?' or ':' at argv[optind - 1]. */
static void bad_option(const struct cmd *c, int val, char **argv)
{
	const char *word = argv[optind - 1];
	size_t n = count_options(c);

	if (val == ':') {
		cmd_usage_error(c->name, "option '%s' needs a value", word);
		return;
	}
	if (strncmp(word, "--", 2) != 0) {
		cmd_usage_error(c->name, "unknown option '-%c'", optopt);
		return;
	}
	/* "--json=x": a flag given a value */
	const char *eq = strchr(word, '=');
	if (eq) {
		for (size_t i = 0; i < n; i++) {
			const struct cmd_option *o = &c->options[i];
			size_t len = (size_t)(eq - word - 2);

			if (!o->arg && strlen(o->long_name) == len &&
			    !strncmp(word + 2, o->long_name, len)) {
				cmd_usage_error(c->name, "option '--%s' takes no value",
						o->long_name);
				return;
			}
		}
	}
	cmd_usage_error(c->name, "unknown option '%s'", word);
}

enum cmd_parse_result cmd_parse(const struct cmd *c, void *args, int argc, char **argv, int *first)
{
	size_t n = count_options(c), k = 0;
	struct option *lo = calloc(n + 2, sizeof(*lo));
	char *shorts = malloc(2 * n + 4);
	enum cmd_parse_result ret = CMD_PARSE_OK;
	int val, li;

	if (!lo || !shorts) {
		cmd_error("out of memory");
		ret = CMD_PARSE_ERROR;
		goto out;
	}
	/* "+": stop at the first operand (a command line follows);
	 * ":": report a missing value as ':', not '?' */
	if (c->stop_at_operand)
		shorts[k++] = '+';
	shorts[k++] = ':';
	shorts[k++] = 'h';
	for (size_t i = 0; i < n; i++) {
		const struct cmd_option *o = &c->options[i];

		lo[i].name = o->long_name;
		lo[i].has_arg = o->arg ? required_argument : no_argument;
		lo[i].val = o->short_name ? o->short_name : LONG_ONLY + (int)i;
		if (o->short_name) {
			shorts[k++] = o->short_name;
			if (o->arg)
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	lo[n].name = "help";
	lo[n].val = 'h';

	optind = 0; /* 0, not 1: also resets GNU getopt's state */
	opterr = 0;
	for (;;) {
		const struct cmd_option *o;
		char err[256];

		li = -1;
		val = getopt_long(argc, argv, shorts, lo, &li);
		if (val == -1)
			break;
		if (val == 'h') {
			cmd_help(c, stdout);
			ret = CMD_PARSE_HELP;
			goto out;
		}
		o = option_of(c, n, val);
		if (!o) {
			bad_option(c, val, argv);
			ret = CMD_PARSE_ERROR;
			goto out;
		}
		if (!o->parse) {
			*(bool *)((char *)args + o->offset) = true;
			continue;
		}
		if (o->parse(optarg, (char *)args + o->offset, err, sizeof(err)) < 0) {
			/* the option as it was written: --freq 0, -F 0 */
			if (li >= 0)
				cmd_usage_error(c->name, "--%s %s: %s", o->long_name, optarg, err);
			else
				cmd_usage_error(c->name, "-%c %s: %s", o->short_name, optarg, err);
			ret = CMD_PARSE_ERROR;
			goto out;
		}
	}
	*first = optind;
out:
	free(lo);
	free(shorts);
	return ret;
}

int cmd_exec(const struct cmd *c, int argc, char **argv)
{
	void *args = malloc(c->args_size ? c->args_size : 1);
	int first = argc, status;

	if (!args) {
		cmd_error("out of memory");
		return 1;
	}
	if (c->args_size)
		memcpy(args, c->defaults, c->args_size);
	switch (cmd_parse(c, args, argc, argv, &first)) {
	case CMD_PARSE_HELP:
		status = 0;
		break;
	case CMD_PARSE_ERROR:
		status = 2;
		break;
	default:
		status = c->fn(args, argc - first, argv + first);
	}
	free(args);
	return status;
}

/* --- help ------------------------------------------------------------------ */

/* "  LEFT    help", the help on the next line when LEFT is too wide; each
 * line of a help of several lines indented alike. */
static void help_row(FILE *out, const char *left, const char *help)
{
	int w = fprintf(out, "  %s", left);

	if (w >= HELP_COLUMN - 1) {
		fputc('\n', out);
		w = 0;
	}
	for (const char *nl;; help = nl + 1, w = 0) {
		nl = strchr(help, '\n');
		fprintf(out, "%*s%.*s\n", HELP_COLUMN - w, "",
			nl ? (int)(nl - help) : (int)strlen(help), help);
		if (!nl)
			break;
	}
}

void cmd_help(const struct cmd *c, FILE *out)
{
	const char *u = c->usage, *nl;
	char left[128];
	bool any = false;

	for (int i = 0; *u; i++, u = nl + 1) {
		nl = strchr(u, '\n');
		if (!nl)
			nl = u + strlen(u);
		fprintf(out, "%s flametop %.*s\n", i ? "   or:" : "usage:", (int)(nl - u), u);
		if (!*nl)
			break;
	}
	fprintf(out, "\n%s\n", c->summary);
	for (const struct cmd_option *o = c->options; o && o->long_name; o++) {
		if (!o->help)
			continue;
		if (!any)
			fputc('\n', out);
		any = true;
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
			 o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
		help_row(out, left, o->help);
	}
	for (const struct cmd_operand *a = c->operands; a && a->name; a++) {
		if (!any)
			fputc('\n', out);
		any = true;
		help_row(out, a->name, a->help);
	}
	if (c->notes)
		fprintf(out, "\n%s\n", c->notes);
}

void cmd_list_commands(FILE *out)
{
	fprintf(out, "usage: flametop [--version] [--help] <command> [<args>]\n\n"
		     "flametop is a live flame-graph profiler for native programs.\n\n"
		     "commands:\n");
	for (const struct cmd *const *c = cmd_table; *c; c++)
		fprintf(out, "   %-8s %s\n", (*c)->name, (*c)->summary);
	fprintf(out, "\nSee 'flametop <command> --help' or man flametop for details.\n");
}

/* A threshold, parsed by shapes_config_set into a scratch config and
 * copied into field (the member named name). */
static int parse_threshold(const char *name, const char *s, void *field, size_t off, size_t size,
			   char *err, size_t errlen)
{
	struct shapes_config c;
	int rc;

	shapes_config_default(&c);
	rc = shapes_config_set(&c, name, s, err, errlen);
	if (rc == 0)
		memcpy(field, (char *)&c + off, size);
	else /* the caller names the option and value itself */
		snprintf(err, errlen, "%s",
			 strstr(name, "share") ? "a percentage above 0 and at most 100"
					       : "a number of levels from 1 to 100000");
	return rc;
}

#define THRESHOLD_PARSER(fn, name, f)                                                              \
	int fn(const char *s, void *field, char *err, size_t errlen)                               \
	{                                                                                          \
		return parse_threshold(name, s, field, offsetof(struct shapes_config, f),          \
				       sizeof(((struct shapes_config *)0)->f), err, errlen);       \
	}
THRESHOLD_PARSER(cmd_parse_wide_share, "wide-share", wide_min_share)
THRESHOLD_PARSER(cmd_parse_wide_depth, "wide-depth", wide_max_height)
THRESHOLD_PARSER(cmd_parse_spike_depth, "spike-depth", spike_min_height)
THRESHOLD_PARSER(cmd_parse_spike_share, "spike-share", spike_max_share)
