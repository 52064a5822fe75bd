/*
 * jitmap.c - perf map files (/tmp/perf-PID.map) and anonymous code.
 *
 * This file contains the JIT map reader.  Invariants:
 *   - ents[] is sorted by start; seq orders entries as they were read, and
 *     where entries overlap the newest one names the address;
 *   - off is where the next unread line starts; nothing past the last
 *     newline is consumed; bytes read never exceed JITMAP_MAX_BYTES;
 *   - names live in chunks that are never moved, so pointers stay valid;
 *   - the file is opened with O_NOFOLLOW | O_NONBLOCK and checked (regular,
 *     owned by uid) before anything is read; a refused file is not read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jitmap.h"

struct jit_ent {
	uint64_t start, end;
	uint64_t seq;
	const char *name;
};

struct jit_chunk {
	struct jit_chunk *next;
	size_t used, cap;
	char data[];
};

struct jit_region {
	uint64_t lo, hi;
};

struct jitmap {
	char *path, *maps_path;
	uid_t uid;
	int fd;
	uint64_t off, read; /* next line's offset; bytes consumed */
	bool skipping;	    /* inside a line longer than the buffer */
	struct jit_ent *ents;
	size_t n, cap;
	uint64_t seq;
	size_t malformed;
	struct jit_chunk *chunks;
	struct jit_region *regions;
	size_t nregions;
	uint64_t regions_ns; /* when the maps file was read, 0: never */
};

struct jitmap *jitmap_open(const char *path, uid_t uid, const char *maps_path)
{
	struct jitmap *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->fd = -1;
	j->uid = uid;
	j->path = strdup(path);
	j->maps_path = maps_path ? strdup(maps_path) : NULL;
	if (!j->path || (maps_path && !j->maps_path)) {
		jitmap_free(j);
		return NULL;
	}
	return j;
}

struct jitmap *jitmap_new(pid_t pid)
{
	char path[64], maps[64], proc[32];
	struct stat st;

	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)pid);
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	/* the target's user: the owner of its /proc directory */
	return jitmap_open(path, stat(proc, &st) == 0 ? st.st_uid : getuid(), maps);
}

void jitmap_free(struct jitmap *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	while (j->chunks) {
		struct jit_chunk *c = j->chunks;

		j->chunks = c->next;
		free(c);
	}
	free(j->ents);
	free(j->regions);
	free(j->path);
	free(j->maps_path);
	free(j);
}

