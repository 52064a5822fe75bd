# tests/cmd.mk: integration tests of the command line (record, report,
# list, bad input) and the workloads they profile.
WL_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer
check_PROGRAMS += tests/wl-split tests/wl-spinsleep tests/wl-duty tests/wl-bursts
tests_wl_split_SOURCES = tests/wl-split.c
tests_wl_split_CFLAGS = $(WL_CFLAGS)
check_PROGRAMS += tests/wl-shapes
check_PROGRAMS += tests/wl-callers
tests_wl_callers_SOURCES = tests/wl-callers.c
tests_wl_callers_CFLAGS = $(WL_CFLAGS)
tests_wl_shapes_SOURCES = tests/wl-shapes.c
tests_wl_shapes_CFLAGS = $(WL_CFLAGS)
tests_wl_spinsleep_SOURCES = tests/wl-spinsleep.c
tests_wl_spinsleep_CFLAGS = $(WL_CFLAGS) -pthread
tests_wl_spinsleep_LDADD = -lpthread
tests_wl_bursts_SOURCES = tests/wl-bursts.c
tests_wl_bursts_CFLAGS = $(WL_CFLAGS)
tests_wl_duty_SOURCES = tests/wl-duty.c
tests_wl_duty_CFLAGS = $(WL_CFLAGS) -pthread
tests_wl_duty_LDADD = -lpthread
# GC events: a collector of the program's own (flametop.h, not linked
# with libflametop) and a program that dlopens libgc
check_PROGRAMS += tests/wl-gc-api tests/wl-gc-dlopen
tests_wl_gc_api_SOURCES = tests/wl-gc-api.c
tests_wl_gc_api_CPPFLAGS = $(RUNTIME_CPPFLAGS)
tests_wl_gc_api_CFLAGS = $(WL_CFLAGS)
tests_wl_gc_dlopen_SOURCES = tests/wl-gc-dlopen.c
tests_wl_gc_dlopen_CFLAGS = $(WL_CFLAGS)
tests_wl_gc_dlopen_LDADD = -ldl
if HAVE_GC
check_PROGRAMS += tests/wl-gc-chain
tests_wl_gc_chain_SOURCES = tests/wl-gc-chain.c
tests_wl_gc_chain_CFLAGS = $(WL_CFLAGS) $(GC_CFLAGS)
tests_wl_gc_chain_LDADD = $(GC_LIBS)
check_PROGRAMS += tests/wl-gc-free
tests_wl_gc_free_SOURCES = tests/wl-gc-free.c
tests_wl_gc_free_CFLAGS = $(WL_CFLAGS) $(GC_CFLAGS)
tests_wl_gc_free_LDADD = $(GC_LIBS)
endif

CMD_TESTS = tests/bad-usage.sh tests/bad-input.sh tests/rep-folded.sh \
	tests/rec-passthrough.sh tests/rec-children.sh tests/rec-split.sh tests/rec-spinsleep.sh tests/rec-halfsleep.sh \
	tests/rec-demo.sh tests/rec-python.sh tests/rec-attach.sh tests/list.sh \
	tests/rt-scope.sh tests/rec-summary.sh tests/rec-output.sh
CMD_TESTS += tests/rep-shapes.sh tests/rep-deep.sh tests/rep-bursts.sh
CMD_TESTS += tests/rep-callers.sh tests/rep-hide.sh
CMD_TESTS += tests/fmt-files.sh tests/fmt-gopprof.sh tests/rec-ftr.sh tests/fmt-fractions.sh \
	tests/fmt-sources.sh tests/fmt-others.sh
EXTRA_DIST += tests/data/goprof.go
CMD_TESTS += tests/gc-libgc.sh tests/gc-guile.sh tests/gc-api.sh tests/gc-old.sh
CMD_TESTS += tests/rec-diff.sh
TESTS += $(CMD_TESTS)
EXTRA_DIST += $(CMD_TESTS) tests/gc-lib.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/test-launch
TESTS += tests/test-launch
tests_test_launch_SOURCES = tests/test-launch.c
tests_test_launch_CFLAGS = $(TEST_CFLAGS)
tests_test_launch_LDADD = $(TEST_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/test-cli
TESTS += tests/test-cli
tests_test_cli_SOURCES = tests/test-cli.c
tests_test_cli_CFLAGS = $(TEST_CFLAGS) -DFT_MAN_PAGE='"$(abs_top_srcdir)/man/flametop.1"'
tests_test_cli_LDADD = $(CLI_LIBS) $(CMOCKA_LIBS)
endif
# report --diff of a workload before and after it moves 20% of its work
check_PROGRAMS += tests/wl-move
tests_wl_move_SOURCES = tests/wl-move.c
tests_wl_move_CFLAGS = $(WL_CFLAGS)
