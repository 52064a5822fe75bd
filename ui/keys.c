/*
 * keys.c - the key binding table, the one place that says which key does
 * what; the help overlay is generated from it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"

/* clang-format off */
const struct binding keys_table[] = {
	{{K_LEFT, 'h'}, ACT_LEFT, IN_FLAME, "previous frame on this row"},
	{{K_RIGHT, 'l'}, ACT_RIGHT, IN_FLAME, "next frame on this row"},
	{{K_UP, 'k'}, ACT_UP, IN_ALL | IN_HELP,
	 "move up: to the parent (icicle) / a child (flame); table: row up"},
	{{K_DOWN, 'j'}, ACT_DOWN, IN_ALL | IN_HELP,
	 "move down: to a child (icicle) / the parent (flame); table: row down"},
	{{K_PGUP}, ACT_PAGE_UP, IN_ALL, "scroll a page up"},
	{{K_PGDN}, ACT_PAGE_DOWN, IN_ALL, "scroll a page down"},
	{{'g', K_HOME}, ACT_TOP, IN_ALL, "go to the root (table: first row)"},
	{{'G', K_END}, ACT_BOTTOM, IN_ALL, "go to the hottest leaf (table: last row)"},
	{{K_ENTER}, ACT_ZOOM_IN, IN_FLAME, "zoom into the selected frame"},
	{{K_ENTER}, ACT_ZOOM_IN, IN_TOP, "show this function in the graph"},
	{{K_ESC, K_BACKSPACE, 'u'}, ACT_ZOOM_OUT, IN_FLAME, "zoom out one level"},
	{{'r'}, ACT_RESET, IN_FLAME, "reset zoom and selection"},
	{{'/'}, ACT_SEARCH, IN_FLAME, "search functions (extended regex, any case)"},
	{{'/'}, ACT_SEARCH, IN_TOP, "filter rows (extended regex, any case)"},
	{{'n'}, ACT_NEXT, IN_FLAME, "next match"},
	{{'N'}, ACT_PREV, IN_FLAME, "previous match"},
	{{'#'}, ACT_SEARCH_FRAME, IN_FLAME, "search the selected frame's function"},
	{{'s'}, ACT_SORT, IN_FLAME, "order siblings: alphabetical / heaviest first"},
	{{'1'}, ACT_SORT_SELF, IN_TOP, "sort by self"},
	{{'2'}, ACT_SORT_TOTAL, IN_TOP, "sort by total"},
	{{'i'}, ACT_FLIP, IN_FLAME, "flip: icicle (root on top) / flame (root below)"},
	{{'z'}, ACT_FREEZE, IN_ALL, "freeze the picture (sampling goes on)"},
	{{'w'}, ACT_WINDOW, IN_ALL, "time window: last 5 s / last 30 s / everything"},
	{{'R'}, ACT_CLEAR, IN_ALL, "clear the profile"},
	{{'t'}, ACT_THREAD, IN_ALL, "choose the thread to show (all threads or one) from a list"},
	{{K_TAB}, ACT_TABLE, IN_ALL, "switch between flame graph and top table"},
	{{'o'}, ACT_OUTPUT, IN_ALL, "show / hide the target's output"},
	{{'?', K_F1}, ACT_HELP, IN_ALL | IN_HELP, "this help (any key closes it)"},
	{{'q', K_CTRL_C}, ACT_QUIT, IN_ALL, "quit (ends a target started by run)"},
	{{K_CTRL_C}, ACT_QUIT, IN_HELP | IN_PICK, "quit"},
	{{K_UP, 'k'}, ACT_UP, IN_PICK, "thread list: previous row"},
	{{K_DOWN, 'j'}, ACT_DOWN, IN_PICK, "thread list: next row"},
	{{'g', K_HOME}, ACT_TOP, IN_PICK, "thread list: first row (all threads)"},
	{{'G', K_END}, ACT_BOTTOM, IN_PICK, "thread list: last row"},
	{{K_ENTER}, ACT_PICK, IN_PICK, "thread list: show the chosen thread"},
	{{K_ESC, 't', 'q'}, ACT_CANCEL, IN_PICK, "thread list: close it, the filter unchanged"},
	{{0}, ACT_NONE, 0, NULL},
};
/* clang-format on */

enum action keys_action(int key, unsigned where)
{
	const struct binding *b;
	int i;

	for (b = keys_table; b->act != ACT_NONE; b++) {
		if (!(b->where & where))
			continue;
		for (i = 0; i < 4 && b->keys[i]; i++)
			if (b->keys[i] == key)
				return b->act;
	}
	return ACT_NONE;
}

const char *keys_name(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {K_UP, "Up"},
	    {K_DOWN, "Down"},
	    {K_LEFT, "Left"},
	    {K_RIGHT, "Right"},
	    {K_ENTER, "Enter"},
	    {K_ESC, "Esc"},
	    {K_BACKSPACE, "Backspace"},
	    {K_TAB, "Tab"},
	    {K_BTAB, "S-Tab"},
	    {K_HOME, "Home"},
	    {K_END, "End"},
	    {K_PGUP, "PgUp"},
	    {K_PGDN, "PgDn"},
	    {K_F1, "F1"},
	    {K_DEL, "Del"},
	    {K_CTRL_C, "C-c"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key)
			return names[i].name;
	if (key > 0 && key < 0x80)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
	return buf;
}

bool keys_help_line(size_t i, unsigned where, char *keys, size_t klen, const char **help)
{
	const struct binding *b;
	char name[16];
	size_t pos;
	int k;

	for (b = keys_table; b->act != ACT_NONE; b++) {
		if (!(b->where & where) || !b->help)
			continue;
		if (i-- > 0)
			continue;
		pos = 0;
		keys[0] = '\0';
		for (k = 0; k < 4 && b->keys[k]; k++) {
			int n = snprintf(keys + pos, klen - pos, "%s%s", k ? " " : "",
					 keys_name(b->keys[k], name, sizeof(name)));

			if (n < 0 || (size_t)n >= klen - pos)
				break;
			pos += n;
		}
		*help = b->help;
		return true;
	}
	return false;
}
