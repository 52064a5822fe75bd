/*
 * segments.h - the current user's segments in /dev/shm, as `list` shows
 * them, and the removal of those whose process is gone.
 */
#ifndef FT_SEGMENTS_H
#define FT_SEGMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include "flametop-shm.h"

struct seg_entry {
	pid_t pid;
	char path[300];
	const char *state; /* running, failed, exited, stale or invalid */
	char age[16];
	char cmd[FT_PATH_LEN + 64];
	bool gone;    /* the writer process is gone (or its pid was reused) */
	bool alive;   /* a process with that pid exists */
	time_t mtime; /* the file's last change */
	pid_t ns_pid; /* the pid the runtime knows itself by (in a container) */
	bool container; /* found in the /dev/shm of another mount namespace */
};

/* Every segment of the current user in /dev/shm, and in the /dev/shm of
 * every process in another mount namespace (a container) that this user
 * can enter, sorted by pid: 0 and a malloc'ed array in *v (free it), or
 * -errno with a message in err.  A container's segments are never
 * removed (only live processes are looked at there). */
int segments_scan(struct seg_entry **v, size_t *n, char *err, size_t errlen);

/* Removes the segments of processes that died without saying so
 * ("stale" and no process has the pid: a SIGTERM they did not catch,
 * SIGKILL) a minute ago or more; with all, also those of gone processes that exited or that
 * are not readable segments, and stale ones whose pid was reused.  A
 * segment whose process exists is never removed without all: it may be
 * one being created.
 * Calls said (if given) once per segment removed.  Returns the number
 * removed, or -errno if the directory cannot be read. */
int segments_reap(bool all, void (*said)(const struct seg_entry *e));

/* Removes the private names ("flametop.<pid>.<hex>.new") that killed
 * processes left before publishing their segment; segments_reap does it
 * too.  Returns the number removed. */
int segments_reap_unpublished(void (*said)(const struct seg_entry *e));

#endif
