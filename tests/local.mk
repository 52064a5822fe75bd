# tests/: cmocka unit tests (test-*.c), integration and terminal tests (*.sh)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)'; top_srcdir='$(abs_top_srcdir)'; \
	FLAMETOP_BIN='$(abs_top_builddir)/flametop'; \
	export top_builddir top_srcdir FLAMETOP_BIN;
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LIBS = src/libftcore.a $(CMOCKA_LIBS) $(DW_LIBS) $(ZLIB_LIBS) $(VTERM_LIBS) $(DEMANGLE_LIBS) -lm -lrt -lpthread
EXTRA_DIST += tests/lib.sh
include tests/runtime.mk
include tests/model.mk
include tests/reader.mk
include tests/cmd.mk
include tests/ui.mk
include tests/safety.mk
include tests/symbols.mk
include tests/coro.mk
include tests/alloc.mk

if HAVE_CMOCKA
check_PROGRAMS += tests/test-demangle
TESTS += tests/test-demangle
tests_test_demangle_SOURCES = tests/test-demangle.c
tests_test_demangle_CFLAGS = $(TEST_CFLAGS)
tests_test_demangle_LDADD = $(TEST_LIBS)
endif
