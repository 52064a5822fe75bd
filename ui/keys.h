/*
 * keys.h - keys, input events, and the one table of key bindings.
 *
 * The terminal writer turns what the terminal sends into struct ui_event
 * (plain characters as code points, special keys as K_*).  The binding
 * table maps a key, in a view, to an action; the help overlay is
 * generated from the same table, so what help says is what keys do.
 */
#ifndef FT_UI_KEYS_H
#define FT_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum {
	K_CTRL_C = 3,
	K_BASE = 0x110000, /* above every code point */
	K_UP,
	K_DOWN,
	K_LEFT,
	K_RIGHT,
	K_ENTER,
	K_ESC,
	K_BACKSPACE,
	K_TAB,
	K_BTAB,
	K_HOME,
	K_END,
	K_PGUP,
	K_PGDN,
	K_F1,
	K_DEL,
	K_RESIZE,
	K_MOUSE,
};

enum ui_mouse {
	MOUSE_NONE,
	MOUSE_CLICK,
	MOUSE_DOUBLE,
	MOUSE_WHEEL_UP,
	MOUSE_WHEEL_DOWN,
};

struct ui_event {
	int key;	     /* code point or K_* */
	enum ui_mouse mouse; /* with K_MOUSE */
	int mx, my;	     /* screen cell of a mouse event */
};

enum action {
	ACT_NONE = 0,
	ACT_QUIT,
	ACT_HELP,
	ACT_LEFT,
	ACT_RIGHT,
	ACT_UP,
	ACT_DOWN,
	ACT_ZOOM_IN,
	ACT_ZOOM_OUT,
	ACT_RESET,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_SEARCH,
	ACT_NEXT,
	ACT_PREV,
	ACT_SEARCH_FRAME,
	ACT_SORT,
	ACT_SORT_SELF,
	ACT_SORT_TOTAL,
	ACT_FLIP,
	ACT_FREEZE,
	ACT_WINDOW,
	ACT_CLEAR,
	ACT_TABLE,
	ACT_THREAD,
	ACT_OUTPUT,
	ACT_PICK,   /* the thread picker: show the chosen thread */
	ACT_CANCEL, /* the thread picker: close it */
};

/* where a binding applies */
#define IN_FLAME 0x1
#define IN_TOP 0x2
#define IN_HELP 0x4
#define IN_PICK 0x8 /* the thread picker */
#define IN_ALL (IN_FLAME | IN_TOP)

struct binding {
	int keys[4]; /* 0-terminated when fewer */
	enum action act;
	unsigned where;	  /* IN_* */
	const char *help; /* one line for the help overlay */
};

/* The table, ending with a zeroed entry. */
extern const struct binding keys_table[];

/* The action key has in the view(s) `where`, or ACT_NONE. */
enum action keys_action(int key, unsigned where);

/* A key's name as help shows it ("Enter", "Left", "q", "C-c"). */
const char *keys_name(int key, char *buf, size_t len);

/* Help line i (from 0) for the views `where`: fills keys ("Left h") and
 * *help; false past the last line. */
bool keys_help_line(size_t i, unsigned where, char *keys, size_t klen, const char **help);

#endif
