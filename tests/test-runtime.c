/*
 * test-runtime.c - end-to-end tests of libflametop (the runtime).
 *
 * Each test runs tests/rt-work (or rt-work-linked) with the runtime
 * preloaded and FLAMETOP_KEEP_SEGMENT=1, waits for it, then maps
 * /dev/shm/flametop.<pid> itself and checks it with nothing but
 * flametop-shm.h: header, ring records, thread and module tables.  The
 * segment is unlinked afterwards.  No assertion depends on timing beyond
 * "a spinning thread gets samples"; measured numbers are only printed.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "flametop-shm.h"

/* ---- running a workload ------------------------------------------------ */

struct run {
	pid_t pid;
	int status; /* wait status */
	int outfd, errfd;
	char out[4096]; /* stdout */
	char err[4096]; /* stderr */
};

static char lib_path[4096], work_path[4096], linked_path[4096], target_path[4096];
static int child_ignore;     /* a signal the child starts with ignored */
static int child_block_name; /* the child makes its segment name a directory */

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/*
 * Starts prog with argv; env is a NULL-terminated list of "NAME=value"
 * (FLAMETOP* variables and LD_PRELOAD are cleared first; "NAME=" unsets).
 */
static void run_start(struct run *r, const char *prog, const char **argv, const char **env)
{
	char outname[] = "/tmp/ft-rt-out-XXXXXX", errname[] = "/tmp/ft-rt-err-XXXXXX";
	int out = mkstemp(outname), err = mkstemp(errname);

	assert_true(out >= 0 && err >= 0);
	unlink(outname);
	unlink(errname);
	memset(r, 0, sizeof(*r));
	r->outfd = out;
	r->errfd = err;
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		extern char **environ;
		char **e;

	again:
		for (e = environ; *e; e++)
			if (strncmp(*e, "FLAMETOP", 8) == 0 ||
			    strncmp(*e, "LD_PRELOAD=", 11) == 0) {
				char name[256];
				size_t n = strcspn(*e, "=");

				snprintf(name, sizeof(name), "%.*s", (int)n, *e);
				unsetenv(name);
				goto again;
			}
		for (; env && *env; env++) {
			char name[256];
			const char *eq = strchr(*env, '=');

			snprintf(name, sizeof(name), "%.*s", (int)(eq - *env), *env);
			if (eq[1])
				setenv(name, eq + 1, 1);
		}
		if (child_ignore)
			signal(child_ignore, SIG_IGN); /* survives exec */
		if (child_block_name) {
			char path[64];

			snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)getpid());
			mkdir(path, 0700);
		}
		dup2(out, 1);
		dup2(err, 2);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
}

/* waits for the child, at most 25 s: a hung target fails the test */
static void run_wait(struct run *r)
{
	pid_t got = 0;

	for (int i = 0; i < 2500 && got == 0; i++) {
		struct timespec ts = {0, 10000000};

		got = waitpid(r->pid, &r->status, WNOHANG);
		if (got == 0)
			nanosleep(&ts, NULL);
	}
	if (got == 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &r->status, 0);
		fail_msg("pid %d hung (killed)", (int)r->pid);
	}
	assert_int_equal(got, r->pid);
	slurp(r->outfd, r->out, sizeof(r->out));
	slurp(r->errfd, r->err, sizeof(r->err));
}

static void run_prog(struct run *r, const char *prog, const char **argv, const char **env)
{
	run_start(r, prog, argv, env);
	run_wait(r);
}

/* 499 Hz: enough samples even when a loaded machine starves the target */
#define ENV_ON "FLAMETOP=1", "FLAMETOP_ALWAYS=1", "FLAMETOP_KEEP_SEGMENT=1", "FLAMETOP_FREQ=499"

/* starts prog (argv[0] name) with the runtime preloaded */
static void run_preloaded(struct run *r, const char *prog, const char *name, const char **args,
			  const char **extra_env)
{
	const char *argv[16] = {name};
	const char *env[32];
	char preload[4200];
	int n = 0, i;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", lib_path);
	env[n++] = preload;
	for (i = 0; extra_env && extra_env[i] && n < 31; i++)
		env[n++] = extra_env[i];
	env[n] = NULL;
	run_start(r, prog, argv, env);
}

static void run_work_start(struct run *r, const char **args, const char **extra_env)
{
	run_preloaded(r, work_path, "rt-work", args, extra_env);
}

static void run_work(struct run *r, const char **args, const char **extra_env)
{
	run_work_start(r, args, extra_env);
	run_wait(r);
}

/* ---- reading a segment -------------------------------------------------- */

struct seg {
	uint8_t *base;
	size_t size;
	struct ft_header *h;
	char name[64];
};

static int seg_exists(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)pid);
	return access(path, F_OK) == 0;
}

