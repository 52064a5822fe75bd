/*
 * funcs.h - interning of function identities.
 *
 * A function is a (name, module) pair, for example ("parse_line",
 * "libfoo.so.1") or ("libfoo.so.1+0x1a2b", "libfoo.so.1") when nothing is
 * known about the address.  Each distinct pair gets a small id, stable for
 * the life of the table; id 0 is reserved for the call tree's root ("all").
 * Strings are copied; pointers returned stay valid until funcs_free.
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

#endif
