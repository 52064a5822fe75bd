/*
 * util.c - small shared helpers (see util.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "util.h"

uint64_t util_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t util_mono_ms(void)
{
	return util_mono_ns() / 1000000u;
}

double util_pct(uint64_t v, uint64_t total)
{
	return total ? 100.0 * (double)v / (double)total : 0.0;
}

uint64_t util_pow10(unsigned n)
{
	uint64_t p = 1;

	if (n > 19)
		return UINT64_MAX;
	while (n--)
		p *= 10;
	return p;
}

const char *util_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int util_exit_code(int status)
{
	if (status != -1 && WIFEXITED(status))
		return WEXITSTATUS(status);
	if (status != -1 && WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

void util_describe_status(int status, char *buf, size_t len)
{
	if (status != -1 && WIFEXITED(status)) {
		snprintf(buf, len, "exited (status %d)", WEXITSTATUS(status));
	} else if (status != -1 && WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));

		if (name)
			snprintf(buf, len, "killed by SIG%s", name);
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, len, "exited");
	}
}

int util_open_input(const char *path, FILE **in, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	*in = stdin;
	if (strcmp(path, "-") != 0 && !(*in = fopen(path, "re"))) {
		ret = -errno;
		snprintf(err, errlen, "%s", strerror(-ret));
		return ret;
	}
	/* a directory opens fine for reading: say what it is */
	if (fstat(fileno(*in), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (*in != stdin)
			fclose(*in);
		*in = NULL;
		snprintf(err, errlen, "%s", strerror(EISDIR));
		return -EISDIR;
	}
	return 0;
}

int util_proc_stat_field(int pid, int field, unsigned long long *out)
{
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (field < 3 || !(f = fopen(path, "re")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the name (field 2) may hold anything: field 3 starts after its
	 * last ')' */
	if (!(p = strrchr(buf, ')')))
		return -1;
	for (int i = 2; i < field && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || p[1] < '0' || p[1] > '9' || sscanf(p + 1, "%llu", out) != 1)
		return -1;
	return 0;
}
