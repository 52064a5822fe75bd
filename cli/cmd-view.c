/*
 * cmd-view.c - `flametop view FILE`: the viewer on a folded-stack file.
 *
 * The file is read completely before the screen opens, so a malformed
 * file gives a one-line error naming the line and the terminal is never
 * touched.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "calltree.h"
#include "cmd.h"
#include "folded.h"
#include "funcs.h"
#include "launch.h"
#include "source.h"
#include "util.h"

int cmd_view(int argc, char **argv)
{
	struct app_opts ao = {0};
	struct calltree *t = NULL;
	struct funcs *f = NULL;
	struct source *src = NULL;
	const char *path, *base;
	char err[512];
	struct stat st;
	FILE *in;
	int c, rc, status = 1;

	setlocale(LC_ALL, "");
	c = cmd_viewer_options("view", argc, argv, &ao.interval_ms);
	if (c < 0)
		return -c;
	if (argc - c != 1) {
		cmd_usage("view");
		return 2;
	}
	path = argv[c];
	in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "flametop: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	/* a directory opens fine for reading; say what it is, not "read error" */
	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "flametop: cannot read '%s': %s\n", path, strerror(EISDIR));
		fclose(in);
		return 1;
	}
	t = calltree_new();
	f = funcs_new();
	if (!t || !f) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out;
	}
	err[0] = '\0';
	rc = folded_read(in, t, f, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "flametop: cannot read '%s': %s\n", path,
			err[0] ? err : strerror(-rc));
		goto out;
	}
	base = util_base_name(path);
	src = source_static(t, f, base);
	if (!src) {
		fprintf(stderr, "flametop: out of memory\n");
		goto out;
	}
	if (app_run(src, &ao, err, sizeof(err)) < 0) {
		fprintf(stderr, "flametop: %s\n", err);
		goto out;
	}
	status = 0;
out:
	source_free(src);
	calltree_free(t);
	funcs_free(f);
	fclose(in);
	return status;
}
