/*
 * unit.c - names and human formatting of value units (see unit.h).
 */
#include "config.h"

#include <stdio.h>

#include "unit.h"

const char *unit_name(enum unit u)
{
	switch (u) {
	case UNIT_NS:
		return "ns";
	case UNIT_SAMPLES:
		return "samples";
	case UNIT_BYTES:
		return "bytes";
	case UNIT_OBJECTS:
		return "objects";
	}
	return "?";
}

/* v scaled by the largest step it reaches: names[i] for step^i. */
static int scaled(uint64_t v, double step, const char *const *names, int n, const char *sep,
		  char *buf, size_t len)
{
	double x = (double)v;
	int i = 0;

	while (i + 1 < n && x >= step) {
		x /= step;
		i++;
	}
	if (i == 0)
		return snprintf(buf, len, "%llu%s%s", (unsigned long long)v, sep, names[0]);
	return snprintf(buf, len,
			x < 10	  ? "%.2f%s%s"
			: x < 100 ? "%.1f%s%s"
				  : "%.0f%s%s",
			x, sep, names[i]);
}

int unit_format(enum unit u, uint64_t v, char *buf, size_t len)
{
	static const char *const bytes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	static const char *const counts[] = {"", "k", "M", "G", "T"};
	const char *what = u == UNIT_SAMPLES ? " samples" : " objects";
	char num[32];

	switch (u) {
	case UNIT_NS:
		if (v < 1000)
			return snprintf(buf, len, "%llu ns", (unsigned long long)v);
		if (v < 1000000)
			return snprintf(buf, len, "%.3g us", v / 1e3);
		if (v < 1000000000)
			return snprintf(buf, len, "%.3g ms", v / 1e6);
		if (v < 1000000000000ull)
			return snprintf(buf, len, "%.3g s", v / 1e9);
		return snprintf(buf, len, "%.0f s", v / 1e9);
	case UNIT_BYTES:
		return scaled(v, 1024, bytes, 6, " ", buf, len);
	case UNIT_SAMPLES:
	case UNIT_OBJECTS:
		if (v < 100000)
			return snprintf(buf, len, "%llu%s", (unsigned long long)v, what);
		scaled(v, 1000, counts, 5, "", num, sizeof(num));
		return snprintf(buf, len, "%s%s", num, what);
	}
	return snprintf(buf, len, "%llu", (unsigned long long)v);
}
