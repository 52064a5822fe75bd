/*
 * segment.h - attaching to a target's shared-memory segment and reading it.
 *
 * The segment (format: runtime/flametop-shm.h) is untrusted input: every
 * offset, size, count and string is checked before use, records are copied
 * out of the rings and validated before callers see them.  A reader never
 * writes into the segment except the viewer control block.
 */
#ifndef FT_SEGMENT_H
#define FT_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "flametop-shm.h"
#include "records.h"

struct segment;

/* Checks a mapped segment image of len bytes: magic, version, header and
 * segment sizes, every region inside the segment and of a sane size, ring
 * sizes powers of two, table entry sizes as this build expects, max_depth
 * <= FT_MAX_DEPTH.  Pure: no system calls.  0, or -EINVAL / -EPROTO (a
 * format version this viewer cannot read: "runtime format v2, this viewer
 * reads v1") / -EBADF (not a flametop segment) with a one-line reason. */
int segment_validate(const void *map, size_t len, char *err, size_t errlen);

#define SEGMENT_DIR "/dev/shm"
#define SEGMENT_BASE "flametop."

/* The pid in a segment's file name ("flametop.<pid>", or
 * "flametop.<pid>.<16 hex digits>" when another user held the usual
 * name), or 0 if name is no segment's name. */
int segment_name_pid(const char *name);

/* Finds the segment file of pid: /dev/shm/flametop.<pid> when it is a
 * regular file of ours, else the newest regular file of ours named
 * flametop.<pid>.<hex>; links, FIFOs and other users' files are never
 * taken.  0 with its path, or -ENOENT (path is then the usual name). */
int segment_find(pid_t pid, char *path, size_t len);

/* Opens the segment of pid (segment_find; for a process in a container,
 * flametop.<its pid there> in /proc/PID/root/dev/shm): the file must be
 * owned by the current user, then it is mapped and validated.  NULL with a message such as
 * "no flametop segment for pid 42 (was the runtime loaded?)", "no process
 * 42", "segment of pid 42 belongs to another user". */
struct segment *segment_attach(pid_t pid, char *err, size_t errlen);

/* The same without taking a viewer slot (the runtime is not asked to
 * sample until segment_touch). */
struct segment *segment_open_pid(pid_t pid, char *err, size_t errlen);

/* The same on any file (tests, fuzzing): validates it like a segment. */
struct segment *segment_open_path(const char *path, char *err, size_t errlen);

void segment_free(struct segment *s); /* unmaps; NULL is a no-op */

/* The header as validated at attach (a private copy, refreshed by
 * segment_refresh: state, counters, heartbeat, generations). */
const struct ft_header *segment_header(struct segment *s);
void segment_refresh(struct segment *s);

/* Refreshes only the header copy's modules_gen and returns it: for a
 * reader that met a pc in no module it knows of, in a record the runtime
 * wrote after publishing the module (segment_refresh's copy may be older
 * than the record). */
uint64_t segment_refresh_modules_gen(struct segment *s);

/* Registers the consumer of the records of kind (records.h): from then on
 * segment_read hands it every record of that kind, validated.  fn NULL
 * removes it.  0 or -ENOMEM. */
int segment_on(struct segment *s, uint16_t kind, records_fn fn, void *arg);

/* Reads newly committed records of every kind from both rings (the sample
 * ring, then the event ring), each checked by the rules of its kind and
 * handed to the consumer registered for it; unknown kinds are counted
 * (segment_unknown) and skipped, invalid records counted as missed.
 * Returns the number of records delivered to consumers, or -EFAULT when
 * the mapping faulted before any was.  At most max records delivered per
 * call (0: no limit); bounded work in any case.  A consumer returning
 * nonzero stops the read after its record. */
int segment_read(struct segment *s, size_t max);

/* Records of kinds this viewer does not know, skipped so far. */
uint64_t segment_unknown(const struct segment *s);

/* Reads newly committed sample records, calling cb with a validated copy
 * of each (nframes <= max_depth, the record fully inside its length).
 * cb returns 0 to go on, nonzero to stop.  Returns the number of samples
 * delivered, or -errno.  At most max records per call (0: no limit).
 * The same as segment_read with cb as the sample consumer for the call. */
