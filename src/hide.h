/*
 * hide.h - what a profile leaves out of its stacks: hidden functions and
 * modules, and the repeats of direct recursion.
 *
 * A hidden frame is taken out of the stack, so its time goes to its
 * caller (its self becomes its caller's self; its callees hang from its
 * caller).  Rules hide a function (by id), a module (every function
 * whose module is that path) or whatever matches an extended regular
 * expression (on the function's name or its module's file name, as
 * pprof's -hide).  Collapsing recursion then makes each run of one
 * function calling itself directly (f f f) one frame, which stands for
 * the run's length (its repeat count); A B A is left alone.
 *
 * The stack transform is applied where stacks enter a tree: a profile's
 * (profile_set_hide, live views go on receiving samples) or a static
 * tree copied with hide_tree.  A tree made with collapsing keeps, in each
 * node's repeat, the most repeats that frame stood for.
 */
#ifndef FT_HIDE_H
#define FT_HIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calltree.h"
#include "funcs.h"

struct hide;

struct hide *hide_new(void);	/* NULL on ENOMEM */
void hide_free(struct hide *h); /* NULL is a no-op */

/* Rules.  0, -ENOMEM, or for a regex -EINVAL with regerror's words in
 * err (the caller says "invalid regex 'RE': ERR"). */
int hide_add_regex(struct hide *h, const char *re, char *err, size_t errlen);
int hide_add_func(struct hide *h, uint32_t func);
int hide_add_module(struct hide *h, const char *module);
void hide_set_collapse(struct hide *h, bool on);
bool hide_collapse(const struct hide *h);
/* Forgets every rule and the collapsing: stacks are shown as they are. */
void hide_clear(struct hide *h);
/* Does it change any stack (a rule, or collapsing)?  NULL: no. */
bool hide_active(const struct hide *h);

/* What is hidden, for a status line: "hidden: parse, libc.so.6, /^std::/;
 * recursion collapsed", cut to len; "" when nothing is. */
void hide_text(const struct hide *h, const struct funcs *f, char *buf, size_t len);

/* Is func hidden (by any rule)? */
bool hide_hides(struct hide *h, const struct funcs *f, uint32_t func);

/* Transforms in[0..n) (root first) into out, which has room for n; rep
 * (room n, or NULL) gets how many frames of in each frame of out stands
 * for.  Returns out's length.  in and out may not overlap. */
uint32_t hide_apply(struct hide *h, const struct funcs *f, const uint32_t *in, uint32_t n,
		    uint32_t *out, uint32_t *rep);

/* Raises the repeat of node and its ancestors to rep[] (the frames of
 * the stack that ends at node, n of them, root first): what a tree
 * records of a collapsed stack. */
void hide_mark(struct ctnode *node, const uint32_t *rep, uint32_t n);

/* Makes dst (emptied first) the tree of src's stacks transformed: every
 * node's self weight and count added as the stack from the root to it
 * transformed.  0, or -ENOMEM with dst empty. */
int hide_tree(struct hide *h, const struct funcs *f, struct calltree *src, struct calltree *dst);

#endif
