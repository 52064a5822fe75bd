# tests/coro.mk: coroutines and labels (see tests/local.mk).  The
# workloads are built with frame pointers so their stacks are exact; the
# API workload includes runtime/flametop.h and is not linked with the
# runtime (its calls bind to the preloaded one).
CORO_WL_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer
check_PROGRAMS += tests/wl-coro-api tests/wl-coro-park
tests_wl_coro_api_SOURCES = tests/wl-coro-api.c
tests_wl_coro_api_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runtime
tests_wl_coro_api_CFLAGS = $(CORO_WL_CFLAGS)
tests_wl_coro_park_SOURCES = tests/wl-coro-park.c
tests_wl_coro_park_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runtime
tests_wl_coro_park_CFLAGS = $(CORO_WL_CFLAGS)
if HAVE_PTH
check_PROGRAMS += tests/wl-pth
tests_wl_pth_SOURCES = tests/wl-pth.c
tests_wl_pth_CFLAGS = $(CORO_WL_CFLAGS)
tests_wl_pth_LDADD = -lpth
endif
TESTS += tests/coro-pipeline.sh tests/coro-api.sh tests/coro-parked.sh tests/coro-churn.sh \
	tests/coro-many.sh tests/coro-pth.sh tests/coro-bad.sh
EXTRA_DIST += tests/coro-pipeline.sh tests/coro-api.sh tests/coro-parked.sh \
	tests/coro-churn.sh tests/coro-many.sh tests/coro-pth.sh tests/coro-bad.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/test-group
TESTS += tests/test-group
tests_test_group_SOURCES = tests/test-group.c
tests_test_group_CFLAGS = $(TEST_CFLAGS)
tests_test_group_LDADD = $(TEST_LIBS)
endif

# the runtime's coroutine table and labels, on memory of the test's own
if HAVE_CMOCKA
check_PROGRAMS += tests/test-coro
TESTS += tests/test-coro
tests_test_coro_SOURCES = tests/test-coro.c runtime/coro.c runtime/labels.c
tests_test_coro_CPPFLAGS = $(RUNTIME_CPPFLAGS)
tests_test_coro_CFLAGS = $(TEST_CFLAGS)
tests_test_coro_LDADD = $(CMOCKA_LIBS) -lrt -lpthread
endif
