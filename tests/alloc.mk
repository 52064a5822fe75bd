# tests/alloc.mk: allocation sampling: the sampler's statistics and the
# tables of live sampled blocks (unit), real programs that allocate under
# the runtime (integration).  Included by tests/local.mk.
check_PROGRAMS += tests/wl-alloc
tests_wl_alloc_SOURCES = tests/wl-alloc.c
tests_wl_alloc_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer -pthread
tests_wl_alloc_LDADD = -lpthread
ALLOC_TESTS = tests/alloc-sites.sh tests/alloc-safety.sh tests/alloc-gc.sh
TESTS += $(ALLOC_TESTS)
EXTRA_DIST += $(ALLOC_TESTS) tests/alloc-lib.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/test-alloc
TESTS += tests/test-alloc
tests_test_alloc_SOURCES = tests/test-alloc.c runtime/alloc-stat.c runtime/alloc-live.c
tests_test_alloc_CFLAGS = $(TEST_CFLAGS) $(DW_CFLAGS) -I$(top_srcdir)/runtime
tests_test_alloc_LDADD = $(TEST_LIBS)
endif
