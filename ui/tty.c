/*
 * tty.c - the terminal writer (see tty.h); the only file that includes
 * curses.
 *
 * Colour pairs are numbered by purpose (pair = enum col + 1).  A grid is
 * copied cell by cell into stdscr and shown with one refresh, so curses
 * sends only what changed: no flicker.  Signal handlers only set a flag,
 * except the fatal-signal handler, which writes the terminal back to its
 * first state (saved termios, normal screen, visible cursor) with
 * async-signal-safe calls and re-raises.
 */
#include "config.h"

#include <curses.h>
/* ncurses' term.h (setupterm), under its own directory */
#if defined(__has_include) && __has_include(<ncursesw/term.h>)
#include <ncursesw/term.h>
#else
#include <ncurses/term.h>
#endif
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "style.h"
#include "tty.h"

static bool started;
static bool utf8;
static enum tty_colors ncolors;
static struct termios saved_tios;
static bool have_tios;
/* the keyboard: standard input, or /dev/tty when the profile came on it */
static int in_fd = STDIN_FILENO;
static FILE *in_tty;
static volatile sig_atomic_t quit_flag;
static struct sigaction old_fatal[32];
static volatile sig_atomic_t fatal_pid;

static const int fatal_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

static void on_quit_signal(int sig)
{
	(void)sig;
	quit_flag = 1;
}

static void on_fatal_signal(int sig)
{
	static const char restore[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m"
				      "\033[?25h\033[?1049l\r\n";
	ssize_t unused;

	if (fatal_pid > 0)
		kill((pid_t)fatal_pid, SIGTERM);
	if (started) {
		if (have_tios)
			tcsetattr(in_fd, TCSANOW, &saved_tios);
		unused = write(STDOUT_FILENO, restore, sizeof(restore) - 1);
		(void)unused;
	}
	sigaction(sig, &old_fatal[sig], NULL);
	raise(sig);
}

/* The 256-colour hot palette (FlameGraph's "hot": red .. yellow). */
static const short hot256[COL_FRAME_SHADES] = {
    196, 202, 208, 214, 220, 160, 166, 172, 178, 203, 209, 215, 221, 167, 173, 179,
};

static void init_colors(void)
{
	const char *nc = getenv("NO_COLOR");
	int i;

	ncolors = TERM_MONO;
	if ((nc && *nc) || !has_colors())
		return;
	if (start_color() == ERR)
		return;
	use_default_colors();
	ncolors = COLORS >= 256 ? TERM_256 : TERM_8;
	init_pair(COL_HEADER + 1, COLOR_BLACK, COLOR_CYAN);
	init_pair(COL_STATUS + 1, COLOR_WHITE, COLOR_BLUE);
	init_pair(COL_NOTICE + 1, COLOR_BLACK, COLOR_YELLOW);
	init_pair(COL_ERROR + 1, COLOR_WHITE, COLOR_RED);
	init_pair(COL_PROMPT + 1, -1, -1);
	init_pair(COL_SELECTED + 1, COLOR_WHITE, COLOR_BLUE);
	init_pair(COL_MATCH + 1, COLOR_WHITE, COLOR_MAGENTA);
	init_pair(COL_MERGED + 1, ncolors == TERM_256 ? 244 : COLOR_WHITE, -1);
	init_pair(COL_HELP + 1, COLOR_BLACK, COLOR_WHITE);
	init_pair(COL_HELP_KEY + 1, COLOR_BLUE, COLOR_WHITE);
	init_pair(COL_TABLE_HEAD + 1, COLOR_BLACK, COLOR_CYAN);
	init_pair(COL_PANE + 1, COLOR_BLACK, COLOR_GREEN);
	/* muted: grey, the hot shades stay for the zoomed subtree */
	if (ncolors == TERM_256)
		init_pair(COL_FRAME_ANCESTOR + 1, 252, 240);
	else
		init_pair(COL_FRAME_ANCESTOR + 1, COLOR_WHITE, COLOR_BLACK);
	/* a differential graph: reds for more, blues for less, faint to
	 * strong; grey for the same (8 colours: one red, one blue) */
	for (i = 0; i < COL_DIFF_SHADES; i++) {
		static const short more256[COL_DIFF_SHADES] = {224, 210, 203, 196};
		static const short less256[COL_DIFF_SHADES] = {153, 111, 69, 27};

		init_pair(COL_DIFF_MORE + i + 1,
			  ncolors == TERM_256 && i < 3 ? COLOR_BLACK : COLOR_WHITE,
			  ncolors == TERM_256 ? more256[i] : COLOR_RED);
		init_pair(COL_DIFF_LESS + i + 1,
			  ncolors == TERM_256 && i < 2 ? COLOR_BLACK : COLOR_WHITE,
			  ncolors == TERM_256 ? less256[i] : COLOR_BLUE);
	}
	init_pair(COL_DIFF_SAME + 1, COLOR_BLACK, ncolors == TERM_256 ? 250 : COLOR_WHITE);
	/* the target's colours, as far as the terminal has pairs */
	for (i = 0; i < 81 && COL_TERM + i + 1 < COLOR_PAIRS; i++)
		init_pair(COL_TERM + i + 1, i / 9 ? i / 9 - 1 : -1, i % 9 ? i % 9 - 1 : -1);
	for (i = 0; i < COL_FRAME_SHADES; i++) {
		if (ncolors == TERM_256)
			init_pair(COL_FRAME_HOT + i + 1, COLOR_BLACK, hot256[i]);
		else
			init_pair(COL_FRAME_HOT + i + 1, COLOR_BLACK,
				  i % 2 ? COLOR_YELLOW : COLOR_RED);
	}
}

int tty_check(char *err, size_t errlen)
{
	const char *term = getenv("TERM") ? getenv("TERM") : "";
	const char *cup;
	int errret = 0;

	if (!isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "standard output must be a terminal");
		return -1;
	}
	/* a terminal without cursor addressing (TERM=dumb) would get
	 * garbage: refuse before anything is written to it */
	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK) {
		snprintf(err, errlen, "cannot open the terminal (TERM=%s)", term);
		return -1;
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	if (!cup || cup == (const char *)-1) {
		snprintf(err, errlen,
			 "terminal '%s' cannot show the viewer (needs cursor movement)", term);
		return -1;
	}
	return 0;
}

