/*
 * toptable.h - the top-functions table view's model: rows from top.h,
 * sorted by self or total, filtered by a regex, with a selected row; or,
 * against a baseline, rows of shares and their changes (difftree.h).
 */
#ifndef FT_UI_TOPTABLE_H
#define FT_UI_TOPTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"
#include "grid.h"
#include "top.h"

struct toptable;

struct toptable *toptable_new(void); /* NULL on ENOMEM */
void toptable_free(struct toptable *tt);

/* Recomputes the rows from t (borrowed, as is f).  0 or -ENOMEM. */
int toptable_update(struct toptable *tt, struct calltree *t, const struct funcs *f);

/* The rows of a differential view instead (difftree.h, borrowed until the
 * next update): every function of either tree with its shares in A and
 * B, sorted by the size of the change of self (TOP_BY_SELF) or of total.
 * 0 or -ENOMEM.  toptable_update goes back to the plain table. */
struct difftree;
int toptable_update_diff(struct toptable *tt, struct difftree *dt, const struct funcs *f);
/* Shows the differential rows (toptable_update_diff was the last update). */
bool toptable_is_diff(const struct toptable *tt);

void toptable_set_sort(struct toptable *tt, enum top_sort s);
enum top_sort toptable_sort(const struct toptable *tt);
/* Keeps rows whose function name matches (extended regex, any case);
 * NULL or "" shows all.  0 or -EINVAL with the reason in err. */
int toptable_filter(struct toptable *tt, const char *pattern, char *err, size_t errlen);
const char *toptable_pattern(const struct toptable *tt);

/* Rows shown (after the filter); row i's data. */
size_t toptable_rows(const struct toptable *tt);
const struct top_row *toptable_row(const struct toptable *tt, size_t i);
uint64_t toptable_grand_total(const struct toptable *tt);

/* Moves the selected row by delta (clamped); to = -1 / -2: first / last. */
void toptable_move(struct toptable *tt, long delta);
void toptable_move_to(struct toptable *tt, size_t row);
/* Selects the row drawn at row y of the last draw (0 is the header);
 * false if no row is there. */
bool toptable_select_at(struct toptable *tt, int y);
/* The selected row's function, 0 when the table is empty. */
uint32_t toptable_selected(const struct toptable *tt);

/* Draws the header and the rows into w x h cells of g at (x, y). */
void toptable_draw(struct toptable *tt, struct grid *g, int x, int y, int w, int h);

#endif
