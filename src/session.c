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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "launch.h"
#include "session.h"
#include "util.h"

#define SESSION_DRAIN_MAX 10000 /* polls per drain at most */
#define SESSION_RETRY_MS 25

struct session {
	pid_t pid, child;
	struct profile *p;
	struct live *l;
	bool child_done;
	int child_status; /* wait status once child_done, else -1 */
	char how[64];
};

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
	live_free(s->l);
	free(s);
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
	return s->l ? live_poll(s->l) : 0;
}

void session_drain(struct session *s)
{
	for (int i = 0; s->l && i < SESSION_DRAIN_MAX; i++)
		if (live_poll(s->l) <= 0)
			break;
	if (s->l)
		live_flush(s->l);
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
		return;
	}
	memset(out, 0, sizeof(*out));
	out->pid = s->pid;
	out->state = s->child_done ? FT_STATE_EXITED : FT_STATE_STARTING;
	out->exit_status = s->child_status;
}

void session_skip_backlog(struct session *s)
{
	if (s->l)
		live_skip_backlog(s->l);
}
