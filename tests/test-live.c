/*
 * test-live.c - the live source: segment -> symbols -> profile.
 *
 * The test publishes a synthetic segment for its own pid in /dev/shm (the
 * real layout, records appended with runtime/ring.c) whose samples carry
 * addresses of this program's own functions, then checks the call tree,
 * thread names, statistics, late modules, exit and exec handling.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"
#include "calltree.h"
#include "live.h"
#include "session.h"
#include "source.h"

#define PAGE 4096u

static volatile int sink;

__attribute__((noinline)) int live_leaf(int x)
{
	for (int i = 0; i < 10; i++)
		sink += x * i;
	return sink;
}

__attribute__((noinline)) int live_caller(int x)
{
	sink += live_leaf(x) * 3;
	return sink + 1;
}

__attribute__((noinline)) int live_outer(int x)
{
	sink += live_caller(x) * 5;
	return sink + 2;
}

struct seg {
	char path[64];
	uint8_t *p;
	size_t len;
};

static struct ft_header *H(struct seg *s)
{
	return (struct ft_header *)s->p;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Creates /dev/shm/flametop.<our pid>, mapped shared. */
static void seg_create(struct seg *s)
{
	uint64_t off = PAGE;
	const uint64_t sizes[FT_REGION_COUNT] = {PAGE * 5, PAGE * 2, PAGE * 2,
						 PAGE,	   PAGE * 4, PAGE};
	const uint32_t counts[FT_REGION_COUNT] = {0, 0, 16, 8, 8, 0};
	const uint32_t esz[FT_REGION_COUNT] = {
	    0, 0, sizeof(struct ft_thread), sizeof(struct ft_coro), sizeof(struct ft_module), 0};
	int fd;

	snprintf(s->path, sizeof(s->path), "/dev/shm/flametop.%d", (int)getpid());
	unlink(s->path);
	s->len = PAGE;
	for (int i = 0; i < FT_REGION_COUNT; i++)
		s->len += sizes[i];
	fd = open(s->path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)s->len), 0);
	s->p = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(s->p != MAP_FAILED);
	close(fd);
	struct ft_header *h = H(s);
	memcpy(h->magic, FT_MAGIC, 8);
	h->version = FT_VERSION;
	h->header_size = sizeof(*h);
	h->segment_size = s->len;
	h->pid = getpid();
	h->start_mono_ns = mono_ns();
	h->mode = FT_MODE_WALL;
	h->timer = FT_TIMER_POSIX_WALL;
	h->freq_hz = 99;
	h->max_depth = 16;
	h->state = FT_STATE_RUNNING;
	h->achieved_hz_milli = 98500;
	snprintf(h->cmdline, sizeof(h->cmdline), "test-live --synthetic");
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		h->regions[i] = (struct ft_region){off, sizes[i], counts[i], esz[i]};
		off += sizes[i];
	}
	ft_ring_init((struct ft_ring *)(s->p + h->regions[FT_REGION_SAMPLES].offset), sizes[0]);
	ft_ring_init((struct ft_ring *)(s->p + h->regions[FT_REGION_EVENTS].offset), sizes[1]);
}

static void seg_destroy(struct seg *s)
{
	munmap(s->p, s->len);
	unlink(s->path);
}

static void put(struct seg *s, int tid, uint16_t flags, const uint64_t *pcs, uint16_t n)
{
	uint64_t buf[(sizeof(struct ft_sample) / 8) + 32];
	struct ft_sample *smp = (struct ft_sample *)buf;

	memset(buf, 0, sizeof(buf));
	smp->time_ns = mono_ns();
	smp->weight_ns = 1000;
	smp->cpu_ns = flags & FT_SAMPLE_ONCPU ? 1000 : 0;
	smp->tid = tid;
	smp->nframes = n;
	smp->flags = flags;
	memcpy(smp->pc, pcs, n * 8u);
	ft_ring_append((struct ft_ring *)(s->p + H(s)->regions[FT_REGION_SAMPLES].offset), smp,
		       (uint32_t)(sizeof(*smp) + n * 8u), FT_REC_SAMPLE);
}

