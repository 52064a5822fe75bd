/*
 * cmd-convert.c - flametop convert: a profile from one format to another.
 *
 *   flametop convert [--format FORMAT] IN OUT
 *
 * IN is any readable format (a recording, folded stacks, pprof, speedscope: told
 * apart by their first bytes; "-" standard input); a recording is read
 * with its profile, so that the formats that hold threads, coroutines
 * and labels (pprof, speedscope) get them.  OUT is written in --format or the
 * format its name says (formats.h; "-" folded stacks on standard output),
 * through an outfile, so that a failure never leaves half a file.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "calltree.h"
#include "cmd.h"
#include "formats.h"
#include "ftr.h"
#include "funcs.h"
#include "outfile.h"
#include "util.h"

struct convert_args {
	const char *format; /* NULL: from OUT's name */
};

static int convert_main(void *args, int argc, char **argv)
{
	const struct convert_args *a = args;
	struct funcs *f = NULL;
	struct calltree *t = NULL;
	struct outfile out = {0};
	struct ftr *rec = NULL;
	struct fprof fp;
	enum format fmt;
	char err[256];
	int ret = 1, e;

	if (argc != 2) {
		if (argc > 2)
			cmd_usage_error("convert", "unexpected argument '%s'", argv[2]);
		else
			cmd_usage_error("convert", "give the file to read and the file to write");
		return 2;
	}
	fmt = a->format ? format_parse(a->format) : format_from_name(argv[1]);
	if (fmt == FORMAT_NONE) {
		cmd_usage_error("convert", "unknown format '%s' (known: %s)", a->format,
				FORMAT_NAMES);
		return 2;
	}
	if (fmt == FORMAT_FTR) {
		cmd_usage_error("convert",
				"a recording (ftr) is written by 'flametop record' only");
		return 2;
	}
	f = funcs_new();
	t = calltree_new();
	if (!f || !t) {
		cmd_error("out of memory");
		goto out;
	}
	if (format_is_recording(argv[0])) {
		/* with its profile: contexts and label sets */
		if (cmd_read_recording(argv[0], f, &rec) < 0)
			goto out;
		fprof_init(&fp, profile_tree(ftr_profile(rec)), f, ftr_profile(rec));
		fp.labels = ftr_label_pairs;
		fp.labels_arg = rec;
	} else {
		fprof_init(&fp, t, f, NULL);
		if (format_load(argv[0], FORMAT_NONE, &fp, err, sizeof(err)) < 0) {
			cmd_error("cannot read '%s': %s", strcmp(argv[0], "-") ? argv[0] : "stdin",
				  err);
			goto out;
		}
	}
	if (fp.note[0])
		cmd_warning("'%s': %s", strcmp(argv[0], "-") ? argv[0] : "stdin", fp.note);
	if (outfile_open(&out, argv[1]) < 0)
		goto out;
	e = format_write(fmt, out.f, &fp, util_base_name(argv[0]));
	if (e < 0) {
		outfile_fail(&out, -e);
		goto out;
	}
	if (outfile_commit(&out) < 0)
		goto out;
	ret = 0;
out:
	outfile_abort(&out);
	ftr_free(rec);
	calltree_free(t);
	funcs_free(f);
	return ret;
}

static const struct cmd_option convert_options[] = {
    OPT_STRING("format", 0, "FORMAT", "write " FORMAT_NAMES " (default: by OUT's name, folded)",
	       struct convert_args, format),
    OPT_END,
};

static const struct cmd_operand convert_operands[] = {
    {"IN", "a recording (.ftr), a folded-stack or pprof file, or - for stdin"},
    {"OUT", "the file to write (.folded/.txt, .pb.gz/.pprof, .speedscope.json,\n"
	    ".svg; other names folded), or - for folded stacks on stdout"},
    {NULL, NULL},
};

const struct cmd cmd_convert = {
    .name = "convert",
    .summary = "convert a profile to another format",
    .usage = "convert [--format FORMAT] IN OUT",
    .options = convert_options,
    .operands = convert_operands,
    CMD_ARGS(struct convert_args, .format = NULL),
    .fn = convert_main,
};
