/*
 * bench-symbols.c - how fast the symbolizer names addresses.
 *
 * The benchmark symbolizes its own process offline: every loaded object
 * is registered as the live source registers a target's modules, then
 * 100,000 distinct return addresses spread over the text of libc (with
 * its detached debug info where installed, else exported symbols only),
 * of liblzma (stripped: names come from the unwind tables, or
 * module+offset) and of the benchmark's own program (-O2 -g: DWARF and
 * much inlining) are resolved once (cold: each address is new) and then
 * ten more times (cached).  Each library is measured twice, with inlined
 * frames expanded (the default) and without.  Prints, per library and
 * way, cold resolves/s, cached lookups/s, the number of distinct names,
 * the frames per address, the ratio cached/cold, and what expansion
 * costs: the ratio of the cold rates.
 *
 * Usage: bench-symbols [addresses]   (default 100,000)
 */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <unistd.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "funcs.h"
#include "symbols.h"

struct lib {
	const char *match;
	uint64_t lo, hi;
	bool no_inline; /* resolved without inlined frames */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	void **ctx = arg;
	struct symbols *s = ctx[0];
	struct lib *libs = ctx[1];
	const char *name = info->dlpi_name;
	char exe[4096];

	(void)size;
	if (!name || !*name) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n <= 0 || ctx[2])
			return 0;
		exe[n] = '\0';
		name = exe;
		ctx[2] = exe; /* only the first unnamed object is the program */
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uint64_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		symbols_add_module(s, name, info->dlpi_addr, lo, hi);
		for (struct lib *l = libs; l->match; l++)
			if (strstr(name, l->match))
				l->lo = lo, l->hi = hi;
	}
	return 0;
}

/* Resolves n addresses of l once (cold), then ten times more (cached);
 * prints the rates and returns the cold one. */
static double bench_lib(const struct lib *l, struct symbols *s, struct funcs *f, unsigned n)
{
	uint64_t span = l->hi - l->lo, sum = 0, frames = 0;
	uint32_t names0 = funcs_count(f);
	double t0, t1, t2;

	if (n >= span)
		n = (unsigned)(span - 1); /* every address distinct */
	t0 = now_s();
	for (unsigned i = 0; i < n; i++) {
		const struct symbols_frame *fr;
		uint32_t k = symbols_frames(s, l->lo + 1 + (i * 7919ull) % span, true, &fr);

		sum += k ? fr[0].func : 0;
		frames += k;
	}
	t1 = now_s();
	for (int r = 0; r < 10; r++)
		for (unsigned i = 0; i < n; i++)
			sum += symbols_resolve(s, l->lo + 1 + (i * 7919ull) % span, true);
	t2 = now_s();
	printf("%-14s %-9s %9.0f cold resolves/s, %10.0f cached lookups/s (x%.0f), %u names for "
	       "%zu addresses, %.2f frames each%s\n",
	       l->match + 1, l->no_inline ? "no-inline" : "inline", n / (t1 - t0),
	       10.0 * n / (t2 - t1), (t1 - t0) * 10 / (t2 - t1), funcs_count(f) - names0,
	       symbols_cached(s), n ? (double)frames / n : 0, sum ? "" : " (none)");
	return n / (t1 - t0);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	struct lib libs[] = {{"/libc.so.6", 0, 0, false},
			     {"/liblzma.so.5", 0, 0, false},
			     {"/bench-symbols", 0, 0, false},
			     {NULL, 0, 0, false}};
	void *lzma = dlopen("liblzma.so.5", RTLD_NOW);

	if (!lzma)
		printf("liblzma.so.5 not found: its line is skipped\n");
	for (struct lib *l = libs; l->match; l++) {
		double cold[2] = {0, 0};

		for (int off = 0; off < 2; off++) {
			struct funcs *f = funcs_new();
			struct symbols *s = symbols_new(f);
			void *ctx[3] = {s, libs, NULL};

			if (!f || !s)
				return 1;
			l->no_inline = off;
			symbols_set_inline(s, !off);
			dl_iterate_phdr(add_object, ctx);
			if (l->hi > l->lo)
				cold[off] = bench_lib(l, s, f, n);
			symbols_free(s);
			funcs_free(f);
		}
		if (cold[0] > 0 && cold[1] > 0)
			printf("%-14s inline expansion: cold resolves take x%.2f the time\n",
			       l->match + 1, cold[1] / cold[0]);
	}
	if (lzma)
		dlclose(lzma);
	return 0;
}
