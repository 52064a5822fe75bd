/*
 * jitmap.h - names of JIT-compiled code, from perf's map files.
 *
 * JIT compilers (LuaJIT, Node with --perf-basic-prof, Python 3.12+ with
 * -X perf, the JVM's perf map agents) write one line per compiled
 * function to /tmp/perf-PID.map: "START SIZE NAME", START and SIZE in
 * hex.  The file grows while the program runs; jitmap_poll reads what
 * was appended since the last call.  The file is untrusted: it is read
 * only if it is a regular file owned by the target's user (not through a
 * symlink, never blocking), at most JITMAP_MAX_BYTES of it, and lines
 * that do not parse are skipped and counted.
 *
 * The map also knows the target's anonymous executable memory (from
 * /proc/PID/maps), so that code there without a name can be called
 * "[jit]" rather than an unknown address.
 */
#ifndef FT_JITMAP_H
#define FT_JITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define JITMAP_MAX_BYTES (256u << 20) /* read at most this much of a map */
#define JITMAP_MAX_LINE 4096	      /* a longer line is malformed */

struct jitmap;

/* For process pid: its /tmp/perf-PID.map, owned by the process's user.
 * The file need not exist yet.  NULL on ENOMEM. */
struct jitmap *jitmap_new(pid_t pid);

/* For a map file at path that must be owned by uid; maps_path is a
 * /proc/PID/maps-format file (or NULL).  For tests and tools. */
struct jitmap *jitmap_open(const char *path, uid_t uid, const char *maps_path);

void jitmap_free(struct jitmap *j); /* NULL is a no-op */

/* Reads lines appended since the last call (a partial last line waits
 * for its newline).  Returns how many entries were added, or -errno when
 * the file is refused (wrong owner, not a regular file); -ENOENT while
 * it does not exist. */
int jitmap_poll(struct jitmap *j);

/* The name of the JIT function covering addr (the newest, where entries
 * overlap), valid until jitmap_free, or NULL. */
const char *jitmap_find(const struct jitmap *j, uint64_t addr);

/* Whether addr is in anonymous executable memory of the target (the maps
 * file is read again at most once a second when addr is not found). */
bool jitmap_anon_exec(struct jitmap *j, uint64_t addr);

size_t jitmap_count(const struct jitmap *j);	 /* entries read */
size_t jitmap_malformed(const struct jitmap *j); /* lines skipped */

#endif
