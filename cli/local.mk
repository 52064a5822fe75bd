# cli/: the flametop program: main.c dispatches to one cmd-*.c per command
# (listed in cmd-table.c).  The only folder that sees every layer.  The
# commands are a library too, so tests can walk their option tables.
noinst_LIBRARIES += cli/libftcli.a
cli_libftcli_a_SOURCES = cli/cmd.h cli/cmd-table.c cli/options.c cli/messages.c cli/outfile.h cli/outfile.c \
	cli/cmd-record.c cli/cmd-report.c cli/report-callers.c cli/cmd-list.c \
	cli/cmd-run.c cli/cmd-attach.c cli/cmd-view.c cli/cmd-diff.c cli/cmd-demo.c \
	cli/cmd-group.c cli/cmd-hide.c cli/cmd-coros.c \
	cli/cmd-gctrace.c cli/gclog.c cli/segments.h cli/segments.c cli/cmd-convert.c \
	cli/report-lines.h cli/report-lines.c cli/report-bursts.h cli/report-bursts.c
cli_libftcli_a_CPPFLAGS = $(CLI_CPPFLAGS)
cli_libftcli_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(DW_CFLAGS)
CLI_LIBS = cli/libftcli.a ui/libftui.a src/libftcore.a $(NCURSES_LIBS) $(DW_LIBS) $(ZLIB_LIBS) $(VTERM_LIBS) \
	$(DEMANGLE_LIBS) -lm -lrt -lpthread

bin_PROGRAMS += flametop
flametop_SOURCES = cli/main.c
flametop_CPPFLAGS = $(CLI_CPPFLAGS)
flametop_LDADD = $(CLI_LIBS)
