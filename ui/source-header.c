/*
 * source-header.c - the viewer's header line for a data source (see
 * source-header.h): what the source says about itself, fitted to the
 * screen's width.  The source itself lives in the core (src/source.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gctimeline.h"
#include "grid.h"
#include "source-header.h"

static const char *state_name(enum ft_state st)
{
	switch (st) {
	case FT_STATE_STARTING:
		return "starting";
	case FT_STATE_RUNNING:
		return "running";
	case FT_STATE_EXITED:
		return "exited";
	case FT_STATE_EXECED:
		return "exec'd";
	case FT_STATE_FAILED:
		return "sampler failed";
	}
	return "?";
}

/* One field of the header: its text, a shorter form (NULL: none), and
 * its drop level: 0 never dropped, else the fitting steps of
 * source_header_fit with that level or above leave it out. */
struct hpart {
	const char *text, *brief;
	int drop;
	bool cmd; /* the command name: cut with an ellipsis first */
};

#define CMD_KEEP 16 /* cells of a cut command name before other parts go */
#define CMD_MIN 6   /* ... and before it goes itself (with its ellipsis) */

/* Joins parts into out: " " first, then the parts between " | " (sep);
 * brief: the short forms; cmdw: cells for the command (-1 whole); parts
 * with drop in 1..dropped left out.  Returns the cells used. */
static int header_join(const struct hpart *p, size_t n, int dropped, bool brief, int cmdw,
		       const char *sep, bool utf8, char *out, size_t len)
{
	char fit[1024];
	size_t pos = 0, i;
	int k, first = 1;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *t = brief && p[i].brief ? p[i].brief : p[i].text;

		if (!t || !*t || (p[i].drop && p[i].drop <= dropped))
			continue;
		if (p[i].cmd && cmdw >= 0) {
			if (cmdw == 0)
				continue;
			grid_fit(t, cmdw, utf8, false, fit, sizeof(fit));
			t = fit;
		}
		/* the command goes with the pid: " pid 42 cmd" */
		k = snprintf(out + pos, len - pos, "%s%s", first ? " " : p[i].cmd ? " " : sep, t);
		if (k < 0 || (size_t)k >= len - pos)
			break;
		pos += (size_t)k;
		first = 0;
	}
	return grid_text_width(out);
}

