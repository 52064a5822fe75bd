/*
 * symbols.h - addresses to functions, with elfutils' libdwfl.
 *
 * Modules (path, load bias, executable range) are registered as the target
 * publishes them; an address is resolved against the module that contains
 * it, once: results are cached per address.  Function names come from
 * .symtab or .dynsym (PIE and shared objects alike), PLT stubs are
 * "NAME@plt" after their relocation, code without symbols is named after
 * the start of its function in the unwind table ("module+0xSTART"),
 * file:line comes from DWARF where present, and so do the functions
 * inlined at an address: each becomes a frame of its own, named
 * "NAME (inlined)" (symbols_frames).  An address nothing is known
 * about becomes "module+0xOFFSET" (or "[unknown]+0xADDR" outside every
 * module): a frame is never dropped.  What the writers of pprof and
 * recordings carry is kept in the funcs table (funcs.h): each module's
 * GNU build-id when it is registered, and where each function starts in
 * its source (DWARF's decl_file and decl_line) when symbols_frames first
 * reads the debug info of one of its addresses.
 *
 * Module paths are untrusted (they come from the segment): only regular
 * files are opened, without blocking, and only up to a size bound; other
 * paths are kept as name-only modules.
 */
#ifndef FT_SYMBOLS_H
#define FT_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "funcs.h"

struct symbols;

/* f is borrowed: resolved functions are interned into it. */
struct symbols *symbols_new(struct funcs *f);
void symbols_free(struct symbols *s);

/* Registers a module mapped at bias covering [lo, hi).  Re-registering the
 * same (path, bias) is a no-op.  A file that cannot be opened is kept as a
 * name-only module (its addresses become module+0xOFF).  0 or -errno. */
int symbols_add_module(struct symbols *s, const char *path, uint64_t bias, uint64_t lo,
		       uint64_t hi);

/* The function id for pc: the function whose code holds it (the
 * outermost of symbols_frames), from symbols alone: no debug info is
 * read.  return_addr: pc is a return address (every frame but an exact
 * leaf), so pc-1 is looked up. */
uint32_t symbols_resolve(struct symbols *s, uint64_t pc, bool return_addr);

/* One frame at an address: a function and where in its source. */
struct symbols_frame {
	uint32_t func;	  /* function id */
	int line;	  /* 0: not known */
	const char *file; /* NULL: not known; valid until symbols_free */
};

/* At most this many frames for one address (deeper inlining is cut from
 * the outside in: the innermost frames are kept). */
#define SYMBOLS_INLINE_MAX 32

/*
 * The frames at pc, outermost first: frames[0] is the function whose code
 * holds pc (what symbols_resolve returns), then every function inlined
 * there, innermost last, each named "NAME (inlined)" in the same module.
 * Each frame's line is where it calls the next (the call site of the
 * inlined code), the last one's is the line of pc itself.  Resolved once
 * per pc with its inline chain (debug info is read lazily, per compile
 * unit, the first time a pc of the unit asks for frames: a module's
 * debug info is opened then, which for a large library with compressed
 * sections takes a fraction of a second once).  Returns how many frames
 * (1 without inlining) and sets *frames,
 * valid until the next symbols_* call on s; 0 when memory ran out.
 */
uint32_t symbols_frames(struct symbols *s, uint64_t pc, bool return_addr,
			const struct symbols_frame **frames);

/* Whether inlined functions become frames (default true); changing it
 * forgets what was resolved. */
void symbols_set_inline(struct symbols *s, bool on);

/* Source position of pc (in the innermost function inlined there), if
 * debug info has one: 0 and *file / *line set (file valid until
 * symbols_free), or -ENOENT. */
int symbols_srcline(struct symbols *s, uint64_t pc, bool return_addr, const char **file, int *line);

/* Names JIT code of process pid from its perf map (/tmp/perf-PID.map,
 * see jitmap.h); addresses in no module and no map entry but in the
 * process's anonymous executable memory become "[jit]" (module "[jit]").
 * 0 or -ENOMEM. */
int symbols_watch_jit(struct symbols *s, pid_t pid);

/* Reads what the perf map gained since the last call; addresses that were
 * resolved without a name are looked up again.  Returns the number of new
 * entries, 0, or -errno (the map is missing or refused: nothing named). */
int symbols_poll(struct symbols *s);

size_t symbols_jit_malformed(const struct symbols *s); /* map lines skipped */

size_t symbols_cached(const struct symbols *s); /* distinct pcs resolved */

/* How many symbols_resolve calls so far found their pc in no module (JIT
 * code named by a perf map included): a caller that sees it grow can
 * register modules it did not know of and resolve again. */
size_t symbols_misses(const struct symbols *s);

#endif
