# src/cmd.mk: the command line (main.c, the headless commands) and the
# launcher, which the core library carries because cmd-run.c uses it too.
flametop_SOURCES += src/main.c src/cmd-table.c src/cmd.h \
	src/cmd-record.c src/cmd-report.c src/cmd-list.c
src_libftcore_a_SOURCES += src/launch.c src/launch.h
src_libftcore_a_CPPFLAGS = $(AM_CPPFLAGS) -DFT_PKGLIBEXECDIR='"$(pkglibexecdir)"'
