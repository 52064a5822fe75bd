/*
 * test-symbols.c - the symbolizer against real programs.
 *
 * tests/sym-target.c is built three ways (sym-target-g with DWARF,
 * sym-target-nodebug with .symtab only, sym-target-stripped with neither);
 * each run prints its load bias, executable range and the addresses of
 * its functions, which this test registers and resolves offline.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dlfcn.h>
#include <link.h>
#include <fcntl.h>
#include <gelf.h>

#include "funcs.h"
#include "symbols.h"

struct target {
	char exe[4096], libc[4096];
	uint64_t bias, lo, hi;
	uint64_t libc_bias, libc_lo, libc_hi;
	uint64_t leaf, middle, helper_static, ret_middle, getpid;
};

static const char *dir(const char *var)
{
	const char *d = getenv(var);

	return d && *d ? d : ".";
}

/* Runs tests/<name> and parses what it prints. */
static void target_run(const char *name, struct target *t)
{
	char cmd[4200], line[4200], path[4096], what[32];
	unsigned long long a, b, c;
	FILE *p;
	int seen = 0;

	memset(t, 0, sizeof(*t));
	if (name[0] == '/')
		snprintf(cmd, sizeof(cmd), "%s", name);
	else
		snprintf(cmd, sizeof(cmd), "%s/tests/%s", dir("top_builddir"), name);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		if (sscanf(line, "module exe %4095s %llx %llx %llx", path, &a, &b, &c) == 4) {
			snprintf(t->exe, sizeof(t->exe), "%s", path);
			t->bias = a, t->lo = b, t->hi = c;
			seen |= 1;
		} else if (sscanf(line, "module libc %4095s %llx %llx %llx", path, &a, &b, &c) ==
			   4) {
			snprintf(t->libc, sizeof(t->libc), "%s", path);
			t->libc_bias = a, t->libc_lo = b, t->libc_hi = c;
			seen |= 2;
		} else if (sscanf(line, "func %31s %llx", what, &a) == 2) {
			if (!strcmp(what, "leaf"))
				t->leaf = a;
			else if (!strcmp(what, "middle"))
				t->middle = a;
			else if (!strcmp(what, "helper_static"))
				t->helper_static = a;
			seen |= 4;
		} else if (sscanf(line, "ret middle %llx", &a) == 1) {
			t->ret_middle = a;
		} else if (sscanf(line, "libc getpid %llx", &a) == 1) {
			t->getpid = a;
		}
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(seen, 7);
	assert_true(t->leaf && t->middle && t->helper_static && t->ret_middle && t->getpid);
	assert_true(t->lo <= t->leaf && t->leaf < t->hi);
}

/* The line of tests/sym-target.c holding text. */
static int source_line(const char *text)
{
	char path[4200], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/tests/sym-target.c", dir("top_srcdir"));
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, text)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	fail_msg("'%s' not in %s", text, path);
	return 0;
}

static void assert_func(struct funcs *f, uint32_t id, const char *name, const char *module)
{
	assert_int_not_equal(id, 0);
	if (strcmp(funcs_name(f, id), name) || strcmp(funcs_module(f, id), module))
		fail_msg("expected %s in %s, got %s in %s", name, module, funcs_name(f, id),
			 funcs_module(f, id));
}

/* The GNU build-id note of the ELF file at path in lowercase hex, read
 * here with libelf alone; "" when it has none. */
static void elf_build_id(const char *path, char *hex, size_t len)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	Elf_Scn *scn = NULL;

	hex[0] = '\0';
	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0)
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + noff, "GNU", 4) && 2 * nh.n_descsz < len)
				for (size_t i = 0; i < nh.n_descsz; i++)
					snprintf(hex + 2 * i, 3, "%02x",
						 ((unsigned char *)d->d_buf)[doff + i]);
	}
	elf_end(elf);
	close(fd);
}