typedef int (*segment_sample_cb)(void *arg, const struct ft_sample *smp);
int segment_read_samples(struct segment *s, segment_sample_cb cb, void *arg, size_t max);

/* Skips the records already in the rings: the next segment_read
 * delivers only records committed after this call. */
void segment_skip_backlog(struct segment *s);

/* Records this reader missed because the writer lapped it or because they
 * failed validation (estimated in records when bytes were lost). */
uint64_t segment_missed(const struct segment *s);

/* Consistent copies of table entries (seqlock), live and exited ones with
 * a nonzero tid / path.  Return the number copied (<= max). */
size_t segment_threads(struct segment *s, struct ft_thread *out, size_t max);
size_t segment_modules(struct segment *s, struct ft_module *out, size_t max);

/* Writes the viewer heartbeat (tells the runtime a viewer is reading). */
void segment_touch(struct segment *s);

/* The target's state: FT_STATE_* from the header, except that a writer
 * whose process no longer exists is reported as FT_STATE_EXITED with
 * *exit_status -1 (died without saying so). */
enum ft_state segment_state(struct segment *s, int *exit_status);

pid_t segment_pid(const struct segment *s);

/* The file to open for a module path the segment published: for a
 * process in another mount namespace (a container: its segment was found
 * in its own /dev/shm), under its root, "/proc/PID/root"; else path
 * itself (buf holds the result when it is not path). */
const char *segment_module_file(const struct segment *s, const char *path, char *buf,
				size_t len);

/* The pid a process has in its own pid namespace (NSpid's last number in
 * /proc/PID/status), or pid itself. */
pid_t segment_ns_pid(pid_t pid);

/* Does pid see another /dev/shm than this process (a container)? */
bool segment_other_shm(pid_t pid);

/* The segment of a process in a container: flametop.<its pid there, *ns>
 * in its own /dev/shm through root, "/proc/PID/root".  0 with path, root,
 * *ns and *st (the file's lstat) set, or -errno: -ENOENT (no container,
 * or no segment), -ELOOP (not a regular file), -EACCES (another user's,
 * or the root cannot be entered). */
int segment_find_container(pid_t pid, pid_t *ns, char *path, size_t len, char *root,
			   size_t rootlen, struct stat *st);

/* Whether the mapping faulted (its file was truncated under us): from
 * then on nothing more is read, segment_read_samples returns -EFAULT and
 * segment_state FT_STATE_FAILED.  The viewer installs a SIGBUS handler
 * for this at the first attach; faults elsewhere keep their old fate. */
bool segment_broken(const struct segment *s);

/* The q-quantile (0..1) of the runtime's signal handler time, in ns, from
 * the log2 histogram in c (interpolated inside a bucket); 0 if empty. */
double segment_handler_quantile(const struct ft_counters *c, double q);

/* The runtime's counters of h as one line of key=value pairs (no newline)
 * into buf: samples, drops, handler mean/p50/p99, threads, truncated,
 * achieved rate, timer.  Returns what snprintf returns. */
int segment_format_stats(const struct ft_header *h, char *buf, size_t len);

/* ---- coroutines and labels (see struct ft_corotab) ---- */

/* A copy of the coroutine table's header (counters, used), with the
 * layout fields as validated at attach.  -ENOENT if the segment has no
 * coroutine region. */
int segment_corotab(struct segment *s, struct ft_corotab *out);

/* Consistent copies of the coroutines in use (id != 0), in slot order;
 * names and reasons NUL-terminated.  Returns the number copied (<= max). */
size_t segment_coros(struct segment *s, struct ft_coro *out, size_t max);

/* The parked stack of c (a copy from segment_coros) into pc[0..max),
 * innermost first, every pc a return address; 0 if c is not parked or
 * its stack is not (or no longer) known. */
int segment_coro_stack(struct segment *s, const struct ft_coro *c, uint64_t *pc, int max);

/* Label set id (from a sample or a coroutine) as pairs: their number, 0
 * for the empty set, -ENOENT for FT_LABELS_LOST, -EINVAL if it is not a
 * well-formed set. */
struct segment_labels {
	int n;
	char key[FT_LABELS_MAX][FT_LABEL_KEY_LEN];
	char value[FT_LABELS_MAX][FT_LABEL_VALUE_LEN];
};
int segment_labels(struct segment *s, uint32_t id, struct segment_labels *out);

#endif
