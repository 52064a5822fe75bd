/*
 * fuzz-pprof.c - libFuzzer harness for the pprof reader.
 *
 * This file contains LLVMFuzzerTestOneInput, which decodes its input as
 * a protobuf Profile (src/pprof.h); an input that starts with the gzip
 * magic goes through pprof_gunzip first, so the gzip framing is fuzzed
 * too.  Whatever pprof_decode and pprof_to_tree return (only 0, -EINVAL
 * with a message, or -ENOMEM and -EFBIG are allowed), the tree must pass
 * calltree_check.  A profile that decodes is encoded again: that must
 * decode, to the same number of samples, strings and locations, and give
 * a tree with the same totals.  Any broken contract traps, so libFuzzer
 * keeps the input.  Build and run with 'make fuzz' (see fuzz/local.mk).
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
#include "pprof.h"

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz-pprof: %s%s%s\n", what, err && *err ? ": " : "", err ? err : "");
	__builtin_trap();
}

static bool allowed(int ret)
{
	return ret == 0 || ret == -EINVAL || ret == -ENOMEM || ret == -EFBIG;
}

/* Decodes buf into a new tree; its totals in *w, *c.  Returns the
 * result of decoding (0 when the tree was made). */
static int tree_of(const uint8_t *buf, size_t len, struct pprof *pp, uint64_t *w, uint64_t *c)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct fprof fp;
	char err[256], cerr[256];
	int ret;

	if (!t || !f)
		abort();
	err[0] = '\0';
	ret = pprof_decode(pp, buf, len, err, sizeof(err));
	if (!allowed(ret))
		fail("pprof_decode returned an unexpected error", err);
	if (ret && !err[0])
		fail("pprof_decode failed without a message", NULL);
	if (!ret) {
		fprof_init(&fp, t, f, NULL);
		ret = pprof_to_tree(pp, &fp, err, sizeof(err));
		if (!allowed(ret))
			fail("pprof_to_tree returned an unexpected error", err);
		if (ret && !err[0])
			fail("pprof_to_tree failed without a message", NULL);
		if (calltree_check(t, cerr, sizeof(cerr)))
			fail("calltree_check after pprof_to_tree", cerr);
	}
	*w = calltree_root(t)->total_weight;
	*c = calltree_root(t)->total_count;
	calltree_free(t);
	funcs_free(f);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *raw = NULL, *again = NULL;
	size_t rawlen = size, againlen;
	struct pprof pp, pp2;
	uint64_t w, c, w2, c2;
	char err[256];
	int ret;

	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		ret = pprof_gunzip(data, size, &raw, &rawlen, err, sizeof(err));
		if (!allowed(ret))
			fail("pprof_gunzip returned an unexpected error", err);
		if (ret)
			return 0;
		data = raw;
	}
	ret = tree_of(data, rawlen, &pp, &w, &c);
	if (ret == 0) {
		if (pprof_encode(&pp, &again, &againlen))
			fail("pprof_encode failed on a decoded profile", NULL);
		if (tree_of(again, againlen, &pp2, &w2, &c2))
			fail("a decoded profile, encoded again, does not decode", NULL);
		if (pp2.nsamples != pp.nsamples || pp2.nstrs != pp.nstrs ||
		    pp2.nlocations != pp.nlocations || pp2.nfunctions != pp.nfunctions)
			fail("encoded again, the profile has other counts", NULL);
		if (w2 != w || c2 != c)
			fail("encoded again, the profile has other totals", NULL);
		pprof_release(&pp2);
		free(again);
	}
	pprof_release(&pp);
	free(raw);
	return 0;
}
