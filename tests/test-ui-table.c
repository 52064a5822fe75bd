/*
 * test-ui-table.c - the top table (rows, sorting, filter, selection), the
 * key binding table the help overlay is generated from, and the thread
 * picker's rows.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltree.h"
#include "funcs.h"
#include "grid.h"
#include "keys.h"
#include "style.h"
#include "toptable.h"
#include "app.h"
#include "source-header.h"
#include "view.h"

static void add(struct calltree *t, struct funcs *f, const char *stack, uint64_t w)
{
	uint32_t ids[64];
	char buf[512], *save = NULL, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		ids[n++] = funcs_intern(f, tok, "");
	assert_non_null(calltree_add(t, ids, n, w, w));
}

static const char *row_name(struct toptable *tt, struct funcs *f, size_t i)
{
	const struct top_row *r = toptable_row(tt, i);

	assert_non_null(r);
	return funcs_name(f, r->func);
}

static void test_rows_and_sorting(void **state)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct toptable *tt = toptable_new();
	struct grid *g = grid_new(60, 10, false);
	char line[256];

	add(t, f, "main;work;hot", 50);
	add(t, f, "main;work", 10);
	add(t, f, "main;idle", 30);
	add(t, f, "main", 10);
	assert_int_equal(toptable_update(tt, t, f), 0);
	/* by self: hot 50, idle 30, then work and main at 10 */
	assert_int_equal(toptable_rows(tt), 4);
	assert_string_equal(row_name(tt, f, 0), "hot");
	assert_string_equal(row_name(tt, f, 1), "idle");
	assert_int_equal(toptable_row(tt, 0)->self, 50);
	assert_int_equal(toptable_grand_total(tt), 100);
	/* by total: main 100, work 60, hot 50, idle 30 */
	toptable_set_sort(tt, TOP_BY_TOTAL);
	assert_string_equal(row_name(tt, f, 0), "main");
	assert_string_equal(row_name(tt, f, 1), "work");
	assert_string_equal(row_name(tt, f, 2), "hot");
	assert_int_equal(toptable_row(tt, 1)->total, 60);
	/* the selection follows its function across a re-sort */
	toptable_move_to(tt, 1);
	assert_string_equal(funcs_name(f, toptable_selected(tt)), "work");
	toptable_set_sort(tt, TOP_BY_SELF);
	assert_string_equal(funcs_name(f, toptable_selected(tt)), "work");
	/* drawn: header, then rows with percentages */
	toptable_move_to(tt, 0);
	toptable_draw(tt, g, 0, 0, 60, 10);
	grid_row_text(g, 0, line, sizeof(line));
	assert_non_null(strstr(line, "SELF%*"));
	/* the labels' '%' stand over the values' '%' whichever column sorts,
	 * and the names start under FUNCTION */
	assert_string_equal(line, "   SELF%* TOTAL%  FUNCTION");
	grid_row_text(g, 1, line, sizeof(line));
	assert_string_equal(line, "  50.00%  50.00%  hot");
	toptable_set_sort(tt, TOP_BY_TOTAL);
	toptable_draw(tt, g, 0, 0, 60, 10);
	grid_row_text(g, 0, line, sizeof(line));
	assert_string_equal(line, "   SELF%  TOTAL%* FUNCTION");
	grid_row_text(g, 1, line, sizeof(line));
	assert_int_equal(strchr(line, '%') - line, 7);
	assert_int_equal(strrchr(line, '%') - line, 15);
	assert_int_equal(strstr(line, "main") - line, 18);
	toptable_set_sort(tt, TOP_BY_SELF);
	toptable_move_to(tt, 0);
	toptable_draw(tt, g, 0, 0, 60, 10);
	assert_int_equal(grid_cat(g, 1, 1)->col, COL_SELECTED);
	grid_row_text(g, 2, line, sizeof(line));
	assert_string_equal(line, "  30.00%  30.00%  idle");
	/* the mouse: row 2 of the drawing is the second row */
	assert_true(toptable_select_at(tt, 2));
	assert_string_equal(funcs_name(f, toptable_selected(tt)), "idle");
	assert_false(toptable_select_at(tt, 0));
	assert_false(toptable_select_at(tt, 9));
	/* filter */
	assert_int_equal(toptable_filter(tt, "^(hot|IDLE)$", NULL, 0), 0);
	assert_int_equal(toptable_rows(tt), 2);
	assert_int_equal(toptable_filter(tt, "[", line, sizeof(line)), -EINVAL);
	assert_int_equal(toptable_rows(tt), 2);
	assert_int_equal(toptable_filter(tt, NULL, NULL, 0), 0);
	assert_int_equal(toptable_rows(tt), 4);
	/* moves clamp */
	toptable_move(tt, -10);
	assert_string_equal(funcs_name(f, toptable_selected(tt)), "hot");
	toptable_move(tt, 100);
	assert_string_equal(funcs_name(f, toptable_selected(tt)), row_name(tt, f, 3));

	grid_free(g);
	toptable_free(tt);
	calltree_free(t);
	funcs_free(f);
}

