/*
 * source.c - static and live sources for the viewer (see source.h).
 *
 * Invariants: a static source's tree is never changed; a live source's
 * tree is profile_tree(p) except while frozen, when it is snap, a private
 * copy taken at freeze time (so node pointers the views hold stay valid
 * however the profile changes underneath).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "grid.h"
#include "source.h"
#include "util.h"

struct source {
	bool live;
	struct calltree *tree; /* static: the file's tree */
	struct funcs *f;
	char name[256];
	struct live *l;
	struct profile *p;
	pid_t child;
	bool child_done;
	int child_status;
	char *log;
	bool frozen;
	struct calltree *snap;
	size_t thread_idx;
	char thread[64]; /* the thread filter's label, "" for all */
	char ended[64];
};

struct source *source_static(struct calltree *t, struct funcs *f, const char *name)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->tree = t;
	s->f = f;
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	return s;
}

struct source *source_live(struct live *l, struct profile *p, pid_t child, const char *log_path)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->live = true;
	s->l = l;
	s->p = p;
	s->f = profile_funcs(p);
	s->child = child;
	if (log_path && !(s->log = strdup(log_path))) {
		free(s);
		return NULL;
	}
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	calltree_free(s->snap);
	free(s->log);
	free(s);
}

bool source_is_live(const struct source *s)
{
	return s->live;
}

bool source_tick(struct source *s, int budget_ms)
{
	uint64_t start;
	int st, rc;

	if (!s->live)
		return false;
	if (s->child > 0 && !s->child_done && waitpid(s->child, &st, WNOHANG) == s->child) {
		s->child_done = true;
		s->child_status = st;
		live_set_exit(s->l, st);
	}
	start = util_mono_ms();
	do {
		rc = live_poll(s->l);
	} while (rc > 0 && util_mono_ms() - start < (uint64_t)budget_ms);
	return !s->frozen;
}

struct calltree *source_tree(struct source *s)
{
	if (!s->live)
		return s->tree;
	if (s->frozen && s->snap)
		return s->snap;
	return profile_tree(s->p);
}

struct funcs *source_funcs(struct source *s)
{
	return s->f;
}