int tty_start(char *err, size_t errlen)
{
	struct sigaction sa;
	const char *cs;
	size_t i;

	if (tty_check(err, errlen) < 0)
		return -1;
	if (!isatty(STDIN_FILENO)) {
		/* `view -`: the profile came on standard input; keys come from
		 * the terminal, as with less */
		in_tty = fopen("/dev/tty", "re");
		if (!in_tty) {
			snprintf(err, errlen, "standard input is not a terminal and /dev/tty: %s",
				 strerror(errno));
			return -1;
		}
		in_fd = fileno(in_tty);
	}
	if (tcgetattr(in_fd, &saved_tios) == 0)
		have_tios = true;
	cs = nl_langinfo(CODESET);
	utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	set_escdelay(25);
	if (!newterm(NULL, stdout, in_tty ? in_tty : stdin)) {
		snprintf(err, errlen, "cannot open the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	started = true;
	raw(); /* C-c is a key: the target in our process group must not get SIGINT */
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	init_colors();
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		  NULL);
	mouseinterval(200);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[fatal_signals[i]]);
	atexit(tty_end);
	return 0;
}

void tty_end(void)
{
	if (!started)
		return;
	started = false;
	curs_set(1);
	endwin();
	fflush(stdout);
}

void tty_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

bool term_utf8(void)
{
	return utf8;
}

enum tty_colors tty_colors(void)
{
	return ncolors;
}