static void test_empty_table(void **state)
{
	struct calltree *t = calltree_new();
	struct toptable *tt = toptable_new();
	struct funcs *f = funcs_new();

	assert_int_equal(toptable_update(tt, t, f), 0);
	assert_int_equal(toptable_rows(tt), 0);
	assert_int_equal(toptable_selected(tt), 0);
	toptable_move(tt, 1);
	toptable_free(tt);
	calltree_free(t);
	funcs_free(f);
}

/* The action of key in the main view ops (its own table, then the
 * screen's). */
static enum action in_view(const struct view_ops *ops, int key)
{
	const struct binding *t[] = {ops->keys, keys_screen};

	return keys_lookup(t, 2, key);
}

static enum action in_table(const struct binding *b, int key)
{
	return keys_lookup(&b, 1, key);
}

static void test_key_table(void **state)
{
	const struct binding *flame[] = {view_flame_ops.keys, keys_screen};
	char keys[64];
	const char *help;
	size_t i, v;
	bool saw_enter = false, saw_quit = false;

	assert_int_equal(in_view(&view_flame_ops, 'q'), ACT_QUIT);
	assert_int_equal(in_view(&view_top_ops, K_CTRL_C), ACT_QUIT);
	assert_int_equal(in_view(&view_flame_ops, 'j'), ACT_DOWN);
	assert_int_equal(in_view(&view_flame_ops, K_LEFT), ACT_LEFT);
	assert_int_equal(in_view(&view_flame_ops, K_ENTER), ACT_ZOOM_IN);
	assert_int_equal(in_view(&view_flame_ops, K_ESC), ACT_ZOOM_OUT);
	assert_int_equal(in_view(&view_flame_ops, K_BACKSPACE), ACT_ZOOM_OUT);
	assert_int_equal(in_view(&view_top_ops, '1'), ACT_SORT_SELF);
	assert_int_equal(in_view(&view_flame_ops, '1'), ACT_NONE);
	assert_int_equal(in_view(&view_flame_ops, 'y'), ACT_NONE);
	/* Tab and Shift-Tab go through the views */
	assert_int_equal(in_view(&view_flame_ops, K_TAB), ACT_NEXT_VIEW);
	assert_int_equal(in_view(&view_top_ops, K_TAB), ACT_NEXT_VIEW);
	assert_int_equal(in_view(&view_top_ops, K_BTAB), ACT_PREV_VIEW);
	/* in the help overlay q closes it (like any key); C-c still quits */
	assert_int_equal(in_table(view_help_ops.keys, 'q'), ACT_NONE);
	assert_int_equal(in_table(view_help_ops.keys, K_CTRL_C), ACT_QUIT);
	assert_int_equal(in_table(view_help_ops.keys, 'j'), ACT_DOWN);
	/* t opens the thread picker; in it Up/Down/j/k move, Enter shows,
	 * Esc (or t) cancels, C-c still quits */
	assert_int_equal(in_view(&view_flame_ops, 't'), ACT_THREAD);
	assert_int_equal(in_view(&view_top_ops, 't'), ACT_THREAD);
	assert_int_equal(in_table(view_threads_ops.keys, K_UP), ACT_UP);
	assert_int_equal(in_table(view_threads_ops.keys, 'k'), ACT_UP);
	assert_int_equal(in_table(view_threads_ops.keys, K_DOWN), ACT_DOWN);
	assert_int_equal(in_table(view_threads_ops.keys, 'j'), ACT_DOWN);
	assert_int_equal(in_table(view_threads_ops.keys, K_ENTER), ACT_PICK);
	assert_int_equal(in_table(view_threads_ops.keys, K_ESC), ACT_CANCEL);
	assert_int_equal(in_table(view_threads_ops.keys, 't'), ACT_CANCEL);
	assert_int_equal(in_table(view_threads_ops.keys, K_CTRL_C), ACT_QUIT);
	assert_int_equal(in_table(view_threads_ops.keys, '/'), ACT_NONE);
	for (i = 0; keys_help_line(&view_threads_ops.keys, 1, i, keys, sizeof(keys), &help); i++)
		assert_true(strlen(help) > 0);
	assert_true(i >= 6);
	/* every binding of a view has a help line; help names its keys */
	for (i = 0; keys_help_line(flame, 2, i, keys, sizeof(keys), &help); i++) {
		assert_true(strlen(help) > 0);
		if (!strcmp(keys, "Enter"))
			saw_enter = true;
		if (!strcmp(keys, "q C-c"))
			saw_quit = true;
	}
	assert_true(i > 20);
	assert_true(saw_enter && saw_quit);
	/* no key is bound twice in one view (its table and the screen's) */
	for (v = 0; view_registry[v]; v++) {
		const struct binding *t[] = {view_registry[v]->keys, keys_screen};

		for (size_t ta = 0; ta < 2; ta++)
			for (const struct binding *a = t[ta]; a && a->act; a++)
				for (size_t tb = ta; tb < 2; tb++)
					for (const struct binding *b = tb == ta ? a + 1 : t[tb];
					     b && b->act; b++)
						for (int k = 0; k < 4 && a->keys[k]; k++)
							for (int m = 0; m < 4 && b->keys[m]; m++)
								if (a->keys[k] == b->keys[m])
									fail_msg(
									    "%s: a key bound twice",
									    view_registry[v]->name);
	}
}

