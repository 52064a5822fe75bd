/*
 * segment.c - attaching to a target's shared-memory segment and reading it.
 *
 * This file contains the viewer's side of runtime/flametop-shm.h: opening
 * and mapping /dev/shm/flametop.<pid>, validating the header (a pure
 * function, segment_validate, that a fuzzer can drive), following both
 * rings (samples and events) with one ring_reader each and handing every
 * record to records_dispatch (records.c validates it by its kind and
 * passes it to the consumer registered for that kind), and copying table
 * entries out under their seqlocks.  Invariants:
 *   - the segment is untrusted: the region table, ring sizes and table
 *     counts are validated once and kept in a private copy (s->hdr); the
 *     mapped header is re-read only for fields that change (state,
 *     counters, heartbeat, generations), never for offsets or sizes;
 *   - records reach callers only as validated private copies;
 *   - the only bytes written into the mapping are the viewer control block.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "records.h"
#include "ring-reader.h"
#include "segment.h"
#include "util.h"

/*
 * The oldest format version this reader still reads.  When FT_VERSION is
 * bumped, the reader keeps reading the previous version where its layout
 * allows (branching on s->hdr.version where the two differ) and this
 * stays; it is raised only when an old layout can no longer be read.
 */
#define SEGMENT_VERSION_OLDEST 1u

#define SEGMENT_SEQ_TRIES 64		   /* attempts at a consistent table entry */
#define SEGMENT_HEARTBEAT_NS 3000000000ull /* a writer silent this long may be dead */

struct segment {
	pid_t pid;     /* the process, as this viewer's pid namespace numbers it */
	char root[32]; /* "/proc/PID/root" for a process in another mount
			* namespace (a container), else "" */
	int fd;
	uint8_t *map;
	size_t len;
	struct ft_header *shm;	     /* the mapped header (untrusted, live) */
	struct ft_header hdr;	     /* validated private copy */
	struct ring_reader rings[2]; /* the sample ring, the event ring */
	int nrings;		     /* 1 when the segment has no event ring */
	struct records rec;	     /* validation and consumers by kind */
	bool broken;		     /* the mapping faulted (the file was truncated) */
	int slot;		     /* our viewer slot in the control block, or -1 */
	/* the coroutine region's layout as validated at attach */
	uint64_t coro_entries, coro_stacks, coro_stacks_size;
};

/*
 * A target of our own user can truncate its segment file after we mapped
 * it; touching the mapping past the new end raises SIGBUS.  Every public
 * function that reads the mapping arms a guard: a SIGBUS whose address is
 * inside the armed segment's mapping jumps back, and the segment is marked
 * broken (no more reads; segment_state says FT_STATE_FAILED).  A SIGBUS
 * anywhere else goes to the disposition there was before.  Arming checks
 * the handler is still ours (one sigaction call per guarded call).
 */
static __thread sigjmp_buf *guard_jmp;
static __thread const uint8_t *guard_lo, *guard_hi;
static struct sigaction guard_old;

static void guard_on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const uint8_t *a = si ? (const uint8_t *)si->si_addr : NULL;

	if (guard_jmp && a >= guard_lo && a < guard_hi)
		siglongjmp(*guard_jmp, 1);
	/* not ours: put the old disposition back; the faulting access runs
	 * again on return and meets it */
	sigaction(SIGBUS, &guard_old, NULL);
}

/* Puts our handler in place unless it is there already (others, such as
 * the viewer's crash handler or a test harness, may have replaced it since;
 * theirs becomes the one faults outside segments go to). */
static void guard_install(void)
{
	struct sigaction sa = {.sa_sigaction = guard_on_sigbus, .sa_flags = SA_SIGINFO}, cur;

	if (sigaction(SIGBUS, NULL, &cur) < 0 ||
	    ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == guard_on_sigbus))
		return;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		guard_old = cur;
}

static void guard_arm(struct segment *s, sigjmp_buf *jb)
{
	guard_install();
	guard_lo = s->map;
	guard_hi = s->map + s->len;
	guard_jmp = jb;
}

static void guard_disarm(void)
{
	guard_jmp = NULL;
}

/* Starts a guarded stretch in the calling function: on a fault in the
 * mapping, the segment is marked broken and the function runs on_fault. */
#define SEGMENT_GUARD(s, on_fault)                                                                 \
	sigjmp_buf guard_jb_;                                                                      \
	if ((s)->broken)                                                                           \
		on_fault;                                                                          \
	if (sigsetjmp(guard_jb_, 1)) {                                                             \
		guard_disarm();                                                                    \
		(s)->broken = true;                                                                \
		on_fault;                                                                          \
	}                                                                                          \
	guard_arm((s), &guard_jb_)

static void seg_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void segment_leave(struct segment *s);

static void seg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *const region_names[FT_REGION_COUNT] = {
    "sample ring", "event ring", "thread table", "coroutine table", "module table", "string table",
};

/* A ring region: absent (size 0, only for optional rings) or a header and
 * a power-of-two data area that fit the region. */
static int validate_ring(const uint8_t *map, const struct ft_region *rg, const char *what,
			 bool optional, char *err, size_t errlen)
{
	const struct ft_ring *ring;
	uint64_t size;

	if (rg->size == 0 && optional)
		return 0;
	if (rg->size < FT_RING_DATA_OFFSET + 64) {
		seg_err(err, errlen, "%s is too small (%llu bytes)", what,
			(unsigned long long)rg->size);
		return -EINVAL;
	}
	ring = (const struct ft_ring *)(map + rg->offset);
	size = ring->size;
	if (size < 64 || (size & (size - 1))) {
		seg_err(err, errlen, "%s size %llu is not a power of two", what,
			(unsigned long long)size);
		return -EINVAL;
	}
	if (size > rg->size - FT_RING_DATA_OFFSET) {
		seg_err(err, errlen, "%s of %llu bytes does not fit its region of %llu", what,
			(unsigned long long)size, (unsigned long long)rg->size);
		return -EINVAL;
	}
	return 0;
}