static void seg_open(struct seg *s, pid_t pid)
{
	struct stat st;
	int fd;

	snprintf(s->name, sizeof(s->name), FT_SHM_PREFIX "%d", (int)pid);
	fd = shm_open(s->name, O_RDONLY, 0);
	if (fd < 0)
		fail_msg("no segment %s: %s", s->name, strerror(errno));
	assert_int_equal(fstat(fd, &st), 0);
	assert_true((size_t)st.st_size >= sizeof(struct ft_header));
	s->size = (size_t)st.st_size;
	s->base = mmap(NULL, s->size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(s->base != MAP_FAILED);
	s->h = (struct ft_header *)s->base;
}

static void seg_close(struct seg *s)
{
	munmap(s->base, s->size);
	shm_unlink(s->name);
}

static void assert_sane_header(const struct seg *s, pid_t pid)
{
	const struct ft_header *h = s->h;
	uint64_t end = 4096;

	assert_memory_equal(h->magic, FT_MAGIC, 8);
	assert_int_equal(h->version, FT_VERSION);
	assert_int_equal(h->header_size, sizeof(*h));
	assert_int_equal(h->segment_size, s->size);
	assert_int_equal(h->pid, pid);
	assert_int_equal(h->uid, getuid());
	assert_true(h->freq_hz >= 1 && h->freq_hz <= 1000);
	assert_int_equal(h->period_ns, 1000000000ull / h->freq_hz);
	assert_true(h->max_depth >= 1 && h->max_depth <= FT_MAX_DEPTH);
	assert_true(h->mode == FT_MODE_CPU || h->mode == FT_MODE_WALL);
	assert_true(h->start_mono_ns > 0 && h->heartbeat_ns >= h->start_mono_ns);
	assert_non_null(memchr(h->exe, 0, sizeof(h->exe)));
	assert_non_null(memchr(h->cmdline, 0, sizeof(h->cmdline)));
	assert_non_null(memchr(h->note, 0, sizeof(h->note)));
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		const struct ft_region *r = &h->regions[i];

		assert_int_equal(r->offset % 4096, 0);
		assert_int_equal(r->offset, end); /* in order, no overlap */
		assert_true(r->size > 0 && r->offset + r->size <= s->size);
		if (r->count)
			assert_true((uint64_t)r->count * r->entry_size <= r->size);
		end = r->offset + r->size;
	}
	assert_int_equal(h->regions[FT_REGION_THREADS].entry_size, sizeof(struct ft_thread));
	assert_int_equal(h->regions[FT_REGION_MODULES].entry_size, sizeof(struct ft_module));
	/* the coroutine region is backed only as coroutines are used */
	assert_true(s->size - h->regions[FT_REGION_COROS].size <= 3u * 1024 * 1024);
}

/* calls fn for every committed sample; returns how many were valid */
typedef void (*sample_fn)(const struct ft_sample *smp, void *arg);

static uint64_t for_samples(const struct seg *s, sample_fn fn, void *arg)
{
	const struct ft_region *reg = &s->h->regions[FT_REGION_SAMPLES];
	const struct ft_ring *ring = (const void *)(s->base + reg->offset);
	const uint8_t *data = (const uint8_t *)ring + FT_RING_DATA_OFFSET;
	uint64_t size = ring->size, head = ring->head, pos, n = 0;
	static uint64_t buf[(sizeof(struct ft_sample) + 8 * FT_MAX_DEPTH) / 8 + 1];

	assert_true(size >= 64 && (size & (size - 1)) == 0);
	assert_true(FT_RING_DATA_OFFSET + size <= reg->size);
	assert_true(head <= size); /* the tests never wrap the default ring */
	for (pos = 0; pos < head;) {
		const struct ft_rec_hdr *rh = (const void *)(data + pos);
		const struct ft_sample *smp = (const void *)buf;

		assert_int_equal(rh->tag, pos ^ FT_TAG_XOR);
		assert_true(rh->len >= sizeof(struct ft_rec_hdr) && rh->len % 8 == 0);
		assert_true(pos + rh->len <= head);
		if (rh->kind == FT_REC_SAMPLE) {
			assert_true(rh->len <= sizeof(buf));
			memcpy(buf, rh, rh->len);
			assert_true(smp->nframes >= 1 && smp->nframes <= s->h->max_depth);
			assert_int_equal(rh->len, (sizeof(*smp) + 8u * smp->nframes + 7) & ~7u);
			assert_true(smp->thread_slot < s->h->regions[FT_REGION_THREADS].count);
			assert_true(smp->tid > 0);
			if (fn)
				fn(smp, arg);
			n++;
		}
		pos += rh->len;
	}
	return n;
}

static const struct ft_thread *thread_at(const struct seg *s, uint32_t i)
{
	const struct ft_region *r = &s->h->regions[FT_REGION_THREADS];

	return (const void *)(s->base + r->offset + (uint64_t)i * r->entry_size);
}

static int thread_by_name(const struct seg *s, const char *name)
{
	for (uint32_t i = 0; i < s->h->regions[FT_REGION_THREADS].count; i++) {
		const struct ft_thread *t = thread_at(s, i);

		assert_int_equal(t->seq % 2, 0); /* the writer is gone */
		if (t->state != FT_THREAD_FREE && strncmp(t->name, name, FT_NAME_LEN) == 0)
			return (int)i;
	}
	return -1;
}

static const struct ft_module *module_by_path(const struct seg *s, const char *path)
{
	const struct ft_region *r = &s->h->regions[FT_REGION_MODULES];

	for (uint32_t i = 0; i < r->count; i++) {
		const struct ft_module *m =
		    (const void *)(s->base + r->offset + (uint64_t)i * r->entry_size);

		assert_int_equal(m->seq % 2, 0);
		if (m->path[0] && strstr(m->path, path))
			return m;
	}
	return NULL;
}

/* the build-id of an ELF file as readelf -n prints it, in hex */
static void readelf_build_id(const char *path, char *hex, size_t len)
{
	char cmd[4200], line[512];
	FILE *p;

	hex[0] = '\0';
	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *b = strstr(line, "Build ID: ");

		if (b && sscanf(b + 10, "%127s", hex) == 1)
			break;
	}
	pclose(p);
	(void)len;
}

