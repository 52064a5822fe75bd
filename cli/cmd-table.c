/*
 * cmd-table.c - the table of flametop's subcommands, in --help order.
 */
#include "config.h"

#include <stddef.h>
#include "cmd.h"

const struct cmd cmd_table[] = {
    {"run", "run [-F HZ] [--mode cpu|wall] [--stdin] [--keep] [--interval MS] -- CMD [ARGS...]",
     "run a command under the live viewer", cmd_run},
    {"attach", "attach [--interval MS] PID", "open the live viewer on a running process",
     cmd_attach},
    {"list", "list [--clean]", "list processes that can be attached to", cmd_list},
    {"view", "view FILE", "open a recorded or folded-stack file in the viewer", cmd_view},
    {"demo", "demo [--interval MS]", "run the bundled demo under the live viewer", cmd_demo},
    {"record",
     "record [-F HZ] [--mode cpu|wall] [-d SECONDS] [-o FILE] (-p PID | -- CMD [ARGS...])",
     "record a profile as folded stacks", cmd_record},
    {"report", "report [--top N] [--json] (FILE | -p PID)", "print the top functions of a profile",
     cmd_report},
    {NULL, NULL, NULL, NULL},
};
