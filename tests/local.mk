# tests/: cmocka unit tests (test-*.c), integration and terminal tests (*.sh)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)'; top_srcdir='$(abs_top_srcdir)'; \
	FLAMETOP_BIN='$(abs_top_builddir)/flametop'; \
	export top_builddir top_srcdir FLAMETOP_BIN;
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LIBS = src/libftcore.a $(CMOCKA_LIBS) $(DW_LIBS) -lm -lrt -lpthread
EXTRA_DIST += tests/lib.sh
include tests/runtime.mk
include tests/model.mk
include tests/reader.mk
include tests/cmd.mk
include tests/ui.mk
