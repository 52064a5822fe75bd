# cli/: the flametop program: main.c dispatches to one cmd-*.c per command
# (listed in cmd-table.c).  The only folder that sees every layer.
bin_PROGRAMS += flametop
flametop_SOURCES = cli/main.c cli/cmd-table.c cli/cmd.h \
	cli/cmd-record.c cli/cmd-report.c cli/cmd-list.c \
	cli/cmd-run.c cli/cmd-attach.c cli/cmd-view.c cli/cmd-demo.c
flametop_CPPFLAGS = $(CLI_CPPFLAGS)
flametop_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(DW_CFLAGS)
flametop_LDADD = ui/libftui.a src/libftcore.a $(NCURSES_LIBS) $(DW_LIBS) $(DEMANGLE_LIBS) -lm -lrt -lpthread