/* Publishes a module in table slot i, as the runtime does. */
static void put_module(struct seg *s, int i, const char *path, uint64_t bias, uint64_t lo,
		       uint64_t hi)
{
	struct ft_module *m =
	    (struct ft_module *)(s->p + H(s)->regions[FT_REGION_MODULES].offset) + i;

	m->seq++;
	m->loaded = 1;
	m->bias = bias;
	m->lo = lo;
	m->hi = hi;
	snprintf(m->path, sizeof(m->path), "%s", path);
	m->seq++;
	H(s)->modules_gen++;
}

struct objinfo {
	const char *want; /* substring of the name, "" for the program */
	char path[FT_PATH_LEN];
	uint64_t bias, lo, hi;
};

static int find_obj(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct objinfo *o = arg;
	const char *name = info->dlpi_name ? info->dlpi_name : "";

	if (o->path[0] || (*o->want ? !strstr(name, o->want) : *name != '\0'))
		return 0;
	if (*o->want) {
		snprintf(o->path, sizeof(o->path), "%s", name);
	} else {
		ssize_t n = readlink("/proc/self/exe", o->path, sizeof(o->path) - 1);

		assert_true(n > 0);
		o->path[n] = '\0';
	}
	o->bias = info->dlpi_addr;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_X)) {
			o->lo = o->bias + info->dlpi_phdr[i].p_vaddr;
			o->hi = o->lo + info->dlpi_phdr[i].p_memsz;
			break;
		}
	return 0;
}

/* The child of n named name, or NULL. */
static struct ctnode *child_named(struct funcs *f, struct ctnode *n, const char *name)
{
	for (struct ctnode *c = n->child; c; c = c->next)
		if (!strcmp(funcs_name(f, c->func), name))
			return c;
	return NULL;
}

