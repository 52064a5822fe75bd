/*
 * vtpane.h - the target's terminal: a pseudo-terminal whose master end
 * we hold, the screen it shows (emulated by libvterm) and the lines that
 * scrolled off it.
 *
 * `flametop run` gives its target a pty of its own (vtpane_open makes the
 * pair; launch.h makes the slave the child's controlling terminal).  The
 * viewer reads the master without blocking (vtpane_read, bounded), feeds
 * what it reads to the emulator, and draws cells from vtpane_line: the
 * scrollback first (oldest kept first), then the screen's rows.  Keys
 * typed for the target go through the emulator's keyboard (so cursor keys
 * follow the target's modes) and are written to the master; so are the
 * emulator's answers to the target's queries (cursor position, device
 * attributes).
 *
 * Colours are reduced to the eight ANSI colours (bright ones as bold,
 * 256-colour and RGB to the nearest corner of the colour cube), which is
 * what any terminal the viewer runs on can show.  Every line is kept at
 * its width in cells; wide characters take one cell.  Memory is bounded:
 * at most max_lines lines of scrollback, each at most the width it was
 * written at.  No curses, no printing: the UI draws (ui/pane.c).
 */
#ifndef FT_VTPANE_H
#define FT_VTPANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VTPANE_SCROLLBACK 10000 /* lines kept by default */

/* a cell's attributes */
#define VTPANE_BOLD 0x01
#define VTPANE_UNDERLINE 0x02
#define VTPANE_REVERSE 0x04

struct vtpane_cell {
	uint32_t ch; /* code point; ' ' when empty */
	uint8_t fg;  /* 0: default, 1 + ANSI colour (0 black .. 7 white) */
	uint8_t bg;  /* same */
	uint8_t attr;
};

/* Keys that are not characters, as the terminal sends them. */
enum vtpane_key {
	VTPANE_KEY_ENTER,
	VTPANE_KEY_TAB,
	VTPANE_KEY_BACKSPACE,
	VTPANE_KEY_ESC,
	VTPANE_KEY_UP,
	VTPANE_KEY_DOWN,
	VTPANE_KEY_LEFT,
	VTPANE_KEY_RIGHT,
	VTPANE_KEY_HOME,
	VTPANE_KEY_END,
	VTPANE_KEY_PGUP,
	VTPANE_KEY_PGDN,
	VTPANE_KEY_DEL,
	VTPANE_KEY_F1,
	VTPANE_KEY_BTAB,
};

struct vtpane;

/* A pty pair sized rows x cols: the master (close-on-exec, non-blocking)
 * in *master, the slave (close-on-exec: launch dups it into the child) in
 * *slave.  The slave takes the settings of the terminal like_fd (erase
 * and interrupt characters, UTF-8 input; -1: the kernel's defaults).  0,
 * or -errno with a message. */
int vtpane_open(int rows, int cols, int like_fd, int *master, int *slave, char *err, size_t errlen);

/* A terminal of rows x cols reading master (owned: closed by
 * vtpane_free; -1: none, for tests that feed it), keeping max_lines of
 * scrollback.  NULL on ENOMEM. */
struct vtpane *vtpane_new(int master, int rows, int cols, size_t max_lines);
void vtpane_free(struct vtpane *vt); /* NULL is a no-op */

/* The master to poll for input, or -1 once the slave side hung up (the
 * target and everything it started closed the terminal). */
int vtpane_fd(const struct vtpane *vt);
/* Takes the master away from vt (which then reads nothing more): the
 * caller owns it.  -1 when there is none. */
int vtpane_take_fd(struct vtpane *vt);

/* Reads what is waiting on the master, at most max bytes, without
 * blocking, and feeds it to the emulator.  Returns the bytes read (0:
 * nothing waiting), or -EIO once the slave side hung up (the master is
 * closed then; what it showed stays). */
ssize_t vtpane_read(struct vtpane *vt, size_t max);
/* Feeds bytes as if the target had written them. */
void vtpane_feed(struct vtpane *vt, const char *buf, size_t len);

/* Resizes the terminal (the target gets SIGWINCH from its pty). */
void vtpane_resize(struct vtpane *vt, int rows, int cols);
void vtpane_size(const struct vtpane *vt, int *rows, int *cols);

/* Lines held: the scrollback, then the screen's rows. */
size_t vtpane_lines(const struct vtpane *vt);
/* Lines ever pushed into the scrollback (grows by one per line that
 * scrolls off; a viewer scrolled back uses it to stay on its lines). */
uint64_t vtpane_pushed(const struct vtpane *vt);
/* Line i (0: the oldest scrollback line kept) into out (at most max
 * cells); returns its width in cells (trailing blanks dropped). */
size_t vtpane_line(const struct vtpane *vt, size_t i, struct vtpane_cell *out, size_t max);
/* The cursor on the screen (row from the screen's top) and whether the
 * target shows it. */
bool vtpane_cursor(const struct vtpane *vt, int *row, int *col);

/* Sends a typed character (a code point; control characters as they
 * are), a key, or the terminal's interrupt character (the target's line
 * discipline turns it into SIGINT when the target asks for that).  0, or
 * -EAGAIN when the target is not reading and its input is full (the key
 * is dropped), -EIO when the terminal is gone. */
int vtpane_send_char(struct vtpane *vt, uint32_t c);
int vtpane_send_key(struct vtpane *vt, enum vtpane_key k);
int vtpane_send_intr(struct vtpane *vt);

/* Writes what the terminal holds (scrollback and screen) as UTF-8 text,
 * one line per row, to fd: 0 or -errno. */
int vtpane_write_text(const struct vtpane *vt, int fd);

#endif
