/*
 * fuzz-speedscope.c - libFuzzer harness for the speedscope reader.
 *
 * This file contains LLVMFuzzerTestOneInput, which reads its input as a
 * speedscope JSON file (src/speedscope.h) into a fresh call tree.  Only
 * 0, -EINVAL with a message, -ENOMEM and -EFBIG are allowed, and the
 * tree must pass calltree_check whatever the result.  A file that reads
 * is written again with speedscope_write and read back: that must
 * succeed with the same total weight.  Any broken contract traps, so
 * libFuzzer keeps the input.  Build and run with 'make fuzz' (see
 * fuzz/local.mk).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltree.h"
#include "formats.h"
#include "funcs.h"
#include "speedscope.h"

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz-speedscope: %s%s%s\n", what, err && *err ? ": " : "", err ? err : "");
	__builtin_trap();
}

/* Reads buf into a new fp; checks the tree; returns the result. */
static int read_checked(const void *buf, size_t len, struct fprof *fp)
{
	char err[256], cerr[256];
	FILE *in = fmemopen((void *)buf, len, "r");
	int ret;

	if (!in)
		abort();
	fprof_init(fp, calltree_new(), funcs_new(), NULL);
	if (!fp->tree || !fp->funcs)
		abort();
	ret = speedscope_read(in, fp, err, sizeof(err));
	fclose(in);
	if (ret && ret != -EINVAL && ret != -ENOMEM && ret != -EFBIG)
		fail("speedscope_read returned an unexpected error", err);
	if (ret == -EINVAL && !err[0])
		fail("speedscope_read error without a message", NULL);
	if (calltree_check(fp->tree, cerr, sizeof(cerr)))
		fail("calltree_check after speedscope_read", cerr);
	return ret;
}

static void done(struct fprof *fp)
{
	calltree_free(fp->tree);
	funcs_free(fp->funcs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fprof fp, back;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	if (read_checked(data, size, &fp) == 0 && calltree_root(fp.tree)->total_weight) {
		out = open_memstream(&text, &len);
		if (!out)
			abort();
		if (speedscope_write(out, &fp, "fuzz"))
			fail("speedscope_write failed", NULL);
		fclose(out);
		if (read_checked(text, len, &back))
			fail("written speedscope does not read back", NULL);
		if (calltree_root(back.tree)->total_weight != calltree_root(fp.tree)->total_weight)
			fail("written speedscope reads back with another total", NULL);
		done(&back);
		free(text);
	}
	done(&fp);
	return 0;
}