int source_header_fit(const struct source_header *h, int width, bool utf8, char *out, size_t len)
{
	char pid[32], mode[48], rate[32], samples[48], lost[32], win[48], winb[32], thr[80],
	    thrb[32], frozen[48], coro[32], gc[64], gcb[32];
	struct hpart p[20];
	size_t n = 0;
	int cmdw, full, w;

	if (h->is_static) {
		/* a file: name | samples | static; the name is what gets cut */
		snprintf(samples, sizeof(samples), "%llu samples", (unsigned long long)h->samples);
		p[n++] = (struct hpart){h->name, NULL, 0, true};
		p[n++] = (struct hpart){samples, NULL, 0, false};
		p[n++] = (struct hpart){"static", NULL, 0, false};
	} else {
		snprintf(pid, sizeof(pid), "pid %d", h->pid);
		snprintf(mode, sizeof(mode), "%s %u Hz", h->wall ? "wall" : "cpu", h->freq_hz);
		snprintf(rate, sizeof(rate), "%.0f/s", h->rate);
		if (h->replay)
			rate[0] = '\0';
		snprintf(samples, sizeof(samples), "%llu samples", (unsigned long long)h->samples);
		snprintf(lost, sizeof(lost), "lost %llu", (unsigned long long)h->lost);
		if (h->read_since_freeze)
			snprintf(frozen, sizeof(frozen), "FROZEN +%llu new",
				 (unsigned long long)h->read_since_freeze);
		else
			snprintf(frozen, sizeof(frozen), "FROZEN");
		if (h->range) {
			snprintf(win, sizeof(win), "range %.1f-%.1fs", h->range_from_s,
				 h->range_to_s);
			snprintf(winb, sizeof(winb), "%.1f-%.1fs", h->range_from_s, h->range_to_s);
		} else if (h->window_s) {
			snprintf(win, sizeof(win), "window last %llus",
				 (unsigned long long)h->window_s);
			snprintf(winb, sizeof(winb), "last %llus", (unsigned long long)h->window_s);
		} else {
			snprintf(win, sizeof(win), "window all");
			snprintf(winb, sizeof(winb), "all");
		}
		thr[0] = thrb[0] = '\0';
		if (h->thread_tid) {
			snprintf(thr, sizeof(thr), "thread %d%s%.32s", (int)h->thread_tid,
				 h->thread_name && *h->thread_name ? " " : "",
				 h->thread_name ? h->thread_name : "");
			snprintf(thrb, sizeof(thrb), "tid %d", (int)h->thread_tid);
		}
		/* drop levels: 1 the sample count, 2 mode and rate, 3 the pid */
		p[n++] = (struct hpart){pid, NULL, 3, false};
		p[n++] = (struct hpart){h->cmd, NULL, 0, true};
		p[n++] = (struct hpart){h->state, NULL, 0, false};
		p[n++] = (struct hpart){mode, NULL, 2, false};
		p[n++] = (struct hpart){rate, NULL, 0, false};
		p[n++] = (struct hpart){samples, NULL, 1, false};
		p[n++] = (struct hpart){h->weight ? h->weight : "", NULL, 0, false};
		p[n++] = (struct hpart){lost, NULL, 0, false};
		p[n++] = (struct hpart){win, winb, 0, false};
		p[n++] = (struct hpart){thr, thrb, 0, false};
		coro[0] = '\0';
		if (h->coro_id)
			snprintf(coro, sizeof(coro), "coro %llu", (unsigned long long)h->coro_id);
		p[n++] = (struct hpart){coro, NULL, 0, false};
		p[n++] = (struct hpart){h->group, NULL, 0, false};
		p[n++] = (struct hpart){h->oncpu > 0	? "on-cpu only"
					: h->oncpu == 0 ? "off-cpu only"
							: "",
					h->oncpu > 0	? "on-cpu"
					: h->oncpu == 0 ? "off-cpu"
							: "",
					0, false};
		gc[0] = gcb[0] = '\0';
		if (h->gc_count) {
			snprintf(gc, sizeof(gc), "GC %llu, %.1f%% paused",
				 (unsigned long long)h->gc_count, 100 * h->gc_pause_share);
			snprintf(gcb, sizeof(gcb), "GC %llu", (unsigned long long)h->gc_count);
		}
		p[n++] = (struct hpart){gc, gcb, 0, false};
		p[n++] = (struct hpart){h->replay   ? "replay"
					: h->frozen ? frozen
						    : "live",
					h->frozen && !h->replay ? "FROZEN" : NULL, 0, false};
	}
	/* Steps, in order, until it fits: the whole line, then the command
	 * cut to what is left (down to CMD_KEEP, later CMD_MIN cells); then
	 * without the sample count; without mode and rate; short forms; the
	 * command cut shorter; no command; no pid; " | " tightened to "|".
	 * The last is cut by the grid if it must be. */
	static const struct {
		int dropped; /* parts with drop 1..dropped go */
		int cmd_min; /* fewest cells the command is cut to; 0: none */
		bool brief, tight;
	} steps[] = {
	    {0, CMD_KEEP, false, false}, {1, CMD_KEEP, false, false}, {2, CMD_KEEP, false, false},
	    {2, CMD_KEEP, true, false},	 {2, CMD_MIN, true, false},   {2, 0, true, false},
	    {3, 0, true, false},	 {3, 0, true, true},
	};
	const char *c = h->is_static ? h->name : h->cmd;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const char *sep = steps[i].tight ? "|" : " | ";

		if (steps[i].cmd_min) {
			full = header_join(p, n, steps[i].dropped, steps[i].brief, -1, sep, utf8,
					   out, len);
			if (full <= width)
				return full;
		}
		w = header_join(p, n, steps[i].dropped, steps[i].brief, 0, sep, utf8, out, len);
		if (!steps[i].cmd_min || !c || !*c) {
			if (w <= width)
				return w;
			continue;
		}
		/* the command cut to what is left (its separator included) */
		for (cmdw = width - w - 1; cmdw >= steps[i].cmd_min; cmdw--) {
			full = header_join(p, n, steps[i].dropped, steps[i].brief, cmdw, sep, utf8,
					   out, len);
			if (full <= width)
				return full;
		}
	}
	return header_join(p, n, 3, true, 0, "|", utf8, out, len);
}