static int validate_table(const struct ft_region *rg, const char *what, uint32_t entry_size,
			  char *err, size_t errlen)
{
	if (rg->count == 0 && rg->size == 0)
		return 0;
	if (rg->entry_size != entry_size) {
		seg_err(err, errlen, "%s entries are %u bytes, this flametop expects %u", what,
			rg->entry_size, entry_size);
		return -EINVAL;
	}
	if ((uint64_t)rg->count * rg->entry_size > rg->size) {
		seg_err(err, errlen, "%s of %u entries does not fit its region of %llu bytes", what,
			rg->count, (unsigned long long)rg->size);
		return -EINVAL;
	}
	return 0;
}

/* The coroutine region: its table header, entries and stack area inside
 * it, in that order, not overlapping. */
static int validate_corotab(const struct ft_header *h, const uint8_t *base, char *err,
			    size_t errlen)
{
	const struct ft_region *rg = &h->regions[FT_REGION_COROS];
	const struct ft_corotab *t;
	uint64_t ents;

	if (rg->size == 0)
		return 0;
	t = (const struct ft_corotab *)(base + rg->offset);
	if (rg->size >= sizeof(*t) && t->entries_offset == 0)
		return 0; /* the writer keeps no coroutines */
	ents = (uint64_t)rg->count * rg->entry_size;
	if (rg->size < sizeof(*t) || t->entries_offset < sizeof(*t) || t->entries_offset % 8 ||
	    t->entries_offset > rg->size || ents > rg->size - t->entries_offset ||
	    t->stacks_offset < t->entries_offset + ents || t->stacks_offset % 8 ||
	    t->stacks_offset > rg->size || t->stacks_size > rg->size - t->stacks_offset) {
		seg_err(err, errlen, "coroutine table does not fit its region");
		return -EINVAL;
	}
	return 0;
}

/* Checks header h of the len-byte segment mapped at base (h may be a
 * private copy of the header at base). */
static int validate(const struct ft_header *h, const uint8_t *base, size_t len, char *err,
		    size_t errlen)
{
	int ret;

	if (len < sizeof(*h)) {
		if (len >= sizeof(h->magic) && memcmp(h->magic, FT_MAGIC, sizeof(h->magic))) {
			seg_err(err, errlen, "not a flametop segment");
			return -EBADF;
		}
		seg_err(err, errlen, "segment is truncated (%zu bytes, the header alone is %zu)",
			len, sizeof(*h));
		return -EINVAL;
	}
	if (memcmp(h->magic, FT_MAGIC, sizeof(h->magic))) {
		seg_err(err, errlen, "not a flametop segment");
		return -EBADF;
	}
	if (h->version < SEGMENT_VERSION_OLDEST || h->version > FT_VERSION) {
		if (SEGMENT_VERSION_OLDEST == FT_VERSION)
			seg_err(err, errlen, "runtime format v%u, this viewer reads v%u",
				h->version, FT_VERSION);
		else
			seg_err(err, errlen,
				"runtime format v%u, this viewer reads v%u (down to v%u)",
				h->version, FT_VERSION, SEGMENT_VERSION_OLDEST);
		return -EPROTO;
	}
	if (h->header_size != sizeof(*h)) {
		seg_err(err, errlen, "segment header is %u bytes, this flametop expects %zu",
			h->header_size, sizeof(*h));
		return -EINVAL;
	}
	if (h->segment_size != len) {
		seg_err(err, errlen,
			"segment says it is %llu bytes but %zu are mapped (truncated?)",
			(unsigned long long)h->segment_size, len);
		return -EINVAL;
	}
	for (int i = 0; i < FT_REGION_COUNT; i++) {
		const struct ft_region *rg = &h->regions[i];

		if (rg->size == 0)
			continue;
		if (rg->offset % 4096 || rg->offset < sizeof(*h) || rg->offset > len ||
		    rg->size > len - rg->offset) {
			seg_err(err, errlen, "%s (offset %llu, %llu bytes) is outside the segment",
				region_names[i], (unsigned long long)rg->offset,
				(unsigned long long)rg->size);
			return -EINVAL;
		}
		for (int j = 0; j < i; j++) {
			const struct ft_region *o = &h->regions[j];

			if (o->size && rg->offset < o->offset + o->size &&
			    o->offset < rg->offset + rg->size) {
				seg_err(err, errlen, "%s overlaps the %s", region_names[i],
					region_names[j]);
				return -EINVAL;
			}
		}
	}
	if ((ret = validate_ring(base, &h->regions[FT_REGION_SAMPLES], "sample ring", false, err,
				 errlen)) ||
	    (ret = validate_ring(base, &h->regions[FT_REGION_EVENTS], "event ring", true, err,
				 errlen)) ||
	    (ret = validate_table(&h->regions[FT_REGION_THREADS], "thread table",
				  sizeof(struct ft_thread), err, errlen)) ||
	    (ret = validate_table(&h->regions[FT_REGION_COROS], "coroutine table",
				  sizeof(struct ft_coro), err, errlen)) ||
	    (ret = validate_table(&h->regions[FT_REGION_MODULES], "module table",
				  sizeof(struct ft_module), err, errlen)))
		return ret;
	if ((ret = validate_corotab(h, base, err, errlen)))
		return ret;
	if (h->regions[FT_REGION_STRINGS].size) {
		const struct ft_region *rg = &h->regions[FT_REGION_STRINGS];
		const struct ft_strtab *st = (const struct ft_strtab *)(base + rg->offset);

		if (rg->size < sizeof(*st) || st->size > rg->size - sizeof(*st)) {
			seg_err(err, errlen, "string table does not fit its region");
			return -EINVAL;
		}
	}
	if (h->pid <= 0) {
		seg_err(err, errlen, "segment names no valid pid (%d)", (int)h->pid);
		return -EINVAL;
	}
	if (h->max_depth == 0 || h->max_depth > FT_MAX_DEPTH) {
		seg_err(err, errlen, "max_depth %u is out of range (1..%u)", h->max_depth,
			FT_MAX_DEPTH);
		return -EINVAL;
	}
	if (h->freq_hz == 0 || h->freq_hz > 1000) {
		seg_err(err, errlen, "sampling frequency %u Hz is out of range (1..1000)",
			h->freq_hz);
		return -EINVAL;
	}
	return 0;
}

