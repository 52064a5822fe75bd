/*
 * cmd-view.c - `flametop view FILE`: the viewer on a folded-stack or
 * pprof file (told apart by their first bytes, formats.h).
 *
 * The file is read completely before the screen opens, so a malformed
 * file gives a one-line error naming the line and the terminal is never
 * touched.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "calltree.h"
#include "cmd.h"
#include "formats.h"
#include "ftr.h"
#include "funcs.h"
#include "source.h"
#include "util.h"

struct view_args {
	int interval_ms;
	struct cmd_hide_opts hide;
	struct shapes_config shapes; /* --wide-share ... */
};

static int view_main(void *args, int argc, char **argv)
{
	const struct view_args *a = args;
	struct app_opts ao = {.interval_ms = a->interval_ms, .shapes = &a->shapes};
	struct calltree *t = NULL;
	struct funcs *f = NULL;
	struct fprof fp;
	struct source *src = NULL;
	struct ftr *rec = NULL;
	const char *path, *base;
	char err[512], shown[300];
	int status = 1;

	setlocale(LC_ALL, "");
	if (argc != 1) {
		if (argc)
			cmd_usage_error("view", "unexpected argument '%s'", argv[1]);
		else
			cmd_usage_error("view", "no file given");
		return 2;
	}
	path = argv[0];
	t = calltree_new();
	f = funcs_new();
	if (!t || !f) {
		cmd_error("out of memory");
		goto out;
	}
	base = strcmp(path, "-") == 0 ? "standard input" : util_base_name(path);
	/* read whole before the screen opens: an error leaves the terminal be */
	if (format_is_recording(path)) {
		/* a recording replays with its profile: threads, times, GC */
		if (cmd_read_recording(path, f, &rec) < 0)
			goto out;
		src = source_recording(rec, base);
	} else {
		fprof_init(&fp, t, f, NULL);
		if (format_load(path, FORMAT_NONE, &fp, err, sizeof(err)) < 0) {
			cmd_error("cannot read '%s': %s", path, err);
			goto out;
		}
		if (fp.decimals) {
			snprintf(shown, sizeof(shown), "%s (counts x%llu)", base,
				 (unsigned long long)util_pow10(fp.decimals));
			base = shown;
		}
		src = source_static(t, f, base);
		if (src)
			source_set_unit(src, fp.unit);
	}
	if (cmd_view_source(&a->hide, src, &ao) == 0)
		status = 0;
out:
	source_free(src);
	ftr_free(rec);
	calltree_free(t);
	funcs_free(f);
	return status;
}

static const struct cmd_option view_options[] = {
    OPT_VIEWER_INTERVAL(struct view_args, interval_ms),
    OPT_HIDE(struct view_args, hide),
    OPT_SHAPES(struct view_args, shapes),
    OPT_END,
};

static const struct cmd_operand view_operands[] = {
    {"FILE", "a recording (.ftr, or what a killed record left: .ftr.partial),\n"
	     "replayed with every view; a folded-stack file (\"outer;inner COUNT\" lines),\n"
	     "ours,\n"
	     "perf script | stackcollapse-perf.pl, inferno, py-spy raw;\n"
	     "a pprof profile (.pb.gz: Go's CPU and heap profiles);\n"
	     "or a speedscope file (as py-spy writes them);\n"
	     "- reads it from standard input (keys come from the terminal)"},
    {NULL, NULL},
};

const struct cmd cmd_view = {
    .name = "view",
    .summary = "open a recorded, folded-stack or pprof file in the viewer",
    .usage = "view [--interval MS] [--hide REGEX] [--collapse-recursion] FILE",
    .options = view_options,
    .operands = view_operands,
    .notes = "Press ? in the viewer for its keys.",
    CMD_ARGS(struct view_args, .interval_ms = 0, .shapes = SHAPES_CONFIG_DEFAULTS),
    .fn = view_main,
};
