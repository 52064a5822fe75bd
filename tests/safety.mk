# tests/safety.mk: the target behaves as it does without flametop:
# descriptors, hostile segments, planted names, start cost, viewers.
check_PROGRAMS += tests/wl-daemon
# no unwind tables: the unwinder guesses these frames and checks memory
tests_wl_daemon_SOURCES = tests/wl-daemon.c
tests_wl_daemon_CFLAGS = $(AM_CFLAGS) -O1 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -pthread
tests_wl_daemon_LDADD = -lpthread

# the runtime used in a process's first instants, before anyone watches
check_PROGRAMS += tests/wl-start
tests_wl_start_SOURCES = tests/wl-start.c
tests_wl_start_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer

SAFETY_TESTS = tests/rt-fds.sh tests/rt-viewers.sh tests/rt-planted.sh tests/rt-container.sh \
	tests/rt-start.sh
TESTS += $(SAFETY_TESTS)
EXTRA_DIST += $(SAFETY_TESTS)

# a segment rewritten with hostile values while its target runs
check_PROGRAMS += tests/rt-hostile
TESTS += tests/rt-hostile
tests_rt_hostile_SOURCES = tests/rt-hostile.c
tests_rt_hostile_CFLAGS = $(AM_CFLAGS)