int segment_validate(const void *map, size_t len, char *err, size_t errlen)
{
	return validate(map, map, len, err, errlen);
}

/* Starts a ring reader on each ring of the validated copy s->hdr (the
 * event ring is optional); the ring sizes are read again from the mapping
 * and checked against the copy's regions. */
static int rings_init(struct segment *s, char *why, size_t whylen)
{
	static const int ids[2] = {FT_REGION_SAMPLES, FT_REGION_EVENTS};
	int ret = 0;

	for (int i = 0; i < 2 && !ret; i++) {
		const struct ft_region *rg = &s->hdr.regions[ids[i]];
		const struct ft_ring *ring = (const struct ft_ring *)(s->map + rg->offset);
		uint64_t size;

		if (ids[i] == FT_REGION_EVENTS && rg->size == 0)
			break;
		size = ring->size;
		if (rg->size < FT_RING_DATA_OFFSET + 64 || size < 64 || (size & (size - 1)) ||
		    size > rg->size - FT_RING_DATA_OFFSET) {
			snprintf(why, whylen, "the segment changed while it was being checked");
			ret = -EINVAL;
			break;
		}
		ret = ring_reader_init(&s->rings[i], ring, size, true);
		if (!ret)
			s->nrings++;
	}
	if (ret)
		while (s->nrings > 0)
			ring_reader_release(&s->rings[--s->nrings]);
	return ret;
}

/* Keeps the coroutine region's layout (checked by validate) in s, and
 * checks it again: the writer may have changed it since. */
static int coro_layout(struct segment *s, char *why, size_t len)
{
	const struct ft_corotab *t;

	if (!s->hdr.regions[FT_REGION_COROS].size)
		return 0;
	t = (const struct ft_corotab *)(s->map + s->hdr.regions[FT_REGION_COROS].offset);
	s->coro_entries = t->entries_offset;
	s->coro_stacks = t->stacks_offset;
	s->coro_stacks_size = t->stacks_size;
	if (validate_corotab(&s->hdr, s->map, why, len) || t->entries_offset != s->coro_entries ||
	    t->stacks_offset != s->coro_stacks || t->stacks_size != s->coro_stacks_size) {
		snprintf(why, len, "the coroutine table changed while it was being checked");
		return -EINVAL;
	}
	return 0;
}

/* Opens, checks and maps path; who names it in messages ("segment of pid
 * 42" or "'/tmp/x'").  The caller has handled ENOENT. */
static struct segment *segment_open(const char *path, const char *who, int fd, char *err,
				    size_t errlen)
{
	struct segment *s;
	struct stat st;
	char why[200];
	int ret;

	if (fstat(fd, &st) < 0) {
		seg_err(err, errlen, "cannot stat %s: %s", who, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		seg_err(err, errlen, "%s is not a regular file", who);
		goto out_close;
	}
	if (st.st_uid != geteuid()) {
		seg_err(err, errlen, "%s belongs to another user", who);
		goto out_close;
	}
	if ((uint64_t)st.st_size < sizeof(struct ft_header)) {
		char magic[sizeof(((struct ft_header *)0)->magic)];

		if (pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
		    memcmp(magic, FT_MAGIC, sizeof(magic))) {
			seg_err(err, errlen, "%s: not a flametop segment", who);
			goto out_close;
		}
		seg_err(err, errlen, "%s is truncated (%lld bytes, the header alone is %zu)", who,
			(long long)st.st_size, sizeof(struct ft_header));
		goto out_close;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		seg_err(err, errlen, "out of memory");
		goto out_close;
	}
	s->fd = fd;
	s->len = (size_t)st.st_size;
	s->map = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s->map == MAP_FAILED) {
		seg_err(err, errlen, "cannot map %s: %s", who, strerror(errno));
		goto out_free;
	}
	ret = segment_validate(s->map, s->len, why, sizeof(why));
	if (ret) {
		seg_err(err, errlen, "%s: %s", who, why);
		goto out_unmap;
	}
	s->shm = (struct ft_header *)s->map;
	memcpy(&s->hdr, s->map, sizeof(s->hdr));
	/* the copy, not the live header, is what was validated: check it
	 * again in case the writer changed it meanwhile */
	ret = validate(&s->hdr, s->map, s->len, why, sizeof(why));
	if (!ret)
		ret = coro_layout(s, why, sizeof(why));
	if (!ret)
		ret = rings_init(s, why, sizeof(why));
	if (ret) {
		seg_err(err, errlen, "%s: %s", who, ret == -ENOMEM ? "out of memory" : why);
		goto out_unmap;
	}
	records_init(&s->rec, s->hdr.max_depth);
	s->hdr.exe[sizeof(s->hdr.exe) - 1] = '\0';
	s->hdr.cmdline[sizeof(s->hdr.cmdline) - 1] = '\0';
	s->hdr.note[sizeof(s->hdr.note) - 1] = '\0';
	s->pid = s->hdr.pid;
	s->slot = -1;
	return s;

out_unmap:
	munmap(s->map, s->len);
out_free:
	free(s);
out_close:
	close(fd);
	return NULL;
}

