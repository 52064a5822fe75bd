/*
 * source.c - data sources for the viewer (see source.h).
 *
 * This file contains the generic part of a source (freezing, the thread
 * filter's label) and one struct source_ops per kind: live (a session
 * over a profile) and static (a tree read from a file).  A new kind (a
 * recording, pprof) is one more ops table and constructor here; nothing
 * above the core changes.  Invariants:
 *   - a static source's tree is never changed;
 *   - a source with a profile shows profile_tree(p) except while frozen,
 *     when it shows snap, a private copy taken at freeze time (so node
 *     pointers the views hold stay valid however the profile changes).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coros.h"
#include "ftr.h"
#include "gctimeline.h"
#include "group.h"
#include "hide.h"
#include "live.h"
#include "session.h"
#include "lines.h"
#include "source.h"
#include "util.h"

struct source_ops {
	const char *kind;
	bool live;
	/* reads what arrived (bounded by budget_ms); NULL: never changes */
	void (*tick)(struct source *s, int budget_ms);
	/* the current tree (not the frozen copy) */
	struct calltree *(*tree)(struct source *s);
	enum unit (*unit)(const struct source *s);
};

struct source {
	const struct source_ops *ops;
	struct funcs *f;
	struct profile *p;     /* NULL for a static source */
	struct calltree *tree; /* static: the file's tree */
	struct session *ses;   /* live */
	struct ftr *rec;       /* recording */
	char name[256];	       /* static: what the header shows */
	bool frozen;
	struct calltree *snap;
	uint64_t frozen_read; /* samples read when frozen */
	size_t thread_idx;
	char thread[64];	 /* the thread filter's label, "" for all */
	enum unit unit;		 /* static: of the tree's weights */
	struct hide *hide;	 /* what is hidden (source_hide), or NULL */
	struct calltree *hidden; /* static: the file's tree with it hidden */
};

/* --- static: a tree read from a file ------------------------------------ */

static struct calltree *static_tree(struct source *s)
{
	return s->hidden ? s->hidden : s->tree;
}

static enum unit static_unit(const struct source *s)
{
	return s->unit;
}

static const struct source_ops static_ops = {
    .kind = "folded",
    .live = false,
    .tick = NULL,
    .tree = static_tree,
    .unit = static_unit,
};

/* --- live: a session over a profile ------------------------------------- */

static void live_tick(struct source *s, int budget_ms)
{
	uint64_t start = util_mono_ms();

	while (session_poll(s->ses) > 0 && util_mono_ms() - start < (uint64_t)budget_ms)
		;
}

static struct calltree *profile_source_tree(struct source *s)
{
	return profile_tree(s->p);
}

static enum unit profile_source_unit(const struct source *s)
{
	return profile_unit(s->p);
}

static const struct source_ops live_ops = {
    .kind = "live",
    .live = true,
    .tick = live_tick,
    .tree = profile_source_tree,
    .unit = profile_source_unit,
};

/* --- recording: a profile read from a file ------------------------------ */

static const struct source_ops recording_ops = {
    .kind = "recording",
    .live = false,
    .tick = NULL,
    .tree = profile_source_tree,
    .unit = profile_source_unit,
};

/* --- the interface ------------------------------------------------------ */

struct source *source_static(struct calltree *t, struct funcs *f, const char *name)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ops = &static_ops;
	s->unit = UNIT_SAMPLES;
	s->tree = t;
	s->f = f;
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	return s;
}

size_t source_gc_allocs(struct source *s, size_t i, struct alloc_site *out, size_t max,
			struct alloc_between *r, bool *has)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct profile *ap, *fp;
	const struct gc_cycle *c, *prev;
	struct gctimeline *t;
	double span;

	*r = (struct alloc_between){0, 0, true};
	*has = false;
	if (!l || !source_evidence(s, &ap, &fp, &span))
		return 0;
	*has = true;
	t = live_gctimeline(l);
	if (i >= gctimeline_count(t))
		return 0;
	c = gctimeline_get(t, i);
	prev = i ? gctimeline_get(t, i - 1) : NULL;
	if (!prev && c->number > 1) {
		r->whole = false; /* the previous one is no longer kept */
		return 0;
	}
	return live_allocs_between(l, prev, c, out, max, r);
}

void source_waiting_for(struct source *s, char *out, size_t len)
{
	struct live_stats st;
	size_t n;

	out[0] = '\0';
	if (!s->ses)
		return;
	session_stats(s->ses, &st);
	n = session_followed(s->ses);
	if (n)
		snprintf(out, len, "'%.60s' (pid %d) and %zu process%s it started",
			 st.cmd[0] ? st.cmd : "the target", (int)st.pid, n, n == 1 ? "" : "es");
	else
		snprintf(out, len, "'%.60s' (pid %d)", st.cmd[0] ? st.cmd : "the target",
			 (int)st.pid);
}

