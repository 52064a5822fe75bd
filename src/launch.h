/*
 * launch.h - starting a target under the runtime, finding our files.
 *
 * flametop works from its build tree (no install): it finds the runtime
 * library and the demo it was built with next to its own executable, and
 * otherwise the installed copies.  FLAMETOP_LIB overrides the library.
 */
#ifndef FT_LAUNCH_H
#define FT_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct launch_opts {
	unsigned freq_hz;	/* 0: runtime default */
	int mode;		/* FT_MODE_*; -1: runtime default */
	unsigned depth;		/* 0: default */
	const char *stdin_path; /* NULL: inherit; "/dev/null" for run */
	const char *out_path;	/* NULL: inherit stdout/stderr; else both go here */
	bool keep_segment;	/* FLAMETOP_KEEP_SEGMENT=1: we unlink it */
	bool alloc_rate_set;	/* FLAMETOP_ALLOC_RATE=alloc_rate */
	uint64_t alloc_rate;	/* bytes; 0: every allocation */
	bool follow;		/* a child the target forks profiles itself
				 * (FLAMETOP_CHILDREN=1) */
	/* a terminal of its own: the child starts a session whose
	 * controlling terminal is tty_fd (a pty's slave, see vtpane.h), its
	 * stdout and stderr, and its stdin when tty_stdin (else stdin is as
	 * stdin_path says); out_path is then unused */
	bool use_tty;
	bool tty_stdin;
	int tty_fd;
};

/* Absolute path of libflametop.so to preload, or NULL with a message. */
const char *launch_runtime_path(char *err, size_t errlen);
/* Absolute path of the bundled demo program, or NULL with a message. */
const char *launch_demo_path(char *err, size_t errlen);

/* Checks that argv[0] names an executable (in PATH or as a path): 0, or
 * -ENOENT / -EACCES with "cannot run 'x': no such command". */
int launch_check(const char *file, char *err, size_t errlen);

/* Forks and execs argv with the runtime preloaded (FLAMETOP=1,
 * FLAMETOP_ALWAYS=1, FLAMETOP_KEEP_SEGMENT=0 or 1, and the options that are
 * set as FLAMETOP_FREQ / MODE / DEPTH; for options left at their default
 * the user's own variables pass through; an existing LD_PRELOAD is kept
 * after ours).  The child stays in the caller's process
 * group, unless it gets a terminal of its own (use_tty: a session of its
 * own).  Returns the child's pid, or -errno with a message.  When the
 * child cannot open its redirections or exec (it exits with status 127),
 * this waits for it, reaps it and returns -errno with "cannot run 'x':
 * No such file or directory": the caller has no child to wait for. */
pid_t launch_start(char *const argv[], const struct launch_opts *o, char *err, size_t errlen);

/* Waits up to timeout_ms for /dev/shm/flametop.<pid> to appear (the
 * runtime creates it in its constructor) or the child to exit.  0 when it
 * exists, -ECHILD if the child already exited (its status in *status),
 * -ETIMEDOUT. */
int launch_wait_segment(pid_t pid, int timeout_ms, int *status);

/* Ends a child started by launch_start: SIGTERM, then SIGKILL after
 * grace_ms; reaps it.  Returns its wait status. */
int launch_stop(pid_t pid, int grace_ms);

/* Removes /dev/shm/flametop.<pid> (after reading a kept segment). */
void launch_unlink_segment(pid_t pid);

#endif