struct segment *segment_open_path(const char *path, char *err, size_t errlen)
{
	char who[300];
	int fd;

	snprintf(who, sizeof(who), "'%s'", path);
	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		seg_err(err, errlen, "cannot open %s: %s", who, strerror(errno));
		return NULL;
	}
	return segment_open(path, who, fd, err, errlen);
}

int segment_name_pid(const char *name)
{
	const char *p = name + strlen(SEGMENT_BASE);
	char *end;
	long v;

	if (strncmp(name, SEGMENT_BASE, strlen(SEGMENT_BASE)) != 0 || *p < '1' || *p > '9')
		return 0;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno || v < 1 || v > INT_MAX)
		return 0;
	if (*end == '\0')
		return (int)v;
	if (*end != '.' || strlen(end + 1) != 16 || strspn(end + 1, "0123456789abcdef") != 16)
		return 0;
	return (int)v;
}

/* true if path is a regular file of ours (not followed if a link) */
static bool own_file(const char *path, struct stat *st)
{
	return lstat(path, st) == 0 && S_ISREG(st->st_mode) && st->st_uid == geteuid();
}

int segment_find(pid_t pid, char *path, size_t len)
{
	char fixed[64], name[300];
	struct timespec best = {0, 0};
	struct dirent *de;
	struct stat st;
	bool found = false;
	DIR *d;

	snprintf(fixed, sizeof(fixed), "%s/%s%d", SEGMENT_DIR, SEGMENT_BASE, (int)pid);
	if (own_file(fixed, &st)) {
		snprintf(path, len, "%s", fixed);
		return 0;
	}
	d = opendir(SEGMENT_DIR);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (segment_name_pid(de->d_name) != pid || !strchr(de->d_name, '.'))
			continue;
		snprintf(name, sizeof(name), "%s/%s", SEGMENT_DIR, de->d_name);
		if (!strchr(de->d_name + strlen(SEGMENT_BASE), '.') || !own_file(name, &st))
			continue;
		/* the newest, should a dead process with our pid have left one */
		if (!found || st.st_mtim.tv_sec > best.tv_sec ||
		    (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec > best.tv_nsec)) {
			best = st.st_mtim;
			snprintf(path, len, "%s", name);
			found = true;
		}
	}
	closedir(d);
	if (found)
		return 0;
	/* what is at the usual name, for the message */
	snprintf(path, len, "%s", fixed);
	return -ENOENT;
}

/* How long ago pid started, in ms (from /proc/PID/stat's start time and
 * /proc/uptime); a large number when unknown. */
static long process_age_ms(pid_t pid)
{
	unsigned long long start = 0;
	double up = 0;
	FILE *f;
	long hz = sysconf(_SC_CLK_TCK);

	/* field 22: the start time, in clock ticks since boot */
	if (hz <= 0 || util_proc_stat_field((int)pid, 22, &start) < 0)
		return LONG_MAX;
	if (!(f = fopen("/proc/uptime", "re")))
		return LONG_MAX;
	if (fscanf(f, "%lf", &up) != 1)
		up = 0;
	fclose(f);
	if (up <= 0)
		return LONG_MAX;
	return (long)(up * 1000.0 - (double)start * 1000.0 / (double)hz);
}

/* true if pid's runtime is building its segment under its private name
 * ("flametop.<pid>.<hex>.new", a file of ours) */
static bool segment_coming(pid_t pid)
{
	char prefix[64], name[300];
	struct dirent *de;
	struct stat st;
	bool coming = false;
	size_t plen;
	DIR *d = opendir(SEGMENT_DIR);

	if (!d)
		return false;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "%s%d.", SEGMENT_BASE, (int)pid);
	while (!coming && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < plen + 4 || strncmp(de->d_name, prefix, plen) != 0 ||
		    strcmp(de->d_name + len - 4, ".new") != 0)
			continue;
		snprintf(name, sizeof(name), "%s/%s", SEGMENT_DIR, de->d_name);
		coming = own_file(name, &st);
	}
	closedir(d);
	return coming;
}

pid_t segment_ns_pid(pid_t pid)
{
	char path[64], line[256];
	pid_t ns = pid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return pid;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "NSpid:", 6)) {
			/* "NSpid:\t4242\t7": outermost first, its own last */
			char *p = line + 6, *end;

			for (;;) {
				long v = strtol(p, &end, 10);

				if (end == p)
					break;
				if (v > 0 && v <= INT_MAX)
					ns = (pid_t)v;
				p = end;
			}
			break;
		}
	fclose(f);
	return ns;
}