/* The key bar comes from the tables: "KEY hint", the lead ones first,
 * bindings in a row with the same hint sharing one entry. */
static void test_key_bar(void **state)
{
	const struct binding *flame[] = {view_flame_ops.keys, keys_screen};
	const struct binding *top[] = {view_top_ops.keys, keys_screen};
	char bar[512];

	keys_bar(flame, 2, NULL, NULL, bar, sizeof(bar));
	assert_string_equal(bar, "? help  q quit  Tab views  arrows move  Enter zoom  Esc out"
				 "  / search  n/N match  c callers  i flip  z freeze");
	keys_bar(top, 2, NULL, NULL, bar, sizeof(bar));
	assert_string_equal(bar,
			    "? help  q quit  Tab views  Up/Down move  Enter show in graph  Esc back"
			    "  1/2 sort  / filter  c callers  z freeze");
	/* cut short, it ends at a whole entry */
	keys_bar(top, 2, NULL, NULL, bar, 20);
	assert_string_equal(bar, "? help  q quit");
}

/* Is key named among the bold words of the KEYS section of flametop(1)
 * (the ".B" / ".BR" / ".RB" lines: "Left", "PgUp", "?", "Ctrl-C"). */
static bool in_man_keys(const char *man, const char *name)
{
	const char *sec = strstr(man, "\n.SH KEYS\n"), *end, *line;
	char word[64], ctrl[16];

	assert_non_null(sec);
	end = strstr(sec + 1, "\n.SH ");
	if (!end)
		end = sec + strlen(sec);
	/* the page spells control keys as "Ctrl-C" */
	if (!strncmp(name, "C-", 2) && name[2] && !name[3]) {
		snprintf(ctrl, sizeof(ctrl), "Ctrl-%c",
			 name[2] >= 'a' && name[2] <= 'z' ? name[2] - 'a' + 'A' : name[2]);
		name = ctrl;
	}
	for (line = sec + 1; line && line < end;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line;

		if (strncmp(p, ".B ", 3) && strncmp(p, ".BR ", 4) && strncmp(p, ".RB ", 4))
			continue;
		p = strchr(p, ' ');
		while (p && *p && *p != '\n') {
			size_t n = 0;

			while (*p == ' ' || *p == '"' || *p == ',')
				p++;
			while (*p && *p != '\n' && *p != ' ' && *p != '"' && *p != ',' &&
			       n + 1 < sizeof(word))
				word[n++] = *p++;
			word[n] = '\0';
			if (n && !strcmp(word, name))
				return true;
		}
	}
	return false;
}