static void test_live_poll(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct objinfo self = {.want = ""}, libc = {.want = "/libc.so"};
	struct live_stats st;
	char err[256];
	struct live *l;

	dl_iterate_phdr(find_obj, &self);
	dl_iterate_phdr(find_obj, &libc);
	assert_true(self.path[0] && libc.path[0]);
	seg_create(&s);
	put_module(&s, 0, self.path, self.bias, self.lo, self.hi);
	struct ft_thread *th = (struct ft_thread *)(s.p + H(&s)->regions[FT_REGION_THREADS].offset);
	th[0] = (struct ft_thread){.seq = 2, .state = FT_THREAD_LIVE, .tid = 77};
	snprintf(th[0].name, sizeof(th[0].name), "worker");
	H(&s)->threads_gen = 1;
	H(&s)->counters.samples_dropped = 5;

	l = live_attach(getpid(), p, err, sizeof(err));
	if (!l)
		fail_msg("attach: %s", err);
	assert_int_equal(live_poll(l), 0);

	/* pc[0] exact in live_leaf, the rest return addresses */
	uint64_t pcs[3] = {(uint64_t)(uintptr_t)live_leaf + 1, (uint64_t)(uintptr_t)live_caller + 9,
			   (uint64_t)(uintptr_t)live_outer + 9};
	for (int i = 0; i < 3; i++)
		put(&s, 77, FT_SAMPLE_LEAF_EXACT | FT_SAMPLE_ONCPU, pcs, 3);
	/* a truncated stack: marked at its root side */
	put(&s, 78, FT_SAMPLE_LEAF_EXACT | FT_SAMPLE_TRUNCATED, pcs, 2);
	assert_int_equal(live_poll(l), 4);
	assert_int_equal(live_poll(l), 0);

	struct ctnode *root = calltree_root(profile_tree(p));
	struct ctnode *outer = child_named(f, root, "live_outer");
	assert_non_null(outer);
	assert_int_equal(outer->total_count, 3);
	struct ctnode *caller = child_named(f, outer, "live_caller");
	assert_non_null(caller);
	struct ctnode *leaf = child_named(f, caller, "live_leaf");
	assert_non_null(leaf);
	assert_int_equal(leaf->self_count, 3);
	assert_int_equal(leaf->self_weight, 3000);
	assert_non_null(strstr(funcs_module(f, leaf->func), "test-live"));
	struct ctnode *trunc = child_named(f, root, "[truncated]");
	assert_non_null(trunc);
	assert_non_null(child_named(f, trunc, "live_caller"));
	assert_non_null(child_named(f, child_named(f, trunc, "live_caller"), "live_leaf"));

	/* threads named from the table */
	size_t nt;
	const struct profile_thread *pt = profile_threads(p, &nt);
	int named = 0;
	for (size_t i = 0; i < nt; i++)
		if (pt[i].tid == 77)
			named = !strcmp(pt[i].name, "worker");
	assert_true(named);

	live_stats(l, &st);
	assert_int_equal(st.pid, getpid());
	assert_string_equal(st.cmd, "test-live --synthetic");
	assert_int_equal(st.state, FT_STATE_RUNNING);
	assert_int_equal(st.mode, FT_MODE_WALL);
	assert_int_equal(st.freq_hz, 99);
	assert_true(st.achieved_hz > 98.4 && st.achieved_hz < 98.6);
	assert_int_equal(st.samples, 4);
	assert_int_equal(st.lost, 5);
	assert_true(st.first_ns > 0 && st.first_ns <= st.last_ns && st.last_ns <= st.now_ns);

	/* a library published after its first samples */
	uint64_t lib[1] = {(uint64_t)(uintptr_t)getpid};
	put(&s, 77, FT_SAMPLE_LEAF_EXACT, lib, 1);
	assert_int_equal(live_poll(l), 1);
	root = calltree_root(profile_tree(p));
	int unknown = 0;
	for (struct ctnode *c = root->child; c; c = c->next)
		unknown += !strncmp(funcs_name(f, c->func), "[unknown]+0x", 12);
	assert_int_equal(unknown, 1);
	put_module(&s, 1, libc.path, libc.bias, libc.lo, libc.hi);
	put(&s, 77, FT_SAMPLE_LEAF_EXACT, lib, 1);
	assert_int_equal(live_poll(l), 1);
	root = calltree_root(profile_tree(p));
	int named_getpid = 0;
	for (struct ctnode *c = root->child; c; c = c->next)
		named_getpid += strstr(funcs_name(f, c->func), "getpid") != NULL &&
				!strcmp(funcs_module(f, c->func), "libc.so.6");
	assert_int_equal(named_getpid, 1);

	/* the runtime's word on how the target ended, then the caller's */
	H(&s)->state = FT_STATE_EXITED;
	H(&s)->exit_status = 1 << 8;
	live_poll(l);
	live_stats(l, &st);
	assert_int_equal(st.state, FT_STATE_EXITED);
	assert_int_equal(st.exit_status, 1 << 8);
	live_set_exit(l, 9);
	live_poll(l);
	live_stats(l, &st);
	assert_int_equal(st.state, FT_STATE_EXITED);
	assert_int_equal(st.exit_status, 9);

	live_free(l);
	live_free(NULL);
	seg_destroy(&s);
	profile_free(p);
	funcs_free(f);
}

/* A child of ours that sleeps ms milliseconds, then exits with status. */
static pid_t child_exiting(int ms, int status)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		_exit(status);
	}
	return pid;
}

/* A session over our own child: it reads the samples, reaps the child at
 * its end, says how it ended, and the live source built on it agrees. */
