/*
 * source.h - what the viewer shows: a static tree (a file) or a live
 * target (live.h over a profile), behind one interface.
 *
 * The UI polls a source once per tick; between ticks the tree is stable.
 * Freezing keeps polling (sampling and reading go on) but shows a private
 * snapshot of the tree taken when frozen.  A live source started by
 * `flametop run` also reaps its child (waitpid WNOHANG each tick) and
 * tells the live source how it ended.
 */
#ifndef FT_UI_SOURCE_H
#define FT_UI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "calltree.h"
#include "funcs.h"
#include "live.h"
#include "profile.h"

struct source;

/* A static tree; t and f borrowed.  name: what the header shows. */
struct source *source_static(struct calltree *t, struct funcs *f, const char *name);
/* A live target; l and p borrowed.  child: the pid to reap (0 for attach);
 * log_path: where the target's output goes (NULL: none). */
struct source *source_live(struct live *l, struct profile *p, pid_t child, const char *log_path);
void source_free(struct source *s);

bool source_is_live(const struct source *s);
/* Polls (bounded work, at most budget_ms spent reading): true when the
 * shown tree may have changed. */
bool source_tick(struct source *s, int budget_ms);

/* The tree to show (the snapshot when frozen) and its function table;
 * valid until the next source_tick or source_* call that changes it. */
struct calltree *source_tree(struct source *s);
struct funcs *source_funcs(struct source *s);

/* 0 or -ENOMEM (stays live). */
int source_freeze(struct source *s, bool frozen);
bool source_frozen(const struct source *s);

/* Live only (return -ENOTSUP on a static source): */
int source_cycle_window(struct source *s); /* 5 s -> 30 s -> all */
int source_clear(struct source *s);
/* Next thread filter: all, then each thread in order of appearance.
 * Writes its label ("all threads", "thread 42 worker") into label. */
int source_cycle_thread(struct source *s, char *label, size_t len);
/* Shows thread tid only (0: all threads) and writes its label; -ENOTSUP
 * on a static source, -ESRCH for a tid not seen. */
int source_set_thread(struct source *s, int tid, char *label, size_t len);
/* The threads seen, in order of first appearance, with their samples
 * (NULL and *n = 0 on a static source); valid until the next tick. */
const struct profile_thread *source_threads(struct source *s, size_t *n);
/* The thread filter's tid, 0 for all threads. */
int source_thread(const struct source *s);

/* Header text fitted to width cells: target, state, mode, rate, samples,
 * lost, window, filters, live or frozen (see source_header_fit).
 * *alert set when the target has exited / was killed. */
void source_describe(struct source *s, int width, bool utf8, char *buf, size_t len, bool *alert);

/* What the header shows. */
struct source_header {
	bool is_static;
	const char *name; /* static: the file */
	int pid;
	const char *cmd; /* without its directory */
	const char *state;
	bool wall;
	unsigned freq_hz;
	double rate; /* samples/s */
	uint64_t samples, lost;
	uint64_t window_s; /* 0: all */
	int thread_tid;	   /* 0: all threads */
	const char *thread_name;
	int oncpu; /* enum profile_oncpu */
	bool frozen;
};
/* Builds the header line into out, degrading by priority until it fits
 * in width cells: the command name is cut (ellipsis) first, then the
 * sample count and the mode and rate go, then the window and thread take
 * short forms, then the pid and command go.  State, samples/s, lost,
 * window, the filters and live/FROZEN always stay.  Returns its cells. */
int source_header_fit(const struct source_header *h, int width, bool utf8, char *out, size_t len);

/* How the target ended ("exited (status 3)", "killed by SIGSEGV"), or
 * NULL while it runs. */
const char *source_ended(struct source *s);
const char *source_log_path(const struct source *s);
/* The unit of weights: "samples" (counts) or "ns". */
bool source_weight_is_ns(const struct source *s);
/* Child still running (run: to stop it on quit). */
bool source_child_running(const struct source *s);

/* Copies a tree: every node with a self value re-added (0 or -ENOMEM). */
int source_copy_tree(struct calltree *dst, struct calltree *src);

#endif