bool segment_other_shm(pid_t pid)
{
	char path[64], ours[64], theirs[64];
	struct stat a_st, b_st;
	ssize_t a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	a = readlink("/proc/self/ns/mnt", ours, sizeof(ours) - 1);
	b = readlink(path, theirs, sizeof(theirs) - 1);
	if (a <= 0 || b <= 0 || (a == b && memcmp(ours, theirs, (size_t)a) == 0))
		return false;
	/* other mounts, but maybe the same /dev/shm (a namespace made for a
	 * mount of its own elsewhere): then its segments are ours to see */
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, SEGMENT_DIR);
	return stat(path, &b_st) == 0 && (stat(SEGMENT_DIR, &a_st) != 0 ||
					  a_st.st_dev != b_st.st_dev || a_st.st_ino != b_st.st_ino);
}

int segment_find_container(pid_t pid, pid_t *ns, char *path, size_t len, char *root, size_t rootlen,
			   struct stat *st)
{
	if (!segment_other_shm(pid))
		return -ENOENT;
	*ns = segment_ns_pid(pid);
	snprintf(root, rootlen, "/proc/%d/root", (int)pid);
	snprintf(path, len, "%s%s/%s%d", root, SEGMENT_DIR, SEGMENT_BASE, (int)*ns);
	if (lstat(path, st) < 0)
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -ELOOP;
	if (st->st_uid != geteuid())
		return -EACCES;
	return 0;
}

struct segment *segment_open_pid(pid_t pid, char *err, size_t errlen)
{
	struct segment *s;
	char path[300], who[64], root[32] = "";
	pid_t want = pid;
	int fd, in;

	if (pid <= 0) {
		seg_err(err, errlen, "no process %d", (int)pid);
		return NULL;
	}
	snprintf(who, sizeof(who), "segment of pid %d", (int)pid);
	/* a runtime that started moments ago names its segment 20 ms after
	 * its start (flametop-shm(5)): its private name says it is coming,
	 * and a process younger than a second may not have loaded it yet */
	for (int i = 0; i < 200 && segment_find(pid, path, sizeof(path)) < 0 &&
			(segment_coming(pid) || process_age_ms(pid) < 1000);
	     i++) {
		struct timespec ts = {0, 5000000};

		nanosleep(&ts, NULL);
	}
	if (segment_find(pid, path, sizeof(path)) < 0) {
		char cpath[300];
		struct stat st;

		in = segment_find_container(pid, &want, cpath, sizeof(cpath), root, sizeof(root),
					    &st);
		if (in == 0) {
			snprintf(path, sizeof(path), "%s", cpath);
			snprintf(who, sizeof(who), "segment of pid %d (%d in its container)",
				 (int)pid, (int)want);
		} else if (in == -EACCES || in == -EPERM) {
			seg_err(err, errlen,
				"pid %d is in a container whose /dev/shm this user cannot read "
				"(%s%s/%s%d)",
				(int)pid, root, SEGMENT_DIR, SEGMENT_BASE, (int)want);
			return NULL;
		} else {
			root[0] = '\0';
			want = pid;
		}
	}
	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT && kill(pid, 0) < 0 && errno == ESRCH)
			seg_err(err, errlen, "no process %d", (int)pid);
		else if (e == ENOENT)
			seg_err(err, errlen,
				"no flametop segment for pid %d (was the runtime loaded?)",
				(int)pid);
		else if (e == ELOOP)
			seg_err(err, errlen, "%s is a symbolic link", who);
		else if (e == EACCES || e == EPERM)
			seg_err(err, errlen, "%s belongs to another user", who);
		else
			seg_err(err, errlen, "cannot open %s: %s", who, strerror(e));
		return NULL;
	}
	s = segment_open(path, who, fd, err, errlen);
	if (s && s->hdr.pid != want) {
		seg_err(err, errlen, "%s says it belongs to pid %d", who, (int)s->hdr.pid);
		segment_free(s);
		return NULL;
	}
	if (s) {
		/* liveness is asked of the pid as we number it */
		s->pid = pid;
		snprintf(s->root, sizeof(s->root), "%s", root);
	}
	return s;
}

struct segment *segment_attach(pid_t pid, char *err, size_t errlen)
{
	struct segment *s = segment_open_pid(pid, err, errlen);

	if (s)
		segment_touch(s); /* a viewer: the runtime starts sampling */
	return s;
}

void segment_free(struct segment *s)
{
	if (!s)
		return;
	segment_leave(s);
	for (int i = 0; i < s->nrings; i++)
		ring_reader_release(&s->rings[i]);
	records_release(&s->rec);
	munmap(s->map, s->len);
	close(s->fd);
	free(s);
}

const struct ft_header *segment_header(struct segment *s)
{
	return &s->hdr;
}

void segment_refresh(struct segment *s)
{
	const struct ft_header *h = s->shm;

	SEGMENT_GUARD(s, return );

	s->hdr.state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
	s->hdr.exit_status = h->exit_status;
	s->hdr.heartbeat_ns = h->heartbeat_ns;
	s->hdr.achieved_hz_milli = h->achieved_hz_milli;
	s->hdr.timer = h->timer;
	s->hdr.flags = h->flags;
	s->hdr.control.viewers = h->control.viewers;
	memcpy(&s->hdr.counters, (const void *)&h->counters, sizeof(s->hdr.counters));
	memcpy(s->hdr.note, (const void *)h->note, sizeof(s->hdr.note));
	s->hdr.note[sizeof(s->hdr.note) - 1] = '\0';
	s->hdr.modules_gen = __atomic_load_n(&h->modules_gen, __ATOMIC_ACQUIRE);
	s->hdr.threads_gen = __atomic_load_n(&h->threads_gen, __ATOMIC_ACQUIRE);
	guard_disarm();
}