/* Every key of every view, overlay and the screen is in KEYS of
 * flametop(1). */
static void test_keys_in_man(void **state)
{
	const char *srcdir = getenv("top_srcdir");
	const struct binding *tables[16];
	char path[4096], name[16], *man;
	size_t n = 0, i, len;
	FILE *fp;

	if (!srcdir)
		skip();
	snprintf(path, sizeof(path), "%s/man/flametop.1", srcdir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	man = calloc(1, 1 << 20);
	assert_non_null(man);
	len = fread(man, 1, (1 << 20) - 1, fp);
	fclose(fp);
	man[len] = '\0';
	for (i = 0; view_registry[i]; i++)
		if (view_registry[i]->keys)
			tables[n++] = view_registry[i]->keys;
	tables[n++] = view_help_ops.keys;
	tables[n++] = view_threads_ops.keys;
	tables[n++] = keys_screen;
	for (i = 0; i < n; i++)
		for (const struct binding *b = tables[i]; b->act; b++)
			for (int k = 0; k < 4 && b->keys[k]; k++) {
				const char *kn = keys_name(b->keys[k], name, sizeof(name));

				if (!in_man_keys(man, kn))
					fail_msg("key %s (%s) is not in KEYS of flametop(1)", kn,
						 b->help);
			}
	free(man);
}

static struct source_header live_header(void)
{
	struct source_header h = {0};

	h.pid = 123456;
	h.cmd = "very-long-command-name --with many arguments";
	h.state = "running";
	h.freq_hz = 199;
	h.rate = 1234;
	h.samples = 9876543;
	h.lost = 12;
	h.window_s = 30;
	h.thread_tid = 123457;
	h.thread_name = "worker-thread-1";
	h.oncpu = 1;
	h.frozen = true;
	return h;
}

/* What the header must always show. */
static void assert_header_essentials(const char *out, int width)
{
	assert_true(grid_text_width(out) <= width);
	assert_non_null(strstr(out, "running"));
	assert_non_null(strstr(out, "1234/s"));
	assert_non_null(strstr(out, "lost 12"));
	assert_non_null(strstr(out, "last 30s"));
	assert_non_null(strstr(out, "123457"));
	assert_non_null(strstr(out, "on-cpu"));
	assert_non_null(strstr(out, "FROZEN"));
}

/* The header degrades by priority: the command is cut first, then the
 * sample count and rate go, then short forms; state, samples/s, lost,
 * window, filters and live/frozen always show. */
static void test_header_fit(void **state)
{
	struct source_header h = live_header();
	char out[1024];
	int widths[] = {200, 120, 100, 80, 60}, i, n;

	n = source_header_fit(&h, 400, true, out, sizeof(out));
	assert_int_equal(n, grid_text_width(out));
	assert_string_equal(out,
			    " pid 123456 very-long-command-name --with many arguments | running"
			    " | cpu 199 Hz | 1234/s | 9876543 samples | lost 12 | window last 30s"
			    " | thread 123457 worker-thread-1 | on-cpu only | FROZEN");
	/* samples read since the freeze are said; short of room, FROZEN */
	h.read_since_freeze = 42;
	source_header_fit(&h, 400, true, out, sizeof(out));
	assert_non_null(strstr(out, " | on-cpu only | FROZEN +42 new"));
	source_header_fit(&h, 80, true, out, sizeof(out));
	assert_non_null(strstr(out, "| FROZEN"));
	assert_null(strstr(out, "+42 new"));
	h.read_since_freeze = 0;
	for (i = 0; i < (int)(sizeof(widths) / sizeof(widths[0])); i++) {
		n = source_header_fit(&h, widths[i], true, out, sizeof(out));
		assert_int_equal(n, grid_text_width(out));
		assert_header_essentials(out, widths[i]);
	}
	/* 180: only the command is cut, with an ellipsis */
	source_header_fit(&h, 180, true, out, sizeof(out));
	assert_non_null(strstr(out, " pid 123456 very-long-command"));
	assert_non_null(strstr(out, "\xe2\x80\xa6 | running | cpu 199 Hz"));
	assert_non_null(strstr(out, "9876543 samples"));
	assert_non_null(strstr(out, "thread 123457 worker-thread-1"));
	/* 120: the pid and part of the command still show */
	source_header_fit(&h, 120, true, out, sizeof(out));
	assert_non_null(strstr(out, " pid 123456 very-long"));
	assert_non_null(strstr(out, "\xe2\x80\xa6 | running"));
	/* 80: the reviewer's case: thread, window and FROZEN show */
	source_header_fit(&h, 80, true, out, sizeof(out));
	assert_true(strstr(out, "thread 123457") || strstr(out, "tid 123457"));
	/* the free/unfrozen and unfiltered line at 80 keeps the command */
	h.thread_tid = 0;
	h.oncpu = -1;
	h.frozen = false;
	h.cmd = "ui-wl";
	source_header_fit(&h, 80, true, out, sizeof(out));
	assert_true(grid_text_width(out) <= 80);
	assert_non_null(strstr(out, " pid 123456 ui-wl | running"));
	assert_non_null(strstr(out, "| live"));
	assert_null(strstr(out, "on-cpu"));
	source_header_fit(&h, 60, false, out, sizeof(out));
	assert_true(grid_text_width(out) <= 60);
	assert_non_null(strstr(out, "running"));
	assert_non_null(strstr(out, "live"));
	assert_non_null(strstr(out, "lost 12"));
	/* no on/off-cpu filter: no such label, in short forms either */
	for (int w = 70; w >= 36; w -= 2) {
		source_header_fit(&h, w, false, out, sizeof(out));
		if (strstr(out, "cpu |") || strstr(out, "off-cpu") || strstr(out, "on-cpu"))
			fail_msg("width %d: a cpu filter that is not set: '%s'", w, out);
	}
	h.oncpu = 0;
	source_header_fit(&h, 40, false, out, sizeof(out));
	assert_non_null(strstr(out, "off-cpu"));
	h.oncpu = -1;
	/* a static file: the name is cut, never the count */
	memset(&h, 0, sizeof(h));
	h.is_static = true;
	h.name = "a-rather-long-profile-file-name-from-somewhere.folded";
	h.samples = 200;
	source_header_fit(&h, 40, true, out, sizeof(out));
	assert_true(grid_text_width(out) <= 40);
	assert_non_null(strstr(out, "| 200 samples | static"));
	source_header_fit(&h, 80, true, out, sizeof(out));
	assert_string_equal(
	    out, " a-rather-long-profile-file-name-from-somewhere.folded | 200 samples | static");
}

/* Row y's text with runs of blanks as one blank. */
static void squeeze(char *s)
{
	char *o = s, *i = s;

	for (; *i; i++)
		if (*i != ' ' || (o > s && o[-1] != ' '))
			*o++ = *i;
	*o = '\0';
}

/* The help overlay is as wide as its longest line when there is room
 * (every description whole on one row at 120 columns) and wraps the
 * descriptions, losing nothing, when there is not. */
#define HELP_ROWS 160 /* a tall screen: the whole help shows */

static void test_help_overlay(void **state)
{
	const struct binding *wheres[2][2] = {{view_flame_ops.keys, keys_screen},
					      {view_top_ops.keys, keys_screen}};
	int widths[] = {120, 60, 44}, wi, wh, y, first, nlines, shown;
	char keys[64], line[1024], *all;
	const char *help;
	size_t i;

	for (wh = 0; wh < 2; wh++) {
		for (wi = 0; wi < 3; wi++) {
			struct grid *g = grid_new(widths[wi], HELP_ROWS, true);
			size_t used = 0;

			assert_non_null(g);
			all = calloc(1, HELP_ROWS * 1024);
			assert_non_null(all);
			first = 0;
			view_help_render(g, (struct rect){0, 1, widths[wi], HELP_ROWS - 2},
					 wheres[wh], 2, &first, &nlines, &shown);
			if (nlines > shown)
				fail_msg("help at %d columns: %d lines, %d shown", widths[wi],
					 nlines, shown);
			for (y = 0; y < HELP_ROWS; y++) {
				grid_row_text(g, y, line, sizeof(line));
				used += (size_t)snprintf(all + used, HELP_ROWS * 1024 - used, " %s",
							 line);
			}
			squeeze(all);
			for (i = 0; keys_help_line(wheres[wh], 2, i, keys, sizeof(keys), &help);
			     i++) {
				bool whole = false;

				if (widths[wi] >= 120) {
					for (y = 0; y < HELP_ROWS && !whole; y++) {
						grid_row_text(g, y, line, sizeof(line));
						whole = strstr(line, help) != NULL;
					}
					if (!whole)
						fail_msg("help at %d columns lacks \"%s\"",
							 widths[wi], help);
				}
				if (!strstr(all, help))
					fail_msg("help at %d columns lost \"%s\"", widths[wi],
						 help);
			}
			free(all);
			grid_free(g);
		}
	}
}

/* The thread picker: "all threads" first, then each thread with its tid,
 * name, samples and share; the shown filter marked, the cursor row
 * highlighted and kept on screen. */
static void test_thread_picker(void **state)
{
	struct profile_thread th[3] = {
	    {.tid = 4242, .name = "main-thread", .count = 60, .weight = 600},
	    {.tid = 4243, .name = "worker-1", .count = 30, .weight = 300},
	    {.tid = 4244, .name = "", .count = 10, .weight = 100},
	};
	static const char *const want[] = {
	    "  all threads                      100  100.0%",
	    "  4242     main-thread              60   60.0%",
	    "* 4243     worker-1                 30   30.0%",
	    "  4244     -                        10   10.0%",
	};
	struct grid *g = grid_new(80, 20, true);
	struct rect r = {0, 1, 80, 18}, list;
	char line[256];
	int cursor = 2, first = 0, i, x, y;
	bool heads = false;

	assert_non_null(g);
	view_threads_render(g, r, th, 3, 4243, &cursor, &first, &list);
	assert_int_equal(list.h, 4);
	assert_int_equal(first, 0);
	for (y = 0; y < 20; y++) {
		grid_row_text(g, y, line, sizeof(line));
		if (strstr(line, "tid") && strstr(line, "name") && strstr(line, "samples") &&
		    strstr(line, "share"))
			heads = true;
	}
	assert_true(heads);
	for (i = 0; i < 4; i++) {
		y = r.y + list.y + i;
		grid_row_text(g, y, line, sizeof(line));
		if (!strstr(line, want[i]))
			fail_msg("picker row %d is \"%s\", want \"%s\"", i, line, want[i]);
		/* the cursor row (2) is highlighted across the box */
		for (x = list.x + r.x; x < list.x + r.x + list.w; x++)
			assert_int_equal(grid_cat(g, x, y)->col, i == 2 ? COL_SELECTED : COL_HELP);
	}
	grid_row_text(g, r.y + list.y + 4, line, sizeof(line));
	assert_null(strstr(line, "4244"));
	/* all threads shown: the first row marked; the cursor is clamped */
	grid_clear(g);
	cursor = 9;
	view_threads_render(g, r, th, 3, 0, &cursor, &first, &list);
	assert_int_equal(cursor, 3);
	grid_row_text(g, r.y + list.y, line, sizeof(line));
	assert_non_null(strstr(line, "* all threads"));
	grid_row_text(g, r.y + list.y + 2, line, sizeof(line));
	assert_non_null(strstr(line, "  4243     worker-1"));
	/* no threads yet: only "all threads" */
	grid_clear(g);
	cursor = 1;
	view_threads_render(g, r, NULL, 0, 0, &cursor, &first, &list);
	assert_int_equal(cursor, 0);
	assert_int_equal(list.h, 1);
	grid_row_text(g, r.y + list.y, line, sizeof(line));
	assert_non_null(strstr(line, "* all threads                        0    0.0%"));
	/* too few rows for the list: it scrolls to keep the cursor shown */
	grid_clear(g);
	r.h = 6;
	cursor = 3;
	first = 0;
	view_threads_render(g, r, th, 3, 4243, &cursor, &first, &list);
	assert_int_equal(list.h, 2);
	assert_int_equal(first, 2);
	grid_row_text(g, r.y + list.y + 1, line, sizeof(line));
	assert_non_null(strstr(line, "4244"));
	assert_int_equal(grid_cat(g, list.x + 1, r.y + list.y + 1)->col, COL_SELECTED);
	grid_free(g);
}

/* Too small: the needed size in the longest wording that fits. */
static void test_too_small(void **state)
{
	struct {
		int w, h;
		const char *want;
	} cases[] = {
	    {39, 9, "terminal too small: need at least 40x10"},
	    {30, 8, "too small: need 40x10"},
	    {21, 5, "too small: need 40x10"},
	    {20, 5, "40x10"},
	    {5, 3, "40x10"},
	};
	char line[256];
	size_t i;
	int y, found;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct grid *g = grid_new(cases[i].w, cases[i].h, true);

		app_draw_too_small(g);
		found = 0;
		for (y = 0; y < cases[i].h; y++) {
			grid_row_text(g, y, line, sizeof(line));
			if (strstr(line, cases[i].want))
				found = 1;
			/* never a cut message */
			assert_false(strstr(line, "need at le") && !strstr(line, "least 40x10"));
			assert_false(strstr(line, "need 40x1") && !strstr(line, "40x10"));
		}
		if (!found)
			fail_msg("%dx%d does not show \"%s\"", cases[i].w, cases[i].h,
				 cases[i].want);
		grid_free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_and_sorting), cmocka_unit_test(test_empty_table),
	    cmocka_unit_test(test_key_table),	     cmocka_unit_test(test_key_bar),
	    cmocka_unit_test(test_keys_in_man),	     cmocka_unit_test(test_header_fit),
	    cmocka_unit_test(test_help_overlay),     cmocka_unit_test(test_too_small),
	    cmocka_unit_test(test_thread_picker),
	};

	return cmocka_run_group_tests_name("ui-table", tests, NULL, NULL);
}
