/*
 * bench-symbols.c - how fast the symbolizer names addresses.
 *
 * The benchmark symbolizes its own process offline: every loaded object
 * is registered as the live source registers a target's modules, then
 * 100,000 return addresses spread over the text of libc (exported
 * symbols only) and of liblzma (stripped: names come from the unwind
 * tables, or module+offset) are resolved once (cold: each address is
 * new) and then ten more times (cached).  Prints, per library, cold
 * resolves/s, cached lookups/s, the number of distinct names, and the
 * ratio cached/cold.
 *
 * Usage: bench-symbols [addresses]   (default 100,000)
 */
#include "config.h"

#include <dlfcn.h>
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

	(void)size;
	if (!name || !*name)
		return 0;
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

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	struct lib libs[] = {{"/libc.so.6", 0, 0}, {"/liblzma.so.5", 0, 0}, {NULL, 0, 0}};
	void *lzma = dlopen("liblzma.so.5", RTLD_NOW);

	if (!lzma)
		printf("liblzma.so.5 not found: its line is skipped\n");
	for (struct lib *l = libs; l->match; l++) {
		struct funcs *f = funcs_new();
		struct symbols *s = symbols_new(f);
		void *ctx[2] = {s, libs};
		uint64_t span, sum = 0;
		uint32_t names0;
		double t0, t1, t2;

		if (!f || !s)
			return 1;
		dl_iterate_phdr(add_object, ctx);
		if (l->hi <= l->lo) {
			symbols_free(s);
			funcs_free(f);
			continue;
		}
		span = l->hi - l->lo;
		names0 = funcs_count(f);
		t0 = now_s();
		for (unsigned i = 0; i < n; i++)
			sum += symbols_resolve(s, l->lo + 1 + (i * 7919ull) % span, true);
		t1 = now_s();
		for (int r = 0; r < 10; r++)
			for (unsigned i = 0; i < n; i++)
				sum += symbols_resolve(s, l->lo + 1 + (i * 7919ull) % span, true);
		t2 = now_s();
		printf("%-14s %9.0f cold resolves/s, %10.0f cached lookups/s (x%.0f), %u names "
		       "for %zu addresses%s\n",
		       l->match + 1, n / (t1 - t0), 10.0 * n / (t2 - t1),
		       (t1 - t0) * 10 / (t2 - t1), funcs_count(f) - names0, symbols_cached(s),
		       sum ? "" : " (none)");
		symbols_free(s);
		funcs_free(f);
	}
	if (lzma)
		dlclose(lzma);
	return 0;
}
