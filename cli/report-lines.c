/*
 * report-lines.c - report --lines FUNC: a function's hot source lines.
 *
 * The rows come from the live source's line histogram (lines.h): the
 * self samples of the function, by the line of their leaf pc.  A source
 * file is read once, when its first row is printed; one that cannot be
 * read leaves its rows without text and says why once.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report-lines.h"
#include "util.h"

#define INLINED_SUFFIX " (inlined)"
#define TEXT_MAX 160 /* columns of a line's text shown */

/* Whether id is the function name: itself or inlined. */
static bool is_named(const struct funcs *f, uint32_t id, const char *name)
{
	const char *n = funcs_name(f, id);
	size_t len = strlen(name);

	return !strcmp(n, name) || (!strncmp(n, name, len) && !strcmp(n + len, INLINED_SUFFIX));
}

static uint64_t row_value(const struct lines_row *r, enum unit unit)
{
	return unit == UNIT_SAMPLES ? r->count : r->weight;
}

/* value in the column's unit: ms, KiB, or a count */
static unsigned long long column(uint64_t v, enum unit unit)
{
	return unit == UNIT_NS ? v / 1000000 : unit == UNIT_BYTES ? v / 1024 : v;
}

static const char *column_name(enum unit unit)
{
	return unit == UNIT_NS	      ? "SELF_MS"
	       : unit == UNIT_BYTES   ? "SELF_KB"
	       : unit == UNIT_OBJECTS ? "OBJECTS"
				      : "SAMPLES";
}

/* Prints a source line: tabs expanded, control bytes as '?', at most
 * TEXT_MAX columns. */
static void print_text(const char *s, size_t len)
{
	int col = 0;

	for (size_t i = 0; i < len && col < TEXT_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t') {
			do
				putchar(' ');
			while (++col % 8);
			continue;
		}
		putchar(c < 0x20 || c == 0x7f ? '?' : c);
		col++;
	}
}

/* The source of file, read when it changes; *why the error when it
 * cannot be read.  NULL: no text. */
static const struct lines_source *source_for(const char *file, struct lines_source *src,
					     const char **cur, int *why)
{
	if (!file)
		return NULL;
	if (!*cur || strcmp(*cur, file)) {
		lines_source_release(src);
		*cur = file;
		*why = lines_source(src, file);
	}
	return *why == 0 ? src : NULL;
}

static void print_rows_text(const struct funcs *f, uint32_t id, const struct lines_row *rows,
			    long n, enum unit unit, uint64_t self, uint64_t count, uint64_t total)
{
	const char *mod = funcs_module(f, id), *cur = NULL;
	struct lines_source src = {0};
	int why = 0;
	char value[64];

	unit_format(unit, self, value, sizeof(value));
	printf("%s", funcs_name(f, id));
	if (mod && *mod)
		printf(" [%s]", util_base_name(mod));
	printf(": self %s, %.1f%% of the total (%llu samples)\n", value, util_pct(self, total),
	       (unsigned long long)count);
	for (long i = 0; i < n; i++) {
		const struct lines_row *r = &rows[i];
		const char *was = cur;
		const struct lines_source *s = source_for(r->file, &src, &cur, &why);
		const char *text = NULL;
		size_t len = 0;

		if (r->file && cur != was) {
			printf("  %s\n", r->file);
			if (why)
				printf("  (source not readable: %s)\n", strerror(-why));
			printf("  %6s  %6s  %6s  %8s  SOURCE\n", "LINE", "FUNC%", "TOTAL%",
			       column_name(unit));
		} else if (!r->file) {
			printf("  (no line known)\n");
		}
		if (s)
			text = lines_source_line(s, r->line, &len);
		if (r->file)
			printf("  %6d", r->line);
		else
			printf("  %6s", "?");
		printf("  %5.1f%%  %5.1f%%  %8llu  ", util_pct(row_value(r, unit), self),
		       util_pct(row_value(r, unit), total), column(row_value(r, unit), unit));
		if (text)
			print_text(text, len);
		putchar('\n');
	}
	lines_source_release(&src);
}

static void print_rows_json(const struct funcs *f, uint32_t id, const struct lines_row *rows,
			    long n, enum unit unit, uint64_t self, uint64_t count, uint64_t total)
{
	const char *cur = NULL;
	struct lines_source src = {0};
	int why = 0;

	printf("{\"name\":");
	cmd_json_string(stdout, funcs_name(f, id));
	printf(",\"module\":");
	cmd_json_string(stdout, funcs_module(f, id));
	printf(",\"self\":%llu,\"samples\":%llu,\"self_pct\":%.2f,\"lines\":[",
	       (unsigned long long)self, (unsigned long long)count, util_pct(self, total));
	for (long i = 0; i < n; i++) {
		const struct lines_row *r = &rows[i];
		const struct lines_source *s = source_for(r->file, &src, &cur, &why);
		size_t len = 0;
		const char *text = s ? lines_source_line(s, r->line, &len) : NULL;

		printf("%s{\"file\":", i ? "," : "");
		if (r->file)
			cmd_json_string(stdout, r->file);
		else
			printf("null");
		printf(",\"line\":%d,\"self\":%llu,\"samples\":%llu,\"func_pct\":%.2f,"
		       "\"total_pct\":%.2f,\"text\":",
		       r->line, (unsigned long long)row_value(r, unit),
		       (unsigned long long)r->count, util_pct(row_value(r, unit), self),
		       util_pct(row_value(r, unit), total));
		if (text) {
			char *copy = strndup(text, len);

			cmd_json_string(stdout, copy ? copy : "");
			free(copy);
		} else {
			printf("null");
		}
		putchar('}');
	}
	printf("]}");
	lines_source_release(&src);
}

int report_lines(const char *name, const struct funcs *f, const struct lines *lines, enum unit unit,
		 uint64_t total, bool json)
{
	uint32_t nf = funcs_count(f);
	size_t named = 0, shown = 0;

	for (uint32_t id = 1; id < nf; id++)
		named += is_named(f, id, name);
	if (!named) {
		cmd_error("no function '%s' in the profile", name);
		return 1;
	}
	if (json)
		printf("{\"total\":%llu,\"unit\":\"%s\",\"functions\":[", (unsigned long long)total,
		       unit_name(unit));
	for (uint32_t id = 1; id < nf; id++) {
		struct lines_row *rows;
		uint64_t weight, count;
		long n;

		if (!is_named(f, id, name))
			continue;
		n = lines_of(lines, id, &rows, &weight, &count);
		if (n < 0) {
			cmd_error("out of memory");
			return 1;
		}
		if (n == 0)
			continue;
		if (json && shown)
			putchar(',');
		else if (!json && shown)
			putchar('\n');
		if (json)
			print_rows_json(f, id, rows, n, unit, unit == UNIT_SAMPLES ? count : weight,
					count, total);
		else
			print_rows_text(f, id, rows, n, unit, unit == UNIT_SAMPLES ? count : weight,
					count, total);
		shown++;
		free(rows);
	}
	if (json)
		printf("]}\n");
	if (!shown && !json)
		printf("%s: no samples of its own (it only calls others)\n", name);
	return 0;
}