uint64_t segment_refresh_modules_gen(struct segment *s)
{
	SEGMENT_GUARD(s, return s->hdr.modules_gen);
	s->hdr.modules_gen = __atomic_load_n(&s->shm->modules_gen, __ATOMIC_ACQUIRE);
	guard_disarm();
	return s->hdr.modules_gen;
}

/* Can no writer commit anything any more? */
static bool writer_gone(struct segment *s)
{
	uint32_t state = __atomic_load_n(&s->shm->state, __ATOMIC_ACQUIRE);

	if (state != FT_STATE_STARTING && state != FT_STATE_RUNNING)
		return true;
	return kill(s->pid, 0) < 0 && errno == ESRCH;
}

int segment_on(struct segment *s, uint16_t kind, records_fn fn, void *arg)
{
	return records_on(&s->rec, kind, fn, arg);
}

int segment_read(struct segment *s, size_t max)
{
	unsigned int flags;
	const struct ft_rec_hdr *rec;
	uint32_t len;
	volatile int n = 0;

	SEGMENT_GUARD(s, return n ? n : -EFAULT);
	flags = writer_gone(s) ? RING_WRITER_GONE : 0;

	for (int i = 0; i < s->nrings; i++) {
		while ((!max || (size_t)n < max) && n < INT32_MAX) {
			uint64_t before = s->rec.delivered;
			int stop;

			rec = ring_reader_next(&s->rings[i], &len, flags);
			if (!rec)
				break;
			stop = records_dispatch(&s->rec, rec, len);
			n += (int)(s->rec.delivered - before);
			if (stop)
				goto out;
		}
	}
out:
	guard_disarm();
	return n;
}

/* segment_read_samples: a sample consumer that calls the old callback. */
struct sample_tap {
	segment_sample_cb cb;
	void *arg;
	int n;
};

static int sample_tap(void *arg, const struct ft_rec_hdr *rec, uint32_t len)
{
	struct sample_tap *t = arg;

	(void)len;
	t->n++;
	return t->cb ? t->cb(t->arg, (const struct ft_sample *)rec) : 0;
}

int segment_read_samples(struct segment *s, segment_sample_cb cb, void *arg, size_t max)
{
	struct sample_tap tap = {cb, arg, 0};
	struct records_consumer old = {0};
	int ret;

	if (FT_REC_SAMPLE < s->rec.nc)
		old = s->rec.c[FT_REC_SAMPLE];
	if (records_on(&s->rec, FT_REC_SAMPLE, sample_tap, &tap) < 0)
		return -ENOMEM;
	ret = segment_read(s, max);
	records_on(&s->rec, FT_REC_SAMPLE, old.fn, old.arg);
	if (ret < 0)
		return tap.n ? tap.n : ret;
	return tap.n;
}

void segment_skip_backlog(struct segment *s)
{
	for (int i = 0; i < s->nrings; i++)
		ring_reader_seek_end(&s->rings[i]);
}

uint64_t segment_missed(const struct segment *s)
{
	uint64_t n = s->rec.invalid;

	for (int i = 0; i < s->nrings; i++)
		n += ring_reader_missed(&s->rings[i]);
	return n;
}

uint64_t segment_unknown(const struct segment *s)
{
	return s->rec.unknown;
}

/* Copies table entry i of region id into out under its seqlock (the seq
 * field is the first 32 bits of every entry).  false if no consistent copy
 * could be made. */
static bool table_copy(struct segment *s, int id, uint32_t i, void *out, size_t size)
{
	const struct ft_region *rg = &s->hdr.regions[id];
	const uint8_t *e = s->map + rg->offset + (uint64_t)i * size;
	const uint32_t *seq = (const uint32_t *)e;

	for (int tries = 0; tries < SEGMENT_SEQ_TRIES; tries++) {
		uint32_t s1 = __atomic_load_n(seq, __ATOMIC_ACQUIRE), s2;

		if (s1 & 1)
			continue;
		memcpy(out, e, size);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(seq, __ATOMIC_RELAXED);
		if (s1 == s2)
			return true;
	}
	return false;
}

size_t segment_threads(struct segment *s, struct ft_thread *out, size_t max)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_THREADS];
	volatile size_t n = 0;

	SEGMENT_GUARD(s, return n);

	for (uint32_t i = 0; i < rg->count && n < max; i++) {
		struct ft_thread *t = &out[n];

		if (!table_copy(s, FT_REGION_THREADS, i, t, sizeof(*t)))
			continue;
		t->name[FT_NAME_LEN - 1] = '\0';
		if (t->tid == 0 || (t->state != FT_THREAD_LIVE && t->state != FT_THREAD_EXITED))
			continue;
		n++;
	}
	guard_disarm();
	return n;
}

size_t segment_modules(struct segment *s, struct ft_module *out, size_t max)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_MODULES];
	volatile size_t n = 0;

	SEGMENT_GUARD(s, return n);

	for (uint32_t i = 0; i < rg->count && n < max; i++) {
		struct ft_module *m = &out[n];

		if (!table_copy(s, FT_REGION_MODULES, i, m, sizeof(*m)))
			continue;
		m->path[FT_PATH_LEN - 1] = '\0';
		if (m->build_id_len > FT_BUILD_ID_LEN)
			m->build_id_len = 0;
		if (m->path[0] == '\0')
			continue;
		n++;
	}
	guard_disarm();
	return n;
}

/* Takes a viewer slot (free, or expired: its viewer died) for this
 * reader, or keeps none when all are taken by live viewers. */
