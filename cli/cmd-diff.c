/*
 * cmd-diff.c - `flametop diff A B`: the viewer on B's flame graph, each
 * frame coloured by how its share of the total changed since A (red
 * more, blue less, grey within noise: difftree.h), the top table sorted
 * by change.
 *
 * Both files are read whole, with one funcs table (so that a function is
 * the same id in both), before the screen opens: a missing, unreadable
 * or malformed file gives one line and leaves the terminal be.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "calltree.h"
#include "cmd.h"
#include "formats.h"
#include "funcs.h"
#include "source.h"
#include "util.h"

struct diff_args {
	int interval_ms;
	struct cmd_hide_opts hide;
};

/* The name the header gives path (read into fp), in buf: with the
 * scale of its counts when they had fractions (formats.h). */
static const char *shown_name(const char *path, const struct fprof *fp, char *buf, size_t len)
{
	const char *base = strcmp(path, "-") == 0 ? "standard input" : util_base_name(path);

	if (fp->decimals)
		snprintf(buf, len, "%s (counts x%llu)", base,
			 (unsigned long long)util_pow10(fp->decimals));
	else
		snprintf(buf, len, "%s", base);
	return buf;
}

static int load(const char *path, struct fprof *fp)
{
	char err[512];

	if (format_load(path, FORMAT_NONE, fp, err, sizeof(err)) < 0) {
		cmd_error("cannot read '%s': %s", strcmp(path, "-") ? path : "stdin", err);
		return -1;
	}
	return 0;
}

static int diff_main(void *args, int argc, char **argv)
{
	const struct diff_args *d = args;
	struct app_opts ao = {.interval_ms = d->interval_ms};
	struct funcs *f = funcs_new();
	struct calltree *ta = calltree_new(), *tb = calltree_new();
	struct source *src = NULL;
	struct fprof fa, fb;
	char aname[300], bname[300];
	int status = 1;

	setlocale(LC_ALL, "");
	if (argc != 2) {
		if (argc > 2)
			cmd_usage_error("diff", "unexpected argument '%s'", argv[2]);
		else
			cmd_usage_error("diff", "needs two files, A (before) and B (after)");
		status = 2;
		goto out;
	}
	if (!strcmp(argv[0], "-") && !strcmp(argv[1], "-")) {
		cmd_usage_error("diff", "only one of A and B can be standard input");
		status = 2;
		goto out;
	}
	if (!f || !ta || !tb) {
		cmd_error("out of memory");
		goto out;
	}
	fprof_init(&fa, ta, f, NULL);
	fprof_init(&fb, tb, f, NULL);
	if (load(argv[0], &fa) < 0 || load(argv[1], &fb) < 0)
		goto out;
	/* --hide: A is hidden alike by the viewer (the source's rules) */
	src = source_static(tb, f, shown_name(argv[1], &fb, bname, sizeof(bname)));
	if (src)
		source_set_unit(src, fb.unit);
	shown_name(argv[0], &fa, aname, sizeof(aname));
	ao.baseline = ta;
	ao.baseline_name = aname;
	if (cmd_view_source(&d->hide, src, &ao) == 0)
		status = 0;
out:
	source_free(src);
	calltree_free(ta);
	calltree_free(tb);
	funcs_free(f);
	return status;
}

static const struct cmd_option diff_options[] = {
    OPT_VIEWER_INTERVAL(struct diff_args, interval_ms),
    OPT_HIDE(struct diff_args, hide),
    OPT_END,
};

static const struct cmd_operand diff_operands[] = {
    {"A", "the profile before (the baseline): any file view reads,\n"
	  "folded stacks or pprof; - reads it from standard input"},
    {"B", "the profile after, whose flame graph is drawn"},
    {NULL, NULL},
};

const struct cmd cmd_diff = {
    .name = "diff",
    .summary = "open the flame graph of B coloured by its change since A",
    .usage = "diff [--interval MS] [--hide REGEX] [--collapse-recursion] A B",
    .options = diff_options,
    .operands = diff_operands,
    .notes = "Red frames take more of B's total than of A's, blue less, grey the same within\n"
	     "noise (see DIFFERENTIAL FLAME GRAPHS in flametop(1)).  Press ? for the keys.",
    CMD_ARGS(struct diff_args, .interval_ms = 0),
    .fn = diff_main,
};