static void test_symbols_debug(void **state)
{
	struct target t;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	const char *file;
	int line;
	char want[64];

	assert_non_null(s);
	target_run("sym-target-g", &t);
	assert_int_equal(symbols_add_module(s, t.exe, t.bias, t.lo, t.hi), 0);
	assert_func(f, symbols_resolve(s, t.leaf, false), "leaf", "sym-target-g");
	assert_func(f, symbols_resolve(s, t.leaf + 5, false), "leaf", "sym-target-g");
	assert_func(f, symbols_resolve(s, t.middle, false), "middle", "sym-target-g");
	assert_func(f, symbols_resolve(s, t.helper_static, false), "helper_static", "sym-target-g");
	/* a return address into middle, and the same pc taken as exact */
	assert_func(f, symbols_resolve(s, t.ret_middle, true), "middle", "sym-target-g");

	/* file:line from DWARF */
	assert_int_equal(symbols_srcline(s, t.ret_middle, true, &file, &line), 0);
	assert_non_null(strstr(file, "sym-target.c"));
	assert_int_equal(line, source_line("int r = leaf(x + 1);"));
	assert_int_equal(symbols_srcline(s, t.leaf, false, &file, &line), 0);
	assert_true(line >= source_line("int leaf(int x)") &&
		    line <= source_line("ret_addr = (uintptr_t)"));

	/* where each function starts, kept with it for the writers; the
	 * module's build-id, as its ELF note says */
	char hex[129];
	const char *src = funcs_source(f, symbols_resolve(s, t.ret_middle, true), &line);
	assert_non_null(src);
	assert_true(src[0] == '/' && strstr(src, "sym-target.c"));
	assert_int_equal(line, source_line("int middle(int x)"));
	assert_non_null(funcs_source(f, symbols_resolve(s, t.leaf, false), &line));
	assert_int_equal(line, source_line("int leaf(int x)"));
	elf_build_id(t.exe, hex, sizeof(hex));
	assert_true(strlen(hex) >= 16);
	assert_non_null(funcs_build_id(f, "sym-target-g"));
	assert_string_equal(funcs_build_id(f, "sym-target-g"), hex);

	/* outside every module */
	snprintf(want, sizeof(want), "[unknown]+0x%" PRIx64, (uint64_t)0x1234);
	assert_func(f, symbols_resolve(s, 0x1234, false), want, "");
	assert_int_equal(symbols_srcline(s, 0x1234, false, &file, &line), -ENOENT);

	/* libc, registered late: its address was unknown, now it is named */
	uint32_t before = symbols_resolve(s, t.getpid, false);
	assert_non_null(strstr(funcs_name(f, before), "[unknown]"));
	assert_int_equal(symbols_add_module(s, t.libc, t.libc_bias, t.libc_lo, t.libc_hi), 0);
	uint32_t id = symbols_resolve(s, t.getpid, false);
	assert_string_equal(funcs_module(f, id), "libc.so.6");
	assert_non_null(strstr(funcs_name(f, id), "getpid"));
	assert_int_equal(funcs_name(f, symbols_resolve(s, t.getpid + 3, true))[0],
			 funcs_name(f, id)[0]);

	/* repeats hit the cache */
	size_t cached = symbols_cached(s);
	uint32_t leaf = symbols_resolve(s, t.leaf, false);
	assert_int_equal(symbols_resolve(s, t.ret_middle, true),
			 symbols_resolve(s, t.ret_middle, true));
	assert_int_equal(symbols_resolve(s, t.leaf, false), leaf);
	assert_int_equal(symbols_cached(s), cached);
	/* re-registering is a no-op */
	assert_int_equal(symbols_add_module(s, t.exe, t.bias, t.lo, t.hi), 0);
	assert_int_equal(symbols_cached(s), cached);
	assert_int_equal(symbols_resolve(s, t.leaf, false), leaf);

	symbols_free(s);
	funcs_free(f);
}

static void test_symbols_nodebug(void **state)
{
	struct target t;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	const char *file;
	int line;
	char want[64];

	target_run("sym-target-nodebug", &t);
	assert_int_equal(symbols_add_module(s, t.exe, t.bias, t.lo, t.hi), 0);
	assert_func(f, symbols_resolve(s, t.leaf + 1, false), "leaf", "sym-target-nodebug");
	assert_func(f, symbols_resolve(s, t.ret_middle, true), "middle", "sym-target-nodebug");
	assert_func(f, symbols_resolve(s, t.helper_static, false), "helper_static",
		    "sym-target-nodebug");
	assert_int_equal(symbols_srcline(s, t.leaf, false, &file, &line), -ENOENT);
	assert_int_equal(symbols_srcline(s, t.ret_middle, true, &file, &line), -ENOENT);
	/* no debug info: no source, but a build-id all the same */
	assert_null(funcs_source(f, symbols_resolve(s, t.leaf, false), &line));
	assert_non_null(funcs_build_id(f, "sym-target-nodebug"));
	/* inside the module (its ELF header) but in no symbol */
	snprintf(want, sizeof(want), "sym-target-nodebug+0x%x", 0x10);
	assert_func(f, symbols_resolve(s, t.bias + 0x10, false), want, "sym-target-nodebug");
	symbols_free(s);
	funcs_free(f);
}