static attr_t cell_attrs(const struct cell *c, short *pair)
{
	attr_t a = 0;

	*pair = 0;
	if (c->col >= COL_TERM && c->col < COL_COUNT) {
		/* the target's terminal: its colours where there are pairs
		 * for them, else reverse video for a coloured background */
		bool bg = (c->col - COL_TERM) % 9 != 0;

		if (ncolors != TERM_MONO && c->col + 1 < COLOR_PAIRS)
			*pair = (short)(c->col + 1);
		else if (bg)
			a ^= A_REVERSE;
		if (c->attr & ATTR_REVERSE)
			a ^= A_REVERSE;
		if (c->attr & ATTR_BOLD)
			a |= A_BOLD;
		if (c->attr & ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		return a;
	}
	if (ncolors != TERM_MONO) {
		if (c->col != COL_DEFAULT && c->col < COL_COUNT)
			*pair = (short)(c->col + 1);
		if (c->attr & ATTR_BOLD)
			a |= A_BOLD;
		if (c->attr & ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (c->col == COL_FRAME_ANCESTOR && ncolors != TERM_256)
			a |= A_DIM;
		/* 8 colours have one red and one blue: strong changes bold */
		if (ncolors != TERM_256 && c->col >= COL_DIFF_MORE && c->col < COL_DIFF_SAME &&
		    (c->col - COL_DIFF_MORE) % COL_DIFF_SHADES >= COL_DIFF_SHADES / 2)
			a |= A_BOLD;
		/* the selection has its own colour; reverse only without colour */
		return a;
	}
	/* monochrome: reverse for the selection and bars, bold + underline
	 * for matches */
	if (c->attr & ATTR_REVERSE)
		a |= A_REVERSE;
	if (c->attr & ATTR_BOLD)
		a |= A_BOLD;
	if (c->attr & ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	switch (c->col) {
	case COL_HEADER:
	case COL_STATUS:
	case COL_TABLE_HEAD:
	case COL_PANE:
	case COL_HELP:
	case COL_ERROR:
	case COL_NOTICE:
		a |= A_REVERSE;
		break;
	case COL_MATCH:
		a |= A_BOLD | A_UNDERLINE;
		break;
	case COL_FRAME_ANCESTOR:
		a |= A_DIM; /* the callers of the zoomed frame: muted */
		break;
	default:
		break;
	}
	return a;
}

void tty_draw(const struct grid *g)
{
	int x, y, w, h;

	getmaxyx(stdscr, h, w);
	for (y = 0; y < g->h && y < h; y++) {
		for (x = 0; x < g->w && x < w; x++) {
			const struct cell *c = grid_cat(g, x, y);
			wchar_t wc[2] = {(wchar_t)c->ch, 0};
			cchar_t cc;
			short pair;
			attr_t a = cell_attrs(c, &pair);

			if (c->ch == 0) /* drawn by the wide character before */
				continue;
			if (!utf8 && c->ch >= 0x80)
				wc[0] = '?';
			setcchar(&cc, wc, a, pair, NULL);
			/* the bottom-right cell: writing it may scroll; curses
			 * handles it with mvadd_wch */
			mvadd_wch(y, x, &cc);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}

bool tty_wait(int timeout_ms, int fd)
{
	struct pollfd p[2] = {{.fd = in_fd, .events = POLLIN}, {.fd = fd, .events = POLLIN}};
	int rc;

	if (timeout_ms < 0)
		timeout_ms = 0;
	rc = poll(p, fd >= 0 ? 2 : 1, timeout_ms);
	return rc > 0 || (rc < 0 && errno == EINTR);
}

/* One event: 1, 0 when there is none to read, -1 for one the viewer
 * ignores (an unknown key, a mouse release). */
static int read_event(struct ui_event *ev)
{
	wint_t wch;
	int rc;
	MEVENT me;

	memset(ev, 0, sizeof(*ev));
	rc = wget_wch(stdscr, &wch);
	if (rc == ERR)
		return 0;
	if (rc == OK) {
		switch (wch) {
		case '\r':
		case '\n':
			ev->key = K_ENTER;
			break;
		case 27:
			ev->key = K_ESC;
			break;
		case 127:
		case 8:
			ev->key = K_BACKSPACE;
			break;
		case '\t':
			ev->key = K_TAB;
			break;
		default:
			ev->key = (int)wch;
		}
		return 1;
	}
	switch (wch) {
	case KEY_UP:
		ev->key = K_UP;
		break;
	case KEY_DOWN:
		ev->key = K_DOWN;
		break;
	case KEY_LEFT:
		ev->key = K_LEFT;
		break;
	case KEY_RIGHT:
		ev->key = K_RIGHT;
		break;
	case KEY_ENTER:
		ev->key = K_ENTER;
		break;
	case KEY_BACKSPACE:
		ev->key = K_BACKSPACE;
		break;
	case KEY_BTAB:
		ev->key = K_BTAB;
		break;
	case KEY_HOME:
		ev->key = K_HOME;
		break;
	case KEY_END:
		ev->key = K_END;
		break;
	case KEY_PPAGE:
		ev->key = K_PGUP;
		break;
	case KEY_NPAGE:
		ev->key = K_PGDN;
		break;
	case KEY_DC:
		ev->key = K_DEL;
		break;
	case KEY_F(1):
		ev->key = K_F1;
		break;
	case KEY_RESIZE:
		ev->key = K_RESIZE;
		break;
	case KEY_MOUSE:
		if (getmouse(&me) != OK)
			return -1;
		ev->key = K_MOUSE;
		ev->mx = me.x;
		ev->my = me.y;
		if (me.bstate & BUTTON1_DOUBLE_CLICKED)
			ev->mouse = MOUSE_DOUBLE;
		else if (me.bstate & BUTTON1_CLICKED)
			ev->mouse = MOUSE_CLICK;
		else if (me.bstate & BUTTON4_PRESSED)
			ev->mouse = MOUSE_WHEEL_UP;
		else if (me.bstate & BUTTON5_PRESSED)
			ev->mouse = MOUSE_WHEEL_DOWN;
		else
			return -1;
		break;
	default:
		return -1;
	}
	return 1;
}

bool tty_read(struct ui_event *ev)
{
	int rc;

	/* ignored events are skipped in a loop: a flood of them (a paste of
	 * unknown keys) must not recurse once each */
	while ((rc = read_event(ev)) < 0)
		;
	return rc > 0;
}

void tty_set_fatal_pid(int pid)
{
	fatal_pid = pid;
}

bool tty_quit_requested(void)
{
	return quit_flag != 0;
}
