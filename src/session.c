/*
 * session.c - live profiling: poll, stop, drain, reap (see session.h).
 *
 * Invariants:
 *   - the child, when there is one, is reaped here and only here (waitpid
 *     on its pid, WNOHANG except in session_stop); once reaped its status
 *     is handed to the live reader (live_set_exit), so the live state and
 *     the child's agree;
 *   - every loop does bounded work per turn and ends: drains stop at the
 *     first poll that adds nothing (or after SESSION_DRAIN_MAX polls).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "launch.h"
#include "session.h"
#include "util.h"

#define SESSION_DRAIN_MAX 10000 /* polls per drain at most */
#define SESSION_RETRY_MS 25
#define FOLLOW_SCAN_MS 100 /* a look for new descendants at most this often */
#define FOLLOW_MAX 1024	   /* processes followed at once */
#define FOLLOW_PROCS 65536 /* processes looked at in /proc */

/* a descendant of the target, followed into the same profile */
struct follower {
	pid_t pid;
	struct live *l; /* NULL once it ended and was drained */
};

struct session {
	pid_t pid, child;
	struct profile *p;
	struct live *l;
	bool child_done;
	int child_status; /* wait status once child_done, else -1 */
	char how[64];
	/* descendants (session_follow) */
	bool follow;
	void (*setup)(struct live *l, void *arg);
	void *setup_arg;
	struct follower *fw;
	size_t nfw, capfw, live_fw;
	uint64_t scanned_ms;
	struct live_stats gone; /* samples, lost, allocs, frees of followers let go */
};

/* adds a follower's counts to out */
static void add_counts(struct live_stats *out, const struct live_stats *f)
{
	out->samples += f->samples;
	out->lost += f->lost;
	out->allocs += f->allocs;
	out->frees += f->frees;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

struct session *session_new(pid_t pid, pid_t child, struct profile *p)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->pid = pid;
	s->child = child;
	s->p = p;
	s->child_status = -1;
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nfw; i++)
		live_free(s->fw[i].l);
	free(s->fw);
	live_free(s->l);
	free(s);
}

void session_follow(struct session *s, void (*setup)(struct live *l, void *arg), void *arg)
{
	s->follow = true;
	s->setup = setup;
	s->setup_arg = arg;
}

static void follow_scan_all(struct session *s);

/* The parent of pid (field 4 of /proc/pid/stat), or 0. */
static pid_t proc_ppid(pid_t pid)
{
	unsigned long long ppid;

	return util_proc_stat_field((int)pid, 4, &ppid) == 0 ? (pid_t)ppid : 0;
}

static bool followed(const struct session *s, pid_t pid)
{
	for (size_t i = 0; i < s->nfw; i++)
		if (s->fw[i].pid == pid)
			return true;
	return false;
}

/* Attaches to pid's segment if it has one that runs; false otherwise (it
 * may have none yet: tried again at the next look). */
static bool follow_one(struct session *s, pid_t pid)
{
	struct live_stats st;
	struct follower *f;
	char err[256];
	struct live *l;

	if (s->nfw == s->capfw) {
		size_t cap = s->capfw ? 2 * s->capfw : 16;
		struct follower *v = realloc(s->fw, cap * sizeof(*v));

		if (!v)
			return false;
		s->fw = v;
		s->capfw = cap;
	}
	if (!(l = live_attach(pid, s->p, err, sizeof(err))))
		return false;
	live_stats(l, &st);
	if (st.state != FT_STATE_RUNNING) {
		live_free(l);
		return false;
	}
	if (s->setup)
		s->setup(l, s->setup_arg);
	f = &s->fw[s->nfw++];
	f->pid = pid;
	f->l = l;
	s->live_fw++;
	return true;
}

/* Appends the children of pid's threads (/proc/PID/task/TID/children) to
 * v[*n..max); -1 when the kernel does not list children. */
static int children_of(pid_t pid, pid_t *v, size_t *n, size_t max)
{
	char path[96];
	struct dirent *de;
	DIR *d;
	int ok = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0; /* gone */
	while ((de = readdir(d)) && *n < max) {
		FILE *f;
		int c;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children", (int)pid, de->d_name);
		if (!(f = fopen(path, "re"))) {
			if (errno == ENOENT)
				ok = -1;
			continue;
		}
		while (*n < max && fscanf(f, "%d", &c) == 1)
			v[(*n)++] = (pid_t)c;
		fclose(f);
	}
	closedir(d);
	return ok;
}