static void test_symbols_stripped(void **state)
{
	struct target t;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	char want[64];

	target_run("sym-target-stripped", &t);
	assert_int_equal(symbols_add_module(s, t.exe, t.bias, t.lo, t.hi), 0);
	/* no .symtab: a static function is module+offset */
	snprintf(want, sizeof(want), "sym-target-stripped+0x%" PRIx64, t.helper_static - t.bias);
	assert_func(f, symbols_resolve(s, t.helper_static, false), want, "sym-target-stripped");
	symbols_free(s);
	funcs_free(f);
}

/*
 * Stripped code grouped into functions: a copy of sym-target-nodebug is
 * stripped here, and every address of leaf, middle and helper_static in
 * it must get one name per function, the start of that function as the
 * unstripped copy's symbols place it ("sym-target-strip+0xSTART").
 */
static void test_symbols_fde(void **state)
{
	char tmp[] = "/tmp/flametop-fde.XXXXXX", copy[128], cmd[4400];
	const char *fn[3] = {"leaf", "middle", "helper_static"};
	struct target full, bare;
	struct funcs *f = funcs_new();
	struct symbols *whole = symbols_new(f), *stripped = symbols_new(f);
	uint64_t off[3], lo = UINT64_MAX, hi = 0;
	unsigned checked[3] = {0, 0, 0};

	assert_non_null(mkdtemp(tmp));
	snprintf(copy, sizeof(copy), "%s/sym-target-strip", tmp);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s/tests/sym-target-nodebug", copy,
		 dir("top_builddir"));
	if (system(cmd) != 0)
		skip();
	target_run("sym-target-nodebug", &full);
	target_run(copy, &bare);
	assert_int_equal(symbols_add_module(whole, full.exe, full.bias, full.lo, full.hi), 0);
	assert_int_equal(symbols_add_module(stripped, bare.exe, bare.bias, bare.lo, bare.hi), 0);
	off[0] = bare.leaf - bare.bias;
	off[1] = bare.middle - bare.bias;
	off[2] = bare.helper_static - bare.bias;
	for (int i = 0; i < 3; i++) {
		lo = off[i] < lo ? off[i] : lo;
		hi = off[i] > hi ? off[i] : hi;
	}
	for (uint64_t o = lo - (lo > 64 ? 64 : 0); o < hi + 512; o++) {
		const char *name = funcs_name(f, symbols_resolve(whole, full.bias + o, false));
		char want[64];

		for (int i = 0; i < 3; i++) {
			if (strcmp(name, fn[i]))
				continue;
			snprintf(want, sizeof(want), "sym-target-strip+0x%" PRIx64, off[i]);
			assert_func(f, symbols_resolve(stripped, bare.bias + o, false), want,
				    "sym-target-strip");
			/* as a return address (o - 1 looked up), past the first byte */
			if (o > off[i])
				assert_func(f, symbols_resolve(stripped, bare.bias + o, true), want,
					    "sym-target-strip");
			checked[i]++;
		}
	}
	for (int i = 0; i < 3; i++)
		if (checked[i] < 8)
			fail_msg("only %u addresses of %s checked", checked[i], fn[i]);
	symbols_free(whole);
	symbols_free(stripped);
	funcs_free(f);
	unlink(copy);
	rmdir(tmp);
}

/*
 * PLT stubs named after the function they call, checked against
 * objdump's names for the same stubs (in .plt, .plt.got and, with IBT,
 * .plt.sec): an address inside each stub is "NAME@plt".
 */
static void check_plt(const char *name)
{
	char cmd[4400], line[512], want[300];
	struct target t;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	unsigned long long addr;
	int checked = 0;
	FILE *p;

	target_run(name, &t);
	assert_int_equal(symbols_add_module(s, t.exe, t.bias, t.lo, t.hi), 0);
	snprintf(cmd, sizeof(cmd), "objdump -d -j .plt -j .plt.sec -j .plt.got %s 2>/dev/null",
		 t.exe);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char sym[256];

		if (sscanf(line, "%llx <%255[^>]>:", &addr, sym) != 2 || !strstr(sym, "@plt") ||
		    strchr(sym, '-') || strchr(sym, '+'))
			continue;
		snprintf(want, sizeof(want), "%s", sym);
		assert_func(f, symbols_resolve(s, t.bias + addr + 4, false), want, name);
		assert_func(f, symbols_resolve(s, t.bias + addr + 5, true), want, name);
		checked++;
	}
	pclose(p);
	if (checked < 3)
		skip(); /* no objdump, or it does not name PLT stubs */
	print_message("%s: %d PLT stubs named\n", name, checked);
	symbols_free(s);
	funcs_free(f);
}

