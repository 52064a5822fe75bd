/*
 * view.c - the registry of views: every view the screen has, main views
 * in the order Tab visits them, then the strips stacked with them.  A
 * new view is one file (view-NAME.c, exporting view_NAME_ops) and one
 * line here.
 */
#include "config.h"

#include <stddef.h>

#include "view.h"

const struct view_ops *const view_registry[] = {
    &view_flame_ops,	&view_top_ops,	&view_callers_ops, &view_coros_ops,  &view_waiting_ops,
    &view_findings_ops, &view_heat_ops, &view_lines_ops, &view_gclist_ops,  &view_gctime_ops, NULL,
};
