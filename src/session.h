/*
 * session.h - live profiling, written once: a target followed into a
 * profile until it ends or the caller stops.
 *
 * A session owns the live reader (live.h) of one target and, when the
 * target is our own child (record CMD, run), the child: it reaps it
 * without blocking at every poll, tells the live reader how it ended,
 * stops it on request and drains what the target wrote to the end.  The
 * profile is the caller's (borrowed).  Every command that profiles a live
 * target (record, report -p, run, attach) and the viewer's live source go
 * through here; nothing above the core polls, drains or reaps by itself.
 *
 * Single-threaded: the caller polls.  Never prints, never exits.
 */
#ifndef FT_SESSION_H
#define FT_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "live.h"
#include "profile.h"

struct session;

/* A session for pid's samples, into p (borrowed).  child: pid is our
 * child, to be reaped (and stopped) by the session; 0 for a process of
 * someone else.  Does not attach yet.  NULL on ENOMEM. */
struct session *session_new(pid_t pid, pid_t child, struct profile *p);
/* Frees the live reader; does not stop the child (see session_stop).
 * NULL is a no-op. */
void session_free(struct session *s);

/* Follows the target's descendants too (processes whose parent, or its
 * parent, ..., is the target) that have a segment: each is read into the
 * same profile, from its start (its ring's backlog), after setup(l, arg)
 * gave its live reader the caller's settings (grouping, weight); looked
 * for every 100 ms while the target runs, drained and let go when it
 * ends.  After an exec, the new image's segment is followed. */
void session_follow(struct session *s, void (*setup)(struct live *l, void *arg), void *arg);
/* How many descendants are followed now. */
size_t session_followed(const struct session *s);

/* Attaches to the target's segment.  retry_ms: keep trying that long
 * while the child runs (a target just started may still be filling its
 * header in); 0 tries once.  0, or -1 with a one-line message in err
 * (the child may have ended meanwhile: see session_child_done). */
int session_attach(struct session *s, int retry_ms, char *err, size_t errlen);

/* Reaps the child if it ended (without waiting), then reads what arrived
 * (bounded work).  Returns the samples added, 0 when nothing was read
 * (or nothing is attached), -errno. */
int session_poll(struct session *s);

/* Reads everything the target wrote so far (bounded: polls until a poll
 * adds nothing). */
void session_drain(struct session *s);

/* Whether the target has ended: the child was reaped, or the segment
 * says it exited or its writer failed. */
bool session_ended(struct session *s);

/* Ends the child if it still runs: waits up to wait_ms for it to end by
 * itself (a Ctrl-C at the terminal reached it too), then sends SIGTERM
 * and SIGKILL after grace_ms; reaps it.  Then drains.  Returns the wait
 * status, or -1 when unknown (no child). */
int session_stop(struct session *s, int wait_ms, int grace_ms);

/* Why session_run returned. */
enum session_end {
	SESSION_ENDED,	  /* the target ended */
	SESSION_TIMEOUT,  /* the duration elapsed */
	SESSION_STOPPED,  /* *stop became nonzero */
	SESSION_DETACHED, /* nothing attached and no child to wait for */
};

/* The headless loop: polls every poll_ms until the target ends,
 * duration_ns elapses (0: no limit) or *stop becomes nonzero (a signal
 * handler's flag; NULL: none); then drains what is left. */
enum session_end session_run(struct session *s, uint64_t duration_ns, int poll_ms,
			     volatile sig_atomic_t *stop);

/* The child: its pid (0: none), whether it was reaped, and its wait
 * status once reaped (-1 before, or when unknown). */
pid_t session_child(const struct session *s);
bool session_child_done(const struct session *s);
int session_child_status(const struct session *s);
/* How the target ended in words ("exited (status 3)", "killed by
 * SIGSEGV"), or NULL while it runs; valid until the next call. */
const char *session_ended_how(struct session *s);

/* The live reader (NULL until attached) and the profile. */
struct live *session_live(struct session *s);
struct profile *session_profile(struct session *s);
/* Statistics of the live reader (zeroed with pid and state filled in
 * when nothing is attached); samples, lost, allocs and frees include the
 * followed descendants'. */
void session_stats(struct session *s, struct live_stats *out);
/* Samples from now on only (live_skip_backlog). */
void session_skip_backlog(struct session *s);

#endif
