/*
 * fdetab.h - function boundaries from an object's unwind table.
 *
 * Every function a compiler emits for a Linux target has a frame
 * description entry (FDE) in .eh_frame, also in stripped code, and each
 * FDE's range starts where its function (or a part the compiler split
 * off, such as a ".cold" block) starts.  The table is those ranges,
 * sorted, so that an address without a symbol can be named after the
 * start of the function that contains it.
 */
#ifndef FT_FDETAB_H
#define FT_FDETAB_H

#include <stdbool.h>
#include <stdint.h>
#include <libelf.h>

struct fdetab;

/* Reads elf's .eh_frame (NULL if it has none, or memory ran out).
 * Malformed entries are skipped.  Addresses are the ELF's own (link-time).
 * elf is only read during the call. */
struct fdetab *fdetab_new(Elf *elf);
void fdetab_free(struct fdetab *t); /* NULL is a no-op */

/* Whether an FDE covers addr: *start is where its range begins. */
bool fdetab_find(const struct fdetab *t, uint64_t addr, uint64_t *start);

size_t fdetab_count(const struct fdetab *t);

#endif
