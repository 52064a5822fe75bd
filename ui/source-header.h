/*
 * source-header.h - the viewer's header line for a data source: target,
 * state, mode, rate, samples, lost, window, filters, live or frozen (or a
 * file's name and samples), degraded by priority to fit the width.
 */
#ifndef FT_UI_SOURCE_HEADER_H
#define FT_UI_SOURCE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

/* Header text fitted to width cells: target, state, mode, rate, samples,
 * lost, window, filters, live or frozen (see source_header_fit).
 * *alert set when the target has exited / was killed. */
void source_describe(struct source *s, int width, bool utf8, char *buf, size_t len, bool *alert);

/* What the header shows. */
struct source_header {
	bool is_static;
	const char *name; /* static: the file */
	int pid;
	const char *cmd; /* without its directory */
	const char *state;
	bool wall;
	unsigned freq_hz;
	double rate; /* samples/s */
	uint64_t samples, lost;
	const char *weight;		 /* "inuse-bytes 2.0 MiB" when not time, else NULL */
	uint64_t window_s;		 /* 0: all */
	bool range;			 /* a time range instead of the window: */
	double range_from_s, range_to_s; /* ... its start and end, in seconds */
	int thread_tid;			 /* 0: all threads */
	uint64_t coro_id;		 /* the coroutine filter, 0: none */
	const char *group;		 /* grouping and label filters, or "" */
	const char *thread_name;
	int oncpu; /* enum profile_oncpu */
	bool frozen;
	uint64_t read_since_freeze; /* shown as "FROZEN +N new" */
	bool replay;		    /* a recording: no rate, "replay" for live/FROZEN */
	uint64_t gc_count;	    /* collections in the window (0: not shown) */
	double gc_pause_share;	    /* ... the share of the window paused, 0..1 */
};
/* Builds the header line into out, degrading by priority until it fits
 * in width cells (samples: those shown, of the window and filters, since
 * the last clear): the command name is cut (ellipsis) first, then the
 * sample count and the mode and rate go, then the window and thread take
 * short forms, then the pid and command go.  State, samples/s, lost,
 * window, the filters and live/FROZEN always stay.  Returns its cells. */
int source_header_fit(const struct source_header *h, int width, bool utf8, char *out, size_t len);

#endif
