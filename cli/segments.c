/*
 * segments.c - the current user's segments in /dev/shm, and the removal of
 * those whose process is gone.
 *
 * Scans /dev/shm for flametop.<pid> files (and flametop.<pid>.<hex>, the
 * name a target takes when another user held the usual one) owned by this
 * user, never following links, and reads each only through
 * segment_open_path (validated).  States: "running" (the process is
 * alive), "exited" (its runtime said so and the segment was kept),
 * "stale" (the process is gone without saying so, or the pid now belongs
 * to another program), "invalid" (not a readable segment of this
 * version).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "segment.h"
#include "segments.h"

#define STALE_AGE_S 60 /* what segments_reap leaves alone */

#define SHM_DIR SEGMENT_DIR

static bool process_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* The pid from "flametop.<pid>" or "flametop.<pid>.<hex>", or 0. */
static pid_t name_pid(const char *name)
{
	return (pid_t)segment_name_pid(name);
}

static void format_age(double secs, char *out, size_t len)
{
	if (secs < 0)
		snprintf(out, len, "?");
	else if (secs < 120)
		snprintf(out, len, "%.0fs", secs);
	else if (secs < 7200)
		snprintf(out, len, "%.0fm", secs / 60);
	else if (secs < 172800)
		snprintf(out, len, "%.0fh", secs / 3600);
	else
		snprintf(out, len, "%.0fd", secs / 86400);
}

/* True if /proc/pid/exe still names the segment's executable (the pid was
 * not reused by another program).  Unknown counts as the same. */
static bool same_program(pid_t pid, const char *exe)
{
	char link[64], buf[PATH_MAX];

	snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	if (n <= 0 || !exe[0])
		return true;
	buf[n] = '\0';
	/* a program rebuilt while it runs shows as "path (deleted)" */
	size_t dl = strlen(" (deleted)");
	if ((size_t)n > dl && !strcmp(buf + n - dl, " (deleted)"))
		buf[n - dl] = '\0';
	return strcmp(buf, exe) == 0;
}

