/*
 * vtpane.c - the target's terminal (see vtpane.h): a pty master, libvterm
 * for what the target's output means (escape sequences, carriage
 * returns, line wrapping, colours, the alternate screen, queries), and a
 * ring of the lines that scrolled off the top.
 *
 * The emulator is libvterm: a terminal written here by hand would know
 * fewer sequences and get more of them wrong.  The scrollback is a ring
 * of max_lines slots, each a malloc'd line of the cells it had when it
 * left the screen (trailing blanks dropped); the oldest is freed when a
 * new one comes into a full ring.  The master is non-blocking: reading
 * stops when nothing is waiting or the caller's budget is spent, and a
 * write the target's full input cannot take is dropped and reported.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <vterm.h>

#include "vtpane.h"

struct sbline {
	size_t n;
	struct vtpane_cell cells[];
};

struct vtpane {
	int fd; /* the master; -1 once hung up or taken */
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	bool cursor_visible;
	int out_err; /* the last write to the master: 0 or -errno */
	/* the scrollback ring: count lines from head (the oldest) */
	struct sbline **sb;
	size_t max, head, count;
	uint64_t pushed;
};

int vtpane_open(int rows, int cols, int like_fd, int *master, int *slave, char *err, size_t errlen)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	struct termios tio;
	char name[128];
	int m, s = -1, e;

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open a pseudo-terminal: %s", strerror(e));
		return -e;
	}
	if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof(name)) != 0 ||
	    (s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 || ioctl(m, TIOCSWINSZ, &ws) < 0 ||
	    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot set up a pseudo-terminal: %s", strerror(e));
		if (s >= 0)
			close(s);
		close(m);
		return -e;
	}
	if (like_fd >= 0 && tcgetattr(like_fd, &tio) == 0)
		tcsetattr(s, TCSANOW, &tio);
	*master = m;
	*slave = s;
	return 0;
}

/* A colour the viewer can show: 0 for the default, else 1 + an ANSI
 * colour; a bright foreground (8-15) adds bold to *attr. */
static uint8_t reduce(const struct vtpane *t, VTermColor c, bool fg, uint8_t *attr)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
		return 0;
	if (VTERM_COLOR_IS_INDEXED(&c) && c.indexed.idx < 16) {
		if (c.indexed.idx >= 8 && fg)
			*attr |= VTPANE_BOLD;
		return (uint8_t)(1 + c.indexed.idx % 8);
	}
	/* the 256-colour cube and RGB: the nearest of the cube's corners */
	vterm_screen_convert_color_to_rgb(t->screen, &c);
	return (uint8_t)(1 + (c.rgb.red >= 128) + 2 * (c.rgb.green >= 128) +
			 4 * (c.rgb.blue >= 128));
}

static void convert(const struct vtpane *t, const VTermScreenCell *c, struct vtpane_cell *o)
{
	o->attr = 0;
	if (c->attrs.bold)
		o->attr |= VTPANE_BOLD;
	if (c->attrs.underline)
		o->attr |= VTPANE_UNDERLINE;
	if (c->attrs.reverse)
		o->attr |= VTPANE_REVERSE;
	o->fg = reduce(t, c->fg, true, &o->attr);
	o->bg = reduce(t, c->bg, false, &o->attr);
	/* (uint32_t)-1: the right half of a wide character, drawn by it */
	if (c->chars[0] == (uint32_t)-1)
		o->ch = 0;
	else if (c->chars[0] < 0x20 || (c->chars[0] >= 0x7f && c->chars[0] < 0xa0))
		o->ch = ' ';
	else
		o->ch = c->chars[0];
}

static bool blank(const struct vtpane_cell *c)
{
	return c->ch == ' ' && !c->bg && !(c->attr & (VTPANE_REVERSE | VTPANE_UNDERLINE));
}

static int on_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct vtpane *t = user;
	struct sbline *l;
	size_t n = cols > 0 ? (size_t)cols : 0, i, slot;

	/* the blank end of the line is not kept (most lines are short) */
	while (n > 0 && (cells[n - 1].chars[0] == 0 || cells[n - 1].chars[0] == ' ') &&
	       VTERM_COLOR_IS_DEFAULT_BG(&cells[n - 1].bg) && !cells[n - 1].attrs.reverse &&
	       !cells[n - 1].attrs.underline)
		n--;
	l = malloc(sizeof(*l) + n * sizeof(l->cells[0]));
	if (!l)
		return 0; /* the line is lost, the terminal goes on */
	for (i = 0; i < n; i++)
		convert(t, &cells[i], &l->cells[i]);
	while (n > 0 && blank(&l->cells[n - 1]))
		n--;
	l->n = n;
	if (t->count == t->max) {
		free(t->sb[t->head]);
		t->sb[t->head] = NULL;
		t->head = (t->head + 1) % t->max;
		t->count--;
	}
	slot = (t->head + t->count) % t->max;
	t->sb[slot] = l;
	t->count++;
	t->pushed++;
	return 1;
}

