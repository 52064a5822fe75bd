/*
 * report-bursts.h - report --bursts: the time ranges where the sample rate
 * or the mix of stacks jumped (bursts.h).
 */
#ifndef FT_REPORT_BURSTS_H
#define FT_REPORT_BURSTS_H

#include <stdbool.h>
#include <stdint.h>
#include "profile.h"

/*
 * Prints the bursts of p's retained samples, times in seconds since
 * origin_ns (the target runtime's start), as text or as one JSON object
 * {"bursts": [...]} (with "note" saying why there are none when the
 * profile is too short for a baseline).  Returns 0, or 1 after saying why
 * on stderr (out of memory).
 */
int report_bursts(const struct profile *p, uint64_t origin_ns, bool json);

#endif