/* The descendants from the kernel's lists of children, breadth first:
 * their number, or -1 when it keeps none (then /proc is scanned). */
static long descendants(pid_t root, pid_t *v, size_t max)
{
	size_t n = 0;

	if (children_of(root, v, &n, max) < 0)
		return -1;
	for (size_t i = 0; i < n && n < max; i++)
		children_of(v[i], v, &n, max);
	return (long)n;
}

/* Every process whose chain of parents leads to the target, not followed
 * yet and with a segment, is followed from now on. */
static void follow_scan(struct session *s)
{
	pid_t kids[FOLLOW_MAX];
	long nk = descendants(s->pid, kids, FOLLOW_MAX);

	if (nk >= 0) {
		for (long j = 0; j < nk && s->live_fw < FOLLOW_MAX; j++)
			if (!followed(s, kids[j]))
				follow_one(s, kids[j]);
		return;
	}
	follow_scan_all(s);
}

/* The same, from every process's parent in /proc (without the kernel's
 * lists of children). */
static void follow_scan_all(struct session *s)
{
	pid_t *pid = NULL, *ppid = NULL, *mine = NULL;
	size_t n = 0, cap = 0, nmine = 0;
	struct dirent *de;
	DIR *d;

	if (s->live_fw >= FOLLOW_MAX || !(d = opendir("/proc")))
		return;
	while ((de = readdir(d)) && n < FOLLOW_PROCS) {
		char *end;
		long v = strtol(de->d_name, &end, 10);
		pid_t pp;

		if (*end || v <= 1 || v == s->pid || !(pp = proc_ppid((pid_t)v)))
			continue;
		if (n == cap) {
			size_t c = cap ? 2 * cap : 256;
			pid_t *a = realloc(pid, c * sizeof(*a)), *b;

			if (!a)
				break;
			pid = a;
			if (!(b = realloc(ppid, c * sizeof(*b))))
				break;
			ppid = b;
			cap = c;
		}
		pid[n] = (pid_t)v;
		ppid[n++] = pp;
	}
	closedir(d);
	/* the descendants: grown from the target until nothing is added */
	mine = n ? malloc((n + 1) * sizeof(*mine)) : NULL;
	if (mine) {
		mine[nmine++] = s->pid;
		for (bool grew = true; grew;) {
			grew = false;
			for (size_t i = 0; i < n; i++) {
				bool parent = false, already = false;

				for (size_t j = 0; j < nmine && !already; j++) {
					parent |= ppid[i] == mine[j];
					already |= pid[i] == mine[j];
				}
				if (parent && !already) {
					mine[nmine++] = pid[i];
					grew = true;
				}
			}
		}
		for (size_t j = 1; j < nmine && s->live_fw < FOLLOW_MAX; j++)
			if (!followed(s, mine[j]))
				follow_one(s, mine[j]);
	}
	free(mine);
	free(pid);
	free(ppid);
}

/* Reads what the followed processes wrote; one that ended is drained
 * and let go (after an exec, its new image is followed at the next look). */
static void follow_poll(struct session *s)
{
	uint64_t now = util_mono_ms();

	if (s->follow && !s->child_done && now - s->scanned_ms >= FOLLOW_SCAN_MS) {
		s->scanned_ms = now;
		follow_scan(s);
	}
	for (size_t i = 0; i < s->nfw; i++) {
		struct follower *f = &s->fw[i];
		struct live_stats st;

		if (!f->l)
			continue;
		live_poll(f->l);
		live_stats(f->l, &st);
		if (st.state == FT_STATE_RUNNING || st.state == FT_STATE_STARTING)
			continue;
		for (int k = 0; k < SESSION_DRAIN_MAX && live_poll(f->l) > 0; k++)
			;
		live_flush(f->l);
		live_stats(f->l, &st);
		add_counts(&s->gone, &st);
		live_free(f->l);
		f->l = NULL;
		s->live_fw--;
		if (st.state == FT_STATE_EXECED)
			*f = s->fw[--s->nfw], i--; /* its next image is another segment */
	}
}

size_t session_followed(const struct session *s)
{
	return s->live_fw;
}

/* Reaps the child if it ended; block: wait for it. */
static void session_reap(struct session *s, bool block)
{
	int st;

	if (s->child <= 0 || s->child_done)
		return;
	if (waitpid(s->child, &st, block ? 0 : WNOHANG) != s->child)
		return;
	s->child_done = true;
	s->child_status = st;
	if (s->l)
		live_set_exit(s->l, st);
}

