# tests/runtime.mk: the runtime's end-to-end tests (see tests/local.mk).
# rt-work is the workload run with libflametop preloaded; rt-work-linked is
# the same program linked with -lflametop.
if HAVE_CMOCKA
check_PROGRAMS += tests/test-runtime tests/rt-work tests/rt-work-linked
TESTS += tests/test-runtime
tests_test_runtime_SOURCES = tests/test-runtime.c
tests_test_runtime_CFLAGS = $(TEST_CFLAGS)
tests_test_runtime_LDADD = $(CMOCKA_LIBS) -lrt
tests_test_runtime_DEPENDENCIES = runtime/libflametop.la tests/rt-work tests/rt-work-linked
endif
RT_WORK_CFLAGS = $(AM_CFLAGS) -O1 -fno-omit-frame-pointer -pthread
tests_rt_work_SOURCES = tests/rt-work.c
tests_rt_work_CFLAGS = $(RT_WORK_CFLAGS)
tests_rt_work_LDADD = -ldl -lpthread
tests_rt_work_linked_SOURCES = tests/rt-work.c
tests_rt_work_linked_CFLAGS = $(RT_WORK_CFLAGS) -DRT_WORK_LINKED
tests_rt_work_linked_LDFLAGS = -no-install
tests_rt_work_linked_LDADD = runtime/libflametop.la -ldl -lpthread