static int copy_node(struct calltree *dst, const struct ctnode *n, uint32_t **path, size_t *cap,
		     size_t depth)
{
	const struct ctnode *c;

	if (n->total_weight == 0 && n->total_count == 0)
		return 0;
	if (n->self_weight || n->self_count) {
		if (!calltree_add(dst, *path, depth, n->self_weight, n->self_count))
			return -ENOMEM;
	}
	for (c = n->child; c; c = c->next) {
		if (depth + 1 > *cap) {
			size_t ncap = *cap ? 2 * *cap : 64;
			uint32_t *p = realloc(*path, ncap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			*path = p;
			*cap = ncap;
		}
		(*path)[depth] = c->func;
		if (copy_node(dst, c, path, cap, depth + 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

int source_copy_tree(struct calltree *dst, struct calltree *src)
{
	uint32_t *path = NULL;
	size_t cap = 0;
	int rc;

	calltree_clear(dst);
	rc = copy_node(dst, calltree_root(src), &path, &cap, 0);
	free(path);
	return rc;
}

int source_freeze(struct source *s, bool frozen)
{
	if (!frozen || !s->live) {
		s->frozen = frozen;
		return 0;
	}
	if (!s->snap && !(s->snap = calltree_new()))
		return -ENOMEM;
	if (source_copy_tree(s->snap, profile_tree(s->p)) < 0)
		return -ENOMEM;
	s->frozen = true;
	return 0;
}

bool source_frozen(const struct source *s)
{
	return s->frozen;
}

int source_cycle_window(struct source *s)
{
	uint64_t w;

	if (!s->live)
		return -ENOTSUP;
	w = profile_window(s->p);
	if (w == 0)
		w = 5000000000ull;
	else if (w <= 5000000000ull)
		w = 30000000000ull;
	else
		w = 0;
	profile_set_window(s->p, w);
	return 0;
}

int source_clear(struct source *s)
{
	if (!s->live)
		return -ENOTSUP;
	profile_clear(s->p);
	return 0;
}

const struct profile_thread *source_threads(struct source *s, size_t *n)
{
	*n = 0;
	if (!s->live)
		return NULL;
	return profile_threads(s->p, n);
}

int source_thread(const struct source *s)
{
	return s->live ? (int)profile_filter_tid(s->p) : 0;
}

int source_set_thread(struct source *s, int tid, char *label, size_t len)
{
	const struct profile_thread *th;
	size_t n, i;

	if (!s->live)
		return -ENOTSUP;
	th = profile_threads(s->p, &n);
	for (i = 0; i < n && th[i].tid != tid; i++)
		;
	if (tid && i == n)
		return -ESRCH;
	/* the on-cpu filter stays as it is */
	profile_set_filter(s->p, tid, profile_filter_oncpu(s->p));
	if (!tid) {
		s->thread_idx = 0;
		s->thread[0] = '\0';
		snprintf(label, len, "all threads");
	} else {
		s->thread_idx = i + 1;
		snprintf(s->thread, sizeof(s->thread), "thread %d%s%.32s", (int)th[i].tid,
			 th[i].name[0] ? " " : "", th[i].name);
		snprintf(label, len, "%s", s->thread);
	}
	return 0;
}

int source_cycle_thread(struct source *s, char *label, size_t len)
{
	const struct profile_thread *th;
	size_t n, i;

	if (!s->live)
		return -ENOTSUP;
	th = profile_threads(s->p, &n);
	i = n ? (s->thread_idx + 1) % (n + 1) : 0;
	return source_set_thread(s, i ? th[i - 1].tid : 0, label, len);
}

const char *source_ended(struct source *s)
{
	struct live_stats st;

	if (!s->live)
		return NULL;
	if (s->child_done) {
		util_describe_status(s->child_status, s->ended, sizeof(s->ended));
		return s->ended;
	}
	live_stats(s->l, &st);
	if (st.state != FT_STATE_EXITED)
		return NULL;
	util_describe_status(st.exit_status, s->ended, sizeof(s->ended));
	return s->ended;
}

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
	    thrb[32];
	struct hpart p[12];
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
		snprintf(samples, sizeof(samples), "%llu samples", (unsigned long long)h->samples);
		snprintf(lost, sizeof(lost), "lost %llu", (unsigned long long)h->lost);
		if (h->window_s) {
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
		p[n++] = (struct hpart){lost, NULL, 0, false};
		p[n++] = (struct hpart){win, winb, 0, false};
		p[n++] = (struct hpart){thr, thrb, 0, false};
		p[n++] = (struct hpart){h->oncpu > 0	? "on-cpu only"
					: h->oncpu == 0 ? "off-cpu only"
							: "",
					h->oncpu > 0	? "on-cpu"
					: h->oncpu == 0 ? "off-cpu"
							: "",
					0, false};
		p[n++] = (struct hpart){h->frozen ? "FROZEN" : "live", NULL, 0, false};
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
	struct live_stats st;
	const char *ended, *cmd, *sp, *p;
	const struct profile_thread *th;
	char cmdbuf[256];
	size_t nth, i;

	*alert = false;
	if (!s->live) {
		h.is_static = true;
		h.name = s->name;
		h.samples = calltree_root(s->tree)->total_count;
		source_header_fit(&h, width, utf8, buf, len);
		return;
	}
	live_stats(s->l, &st);
	ended = source_ended(s);
	*alert = ended != NULL;
	/* the command without its directory, to keep the line short */
	cmd = st.cmd;
	sp = strchr(cmd, ' ');
	for (p = cmd; *p && (!sp || p < sp); p++)
		if (*p == '/')
			cmd = p + 1;
	snprintf(cmdbuf, sizeof(cmdbuf), "%.40s", cmd);
	h.pid = (int)st.pid;
	h.cmd = cmdbuf;
	h.state = ended ? ended : state_name(st.state);
	h.wall = st.mode == FT_MODE_WALL;
	h.freq_hz = st.freq_hz;
	h.rate = st.samples_per_sec;
	h.samples = st.samples;
	h.lost = st.lost;
	h.window_s = profile_window(s->p) / 1000000000ull;
	h.thread_tid = profile_filter_tid(s->p);
	if (h.thread_tid) {
		th = profile_threads(s->p, &nth);
		for (i = 0; i < nth; i++)
			if (th[i].tid == h.thread_tid)
				h.thread_name = th[i].name;
	}
	h.oncpu = profile_filter_oncpu(s->p);
	h.frozen = s->frozen;
	source_header_fit(&h, width, utf8, buf, len);
}

const char *source_log_path(const struct source *s)
{
	return s->log;
}

bool source_weight_is_ns(const struct source *s)
{
	return s->live;
}

bool source_child_running(const struct source *s)
{
	return s->live && s->child > 0 && !s->child_done;
}
