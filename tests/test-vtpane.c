/*
 * test-vtpane.c - unit tests of vtpane.c, the target's terminal: what the
 * cells hold after escape sequences, carriage returns, wrapping and
 * colours; the scrollback ring and its bound; the text written out; and a
 * real pty: a child's output read back, a typed line and the interrupt
 * character reaching it through its line discipline.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vtpane.h"

/* Line i as text (wide halves skipped). */
static const char *text(const struct vtpane *t, size_t i)
{
	static char buf[1024];
	struct vtpane_cell c[512];
	size_t n = vtpane_line(t, i, c, 512), k, len = 0;

	for (k = 0; k < n && len + 1 < sizeof(buf); k++)
		if (c[k].ch)
			buf[len++] = c[k].ch < 0x80 ? (char)c[k].ch : '#';
	buf[len] = '\0';
	return buf;
}

static void feed(struct vtpane *t, const char *s)
{
	vtpane_feed(t, s, strlen(s));
}

static void test_cells(void **state)
{
	struct vtpane *t = vtpane_new(-1, 5, 20, 100);
	struct vtpane_cell c[20];

	(void)state;
	assert_non_null(t);
	feed(t, "\033[31mred\033[0m \033[1;32mgb\033[0m \033[44mob\033[0m\r\n");
	feed(t, "progress 10%\rprogress 100%\r\n");
	feed(t, "\033[91mbright\033[0m \033[38;5;196mcube\033[0m \033[38;2;0;0;255mrgb\033[0m\r\n");
	feed(t, "\033[7mrev\033[0m \033[4mul\033[0m");
	assert_string_equal(text(t, 0), "red gb ob");
	vtpane_line(t, 0, c, 20);
	assert_int_equal(c[0].fg, 1 + 1); /* red */
	assert_int_equal(c[0].bg, 0);
	assert_int_equal(c[3].fg, 0); /* the blank between: default */
	assert_int_equal(c[4].fg, 1 + 2);
	assert_true(c[4].attr & VTPANE_BOLD);
	assert_int_equal(c[7].bg, 1 + 4);
	/* carriage return: overwritten in place, nothing printed for it */
	assert_string_equal(text(t, 1), "progress 100%");
	/* bright red: red and bold; 196 and RGB blue: the nearest of eight */
	vtpane_line(t, 2, c, 20);
	assert_int_equal(c[0].fg, 1 + 1);
	assert_true(c[0].attr & VTPANE_BOLD);
	assert_int_equal(c[7].fg, 1 + 1);
	assert_int_equal(c[12].fg, 1 + 4);
	vtpane_line(t, 3, c, 20);
	assert_true(c[0].attr & VTPANE_REVERSE);
	assert_true(c[4].attr & VTPANE_UNDERLINE);
	vtpane_free(t);
}

static void test_wrap_and_scrollback(void **state)
{
	struct vtpane *t = vtpane_new(-1, 3, 10, 4);
	char line[32];
	int i, row, col;

	(void)state;
	assert_non_null(t);
	/* 25 characters wrap over three rows of 10 */
	feed(t, "abcdefghijklmnopqrstuvwxy");
	assert_string_equal(text(t, 0), "abcdefghij");
	assert_string_equal(text(t, 1), "klmnopqrst");
	assert_string_equal(text(t, 2), "uvwxy");
	vtpane_cursor(t, &row, &col);
	assert_int_equal(row, 2);
	assert_int_equal(col, 5);
	/* 10 more lines: the ring keeps the last 4 that scrolled off */
	for (i = 1; i <= 10; i++) {
		snprintf(line, sizeof(line), "\r\nline-%d", i);
		feed(t, line);
	}
	assert_int_equal(vtpane_pushed(t), 3 + 7);
	assert_int_equal(vtpane_lines(t), 4 + 3);
	assert_string_equal(text(t, 0), "line-4");
	assert_string_equal(text(t, 3), "line-7");
	assert_string_equal(text(t, 4), "line-8");
	assert_string_equal(text(t, 6), "line-10");
	vtpane_free(t);
}

static void test_write_text(void **state)
{
	struct vtpane *t = vtpane_new(-1, 4, 10, 10);
	char buf[256];
	int p[2];
	ssize_t n;

	(void)state;
	assert_non_null(t);
	feed(t, "one\r\n\033[31mtwo\033[0m\r\n\xc3\xa9t\xc3\xa9");
	assert_int_equal(pipe(p), 0);
	assert_int_equal(vtpane_write_text(t, p[1]), 0);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	/* no escape sequences, UTF-8 kept, no blank rows after the last */
	assert_string_equal(buf, "one\ntwo\n\xc3\xa9t\xc3\xa9\n");
	vtpane_free(t);
}

/* Reads the master until want shows on the screen or 5 s passed. */
static bool wait_for(struct vtpane *t, const char *want)
{
	size_t i;
	int k;

	for (k = 0; k < 500; k++) {
		vtpane_read(t, 65536);
		for (i = 0; i < vtpane_lines(t); i++)
			if (strstr(text(t, i), want))
				return true;
		usleep(10000);
	}
	return false;
}

/* A shell reading a line on its terminal: Enter ends the line, the
 * interrupt character kills it with SIGINT. */
static void test_pty(void **state)
{
	int m, s, status;
	struct vtpane *t;
	struct winsize ws;
	char err[256];
	pid_t pid;

	(void)state;
	assert_int_equal(vtpane_open(6, 40, -1, &m, &s, err, sizeof(err)), 0);
	assert_int_equal(ioctl(s, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_row, 6);
	assert_int_equal(ws.ws_col, 40);
	t = vtpane_new(m, 6, 40, 100);
	assert_non_null(t);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		execl("/bin/sh", "sh", "-c", "echo ready; read l; echo \"got $l\"; sleep 30", NULL);
		_exit(127);
	}
	close(s);
	assert_true(wait_for(t, "ready"));
	vtpane_resize(t, 8, 50);
	assert_int_equal(ioctl(vtpane_fd(t), TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_row, 8);
	for (const char *c = "hi there"; *c; c++)
		assert_int_equal(vtpane_send_char(t, (uint32_t)*c), 0);
	assert_int_equal(vtpane_send_key(t, VTPANE_KEY_ENTER), 0);
	assert_true(wait_for(t, "got hi there"));
	assert_int_equal(vtpane_send_intr(t), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGINT);
	/* nobody holds the slave: the master reads its end */
	while (vtpane_read(t, 65536) > 0)
		;
	assert_int_equal(vtpane_read(t, 65536), -EIO);
	assert_int_equal(vtpane_fd(t), -1);
	assert_int_equal(vtpane_send_char(t, 'x'), -EIO);
	vtpane_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_wrap_and_scrollback),
	    cmocka_unit_test(test_write_text),
	    cmocka_unit_test(test_pty),
	};

	return cmocka_run_group_tests_name("vtpane", tests, NULL, NULL);
}
