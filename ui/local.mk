# ui/: the ncurses front end; ui/tty.c is the only file that calls curses.
noinst_LIBRARIES += ui/libftui.a
ui_libftui_a_SOURCES = ui/style.h ui/style.c ui/grid.h ui/grid.c ui/keys.h ui/keys.c \
	ui/flame.h ui/flame.c ui/toptable.h ui/toptable.c ui/source-header.h ui/source-header.c \
	ui/view.h ui/view.c ui/layout.h ui/layout.c \
	ui/view-flame.c ui/view-top.c ui/view-callers.c ui/view-coros.c ui/view-waiting.c ui/view-help.c ui/view-threads.c \
	ui/view-gctime.c ui/view-findings.c ui/view-heat.c ui/view-lines.c \
	ui/pane.h ui/pane.c ui/app.h ui/app.c ui/tty.h ui/tty.c
ui_libftui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
ui_libftui_a_CPPFLAGS = $(UI_CPPFLAGS)
