/*
 * wl-jit.c - workload: code generated at run time, as a JIT does.
 *
 * Two functions are written as x86-64 machine code into anonymous memory
 * that is then made executable: a countdown loop named in the perf map
 * (/tmp/perf-PID.map, "START SIZE NAME", written after the code, as JITs
 * do) and a copy of it that the map never names.  main calls each for
 * the same number of iterations, so each gets half of the CPU time.
 * Usage: wl-jit [SECONDS]  (default 2); removes its map when it ends.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* mov %rdi,%rax; 1: dec %rax; jnz 1b; ret */
static const unsigned char countdown[] = {0x48, 0x89, 0xf8, 0x48, 0xff, 0xc8, 0x75, 0xfb, 0xc3};

typedef uint64_t (*jit_fn)(uint64_t);

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1500;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *code = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64];
	jit_fn named, unnamed;
	FILE *map;

	if (code == MAP_FAILED)
		return 1;
	memcpy(code, countdown, sizeof(countdown));
	memcpy(code + page, countdown, sizeof(countdown));
	if (mprotect(code, (size_t)page * 2, PROT_READ | PROT_EXEC) != 0)
		return 1;
	named = (jit_fn)(uintptr_t)code;
	unnamed = (jit_fn)(uintptr_t)(code + page);
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	map = fopen(path, "w");
	if (!map)
		return 1;
	fprintf(map, "%lx %zx jit_countdown\n", (unsigned long)(uintptr_t)code, sizeof(countdown));
	fclose(map);
	for (long i = 0; i < rounds; i++) {
		named(1000000);
		unnamed(1000000);
	}
	unlink(path);
	printf("wl-jit: done\n");
	return 0;
}
