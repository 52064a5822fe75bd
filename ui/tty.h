/*
 * tty.h - the terminal writer: the only code that talks to curses.
 *
 * It owns the screen: starts and restores it (also on a fatal signal in
 * the viewer, best effort, then the signal is re-raised), maps purposes of
 * cells to colours by capability (256 / 8 / monochrome, NO_COLOR), copies
 * a grid to the screen with one refresh, and turns keys and mouse events
 * into struct ui_event.  SIGINT, SIGTERM and SIGHUP only set a flag that
 * tty_quit_requested reports.
 */
#ifndef FT_UI_TTY_H
#define FT_UI_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include "grid.h"
#include "keys.h"

enum tty_colors { TERM_MONO, TERM_8, TERM_256 };

/* Opens the screen; 0, or -1 with a message (not a terminal, ...). */
int tty_start(char *err, size_t errlen);
/* Whether tty_start could show the viewer on this terminal (standard
 * output a terminal with cursor movement): 0, or -1 and why in err.
 * Touches nothing on the screen. */
int tty_check(char *err, size_t errlen);
/* Restores the terminal; safe to call twice and before tty_start. */
void tty_end(void);

void tty_size(int *w, int *h);
bool term_utf8(void);
enum tty_colors tty_colors(void);

/* Copies g to the screen (sizes must match tty_size) in one refresh. */
void tty_draw(const struct grid *g);

/* Waits up to timeout_ms for input, or for fd (>= 0; -1: none) to be
 * readable; true if either may be. */
bool tty_wait(int timeout_ms, int fd);
/* Reads one event without waiting; false when there is none. */
bool tty_read(struct ui_event *ev);

/* A process to send SIGTERM when the viewer dies of a fatal signal (the
 * target of `flametop run`, which must not outlive its viewer); 0: none. */
void tty_set_fatal_pid(int pid);

/* A quit signal (SIGINT, SIGTERM, SIGHUP) arrived. */
bool tty_quit_requested(void);

#endif
