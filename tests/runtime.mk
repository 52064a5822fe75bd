# tests/runtime.mk: the runtime's end-to-end tests (see tests/local.mk).
# rt-work is the workload run with libflametop preloaded; rt-work-linked is
# the same program linked with -lflametop.
if HAVE_CMOCKA
check_PROGRAMS += tests/test-runtime tests/rt-work tests/rt-work-linked
TESTS += tests/test-runtime
tests_test_runtime_SOURCES = tests/test-runtime.c
tests_test_runtime_CFLAGS = $(TEST_CFLAGS)
tests_test_runtime_LDADD = $(CMOCKA_LIBS) -lrt
tests_test_runtime_DEPENDENCIES = runtime/libflametop.la tests/rt-work tests/rt-work-linked \
	tests/wl-target
endif
RT_WORK_CFLAGS = $(AM_CFLAGS) -O1 -fno-omit-frame-pointer -pthread
tests_rt_work_SOURCES = tests/rt-work.c
tests_rt_work_CFLAGS = $(RT_WORK_CFLAGS)
tests_rt_work_LDADD = -ldl -lpthread
tests_rt_work_linked_SOURCES = tests/rt-work.c
tests_rt_work_linked_CFLAGS = $(RT_WORK_CFLAGS) -DRT_WORK_LINKED
tests_rt_work_linked_LDFLAGS = -no-install
tests_rt_work_linked_LDADD = runtime/libflametop.la -ldl -lpthread
# wl-target: programs as people write them (blocking calls, small stacks,
# a daemon), built as a distribution builds: -O2, no frame pointers
check_PROGRAMS += tests/wl-target
tests_wl_target_SOURCES = tests/wl-target.c
tests_wl_target_CFLAGS = $(AM_CFLAGS) -O2 -g -fomit-frame-pointer -pthread
tests_wl_target_LDADD = -lpthread
