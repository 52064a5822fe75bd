/*
 * segment-writer.c - creating, laying out and releasing the shared-memory segment.
 *
 * Layout (flametop-shm.h): header page, sample ring, event ring, thread,
 * coroutine and module tables, string table, every region 4096-aligned,
 * the segment created once with its final size.  Only the process that
 * created the segment (rt.pid) ever unlinks its name.
 *
 * When.  A process nobody watches has no segment at first: until it
 * exists, rt.hdr is rt.early_hdr, a header in private memory that takes the
 * counters, flags and notes written meanwhile, and rt.events a writer
 * with no ring.  The segment is created by whatever first needs it: the
 * runtime thread when it gives the segment its name (20 ms after start),
 * the first coroutine or label (segment_need), the first collection
 * reported (segment_back of the event ring), or at start when sampling
 * from the start (FLAMETOP_ALWAYS, _KEEP_SEGMENT).
 * It then takes over rt.early_hdr's contents; a writer that still held
 * rt.early_hdr and wrote there a moment later is folded in by the runtime
 * thread (segment_fold_early), so nothing written before is lost.  A
 * process that ends before then creates, names and removes nothing.
 *
 * Backing.  tmpfs allocates a page at its first touch, and a touch when
 * /dev/shm is full is a SIGBUS: so pages are allocated explicitly
 * (MADV_POPULATE_WRITE), where a full /dev/shm is an error, before they
 * are written.  At creation only the header page and the first page of
 * every region (the rings' and tables' headers); the rest of a region at
 * its first use, by segment_back() (the coroutine region past its first
 * page is backed by coro.c as coroutines are used).
 *
 * Publishing is atomic: the segment is built under
 * "/flametop.<pid>.<random>.new" (shm_open O_CREAT|O_EXCL, 0600; a name
 * nobody can plant in advance), sized, touched and filled, and only then
 * linked to its real name (link(2) fails if the name exists, like
 * O_EXCL), so a viewer that finds /dev/shm/flametop.<pid> never sees it
 * empty or half-written.  See publish() for a name held by another user.
 * The link is made at start when sampling from the start; otherwise the
 * runtime thread makes it (segment_publish) 20 ms after start, with the
 * executable and command line, and a process that ends between creation
 * and name removes its private name (segment_unlink; rt.seg_life says where the
 * segment is in that life).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "coro.h"
#include "ring.h"
#include "rt.h"

#define PAGE 4096u

static uint64_t page_up(uint64_t n)
{
	return (n + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static void read_cmdline(char *out, size_t outlen)
{
	char buf[FT_PATH_LEN];
	ssize_t n = 0, i;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);

	out[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	/* argv entries are NUL-separated: join them with spaces */
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	snprintf(out, outlen, "%s", buf);
}

static int open_exclusive(const char *name)
{
	int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST) {
		/* stale: a dead process that had our pid */
		shm_unlink(name);
		fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	}
	return fd;
}

/* 16 hex digits nobody can guess */
static uint64_t unguessable(void)
{
	uint64_t r = 0;

	if (syscall(SYS_getrandom, &r, sizeof(r), GRND_NONBLOCK) != (long)sizeof(r))
		r = rt_now(CLOCK_MONOTONIC) ^ ((uint64_t)rt.pid << 32) ^ (uintptr_t)&r;
	return r;
}

/*
 * Gives the built segment its real name, /flametop.<pid>; -1 with errno on
 * failure.  A stale name of ours (a dead process that had our pid, or our
 * own image before an exec that did not go through our wrappers) is
 * replaced.  A name held by another user (planted to keep this process
 * from being profiled: /dev/shm is shared) cannot be removed: the segment
 * is then published as /flametop.<pid>.<16 random hex digits>, which
 * viewers find by listing /dev/shm.
 */
