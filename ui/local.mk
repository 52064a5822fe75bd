# ui/: the ncurses front end; ui/term.c is the only file that calls curses.
noinst_LIBRARIES += ui/libftui.a
ui_libftui_a_SOURCES =
ui_libftui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
