# src/: the core library (attaching and reading segments, symbols, the
# profile model, formats, live profiling; no curses, never prints).  It is
# compiled with the runtime's and its own headers only.
noinst_LIBRARIES += src/libftcore.a
src_libftcore_a_SOURCES = src/funcs.h src/calltree.h src/profile.h src/top.h \
	src/folded.h src/segment.h src/symbols.h src/live.h \
	src/demangle.h src/demangle.c src/util.h src/util.c src/session.h src/session.c \
	src/launch.c src/launch.h src/source.h src/source.c src/unit.h src/unit.c \
	src/vtpane.h src/vtpane.c
src_libftcore_a_CPPFLAGS = $(CORE_CPPFLAGS) -DFT_PKGLIBEXECDIR='"$(pkglibexecdir)"'
src_libftcore_a_CFLAGS = $(AM_CFLAGS) $(DW_CFLAGS) $(ZLIB_CFLAGS) $(VTERM_CFLAGS)
include src/model.mk
include src/reader.mk
include src/symbols.mk
