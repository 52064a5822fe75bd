# tests/reader.mk: the reader side (ring reader, segment, symbols, live);
# see tests/local.mk

# the programs test-symbols symbolizes: with DWARF, with .symtab only
# (debug sections dropped at link time, as CFLAGS may hold -g), stripped
check_PROGRAMS += tests/sym-target-g tests/sym-target-nodebug tests/sym-target-stripped
tests_sym_target_g_SOURCES = tests/sym-target.c
tests_sym_target_g_CFLAGS = $(AM_CFLAGS) -g -O1
tests_sym_target_nodebug_SOURCES = tests/sym-target.c
tests_sym_target_nodebug_CFLAGS = $(AM_CFLAGS) -g0 -O1
tests_sym_target_nodebug_LDFLAGS = -Wl,--strip-debug
tests_sym_target_stripped_SOURCES = tests/sym-target.c
tests_sym_target_stripped_CFLAGS = $(AM_CFLAGS) -g0 -O1
tests_sym_target_stripped_LDFLAGS = -s

if HAVE_CMOCKA
check_PROGRAMS += tests/test-ring tests/test-segment tests/test-symbols tests/test-live
TESTS += tests/test-ring tests/test-segment tests/test-symbols tests/test-live

tests_test_ring_SOURCES = tests/test-ring.c runtime/ring.c
tests_test_ring_CFLAGS = $(TEST_CFLAGS) $(DW_CFLAGS) -I$(top_srcdir)/runtime
tests_test_ring_LDADD = $(TEST_LIBS)

tests_test_segment_SOURCES = tests/test-segment.c runtime/ring.c
tests_test_segment_CFLAGS = $(TEST_CFLAGS) $(DW_CFLAGS) -I$(top_srcdir)/runtime
tests_test_segment_LDADD = $(TEST_LIBS)

tests_test_symbols_SOURCES = tests/test-symbols.c
tests_test_symbols_CFLAGS = $(TEST_CFLAGS) $(DW_CFLAGS)
tests_test_symbols_LDADD = $(TEST_LIBS)

tests_test_live_SOURCES = tests/test-live.c runtime/ring.c
tests_test_live_CFLAGS = $(TEST_CFLAGS) $(DW_CFLAGS) -I$(top_srcdir)/runtime
tests_test_live_LDADD = $(TEST_LIBS)
endif