static void test_session_child(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct live_stats st;
	struct session *ses;
	struct source *src;
	uint64_t pc = (uint64_t)(uintptr_t)&test_session_child;
	char err[256];
	pid_t child;

	seg_create(&s);
	child = child_exiting(200, 3);
	ses = session_new(getpid(), child, p);
	assert_non_null(ses);
	assert_int_equal(session_attach(ses, 0, err, sizeof(err)), 0);
	src = source_live(ses);
	assert_non_null(src);
	assert_true(source_is_live(src));
	assert_string_equal(source_kind(src), "live");
	assert_int_equal(source_unit(src), UNIT_NS);
	assert_true(source_child_running(src));
	for (int i = 0; i < 3; i++)
		put(&s, 5, FT_SAMPLE_ONCPU | FT_SAMPLE_LEAF_EXACT, &pc, 1);
	assert_int_equal(session_run(ses, 0, 5, NULL), SESSION_ENDED);
	assert_true(session_child_done(ses));
	assert_true(WIFEXITED(session_child_status(ses)));
	assert_int_equal(WEXITSTATUS(session_child_status(ses)), 3);
	assert_string_equal(session_ended_how(ses), "exited (status 3)");
	assert_string_equal(source_ended(src), "exited (status 3)");
	assert_false(source_child_running(src));
	session_stats(ses, &st);
	assert_int_equal(st.samples, 3);
	assert_int_equal(st.state, FT_STATE_EXITED);
	assert_int_equal(calltree_root(source_tree(src))->total_count, 3);
	/* stopping an ended session only drains */
	assert_int_equal(WEXITSTATUS(session_stop(ses, 0, 100)), 3);
	source_free(src);
	session_free(ses);
	session_free(NULL);
	seg_destroy(&s);
	profile_free(p);
	funcs_free(f);
}

/* The loop's other ends: the duration, the caller's stop flag; then a
 * child that keeps running is stopped (SIGTERM) and reaped. */
