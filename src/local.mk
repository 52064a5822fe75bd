# src/: the core library (model, reader, symbols, formats; no curses, never
# prints) and the flametop program (main.c dispatches to cmd-*.c).
noinst_LIBRARIES += src/libftcore.a
src_libftcore_a_SOURCES = src/funcs.h src/calltree.h src/profile.h src/top.h \
	src/folded.h src/segment.h src/symbols.h src/live.h \
	src/demangle.h src/demangle.c
src_libftcore_a_CFLAGS = $(AM_CFLAGS) $(DW_CFLAGS)
include src/model.mk
include src/reader.mk

bin_PROGRAMS += flametop
flametop_SOURCES =
flametop_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(DW_CFLAGS)
flametop_LDADD = ui/libftui.a src/libftcore.a $(NCURSES_LIBS) $(DW_LIBS) $(DEMANGLE_LIBS) -lm -lrt -lpthread
include src/cmd.mk
