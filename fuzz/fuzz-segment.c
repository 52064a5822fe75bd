/*
 * fuzz-segment.c - libFuzzer harness for the shared-memory segment reader.
 *
 * This file contains LLVMFuzzerTestOneInput, which treats its input as a
 * whole segment image (format: runtime/flametop-shm.h).  The bytes are
 * checked with segment_validate; if they pass, they are written to a
 * private temporary file (segment_open_path refuses symbolic links, so a
 * memfd's /proc/self/fd path cannot be used) and the full read path runs
 * on it: open, header refresh and state, every sample (several calls,
 * some with a small max), the thread and module tables.
 *
 * Besides ASan/UBSan findings, the harness traps (a crash libFuzzer
 * saves) when the reader breaks its contract:
 *   - segment_validate accepts bytes that segment_open_path then refuses;
 *   - a delivered sample has nframes > max_depth, or a table entry comes
 *     back unterminated or with build_id_len > FT_BUILD_ID_LEN;
 *   - the reader keeps delivering samples without end.
 * Build and run with 'make fuzz' (see fuzz/local.mk).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "segment.h"

#define FUZZ_MAX_CALLS 100000 /* segment_read_samples calls per input */
#define FUZZ_TABLE_MAX 64

static char path[64];
static int fd = -1;

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

static void setup(void)
{
	const char *dir = getenv("TMPDIR");

	/* tmpfs (/dev/shm) makes each run several times faster than a disk */
	if (!dir || !*dir || strlen(dir) >= 40)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(path, sizeof(path), "%s/fuzz-segment.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		perror("fuzz-segment: cannot create a temporary file");
		abort();
	}
	atexit(cleanup);
}

struct seen {
	uint32_t max_depth;
	uint64_t samples;
	uint64_t sum; /* touches every delivered byte */
};

static int on_sample(void *arg, const struct ft_sample *smp)
{
	struct seen *sn = arg;

	if (smp->nframes > sn->max_depth || smp->nframes > FT_MAX_DEPTH)
		__builtin_trap();
	if (smp->hdr.kind != FT_REC_SAMPLE)
		__builtin_trap();
	sn->sum += smp->time_ns + smp->weight_ns + (uint64_t)smp->tid;
	for (uint16_t i = 0; i < smp->nframes; i++)
		sn->sum += smp->pc[i];
	sn->samples++;
	/* stop early now and then, to exercise the callback's stop */
	return (sn->sum & 0xff) == 0x5a;
}

/* The consumer of the event kinds: a whole struct ft_event of its kind. */
static int on_event(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	const struct ft_event *e = (const struct ft_event *)rec;
	struct seen *sn = arg;

	if (len < sizeof(*e) || !records_known(rec->kind) || rec->kind == FT_REC_SAMPLE)
		__builtin_trap();
	sn->sum += e->time_ns + e->a + e->b + e->c + e->d;
	return 0;
}

static void read_tables(struct segment *s)
{
	static struct ft_thread threads[FUZZ_TABLE_MAX];
	static struct ft_module modules[FUZZ_TABLE_MAX];
	size_t n;

	n = segment_threads(s, threads, FUZZ_TABLE_MAX);
	if (n > FUZZ_TABLE_MAX)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (strnlen(threads[i].name, FT_NAME_LEN) == FT_NAME_LEN || threads[i].tid == 0)
			__builtin_trap();
	n = segment_modules(s, modules, FUZZ_TABLE_MAX);
	if (n > FUZZ_TABLE_MAX)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (strnlen(modules[i].path, FT_PATH_LEN) == FT_PATH_LEN || !modules[i].path[0] ||
		    modules[i].build_id_len > FT_BUILD_ID_LEN)
			__builtin_trap();
	/* a short output array must be respected */
	if (segment_threads(s, threads, 1) > 1 || segment_modules(s, modules, 0) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen sn = {0};
	struct segment *s;
	char err[256];
	int status, ret, calls = 0;

	if (fd < 0)
		setup();
	err[0] = '\0';
	if (segment_validate(data, size, err, sizeof(err)))
		return 0;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size ||
	    ftruncate(fd, (off_t)size) < 0) {
		perror("fuzz-segment: cannot write the temporary file");
		abort();
	}
	s = segment_open_path(path, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "fuzz-segment: validated image refused: %s\n", err);
		__builtin_trap();
	}
	sn.max_depth = segment_header(s)->max_depth;
	if (sn.max_depth == 0 || sn.max_depth > FT_MAX_DEPTH)
		__builtin_trap();
	segment_refresh(s);
	(void)segment_state(s, &status);
	(void)segment_pid(s);
	segment_touch(s);
	/* the event kinds go to their consumer, samples to on_sample below */
	if (segment_on(s, FT_REC_GC, on_event, &sn) || segment_on(s, FT_REC_CORO, on_event, &sn) ||
	    segment_on(s, FT_REC_ALLOC, on_event, &sn))
		__builtin_trap();

	/* first a few small batches, then everything that is left */
	for (int i = 0; i < 3; i++)
		if (segment_read_samples(s, on_sample, &sn, 1 + (size_t)i) < 0)
			__builtin_trap();
	do {
		ret = segment_read_samples(s, on_sample, &sn, 0);
		if (ret < 0 || ++calls > FUZZ_MAX_CALLS)
			__builtin_trap();
	} while (ret > 0);
	(void)segment_missed(s);
	(void)segment_unknown(s);
	read_tables(s);
	/* the header may have changed under a live reader: refresh again */
	segment_refresh(s);
	(void)segment_read_samples(s, NULL, NULL, 0);
	segment_free(s);
	return 0;
}
