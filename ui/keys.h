/*
 * keys.h - keys, input events, and the one table of key bindings.
 *
 * The terminal writer turns what the terminal sends into struct ui_event
 * (plain characters as code points, special keys as K_*).  Binding tables
 * map keys to actions: each view has its own, the screen one more; the
 * help overlay and the key bar are generated from the same tables, so
 * what they say is what keys do.
 */
#ifndef FT_UI_KEYS_H
#define FT_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum {
	K_CTRL_C = 3,
	/* C-]: leaves input mode, as in telnet */
	K_CTRL_RBRACKET = 0x1d,
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
	ACT_NEXT_VIEW, /* Tab: the next view with data */
	ACT_PREV_VIEW, /* Shift-Tab: the previous one */
	ACT_THREAD,
	ACT_OUTPUT,
	ACT_PICK,	/* the thread picker: show the chosen thread */
	ACT_CANCEL,	/* the thread picker: close it */
	ACT_GC_PREV,	/* the GC strip: previous collection */
	ACT_GC_NEXT,	/* ... next collection */
	ACT_GC_TRIGGER, /* ... its trigger stack in the graph */
	ACT_MARK,	/* the heatmap: one end of a range */
	ACT_THRESHOLDS, /* the findings panel: edit the shape thresholds */
	ACT_GROUP,	/* group the samples by thread, coroutine, label; label filters */
	ACT_CALLERS,	/* the selected function's callers and callees */
	ACT_HIDE,	/* hide the selected frame's function */
	ACT_HIDE_MOD,	/* ... its module */
	ACT_COLLAPSE,	/* collapse direct recursion (toggle) */
	ACT_UNHIDE,	/* show everything again */
	ACT_HALF_UP,	/* half a page up (C-u) */
	ACT_HALF_DOWN,	/* half a page down (C-d) */
	ACT_BACK,	/* leave a view for the graph (Esc in the table) */
	ACT_WEIGHT,	/* what the graph weighs: time, allocations, in use */
	ACT_LINES,	/* the selected function's hot source lines */
	ACT_BASELINE,	/* the picture now as a baseline (again: drop it) */
	ACT_TYPE,	/* keys go to the target's terminal (input mode) */
	ACT_TYPE_END,	/* ... to the viewer again (C-]) */
	ACT_PANE_BACK,	/* scroll the output pane back */
	ACT_PANE_FWD,	/* ... forward */
};

/* control keys arrive as their code points */
#define K_CTRL(c) ((c) - 'a' + 1)

/*
 * A binding: up to four keys for one action, with its help line and, if
 * it is on the key bar at the bottom, the bar's word for it.  The bar
 * shows "KEY hint" with the binding's first key; consecutive bindings of
 * one table with the same hint share an entry ("n/N match").  Tables end
 * with a zeroed entry.  Each view has its own table (view.h); the
 * screen's keys (keys_screen) apply in every view after the view's own.
 */
struct binding {
	int keys[4]; /* 0-terminated when fewer */
	enum action act;
	const char *help; /* one line for the help overlay */
	const char *hint; /* on the key bar; NULL: not there */
	bool lead;	  /* on the bar before the view's own hints */
};

/* The screen's bindings: quit, help, views, freeze, window, threads... */
extern const struct binding keys_screen[];

/* The action of key in the first of the n tables that binds it, or
 * ACT_NONE. */
enum action keys_lookup(const struct binding *const *tables, size_t n, int key);

/* A key's name as help shows it ("Enter", "Left", "q", "C-c"). */
const char *keys_name(int key, char *buf, size_t len);

/* Help line i (from 0) over the n tables in order: fills keys ("Left h")
 * and *help; false past the last line. */
bool keys_help_line(const struct binding *const *tables, size_t n, size_t i, char *keys,
		    size_t klen, const char **help);

/* The word a binding has on the key bar (its hint, or what the caller
 * makes of it: Tab names the view it goes to); NULL leaves it off. */
typedef const char *(*keys_hint_fn)(const struct binding *b, void *arg);

/* The key bar for the n tables into out: the lead hints of every table,
 * then the others in table order, two blanks apart ("? help  q quit  Enter
 * zoom ...").  hint may be NULL (each binding's own hint). */
void keys_bar(const struct binding *const *tables, size_t n, keys_hint_fn hint, void *arg,
	      char *out, size_t len);

#endif