static void slot_take(struct segment *s, uint64_t now)
{
	uint64_t *slots = s->shm->control.viewer_slot;

	for (unsigned i = 0; i < FT_VIEWER_SLOTS; i++) {
		uint64_t old = __atomic_load_n(&slots[i], __ATOMIC_RELAXED);

		if (old && old <= now && now - old < FT_VIEWER_TIMEOUT_NS)
			continue;
		if (__atomic_compare_exchange_n(&slots[i], &old, now, false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			s->slot = (int)i;
			return;
		}
	}
}

void segment_touch(struct segment *s)
{
	uint64_t now = util_mono_ns();

	SEGMENT_GUARD(s, return );
	if (s->slot < 0)
		slot_take(s, now);
	else
		__atomic_store_n(&s->shm->control.viewer_slot[s->slot], now, __ATOMIC_RELEASE);
	__atomic_store_n(&s->shm->control.viewer_heartbeat_ns, now, __ATOMIC_RELEASE);
	guard_disarm();
}

/* Gives this reader's viewer slot back. */
static void segment_leave(struct segment *s)
{
	SEGMENT_GUARD(s, return );
	if (s->slot >= 0)
		__atomic_store_n(&s->shm->control.viewer_slot[s->slot], 0, __ATOMIC_RELEASE);
	s->slot = -1;
	guard_disarm();
}

/* Is pid a zombie (exited, not yet reaped by its parent)? */
static bool pid_zombie(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may contain anything but ends at the last ')' */
	return p && (p[1] == ' ') && (p[2] == 'Z' || p[2] == 'X');
}

enum ft_state segment_state(struct segment *s, int *exit_status)
{
	uint32_t state;
	int status;

	SEGMENT_GUARD(s, goto broken);
	state = __atomic_load_n(&s->shm->state, __ATOMIC_ACQUIRE);
	status = s->shm->exit_status;

	if (state > FT_STATE_FAILED)
		state = FT_STATE_FAILED;
	if (state == FT_STATE_RUNNING || state == FT_STATE_STARTING) {
		uint64_t hb = s->shm->heartbeat_ns, now = util_mono_ns();
		bool gone = kill(s->pid, 0) < 0 && errno == ESRCH;

		/* a zombie whose sampler stopped long ago is gone too */
		if (!gone && hb && now > hb && now - hb > SEGMENT_HEARTBEAT_NS)
			gone = pid_zombie(s->pid);
		if (gone) {
			state = FT_STATE_EXITED;
			status = -1;
		}
	}
	guard_disarm();
	if (exit_status)
		*exit_status = state == FT_STATE_EXITED ? status : 0;
	return (enum ft_state)state;
broken:
	if (exit_status)
		*exit_status = 0;
	return FT_STATE_FAILED;
}

bool segment_broken(const struct segment *s)
{
	return s->broken;
}

pid_t segment_pid(const struct segment *s)
{
	return s->pid;
}

const char *segment_module_file(const struct segment *s, const char *path, char *buf, size_t len)
{
	if (!s->root[0] || path[0] != '/')
		return path;
	snprintf(buf, len, "%s%s", s->root, path);
	return buf;
}

double segment_handler_quantile(const struct ft_counters *c, double q)
{
	uint64_t calls = 0, acc = 0;

	for (int i = 0; i < 32; i++)
		calls += c->handler_hist[i];
	if (!calls)
		return 0;
	for (int i = 0; i < 32; i++) {
		double before = (double)acc;

		if (!c->handler_hist[i])
			continue;
		acc += c->handler_hist[i];
		if ((double)acc >= q * (double)calls) {
			double lo = i ? ldexp(1, i) : 0, hi = ldexp(1, i + 1);

			return lo + (hi - lo) *
					((q * (double)calls - before) / (double)c->handler_hist[i]);
		}
	}
	return ldexp(1, 32);
}

int segment_format_stats(const struct ft_header *h, char *buf, size_t len)
{
	const struct ft_counters *c = &h->counters;

	return snprintf(buf, len,
			"samples_written=%llu samples_dropped=%llu handler_calls=%llu "
			"handler_mean_ns=%.0f handler_p50_ns=%.0f handler_p99_ns=%.0f "
			"threads_seen=%llu truncated=%llu achieved_hz=%.1f timer=%u viewers=%u "
			"drop_busy=%llu drop_unwind=%llu drop_nothread=%llu drop_stack=%llu "
			"drop_woke=%llu timers_lost=%llu",
			(unsigned long long)c->samples_written,
			(unsigned long long)c->samples_dropped,
			(unsigned long long)c->handler_calls,
			c->handler_calls ? (double)c->handler_ns_total / c->handler_calls : 0.0,
			segment_handler_quantile(c, 0.5), segment_handler_quantile(c, 0.99),
			(unsigned long long)c->threads_seen, (unsigned long long)c->truncated,
			h->achieved_hz_milli / 1000.0, h->timer, h->control.viewers,
			(unsigned long long)c->drop_busy, (unsigned long long)c->drop_unwind,
			(unsigned long long)c->drop_nothread, (unsigned long long)c->drop_stack,
			(unsigned long long)c->drop_woke, (unsigned long long)c->timers_lost);
}

/* ---- coroutines and labels ------------------------------------------- */

int segment_corotab(struct segment *s, struct ft_corotab *out)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_COROS];

	memset(out, 0, sizeof(*out));
	if (!rg->size || !s->coro_entries)
		return -ENOENT;
	SEGMENT_GUARD(s, return -EFAULT);
	memcpy(out, s->map + rg->offset, sizeof(*out));
	guard_disarm();
	out->entries_offset = s->coro_entries;
	out->stacks_offset = s->coro_stacks;
	out->stacks_size = s->coro_stacks_size;
	if (out->used > rg->count)
		out->used = rg->count;
	if (out->stacks_used > s->coro_stacks_size)
		out->stacks_used = s->coro_stacks_size;
	return 0;
}

