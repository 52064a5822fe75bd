# tests/ui.mk: the viewer: grid and flame graph unit tests (no terminal),
# top table and key table, and terminal tests driven in tmux.
if HAVE_CMOCKA
check_PROGRAMS += tests/test-flameview tests/test-ui-table tests/test-ui-screen \
	tests/test-ui-gctime
TESTS += tests/test-flameview tests/test-ui-table tests/test-ui-screen tests/test-ui-gctime
tests_test_flameview_SOURCES = tests/test-flameview.c
tests_test_flameview_CFLAGS = $(TEST_CFLAGS)
tests_test_flameview_LDADD = ui/libftui.a $(TEST_LIBS) $(NCURSES_LIBS)
tests_test_ui_table_SOURCES = tests/test-ui-table.c
tests_test_ui_table_CFLAGS = $(TEST_CFLAGS)
tests_test_ui_table_LDADD = ui/libftui.a $(TEST_LIBS) $(NCURSES_LIBS)
tests_test_ui_screen_SOURCES = tests/test-ui-screen.c
tests_test_ui_screen_CFLAGS = $(TEST_CFLAGS)
tests_test_ui_screen_LDADD = ui/libftui.a $(TEST_LIBS) $(NCURSES_LIBS)
tests_test_ui_gctime_SOURCES = tests/test-ui-gctime.c
tests_test_ui_gctime_CFLAGS = $(TEST_CFLAGS)
tests_test_ui_gctime_LDADD = ui/libftui.a $(TEST_LIBS) $(NCURSES_LIBS)
endif
UI_TESTS = tests/ui-view.sh tests/ui-weight.sh tests/ui-deep.sh tests/ui-wide.sh tests/ui-coros.sh tests/ui-run.sh \
	tests/ui-attach.sh tests/ui-gc.sh tests/ui-shapes.sh tests/ui-heat.sh tests/ui-bursts.sh tests/ui-trend.sh tests/ui-group.sh tests/ui-callers.sh tests/ui-lines.sh
UI_TESTS += tests/ui-diff.sh
UI_TESTS += tests/ui-replay.sh
UI_TESTS += tests/ui-term.sh
TESTS += $(UI_TESTS)
EXTRA_DIST += tests/ui-lib.sh $(UI_TESTS)
# a workload with a known hot function, for the live terminal tests
check_PROGRAMS += tests/ui-wl
tests_ui_wl_SOURCES = tests/ui-wl.c
tests_ui_wl_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer
# a workload that uses its terminal (prompts, colours, /dev/tty)
check_PROGRAMS += tests/wl-term
tests_wl_term_SOURCES = tests/wl-term.c
# the target's terminal (src/vtpane.c), without a viewer
if HAVE_CMOCKA
check_PROGRAMS += tests/test-vtpane
TESTS += tests/test-vtpane
tests_test_vtpane_SOURCES = tests/test-vtpane.c
tests_test_vtpane_CFLAGS = $(TEST_CFLAGS)
tests_test_vtpane_LDADD = $(TEST_LIBS)
endif
