/*
 * rt-hostile.c - a segment rewritten with hostile values while its target
 * runs: the target survives and behaves as without flametop.
 *
 * Any process of the user can write a target's segment.  This test starts
 * tests/rt-work (spin, sampled at 999 Hz in every thread) with the runtime
 * preloaded, maps its segment read-write as such a process would, and for
 * two seconds keeps writing what the runtime must never rely on: the
 * rings' sizes (0, huge, not a power of two) and heads (unaligned, near
 * the end of the address range), the region table, table counts and
 * entry sizes, the string table's size and use, every seq counter and
 * state of the thread and module tables, module paths without their NUL,
 * the viewer control block (a heartbeat far in the future, counts) and
 * the header's own state and sizes, the coroutine table (its high-water
 * mark, stack area and every entry's id, state and park count) and the
 * string table's use.  The same again with examples/flametop-pipeline
 * (coroutines that park, with labels).  Passes when each target exits
 * with its own status and output; a runtime that used any of these
 * values would crash it, or write outside the segment and corrupt it.
 * Exit: 0 pass, 1 fail, 77 skip (automake).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "flametop-shm.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* one round of hostile writes into the mapped segment */
static void scribble(uint8_t *base, size_t len, const struct ft_region *reg)
{
	static const uint64_t sizes[] = {0, 1, 63, 100, 1ull << 40, UINT64_MAX, 4096 * 3 + 8};
	struct ft_header *h = (struct ft_header *)base;
	uint64_t r = rnd();

	for (int i = 0; i < 2; i++) {
		const struct ft_region *rg = &reg[i == 0 ? FT_REGION_SAMPLES : FT_REGION_EVENTS];
		struct ft_ring *ring;

		if (rg->offset + sizeof(*ring) > len)
			continue;
		ring = (struct ft_ring *)(base + rg->offset);
		ring->size = sizes[(r >> (8 * i)) % (sizeof(sizes) / sizeof(sizes[0]))];
		if (r & 1)
			ring->head = rnd();
		else
			ring->head = UINT64_MAX - (r & 0xfff);
	}
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		h->regions[i].offset = rnd() & ~7ull;
		h->regions[i].size = rnd();
		h->regions[i].count = (uint32_t)rnd();
		h->regions[i].entry_size = (uint32_t)rnd();
	}
	for (uint32_t i = 0; i < reg[FT_REGION_THREADS].count; i++) {
		struct ft_thread *t =
		    (struct ft_thread *)(base + reg[FT_REGION_THREADS].offset) + i;

		if ((uint8_t *)(t + 1) > base + len)
			break;
		t->seq = (uint32_t)rnd();
		t->state = (uint32_t)rnd() % 4;
		memset(t->name, 'x', sizeof(t->name));
	}
	for (uint32_t i = 0; i < reg[FT_REGION_MODULES].count; i++) {
		struct ft_module *m =
		    (struct ft_module *)(base + reg[FT_REGION_MODULES].offset) + i;

		if ((uint8_t *)(m + 1) > base + len)
			break;
		m->seq = (uint32_t)rnd();
		m->loaded = (uint32_t)rnd() & 1;
		m->bias = rnd();
		memset(m->path, 'y', sizeof(m->path));
	}
	if (reg[FT_REGION_COROS].offset + sizeof(struct ft_corotab) <= len) {
		struct ft_corotab *ct = (struct ft_corotab *)(base + reg[FT_REGION_COROS].offset);
		uint64_t eoff = ct->entries_offset;

		for (uint32_t i = 0; i < 64; i++) {
			uint64_t at =
			    reg[FT_REGION_COROS].offset + eoff + i * sizeof(struct ft_coro);
			struct ft_coro *e = (struct ft_coro *)(base + at);

			if (eoff > len || at + sizeof(*e) > len)
				break;
			e->id = rnd() & 0xff;
			e->state = (uint32_t)rnd() % 5;
			e->park_seq = (uint32_t)rnd();
			e->stack = rnd();
		}
		ct->used = (uint32_t)sizes[r % (sizeof(sizes) / sizeof(sizes[0]))];
		ct->entries_offset = rnd();
		ct->stacks_offset = rnd();
		ct->stacks_size = rnd();
		ct->stacks_used = r & 4 ? UINT64_MAX - 8 : rnd();
	}
	if (reg[FT_REGION_STRINGS].offset + sizeof(struct ft_strtab) <= len) {
		struct ft_strtab *st = (struct ft_strtab *)(base + reg[FT_REGION_STRINGS].offset);

		st->size = rnd();
		st->used = rnd();
	}
	h->control.viewer_heartbeat_ns = r & 2 ? UINT64_MAX : rnd();
	h->control.viewers = (uint32_t)rnd();
	h->segment_size = rnd();
	h->header_size = (uint32_t)rnd();
	h->state = (uint32_t)rnd();
	h->max_depth = (uint32_t)rnd();
	h->modules_gen = rnd();
	h->threads_gen = rnd();
	memset(h->exe, 'z', sizeof(h->exe));
}

