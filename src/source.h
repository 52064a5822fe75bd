/*
 * source.h - what a viewer shows: a data source behind one interface.
 *
 * A source is a kind (a table of functions, struct source_ops in
 * source.c) and its data: a live target (a session over a profile), a
 * recording replayed (a profile read from a .ftr file, ftr.h) and a static
 * tree (a folded or pprof file).
 * Callers never ask which kind a source is to decide what to do: they ask
 * what it can do (source_profile is NULL for a source without a profile
 * to filter or window) and what it holds.
 *
 * The viewer polls a source once per tick; between ticks the tree is
 * stable.  Freezing keeps polling (sampling and reading go on) but shows a
 * private copy of the tree taken when frozen.  A live source's child, if
 * any, is the session's to reap (session.h).
 *
 * No drawing here: the UI formats the header line (ui/source-header.h).
 */
#ifndef FT_SOURCE_H
#define FT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "calltree.h"
#include "funcs.h"
#include "live.h"
#include "profile.h"
#include "session.h"
#include "unit.h"

struct source;

/* A static tree (a folded file); t and f borrowed.  name: what the header
 * shows. */
struct source *source_static(struct calltree *t, struct funcs *f, const char *name);
/* A live target followed by session (borrowed, attached; its profile is
 * the source's). */
struct source *source_live(struct session *ses);
/* A recording read from a file (r borrowed, outliving the source): its
 * profile, with every view a live profile has, never changing.  Its
 * statistics (source_stats) are the recording's: pid, command, mode,
 * samples, lost, and now_ns its last sample. */
struct ftr;
struct source *source_recording(struct ftr *r, const char *name);
void source_free(struct source *s); /* NULL is a no-op */

/* The kind's name: "live", "recording", "folded". */
const char *source_kind(const struct source *s);
/* Whether it changes as it is polled (a live target). */
bool source_is_live(const struct source *s);
/* Polls (bounded work, at most budget_ms spent reading): true when the
 * shown tree may have changed. */
bool source_tick(struct source *s, int budget_ms);

/* The tree to show (the snapshot when frozen) and its function table;
 * valid until the next source_tick or source_* call that changes it. */
struct calltree *source_tree(struct source *s);
struct funcs *source_funcs(struct source *s);
/* What a tree's weight is in: nanoseconds for a live profile, samples for
 * a folded file (unit.h formats values). */
enum unit source_unit(const struct source *s);
/* A static tree's weights are in u (UNIT_SAMPLES until set): a pprof
 * profile's nanoseconds or bytes.  No effect on a live source. */
void source_set_unit(struct source *s, enum unit u);

/* 0 or -ENOMEM (stays live). */
int source_freeze(struct source *s, bool frozen);
bool source_frozen(const struct source *s);
/* While frozen, the samples read since (sampling goes on); else 0. */
uint64_t source_read_since_freeze(struct source *s);

/* The profile behind the source (window, filters, threads, groupings),
 * NULL for a source that has none (a static tree). */
struct profile *source_profile(struct source *s);
/* A live source's allocation evidence (live_keep_evidence: bytes
 * allocated and freed by stack over the profile's window) and the span
 * it covers in seconds; false (the profiles NULL) when there is none (not
 * live, or the target's allocations are not sampled). */
bool source_evidence(struct source *s, struct profile **ap, struct profile **fp, double *span_s);
/* The live statistics; false (and *out zeroed) when not live. */
bool source_stats(struct source *s, struct live_stats *out);
/* A live source's coroutines: coros_snapshot of its segment (the rows
 * count), -ENOTSUP for a source without one. */
struct coros;
int source_coros(struct source *s, struct coros *c);
/* Groups a live source's samples from now on by spec: a comma-separated
 * grouping (group_parse: "thread,coroutine,label:KEY") and label filters
 * KEY=VALUE, as words ("" for neither), and clears the profile (samples
 * grouped otherwise would mix).  0, or -errno with a one-line reason in
 * err (a bad spec changes nothing; -ENOTSUP for a source that is not
 * live). */