static void test_symbols_plt(void **state)
{
	check_plt("sym-target-nodebug");
	check_plt("sym-target-ibt");
}

static void test_symbols_missing_file(void **state)
{
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);

	assert_int_equal(
	    symbols_add_module(s, "/nonexistent/libfoo.so.1", 0x10000, 0x11000, 0x20000), 0);
	assert_func(f, symbols_resolve(s, 0x11234, false), "libfoo.so.1+0x1234", "libfoo.so.1");
	assert_func(f, symbols_resolve(s, 0x11234, true), "libfoo.so.1+0x1234", "libfoo.so.1");
	assert_int_equal(symbols_cached(s), 2);
	assert_int_equal(symbols_add_module(s, "", 0, 0, 0), -EINVAL);
	/* unloaded, and another library mapped at the same place */
	assert_int_equal(symbols_add_module(s, "/nonexistent/libbar.so", 0x10200, 0x11000, 0x18000),
			 0);
	assert_func(f, symbols_resolve(s, 0x11234, false), "libbar.so+0x1034", "libbar.so");
	assert_func(f, symbols_resolve(s, 0x19000, false), "libfoo.so.1+0x9000", "libfoo.so.1");
	symbols_free(s);
	symbols_free(NULL);
	funcs_free(f);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not a timed assertion: prints what resolving costs, for the record. */
/* The vdso has no file: "[vdso]" is symbolized from the viewer's own copy
 * (the same kernel's image).  Here our own vdso plays the target's. */
static int find_vdso(struct dl_phdr_info *info, size_t size, void *arg)
{
	if (info->dlpi_name && !strncmp(info->dlpi_name, "linux-vdso", 10)) {
		*(uint64_t *)arg = info->dlpi_addr;
		return 1;
	}
	return 0;
}

static void test_symbols_vdso(void **state)
{
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	uint64_t bias = 0;
	void *h = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_NOLOAD);
	void *fn = h ? dlsym(h, "__vdso_clock_gettime") : NULL;
	const char *name;

	dl_iterate_phdr(find_vdso, &bias);
	if (!bias || !fn)
		skip();
	assert_int_equal(symbols_add_module(s, "[vdso]", bias, bias, bias + 0x10000), 0);
	name = funcs_name(f, symbols_resolve(s, (uint64_t)fn + 4, false));
	if (strcmp(name, "clock_gettime") && strcmp(name, "__vdso_clock_gettime"))
		fail_msg("vdso pc resolved to %s", name);
	assert_string_equal(funcs_module(f, symbols_resolve(s, (uint64_t)fn + 4, false)), "[vdso]");
	dlclose(h);
	symbols_free(s);
	funcs_free(f);
}

static void test_symbols_cost(void **state)
{
	struct target t;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	const unsigned n = 100000;
	uint64_t span, sum = 0;
	double t0, t1, t2;

	target_run("sym-target-g", &t);
	symbols_add_module(s, t.libc, t.libc_bias, t.libc_lo, t.libc_hi);
	span = t.libc_hi - t.libc_lo;
	t0 = now_s();
	for (unsigned i = 0; i < n; i++)
		sum += symbols_resolve(s, t.libc_lo + (i * 7919ull) % span, true);
	t1 = now_s();
	for (int r = 0; r < 10; r++)
		for (unsigned i = 0; i < n; i++)
			sum += symbols_resolve(s, t.libc_lo + (i * 7919ull) % span, true);
	t2 = now_s();
	assert_true(symbols_cached(s) > n / 2 && symbols_cached(s) <= n);
	assert_true(sum > 0);
	print_message("symbols: %.0f cold resolves/s, %.0f cached lookups/s (%u pcs in libc, "
		      "%u functions)\n",
		      n / (t1 - t0), 10.0 * n / (t2 - t1), n, funcs_count(f));
	symbols_free(s);
	funcs_free(f);
}