static void hexify(const uint8_t *b, uint32_t n, char *out)
{
	for (uint32_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* ---- spin: the core path ------------------------------------------------ */

struct spin_stats {
	uint64_t lo, hi; /* the executable's range */
	int32_t main_tid;
	uint64_t main, main_in_exe, exact, per_slot[512], oncpu_slot[512];
};

static void count_sample(const struct ft_sample *smp, void *arg)
{
	struct spin_stats *st = arg;

	st->per_slot[smp->thread_slot]++;
	if (smp->flags & FT_SAMPLE_ONCPU)
		st->oncpu_slot[smp->thread_slot]++;
	if (smp->flags & FT_SAMPLE_LEAF_EXACT)
		st->exact++;
	if (smp->tid == st->main_tid) {
		st->main++;
		if (smp->pc[0] >= st->lo && smp->pc[0] < st->hi)
			st->main_in_exe++;
	}
}

static void check_spin(struct run *r, struct seg *s, int want_status, int wall, uint32_t want_timer)
{
	const struct ft_module *exe;
	struct spin_stats st;
	char want_id[128], got_id[64];
	int spin_slot, sleep_slot;
	uint64_t n;

	assert_true(WIFEXITED(r->status));
	assert_int_equal(WEXITSTATUS(r->status), want_status);
	assert_string_equal(r->out, "spin done\n");
	seg_open(s, r->pid);
	assert_sane_header(s, r->pid);
	assert_int_equal(s->h->state, FT_STATE_EXITED);
	assert_int_equal(s->h->exit_status, want_status);
	assert_int_equal(s->h->mode, wall ? FT_MODE_WALL : FT_MODE_CPU);
	assert_true(s->h->flags & FT_FLAG_ALWAYS);
	assert_non_null(strstr(s->h->cmdline, "spin"));
	assert_true(s->h->counters.samples_written > 0);

	exe = module_by_path(s, s->h->exe);
	assert_non_null(exe);
	assert_string_equal(exe->path, s->h->exe);
	assert_true(exe->lo < exe->hi && exe->lo >= exe->bias);
	readelf_build_id(s->h->exe, want_id, sizeof(want_id));
	assert_true(want_id[0] != '\0');
	assert_true(exe->build_id_len > 0 && exe->build_id_len <= FT_BUILD_ID_LEN);
	hexify(exe->build_id, exe->build_id_len, got_id);
	assert_string_equal(got_id, want_id);
	assert_non_null(module_by_path(s, "libc.so"));

	memset(&st, 0, sizeof(st));
	st.lo = exe->lo;
	st.hi = exe->hi;
	st.main_tid = r->pid;
	n = for_samples(s, count_sample, &st);
	assert_int_equal(n, s->h->counters.samples_written);
	assert_int_equal(st.exact, n);
	assert_true(st.main > 5);
	/* main spins in the executable nearly all the time */
	assert_true(st.main_in_exe * 10 >= st.main * 8);

	spin_slot = thread_by_name(s, "ft-spinner");
	sleep_slot = thread_by_name(s, "ft-sleeper");
	assert_true(spin_slot >= 0 && sleep_slot >= 0);
	assert_true(st.per_slot[spin_slot] > 5);
	assert_int_equal(thread_at(s, spin_slot)->state, FT_THREAD_EXITED);
	assert_int_equal(thread_at(s, spin_slot)->timer, want_timer);
	assert_int_equal(thread_at(s, sleep_slot)->timer, want_timer);
	assert_int_equal(thread_at(s, spin_slot)->samples, st.per_slot[spin_slot]);
	if (wall) {
		/* wall mode samples the sleeper too, mostly off-CPU */
		assert_true(st.per_slot[sleep_slot] > 5);
		assert_true(st.oncpu_slot[sleep_slot] * 2 < st.per_slot[sleep_slot]);
		assert_true(st.oncpu_slot[spin_slot] > 0);
	} else {
		/* CPU mode: a sleeping thread earns (almost) nothing */
		assert_true(st.per_slot[sleep_slot] <= 2 ||
			    st.per_slot[sleep_slot] * 20 <= st.per_slot[spin_slot]);
	}
}

static void test_spin_cpu(void **state)
{
	const char *args[] = {"spin", "1", "7", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	check_spin(&r, &s, 7, 0, FT_TIMER_PERF_TASK_CLOCK);
	assert_int_equal(s.h->timer, FT_TIMER_NONE); /* disarmed at exit */
	assert_int_equal(s.h->counters.drop_nothread, 0);
	assert_string_equal(r.err, "");
	seg_close(&s);
}

static void test_spin_posix_timer(void **state)
{
	const char *args[] = {"spin", "1", "0", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_TIMER=posix", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	check_spin(&r, &s, 0, 0, FT_TIMER_POSIX_CPU);
	seg_close(&s);
}

static void test_spin_wall(void **state)
{
	const char *args[] = {"spin", "1", "0", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_MODE=wall", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	/* wall mode signals running threads on their user CPU time only */
	check_spin(&r, &s, 0, 1, FT_TIMER_PERF_TASK_CLOCK);
	seg_close(&s);
}

static void test_linked(void **state)
{
	const char *argv[] = {"rt-work-linked", "spin", "1", "6", NULL};
	const char *env[] = {ENV_ON, NULL};
	const char *argv2[] = {"rt-work-linked", "active", NULL};
	const char *env2[] = {"FLAMETOP=1", NULL};
	struct run r;
	struct seg s;

	run_prog(&r, linked_path, argv, env);
	check_spin(&r, &s, 6, 0, FT_TIMER_PERF_TASK_CLOCK);
	assert_non_null(module_by_path(&s, "libflametop.so"));
	seg_close(&s);

	run_prog(&r, linked_path, argv2, env2);
	assert_string_equal(r.out, "active 1\n");
	assert_false(seg_exists(r.pid)); /* unlinked at exit without KEEP */
	run_prog(&r, linked_path, argv2, NULL);
	assert_string_equal(r.out, "active 0\n");
}

/* the same program gives the same output and status without the runtime */
static void test_unchanged(void **state)
{
	const char *args[] = {"fork", "0.4", NULL};
	const char *env_on[] = {ENV_ON, NULL};
	struct run a, b;
	char *pa, *pb;

	run_work(&a, args, NULL);
	assert_false(seg_exists(a.pid));
	run_work(&b, args, env_on);
	assert_int_equal(a.status, b.status);
	assert_string_equal(a.err, "");
	assert_string_equal(b.err, "");
	/* "child PID" differs: compare the rest */
	pa = strstr(a.out, "parent");
	pb = strstr(b.out, "parent");
	assert_non_null(pa);
	assert_non_null(pb);
	assert_string_equal(pa, pb);
	shm_unlink("/flametop.0"); /* nothing */
	{
		char name[64];

		snprintf(name, sizeof(name), FT_SHM_PREFIX "%d", (int)b.pid);
		shm_unlink(name);
	}
}

static void test_fork(void **state)
{
	const char *args[] = {"fork", "1", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r;
	struct seg s;
	int child = 0;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 4);
	assert_int_equal(sscanf(r.out, "child %d", &child), 1);
	assert_non_null(strstr(r.out, "parent child-status 3\n"));
	assert_false(seg_exists(child));
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	assert_int_equal(s.h->state, FT_STATE_EXITED);
	assert_int_equal(s.h->exit_status, 4);
	assert_true(for_samples(&s, NULL, NULL) > 0);
	/* no sample of the child's tids landed in the parent's ring */
	assert_int_equal(s.h->counters.drop_nothread, 0);
	seg_close(&s);
}

static void test_exec(void **state)
{
	const char *args[] = {"exec", "0.5", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 5);
	assert_string_equal(r.out, "exec\nspin done\n");
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	/* the new image's own segment, not the old one marked EXECED */
	assert_int_equal(s.h->state, FT_STATE_EXITED);
	assert_int_equal(s.h->exit_status, 5);
	assert_non_null(strstr(s.h->cmdline, "spin 0.5 5"));
	assert_true(for_samples(&s, NULL, NULL) > 0);
	seg_close(&s);
}

static void check_signal_taken(const char *how)
{
	const char *args[] = {"sig", "1", how, NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", NULL};
	struct run r;
	struct seg s;
	const char *want = "flametop: signal ";

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "sig got 10\n");
	/* exactly one line, naming the signal */
	assert_memory_equal(r.err, want, strlen(want));
	assert_non_null(
	    strstr(r.err, "is used by the program; sampling off (set FLAMETOP_SIGNAL)\n"));
	assert_null(strchr(r.err, '\n')[1] ? r.err : NULL);
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	assert_true(s.h->note[0] != '\0');
	assert_int_equal(s.h->state, FT_STATE_EXITED);
	assert_false(s.h->flags & FT_FLAG_SAMPLING);
	assert_true(s.h->counters.samples_written > 0); /* before the takeover */
	seg_close(&s);
}

/* the program installs its own handler on our signal while we sample:
 * it gets exactly its own signals, and a note once */
static void test_signal_taken(void **state)
{
	check_signal_taken("sigaction");
	check_signal_taken("signal");
}

static void test_invalid_settings(void **state)
{
	const char *args[] = {"spin", "0.2", "0", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=abc", NULL};
	const char *env2[] = {ENV_ON, "FLAMETOP_MODE=both", "FLAMETOP_DEPTH=0", NULL};
	const char *env3[] = {ENV_ON, "FLAMETOP_QUIET=1", "FLAMETOP_FREQ=1001",
			      "FLAMETOP_SIGNAL=SIGSEGV", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_string_equal(r.err,
			    "flametop: ignoring FLAMETOP_FREQ=abc (expected 1-1000), using 99\n");
	assert_string_equal(r.out, "spin done\n");
	seg_open(&s, r.pid);
	assert_int_equal(s.h->freq_hz, 99);
	seg_close(&s);

	run_work(&r, args, env2);
	assert_string_equal(
	    r.err, "flametop: ignoring FLAMETOP_DEPTH=0 (expected 1-512), using 128\n"
		   "flametop: ignoring FLAMETOP_MODE=both (expected cpu or wall), using cpu\n");
	seg_open(&s, r.pid);
	assert_int_equal(s.h->max_depth, 128);
	assert_int_equal(s.h->mode, FT_MODE_CPU);
	seg_close(&s);

	/* FLAMETOP_QUIET=1: the same, silently */
	run_work(&r, args, env3);
	assert_string_equal(r.err, "");
	seg_open(&s, r.pid);
	assert_int_equal(s.h->freq_hz, 99);
	assert_int_equal(s.h->signo, SIGRTMIN + 5);
	seg_close(&s);
}

static void test_settings(void **state)
{
	const char *args[] = {"deep", "0.5", "40", NULL};
	const char *env[] = {ENV_ON,
			     "FLAMETOP_FREQ=500",
			     "FLAMETOP_DEPTH=8",
			     "FLAMETOP_SIGNAL=SIGRTMIN+3",
			     "FLAMETOP_RING_KB=256",
			     NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_string_equal(r.err, "");
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	assert_int_equal(s.h->freq_hz, 500);
	assert_int_equal(s.h->max_depth, 8);
	assert_int_equal(s.h->signo, SIGRTMIN + 3);
	assert_int_equal(
	    ((struct ft_ring *)(s.base + s.h->regions[FT_REGION_SAMPLES].offset))->size,
	    256 * 1024);
	assert_true(s.h->counters.truncated > 0);
	assert_true(for_samples(&s, NULL, NULL) > 0);
	seg_close(&s);
}

static void test_off(void **state)
{
	const char *args[] = {"spin", "0.2", "0", NULL};
	const char *env[] = {"FLAMETOP_ALWAYS=1", "FLAMETOP_KEEP_SEGMENT=1", NULL};
	const char *env_quiet_unwatched[] = {"FLAMETOP=1", "FLAMETOP_KEEP_SEGMENT=1", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_string_equal(r.out, "spin done\n");
	assert_false(seg_exists(r.pid));

	/* on but unwatched: a segment, no samples, no timers */
	run_work(&r, args, env_quiet_unwatched);
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	assert_int_equal(s.h->counters.samples_written, 0);
	assert_false(s.h->flags & FT_FLAG_SAMPLING);
	assert_true(thread_by_name(&s, "ft-spinner") >= 0);
	seg_close(&s);
}

static void test_dlopen(void **state)
{
	const char *args[] = {"dl", "0.6", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	if (strcmp(r.out, "dlopen ok\n") != 0)
		skip();
	seg_open(&s, r.pid);
	assert_non_null(module_by_path(&s, "libdw"));
	assert_true(s.h->modules_gen >= 2);
	seg_close(&s);
}

/* a program that starts with the signal ignored owns it: hands off */
static void test_signal_ignored(void **state)
{
	const char *args[] = {"spin", "0.3", "0", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_SIGNAL=SIGUSR2", NULL};
	struct run r;
	struct seg s;
	char want[128];

	child_ignore = SIGUSR2;
	run_work(&r, args, env);
	child_ignore = 0;
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "spin done\n");
	snprintf(want, sizeof(want),
		 "flametop: signal %d is used by the program; sampling off "
		 "(set FLAMETOP_SIGNAL)\n",
		 SIGUSR2);
	assert_string_equal(r.err, want);
	seg_open(&s, r.pid);
	assert_int_equal(s.h->counters.samples_written, 0);
	assert_true(s.h->note[0] != '\0');
	seg_close(&s);
}

/* no segment can be made: one note, the program runs as without us */
static void test_no_segment(void **state)
{
	const char *argv[] = {"rt-work-linked", "active", NULL};
	const char *env[] = {ENV_ON, NULL};
	char path[64], want[128];
	struct run r;

	child_block_name = 1;
	run_prog(&r, linked_path, argv, env);
	child_block_name = 0;
	snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)r.pid);
	rmdir(path);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "active 0\n");
	snprintf(want, sizeof(want), "flametop: cannot create /dev/shm/flametop.%d: ", (int)r.pid);
	assert_memory_equal(r.err, want, strlen(want));
	assert_non_null(strstr(r.err, "; not profiling\n"));
	assert_ptr_equal(strchr(r.err, '\n') + 1, r.err + strlen(r.err)); /* one line */
	snprintf(path, sizeof(path), "/dev/shm/flametop.%d.new", (int)r.pid);
	assert_int_equal(access(path, F_OK), -1);
}

/* a failed exec leaves the program running as before */
static void test_exec_fails(void **state)
{
	const char *args[] = {"execfail", "0.3", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r, plain;

	run_work(&plain, args, NULL);
	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(r.status, plain.status);
	assert_string_equal(r.out, plain.out);
	assert_string_equal(r.err, "");
	/* documented: the name was released before the exec */
	assert_false(seg_exists(r.pid));
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* without FLAMETOP_ALWAYS, sampling follows the viewer's heartbeat */
/* 1 if a file whose path contains name is mapped in pid */
static int maps_has(pid_t pid, const char *name)
{
	char path[64], line[512];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, name) != NULL;
	fclose(f);
	return found;
}

static void test_viewer_heartbeat(void **state)
{
	const char *args[] = {"spin", "8", "0", NULL};
	const char *env[] = {"FLAMETOP=1", "FLAMETOP_KEEP_SEGMENT=1", "FLAMETOP_FREQ=499", NULL};
	volatile struct ft_header *h;
	uint64_t before, seen = 0;
	struct run r;
	struct seg s;
	int fd = -1, i;

	run_work_start(&r, args, env);
	snprintf(s.name, sizeof(s.name), FT_SHM_PREFIX "%d", (int)r.pid);
	for (i = 0; i < 500 && fd < 0; i++) {
		fd = shm_open(s.name, O_RDWR, 0);
		if (fd < 0)
			pause_ms(10);
	}
	assert_true(fd >= 0);
	for (i = 0; i < 500; i++) {
		struct stat st;

		if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(struct ft_header))
			break;
		pause_ms(10);
	}
	s.size = sizeof(struct ft_header);
	s.base = mmap(NULL, s.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(s.base != MAP_FAILED);
	h = (volatile struct ft_header *)s.base;
	while (h->state == FT_STATE_STARTING)
		pause_ms(10);
	assert_int_equal(h->state, FT_STATE_RUNNING);
	pause_ms(200);
	assert_int_equal(h->counters.samples_written, 0);
	assert_false(h->flags & FT_FLAG_SAMPLING);
	/* nobody watches: the unwinder is not even loaded */
	assert_false(maps_has(r.pid, "libunwind"));

	/* a viewer polls: sampling starts */
	for (i = 0; i < 300 && !(seen && h->counters.samples_written > 5); i++) {
		h->control.viewer_heartbeat_ns = mono_ns();
		h->control.viewers = 1;
		seen |= h->flags & FT_FLAG_SAMPLING;
		pause_ms(10);
	}
	assert_true(seen);
	assert_true(h->counters.samples_written > 5);
	assert_true(maps_has(r.pid, "libunwind"));
	/* threads started before it was loaded are unwound too */
	assert_int_equal(h->counters.drop_unwind, 0);
	assert_true(h->achieved_hz_milli == 0 || h->timer != FT_TIMER_NONE);

	/* it goes away: within ~2 s the timers are off, samples stop */
	for (i = 0; i < 500 && (h->flags & FT_FLAG_SAMPLING); i++)
		pause_ms(10);
	assert_false(h->flags & FT_FLAG_SAMPLING);
	assert_int_equal(h->timer, FT_TIMER_NONE);
	pause_ms(50);
	before = h->counters.samples_written;
	pause_ms(300);
	/* at most the signals already on their way, one per thread */
	assert_true(h->counters.samples_written <= before + 3);
	assert_int_equal(h->state, FT_STATE_RUNNING);
	munmap(s.base, s.size);
	kill(r.pid, SIGTERM);
	run_wait(&r);
	shm_unlink(s.name);
}

/* a thread on a small alternate signal stack (SA_ONSTACK) is sampled on a
 * stack of the runtime's, without overflowing its own */
static void test_small_altstack(void **state)
{
	const char *args[] = {"altstack", "0.6", "8", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", NULL};
	const struct ft_module *exe;
	struct spin_stats st;
	struct run r;
	struct seg s;
	uint64_t n;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "altstack done\n");
	seg_open(&s, r.pid);
	exe = module_by_path(&s, s.h->exe);
	assert_non_null(exe);
	memset(&st, 0, sizeof(st));
	st.lo = exe->lo;
	st.hi = exe->hi;
	st.main_tid = r.pid;
	n = for_samples(&s, count_sample, &st);
	assert_true(n > 5);
	assert_int_equal(st.exact, n);
	assert_true(st.main_in_exe * 10 >= st.main * 8);
	assert_int_equal(s.h->counters.drop_busy, 0);
	seg_close(&s);
}

struct blocked_stats {
	uint32_t slot;
	uint64_t blocked, signalled, stale;
};

static void count_blocked(const struct ft_sample *smp, void *arg)
{
	struct blocked_stats *bs = arg;

	if (smp->thread_slot != bs->slot)
		return;
	if (smp->flags & FT_SAMPLE_BLOCKED)
		bs->blocked++;
	else
		bs->signalled++;
	if (smp->flags & FT_SAMPLE_STALE)
		bs->stale++;
}

/* a thread that blocks every signal and waits for all of them never takes
 * a sampling signal for its own; wall mode reads it without a signal */
static void test_sigwait_thread(void **state)
{
	const char *args[] = {"sigwait", "0.6", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_MODE=wall", "FLAMETOP_FREQ=999", NULL};
	struct blocked_stats bs;
	struct run r;
	struct seg s;
	int slot;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "sigwait got 0\n");
	seg_open(&s, r.pid);
	slot = thread_by_name(&s, "ft-sigwait");
	assert_true(slot >= 0);
	memset(&bs, 0, sizeof(bs));
	bs.slot = (uint32_t)slot;
	for_samples(&s, count_blocked, &bs);
	assert_true(bs.blocked > 0);
	assert_int_equal(bs.signalled, 0);
	assert_true(s.h->counters.samples_written > bs.blocked); /* main was sampled */
	seg_close(&s);
}

/* threads that live a millisecond: found, sampled, reaped, slots reused */
static void test_thread_churn(void **state)
{
	const char *args[] = {"churn", "1.5", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "churn ok\n");
	seg_open(&s, r.pid);
	assert_sane_header(&s, r.pid);
	assert_int_equal(s.h->state, FT_STATE_EXITED);
	assert_true(s.h->counters.threads_seen > 20);
	assert_true(for_samples(&s, NULL, NULL) > 0);
	/* every entry is consistent and no thread but main is left live */
	for (uint32_t i = 0; i < s.h->regions[FT_REGION_THREADS].count; i++) {
		const struct ft_thread *t = thread_at(&s, i);

		assert_int_equal(t->seq % 2, 0);
		if (t->state == FT_THREAD_LIVE)
			assert_int_equal(t->tid, r.pid);
	}
	print_message("churn: %llu threads seen, %llu samples, %llu without a thread\n",
		      (unsigned long long)s.h->counters.threads_seen,
		      (unsigned long long)s.h->counters.samples_written,
		      (unsigned long long)s.h->counters.drop_nothread);
	seg_close(&s);
}

/* samples that land in the dynamic loader are dropped, never deadlock */
static void test_loader_busy(void **state)
{
	const char *args[] = {"dlloop", "1.5", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", NULL};
	struct run r;
	struct seg s;

	run_work(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	if (strncmp(r.out, "dlloop ", 7) != 0 || strstr(r.out, "dlloop 0\n"))
		skip();
	seg_open(&s, r.pid);
	assert_int_equal(s.h->state, FT_STATE_EXITED);
	print_message("dlloop: %llu samples, %llu dropped in the loader\n",
		      (unsigned long long)s.h->counters.samples_written,
		      (unsigned long long)s.h->counters.drop_busy);
	/* the loop spends most of its time in dlopen/dlclose */
	assert_true(s.h->counters.drop_busy > 0);
	assert_true(s.h->modules_gen >= 2);
	seg_close(&s);
}

/* ---- the target behaves as without the runtime --------------------------- */

static void run_target(struct run *r, const char **args, const char **extra_env)
{
	run_preloaded(r, target_path, "wl-target", args, extra_env);
	run_wait(r);
}

/* nine blocking calls, each on its own thread between bits of work: none
 * may fail with EINTR or return before its timeout */
static void check_matrix(const char *mode)
{
	const char *args[] = {"matrix", "1.5", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", mode, NULL};
	struct run r;
	struct seg s;
	int lines = 0;

	run_target(&r, args, env);
	print_message("%s:\n%s", mode, r.out);
	assert_true(WIFEXITED(r.status));
	for (const char *p = r.out; (p = strstr(p, " calls ")) != NULL; p++) {
		lines++;
		assert_non_null(strstr(p, " eintr 0 early 0\n"));
	}
	assert_int_equal(lines, 9);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	seg_open(&s, r.pid);
	assert_true(s.h->counters.samples_written > 50); /* it was sampled */
	seg_close(&s);
}

static void test_no_eintr_cpu(void **state)
{
	check_matrix("FLAMETOP_MODE=cpu");
}

static void test_no_eintr_wall(void **state)
{
	check_matrix("FLAMETOP_MODE=wall");
}

struct after_stats {
	uint64_t t, main_tid, after;
};

static void count_after(const struct ft_sample *smp, void *arg)
{
	struct after_stats *a = arg;

	if (smp->time_ns > a->t && (uint64_t)smp->tid != a->main_tid)
		a->after++;
}

/* a daemon closes every fd >= 3 ten times a second and takes the numbers
 * back (close_range, dup2): it hangs not, its pipes carry what it writes,
 * and its worker thread stays sampled.  The runtime thread's descriptors
 * (perf events included) are in a table of its own: none is lost; where
 * the kernel refused that table, the lost perf events are counted */
static void check_daemon(const char *timer)
{
	const char *args[] = {"daemon", "1.5", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", timer, NULL};
	struct after_stats a;
	unsigned long long t = 0;
	const char *p;
	struct run r;
	struct seg s;

	run_target(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_non_null(strstr(r.out, " bad 0\n"));
	p = strstr(r.err, "daemon closes at ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "daemon closes at %llu", &t), 1);
	seg_open(&s, r.pid);
	memset(&a, 0, sizeof(a));
	a.t = t + 500000000ull; /* the second half: after five rounds */
	a.main_tid = (uint64_t)r.pid;
	for_samples(&s, count_after, &a);
	print_message("daemon (%s): %llu worker samples in the last second, "
		      "%llu perf events lost and armed again\n",
		      timer, (unsigned long long)a.after,
		      (unsigned long long)s.h->counters.timers_lost);
	assert_true(a.after > 0); /* the rate depends on the load: any will do */
	if ((s.h->flags & FT_FLAG_PRIVATE_FDS) || strcmp(timer, "FLAMETOP_TIMER=perf") != 0)
		assert_int_equal(s.h->counters.timers_lost, 0);
	else
		assert_true(s.h->counters.timers_lost >= 5);
	seg_close(&s);
}

static void test_daemon_perf(void **state)
{
	check_daemon("FLAMETOP_TIMER=perf");
}

static void test_daemon_posix(void **state)
{
	check_daemon("FLAMETOP_TIMER=posix");
}

/* small thread stacks and alternate signal stacks: the target survives */
static void check_stack(const char *mode, const char *want_out, int small)
{
	const char *args[] = {mode, "1", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", NULL};
	const struct ft_counters *c;
	struct run r;
	struct seg s;

	run_target(&r, args, env);
	if (!WIFEXITED(r.status))
		fail_msg("%s: killed by signal %d", mode, WTERMSIG(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, want_out);
	seg_open(&s, r.pid);
	c = &s.h->counters;
	print_message("%s: %llu samples, %llu small-stack threads, %llu dropped for room\n", mode,
		      (unsigned long long)c->samples_written,
		      (unsigned long long)c->threads_small_stack,
		      (unsigned long long)c->drop_stack);
	assert_true(c->samples_written > 20); /* main was sampled */
	assert_int_equal(c->threads_small_stack, small);
	seg_close(&s);
}

static void test_stack_min(void **state)
{
	check_stack("stackmin", "stack 16384 used 2048 done\n", 1);
}

static void test_stack_32k(void **state)
{
	check_stack("stack32", "stack 32768 used 24576 done\n", 1);
}

static void test_altstack_in_use(void **state)
{
	check_stack("altrun", "altstack 8192 handled ok\n", 0);
}

static void test_altstack_2k(void **state)
{
	check_stack("alt2k", "altstack 2048 handled ok\n", 0);
}

/* wall mode reads blocked threads' stacks from the runtime thread: a
 * thread that wakes, exits and has its stack unmapped by the program
 * meanwhile must cost a dropped sample, never a fault in the program */
static void test_stack_unmapped(void **state)
{
	const char *args[] = {"stackchurn", "3", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", "FLAMETOP_MODE=wall", NULL};
	const struct ft_counters *c;
	unsigned long threads = 0;
	struct run r;
	struct seg s;

	(void)state;
	run_target(&r, args, env);
	if (!WIFEXITED(r.status))
		fail_msg("stackchurn: killed by signal %d", WTERMSIG(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_int_equal(sscanf(r.out, "stackchurn threads %lu", &threads), 1);
	seg_open(&s, r.pid);
	c = &s.h->counters;
	print_message("stackchurn: %lu threads, %llu samples, %llu dropped as woken\n", threads,
		      (unsigned long long)c->samples_written, (unsigned long long)c->drop_woke);
	assert_true(threads >= 8);
	assert_true(c->samples_written > 20);
	seg_close(&s);
}

/* makecontext with more arguments than a followed coroutine may take
 * (13): not followed, and every argument reaches the entry function */
static void test_makecontext_args(void **state)
{
	const char *args[] = {"ctxargs", "1", NULL};
	const char *env[] = {ENV_ON, NULL};
	struct run r;

	(void)state;
	run_target(&r, args, env);
	if (!WIFEXITED(r.status))
		fail_msg("ctxargs: killed by signal %d", WTERMSIG(r.status));
	assert_string_equal(r.out, "ctxargs ok\n");
	assert_int_equal(WEXITSTATUS(r.status), 0);
}

/* the most stack a sample takes below the interrupted frame (kernel frame
 * and handler, unwinding included): printed, and held to the handler's
 * own bound */
static void test_stack_need(void **state)
{
	const char *args[] = {"stackneed", "1", NULL};
	const char *env[] = {ENV_ON, "FLAMETOP_FREQ=999", "FLAMETOP_DEPTH=512", NULL};
	unsigned long long need = 0;
	const char *p;
	struct run r;

	run_target(&r, args, env);
	assert_true(WIFEXITED(r.status));
	assert_string_equal(r.out, "stackneed done\n");
	p = strstr(r.err, "stackneed ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "stackneed %llu", &need), 1);
	print_message("a sample took %llu bytes of the thread's stack (depth 512)\n", need);
	assert_true(need > 0);
	assert_true(need < 24 * 1024 + 16 * 1024);
}

/* handler cost and achieved rates: printed, not asserted (shared machine) */
static void test_measure(void **state)
{
	static const char *timers[] = {"FLAMETOP_TIMER=perf", "FLAMETOP_TIMER=posix"};
	static const char *freqs[] = {"FLAMETOP_FREQ=99", "FLAMETOP_FREQ=999"};
	const char *args[] = {"deep", "1.5", "30", NULL};

	for (int t = 0; t < 2; t++)
		for (int f = 0; f < 2; f++) {
			const char *env[] = {ENV_ON, timers[t], freqs[f], NULL};
			uint64_t total = 0, acc = 0, med = 0, p99 = 0;
			const struct ft_counters *c;
			struct run r;
			struct seg s;

			run_work(&r, args, env);
			assert_string_equal(r.out, "deep done\n");
			seg_open(&s, r.pid);
			c = &s.h->counters;
			for (int i = 0; i < 32; i++)
				total += c->handler_hist[i];
			assert_true(total > 0);
			assert_int_equal(total, c->handler_calls);
			for (int i = 0; i < 32; i++) {
				acc += c->handler_hist[i];
				if (!med && acc * 2 >= total)
					med = 1ull << i;
				if (!p99 && acc * 100 >= total * 99)
					p99 = 1ull << i;
			}
			print_message("%s %s: achieved %.1f Hz (last second), %llu samples "
				      "in 1.5 s; handler mean %llu ns, median [%llu, %llu) ns, "
				      "p99 [%llu, %llu) ns\n",
				      timers[t] + 9, freqs[f] + 9, s.h->achieved_hz_milli / 1000.0,
				      (unsigned long long)c->samples_written,
				      (unsigned long long)(c->handler_ns_total / total),
				      (unsigned long long)med, (unsigned long long)med * 2,
				      (unsigned long long)p99, (unsigned long long)p99 * 2);
			seg_close(&s);
		}
}

int main(void)
{
	const char *b = getenv("top_builddir");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spin_cpu),
	    cmocka_unit_test(test_spin_posix_timer),
	    cmocka_unit_test(test_spin_wall),
	    cmocka_unit_test(test_linked),
	    cmocka_unit_test(test_unchanged),
	    cmocka_unit_test(test_fork),
	    cmocka_unit_test(test_exec),
	    cmocka_unit_test(test_signal_taken),
	    cmocka_unit_test(test_signal_ignored),
	    cmocka_unit_test(test_exec_fails),
	    cmocka_unit_test(test_no_segment),
	    cmocka_unit_test(test_viewer_heartbeat),
	    cmocka_unit_test(test_invalid_settings),
	    cmocka_unit_test(test_settings),
	    cmocka_unit_test(test_off),
	    cmocka_unit_test(test_dlopen),
	    cmocka_unit_test(test_loader_busy),
	    cmocka_unit_test(test_thread_churn),
	    cmocka_unit_test(test_sigwait_thread),
	    cmocka_unit_test(test_small_altstack),
	    cmocka_unit_test(test_no_eintr_cpu),
	    cmocka_unit_test(test_no_eintr_wall),
	    cmocka_unit_test(test_daemon_perf),
	    cmocka_unit_test(test_daemon_posix),
	    cmocka_unit_test(test_stack_min),
	    cmocka_unit_test(test_stack_32k),
	    cmocka_unit_test(test_altstack_in_use),
	    cmocka_unit_test(test_altstack_2k),
	    cmocka_unit_test(test_stack_need),
	    cmocka_unit_test(test_stack_unmapped),
	    cmocka_unit_test(test_makecontext_args),
	    cmocka_unit_test(test_measure),
	};

	if (!b)
		b = ".";
	snprintf(lib_path, sizeof(lib_path), "%s/runtime/.libs/libflametop.so", b);
	snprintf(work_path, sizeof(work_path), "%s/tests/rt-work", b);
	snprintf(linked_path, sizeof(linked_path), "%s/tests/rt-work-linked", b);
	snprintf(target_path, sizeof(target_path), "%s/tests/wl-target", b);
	return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
