/*
 * test-ui-table.c - the top table (rows, sorting, filter, selection) and
 * the key binding table the help overlay is generated from.
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
	grid_row_text(g, 1, line, sizeof(line));
	assert_string_equal(line, "  50.00%  50.00%  hot");
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

static void test_key_table(void **state)
{
	char keys[64];
	const char *help;
	size_t i;
	bool saw_enter = false, saw_quit = false;

	assert_int_equal(keys_action('q', IN_FLAME), ACT_QUIT);
	assert_int_equal(keys_action(K_CTRL_C, IN_TOP), ACT_QUIT);
	assert_int_equal(keys_action('j', IN_FLAME), ACT_DOWN);
	assert_int_equal(keys_action(K_LEFT, IN_FLAME), ACT_LEFT);
	assert_int_equal(keys_action(K_ENTER, IN_FLAME), ACT_ZOOM_IN);
	assert_int_equal(keys_action(K_ESC, IN_FLAME), ACT_ZOOM_OUT);
	assert_int_equal(keys_action(K_BACKSPACE, IN_FLAME), ACT_ZOOM_OUT);
	assert_int_equal(keys_action('1', IN_TOP), ACT_SORT_SELF);
	assert_int_equal(keys_action('1', IN_FLAME), ACT_NONE);
	assert_int_equal(keys_action('x', IN_FLAME), ACT_NONE);
	/* in the help overlay q closes it (like any key); C-c still quits */
	assert_int_equal(keys_action('q', IN_HELP), ACT_NONE);
	assert_int_equal(keys_action(K_CTRL_C, IN_HELP), ACT_QUIT);
	assert_int_equal(keys_action('j', IN_HELP), ACT_DOWN);
	/* every binding of a view has a help line; help names its keys */
	for (i = 0; keys_help_line(i, IN_FLAME, keys, sizeof(keys), &help); i++) {
		assert_true(strlen(help) > 0);
		if (!strcmp(keys, "Enter"))
			saw_enter = true;
		if (!strcmp(keys, "q C-c"))
			saw_quit = true;
	}
	assert_true(i > 20);
	assert_true(saw_enter && saw_quit);
	/* no key is bound twice in one view */
	for (const struct binding *a = keys_table; a->act; a++)
		for (const struct binding *b = a + 1; b->act; b++)
			for (int k = 0; k < 4 && a->keys[k]; k++)
				for (int m = 0; m < 4 && b->keys[m]; m++)
					if (a->keys[k] == b->keys[m])
						assert_int_equal(a->where & b->where & ~IN_HELP, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_and_sorting),
	    cmocka_unit_test(test_empty_table),
	    cmocka_unit_test(test_key_table),
	};

	return cmocka_run_group_tests_name("ui-table", tests, NULL, NULL);
}