/* ---- inlined frames ---- */

#define INLINE_PCS 65536

/* A self-profile of tests/<name> (sym-inline.c): its module and the
 * distinct pcs it sampled, with their counts. */
struct iprof {
	char exe[4096];
	uint64_t bias, lo, hi;
	uint64_t pc[INLINE_PCS];
	unsigned count[INLINE_PCS];
	size_t n;
	unsigned total;
};

static void iprof_run(const char *name, struct iprof *p)
{
	char cmd[4200], line[4200];
	unsigned long long a, b, c;
	unsigned k;
	FILE *f;

	memset(p, 0, sizeof(*p));
	snprintf(cmd, sizeof(cmd), "%s/tests/%s", dir("top_builddir"), name);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "module exe %4095s %llx %llx %llx", p->exe, &a, &b, &c) == 4) {
			p->bias = a, p->lo = b, p->hi = c;
		} else if (sscanf(line, "pc %llx %u", &a, &k) == 2 && p->n < INLINE_PCS) {
			p->pc[p->n] = a;
			p->count[p->n++] = k;
			p->total += k;
		}
	}
	assert_int_equal(pclose(f), 0);
	assert_true(p->hi > p->lo);
	if (p->total < 100)
		fail_msg("%s took only %u samples", name, p->total);
}

/* Whether frame name is among fr[0..n). */
static bool has_frame(struct funcs *f, const struct symbols_frame *fr, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(funcs_name(f, fr[i].func), name))
			return true;
	return false;
}

static void assert_share(const char *what, unsigned part, unsigned total, double want)
{
	double pct = 100.0 * part / total;

	print_message("%s: %.1f%% of %u samples (want %.0f +- 8)\n", what, pct, total, want);
	if (pct < want - 8 || pct > want + 8)
		fail_msg("%s has %.1f%% of the samples, not %.0f +- 8", what, pct, want);
}

/* The first line of file (under top_srcdir/tests) holding text. */
static int line_of(const char *file, const char *text)
{
	char path[4200], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/tests/%s", dir("top_srcdir"), file);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, text)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	fail_msg("'%s' not in %s", text, path);
	return 0;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = s ? strlen(s) : 0, b = strlen(tail);

	return a >= b && !strcmp(s + a - b, tail);
}

/* sym-inline's samples: the functions inlined into crunch() are frames of
 * their own, with the shares of the work they do, and every frame says
 * where it is in the source. */
static void test_symbols_inline(void **state)
{
	static struct iprof p;
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	unsigned heavy = 0, step = 0, light = 0, own = 0, other = 0, chains = 0;
	int call_heavy = line_of("sym-inline.c", "crunch calls heavy");
	int call_step = line_of("sym-inline.c", "heavy calls step");
	int step_lo = line_of("sym-inline.c", "uint64_t step(");
	int step_hi = line_of("sym-inline.c", "uint64_t heavy(");

	iprof_run("sym-inline", &p);
	assert_int_equal(symbols_add_module(s, p.exe, p.bias, p.lo, p.hi), 0);
	for (size_t i = 0; i < p.n; i++) {
		const struct symbols_frame *fr;
		uint32_t n = symbols_frames(s, p.pc[i], false, &fr);

		assert_true(n >= 1 && n <= SYMBOLS_INLINE_MAX);
		if (strcmp(funcs_name(f, fr[0].func), "crunch")) {
			other += p.count[i];
			continue;
		}
		assert_int_equal(symbols_resolve(s, p.pc[i], false), fr[0].func);
		for (uint32_t k = 1; k < n; k++)
			assert_string_equal(funcs_module(f, fr[k].func), "sym-inline");
		if (has_frame(f, fr, n, "heavy (inlined)"))
			heavy += p.count[i];
		if (has_frame(f, fr, n, "light (inlined)"))
			light += p.count[i];
		if (n == 1)
			own += p.count[i];
		if (!has_frame(f, fr, n, "step (inlined)"))
			continue;
		step += p.count[i];
		/* crunch -> heavy -> step, each at its call site */
		assert_int_equal(n, 3);
		assert_string_equal(funcs_name(f, fr[1].func), "heavy (inlined)");
		assert_string_equal(funcs_name(f, fr[2].func), "step (inlined)");
		assert_int_equal(fr[0].line, call_heavy);
		assert_int_equal(fr[1].line, call_step);
		assert_true(fr[2].line > step_lo && fr[2].line < step_hi);
		for (uint32_t k = 0; k < n; k++)
			assert_true(ends_with(fr[k].file, "/sym-inline.c"));
		chains++;
	}
	assert_true(chains > 0);
	assert_true(other * 20 < p.total);
	assert_share("heavy (inlined)", heavy, p.total, 60);
	assert_share("step (inlined), inside heavy", step, p.total, 20);
	assert_share("light (inlined)", light, p.total, 20);
	assert_share("crunch's own code", own, p.total, 20);

	/* without expansion every sample is crunch's */
	symbols_set_inline(s, false);
	for (size_t i = 0; i < p.n; i++) {
		const struct symbols_frame *fr;

		if (symbols_frames(s, p.pc[i], false, &fr) != 1)
			fail_msg("inline expansion is off but pc %#llx has frames",
				 (unsigned long long)p.pc[i]);
	}
	symbols_free(s);
	funcs_free(f);
}