static void inspect(struct seg_entry *e, const struct stat *st)
{
	char err[256];
	struct timespec now;
	struct segment *s = segment_open_path(e->path, err, sizeof err);
	bool alive = process_alive(e->pid);

	e->alive = alive;
	e->mtime = st->st_mtime;
	clock_gettime(CLOCK_REALTIME, &now);
	if (!s) {
		e->state = "invalid";
		e->gone = !alive;
		format_age(difftime(now.tv_sec, st->st_mtime), e->age, sizeof e->age);
		snprintf(e->cmd, sizeof e->cmd, "(%s)", err);
		return;
	}
	const struct ft_header *h = segment_header(s);
	double start = h->start_realtime_ns / 1e9;
	format_age(now.tv_sec + now.tv_nsec / 1e9 - start, e->age, sizeof e->age);
	snprintf(e->cmd, sizeof e->cmd, "%.*s", (int)sizeof h->cmdline - 1,
		 h->cmdline[0] ? h->cmdline : h->exe);
	for (char *p = e->cmd; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (alive && h->pid == e->ns_pid && h->state != FT_STATE_EXITED &&
	    (h->state == FT_STATE_EXECED || e->container || same_program(e->pid, h->exe))) {
		e->state = h->state == FT_STATE_FAILED ? "failed" : "running";
	} else if (h->state == FT_STATE_EXITED && !alive) {
		e->state = "exited";
		e->gone = true;
	} else if (h->state == FT_STATE_EXITED) {
		e->state = "exited";
	} else {
		e->state = "stale";
		e->gone = true;
	}
	segment_free(s);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct seg_entry *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A free entry at the end of *v (grown), or NULL. */
static struct seg_entry *add_entry(struct seg_entry **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct seg_entry *nv = realloc(*v, ncap * sizeof(**v));

		if (!nv)
			return NULL;
		*v = nv;
		*cap = ncap;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

/* The segments of processes in other mount namespaces (containers), each
 * in its own /dev/shm under the pid it has there. */
static int scan_containers(struct seg_entry **v, size_t *n, size_t *cap)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end, path[300], root[32];
		long pid = strtol(de->d_name, &end, 10);
		struct seg_entry *e;
		struct stat st;
		pid_t ns;

		if (*end || pid <= 0 || pid > INT_MAX ||
		    segment_find_container((pid_t)pid, &ns, path, sizeof(path), root, sizeof(root),
					   &st) < 0)
			continue;
		e = add_entry(v, n, cap);
		if (!e) {
			closedir(d);
			return -ENOMEM;
		}
		e->pid = (pid_t)pid;
		e->ns_pid = ns;
		e->container = true;
		snprintf(e->path, sizeof(e->path), "%s", path);
		inspect(e, &st);
	}
	closedir(d);
	return 0;
}

int segments_scan(struct seg_entry **out, size_t *count, char *err, size_t errlen)
{
	struct seg_entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	uid_t me = geteuid();
	DIR *d = opendir(SHM_DIR);

	*out = NULL;
	*count = 0;
	if (!d) {
		int e = errno;

		snprintf(err, errlen, "cannot read %s: %s", SHM_DIR, strerror(e));
		return -e;
	}
	while ((de = readdir(d))) {
		pid_t pid = name_pid(de->d_name);
		char path[300];
		struct stat st;

		if (!pid)
			continue;
		snprintf(path, sizeof path, "%s/%s", SHM_DIR, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != me)
			continue;
		struct seg_entry *e = add_entry(&v, &n, &cap);

		if (!e) {
			snprintf(err, errlen, "out of memory");
			closedir(d);
			free(v);
			return -ENOMEM;
		}
		e->pid = pid;
		e->ns_pid = pid;
		snprintf(e->path, sizeof e->path, "%s", path);
		inspect(e, &st);
	}
	closedir(d);
	if (scan_containers(&v, &n, &cap) < 0) {
		snprintf(err, errlen, "out of memory");
		free(v);
		return -ENOMEM;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_entry);
	*out = v;
	*count = n;
	return 0;
}

/*
 * A runtime builds its segment under "flametop.<pid>.<16 hex>.new" and
 * gives it its name a little later (flametop-shm(5)); a process killed
 * before that leaves the private name behind.  Removes those of this
 * user whose process is gone (or has had it a minute: never published,
 * then, and nobody can find it); their count.
 */
int segments_reap_unpublished(void (*said)(const struct seg_entry *e))
{
	DIR *d = opendir(SHM_DIR);
	struct dirent *de;
	uid_t me = geteuid();
	int removed = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char base[300], path[300];
		struct stat st;
		pid_t pid;

		if (len < 5 || len >= sizeof(base) || strcmp(de->d_name + len - 4, ".new") != 0)
			continue;
		memcpy(base, de->d_name, len - 4);
		base[len - 4] = '\0';
		if (!(pid = name_pid(base)) || !strchr(base + strlen(SEGMENT_BASE), '.'))
			continue;
		snprintf(path, sizeof path, "%s/%s", SHM_DIR, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != me)
			continue;
		if (process_alive(pid) && time(NULL) - st.st_mtime < STALE_AGE_S)
			continue;
		if (unlink(path) < 0)
			continue;
		if (said) {
			struct seg_entry e = {.pid = pid, .state = "unpublished", .gone = true};

			snprintf(e.path, sizeof e.path, "%s", path);
			said(&e);
		}
		removed++;
	}
	closedir(d);
	return removed;
}

int segments_reap(bool all, void (*said)(const struct seg_entry *e))
{
	struct seg_entry *v;
	size_t n;
	char err[256];
	int removed = 0, rc = segments_scan(&v, &n, err, sizeof err);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		/* without all, only what has been stale for a while: a
		 * process that just died may still be looked at */
		if (!v[i].gone || (!all && (v[i].alive || strcmp(v[i].state, "stale") != 0 ||
					    time(NULL) - v[i].mtime < STALE_AGE_S)))
			continue;
		/* ENOENT: another flametop was first */
		if (unlink(v[i].path) < 0)
			continue;
		if (said)
			said(&v[i]);
		removed++;
	}
	free(v);
	return removed + segments_reap_unpublished(said);
}
