/*
 * unit.h - the units a profile's values are in, and how people read them.
 *
 * A profile declares the unit of its values (profile.h): time in
 * nanoseconds, sample counts, bytes, objects.  Everything that prints a
 * value (the viewer, reports) formats it here, so "weight is ns" is a
 * property of the profile, never of where the data came from.
 */
#ifndef FT_UNIT_H
#define FT_UNIT_H

#include <stddef.h>
#include <stdint.h>

enum unit {
	UNIT_NS = 0,	  /* nanoseconds of CPU or wall time */
	UNIT_SAMPLES = 1, /* sample counts */
	UNIT_BYTES = 2,
	UNIT_OBJECTS = 3, /* allocations, coroutines, ... */
};

/* The unit's name as reports spell it: "ns", "samples", "bytes",
 * "objects"; "?" for a value outside the enum. */
const char *unit_name(enum unit u);

/* v in u for people, short: "1.25 s", "340 ms", "12 us", "87 ns",
 * "1.5 GiB", "12.0 KiB", "512 B", "1234 samples", "3.2M objects".
 * Always NUL-terminates buf (len > 0); returns what snprintf returns. */
int unit_format(enum unit u, uint64_t v, char *buf, size_t len);

#endif
