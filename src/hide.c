/*
 * hide.c - hidden functions and modules, collapsed recursion (see hide.h).
 *
 * Whether a function is hidden is decided once per function id and kept
 * in dec[] (0 not decided yet, 1 shown, 2 hidden), which grows with the
 * funcs table and is forgotten when the rules change; so transforming a
 * stack costs one look-up per frame.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hide.h"
#include "util.h"

enum rule_kind { RULE_FUNC, RULE_MODULE, RULE_REGEX };

struct rule {
	enum rule_kind kind;
	uint32_t func;
	char *text; /* the module, or the regex as given */
	regex_t re;
};

struct hide {
	struct rule *rules;
	size_t n, cap;
	bool collapse;
	uint8_t *dec;
	size_t ndec;
};

struct hide *hide_new(void)
{
	return calloc(1, sizeof(struct hide));
}

static void rules_free(struct hide *h)
{
	for (size_t i = 0; i < h->n; i++) {
		if (h->rules[i].kind == RULE_REGEX)
			regfree(&h->rules[i].re);
		free(h->rules[i].text);
	}
	h->n = 0;
}

void hide_free(struct hide *h)
{
	if (!h)
		return;
	rules_free(h);
	free(h->rules);
	free(h->dec);
	free(h);
}

static void forget(struct hide *h)
{
	if (h->dec)
		memset(h->dec, 0, h->ndec);
}

/* A new rule slot (zeroed); NULL on ENOMEM. */
static struct rule *rule_new(struct hide *h)
{
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 8;
		struct rule *nr = realloc(h->rules, ncap * sizeof(*nr));

		if (!nr)
			return NULL;
		h->rules = nr;
		h->cap = ncap;
	}
	memset(&h->rules[h->n], 0, sizeof(h->rules[h->n]));
	return &h->rules[h->n];
}

int hide_add_regex(struct hide *h, const char *re, char *err, size_t errlen)
{
	struct rule *r = rule_new(h);
	int rc;

	if (!r)
		return -ENOMEM;
	rc = regcomp(&r->re, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		if (err && errlen)
			regerror(rc, &r->re, err, errlen);
		regfree(&r->re);
		return -EINVAL;
	}
	r->text = strdup(re);
	if (!r->text) {
		regfree(&r->re);
		return -ENOMEM;
	}
	r->kind = RULE_REGEX;
	h->n++;
	forget(h);
	return 0;
}

int hide_add_func(struct hide *h, uint32_t func)
{
	struct rule *r = rule_new(h);

	if (!r)
		return -ENOMEM;
	r->kind = RULE_FUNC;
	r->func = func;
	h->n++;
	forget(h);
	return 0;
}

int hide_add_module(struct hide *h, const char *module)
{
	struct rule *r = rule_new(h);

	if (!r || !(r->text = strdup(module)))
		return -ENOMEM;
	r->kind = RULE_MODULE;
	h->n++;
	forget(h);
	return 0;
}

void hide_set_collapse(struct hide *h, bool on)
{
	h->collapse = on;
}

bool hide_collapse(const struct hide *h)
{
	return h && h->collapse;
}

void hide_clear(struct hide *h)
{
	rules_free(h);
	h->collapse = false;
	forget(h);
}

bool hide_active(const struct hide *h)
{
	return h && (h->n || h->collapse);
}

static bool decide(const struct hide *h, const struct funcs *f, uint32_t func)
{
	const char *name = funcs_name(f, func), *mod = funcs_module(f, func);

	if (func == 0)
		return false;
	for (size_t i = 0; i < h->n; i++) {
		const struct rule *r = &h->rules[i];

		switch (r->kind) {
		case RULE_FUNC:
			if (r->func == func)
				return true;
			break;
		case RULE_MODULE:
			if (*mod && !strcmp(mod, r->text))
				return true;
			break;
		case RULE_REGEX:
			if (!regexec(&r->re, name, 0, NULL, 0) ||
			    (*mod && !regexec(&r->re, util_base_name(mod), 0, NULL, 0)))
				return true;
			break;
		}
	}
	return false;
}

