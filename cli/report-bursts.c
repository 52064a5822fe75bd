/*
 * report-bursts.c - report --bursts (see report-bursts.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bursts.h"
#include "cmd.h"
#include "report-bursts.h"

/* Seconds since origin of slice i's start. */
static double slice_s(uint64_t first_ns, size_t i, uint64_t origin_ns)
{
	return ((double)first_ns + (double)i * (double)BURST_SLICE_NS - (double)origin_ns) / 1e9;
}

static void print_text(const struct burst *b, size_t nb, const struct funcs *f, uint64_t first_ns,
		       uint64_t origin_ns)
{
	for (size_t i = 0; i < nb; i++) {
		const struct burst *x = &b[i];

		printf("%-4s  %9.3f-%.3f s  %5.1fx %-14s", bursts_kind_name(x->kind),
		       slice_s(first_ns, x->first, origin_ns),
		       slice_s(first_ns, x->last + 1, origin_ns), x->ratio,
		       x->kind == BURST_RATE ? "the baseline rate" : "its baseline share");
		for (size_t k = 0; k < x->ntops; k++)
			printf("%s%s (%.1fx)",
			       k ? ", " : "  over-represented: ", funcs_name(f, x->tops[k]),
			       x->tops_ratio[k]);
		putchar('\n');
	}
}

static void print_json(const struct burst *b, size_t nb, const struct funcs *f, uint64_t first_ns,
		       uint64_t origin_ns)
{
	for (size_t i = 0; i < nb; i++) {
		const struct burst *x = &b[i];

		printf("%s{\"start_s\":%.3f,\"end_s\":%.3f,\"kind\":\"%s\",\"top\":", i ? "," : "",
		       slice_s(first_ns, x->first, origin_ns),
		       slice_s(first_ns, x->last + 1, origin_ns), bursts_kind_name(x->kind));
		if (x->ntops)
			cmd_json_string(stdout, funcs_name(f, x->top));
		else
			printf("null");
		printf(",\"ratio\":%.3f,\"functions\":[", x->ratio);
		for (size_t k = 0; k < x->ntops; k++) {
			printf("%s{\"name\":", k ? "," : "");
			cmd_json_string(stdout, funcs_name(f, x->tops[k]));
			printf(",\"ratio\":%.3f}", x->tops_ratio[k]);
		}
		printf("]}");
	}
}

int report_bursts(const struct profile *p, uint64_t origin_ns, bool json)
{
	const struct funcs *f = profile_funcs((struct profile *)p);
	struct burst_config c;
	struct burst *b;
	size_t nb, ns;
	uint64_t first_ns;
	char note[160] = "";
	int rc;

	bursts_config_default(&c);
	rc = bursts_of_profile(p, &c, &b, &nb, &first_ns, &ns);
	if (rc == -ENOMEM) {
		cmd_error("out of memory");
		return 1;
	}
	if (rc == -EAGAIN)
		snprintf(note, sizeof(note),
			 "%.1f s of samples is too short for a baseline: bursts need at least "
			 "%.1f s",
			 (double)ns * (double)BURST_SLICE_NS / 1e9,
			 (double)(c.baseline_slices / 2 + c.min_slices) * (double)BURST_SLICE_NS /
			     1e9);
	else if (nb == 0)
		snprintf(note, sizeof(note),
			 "the rate and the mix of stacks stayed within their baseline over %.1f s",
			 (double)ns * (double)BURST_SLICE_NS / 1e9);
	if (json) {
		printf("{\"bursts\":[");
		print_json(b, nb, f, first_ns, origin_ns);
		printf("]");
		if (note[0]) {
			printf(",\"note\":");
			cmd_json_string(stdout, note);
		}
		printf("}\n");
	} else if (note[0]) {
		printf("no bursts: %s\n", note);
	} else {
		print_text(b, nb, f, first_ns, origin_ns);
	}
	free(b);
	return 0;
}