/* Runs argv under the runtime while scribbling over its segment; 0 if it
 * exited with status want and printed a line starting with out. */
static int hostile_run(const char *lib, char *const argv[], int want, const char *out)
{
	char path[64], preload[4200], got[256] = "";
	struct ft_region reg[FT_REGION_COUNT];
	uint8_t *base = MAP_FAILED;
	int fd = -1, status = 0, pipefd[2], done = 0;
	struct stat st;
	double end;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return 1;
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", lib);
	pid = fork();
	if (pid == 0) {
		char *envp[] = {preload,
				"FLAMETOP=1",
				"FLAMETOP_ALWAYS=1",
				"FLAMETOP_FREQ=999",
				"FLAMETOP_QUIET=1",
				NULL};

		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(pipefd[1]);
	snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)pid);
	for (int i = 0; i < 2000 && fd < 0; i++) {
		fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			usleep(10000);
	}
	if (fd < 0 || fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct ft_header)) {
		printf("FAIL: %s: no segment at %s\n", argv[0], path);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		printf("FAIL: cannot map %s: %s\n", path, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	/* the real layout, read once, so the writes land in the tables */
	memcpy(reg, ((struct ft_header *)base)->regions, sizeof(reg));
	for (int i = 0; i < FT_REGION_COUNT; i++)
		if (reg[i].offset > (uint64_t)st.st_size ||
		    reg[i].size > (uint64_t)st.st_size - reg[i].offset)
			memset(&reg[i], 0, sizeof(reg[i]));
	end = now_s() + 2;
	while (now_s() < end && !done) {
		scribble(base, (size_t)st.st_size, reg);
		usleep(200);
		done = waitpid(pid, &status, WNOHANG) == pid;
	}
	if (!done && waitpid(pid, &status, 0) != pid) {
		printf("FAIL: waitpid: %s\n", strerror(errno));
		return 1;
	}
	n = read(pipefd[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	munmap(base, (size_t)st.st_size);
	unlink(path);
	if (WIFSIGNALED(status)) {
		printf("FAIL: %s died of signal %d (%s)\n", argv[0], WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != want ||
	    strncmp(got, out, strlen(out)) != 0) {
		printf("FAIL: %s exited with status %d, output '%s' (want %d, '%s...')\n", argv[0],
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1, got, want, out);
		return 1;
	}
	printf("ok: %s survived hostile writes: status %d, '%s'", argv[0], want, got);
	return 0;
}

int main(void)
{
	const char *bd = getenv("top_builddir");
	char lib[4096], work[4096], pipeline[4096];

	if (!bd)
		bd = ".";
	snprintf(lib, sizeof(lib), "%s/runtime/.libs/libflametop.so", bd);
	snprintf(work, sizeof(work), "%s/tests/rt-work", bd);
	snprintf(pipeline, sizeof(pipeline), "%s/examples/flametop-pipeline", bd);
	if (access(lib, R_OK) != 0 || access(work, X_OK) != 0 || access(pipeline, X_OK) != 0) {
		printf("SKIP: %s, %s or %s not built\n", lib, work, pipeline);
		return 77;
	}
	{
		char *spin[] = {work, "spin", "3", "7", NULL};
		char *pipe_argv[] = {pipeline, "-n", "20000", "60", "1", "3", "1", NULL};

		if (hostile_run(lib, spin, 7, "spin done\n") != 0 ||
		    hostile_run(lib, pipe_argv, 0, "pipeline: 20000 items") != 0)
			return 1;
	}
	return 0;
}