int session_attach(struct session *s, int retry_ms, char *err, size_t errlen)
{
	uint64_t t0 = util_mono_ms();

	for (;;) {
		s->l = live_attach(s->pid, s->p, err, errlen);
		if (s->l)
			break;
		session_reap(s, false);
		if (s->child_done || util_mono_ms() - t0 >= (uint64_t)retry_ms)
			return -1;
		sleep_ms(SESSION_RETRY_MS);
	}
	if (s->child_done)
		live_set_exit(s->l, s->child_status);
	return 0;
}

int session_poll(struct session *s)
{
	session_reap(s, false);
	follow_poll(s);
	return s->l ? live_poll(s->l) : 0;
}

void session_drain(struct session *s)
{
	for (int i = 0; s->l && i < SESSION_DRAIN_MAX; i++)
		if (live_poll(s->l) <= 0)
			break;
	if (s->l)
		live_flush(s->l);
	for (size_t i = 0; i < s->nfw; i++) {
		if (!s->fw[i].l)
			continue;
		for (int k = 0; k < SESSION_DRAIN_MAX && live_poll(s->fw[i].l) > 0; k++)
			;
		live_flush(s->fw[i].l);
	}
}

bool session_ended(struct session *s)
{
	struct live_stats st;

	if (s->child_done)
		return true;
	if (!s->l)
		return false;
	live_stats(s->l, &st);
	return st.state == FT_STATE_EXITED || st.state == FT_STATE_FAILED;
}

int session_stop(struct session *s, int wait_ms, int grace_ms)
{
	if (s->child > 0 && !s->child_done) {
		for (int t = 0; t < wait_ms && !s->child_done; t += SESSION_RETRY_MS) {
			sleep_ms(SESSION_RETRY_MS);
			session_reap(s, false);
		}
		if (!s->child_done) {
			s->child_status = launch_stop(s->child, grace_ms);
			s->child_done = true;
			if (s->l)
				live_set_exit(s->l, s->child_status);
		}
	}
	session_drain(s);
	return s->child_status;
}

enum session_end session_run(struct session *s, uint64_t duration_ns, int poll_ms,
			     volatile sig_atomic_t *stop)
{
	uint64_t t0 = util_mono_ns();
	enum session_end why;

	for (;;) {
		session_poll(s);
		if (session_ended(s)) {
			why = SESSION_ENDED;
			break;
		}
		if (!s->l && (s->child <= 0 || s->child_done)) {
			why = SESSION_DETACHED;
			break;
		}
		if (duration_ns && util_mono_ns() - t0 >= duration_ns) {
			why = SESSION_TIMEOUT;
			break;
		}
		if (stop && *stop) {
			why = SESSION_STOPPED;
			break;
		}
		sleep_ms(poll_ms);
	}
	session_drain(s);
	return why;
}

pid_t session_child(const struct session *s)
{
	return s->child;
}

bool session_child_done(const struct session *s)
{
	return s->child_done;
}

int session_child_status(const struct session *s)
{
	return s->child_done ? s->child_status : -1;
}

const char *session_ended_how(struct session *s)
{
	struct live_stats st;

	if (s->child_done) {
		util_describe_status(s->child_status, s->how, sizeof(s->how));
		return s->how;
	}
	if (!s->l)
		return NULL;
	live_stats(s->l, &st);
	if (st.state != FT_STATE_EXITED)
		return NULL;
	util_describe_status(st.exit_status, s->how, sizeof(s->how));
	return s->how;
}

struct live *session_live(struct session *s)
{
	return s->l;
}

struct profile *session_profile(struct session *s)
{
	return s->p;
}

void session_stats(struct session *s, struct live_stats *out)
{
	if (s->l) {
		live_stats(s->l, out);
	} else {
		memset(out, 0, sizeof(*out));
		out->pid = s->pid;
		out->state = s->child_done ? FT_STATE_EXITED : FT_STATE_STARTING;
		out->exit_status = s->child_status;
	}
	/* the counts are the family's */
	add_counts(out, &s->gone);
	for (size_t i = 0; i < s->nfw; i++) {
		struct live_stats st;

		if (!s->fw[i].l)
			continue;
		live_stats(s->fw[i].l, &st);
		add_counts(out, &st);
		out->samples_per_sec += st.samples_per_sec;
	}
}

void session_skip_backlog(struct session *s)
{
	if (s->l)
		live_skip_backlog(s->l);
}