bool hide_hides(struct hide *h, const struct funcs *f, uint32_t func)
{
	if (!h || !h->n)
		return false;
	if (func >= h->ndec) {
		size_t n = funcs_count(f) > func ? funcs_count(f) : (size_t)func + 1;
		uint8_t *nd = realloc(h->dec, n + 64);

		if (!nd)
			return decide(h, f, func);
		memset(nd + h->ndec, 0, n + 64 - h->ndec);
		h->dec = nd;
		h->ndec = n + 64;
	}
	if (!h->dec[func])
		h->dec[func] = decide(h, f, func) ? 2 : 1;
	return h->dec[func] == 2;
}

uint32_t hide_apply(struct hide *h, const struct funcs *f, const uint32_t *in, uint32_t n,
		    uint32_t *out, uint32_t *rep)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (hide_hides(h, f, in[i]))
			continue;
		if (h && h->collapse && k && out[k - 1] == in[i]) {
			if (rep)
				rep[k - 1]++;
			continue;
		}
		out[k] = in[i];
		if (rep)
			rep[k] = 1;
		k++;
	}
	return k;
}

void hide_mark(struct ctnode *node, const uint32_t *rep, uint32_t n)
{
	for (; node && node->depth > 0 && n > 0; node = node->parent, n--)
		if (rep[n - 1] > node->repeat)
			node->repeat = rep[n - 1];
}

int hide_tree(struct hide *h, const struct funcs *f, struct calltree *src, struct calltree *dst)
{
	struct ctnode *root = calltree_root(src), *x;
	uint32_t *path = NULL, *out = NULL, *rep = NULL;
	size_t cap = 0;

	calltree_clear(dst);
	for (x = root; x;) {
		if (x->self_weight || x->self_count) {
			uint32_t d = x->depth, k;
			struct ctnode *leaf;

			if (d + 1 > cap) {
				cap = d + 64;
				free(path);
				free(out);
				free(rep);
				path = malloc(cap * sizeof(*path));
				out = malloc(cap * sizeof(*out));
				rep = malloc(cap * sizeof(*rep));
				if (!path || !out || !rep)
					goto out_nomem;
			}
			for (struct ctnode *y = x; y->depth > 0; y = y->parent)
				path[y->depth - 1] = y->func;
			k = hide_apply(h, f, path, d, out, rep);
			leaf = calltree_add(dst, out, k, x->self_weight, x->self_count);
			if (!leaf)
				goto out_nomem;
			if (hide_collapse(h))
				hide_mark(leaf, rep, k);
		}
		if (x->child) {
			x = x->child;
			continue;
		}
		while (x && !x->next)
			x = x->parent;
		x = x ? x->next : NULL;
	}
	free(path);
	free(out);
	free(rep);
	return 0;

out_nomem:
	free(path);
	free(out);
	free(rep);
	calltree_clear(dst);
	return -ENOMEM;
}

void hide_text(const struct hide *h, const struct funcs *f, char *buf, size_t len)
{
	size_t pos = 0;
	int k;

	if (len)
		buf[0] = '\0';
	if (!hide_active(h) || !len)
		return;
	for (size_t i = 0; i < h->n && pos < len; i++) {
		const struct rule *r = &h->rules[i];
		const char *sep = i ? ", " : "hidden: ";

		if (r->kind == RULE_FUNC)
			k = snprintf(buf + pos, len - pos, "%s%s", sep, funcs_name(f, r->func));
		else if (r->kind == RULE_MODULE)
			k = snprintf(buf + pos, len - pos, "%s%s", sep, util_base_name(r->text));
		else
			k = snprintf(buf + pos, len - pos, "%s/%s/", sep, r->text);
		pos = k < 0 ? len : pos + (size_t)k;
	}
	if (h->collapse && pos < len)
		snprintf(buf + pos, len - pos, "%srecursion collapsed", h->n ? "; " : "");
}
