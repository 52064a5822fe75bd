/*
 * cmd-group.c - what record and report share for --group and --label, and
 * JSON strings for the commands that print JSON.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include "cmd.h"
#include "live.h"

int cmd_parse_group(const char *s, void *field, char *err, size_t errlen)
{
	struct cmd_group_opts *o = field;

	if (group_parse(s, &o->g, err, errlen) < 0)
		return -EINVAL;
	o->grouped = true;
	return 0;
}

int cmd_parse_label(const char *s, void *field, char *err, size_t errlen)
{
	struct cmd_group_opts *o = field;

	if (o->nfilt == GROUP_MAX) {
		snprintf(err, errlen, "at most %d label filters", GROUP_MAX);
		return -EINVAL;
	}
	if (label_filter_parse(s, &o->filt[o->nfilt], err, errlen) < 0)
		return -EINVAL;
	o->nfilt++;
	return 0;
}

int cmd_group_apply(const struct cmd_group_opts *o, struct live *l)
{
	if (o->grouped && live_set_group(l, &o->g) < 0)
		return -ENOMEM;
	for (int i = 0; i < o->nfilt; i++)
		if (live_add_label_filter(l, &o->filt[i]) < 0)
			return -ENOMEM;
	return 0;
}

void cmd_json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}
