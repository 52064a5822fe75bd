/*
 * test-launch.c - unit tests of launch.c: finding our
 * files, checking a command, starting one with the runtime's environment,
 * exec failures, waiting for a segment and stopping a child.
 *
 * FLAMETOP_LIB points at a harmless shared library (libm) so the children
 * started here do not run the real runtime.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "flametop-shm.h"
#include "launch.h"

#define HARMLESS_LIB "/lib/x86_64-linux-gnu/libm.so.6"

static char err[512];

static void test_check(void **state)
{
	char path[] = "/tmp/ft-launch-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(launch_check("sh", err, sizeof err), 0);
	assert_int_equal(launch_check("/bin/sh", err, sizeof err), 0);
	assert_int_equal(launch_check("no-such-command-ft", err, sizeof err), -ENOENT);
	assert_string_equal(err, "cannot run 'no-such-command-ft': no such command");
	assert_int_equal(launch_check("/nonexistent/x", err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "'/nonexistent/x'"));
	assert_int_equal(launch_check(path, err, sizeof err), -EACCES); /* mode 0600 */
	assert_non_null(strstr(err, "permission denied"));
	assert_int_equal(launch_check("/tmp", err, sizeof err), -EACCES);
	assert_non_null(strstr(err, "directory"));
	unlink(path);
}

static void test_runtime_path(void **state)
{
	const char *p;

	setenv("FLAMETOP_LIB", "/nonexistent/libflametop.so", 1);
	p = launch_runtime_path(err, sizeof err);
	assert_null(p);
	assert_non_null(strstr(err, "FLAMETOP_LIB=/nonexistent/libflametop.so"));
	setenv("FLAMETOP_LIB", HARMLESS_LIB, 1);
	p = launch_runtime_path(err, sizeof err);
	assert_non_null(p);
	assert_string_equal(p, HARMLESS_LIB);

	/* from the build tree: tests/ lies below FT_BUILDDIR */
	unsetenv("FLAMETOP_LIB");
	char built[4096];
	snprintf(built, sizeof built, "%s/runtime/.libs/libflametop.so", FT_BUILDDIR);
	if (access(built, R_OK) == 0) {
		p = launch_runtime_path(err, sizeof err);
		assert_non_null(p);
		assert_string_equal(p, built);
	}
	snprintf(built, sizeof built, "%s/examples/flametop-demo", FT_BUILDDIR);
	if (access(built, X_OK) == 0) {
		p = launch_demo_path(err, sizeof err);
		assert_non_null(p);
		assert_string_equal(p, built);
	}
	setenv("FLAMETOP_LIB", HARMLESS_LIB, 1);
}

/* Runs argv with o (out_path set to a temp file), returns what it wrote. */
static pid_t last_pid; /* of the last run_capture */

static char *run_capture(char *const argv[], struct launch_opts *o, int *status)
{
	static char buf[4096];
	char path[] = "/tmp/ft-launch-out-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	o->out_path = path;
	pid_t pid = launch_start(argv, o, err, sizeof err);
	assert_true(pid > 0);
	last_pid = pid;
	assert_int_equal(waitpid(pid, status, 0), pid);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	unlink(path);
	return buf;
}

static void test_start_env(void **state)
{
	char *argv[] = {"sh", "-c",
			"echo \"$FLAMETOP|$FLAMETOP_ALWAYS|$FLAMETOP_FREQ|$FLAMETOP_MODE|"
			"$FLAMETOP_DEPTH|$FLAMETOP_KEEP_SEGMENT|$LD_PRELOAD\"; exit 7",
			NULL};
	struct launch_opts o = {
	    .freq_hz = 499, .mode = FT_MODE_WALL, .depth = 64, .keep_segment = true};
	int status;
	char want[256];

	setenv("FLAMETOP_LIB", HARMLESS_LIB, 1);
	unsetenv("LD_PRELOAD");
	setenv("FLAMETOP_FREQ", "5", 1); /* replaced, not duplicated */
	char *out = run_capture(argv, &o, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 7);
	/* ALWAYS and KEEP_SEGMENT are scoped to the target's own pid */
	snprintf(want, sizeof want, "1|%010d|499|wall|64|%010d|%s\n", (int)last_pid, (int)last_pid,
		 HARMLESS_LIB);
	assert_string_equal(out, want);

	/* options left at their defaults let the user's own settings through
	 * (FLAMETOP_KEEP_SEGMENT excepted: the launcher owns the segment);
	 * an existing LD_PRELOAD stays, after ours */
	struct launch_opts d = {.mode = -1};
	unsetenv("FLAMETOP_FREQ");
	setenv("FLAMETOP_DEPTH", "256", 1);
	setenv("FLAMETOP_KEEP_SEGMENT", "1", 1);
	setenv("FLAMETOP_ALWAYS", "0", 1);
	setenv("LD_PRELOAD", "/lib/x86_64-linux-gnu/libc.so.6", 1);
	out = run_capture(argv, &d, &status);
	unsetenv("LD_PRELOAD");
	unsetenv("FLAMETOP_DEPTH");
	unsetenv("FLAMETOP_KEEP_SEGMENT");
	unsetenv("FLAMETOP_ALWAYS");
	snprintf(want, sizeof want, "1|%010d|||256|0|%s:/lib/x86_64-linux-gnu/libc.so.6\n",
		 (int)last_pid, HARMLESS_LIB);
	assert_string_equal(out, want);
}