size_t segment_coros(struct segment *s, struct ft_coro *out, size_t max)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_COROS];
	const uint8_t *ents = s->map + rg->offset + s->coro_entries;
	volatile size_t n = 0;
	uint32_t used;

	if (!rg->size || !s->coro_entries || rg->entry_size != sizeof(struct ft_coro))
		return 0;
	SEGMENT_GUARD(s, return n);
	used = __atomic_load_n((const uint32_t *)(s->map + rg->offset), __ATOMIC_ACQUIRE);
	if (used > rg->count)
		used = rg->count;
	for (uint32_t i = 0; i < used && n < max; i++) {
		const uint32_t *seq = (const uint32_t *)(ents + (uint64_t)i * sizeof(*out));
		struct ft_coro *c = &out[n];
		bool ok = false;

		for (int tries = 0; tries < SEGMENT_SEQ_TRIES && !ok; tries++) {
			uint32_t s1 = __atomic_load_n(seq, __ATOMIC_ACQUIRE);

			if (s1 & 1)
				continue;
			memcpy(c, seq, sizeof(*c));
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			ok = __atomic_load_n(seq, __ATOMIC_RELAXED) == s1;
		}
		if (!ok || !c->id || c->state == FT_CORO_FREE || c->state > FT_CORO_EXITED)
			continue;
		c->name[FT_NAME_LEN - 1] = '\0';
		c->reason[FT_CORO_REASON_LEN - 1] = '\0';
		n++;
	}
	guard_disarm();
	return n;
}

int segment_coro_stack(struct segment *s, const struct ft_coro *c, uint64_t *pc, int max)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_COROS];
	const uint8_t *area = s->map + rg->offset + s->coro_stacks;
	uint64_t word = c->stack, off, used;
	struct ft_stack st;
	volatile int n = 0;

	if (c->state != FT_CORO_PARKED || (uint32_t)(word >> 32) != c->park_seq ||
	    !(uint32_t)word || !rg->size || !s->coro_entries)
		return 0;
	off = ((uint64_t)(uint32_t)word - 1) * 8;
	SEGMENT_GUARD(s, return 0);
	used = __atomic_load_n(
	    (const uint64_t *)(s->map + rg->offset + offsetof(struct ft_corotab, stacks_used)),
	    __ATOMIC_ACQUIRE);
	if (used > s->coro_stacks_size)
		used = s->coro_stacks_size;
	if (off + sizeof(st) <= used) {
		memcpy(&st, area + off, sizeof(st));
		if (st.nframes <= FT_MAX_DEPTH &&
		    off + sizeof(st) + (uint64_t)st.nframes * 8 <= used) {
			n = (int)st.nframes < max ? (int)st.nframes : max;
			memcpy(pc, area + off + sizeof(st), (size_t)n * 8);
		}
	}
	guard_disarm();
	return n;
}

int segment_labels(struct segment *s, uint32_t id, struct segment_labels *out)
{
	const struct ft_region *rg = &s->hdr.regions[FT_REGION_STRINGS];
	const uint8_t *data = s->map + rg->offset + sizeof(struct ft_strtab);
	uint64_t size, used;
	char buf[FT_LABELS_MAX * (FT_LABEL_KEY_LEN + FT_LABEL_VALUE_LEN)];
	volatile uint32_t bytes = 0, npairs = 0;
	volatile int ret = 0;

	out->n = 0;
	if (id == 0)
		return 0;
	if (id == FT_LABELS_LOST || !rg->size)
		return -ENOENT;
	SEGMENT_GUARD(s, return -EFAULT);
	size = ((const struct ft_strtab *)(s->map + rg->offset))->size;
	used = __atomic_load_n(&((const struct ft_strtab *)(s->map + rg->offset))->used,
			       __ATOMIC_ACQUIRE);
	if (size > rg->size - sizeof(struct ft_strtab))
		size = rg->size - sizeof(struct ft_strtab);
	if (used > size)
		used = size;
	if (id % 8 || (uint64_t)id + sizeof(struct ft_labels) > used) {
		ret = -EINVAL;
	} else {
		struct ft_labels l;

		memcpy(&l, data + id, sizeof(l));
		if (l.bytes > sizeof(buf) || l.npairs > FT_LABELS_MAX ||
		    (uint64_t)id + sizeof(l) + l.bytes > used) {
			ret = -EINVAL;
		} else {
			memcpy(buf, data + id + sizeof(l), l.bytes);
			bytes = l.bytes;
			npairs = l.npairs;
		}
	}
	guard_disarm();
	if (ret)
		return ret;
	for (uint32_t at = 0, i = 0; i < npairs && at < bytes; i++) {
		size_t k = strnlen(buf + at, bytes - at), v;

		if (at + k + 1 >= bytes || k >= FT_LABEL_KEY_LEN)
			return -EINVAL;
		v = strnlen(buf + at + k + 1, bytes - at - k - 1);
		if (at + k + 1 + v >= bytes || v >= FT_LABEL_VALUE_LEN)
			return -EINVAL;
		memcpy(out->key[out->n], buf + at, k + 1);
		memcpy(out->value[out->n], buf + at + k + 1, v + 1);
		out->n++;
		at += (uint32_t)(k + v + 2);
	}
	return out->n;
}
