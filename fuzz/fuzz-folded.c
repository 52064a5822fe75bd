/*
 * fuzz-folded.c - libFuzzer harness for the folded-stack reader.
 *
 * This file contains LLVMFuzzerTestOneInput, which reads its input as a
 * folded-stack file (src/folded.h) through fmemopen into a fresh call
 * tree.  Whatever folded_read returns, the tree must pass calltree_check
 * (the stacks before a bad line are kept) and count and weight must agree
 * (the reader adds each count to both).  Then the tree is written back
 * with folded_write (fractional counts as read) and read again: that must
 * succeed with the same total (fractions that added up to whole numbers
 * read back with fewer decimals: the same total at their scale)
 * and a sane tree.  Any broken contract traps, so libFuzzer keeps the input.
 *
 * Environment, to look past findings until they are fixed:
 *   FUZZ_FOLDED_NO_ROUNDTRIP=1  check only the reader;
 *   FUZZ_FOLDED_SKIP_KNOWN=1    skip the round trip where it is known to
 *                               fail: empty trees (folded_write passed NULL
 *                               to qsort) and written text that starts with
 *                               a UTF-8 byte order mark (a frame named
 *                               "\xEF\xBB\xBF..." that sorts first is read
 *                               back as a BOM, so "\xEF\xBB\xBF#x 5" becomes
 *                               a comment and "\xEF\xBB\xBF 5" an empty stack).
 * Build and run with 'make fuzz' (see fuzz/local.mk).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltree.h"
#include "folded.h"
#include "funcs.h"
#include "util.h"

static int roundtrip = -1, skip_known;

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz-folded: %s%s%s\n", what, err && *err ? ": " : "", err ? err : "");
	__builtin_trap();
}

/* Reads in into a new tree (*tp, *fp); checks the tree.  Returns
 * folded_read's value (its message in err) and the root's total count in
 * *total. */
static int read_checked(FILE *in, uint64_t *total, unsigned *decimals, struct calltree **tp,
			struct funcs **fp, char *err, size_t errlen)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct ctnode *root;
	char cerr[256];
	int ret;

	if (!t || !f)
		abort();
	err[0] = '\0';
	ret = folded_read(in, t, f, decimals, err, errlen);
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
		fail("folded_read returned an unexpected error", err);
	if (ret && strncmp(err, "line ", 5))
		fail("folded_read error without a line number", err);
	if (calltree_check(t, cerr, sizeof(cerr)))
		fail("calltree_check after folded_read", cerr);
	root = calltree_root(t);
	if (root->total_count != root->total_weight)
		fail("count and weight differ after folded_read", NULL);
	*total = root->total_count;
	*tp = t;
	*fp = f;
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calltree *t, *t2;
	struct funcs *f, *f2;
	uint64_t total, total2;
	unsigned dec, dec2;
	char *text = NULL, err[256];
	size_t textlen = 0;
	FILE *in, *out;

	if (roundtrip < 0) {
		const char *e = getenv("FUZZ_FOLDED_NO_ROUNDTRIP");

		roundtrip = !(e && *e && strcmp(e, "0"));
		e = getenv("FUZZ_FOLDED_SKIP_KNOWN");
		skip_known = e && *e && strcmp(e, "0");
	}
	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	in = fmemopen((void *)data, size, "r");
	if (!in)
		abort();
	(void)read_checked(in, &total, &dec, &t, &f, err, sizeof(err));
	fclose(in);

	if (roundtrip && !(skip_known && !calltree_root(t)->child)) {
		out = open_memstream(&text, &textlen);
		if (!out)
			abort();
		if (folded_write(out, t, f, FOLDED_COUNT, dec))
			fail("folded_write failed", NULL);
		fclose(out);
		if (skip_known && textlen >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
			/* known: see the top of this file */
		} else if (textlen) {
			in = fmemopen(text, textlen, "r");
			if (!in)
				abort();
			if (read_checked(in, &total2, &dec2, &t2, &f2, err, sizeof(err))) {
				fprintf(stderr, "written text:\n%.*s\n", (int)textlen, text);
				fail("written text does not read back", err);
			}
			fclose(in);
			/* fractions that added up to whole numbers read back
			 * with fewer decimals */
			if (dec2 > dec || total2 * util_pow10(dec - dec2) != total) {
				fprintf(stderr, "written text:\n%.*s\n", (int)textlen, text);
				fail("written text reads back with another total", NULL);
			}
			calltree_free(t2);
			funcs_free(f2);
		} else if (total) {
			fail("folded_write wrote nothing for a nonempty tree", NULL);
		}
		free(text);
	}
	calltree_free(t);
	funcs_free(f);
	return 0;
}
