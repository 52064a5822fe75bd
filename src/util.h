/*
 * util.h - small helpers every layer above the runtime shares: the
 * monotonic clock, percentages, base names, wait statuses in words.
 *
 * Pure functions with no state; safe from any thread.
 */
#ifndef FT_UTIL_H
#define FT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* CLOCK_MONOTONIC in nanoseconds (the clock the segment's times use). */
uint64_t util_mono_ns(void);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t util_mono_ms(void);

/* 100 * v / total, or 0 when total is 0. */
double util_pct(uint64_t v, uint64_t total);

/* 10^n for n 0 to 19 (UINT64_MAX past that). */
uint64_t util_pow10(unsigned n);

/* The part of path after its last '/' (path itself when it has none);
 * points into path. */
const char *util_base_name(const char *path);

/* A wait status in words for messages: "exited (status 3)", "killed by
 * SIGSEGV", "killed by signal 77"; status -1 (unknown) reads "exited".
 * Always NUL-terminates buf (len > 0). */
void util_describe_status(int status, char *buf, size_t len);
/* The exit status a shell gives for a wait status: N, or 128+N for
 * signal N; 1 when unknown (-1). */
int util_exit_code(int status);

/* Opens the file at path for reading ("-": standard input), refusing a
 * directory: 0 and the stream in *in (close it unless it is stdin), or
 * -errno with strerror's words in err. */
/* Field number field (3 or more, as proc(5) numbers them) of
 * /proc/PID/stat, a number: 0, or -1 when unreadable. */
int util_proc_stat_field(int pid, int field, unsigned long long *out);

int util_open_input(const char *path, FILE **in, char *err, size_t errlen);

#endif