static int publish(const char *tmp, char *name, size_t namelen)
{
	char from[96], to[96];
	struct stat st;

	snprintf(from, sizeof(from), "/dev/shm%s", tmp);
	snprintf(to, sizeof(to), "/dev/shm%s", name);
	if (link(from, to) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	shm_unlink(name);
	if (link(from, to) == 0)
		return 0;
	if (errno != EEXIST || lstat(to, &st) != 0 || st.st_uid == getuid())
		return -1;
	snprintf(name, namelen, FT_SHM_PREFIX "%d.%016llx", (int)rt.pid,
		 (unsigned long long)unguessable());
	snprintf(to, sizeof(to), "/dev/shm%s", name);
	return link(from, to);
}

/* allocates the tmpfs pages of [p, p + len) without a SIGBUS when
 * /dev/shm is full: 0, or -1 with errno (ENOMEM, EFAULT, ENOSPC) */
static int populate(void *p, uint64_t len)
{
	if (!len)
		return 0;
	if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	/* before Linux 5.14: touch every page (a full /dev/shm faults) */
	for (uint64_t o = 0; o < len; o += PAGE)
		((volatile char *)p)[o] = 0;
	return 0;
}

/* the segment's life (rt.seg_life): not yet made, being made, built
 * under tmp_name, being named, named, or gone (never made, or its name
 * removed) */
enum { PUB_NONE, PUB_MAKING, PUB_WAIT, PUB_BUSY, PUB_DONE, PUB_GONE };
static char tmp_name[64];

/* what of rt.early_hdr was handed over to the segment */
static struct ft_counters early_folded;
static uint32_t early_flags_folded;
/* the event ring's writer until there is a segment: no ring, nothing
 * written (segment_back, which every writer calls first, makes it) */
static struct ft_ring_writer early_events;

/* each region's pages past its first, allocated at their first use */
enum { BACK_NONE, BACK_BUSY, BACK_DONE, BACK_FAILED };
static struct {
	uint64_t off, len;
	int state;
	int err;
} back[FT_REGION_COUNT];

int segment_back(int region)
{
	int st = __atomic_load_n(&back[region].state, __ATOMIC_ACQUIRE), saved = errno;

	if (st == BACK_DONE)
		return 0;
	/* no segment yet: the first record for a ring (a collection
	 * reported before anything else needed the segment) makes it, or
	 * is dropped while another thread makes it (that thread may be
	 * stopped by the collector that writes the record) */
	if (!__atomic_load_n(&rt.seg_size, __ATOMIC_ACQUIRE) &&
	    (!rt.on || getpid() != rt.pid || segment_need(0) < 0))
		return -EINVAL;
	if (st == BACK_NONE && __atomic_compare_exchange_n(&back[region].state, &st, BACK_BUSY, 0,
							   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (populate((char *)rt.hdr + back[region].off, back[region].len) < 0)
			back[region].err = errno;
		st = back[region].err ? BACK_FAILED : BACK_DONE;
		__atomic_store_n(&back[region].state, st, __ATOMIC_RELEASE);
	}
	/* another thread is at it: a few hundred pages at most */
	while ((st = __atomic_load_n(&back[region].state, __ATOMIC_ACQUIRE)) == BACK_BUSY)
		sched_yield();
	errno = saved;
	return st == BACK_DONE ? 0 : -back[region].err;
}

int segment_backed(int region)
{
	return __atomic_load_n(&back[region].state, __ATOMIC_ACQUIRE) == BACK_DONE;
}

int segment_populate_samples(void)
{
	return segment_back(FT_REGION_SAMPLES);
}

void segment_early(int reset)
{
	/* at start all of it is still zero: not touched, not a page more */
	if (reset) {
		memset(back, 0, sizeof(back)); /* a forked child's: the parent's */
		memset(&rt.early_hdr, 0, sizeof(rt.early_hdr));
		memset(&early_folded, 0, sizeof(early_folded));
		early_flags_folded = 0;
	}
	rt.hdr = &rt.early_hdr;
	rt.seg_size = 0;
	rt.samples = NULL;
	rt.events = &early_events;
	rt.threads = NULL;
	rt.modules = NULL;
	rt.strtab = NULL;
	__atomic_store_n(&rt.seg_life, PUB_NONE, __ATOMIC_RELEASE);
}

int segment_exists(void)
{
	int st = __atomic_load_n(&rt.seg_life, __ATOMIC_ACQUIRE);

	return st >= PUB_WAIT && st != PUB_GONE;
}

/* what was written to rt.early_hdr since the last look, added to the
 * segment's header (counters only grow; flags are only set) */
static void fold_early(struct ft_header *h)
{
	uint64_t *from = (uint64_t *)&rt.early_hdr.counters, *seen = (uint64_t *)&early_folded;
	uint64_t *to = (uint64_t *)&h->counters;
	uint32_t flags = __atomic_load_n(&rt.early_hdr.flags, __ATOMIC_ACQUIRE);

	for (size_t i = 0; i < sizeof(early_folded) / sizeof(uint64_t); i++) {
		uint64_t v = __atomic_load_n(&from[i], __ATOMIC_RELAXED);

		if (v != seen[i]) {
			__atomic_fetch_add(&to[i], v - seen[i], __ATOMIC_RELAXED);
			seen[i] = v;
		}
	}
	if (flags & ~early_flags_folded) {
		__atomic_fetch_or(&h->flags, flags & ~early_flags_folded, __ATOMIC_RELEASE);
		early_flags_folded |= flags;
	}
}

void segment_fold_early(void)
{
	if (rt.hdr && rt.hdr != &rt.early_hdr)
		fold_early(rt.hdr);
}

/* this thread is making the segment: a signal handler that needs it
 * there must not wait for the code it interrupted */
static __thread int making __attribute__((tls_model("initial-exec")));

int segment_need(int wait)
{
	char err[256];
	int st, r;

	for (;;) {
		st = __atomic_load_n(&rt.seg_life, __ATOMIC_ACQUIRE);
		if (st == PUB_NONE) {
			making = 1;
			r = segment_create(err, sizeof(err));
			making = 0;
			if (r == 0)
				continue; /* made, by us or by another thread */
			if (err[0]) {
				rt_note("%s; not profiling", err);
				rt.on = 0;
			}
			return -1;
		}
		if (st != PUB_MAKING)
			return st == PUB_GONE ? -1 : 0;
		if (!wait || making)
			return -1;
		sched_yield(); /* another thread is making it: a few syscalls */
	}
}

int segment_create(char *err, size_t errlen)
{
	struct ft_region reg[FT_REGION_COUNT];
	uint64_t off = PAGE, ring = (uint64_t)rt.set.ring_kb * 1024;
	char tmp[64];
	struct ft_header *h;
	void *p;
	int fd, i, st = PUB_NONE;

	err[0] = '\0';
	if (!__atomic_compare_exchange_n(&rt.seg_life, &st, PUB_MAKING, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return st == PUB_GONE ? -1 : 0; /* made (or being made) already */
	memset(reg, 0, sizeof(reg));
	reg[FT_REGION_SAMPLES].size = page_up(FT_RING_DATA_OFFSET + ring);
	reg[FT_REGION_EVENTS].size = page_up(FT_RING_DATA_OFFSET + RT_EVENTS);
	reg[FT_REGION_THREADS].count = RT_THREADS;
	reg[FT_REGION_THREADS].entry_size = sizeof(struct ft_thread);
	reg[FT_REGION_COROS].count = RT_COROS;
	reg[FT_REGION_COROS].entry_size = sizeof(struct ft_coro);
	reg[FT_REGION_COROS].size = coro_region_size();
	reg[FT_REGION_MODULES].count = RT_MODULES;
	reg[FT_REGION_MODULES].entry_size = sizeof(struct ft_module);
	reg[FT_REGION_STRINGS].size = page_up(sizeof(struct ft_strtab) + RT_STRINGS);
	for (i = 0; i < FT_REGION_COUNT; i++) {
		if (reg[i].count && !reg[i].size)
			reg[i].size = page_up((uint64_t)reg[i].count * reg[i].entry_size);
		reg[i].offset = off;
		off += reg[i].size;
	}

	/* built under a name nobody can plant in advance */
	snprintf(tmp, sizeof(tmp), FT_SHM_PREFIX "%d.%016llx.new", (int)rt.pid,
		 (unsigned long long)unguessable());
	fd = open_exclusive(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create /dev/shm%s: %s", tmp, strerror(errno));
		__atomic_store_n(&rt.seg_life, PUB_GONE, __ATOMIC_RELEASE);
		return -1;
	}
	if (ftruncate(fd, (off_t)off) < 0) {
		snprintf(err, errlen, "cannot size /dev/shm%s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	p = mmap(NULL, off, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map /dev/shm%s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	close(fd);
	fd = -1;
	/* the header page and the first page of every region now (a full
	 * /dev/shm fails here, not with SIGBUS later); the rest as it is
	 * first used (segment_back) */
	for (i = -1; i < FT_REGION_COUNT; i++) {
		uint64_t at = i < 0 ? 0 : reg[i].offset;

		if (populate((char *)p + at, PAGE) < 0) {
			snprintf(err, errlen, "cannot allocate /dev/shm%s: %s", tmp,
				 strerror(errno));
			munmap(p, off);
			goto out_unlink;
		}
		if (i >= 0 && i != FT_REGION_COROS) {
			back[i].off = reg[i].offset + PAGE;
			back[i].len = reg[i].size > PAGE ? reg[i].size - PAGE : 0;
			back[i].state = BACK_NONE;
			back[i].err = 0;
		}
	}

	h = p;
	ft_ring_writer_init(&rt.sample_ring, (void *)((char *)p + reg[FT_REGION_SAMPLES].offset),
			    reg[FT_REGION_SAMPLES].size);
	ft_ring_writer_init(&rt.event_ring, (void *)((char *)p + reg[FT_REGION_EVENTS].offset),
			    reg[FT_REGION_EVENTS].size);
	rt.threads = (void *)((char *)p + reg[FT_REGION_THREADS].offset);
	rt.modules = (void *)((char *)p + reg[FT_REGION_MODULES].offset);
	rt.strtab = (void *)((char *)p + reg[FT_REGION_STRINGS].offset);
	rt.strtab->size = reg[FT_REGION_STRINGS].size - sizeof(struct ft_strtab);

	memcpy(h->magic, FT_MAGIC, 8);
	h->version = FT_VERSION;
	h->header_size = sizeof(*h);
	h->segment_size = off;
	h->pid = rt.pid;
	h->uid = getuid();
	h->start_realtime_ns = rt.start_realtime_ns;
	h->start_mono_ns = rt.start_mono_ns;
	h->mode = rt.set.mode;
	h->timer = FT_TIMER_NONE;
	h->freq_hz = rt.set.freq;
	h->max_depth = rt.set.depth;
	h->signo = rt.set.signo;
	h->period_ns = rt.period_ns;
	h->exit_status = -1;
	h->heartbeat_ns = rt_now(CLOCK_MONOTONIC);
	memcpy(h->regions, reg, sizeof(reg));
	/* what was written before: flags and counters, the note, the
	 * allocation rate; then every writer is pointed here */
	memcpy(h->note, rt.early_hdr.note, sizeof(h->note));
	h->alloc_rate = rt.early_hdr.alloc_rate;
	h->flags = rt.set.always ? FT_FLAG_ALWAYS : 0;
	fold_early(h);
	rt.state = FT_STATE_RUNNING;
	__atomic_store_n(&h->state, FT_STATE_RUNNING, __ATOMIC_RELEASE);
	/* the header first, then its size (segment_back reads them in the
	 * other order), then the tables that other threads reach without
	 * segment_need: the coroutine table, the event ring */
	rt.samples = &rt.sample_ring;
	__atomic_store_n(&rt.hdr, h, __ATOMIC_RELEASE);
	__atomic_store_n(&rt.seg_size, off, __ATOMIC_RELEASE);
	coro_segment_init((char *)p + reg[FT_REGION_COROS].offset, reg[FT_REGION_COROS].size);
	__atomic_store_n(&rt.events, &rt.event_ring, __ATOMIC_RELEASE);
	memcpy(tmp_name, tmp, sizeof(tmp_name));
	__atomic_store_n(&rt.seg_life, PUB_WAIT, __ATOMIC_RELEASE);
	return 0;

out_unlink:
	if (fd >= 0)
		close(fd);
	shm_unlink(tmp);
	__atomic_store_n(&rt.seg_life, PUB_GONE, __ATOMIC_RELEASE);
	return -1;
}

/*
 * Gives the segment its public name (and the header the executable and
 * command line), once; by the runtime thread, or at start when sampling
 * from the start.  0, or -1 with err set (the segment is then removed).
 */
int segment_publish(char *err, size_t errlen)
{
	struct ft_header *h = rt.hdr;
	int st = PUB_WAIT;
	ssize_t n;

	if (!__atomic_compare_exchange_n(&rt.seg_life, &st, PUB_BUSY, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return st == PUB_DONE ? 0 : -1; /* done, or the process is leaving */
	n = readlink("/proc/self/exe", rt.exe, sizeof(rt.exe) - 1);
	rt.exe[n > 0 ? n : 0] = '\0';
	memcpy(h->exe, rt.exe, sizeof(h->exe));
	read_cmdline(h->cmdline, sizeof(h->cmdline));
	snprintf(rt.shm_name, sizeof(rt.shm_name), FT_SHM_PREFIX "%d", (int)rt.pid);
	if (publish(tmp_name, rt.shm_name, sizeof(rt.shm_name)) < 0) {
		snprintf(err, errlen, "cannot create /dev/shm%s: %s", rt.shm_name, strerror(errno));
		rt.shm_name[0] = '\0';
		shm_unlink(tmp_name);
		__atomic_store_n(&rt.seg_life, PUB_GONE, __ATOMIC_RELEASE);
		return -1;
	}
	shm_unlink(tmp_name);
	__atomic_store_n(&rt.seg_life, PUB_DONE, __ATOMIC_RELEASE);
	return 0;
}

/* the segment's name in /dev/shm as it is now, for shm_open */
const char *segment_name(void)
{
	return segment_published() ? rt.shm_name : tmp_name;
}

int segment_published(void)
{
	return __atomic_load_n(&rt.seg_life, __ATOMIC_ACQUIRE) == PUB_DONE;
}

/* Removes the segment's name, public or not yet; a creation or
 * publication under way (on another thread) is waited for, one not begun
 * never happens. */
void segment_unlink(void)
{
	struct timespec tick = {0, 100000};

	if (getpid() != rt.pid)
		return;
	/* a few syscalls' time each; bounded all the same */
	for (int i = 0; i < 10000; i++) {
		int st = __atomic_load_n(&rt.seg_life, __ATOMIC_ACQUIRE);

		if (st == PUB_MAKING || st == PUB_BUSY) {
			nanosleep(&tick, NULL);
			continue;
		}
		if ((st == PUB_NONE || st == PUB_WAIT) &&
		    !__atomic_compare_exchange_n(&rt.seg_life, &st, PUB_GONE, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		if (st == PUB_WAIT)
			shm_unlink(tmp_name);
		else if (st == PUB_DONE && rt.shm_name[0])
			shm_unlink(rt.shm_name);
		return;
	}
}

void segment_unmap(void)
{
	if (rt.hdr && rt.hdr != &rt.early_hdr)
		munmap(rt.hdr, rt.seg_size);
	rt.hdr = NULL;
	rt.samples = rt.events = NULL;
	rt.threads = NULL;
	rt.modules = NULL;
	rt.strtab = NULL;
}