struct source *source_live(struct session *ses)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ops = &live_ops;
	s->ses = ses;
	/* a viewer can choose an in-use weight at any time (W), and its
	 * findings say what was allocated under them */
	if (session_live(ses)) {
		live_keep_blocks(session_live(ses));
		live_keep_evidence(session_live(ses)); /* ENOMEM: no allocation data */
	}
	s->p = session_profile(ses);
	s->f = profile_funcs(s->p);
	return s;
}

struct source *source_recording(struct ftr *r, const char *name)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ops = &recording_ops;
	s->rec = r;
	s->p = ftr_profile(r);
	s->f = ftr_funcs(r);
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	calltree_free(s->snap);
	calltree_free(s->hidden);
	hide_free(s->hide);
	free(s);
}

const char *source_kind(const struct source *s)
{
	return s->ops->kind;
}

bool source_is_live(const struct source *s)
{
	return s->ops->live;
}

bool source_tick(struct source *s, int budget_ms)
{
	if (!s->ops->tick)
		return false;
	s->ops->tick(s, budget_ms);
	return !s->frozen;
}

struct calltree *source_tree(struct source *s)
{
	if (s->frozen && s->snap)
		return s->snap;
	return s->ops->tree(s);
}

struct funcs *source_funcs(struct source *s)
{
	return s->f;
}

void source_set_unit(struct source *s, enum unit u)
{
	if (s->ops == &static_ops)
		s->unit = u;
}

enum unit source_unit(const struct source *s)
{
	return s->ops->unit(s);
}

/* samples read from the target so far (0 for a static source) */
static uint64_t read_count(struct source *s)
{
	struct live_stats st;

	return source_stats(s, &st) ? st.samples : 0;
}

int source_freeze(struct source *s, bool frozen)
{
	if (!frozen || !s->ops->tick) {
		s->frozen = frozen;
		return 0;
	}
	if (!s->snap && !(s->snap = calltree_new()))
		return -ENOMEM;
	if (calltree_copy(s->snap, s->ops->tree(s)) < 0)
		return -ENOMEM;
	s->frozen = true;
	s->frozen_read = read_count(s);
	return 0;
}

bool source_frozen(const struct source *s)
{
	return s->frozen;
}

uint64_t source_read_since_freeze(struct source *s)
{
	uint64_t n = read_count(s);

	return s->frozen && n > s->frozen_read ? n - s->frozen_read : 0;
}

struct profile *source_profile(struct source *s)
{
	return s->p;
}

bool source_evidence(struct source *s, struct profile **ap, struct profile **fp, double *span_s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct live_stats st;
	uint64_t rf, rt;

	*ap = *fp = NULL;
	*span_s = 0;
	if (!l)
		return false;
	session_stats(s->ses, &st);
	if (st.alloc_hooked && live_keep_evidence(l) == 0) {
		*ap = live_alloc_profile(l);
		*fp = live_free_profile(l);
	}
	if (profile_range(s->p, &rf, &rt))
		*span_s = (double)(rt - rf) / 1e9;
	else if (profile_window(s->p))
		*span_s = (double)profile_window(s->p) / 1e9;
	else if (st.last_ns > st.first_ns)
		*span_s = (double)(st.last_ns - st.first_ns) / 1e9;
	return *ap != NULL;
}

/* a recording's header and counts, as a target that exited */
static void recording_stats(struct ftr *r, struct live_stats *out)
{
	const struct ftr_info *in = ftr_info(r);

	memset(out, 0, sizeof(*out));
	out->pid = in->pid;
	snprintf(out->cmd, sizeof(out->cmd), "%s", in->cmdline);
	out->state = FT_STATE_EXITED;
	out->exit_status = -1;
	out->mode = (enum ft_mode)in->mode;
	out->freq_hz = in->freq_hz;
	out->samples = in->samples;
	out->lost = in->lost;
	out->first_ns = in->first_ns;
	out->last_ns = in->last_ns;
	out->now_ns = in->last_ns + 1;
}

bool source_stats(struct source *s, struct live_stats *out)
{
	if (s->rec) {
		recording_stats(s->rec, out);
		return true;
	}
	if (!s->ses) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	session_stats(s->ses, out);
	return true;
}

int source_coros(struct source *s, struct coros *c)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct segment *seg = l ? live_segment(l) : NULL;

	if (!seg)
		return -ENOTSUP;
	return coros_snapshot(c, seg, live_symbols(l));
}

void source_group_text(struct source *s, char *out, size_t len)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	out[0] = '\0';
	if (l)
		live_group_text(l, out, len);
}

int source_set_weight(struct source *s, enum live_weight w)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	if (!l)
		return -ENOTSUP;
	return live_set_weight(l, w);
}

enum live_weight source_weight(const struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	return l ? live_weight(l) : LIVE_WEIGHT_SAMPLES;
}

