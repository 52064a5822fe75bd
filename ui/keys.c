/*
 * keys.c - the key binding table, the one place that says which key does
 * what; the help overlay is generated from it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"

/* clang-format off */
const struct binding keys_screen[] = {
	{{'?', K_F1}, ACT_HELP, "this help (any key closes it)", "help", true},
	{{'q', K_CTRL_C}, ACT_QUIT, "quit (ends a target started by run)", "quit", true},
	{{K_TAB}, ACT_NEXT_VIEW, "the next view with data: flame graph, top table, ... (the bar names it)", "views", true},
	{{K_BTAB}, ACT_PREV_VIEW, "the previous view with data", NULL, false},
	{{'z'}, ACT_FREEZE, "freeze the picture (sampling goes on)", "freeze", false},
	{{'w'}, ACT_WINDOW, "time window: last 5 s / last 30 s / everything", NULL, false},
	{{'W'}, ACT_WEIGHT, "weight: time / allocated bytes / allocated objects / in-use bytes / in-use objects", NULL, false},
	{{'R'}, ACT_CLEAR, "clear the profile", NULL, false},
	{{'t'}, ACT_THREAD, "choose the thread to show (all threads or one) from a list", NULL, false},
	{{'p'}, ACT_GROUP, "group by thread, coroutine, label:KEY; keep KEY=VALUE labels (starts over)", NULL, false},
	{{'o'}, ACT_OUTPUT, "show / hide the target's output", NULL, false},
	{{'I'}, ACT_TYPE, "type into the target's terminal (the output pane): every key goes to it", NULL, false},
	{{K_CTRL_RBRACKET}, ACT_TYPE_END, "stop typing into the target: keys are the viewer's again", NULL, false},
	{{'{'}, ACT_PANE_BACK, "scroll the output pane back (half a pane)", NULL, false},
	{{'}'}, ACT_PANE_FWD, "scroll the output pane forward, to the live screen", NULL, false},
	{{'B'}, ACT_BASELINE, "the picture now as a baseline, changes in colour (again: drop)", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

enum action keys_lookup(const struct binding *const *tables, size_t n, int key)
{
	const struct binding *b;
	size_t t;
	int i;

	for (t = 0; t < n; t++) {
		for (b = tables[t]; b && b->act != ACT_NONE; b++)
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
	if (key == ' ')
		snprintf(buf, len, "Space");
	else if (key >= K_CTRL('a') && key <= K_CTRL('z'))
		snprintf(buf, len, "C-%c", key - 1 + 'a');
	else if (key >= 0x1b && key <= 0x1f)
		snprintf(buf, len, "C-%c", key + '@'); /* C-[ .. C-_ */
	else if (key > 0 && key < 0x80)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
	return buf;
}

/* Appends s to out (NUL-terminated, len bytes) at *pos; false when it
 * did not fit (out keeps what fitted). */
static bool append(char *out, size_t len, size_t *pos, const char *s)
{
	int k = snprintf(out + *pos, len - *pos, "%s", s);

	if (k < 0 || (size_t)k >= len - *pos) {
		*pos = len - 1;
		return false;
	}
	*pos += (size_t)k;
	return true;
}

bool keys_help_line(const struct binding *const *tables, size_t n, size_t i, char *keys,
		    size_t klen, const char **help)
{
	const struct binding *b;
	char name[16];
	size_t pos, t;
	int k;

	for (t = 0; t < n; t++) {
		for (b = tables[t]; b && b->act != ACT_NONE; b++) {
			if (!b->help)
				continue;
			if (i-- > 0)
				continue;
			pos = 0;
			keys[0] = '\0';
			for (k = 0; k < 4 && b->keys[k]; k++)
				if (!append(keys, klen, &pos, k ? " " : "") ||
				    !append(keys, klen, &pos,
					    keys_name(b->keys[k], name, sizeof(name))))
					break;
			*help = b->help;
			return true;
		}
	}
	return false;
}

/* The key bar as it is built: whole entries in out, the pending one
 * (keys and hint, merged while the hint repeats) apart. */
struct bar {
	char *out;
	size_t len, pos;
	bool full;
	char keys[64];
	const char *hint;
};

static void bar_flush(struct bar *b)
{
	int k;

	if (!b->hint || b->full) {
		b->hint = NULL;
		return;
	}
	/* the four arrows in a row read "arrows" */
	if (!strcmp(b->keys, "Left/Right/Up/Down"))
		snprintf(b->keys, sizeof(b->keys), "arrows");
	k = snprintf(b->out + b->pos, b->len - b->pos, "%s%s %s", b->pos ? "  " : "", b->keys,
		     b->hint);
	if (k < 0 || (size_t)k >= b->len - b->pos) {
		b->out[b->pos] = '\0'; /* a whole entry or none */
		b->full = true;
	} else {
		b->pos += (size_t)k;
	}
	b->hint = NULL;
}

void keys_bar(const struct binding *const *tables, size_t n, keys_hint_fn hint, void *arg,
	      char *out, size_t len)
{
	struct bar bar = {.out = out, .len = len};
	const struct binding *b;
	const char *h, *kn;
	char name[16];
	size_t t, kl;
	int lead;

	if (len == 0)
		return;
	out[0] = '\0';
	for (lead = 1; lead >= 0; lead--) {
		for (t = 0; t < n; t++) {
			for (b = tables[t]; b && b->act != ACT_NONE; b++) {
				h = hint ? hint(b, arg) : b->hint;
				if (!h || b->lead != (bool)lead || !b->keys[0]) {
					bar_flush(&bar);
					continue;
				}
				kn = keys_name(b->keys[0], name, sizeof(name));
				kl = strlen(bar.keys);
				if (bar.hint && !strcmp(bar.hint, h)) {
					/* "n/N match" */
					snprintf(bar.keys + kl, sizeof(bar.keys) - kl, "/%s", kn);
					continue;
				}
				bar_flush(&bar);
				snprintf(bar.keys, sizeof(bar.keys), "%s", kn);
				bar.hint = h;
			}
			bar_flush(&bar);
		}
	}
}
