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
	const struct ft_counters *c = &h->counters;
	printf("samples_written=%llu samples_dropped=%llu handler_calls=%llu "
	       "handler_mean_ns=%.0f handler_p50_ns=%.0f handler_p99_ns=%.0f "
	       "threads_seen=%llu truncated=%llu achieved_hz=%.1f timer=%u freq_hz=%u\n",
	       (unsigned long long)c->samples_written, (unsigned long long)c->samples_dropped,
	       (unsigned long long)c->handler_calls,
	       c->handler_calls ? (double)c->handler_ns_total / c->handler_calls : 0.0,
	       segment_handler_quantile(c, 0.5), segment_handler_quantile(c, 0.99),
	       (unsigned long long)c->threads_seen, (unsigned long long)c->truncated,
	       h->achieved_hz_milli / 1000.0, h->timer, h->freq_hz);
	segment_free(s);
	return 0;
}
