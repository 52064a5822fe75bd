/*
 * sym-target.c - a program whose addresses test-symbols checks.
 *
 * It prints, one per line, what the test needs to symbolize its own
 * addresses offline: every loaded object it cares about ("module NAME
 * PATH BIAS LO HI", LO/HI the executable range), the addresses of its
 * noinline functions ("func NAME ADDR"), a return address into middle()
 * ("ret middle ADDR") and the address of a libc function ("libc getpid
 * ADDR").  Built three ways (with -g, without debug info, stripped).
 */
#include "config.h"

#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile uintptr_t ret_addr;
static volatile int sink;

__attribute__((noinline)) static int helper_static(int x)
{
	for (int i = 0; i < 16; i++)
		sink += x * i;
	return sink;
}

__attribute__((noinline)) int leaf(int x)
{
	ret_addr = (uintptr_t)__builtin_return_address(0);
	for (int i = 0; i < 8; i++)
		sink += x ^ i;
	return sink;
}

__attribute__((noinline)) int middle(int x)
{
	int r = leaf(x + 1);

	sink += r;
	return sink + 1;
}

static int report(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *name = info->dlpi_name;
	char exe[4096];
	uint64_t lo = 0, hi = 0;

	if (!name || !*name) {
		ssize_t n;

		if (*(int *)arg)
			return 0; /* only the first unnamed object is the program */
		*(int *)arg = 1;
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return 0;
		exe[n] = '\0';
		name = exe;
		printf("module exe ");
	} else if (strstr(name, "/libc.so")) {
		printf("module libc ");
	} else {
		return 0;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			lo = info->dlpi_addr + ph->p_vaddr;
			hi = lo + ph->p_memsz;
			break;
		}
	}
	printf("%s 0x%llx 0x%llx 0x%llx\n", name, (unsigned long long)info->dlpi_addr,
	       (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

int main(void)
{
	int seen_exe = 0;

	middle(3);
	helper_static(2);
	dl_iterate_phdr(report, &seen_exe);
	printf("func leaf %p\n", (void *)(uintptr_t)leaf);
	printf("func middle %p\n", (void *)(uintptr_t)middle);
	printf("func helper_static %p\n", (void *)(uintptr_t)helper_static);
	printf("ret middle 0x%llx\n", (unsigned long long)ret_addr);
	printf("libc getpid %p\n", (void *)(uintptr_t)getpid);
	return 0;
}
