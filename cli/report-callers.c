/*
 * report-callers.c - report --callers FUNC: a function's callers and
 * callees, merged across every place it is called from (callers.h).
 *
 *   callers of work [prog]: 100.0% of the total (1200 samples), self 98.7%
 *    TOTAL%  CALLER (nearest first; below each, its own callers)
 *     50.2%  caller_a [prog]
 *     50.2%    main [prog]
 *   ...
 *   callees of work [prog]:
 *    TOTAL%   SELF%  CALLEE
 *      1.3%    1.3%  helper [prog]
 *
 * Shares are of the whole profile.  --top N limits each list to N rows;
 * --json prints the same as one object with flat lists (a "level" says
 * how far each row is from the function).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "callers.h"
#include "cmd.h"
#include "util.h"

#define MAX_IDS 64

static uint64_t value(const struct ctnode *x, bool by_count, bool self)
{
	if (by_count)
		return self ? x->self_count : x->total_count;
	return self ? x->self_weight : x->total_weight;
}

static void print_name(const struct funcs *f, uint32_t func)
{
	const char *mod = funcs_module(f, func);

	printf("%s", funcs_name(f, func));
	if (mod && *mod)
		printf(" [%s]", util_base_name(mod));
}

static void print_rows(const struct callers_row *rows, long n, const struct funcs *f, bool by_count,
		       uint64_t all, bool selves)
{
	for (long i = 0; i < n; i++) {
		const struct ctnode *x = rows[i].node;

		printf(" %5.1f%%  ", util_pct(value(x, by_count, false), all));
		if (selves)
			printf("%5.1f%%  ", util_pct(value(x, by_count, true), all));
		printf("%*s", (int)(2 * (rows[i].level - 1) < 60 ? 2 * (rows[i].level - 1) : 60),
		       "");
		print_name(f, x->func);
		putchar('\n');
	}
}

static void json_rows(const char *key, const struct callers_row *rows, long n,
		      const struct funcs *f, bool by_count, uint64_t all)
{
	printf(",\"%s\":[", key);
	for (long i = 0; i < n; i++) {
		const struct ctnode *x = rows[i].node;

		printf("%s{\"name\":", i ? "," : "");
		cmd_json_string(stdout, funcs_name(f, x->func));
		printf(",\"module\":");
		cmd_json_string(stdout, funcs_module(f, x->func));
		printf(",\"level\":%u,\"total\":%llu,\"self\":%llu,\"total_pct\":%.2f,"
		       "\"self_pct\":%.2f}",
		       rows[i].level, (unsigned long long)value(x, by_count, false),
		       (unsigned long long)value(x, by_count, true),
		       util_pct(value(x, by_count, false), all),
		       util_pct(value(x, by_count, true), all));
	}
	putchar(']');
}

int report_callers(const char *name, struct calltree *t, const struct funcs *f, bool by_count,
		   size_t top, bool json)
{
	uint32_t ids[MAX_IDS];
	size_t nids = callers_lookup(f, name, ids, MAX_IDS);
	struct callers c;
	struct callers_row *up = NULL, *down = NULL;
	long nup, ndown;
	const struct ctnode *fn;
	uint64_t all;
	int ret = 1;

	if (nids == 0) {
		cmd_error(
		    "cannot show the callers of '%s': no function of that name in the profile",
		    name);
		return 1;
	}
	if (callers_compute(&c, t, ids, nids < MAX_IDS ? nids : MAX_IDS) < 0) {
		cmd_error("out of memory");
		return 1;
	}
	nup = callers_rows(c.up, by_count, top, &up);
	ndown = callers_rows(c.down, by_count, top, &down);
	if (nup < 0 || ndown < 0) {
		cmd_error("out of memory");
		goto out;
	}
	fn = callers_node(c.down);
	all = by_count ? c.all_count : c.all_weight;
	if (json) {
		printf("{\"function\":");
		cmd_json_string(stdout, name);
		printf(",\"modules\":%zu,\"all\":%llu,\"total\":%llu,\"self\":%llu,"
		       "\"total_pct\":%.2f,\"self_pct\":%.2f",
		       nids, (unsigned long long)all,
		       (unsigned long long)value(fn, by_count, false),
		       (unsigned long long)value(fn, by_count, true),
		       util_pct(value(fn, by_count, false), all),
		       util_pct(value(fn, by_count, true), all));
		json_rows("callers", up, nup, f, by_count, all);
		json_rows("callees", down, ndown, f, by_count, all);
		printf("}\n");
		ret = 0;
		goto out;
	}
	printf("callers of ");
	print_name(f, c.func);
	if (nids > 1)
		printf(" (and %zu more of that name)", nids - 1);
	printf(": %.1f%% of the total (%llu samples), self %.1f%%\n",
	       util_pct(value(fn, by_count, false), all), (unsigned long long)fn->total_count,
	       util_pct(value(fn, by_count, true), all));
	if (nup == 0)
		printf("  (none: it is always the outermost frame)\n");
	else
		printf(" TOTAL%%  CALLER (nearest first; below each, its own callers)\n");
	print_rows(up, nup, f, by_count, all, false);
	printf("callees of ");
	print_name(f, c.func);
	printf(":\n");
	if (ndown == 0)
		printf("  (none: it calls nothing that was sampled)\n");
	else
		printf(" TOTAL%%   SELF%%  CALLEE (below each, its own callees)\n");
	print_rows(down, ndown, f, by_count, all, true);
	ret = 0;
out:
	free(up);
	free(down);
	callers_release(&c);
	return ret;
}