bool source_has_allocs(struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct segment *seg = l ? live_segment(l) : NULL;

	return seg && (segment_header(seg)->flags & FT_FLAG_ALLOC);
}

int source_coro_count(struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct segment *seg = l ? live_segment(l) : NULL;
	struct ft_corotab t;

	if (!seg || segment_corotab(seg, &t) < 0)
		return 0;
	return t.created > t.exited ? (int)(t.created - t.exited) : 0;
}

const char *source_name(const struct source *s)
{
	return s->name;
}

int source_cycle_window(struct source *s)
{
	uint64_t w;

	if (!s->p)
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

int source_set_group(struct source *s, const char *spec, char *err, size_t errlen)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;
	struct group g = {0};
	struct label_filter f[GROUP_MAX];
	char buf[512], *save = NULL, *w;
	int nf = 0, rc;

	if (!l) {
		snprintf(err, errlen,
			 "grouping needs a live target (a file is grouped when "
			 "recorded: record --group)");
		return -ENOTSUP;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (strchr(w, '=')) {
			if (nf == GROUP_MAX) {
				snprintf(err, errlen, "at most %d label filters", GROUP_MAX);
				return -E2BIG;
			}
			if (label_filter_parse(w, &f[nf], err, errlen) < 0)
				return -EINVAL;
			nf++;
		} else if (g.n) {
			snprintf(err, errlen,
				 "'%s': give the groupings as one list (thread,coroutine)", w);
			return -EINVAL;
		} else if (group_parse(w, &g, err, errlen) < 0) {
			return -EINVAL;
		}
	}
	rc = live_regroup(l, &g, f, nf);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	/* samples read before have other pseudo-frames: start over */
	source_clear(s);
	return 0;
}

void source_group_spec(struct source *s, char *out, size_t len)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	out[0] = '\0';
	if (l)
		live_group_spec(l, out, len);
}

int source_clear(struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	if (!s->p)
		return -ENOTSUP;
	profile_clear(s->p);
	if (l)
		lines_clear(live_lines(l));
	return 0;
}

const struct profile_thread *source_threads(struct source *s, size_t *n)
{
	*n = 0;
	if (!s->p)
		return NULL;
	return profile_threads(s->p, n);
}

int source_thread(const struct source *s)
{
	return s->p ? (int)profile_filter_tid(s->p) : 0;
}

int source_set_thread(struct source *s, int tid, char *label, size_t len)
{
	const struct profile_thread *th;
	size_t n, i;

	if (!s->p)
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

	if (!s->p)
		return -ENOTSUP;
	th = profile_threads(s->p, &n);
	i = n ? (s->thread_idx + 1) % (n + 1) : 0;
	return source_set_thread(s, i ? th[i - 1].tid : 0, label, len);
}

const char *source_ended(struct source *s)
{
	if (s->rec)
		return ftr_info(s->rec)->truncated ? "truncated recording" : "recording";
	return s->ses ? session_ended_how(s->ses) : NULL;
}

bool source_child_running(const struct source *s)
{
	return s->ses && session_child(s->ses) > 0 && !session_child_done(s->ses);
}

uint64_t source_origin(struct source *s)
{
	struct gctimeline *t = source_gctimeline(s);

	return t ? gctimeline_origin(t) : 0;
}

struct gctimeline *source_gctimeline(struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	if (s->rec)
		return ftr_gctimeline(s->rec);
	return l ? live_gctimeline(l) : NULL;
}

struct lines *source_lines(struct source *s)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	return l ? live_lines(l) : NULL;
}

size_t source_gc_stack(struct source *s, const struct gc_cycle *c, uint32_t *ids, size_t max)
{
	struct live *l = s->ses ? session_live(s->ses) : NULL;

	if (s->rec)
		return ftr_gc_stack(s->rec, c, ids, max);
	return l ? live_gc_stack(l, c, ids, max) : 0;
}

struct hide *source_hide(struct source *s)
{
	if (!s->hide)
		s->hide = hide_new();
	return s->hide;
}

int source_hide_changed(struct source *s)
{
	bool on = hide_active(s->hide);
	int rc = 0;

	if (s->p) {
		profile_set_hide(s->p, on ? s->hide : NULL);
	} else if (on) {
		if (!s->hidden && !(s->hidden = calltree_new()))
			return -ENOMEM;
		rc = hide_tree(s->hide, s->f, s->tree, s->hidden);
		if (rc < 0) {
			calltree_free(s->hidden);
			s->hidden = NULL;
		}
	} else {
		calltree_free(s->hidden);
		s->hidden = NULL;
	}
	/* a frozen picture shows the change too */
	if (s->frozen && s->snap && calltree_copy(s->snap, s->ops->tree(s)) < 0)
		rc = -ENOMEM;
	return rc;
}