static void test_start_stdin(void **state)
{
	char *argv[] = {"sh", "-c", "wc -c", NULL};
	struct launch_opts o = {.mode = -1, .stdin_path = "/dev/null"};
	int status;

	char *out = run_capture(argv, &o, &status);
	assert_int_equal(atoi(out), 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_start_failures(void **state)
{
	char *missing[] = {"/nonexistent/prog", NULL};
	char *nocmd[] = {"no-such-command-ft", NULL};
	struct launch_opts o = {.mode = -1};

	pid_t pid = launch_start(missing, &o, err, sizeof err);
	assert_int_equal(pid, -ENOENT);
	assert_string_equal(err, "cannot run '/nonexistent/prog': No such file or directory");
	pid = launch_start(nocmd, &o, err, sizeof err);
	assert_int_equal(pid, -ENOENT);
	/* the failed child was reaped */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);

	o.stdin_path = "/nonexistent/input";
	char *sh[] = {"sh", "-c", "true", NULL};
	pid = launch_start(sh, &o, err, sizeof err);
	assert_true(pid < 0);
	assert_non_null(strstr(err, "cannot run 'sh'"));

	setenv("FLAMETOP_LIB", "/nonexistent/lib.so", 1);
	o.stdin_path = NULL;
	pid = launch_start(sh, &o, err, sizeof err);
	assert_true(pid < 0);
	assert_non_null(strstr(err, "FLAMETOP_LIB"));
	setenv("FLAMETOP_LIB", HARMLESS_LIB, 1);
}

static void test_wait_and_stop(void **state)
{
	char *quick[] = {"sh", "-c", "exit 5", NULL};
	char *slow[] = {"sleep", "30", NULL};
	char *stubborn[] = {"sh", "-c", "trap '' TERM; while :; do :; done", NULL};
	struct launch_opts o = {.mode = -1};
	int status = 0;

	pid_t pid = launch_start(quick, &o, err, sizeof err);
	assert_true(pid > 0);
	assert_int_equal(launch_wait_segment(pid, 5000, &status), -ECHILD);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 5);

	pid = launch_start(slow, &o, err, sizeof err);
	assert_true(pid > 0);
	assert_int_equal(launch_wait_segment(pid, 100, &status), -ETIMEDOUT);
	status = launch_stop(pid, 1000);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

	pid = launch_start(stubborn, &o, err, sizeof err);
	assert_true(pid > 0);
	usleep(100000); /* let the shell set its trap */
	status = launch_stop(pid, 200);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* a segment file appearing is noticed */
	pid = launch_start(slow, &o, err, sizeof err);
	assert_true(pid > 0);
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/flametop.%d", (int)pid);
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	assert_true(fd >= 0);
	struct ft_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, FT_MAGIC, 8);
	assert_int_equal(write(fd, &h, sizeof h), (ssize_t)sizeof h);
	close(fd);
	assert_int_equal(launch_wait_segment(pid, 5000, &status), 0);
	launch_unlink_segment(pid);
	assert_int_equal(access(path, F_OK), -1);
	launch_stop(pid, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {

	    cmocka_unit_test(test_check),	   cmocka_unit_test(test_runtime_path),
	    cmocka_unit_test(test_start_env),	   cmocka_unit_test(test_start_stdin),
	    cmocka_unit_test(test_start_failures), cmocka_unit_test(test_wait_and_stop),
	};
	setenv("FLAMETOP_LIB", HARMLESS_LIB, 1);
	return cmocka_run_group_tests_name("launch", tests, NULL, NULL);
}