void source_describe(struct source *s, int width, bool utf8, char *buf, size_t len, bool *alert)
{
	struct source_header h = {0};
	struct profile *p = source_profile(s);
	struct live_stats st;
	const char *ended, *cmd, *sp, *c;
	const struct profile_thread *th;
	struct gctimeline *gc;
	char cmdbuf[256], group[256], weightbuf[64];
	size_t nth, i;

	*alert = false;
	if (!source_stats(s, &st)) {
		h.is_static = true;
		h.name = source_name(s);
		h.samples = calltree_root(source_tree(s))->total_count;
		source_header_fit(&h, width, utf8, buf, len);
		return;
	}
	ended = source_ended(s);
	*alert = ended != NULL;
	/* the command without its directory, to keep the line short */
	cmd = st.cmd;
	sp = strchr(cmd, ' ');
	for (c = cmd; *c && (!sp || c < sp); c++)
		if (*c == '/')
			cmd = c + 1;
	snprintf(cmdbuf, sizeof(cmdbuf), "%.40s", cmd);
	h.pid = (int)st.pid;
	h.cmd = cmdbuf;
	h.state = ended ? ended : state_name(st.state);
	h.wall = st.mode == FT_MODE_WALL;
	h.freq_hz = st.freq_hz;
	h.rate = st.samples_per_sec;
	/* what is shown (the window, the filters, since the last clear),
	 * not everything ever read */
	h.samples = calltree_root(source_tree(s))->total_count;
	h.lost = st.lost;
	if (live_weight_alloc(source_weight(s))) {
		char v[32];

		unit_format(source_unit(s), calltree_root(source_tree(s))->total_weight, v,
			    sizeof(v));
		snprintf(weightbuf, sizeof(weightbuf), "%s %s", live_weight_name(source_weight(s)),
			 v);
		h.weight = weightbuf;
	}
	h.oncpu = PROFILE_ANY;
	if (p) {
		uint64_t rf, rt;

		h.window_s = profile_window(p) / 1000000000ull;
		if (profile_range(p, &rf, &rt)) {
			double origin = (double)source_origin(s);

			h.range = true;
			h.range_from_s = ((double)rf - origin) / 1e9;
			h.range_to_s = ((double)rt - origin) / 1e9;
		}
		h.thread_tid = profile_filter_tid(p);
		h.coro_id = profile_filter_coro(p);
		source_group_text(s, group, sizeof(group));
		h.group = group;
		if (h.thread_tid) {
			th = profile_threads(p, &nth);
			for (i = 0; i < nth; i++)
				if (th[i].tid == h.thread_tid)
					h.thread_name = th[i].name;
		}
		h.oncpu = profile_filter_oncpu(p);
	}
	h.frozen = source_frozen(s);
	h.replay = !source_is_live(s);
	h.read_since_freeze = source_read_since_freeze(s);
	gc = source_gctimeline(s);
	if (gc && gctimeline_total(gc)) {
		uint64_t to = st.now_ns, from = gctimeline_origin(gc),
			 win = p ? profile_window(p) : 0;
		struct gc_summary sum;

		if (win && to > from + win)
			from = to - win;
		if (gctimeline_summary(gc, from, to, &sum) == 0) {
			h.gc_count = sum.collections;
			h.gc_pause_share = sum.pause_share;
		}
	}
	source_header_fit(&h, width, utf8, buf, len);
}
