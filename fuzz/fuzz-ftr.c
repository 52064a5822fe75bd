/*
 * fuzz-ftr.c - libFuzzer harness for the recording reader (src/ftr.c).
 *
 * This file contains LLVMFuzzerTestOneInput.  Its input's first byte
 * chooses how the rest is read:
 *   0 (and anything but 1): as a whole .ftr file, so the magic, the block
 *     framing, the CRC and inflate are fuzzed;
 *   1: as the records of a recording, cut into blocks of 1 to 256 bytes
 *     (the second byte says how long) and framed correctly (magic,
 *     lengths, CRC, deflate), so the fuzzer reaches the record parser
 *     past the checksums it could never guess.
 * Whatever ftr_read_mem returns must be 0 or -EINVAL with a message, or
 * -ENOMEM; a recording read must have a sane call tree whose sample
 * count is what the reader counted less what the profile dropped, and a
 * truncated one must say so.  Any broken contract traps, so libFuzzer
 * keeps the input.  Build and run with 'make fuzz' (see fuzz/local.mk).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "calltree.h"
#include "ftr.h"
#include "funcs.h"
#include "profile.h"

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz-ftr: %s%s%s\n", what, err && *err ? ": " : "", err ? err : "");
	__builtin_trap();
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* recs framed as a file of blocks of at most blk bytes; NULL on ENOMEM */
static uint8_t *frame(const uint8_t *recs, size_t n, size_t blk, size_t *len)
{
	size_t cap = 8 + (n / blk + 1) * (12 + compressBound(blk)), off = 8;
	uint8_t *out = malloc(cap);

	if (!out)
		return NULL;
	memcpy(out, FTR_MAGIC, 4);
	put_le32(out + 4, FTR_VERSION);
	for (size_t i = 0; i < n; i += blk) {
		size_t raw = n - i < blk ? n - i : blk;
		uLongf z = compressBound(raw);

		if (compress2(out + off + 12, &z, recs + i, raw, 1) != Z_OK)
			abort();
		put_le32(out + off, (uint32_t)z);
		put_le32(out + off + 4, (uint32_t)raw);
		put_le32(out + off + 8, (uint32_t)crc32(crc32(0, out + off, 8), out + off + 12, z));
		off += 12 + z;
	}
	*len = off;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct funcs *f = funcs_new();
	uint8_t *framed = NULL;
	const uint8_t *in = data + 1;
	size_t len = size ? size - 1 : 0;
	struct ftr *r = NULL;
	char err[256], cerr[256];
	int ret;

	if (!f)
		abort();
	if (size >= 2 && data[0] == 1) {
		framed = frame(data + 2, size - 2, (size_t)data[1] + 1, &len);
		if (!framed)
			abort();
		in = framed;
	}
	err[0] = '\0';
	ret = ftr_read_mem(in, len, f, &r, err, sizeof(err));
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
		fail("ftr_read_mem returned an unexpected error", err);
	if (ret < 0 && (!err[0] || r))
		fail("a refusal without a message, or with a recording", err);
	if (ret == 0) {
		const struct ftr_info *info = ftr_info(r);
		struct profile *p = ftr_profile(r);
		struct calltree *t = profile_tree(p);

		if (calltree_check(t, cerr, sizeof(cerr)))
			fail("calltree_check after ftr_read", cerr);
		if (profile_total_count(p) + profile_dropped(p) != info->samples)
			fail("samples read and added differ", NULL);
		if (calltree_root(t)->total_count != profile_total_count(p))
			fail("the tree does not hold every sample", NULL);
		if (info->truncated != (strstr(err, "truncated after") != NULL))
			fail("a truncation not said, or said of a whole file", err);
		/* the views' requests on it */
		profile_set_window(p, 5000000000ull);
		profile_set_range(p, info->first_ns, info->last_ns);
		if (calltree_check(profile_tree(p), cerr, sizeof(cerr)))
			fail("calltree_check after a range", cerr);
	}
	ftr_free(r);
	funcs_free(f);
	free(framed);
	return 0;
}