/* Without debug info (and with it corrupt) the same samples are crunch's,
 * one frame each: symbols name what DWARF cannot. */
static void check_plain(const struct iprof *p, const char *path, bool exact)
{
	struct funcs *f = funcs_new();
	struct symbols *s = symbols_new(f);
	unsigned crunch = 0;

	assert_int_equal(symbols_add_module(s, path, p->bias, p->lo, p->hi), 0);
	for (size_t i = 0; i < p->n; i++) {
		const struct symbols_frame *fr;
		uint32_t n = symbols_frames(s, p->pc[i], false, &fr);

		assert_true(n >= 1 && n <= SYMBOLS_INLINE_MAX);
		if (exact)
			assert_int_equal(n, 1);
		if (!strcmp(funcs_name(f, fr[0].func), "crunch"))
			crunch += p->count[i];
	}
	assert_true(crunch * 20 >= p->total * 19);
	symbols_free(s);
	funcs_free(f);
}

static void test_symbols_inline_nodebug(void **state)
{
	static struct iprof p;

	iprof_run("sym-inline-nodebug", &p);
	check_plain(&p, p.exe, true);
}

/* Overwrites the contents of section name in the ELF file at path with
 * bytes of pattern (seeded); false when it has no such section. */
static bool corrupt_section(const char *path, const char *name, unsigned seed)
{
	int fd = open(path, O_RDWR);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	uint64_t off = 0, size = 0;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) && (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, name) && sh.sh_type != SHT_NOBITS) {
			off = sh.sh_offset;
			size = sh.sh_size;
		}
	}
	elf_end(elf);
	/* keep the first bytes (unit headers parse), garble the rest */
	for (uint64_t i = size > 12 ? 12 : 0; i < size; i++) {
		unsigned char b = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);

		assert_int_equal(pwrite(fd, &b, 1, (off_t)(off + i)), 1);
	}
	close(fd);
	return size > 0;
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ssize_t n;

	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* Corrupt debug info: names from the symbol table, never a crash. */
static void test_symbols_inline_corrupt(void **state)
{
	static struct iprof p;
	static const char *const sections[] = {".debug_info", ".debug_abbrev", ".debug_line",
					       ".debug_rnglists", ".debug_str"};
	char path[64];

	iprof_run("sym-inline", &p);
	snprintf(path, sizeof(path), "/tmp/flametop-test-inline.%d", (int)getpid());
	for (unsigned seed = 1; seed <= 3; seed++) {
		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
			copy_file(p.exe, path);
			if (!corrupt_section(path, sections[i], seed * 7 + (unsigned)i))
				continue;
			check_plain(&p, path, false);
		}
	}
	/* all of them at once */
	copy_file(p.exe, path);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		corrupt_section(path, sections[i], 99 + (unsigned)i);
	check_plain(&p, path, false);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_symbols_debug),
	    cmocka_unit_test(test_symbols_nodebug),
	    cmocka_unit_test(test_symbols_stripped),
	    cmocka_unit_test(test_symbols_fde),
	    cmocka_unit_test(test_symbols_plt),
	    cmocka_unit_test(test_symbols_missing_file),
	    cmocka_unit_test(test_symbols_vdso),
	    cmocka_unit_test(test_symbols_cost),
	    cmocka_unit_test(test_symbols_inline),
	    cmocka_unit_test(test_symbols_inline_nodebug),
	    cmocka_unit_test(test_symbols_inline_corrupt),
	};

	return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}
