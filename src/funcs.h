/*
 * funcs.h - interning of function identities.
 *
 * A function is a (name, module) pair, for example ("parse_line",
 * "libfoo.so.1") or ("libfoo.so.1+0x1a2b", "libfoo.so.1") when nothing is
 * known about the address.  Each distinct pair gets a small id, stable for
 * the life of the table; id 0 is reserved for the call tree's root ("all").
 * Strings are copied; pointers returned stay valid until funcs_free.
 *
 * What is known about a function besides its identity travels with the
 * table, for the formats that hold it (pprof, recordings): where its
 * source starts (file and line, from debug info), and the GNU build-id
 * of each module.  Both are set once and never change, and are listed
 * in the order they were set, so that a writer that streams (ftr.h)
 * writes only what is new since its last call.
 */
#ifndef FT_FUNCS_H
#define FT_FUNCS_H

#include <stdint.h>

struct funcs;

/* An empty table holding only id 0 ("all", module "").  NULL on ENOMEM. */
struct funcs *funcs_new(void);
void funcs_free(struct funcs *f); /* NULL is a no-op */

/* The id of (name, module), adding it if new; module may be NULL (= "").
 * Returns 0 only if memory ran out (the caller treats it as unknown). */
uint32_t funcs_intern(struct funcs *f, const char *name, const char *module);

const char *funcs_name(const struct funcs *f, uint32_t id);   /* "?" if bad id */
const char *funcs_module(const struct funcs *f, uint32_t id); /* "" if bad id */
uint32_t funcs_count(const struct funcs *f);		      /* ids are 0 .. count-1 */

/* Where function id starts in its source: file (copied; files are kept
 * once for all functions) and line (0: not known).  Set once: a later
 * call for the same id changes nothing, and so does a call with file
 * NULL or "" or a bad id.  0 or -ENOMEM. */
int funcs_set_source(struct funcs *f, uint32_t id, const char *file, int line);
/* id's source file, *line its line (0 when not known); NULL (and *line
 * 0) when nothing is known. */
const char *funcs_source(const struct funcs *f, uint32_t id, int *line);
/* The functions whose source is known, in the order it was set:
 * funcs_sourced(f, i) for i below funcs_nsourced(f). */
size_t funcs_nsourced(const struct funcs *f);
uint32_t funcs_sourced(const struct funcs *f, size_t i);

/* The GNU build-id of module (a funcs_module name) as lowercase hex:
 * set once per module (a later call changes nothing; NULL or "" is
 * ignored), 0 or -ENOMEM. */
int funcs_set_build_id(struct funcs *f, const char *module, const char *hex);
/* module's build-id, or NULL when not known. */
const char *funcs_build_id(const struct funcs *f, const char *module);
/* The build-ids in the order they were set: i below funcs_nbuild_ids(f),
 * the module in *module. */
size_t funcs_nbuild_ids(const struct funcs *f);
const char *funcs_build_id_at(const struct funcs *f, size_t i, const char **module);

#endif
