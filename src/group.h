/*
 * group.h - grouping samples by who ran them, and label filters.
 *
 * A grouping is a list of keys (pid, thread, coroutine, label:KEY); each
 * sample's stack then starts with one pseudo-frame per key, nested in the
 * order pid, thread, coroutine, labels (labels in the order given):
 *
 *   [pid PID NAME]  [thread TID NAME]  [coro ID NAME] / [no coroutine]
 *   [KEY=VALUE] / [KEY unset]
 *
 * Names and values inside pseudo-frames are escaped (group_escape) so a
 * pseudo-frame is always one frame of a folded stack and always ends at
 * its ']'.  A label filter KEY=VALUE keeps only the samples whose label
 * set has that pair.
 */
#ifndef FT_GROUP_H
#define FT_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flametop-shm.h"

#define GROUP_MAX 8
#define GROUP_FRAME_LEN 256 /* a pseudo-frame's text, NUL included, at most */

enum group_key {
	GROUP_PID = 0,
	GROUP_THREAD,
	GROUP_CORO,
	GROUP_LABEL,
};

struct group {
	int n;
	enum group_key key[GROUP_MAX];
	char label[GROUP_MAX][FT_LABEL_KEY_LEN]; /* with GROUP_LABEL */
};

struct label_filter {
	char key[FT_LABEL_KEY_LEN];
	char value[FT_LABEL_VALUE_LEN];
};

/* Parses "pid,thread,coroutine,label:KEY" (any non-empty subset; each key
 * at most once) into g, sorted into nesting order.  0, or -EINVAL with a
 * one-line reason in err ("unknown grouping 'x' (expected pid, thread,
 * coroutine or label:KEY)", "label: needs a key"). */
int group_parse(const char *spec, struct group *g, char *err, size_t errlen);

/* Parses KEY=VALUE (key non-empty; value may be empty).  0 or -EINVAL. */
int label_filter_parse(const char *kv, struct label_filter *f, char *err, size_t errlen);

/* Copies name into out (len bytes), escaping '%', ';', ']' and every
 * control byte as %XX (two upper-case hex digits).  Always terminates out;
 * returns the length written. */
size_t group_escape(char *out, size_t len, const char *name);

/* Pseudo-frames, escaped: name may be NULL or "" (then left out). */
void group_frame_pid(char *out, size_t len, int pid, const char *name);
void group_frame_thread(char *out, size_t len, int tid, const char *name);
void group_frame_coro(char *out, size_t len, uint64_t id, const char *name);	   /* id 0: none */
void group_frame_label(char *out, size_t len, const char *key, const char *value); /* NULL: unset */

#endif