static int on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vtpane *t = user;

	if (prop == VTERM_PROP_CURSORVISIBLE)
		t->cursor_visible = val->boolean;
	return 1;
}

/* What the emulator sends back (keys, answers to queries): to the
 * target's input, never blocking. */
static void on_output(const char *s, size_t len, void *user)
{
	struct vtpane *t = user;
	ssize_t n;

	if (t->fd < 0) {
		t->out_err = -EIO;
		return;
	}
	while (len > 0) {
		n = write(t->fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			t->out_err = n < 0 && errno != EAGAIN ? -EIO : -EAGAIN;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

static const VTermScreenCallbacks screen_cbs = {
    .settermprop = on_settermprop,
    .sb_pushline = on_pushline,
};

struct vtpane *vtpane_new(int master, int rows, int cols, size_t max_lines)
{
	struct vtpane *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->fd = master;
	t->rows = rows > 0 ? rows : 1;
	t->cols = cols > 0 ? cols : 1;
	t->max = max_lines > 0 ? max_lines : 1;
	t->cursor_visible = true;
	t->sb = calloc(t->max, sizeof(t->sb[0]));
	t->vt = t->sb ? vterm_new(t->rows, t->cols) : NULL;
	if (!t->vt) {
		free(t->sb);
		free(t);
		return NULL;
	}
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, on_output, t);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_set_callbacks(t->screen, &screen_cbs, t);
	vterm_screen_enable_altscreen(t->screen, 1);
	vterm_screen_set_damage_merge(t->screen, VTERM_DAMAGE_SCROLL);
	vterm_screen_reset(t->screen, 1);
	return t;
}

void vtpane_free(struct vtpane *t)
{
	size_t i;

	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	for (i = 0; i < t->count; i++)
		free(t->sb[(t->head + i) % t->max]);
	free(t->sb);
	vterm_free(t->vt);
	free(t);
}

int vtpane_fd(const struct vtpane *t)
{
	return t->fd;
}

int vtpane_take_fd(struct vtpane *t)
{
	int fd = t->fd;

	t->fd = -1;
	return fd;
}

void vtpane_feed(struct vtpane *t, const char *buf, size_t len)
{
	vterm_input_write(t->vt, buf, len);
}

ssize_t vtpane_read(struct vtpane *t, size_t max)
{
	char buf[16384];
	size_t total = 0, want;
	ssize_t n;

	if (t->fd < 0)
		return -EIO;
	while (total < max) {
		want = max - total < sizeof(buf) ? max - total : sizeof(buf);
		n = read(t->fd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			/* EIO: nobody holds the slave any more */
			close(t->fd);
			t->fd = -1;
			break;
		}
		vterm_input_write(t->vt, buf, (size_t)n);
		total += (size_t)n;
	}
	if (total == 0 && t->fd < 0)
		return -EIO;
	return (ssize_t)total;
}

void vtpane_resize(struct vtpane *t, int rows, int cols)
{
	struct winsize ws;

	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows == t->rows && cols == t->cols)
		return;
	t->rows = rows;
	t->cols = cols;
	vterm_set_size(t->vt, rows, cols);
	ws = (struct winsize){.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	if (t->fd >= 0)
		ioctl(t->fd, TIOCSWINSZ, &ws);
}

void vtpane_size(const struct vtpane *t, int *rows, int *cols)
{
	*rows = t->rows;
	*cols = t->cols;
}

size_t vtpane_lines(const struct vtpane *t)
{
	return t->count + (size_t)t->rows;
}

uint64_t vtpane_pushed(const struct vtpane *t)
{
	return t->pushed;
}

size_t vtpane_line(const struct vtpane *t, size_t i, struct vtpane_cell *out, size_t max)
{
	VTermScreenCell c;
	size_t n = 0;
	int col;

	if (i < t->count) {
		const struct sbline *l = t->sb[(t->head + i) % t->max];

		n = l->n < max ? l->n : max;
		memcpy(out, l->cells, n * sizeof(out[0]));
		return n;
	}
	i -= t->count;
	if (i >= (size_t)t->rows)
		return 0;
	for (col = 0; col < t->cols && (size_t)col < max; col++) {
		if (!vterm_screen_get_cell(t->screen, (VTermPos){(int)i, col}, &c))
			break;
		convert(t, &c, &out[col]);
		if (!blank(&out[col]))
			n = (size_t)col + 1;
	}
	return n;
}

bool vtpane_cursor(const struct vtpane *t, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
	*row = pos.row;
	*col = pos.col;
	return t->cursor_visible;
}

int vtpane_send_char(struct vtpane *t, uint32_t c)
{
	t->out_err = 0;
	vterm_keyboard_unichar(t->vt, c, VTERM_MOD_NONE);
	return t->out_err;
}

int vtpane_send_key(struct vtpane *t, enum vtpane_key k)
{
	static const VTermKey map[] = {
	    [VTPANE_KEY_ENTER] = VTERM_KEY_ENTER,
	    [VTPANE_KEY_TAB] = VTERM_KEY_TAB,
	    [VTPANE_KEY_BACKSPACE] = VTERM_KEY_BACKSPACE,
	    [VTPANE_KEY_ESC] = VTERM_KEY_ESCAPE,
	    [VTPANE_KEY_UP] = VTERM_KEY_UP,
	    [VTPANE_KEY_DOWN] = VTERM_KEY_DOWN,
	    [VTPANE_KEY_LEFT] = VTERM_KEY_LEFT,
	    [VTPANE_KEY_RIGHT] = VTERM_KEY_RIGHT,
	    [VTPANE_KEY_HOME] = VTERM_KEY_HOME,
	    [VTPANE_KEY_END] = VTERM_KEY_END,
	    [VTPANE_KEY_PGUP] = VTERM_KEY_PAGEUP,
	    [VTPANE_KEY_PGDN] = VTERM_KEY_PAGEDOWN,
	    [VTPANE_KEY_DEL] = VTERM_KEY_DEL,
	    [VTPANE_KEY_F1] = VTERM_KEY_FUNCTION(1),
	    [VTPANE_KEY_BTAB] = VTERM_KEY_TAB,
	};

	if ((size_t)k >= sizeof(map) / sizeof(map[0]))
		return -EINVAL;
	t->out_err = 0;
	vterm_keyboard_key(t->vt, map[k], k == VTPANE_KEY_BTAB ? VTERM_MOD_SHIFT : VTERM_MOD_NONE);
	return t->out_err;
}

int vtpane_send_intr(struct vtpane *t)
{
	struct termios tio;
	char c = 3; /* Ctrl-C, what a terminal sends */

	/* on Linux the master reads the slave's settings */
	if (t->fd >= 0 && tcgetattr(t->fd, &tio) == 0 && (tio.c_lflag & ISIG) &&
	    tio.c_cc[VINTR] != _POSIX_VDISABLE)
		c = (char)tio.c_cc[VINTR];
	t->out_err = 0;
	on_output(&c, 1, t);
	return t->out_err;
}

/* c as UTF-8 into o (4 bytes at most); returns the bytes. */
static size_t utf8_put(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int vtpane_write_text(const struct vtpane *t, int fd)
{
	size_t lines = vtpane_lines(t), i, k, n, len, maxw = (size_t)t->cols;
	struct vtpane_cell *cells;
	char *buf;
	int rc = 0;

	/* a scrollback line can be wider than the screen is now */
	for (i = 0; i < t->count; i++)
		if (t->sb[(t->head + i) % t->max]->n > maxw)
			maxw = t->sb[(t->head + i) % t->max]->n;
	cells = malloc(maxw * sizeof(*cells));
	buf = malloc(maxw * 4 + 1);
	if (!cells || !buf) {
		free(cells);
		free(buf);
		return -ENOMEM;
	}
	/* the screen's blank rows at the bottom are not output */
	while (lines > t->count && vtpane_line(t, lines - 1, cells, maxw) == 0)
		lines--;
	for (i = 0; i < lines && rc == 0; i++) {
		n = vtpane_line(t, i, cells, maxw);
		for (k = 0, len = 0; k < n; k++)
			if (cells[k].ch)
				len += utf8_put(cells[k].ch, buf + len);
		buf[len++] = '\n';
		rc = write_all(fd, buf, len);
	}
	free(cells);
	free(buf);
	return rc;
}