static const char *jit_strdup(struct jitmap *j, const char *s, size_t len)
{
	struct jit_chunk *c = j->chunks;
	char *p;

	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > 65536 ? len + 1 : 65536;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = j->chunks;
		j->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static bool parse_hex(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	int digits = 0;

	if (end - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	*v = 0;
	for (; q < end && digits <= 16; q++, digits++) {
		int d = *q >= '0' && *q <= '9'	 ? *q - '0'
			: *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
			: *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
						 : -1;

		if (d < 0)
			break;
		*v = *v << 4 | (uint64_t)d;
	}
	if (digits == 0 || digits > 16)
		return false;
	*p = q;
	return true;
}

/* Parses "START SIZE NAME" (one line, no newline) into e. */
static bool parse_line(struct jitmap *j, const char *p, const char *end, struct jit_ent *e)
{
	uint64_t start, size;
	const char *name;

	if (!parse_hex(&p, end, &start) || p >= end || *p != ' ')
		return false;
	p++;
	if (!parse_hex(&p, end, &size) || p >= end || *p != ' ' || size == 0 ||
	    start + size < start)
		return false;
	name = p + 1;
	while (end > name && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	if (end <= name)
		return false;
	for (const char *q = name; q < end; q++)
		if ((unsigned char)*q < 0x20)
			return false;
	e->start = start;
	e->end = start + size;
	e->seq = ++j->seq;
	e->name = jit_strdup(j, name, (size_t)(end - name));
	return e->name != NULL;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct jit_ent *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Merges the sorted batch ents[from, n) into the sorted ents[0, from). */
static void merge_batch(struct jitmap *j, size_t from)
{
	struct jit_ent *tmp;
	size_t a = 0, b = from, k = 0;

	qsort(j->ents + from, j->n - from, sizeof(*j->ents), ent_cmp);
	if (from == 0 || ent_cmp(&j->ents[from - 1], &j->ents[from]) <= 0)
		return;
	tmp = malloc(j->n * sizeof(*tmp));
	if (!tmp) {
		qsort(j->ents, j->n, sizeof(*j->ents), ent_cmp);
		return;
	}
	while (a < from && b < j->n)
		tmp[k++] = ent_cmp(&j->ents[a], &j->ents[b]) <= 0 ? j->ents[a++] : j->ents[b++];
	while (a < from)
		tmp[k++] = j->ents[a++];
	while (b < j->n)
		tmp[k++] = j->ents[b++];
	memcpy(j->ents, tmp, j->n * sizeof(*tmp));
	free(tmp);
}

static int jit_open(struct jitmap *j)
{
	struct stat st;
	int fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP ? -EPERM : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != j->uid) {
		close(fd);
		return -EPERM;
	}
	j->fd = fd;
	return 0;
}

/* Adds the line [p, end) as an entry, or counts it as malformed. */
static void add_line(struct jitmap *j, const char *p, const char *end)
{
	struct jit_ent e;

	if (end - p > JITMAP_MAX_LINE || !parse_line(j, p, end, &e)) {
		j->malformed++;
		return;
	}
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 1024;
		struct jit_ent *n = realloc(j->ents, cap * sizeof(*n));

		if (!n) {
			j->malformed++; /* not kept: counted with the lines skipped */
			return;
		}
		j->ents = n;
		j->cap = cap;
	}
	j->ents[j->n++] = e;
}

int jitmap_poll(struct jitmap *j)
{
	char buf[65536];
	size_t from = j->n;
	struct stat st;
	int r;

	if (j->fd < 0 && (r = jit_open(j)) < 0)
		return r;
	if (fstat(j->fd, &st) < 0)
		return -errno;
	while (j->read < JITMAP_MAX_BYTES && j->off < (uint64_t)st.st_size) {
		size_t want = sizeof(buf), used = 0;
		ssize_t got;
		char *nl;

		if (want > JITMAP_MAX_BYTES - j->read)
			want = JITMAP_MAX_BYTES - j->read;
		got = pread(j->fd, buf, want, (off_t)j->off);
		if (got <= 0)
			break;
		while ((nl = memchr(buf + used, '\n', (size_t)got - used))) {
			if (j->skipping) /* the end of a line too long to keep */
				j->malformed++;
			else if (nl > buf + used)
				add_line(j, buf + used, nl);
			j->skipping = false;
			used = (size_t)(nl - buf) + 1;
		}
		if (used == 0) {
			if ((size_t)got < sizeof(buf))
				break; /* a partial last line: wait for its newline */
			j->skipping = true;
			used = (size_t)got;
		}
		j->off += used;
		j->read += used;
	}
	if (j->n > from)
		merge_batch(j, from);
	return (int)(j->n - from);
}

const char *jitmap_find(const struct jitmap *j, uint64_t addr)
{
	size_t lo = 0, hi = j->n;
	const struct jit_ent *best = NULL;

	while (lo < hi) { /* first entry starting above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (j->ents[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* overlapping entries (code freed and reused): the newest wins */
	for (size_t i = lo, steps = 0; i-- > 0 && steps < 64; steps++)
		if (addr < j->ents[i].end && (!best || j->ents[i].seq > best->seq))
			best = &j->ents[i];
	return best ? best->name : NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Reads the anonymous executable mappings ("r-xp ... 00:00 0", memfd
 * code) from the maps file. */
static void read_regions(struct jitmap *j)
{
	FILE *f = j->maps_path ? fopen(j->maps_path, "re") : NULL;
	char line[512];
	size_t n = 0, cap = 0, lines = 0;
	struct jit_region *r = NULL;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && lines++ < 1000000) {
		unsigned long long lo, hi, ino;
		char perm[8], path[256] = "";
		int pos = 0;

		if (sscanf(line, "%llx-%llx %7s %*s %*s %llu %n", &lo, &hi, perm, &ino, &pos) < 4 ||
		    perm[2] != 'x')
			continue;
		if (pos > 0)
			sscanf(line + pos, "%255s", path);
		if (path[0] && strncmp(path, "/memfd:", 7) && strncmp(path, "[anon", 5))
			continue; /* a file, [vdso], [vsyscall] */
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct jit_region *g = realloc(r, c * sizeof(*g));

			if (!g)
				break;
			r = g;
			cap = c;
		}
		r[n++] = (struct jit_region){lo, hi};
	}
	fclose(f);
	free(j->regions);
	j->regions = r;
	j->nregions = n;
}

bool jitmap_anon_exec(struct jitmap *j, uint64_t addr)
{
	uint64_t now;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < j->nregions; i++)
			if (addr >= j->regions[i].lo && addr < j->regions[i].hi)
				return true;
		now = now_ns();
		if (pass || (j->regions_ns && now - j->regions_ns < 1000000000ull))
			return false;
		j->regions_ns = now;
		read_regions(j);
	}
	return false;
}

size_t jitmap_count(const struct jitmap *j)
{
	return j->n;
}

size_t jitmap_malformed(const struct jitmap *j)
{
	return j->malformed;
}
