# tests/model.mk: unit tests of the profile model (funcs, calltree, profile,
# top, folded); included by tests/local.mk.
check_PROGRAMS += tests/test-funcs tests/test-calltree tests/test-profile \
	tests/test-top tests/test-folded tests/test-gctimeline
TESTS += tests/test-funcs tests/test-calltree tests/test-profile \
	tests/test-top tests/test-folded tests/test-gctimeline
EXTRA_DIST += tests/data/perf-collapsed.folded
tests_test_funcs_SOURCES = tests/test-funcs.c
tests_test_funcs_CFLAGS = $(TEST_CFLAGS)
tests_test_funcs_LDADD = $(TEST_LIBS)
tests_test_calltree_SOURCES = tests/test-calltree.c
tests_test_calltree_CFLAGS = $(TEST_CFLAGS)
tests_test_calltree_LDADD = $(TEST_LIBS)
tests_test_profile_SOURCES = tests/test-profile.c
tests_test_profile_CFLAGS = $(TEST_CFLAGS)
tests_test_profile_LDADD = $(TEST_LIBS)
tests_test_top_SOURCES = tests/test-top.c
tests_test_top_CFLAGS = $(TEST_CFLAGS)
tests_test_top_LDADD = $(TEST_LIBS)
tests_test_folded_SOURCES = tests/test-folded.c
tests_test_folded_CFLAGS = $(TEST_CFLAGS) -DFT_TEST_DATA='"$(abs_top_srcdir)/tests/data"'
tests_test_folded_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-shapes
TESTS += tests/test-shapes
tests_test_shapes_SOURCES = tests/test-shapes.c
tests_test_shapes_CFLAGS = $(TEST_CFLAGS)
tests_test_shapes_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-bursts
TESTS += tests/test-bursts
tests_test_bursts_SOURCES = tests/test-bursts.c
tests_test_bursts_CFLAGS = $(TEST_CFLAGS)
tests_test_bursts_LDADD = $(TEST_LIBS)
tests_test_gctimeline_SOURCES = tests/test-gctimeline.c
tests_test_gctimeline_CFLAGS = $(TEST_CFLAGS)
tests_test_gctimeline_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-pprof
TESTS += tests/test-pprof
tests_test_pprof_SOURCES = tests/test-pprof.c
tests_test_pprof_CFLAGS = $(TEST_CFLAGS)
tests_test_pprof_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-callers
TESTS += tests/test-callers
tests_test_callers_SOURCES = tests/test-callers.c
tests_test_callers_CFLAGS = $(TEST_CFLAGS)
tests_test_callers_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-hide
TESTS += tests/test-hide
tests_test_hide_SOURCES = tests/test-hide.c
tests_test_hide_CFLAGS = $(TEST_CFLAGS)
tests_test_hide_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-difftree
TESTS += tests/test-difftree
tests_test_difftree_SOURCES = tests/test-difftree.c
tests_test_difftree_CFLAGS = $(TEST_CFLAGS)
tests_test_difftree_LDADD = $(TEST_LIBS)