static void test_session_stop(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	volatile sig_atomic_t stop = 0;
	struct session *ses;
	char err[256];
	pid_t child;
	int st;

	seg_create(&s);
	child = child_exiting(60000, 0);
	ses = session_new(getpid(), child, p);
	assert_int_equal(session_attach(ses, 0, err, sizeof(err)), 0);
	assert_int_equal(session_run(ses, 30000000ull, 5, &stop), SESSION_TIMEOUT);
	assert_false(session_ended(ses));
	stop = 1;
	assert_int_equal(session_run(ses, 0, 5, &stop), SESSION_STOPPED);
	assert_null(session_ended_how(ses));
	st = session_stop(ses, 50, 1000);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	assert_true(session_ended(ses));
	assert_string_equal(session_ended_how(ses), "killed by SIGTERM");
	session_free(ses);

	/* someone else's process: the segment says when it ended */
	ses = session_new(getpid(), 0, p);
	assert_int_equal(session_attach(ses, 0, err, sizeof(err)), 0);
	H(&s)->state = FT_STATE_EXITED;
	H(&s)->exit_status = 2 << 8;
	assert_int_equal(session_run(ses, 0, 5, NULL), SESSION_ENDED);
	assert_string_equal(session_ended_how(ses), "exited (status 2)");
	assert_int_equal(session_stop(ses, 0, 100), -1);
	session_free(ses);

	/* nothing to attach to */
	seg_destroy(&s);
	ses = session_new(getpid(), 0, p);
	assert_int_equal(session_attach(ses, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no flametop segment"));
	assert_int_equal(session_run(ses, 0, 5, NULL), SESSION_DETACHED);
	session_free(ses);
	profile_free(p);
	funcs_free(f);
}

/* Freezing a live source shows a private copy; the live tree goes on. */
static void test_source_freeze(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct session *ses;
	struct source *src;
	uint64_t pc = (uint64_t)(uintptr_t)&test_source_freeze;
	char err[256], label[64];

	seg_create(&s);
	ses = session_new(getpid(), 0, p);
	assert_int_equal(session_attach(ses, 0, err, sizeof(err)), 0);
	src = source_live(ses);
	put(&s, 5, FT_SAMPLE_ONCPU | FT_SAMPLE_LEAF_EXACT, &pc, 1);
	put(&s, 6, FT_SAMPLE_LEAF_EXACT, &pc, 1);
	assert_true(source_tick(src, 100));
	assert_int_equal(calltree_root(source_tree(src))->total_count, 2);
	assert_int_equal(source_freeze(src, true), 0);
	assert_true(source_frozen(src));
	put(&s, 5, FT_SAMPLE_ONCPU | FT_SAMPLE_LEAF_EXACT, &pc, 1);
	assert_false(source_tick(src, 100));
	assert_int_equal(calltree_root(source_tree(src))->total_count, 2);
	assert_int_equal(calltree_root(profile_tree(p))->total_count, 3);
	assert_int_equal(source_freeze(src, false), 0);
	assert_int_equal(calltree_root(source_tree(src))->total_count, 3);
	/* the thread filter works on the profile's context */
	assert_int_equal(source_set_thread(src, 6, label, sizeof(label)), 0);
	assert_string_equal(label, "thread 6");
	assert_int_equal(source_thread(src), 6);
	assert_int_equal(calltree_root(source_tree(src))->total_count, 1);
	assert_int_equal(source_set_thread(src, 99, label, sizeof(label)), -ESRCH);
	assert_int_equal(source_cycle_thread(src, label, sizeof(label)), 0);
	assert_string_equal(label, "all threads");
	source_free(src);
	session_free(ses);
	seg_destroy(&s);

	/* a static source has no profile to filter */
	struct calltree *t = calltree_new();
	const uint32_t one[] = {funcs_intern(f, "x", "")};
	calltree_add(t, one, 1, 4, 4);
	src = source_static(t, f, "x.folded");
	assert_false(source_is_live(src));
	assert_string_equal(source_kind(src), "folded");
	assert_int_equal(source_unit(src), UNIT_SAMPLES);
	assert_null(source_profile(src));
	assert_null(source_ended(src));
	assert_false(source_tick(src, 10));
	assert_int_equal(source_cycle_window(src), -ENOTSUP);
	assert_int_equal(source_set_thread(src, 1, label, sizeof(label)), -ENOTSUP);
	assert_int_equal(source_freeze(src, true), 0);
	assert_ptr_equal(source_tree(src), t);
	source_free(src);
	calltree_free(t);
	profile_free(p);
	funcs_free(f);
}

static void test_live_exec(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	struct objinfo self = {.want = ""};
	struct live_stats st;
	char err[256];
	struct live *l;
	uint64_t pcs[1] = {(uint64_t)(uintptr_t)live_leaf + 1};

	dl_iterate_phdr(find_obj, &self);
	seg_create(&s);
	put_module(&s, 0, self.path, self.bias, self.lo, self.hi);
	l = live_attach(getpid(), p, err, sizeof(err));
	if (!l)
		fail_msg("attach: %s", err);
	put(&s, 1, FT_SAMPLE_LEAF_EXACT, pcs, 1);
	H(&s)->counters.samples_dropped = 2;
	assert_int_equal(live_poll(l), 1);

	/* exec: a last sample, the old segment released, no new one yet */
	put(&s, 1, FT_SAMPLE_LEAF_EXACT, pcs, 1);
	H(&s)->state = FT_STATE_EXECED;
	seg_destroy(&s);
	assert_int_equal(live_poll(l), 1);
	live_stats(l, &st);
	assert_int_equal(st.state, FT_STATE_EXECED);
	assert_int_equal(live_poll(l), 0);
	live_stats(l, &st);
	assert_int_equal(st.state, FT_STATE_EXECED);
	assert_int_equal(st.samples, 2);

	/* the new image publishes its segment: followed from its start */
	seg_create(&s);
	H(&s)->start_mono_ns += 1;
	snprintf(H(&s)->cmdline, sizeof(H(&s)->cmdline), "new image");
	put_module(&s, 0, self.path, self.bias, self.lo, self.hi);
	put(&s, 1, FT_SAMPLE_LEAF_EXACT, pcs, 1);
	put(&s, 1, FT_SAMPLE_LEAF_EXACT, pcs, 1);
	H(&s)->counters.samples_dropped = 1;
	assert_int_equal(live_poll(l), 2);
	live_stats(l, &st);
	assert_int_equal(st.state, FT_STATE_RUNNING);
	assert_string_equal(st.cmd, "new image");
	assert_int_equal(st.samples, 4);
	assert_int_equal(st.lost, 3);
	struct ctnode *leaf = child_named(f, calltree_root(profile_tree(p)), "live_leaf");
	assert_non_null(leaf);
	assert_int_equal(leaf->total_count, 4);

	live_free(l);
	seg_destroy(&s);
	profile_free(p);
	funcs_free(f);
}

static void test_live_attach_errors(void **state)
{
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	char err[256], want[128];
	char path[64];

	snprintf(path, sizeof(path), "/dev/shm/flametop.%d", (int)getpid());
	unlink(path);
	assert_null(live_attach(getpid(), p, err, sizeof(err)));
	snprintf(want, sizeof(want), "no flametop segment for pid %d (was the runtime loaded?)",
		 (int)getpid());
	assert_string_equal(err, want);
	profile_free(p);
	funcs_free(f);
	(void)live_outer(1);
}

/* Module paths come from the segment: one that names a FIFO, a symlink
 * to it, a device or a huge file must not block or stall the viewer; its
 * addresses are named module+offset.  A hang fails the test (alarm). */
static void test_live_planted_modules(void **state)
{
	struct seg s;
	struct funcs *f = funcs_new();
	struct profile *p = profile_new(f);
	char dir[] = "/tmp/flametop-planted.XXXXXX", fifo[96], link[96], huge[96];
	const char *paths[4] = {fifo, link, "/dev/zero", huge};
	const char *names[4] = {"fifo", "to-fifo", "zero", "huge"};
	char err[256], want[64];
	struct live *l;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(link, sizeof(link), "%s/to-fifo", dir);
	snprintf(huge, sizeof(huge), "%s/huge", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink(fifo, link), 0);
	fd = open(huge, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64ll << 30), 0); /* sparse */
	close(fd);

	seg_create(&s);
	for (int i = 0; i < 4; i++) {
		uint64_t lo = 0x10000000ull * (uint64_t)(i + 1);
		uint64_t pc = lo + 0x1234;

		put_module(&s, i, paths[i], lo - 0x1000, lo, lo + 0x100000);
		put(&s, 5, FT_SAMPLE_LEAF_EXACT | FT_SAMPLE_ONCPU, &pc, 1);
	}
	alarm(20);
	l = live_attach(getpid(), p, err, sizeof(err));
	if (!l)
		fail_msg("attach: %s", err);
	assert_int_equal(live_poll(l), 4);
	alarm(0);

	struct ctnode *root = calltree_root(profile_tree(p));
	for (int i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "%s+0x2234", names[i]);
		if (!child_named(f, root, want))
			fail_msg("no frame %s", want);
	}
	live_free(l);
	seg_destroy(&s);
	unlink(link);
	unlink(fifo);
	unlink(huge);
	rmdir(dir);
	profile_free(p);
	funcs_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_live_poll),
	    cmocka_unit_test(test_live_exec),
	    cmocka_unit_test(test_live_attach_errors),
	    cmocka_unit_test(test_live_planted_modules),
	    cmocka_unit_test(test_session_child),
	    cmocka_unit_test(test_session_stop),
	    cmocka_unit_test(test_source_freeze),
	};

	return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