int source_set_group(struct source *s, const char *spec, char *err, size_t errlen);
/* The spec in force, as source_set_group takes it ("" for none). */
void source_group_spec(struct source *s, char *out, size_t len);
/* A live source's grouping and label filters, as live_group_text. */
void source_group_text(struct source *s, char *out, size_t len);
/* How many coroutines a live source's target has now (0 for others). */
int source_coro_count(struct source *s);
/* The name a static source was given ("" for others). */
const char *source_name(const struct source *s);

/* A live source's weight (live.h); -ENOTSUP for others.  Setting it
 * clears the profile unless an in-use weight is chosen. */
int source_set_weight(struct source *s, enum live_weight w);
enum live_weight source_weight(const struct source *s);
/* Whether a live source's target records allocations (its malloc family
 * is interposed). */
bool source_has_allocs(struct source *s);

/* What the tree leaves out (hide.h): the source's rules, made on first
 * use (NULL on ENOMEM), to change and then apply with
 * source_hide_changed (0 or -ENOMEM, the tree shown as before).  A live
 * source hides in its profile (samples to come too), a static one in a
 * copy of its tree. */
struct hide;
struct hide *source_hide(struct source *s);
int source_hide_changed(struct source *s);

/* The following return -ENOTSUP on a source without a profile. */
int source_cycle_window(struct source *s); /* 5 s -> 30 s -> all */
int source_clear(struct source *s);
/* Next thread filter: all, then each thread in order of appearance.
 * Writes its label ("all threads", "thread 42 worker") into label. */
int source_cycle_thread(struct source *s, char *label, size_t len);
/* Shows thread tid only (0: all threads) and writes its label; -ESRCH for
 * a tid not seen. */
int source_set_thread(struct source *s, int tid, char *label, size_t len);
/* The threads seen, in order of first appearance, with their samples
 * (NULL and *n = 0 without a profile); valid until the next tick. */
const struct profile_thread *source_threads(struct source *s, size_t *n);
/* The thread filter's tid, 0 for all threads. */
int source_thread(const struct source *s);

/* How the target ended ("exited (status 3)", "killed by SIGSEGV";
 * "recording", "truncated recording" for a recording), or NULL while it
 * runs (and always for a static source). */
const char *source_ended(struct source *s);
/* Live: what the viewer waits for, in words ("'./prog' (pid 12) and 2
 * processes it started"); "" for other sources. */
void source_waiting_for(struct source *s, char *out, size_t len);
/* Our child still running (run: to stop it on quit). */
bool source_child_running(const struct source *s);

/* The target's garbage collections (gctimeline.h), NULL for a source
 * without a target; valid until the next source_tick. */
struct gc_cycle;
struct gctimeline;
struct gctimeline *source_gctimeline(struct source *s);
/* The time origin of every flametop output, the target runtime's start
 * (CLOCK_MONOTONIC ns; a recording's own), 0 for a source without one. */
uint64_t source_origin(struct source *s);
/* Live, with allocation data: what was allocated between collection i-1
 * and collection i of the GC timeline (live_allocs_between: by function,
 * the heaviest first in out; r the estimate and the threads' count); 0
 * sites and zeros otherwise.  *has: false when there is no allocation
 * data at all. */
struct alloc_site;
struct alloc_between;
size_t source_gc_allocs(struct source *s, size_t i, struct alloc_site *out, size_t max,
			struct alloc_between *r, bool *has);
/* c's trigger stack as function ids of source_funcs, root first; at most
 * max, returns how many (0: none known). */
size_t source_gc_stack(struct source *s, const struct gc_cycle *c, uint32_t *ids, size_t max);

/* A live source's hot lines (live_lines; cleared with the profile), NULL
 * for a source without a target. */
struct lines;
struct lines *source_lines(struct source *s);

#endif
