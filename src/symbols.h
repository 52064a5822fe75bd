/*
 * symbols.h - addresses to functions, with elfutils' libdwfl.
 *
 * Modules (path, load bias, executable range) are registered as the target
 * publishes them; an address is resolved against the module that contains
 * it, once: results are cached per address.  Function names come from
 * .symtab or .dynsym (PIE and shared objects alike), PLT stubs are
 * "NAME@plt" after their relocation, code without symbols is named after
 * the start of its function in the unwind table ("module+0xSTART"),
 * file:line comes from DWARF where present.  An address nothing is known
 * about becomes "module+0xOFFSET" (or "[unknown]+0xADDR" outside every
 * module): a frame is never dropped.
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

/* The function id for pc.  return_addr: pc is a return address (every
 * frame but an exact leaf), so pc-1 is looked up. */
uint32_t symbols_resolve(struct symbols *s, uint64_t pc, bool return_addr);

/* Source position of pc, if debug info has one: 0 and *file / *line set
 * (file valid until symbols_free), or -ENOENT. */
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
