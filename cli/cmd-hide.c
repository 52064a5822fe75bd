/*
 * cmd-hide.c - --hide REGEX and --collapse-recursion of record and report:
 * the options' values, checked as they are parsed, and the struct hide
 * (hide.h) they make.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>

#include "app.h"
#include "cmd.h"
#include "hide.h"
#include "source.h"

int cmd_parse_hide(const char *s, void *field, char *err, size_t errlen)
{
	struct cmd_hide_opts *o = field;
	regex_t re;
	int rc;

	if (o->n == CMD_HIDE_MAX) {
		snprintf(err, errlen, "at most %d patterns", CMD_HIDE_MAX);
		return -EINVAL;
	}
	rc = regcomp(&re, s, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char why[128];

		regerror(rc, &re, why, sizeof(why));
		snprintf(err, errlen, "invalid regex: %s", why);
		regfree(&re);
		return -EINVAL;
	}
	regfree(&re);
	o->re[o->n++] = s;
	return 0;
}

int cmd_hide_make(const struct cmd_hide_opts *o, struct hide **out)
{
	struct hide *h;

	*out = NULL;
	if (!o->n && !o->collapse)
		return 0;
	h = hide_new();
	if (!h)
		return -ENOMEM;
	for (int i = 0; i < o->n; i++) {
		int rc = hide_add_regex(h, o->re[i], NULL, 0);

		if (rc < 0) {
			hide_free(h);
			return rc;
		}
	}
	hide_set_collapse(h, o->collapse);
	*out = h;
	return 0;
}

int cmd_hide_tree(const struct cmd_hide_opts *o, const struct funcs *f, struct calltree *t)
{
	struct calltree *tmp;
	struct hide *h;
	int rc;

	if (cmd_hide_make(o, &h) < 0)
		return -ENOMEM;
	if (!h)
		return 0;
	tmp = calltree_new();
	rc = tmp ? hide_tree(h, f, t, tmp) : -ENOMEM;
	if (rc == 0)
		rc = calltree_copy(t, tmp);
	calltree_free(tmp);
	hide_free(h);
	return rc;
}

int cmd_hide_source(const struct cmd_hide_opts *o, struct source *s)
{
	struct hide *h;

	if (!o->n && !o->collapse)
		return 0;
	h = source_hide(s);
	if (!h)
		return -ENOMEM;
	for (int i = 0; i < o->n; i++)
		if (hide_add_regex(h, o->re[i], NULL, 0) < 0)
			return -ENOMEM;
	hide_set_collapse(h, o->collapse);
	return source_hide_changed(s);
}

int cmd_view_source(const struct cmd_hide_opts *o, struct source *s, const struct app_opts *ao)
{
	char err[512];

	if (!s || cmd_hide_source(o, s) < 0) {
		cmd_error("out of memory");
		return -1;
	}
	if (app_run(s, ao, err, sizeof(err)) < 0) {
		cmd_error("%s", err);
		return -1;
	}
	return 0;
}
