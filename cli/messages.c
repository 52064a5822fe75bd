/*
 * messages.c - what the commands say on standard error (see cmd.h): one
 * line each, starting with "flametop: ", lowercase, the failure first,
 * git style.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ftr.h"
#include "live.h"

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "flametop: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

void cmd_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

void cmd_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning: ", fmt, ap);
	va_end(ap);
}

void cmd_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "flametop: %s: ", name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see flametop %s --help)\n", name);
	va_end(ap);
}

void cmd_attach_error(pid_t pid, const char *why)
{
	char num[16];
	const char *p;

	snprintf(num, sizeof num, " %d", (int)pid);
	p = strstr(why, num);
	if (p && (p[strlen(num)] < '0' || p[strlen(num)] > '9'))
		cmd_error("cannot attach: %s", why);
	else
		cmd_error("cannot attach to pid %d: %s", (int)pid, why);
}

bool cmd_target_gone(pid_t pid)
{
	if (kill(pid, 0) == 0 || errno != ESRCH)
		return false;
	cmd_attach_error(pid, "the process has exited (its segment is stale: "
			      "flametop list --clean removes it)");
	return true;
}

bool cmd_alloc_missing(struct live *l, enum live_weight w, const char *what)
{
	struct live_stats st;

	if (!live_weight_alloc(w))
		return false;
	memset(&st, 0, sizeof st);
	if (l)
		live_stats(l, &st);
	if (st.allocs)
		return false;
	if (!l || !st.alloc_hooked)
		cmd_error(
		    "cannot weigh '%s' by %s: no allocation data (the runtime could not "
		    "interpose its malloc: a static program, or one with a malloc of its own)",
		    what, live_weight_name(w));
	else
		cmd_error("cannot weigh '%s' by %s: no allocation data (it allocated less than one "
			  "sample's worth through malloc or libgc, and memory it maps itself is not "
			  "seen; try --alloc-rate 0)",
			  what, live_weight_name(w));
	return true;
}

int cmd_read_recording(const char *path, struct funcs *f, struct ftr **rec)
{
	char err[256];
	FILE *in = fopen(path, "re");
	int ret;

	if (!in) {
		cmd_error("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	ret = ftr_read(in, f, rec, err, sizeof(err));
	fclose(in);
	if (ret < 0) {
		cmd_error("cannot read '%s': %s", path, err);
		return -1;
	}
	if (err[0])
		cmd_warning("'%s': %s", path, err);
	return 0;
}
