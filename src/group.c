/*
 * group.c - parsing groupings and label filters, writing pseudo-frames.
 *
 * This file contains the text side of grouping: what --group and --label
 * accept and what the pseudo-frames look like.  The escaping is the one
 * documented in flametop(1): %XX for '%', ';', ']' and control bytes, so
 * that a name can never end a pseudo-frame early or split a folded stack.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "group.h"

static const char *const key_names[] = {"pid", "thread", "coroutine"};

static void grp_err(char *err, size_t errlen, const char *what, size_t n)
{
	if (err && errlen)
		snprintf(err, errlen,
			 "unknown grouping '%.*s' (expected pid, thread, coroutine or "
			 "label:KEY)",
			 (int)n, what);
}

int group_parse(const char *spec, struct group *g, char *err, size_t errlen)
{
	struct group in = {0};
	const char *p = spec;

	if (!spec || !*spec) {
		if (err && errlen)
			snprintf(err, errlen,
				 "empty grouping (expected pid, thread, coroutine or "
				 "label:KEY)");
		return -EINVAL;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		int k = -1;

		for (int i = 0; i < 3; i++)
			if (strlen(key_names[i]) == n && strncmp(p, key_names[i], n) == 0)
				k = i;
		if (k < 0 && n >= 6 && strncmp(p, "label:", 6) == 0) {
			if (n == 6) {
				if (err && errlen)
					snprintf(err, errlen, "'label:' needs a key (label:KEY)");
				return -EINVAL;
			}
			if (n - 6 >= FT_LABEL_KEY_LEN || memchr(p + 6, '=', n - 6)) {
				if (err && errlen)
					snprintf(err, errlen, "bad label key '%.*s'", (int)(n - 6),
						 p + 6);
				return -EINVAL;
			}
			k = GROUP_LABEL;
		}
		if (k < 0) {
			grp_err(err, errlen, p, n);
			return -EINVAL;
		}
		for (int i = 0; i < in.n; i++)
			if (in.key[i] == (enum group_key)k &&
			    (k != GROUP_LABEL || (strlen(in.label[i]) == n - 6 &&
						  strncmp(in.label[i], p + 6, n - 6) == 0))) {
				if (err && errlen)
					snprintf(err, errlen, "grouping '%.*s' given twice", (int)n,
						 p);
				return -EINVAL;
			}
		if (in.n == GROUP_MAX) {
			if (err && errlen)
				snprintf(err, errlen, "too many groupings (at most %d)", GROUP_MAX);
			return -EINVAL;
		}
		in.key[in.n] = (enum group_key)k;
		if (k == GROUP_LABEL)
			snprintf(in.label[in.n], sizeof(in.label[in.n]), "%.*s", (int)(n - 6),
				 p + 6);
		in.n++;
		if (!p[n])
			break;
		p += n + 1;
	}
	/* nesting order: pid, thread, coroutine, then labels as given */
	g->n = 0;
	for (int k = GROUP_PID; k <= GROUP_LABEL; k++)
		for (int i = 0; i < in.n; i++)
			if (in.key[i] == (enum group_key)k) {
				g->key[g->n] = in.key[i];
				memcpy(g->label[g->n], in.label[i], sizeof(g->label[0]));
				g->n++;
			}
	return 0;
}

int label_filter_parse(const char *kv, struct label_filter *f, char *err, size_t errlen)
{
	const char *eq = kv ? strchr(kv, '=') : NULL;

	if (!eq || eq == kv) {
		if (err && errlen)
			snprintf(err, errlen, "bad label filter '%s' (expected KEY=VALUE)",
				 kv ? kv : "");
		return -EINVAL;
	}
	if ((size_t)(eq - kv) >= sizeof(f->key) || strlen(eq + 1) >= sizeof(f->value)) {
		if (err && errlen)
			snprintf(err, errlen, "label filter '%s' is too long", kv);
		return -EINVAL;
	}
	snprintf(f->key, sizeof(f->key), "%.*s", (int)(eq - kv), kv);
	snprintf(f->value, sizeof(f->value), "%s", eq + 1);
	return 0;
}

size_t group_escape(char *out, size_t len, const char *name)
{
	size_t o = 0;

	if (!len)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; p && *p; p++) {
		bool esc = *p == '%' || *p == ';' || *p == ']' || *p < 0x20 || *p == 0x7f;

		if (o + (esc ? 3 : 1) >= len)
			break;
		if (esc) {
			snprintf(out + o, 4, "%%%02X", *p);
			o += 3;
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
	return o;
}

static void frame(char *out, size_t len, const char *head, const char *name)
{
	char esc[GROUP_FRAME_LEN];

	if (name && *name) {
		group_escape(esc, sizeof(esc), name);
		snprintf(out, len, "[%s %s]", head, esc);
	} else {
		snprintf(out, len, "[%s]", head);
	}
}

void group_frame_pid(char *out, size_t len, int pid, const char *name)
{
	char head[32];

	snprintf(head, sizeof(head), "pid %d", pid);
	frame(out, len, head, name);
}

void group_frame_thread(char *out, size_t len, int tid, const char *name)
{
	char head[32];

	snprintf(head, sizeof(head), "thread %d", tid);
	frame(out, len, head, name);
}

void group_frame_coro(char *out, size_t len, uint64_t id, const char *name)
{
	char head[32];

	if (!id) {
		snprintf(out, len, "[no coroutine]");
		return;
	}
	snprintf(head, sizeof(head), "coro %llu", (unsigned long long)id);
	frame(out, len, head, name);
}

void group_frame_label(char *out, size_t len, const char *key, const char *value)
{
	char k[FT_LABEL_KEY_LEN * 3], v[FT_LABEL_VALUE_LEN * 3];

	group_escape(k, sizeof(k), key);
	if (!value) {
		snprintf(out, len, "[%s unset]", k);
		return;
	}
	group_escape(v, sizeof(v), value);
	snprintf(out, len, "[%s=%s]", k, v);
}
