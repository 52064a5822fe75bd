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

#include "source.h"

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

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	start = now_ms();
	do {
		rc = live_poll(s->l);
	} while (rc > 0 && now_ms() - start < (uint64_t)budget_ms);
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

int source_cycle_thread(struct source *s, char *label, size_t len)
{
	const struct profile_thread *th;
	size_t n;

	if (!s->live)
		return -ENOTSUP;
	th = profile_threads(s->p, &n);
	s->thread_idx = n ? (s->thread_idx + 1) % (n + 1) : 0;
	if (s->thread_idx == 0) {
		profile_set_filter(s->p, 0, PROFILE_ANY);
		snprintf(label, len, "all threads");
		s->thread[0] = '\0';
	} else {
		th += s->thread_idx - 1;
		profile_set_filter(s->p, th->tid, PROFILE_ANY);
		snprintf(s->thread, sizeof(s->thread), "thread %d%s%.32s", (int)th->tid,
			 th->name[0] ? " " : "", th->name);
		snprintf(label, len, "%s", s->thread);
	}
	return 0;
}

static void describe_status(int status, char *buf, size_t len)
{
	if (status == -1) {
		snprintf(buf, len, "exited");
	} else if (WIFEXITED(status)) {
		snprintf(buf, len, "exited (status %d)", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));

		if (name)
			snprintf(buf, len, "killed by SIG%s", name);
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, len, "exited");
	}
}

const char *source_ended(struct source *s)
{
	struct live_stats st;

	if (!s->live)
		return NULL;
	if (s->child_done) {
		describe_status(s->child_status, s->ended, sizeof(s->ended));
		return s->ended;
	}
	live_stats(s->l, &st);
	if (st.state != FT_STATE_EXITED)
		return NULL;
	describe_status(st.exit_status, s->ended, sizeof(s->ended));
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

void source_describe(struct source *s, char *buf, size_t len, bool *alert)
{
	struct live_stats st;
	const char *ended, *cmd, *sp, *p;
	char win[32];
	uint64_t w;

	*alert = false;
	if (!s->live) {
		struct ctnode *root = calltree_root(s->tree);

		snprintf(buf, len, " %s | %llu samples | static", s->name,
			 (unsigned long long)root->total_count);
		return;
	}
	live_stats(s->l, &st);
	ended = source_ended(s);
	*alert = ended != NULL;
	w = profile_window(s->p);
	if (w)
		snprintf(win, sizeof(win), "last %llus", (unsigned long long)(w / 1000000000ull));
	else
		snprintf(win, sizeof(win), "all");
	/* the command without its directory, to keep the line short */
	cmd = st.cmd;
	sp = strchr(cmd, ' ');
	for (p = cmd; *p && (!sp || p < sp); p++)
		if (*p == '/')
			cmd = p + 1;
	snprintf(buf, len,
		 " pid %d %.40s | %s | %s %u Hz | %.0f/s | %llu samples | lost %llu"
		 " | window %s%s%s | %s",
		 (int)st.pid, cmd, ended ? ended : state_name(st.state),
		 st.mode == FT_MODE_WALL ? "wall" : "cpu", st.freq_hz, st.samples_per_sec,
		 (unsigned long long)st.samples, (unsigned long long)st.lost, win,
		 s->thread[0] ? " | " : "", s->thread, s->frozen ? "FROZEN" : "live");
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
