/*
 * segstat.c - bench-segstat: prints the runtime's counters from a segment.
 *
 * Reads a segment file (a live /dev/shm/flametop.PID, or one the runtime
 * kept with FLAMETOP_KEEP_SEGMENT=1) through segment_open_path, so it is
 * validated like any segment, and prints one "key=value" line that
 * bench/run parses: samples written and dropped, the signal handler's
 * mean, median and 99th-percentile time (from the log2 histogram,
 * interpolated inside a bucket), threads, achieved rate.
 * Usage: bench-segstat FILE
 */
#include "config.h"

#include <stdio.h>
#include "segment.h"

int main(int argc, char **argv)
{
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: bench-segstat FILE\n");
		return 2;
	}
	struct segment *s = segment_open_path(argv[1], err, sizeof err);
	if (!s) {
		fprintf(stderr, "bench-segstat: %s: %s\n", argv[1], err);
		return 1;
	}
	const struct ft_header *h = segment_header(s);
	char line[512];

	segment_format_stats(h, line, sizeof(line));
	printf("%s freq_hz=%u\n", line, h->freq_hz);
	segment_free(s);
	return 0;
}
