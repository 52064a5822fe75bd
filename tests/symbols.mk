# tests/symbols.mk: naming beyond symbols (stripped code, JIT maps,
# inlined frames, PLT stubs); included by tests/local.mk.
SYM_TESTS = tests/rec-stripped.sh
TESTS += $(SYM_TESTS)
EXTRA_DIST += $(SYM_TESTS)

# sym-target linked with IBT PLTs (.plt.sec), for the PLT naming test
check_PROGRAMS += tests/sym-target-ibt
tests_sym_target_ibt_SOURCES = tests/sym-target.c
tests_sym_target_ibt_CFLAGS = $(AM_CFLAGS) -g0 -O1 -fcf-protection=full
tests_sym_target_ibt_LDFLAGS = -Wl,-z,ibtplt -Wl,-z,now

if HAVE_CMOCKA
check_PROGRAMS += tests/test-shorten
TESTS += tests/test-shorten
tests_test_shorten_SOURCES = tests/test-shorten.c
tests_test_shorten_CFLAGS = $(TEST_CFLAGS)
tests_test_shorten_LDADD = $(TEST_LIBS)
endif

check_PROGRAMS += tests/wl-jit
tests_wl_jit_SOURCES = tests/wl-jit.c
tests_wl_jit_CFLAGS = $(AM_CFLAGS) -O1 -g
SYM_TESTS += tests/rec-jit.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/test-jitmap
TESTS += tests/test-jitmap
tests_test_jitmap_SOURCES = tests/test-jitmap.c
tests_test_jitmap_CFLAGS = $(TEST_CFLAGS)
tests_test_jitmap_LDADD = $(TEST_LIBS)
endif

# a program that profiles itself: code inlined into one function, with
# DWARF (sym-inline), without (sym-inline-nodebug); test-symbols
# resolves its samples into inlined frames
check_PROGRAMS += tests/sym-inline tests/sym-inline-nodebug
tests_sym_inline_SOURCES = tests/sym-inline.c
tests_sym_inline_CFLAGS = $(AM_CFLAGS) -O2 -g
tests_sym_inline_nodebug_SOURCES = tests/sym-inline.c
tests_sym_inline_nodebug_CFLAGS = $(AM_CFLAGS) -O2 -g0
tests_sym_inline_nodebug_LDFLAGS = -Wl,--strip-debug

# inlined frames and hot lines of a recorded program
check_PROGRAMS += tests/wl-lines
tests_wl_lines_SOURCES = tests/wl-lines.c
tests_wl_lines_CFLAGS = $(AM_CFLAGS) -O2 -g
SYM_TESTS += tests/rec-lines.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/test-lines
TESTS += tests/test-lines
tests_test_lines_SOURCES = tests/test-lines.c
tests_test_lines_CFLAGS = $(TEST_CFLAGS)
tests_test_lines_LDADD = $(TEST_LIBS)
endif
