/*
 * symbols.c - addresses to functions, with elfutils' libdwfl (offline).
 *
 * This file contains the symbolizer: one Dwfl session in offline mode into
 * which each module the target publishes is reported with its load bias,
 * and a cache from (pc, return-address flag) to function id so that every
 * distinct address is resolved once.  Invariants:
 *   - modules[] holds every registered module, with or without an ELF
 *     (a module whose file could not be opened has mod == NULL and its
 *     addresses become "name+0xOFF", OFF = pc - bias);
 *   - the cache is open addressing, linear probing, at most half full; an
 *     entry for an address that fell in no module is marked and dropped
 *     when a module is added, so a late module still names its pcs; a
 *     module mapped over (part of) an older one's range empties the cache;
 *   - where ranges overlap, the module registered last owns the address;
 *   - an entry holds its frames (symbols_frames): one inline in the entry,
 *     several (a function and what was inlined at the pc) in the pool,
 *     which only grows until the cache is emptied;
 *   - a module's debug info is read per compile unit, when an address of
 *     that unit is first resolved: its functions' ranges sorted once, so
 *     that finding what was inlined at a pc walks one function's scopes;
 *   - nothing here prints; libdwfl and libdw errors are folded into
 *     "unknown" (no line, no inlined frames), every walk over debug info
 *     is bounded, whatever the file says.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>

#include "demangle.h"
#include "fdetab.h"
#include "jitmap.h"
#include "symbols.h"

/* a function symbol, address adjusted to where the module is loaded */
struct sym_func {
	uint64_t addr, size;
	const char *name; /* in libdwfl's ELF data: valid until dwfl_end */
	uint32_t rank;	  /* among aliases the lowest is shown, see sym_rank */
};

/* One PLT section's stubs: which function each entry jumps to. */
struct sym_plt {
	uint64_t lo, hi, entsize; /* loaded addresses */
	const char **names;	  /* per entry, NULL: not known (PLT0) */
};

/* A function's code range in a compile unit (DWARF addresses). */
struct sym_sub {
	uint64_t lo, hi;
	Dwarf_Die die; /* its DW_TAG_subprogram */
};

/* A compile unit whose functions were indexed. */
struct sym_cu {
	Dwarf_Off off;	      /* of its DIE: the key */
	struct sym_sub *subs; /* sorted by lo */
	size_t nsubs;
};

struct sym_module {
	char *path;
	const char *name; /* basename, inside path */
	uint64_t bias, lo, hi;
	Dwfl_Module *mod;	/* NULL: name only */
	struct sym_func *funcs; /* sorted by addr, built on first use */
	size_t nfuncs;
	struct sym_plt *plt; /* PLT sections, with funcs */
	size_t nplt;
	struct fdetab *fdes; /* unwind table ranges, with funcs */
	uint64_t elf_bias;   /* loaded address - ELF address */
	bool loaded;	     /* funcs and plt built (or found impossible) */
	struct sym_cu *cus;  /* indexed so far, sorted by off */
	size_t ncus, capcus;
};

struct sym_entry {
	uint64_t pc;
	struct symbols_frame fr; /* the only frame, when n == 1 */
	uint32_t chain;		 /* n > 1: pool[chain, chain + n) */
	uint8_t n;
	uint8_t used;
	uint8_t ret;	  /* looked up as a return address */
	uint8_t unknown;  /* in no module when resolved */
	uint8_t code;	  /* in a module's code: debug info may say more */
	uint8_t expanded; /* fr / the pool hold what debug info says */
};

struct symbols {
	struct funcs *f;
	Dwfl *dwfl;
	struct sym_module *mods;
	size_t nmods, capmods;
	struct sym_entry *tab;
	size_t cap; /* a power of two */
	size_t count;
	size_t nunknown;	    /* entries marked unknown */
	size_t misses;		    /* lookups that fell in no module, cached or not */
	struct jitmap *jit;	    /* the target's perf map, or NULL */
	uint32_t jit_id;	    /* "[jit]" */
	struct symbols_frame *pool; /* frames of the entries with n > 1 */
	size_t npool, cappool;
	bool no_inline;					/* inlined functions are not frames */
	struct symbols_frame spare[SYMBOLS_INLINE_MAX]; /* frames not cached */
	char **paths; /* source paths made absolute, a set (open addressing) */
	size_t npaths, cappaths;
};

static int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			      Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			      GElf_Word debuglink_crc, char **debuginfo_file_name);

static const Dwfl_Callbacks sym_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = sym_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = NULL,
};

#define SYM_INITIAL_CAP 4096u

struct symbols *symbols_new(struct funcs *f)
{
	struct symbols *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->f = f;
	s->dwfl = dwfl_begin(&sym_callbacks);
	if (!s->dwfl)
		goto out_free;
	s->cap = SYM_INITIAL_CAP;
	s->tab = calloc(s->cap, sizeof(*s->tab));
	if (!s->tab)
		goto out_dwfl;
	return s;

out_dwfl:
	dwfl_end(s->dwfl);
out_free:
	free(s);
	return NULL;
}

void symbols_free(struct symbols *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmods; i++) {
		free(s->mods[i].path);
		free(s->mods[i].funcs);
		for (size_t k = 0; k < s->mods[i].nplt; k++)
			free(s->mods[i].plt[k].names);
		free(s->mods[i].plt);
		fdetab_free(s->mods[i].fdes);
		for (size_t k = 0; k < s->mods[i].ncus; k++)
			free(s->mods[i].cus[k].subs);
		free(s->mods[i].cus);
	}
	for (size_t i = 0; i < s->cappaths; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s->pool);
	free(s->mods);
	free(s->tab);
	jitmap_free(s->jit);
	dwfl_end(s->dwfl);
	free(s);
}

static inline size_t sym_hash(const struct symbols *s, uint64_t pc, bool ret)
{
	uint64_t h = (pc ^ (ret ? 0x5bd1e9955bd1e995ull : 0)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 17) & (s->cap - 1);
}

static struct sym_entry *sym_find(struct symbols *s, uint64_t pc, bool ret)
{
	size_t i = sym_hash(s, pc, ret);

	while (s->tab[i].used) {
		if (s->tab[i].pc == pc && s->tab[i].ret == ret)
			return &s->tab[i];
		i = (i + 1) & (s->cap - 1);
	}
	return &s->tab[i]; /* the empty slot where it belongs */
}

/* Rebuilds the cache into cap slots, leaving out unknown entries if asked. */
enum sym_drop { SYM_KEEP, SYM_DROP_UNKNOWN, SYM_DROP_ALL };

static int sym_rehash(struct symbols *s, size_t cap, enum sym_drop drop)
{
	struct sym_entry *old = s->tab;
	size_t oldcap = s->cap;

	s->tab = calloc(cap, sizeof(*s->tab));
	if (!s->tab) {
		s->tab = old;
		return -ENOMEM;
	}
	s->cap = cap;
	s->count = 0;
	s->nunknown = 0;
	if (drop == SYM_DROP_ALL)
		s->npool = 0; /* no entry refers to it any more */
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].used || drop == SYM_DROP_ALL ||
		    (drop == SYM_DROP_UNKNOWN && old[i].unknown))
			continue;
		*sym_find(s, old[i].pc, old[i].ret) = old[i];
		s->count++;
		s->nunknown += old[i].unknown;
	}
	free(old);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

/*
 * The vdso has no file, but the viewer runs on the target's kernel, whose
 * vdso image is the same in every process: a copy of our own (in a memfd)
 * symbolizes the target's.  Returns the fd or -1.
 */
static int vdso_copy_fd(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	unsigned long lo = 0, hi = 0;
	int fd = -1;

	if (!maps)
		return -1;
	while (fgets(line, sizeof(line), maps))
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	fclose(maps);
	if (hi <= lo)
		return -1;
	fd = memfd_create("flametop-vdso", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, (const void *)lo, hi - lo) != (ssize_t)(hi - lo)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Module and debug files are read through mmap by libelf; a bigger file is
 * not an object anyone loaded. */
#define SYM_FILE_MAX (4ull << 30)

/*
 * Opens path for libdw, never blocking and never on something that is not
 * a regular file: a module path comes from the segment, which any process
 * of the user can write, and a FIFO, a device or a socket there would
 * block the viewer or do worse.  Symlinks are followed (libraries are
 * loaded through them), but what they lead to is checked like the rest.
 * Returns the fd or -errno.
 */
static int sym_open_file(const char *path)
{
	struct stat st, fst;
	int fd;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > SYM_FILE_MAX)
		return -EFBIG;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* swapped between stat and open: judge what was opened */
	if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode) || fst.st_dev != st.st_dev ||
	    fst.st_ino != st.st_ino || (uint64_t)fst.st_size > SYM_FILE_MAX) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* Whether the ELF file open at fd carries the build-id want (len bytes). */
static bool sym_same_build_id(int fd, const unsigned char *want, int len)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const void *id = NULL;
	ssize_t n = elf ? dwelf_elf_gnu_build_id(elf, &id) : -1;
	bool same = n == len && id && memcmp(id, want, (size_t)len) == 0;

	elf_end(elf);
	return same;
}

/* Opens a separate debug file candidate, checked against the module's
 * build-id when it has one. */
static int sym_open_debug(const char *path, const unsigned char *id, int idlen, char **found)
{
	int fd = sym_open_file(path);

	if (fd < 0)
		return -1;
	if (idlen > 0 && !sym_same_build_id(fd, id, idlen)) {
		close(fd);
		return -1;
	}
	*found = strdup(path);
	return fd;
}

/*
 * Separate debug info, found as gdb and libdwfl find it: by build-id under
 * /usr/lib/debug/.build-id (Debian's -dbgsym packages), then by the
 * .gnu_debuglink name next to the module, in its .debug directory and
 * under /usr/lib/debug.  Every candidate is opened with sym_open_file.
 * debuginfod is asked (through libdwfl's standard search) only where the
 * user configured it (DEBUGINFOD_URLS), and only when no local candidate
 * is something other than a regular file.
 */
static int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			      Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			      GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const unsigned char *id = NULL;
	GElf_Addr idaddr;
	int idlen = dwfl_module_build_id(mod, &id, &idaddr);
	const char *urls = getenv("DEBUGINFOD_URLS");
	char path[4096], dir[2048];
	bool planted = false;
	int fd;

	if (idlen >= 2 && idlen <= 64) {
		int k = snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%02x/", id[0]);

		for (int i = 1; i < idlen; i++)
			k += snprintf(path + k, sizeof(path) - (size_t)k, "%02x", id[i]);
		snprintf(path + k, sizeof(path) - (size_t)k, ".debug");
		fd = sym_open_debug(path, id, idlen, debuginfo_file_name);
		if (fd >= 0)
			return fd;
	} else {
		idlen = 0;
	}
	if (debuglink_file && file_name && !strchr(debuglink_file, '/')) {
		const char *slash = strrchr(file_name, '/');
		size_t dirlen = slash ? (size_t)(slash - file_name) : 0;
		struct stat st;

		if (dirlen >= sizeof(dir))
			return -1;
		memcpy(dir, file_name, dirlen);
		dir[dirlen] = '\0';
		for (int i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s%s%s/%.1000s",
				 i == 2 ? "/usr/lib/debug" : "", dir, i == 1 ? "/.debug" : "",
				 debuglink_file);
			if (!strcmp(path, file_name))
				continue;
			if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
				planted = true;
			fd = sym_open_debug(path, id, idlen, debuginfo_file_name);
			if (fd >= 0)
				return fd;
		}
	}
	if (urls && *urls && !planted)
		return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name,
						    debuglink_file, debuglink_crc,
						    debuginfo_file_name);
	return -1;
}

/* Records m's GNU build-id (from its ELF note) for the writers. */
static void sym_build_id(struct symbols *s, const struct sym_module *m)
{
	const unsigned char *id = NULL;
	GElf_Addr vaddr;
	int len = dwfl_module_build_id(m->mod, &id, &vaddr);
	char hex[2 * 64 + 1];

	if (len <= 0 || len > 64 || !id)
		return;
	for (int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	funcs_set_build_id(s->f, m->name, hex);
}

int symbols_add_module(struct symbols *s, const char *path, uint64_t bias, uint64_t lo, uint64_t hi)
{
	int fd = -1;

	struct sym_module *m;
	bool overlap = false;

	if (!path || !*path)
		return -EINVAL;
	for (size_t i = 0; i < s->nmods; i++) {
		if (s->mods[i].bias == bias && !strcmp(s->mods[i].path, path))
			return 0;
		if (lo < s->mods[i].hi && s->mods[i].lo < hi)
			overlap = true;
	}
	if (s->nmods == s->capmods) {
		size_t cap = s->capmods ? s->capmods * 2 : 16;
		struct sym_module *n = realloc(s->mods, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->mods = n;
		s->capmods = cap;
	}
	m = &s->mods[s->nmods];
	memset(m, 0, sizeof(*m));
	m->path = strdup(path);
	if (!m->path)
		return -ENOMEM;
	m->name = base_name(m->path);
	m->bias = bias;
	m->lo = lo;
	m->hi = hi;
	/* bias is the load bias (dlpi_addr): with add_p_vaddr each segment
	 * lands at bias + p_vaddr, also for objects whose first p_vaddr is
	 * not 0 */
	if (!strcmp(path, "[vdso]"))
		fd = vdso_copy_fd();
	else
		fd = sym_open_file(path);
	if (fd >= 0) {
		dwfl_report_begin_add(s->dwfl);
		m->mod = dwfl_report_elf(s->dwfl, m->name, m->path, fd, bias, true);
		if (!m->mod)
			close(fd); /* consumed only on success */
		if (dwfl_report_end(s->dwfl, NULL, NULL) != 0)
			m->mod = NULL;
	}
	if (m->mod)
		sym_build_id(s, m);
	s->nmods++;
	/* addresses seen before this module was known were unknown; where
	 * it took the place of an unloaded module, they had its names */
	if (overlap)
		sym_rehash(s, s->cap, SYM_DROP_ALL);
	else if (s->nunknown)
		sym_rehash(s, s->cap, SYM_DROP_UNKNOWN);
	return 0;
}

/* The module holding addr: by the published executable range first, then
 * by the whole mapping libdwfl knows of. */
static struct sym_module *sym_module_of(struct symbols *s, uint64_t addr)
{
	Dwfl_Module *dm;

	/* newest first: a module mapped where an unloaded one was wins */
	for (size_t i = s->nmods; i-- > 0;)
		if (addr >= s->mods[i].lo && addr < s->mods[i].hi)
			return &s->mods[i];
	dm = dwfl_addrmodule(s->dwfl, addr);
	if (!dm)
		return NULL;
	for (size_t i = 0; i < s->nmods; i++)
		if (s->mods[i].mod == dm)
			return &s->mods[i];
	return NULL;
}

static int func_cmp(const void *a, const void *b)
{
	const struct sym_func *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((x->size > 0) != (y->size > 0))
		return x->size > 0 ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->name, y->name); /* stable across runs */
}

/* Which of several names for one address to show: a visible one before
 * a local one, then the one with the fewest leading underscores
 * (malloc_stats, not __malloc_stats; glibc's internal "__GI_" aliases
 * count as more underscores than the name they alias), then global before
 * weak. */
static uint32_t sym_rank(const char *name, int bind)
{
	uint32_t u = 0;

	if (!strncmp(name, "__GI_", 5)) {
		name += 5;
		u = 3;
	}
	while (*name == '_' && u < 200) {
		name++;
		u++;
	}
	return (bind == STB_LOCAL ? 1000 : 0) + u * 4 + (bind == STB_WEAK ? 1 : 0);
}

#define SYM_PLT_SECTIONS 4

struct sym_got {
	uint64_t slot; /* the GOT slot's link-time address */
	const char *name;
};

static int got_cmp(const void *a, const void *b)
{
	const struct sym_got *x = a, *y = b;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* The relocations that fill GOT slots with a function's address
 * (JUMP_SLOT in .rela.plt, GLOB_DAT in .rela.dyn for .plt.got), sorted by
 * slot; *pltrel gets .rela.plt's names in order (a lazy PLT entry pushes
 * its index there).  Names point into libelf's data. */
static size_t sym_got_slots(Elf *elf, size_t shstrndx, struct sym_got **out, const char ***pltrel,
			    size_t *npltrel)
{
	Elf_Scn *scn = NULL;
	struct sym_got *got = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*pltrel = NULL;
	*npltrel = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr, lshdr;
		Elf_Scn *symscn;
		Elf_Data *data, *syms;
		const char *secname;
		size_t count;
		bool isplt;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_RELA || !shdr.sh_entsize)
			continue;
		symscn = elf_getscn(elf, shdr.sh_link);
		data = elf_getdata(scn, NULL);
		if (!symscn || !gelf_getshdr(symscn, &lshdr) || !data ||
		    (lshdr.sh_type != SHT_DYNSYM && lshdr.sh_type != SHT_SYMTAB))
			continue;
		syms = elf_getdata(symscn, NULL);
		secname = elf_strptr(elf, shstrndx, shdr.sh_name);
		isplt = secname && !strcmp(secname, ".rela.plt");
		count = data->d_size / shdr.sh_entsize;
		if (isplt && !*pltrel) {
			*pltrel = calloc(count ? count : 1, sizeof(**pltrel));
			*npltrel = *pltrel ? count : 0;
		}
		for (size_t i = 0; i < count; i++) {
			GElf_Rela r;
			GElf_Sym sym;
			const char *name;
			unsigned type;

			if (!gelf_getrela(data, (int)i, &r))
				break;
			type = (unsigned)GELF_R_TYPE(r.r_info);
			if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT)
				continue;
			if (!syms || !gelf_getsym(syms, (int)GELF_R_SYM(r.r_info), &sym))
				continue;
			name = elf_strptr(elf, lshdr.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			if (isplt && *pltrel && i < *npltrel)
				(*pltrel)[i] = name;
			if (n == cap) {
				size_t c = cap ? cap * 2 : 64;
				struct sym_got *g = realloc(got, c * sizeof(*g));

				if (!g)
					break;
				got = g;
				cap = c;
			}
			got[n++] = (struct sym_got){r.r_offset, name};
		}
	}
	if (n)
		qsort(got, n, sizeof(*got), got_cmp);
	*out = got;
	return n;
}

static const char *got_name(const struct sym_got *got, size_t n, uint64_t slot)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (got[mid].slot == slot)
			return got[mid].name;
		if (got[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Names one x86-64 PLT entry (at link-time address addr) from its code:
 * "jmp *disp(%rip)" (after an endbr64 and a bnd prefix, in .plt, .plt.sec
 * and .plt.got) reads a GOT slot that a relocation names; a lazy entry
 * with IBT has no jump through the GOT but pushes its .rela.plt index.
 */
static const char *plt_entry_name(const unsigned char *code, size_t len, uint64_t addr,
				  const struct sym_got *got, size_t ngot, const char **pltrel,
				  size_t npltrel)
{
	for (size_t i = 0; i + 6 <= len; i++) {
		if (code[i] == 0xff && code[i + 1] == 0x25) {
			int32_t disp;

			memcpy(&disp, code + i + 2, 4);
			return got_name(got, ngot, addr + i + 6 + (int64_t)disp);
		}
		if (code[i] == 0xff && code[i + 1] == 0x35)
			return NULL; /* PLT0 pushes the GOT's second word */
	}
	for (size_t i = 0; i + 5 <= len; i++)
		if (code[i] == 0x68) {
			uint32_t idx;

			memcpy(&idx, code + i + 1, 4);
			return idx < npltrel ? pltrel[idx] : NULL;
		}
	return NULL;
}

/*
 * PLT stubs have no symbols: each entry of .plt, .plt.sec and .plt.got is
 * named after the function its relocation names ("memcpy@plt", as perf
 * and objdump show it), and the rest of those sections is "[plt]" (without
 * them the nearest sizeless symbol, often _init, would claim the stubs).
 */
static void sym_load_plt(struct sym_module *m)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(m->mod, &bias);
	GElf_Ehdr ehdr;
	Elf_Scn *scn = NULL;
	size_t shstrndx, ngot = 0, npltrel = 0;
	struct sym_got *got = NULL;
	const char **pltrel = NULL;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx) < 0 || !gelf_getehdr(elf, &ehdr))
		return;
	m->plt = calloc(SYM_PLT_SECTIONS, sizeof(*m->plt));
	if (!m->plt)
		return;
	if (ehdr.e_machine == EM_X86_64)
		ngot = sym_got_slots(elf, shstrndx, &got, &pltrel, &npltrel);
	while ((scn = elf_nextscn(elf, scn)) && m->nplt < SYM_PLT_SECTIONS) {
		struct sym_plt *p = &m->plt[m->nplt];
		GElf_Shdr shdr;
		const char *name;
		Elf_Data *data;
		size_t count;

		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR) || !shdr.sh_size)
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name || strncmp(name, ".plt", 4) != 0)
			continue;
		p->lo = shdr.sh_addr + bias;
		p->hi = p->lo + shdr.sh_size;
		p->entsize = shdr.sh_entsize >= 8 && shdr.sh_entsize <= 32 ? shdr.sh_entsize : 16;
		p->names = NULL;
		m->nplt++;
		data = ngot || npltrel ? elf_getdata(scn, NULL) : NULL;
		if (!data || !data->d_buf || data->d_size < shdr.sh_size)
			continue;
		count = shdr.sh_size / p->entsize;
		p->names = calloc(count ? count : 1, sizeof(*p->names));
		for (size_t i = 0; p->names && i < count; i++)
			p->names[i] = plt_entry_name(
			    (const unsigned char *)data->d_buf + i * p->entsize, p->entsize,
			    shdr.sh_addr + i * p->entsize, got, ngot, pltrel, npltrel);
	}
	free(got);
	free(pltrel);
}

/* Whether addr is in a PLT section: *name is the target function's raw
 * name, or NULL for "[plt]". */
static bool sym_plt_at(const struct sym_module *m, uint64_t addr, const char **name)
{
	for (size_t i = 0; i < m->nplt; i++) {
		const struct sym_plt *p = &m->plt[i];

		if (addr < p->lo || addr >= p->hi)
			continue;
		*name = p->names ? p->names[(addr - p->lo) / p->entsize] : NULL;
		return true;
	}
	return false;
}

/*
 * The module's function symbols (.symtab, else .dynsym) sorted by address:
 * dwfl_module_addrinfo scans every symbol on each call, which costs
 * hundreds of microseconds in a large library; a sorted copy makes a
 * lookup a binary search.
 */
static void sym_load_funcs(struct sym_module *m)
{
	int n;
	size_t k = 0;

	GElf_Addr bias;
	Elf *elf;

	m->loaded = true;
	sym_load_plt(m);
	elf = dwfl_module_getelf(m->mod, &bias);
	if (elf) {
		m->fdes = fdetab_new(elf);
		m->elf_bias = bias;
	}
	n = dwfl_module_getsymtab(m->mod);
	if (n <= 1)
		return;
	m->funcs = malloc((size_t)n * sizeof(*m->funcs));
	if (!m->funcs)
		return;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name =
		    dwfl_module_getsym_info(m->mod, i, &sym, &addr, &shndx, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || shndx == SHN_UNDEF)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		m->funcs[k++] = (struct sym_func){addr, sym.st_size, name,
						  sym_rank(name, GELF_ST_BIND(sym.st_info))};
	}
	m->nfuncs = k;
	qsort(m->funcs, k, sizeof(*m->funcs), func_cmp);
}

/* The function symbol containing addr: a sized symbol that covers it, or
 * a sizeless one with nothing else between it and addr. */
static const struct sym_func *sym_func_at(const struct sym_module *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nfuncs, i;

	while (lo < hi) { /* first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (m->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	i = lo - 1;
	/* aliases share an address: the first of them is the preferred one */
	while (i > 0 && m->funcs[i - 1].addr == m->funcs[i].addr)
		i--;
	for (size_t j = i; j < lo; j++)
		if (m->funcs[j].size && addr < m->funcs[j].addr + m->funcs[j].size)
			return &m->funcs[j];
	/* a large function may enclose a smaller symbol just before addr */
	for (size_t j = i, steps = 0; j-- > 0 && steps < 8; steps++)
		if (m->funcs[j].size && addr < m->funcs[j].addr + m->funcs[j].size)
			return &m->funcs[j];
	if (m->funcs[i].size == 0)
		return &m->funcs[i];
	return NULL;
}

/* The start of the function containing addr (loaded addresses), from the
 * module's unwind table: see fdetab.h. */
static bool sym_fde_start(const struct sym_module *m, uint64_t addr, uint64_t *start)
{
	uint64_t s;

	if (!m->fdes || addr < m->elf_bias || !fdetab_find(m->fdes, addr - m->elf_bias, &s))
		return false;
	*start = s + m->elf_bias;
	return true;
}

/* Interns a symbol's name, made readable: no symbol version ("memcpy" for
 * "memcpy@@GLIBC_2.14"), demangled; suffix ("@plt") appended. */
static uint32_t sym_intern(struct symbols *s, const struct sym_module *m, const char *name,
			   const char *suffix)
{
	const char *at = strchr(name, '@');
	char *plain = NULL, *readable, *full = NULL;
	uint32_t id;

	if (at && at > name) {
		plain = strndup(name, (size_t)(at - name));
		if (!plain)
			return 0;
		name = plain;
	}
	readable = demangle(name);
	if (readable)
		name = readable;
	if (suffix && asprintf(&full, "%s%s", name, suffix) < 0)
		full = NULL;
	id = full     ? funcs_intern(s->f, full, m->name)
	     : suffix ? 0
		      : funcs_intern(s->f, name, m->name);
	free(full);
	free(readable);
	free(plain);
	return id;
}

/* "module+0xOFF", OFF relative to the load bias (the ELF address). */
static uint32_t sym_intern_offset(struct symbols *s, const struct sym_module *m, uint64_t addr)
{
	char buf[320];

	snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, m->name, addr - m->bias);
	return funcs_intern(s->f, buf, m->name);
}

/* The function id of pc; *code: the module with an ELF file whose code
 * holds it (not a PLT stub), where debug info may say more, else NULL. */
static uint32_t sym_lookup(struct symbols *s, uint64_t pc, bool ret, bool *unknown,
			   struct sym_module **code)
{
	uint64_t addr = ret && pc ? pc - 1 : pc, start;
	struct sym_module *m = sym_module_of(s, addr);
	const struct sym_func *fn;
	const char *plt;
	char buf[96];

	*unknown = !m;
	*code = NULL;
	if (!m && s->jit) {
		/* JIT code: named by the perf map, else "[jit]" for anonymous
		 * executable memory, looked up again when the map grows */
		const char *name = jitmap_find(s->jit, addr);

		if (name)
			return funcs_intern(s->f, name, "[jit]");
		if (jitmap_anon_exec(s->jit, addr))
			return s->jit_id ? s->jit_id
					 : (s->jit_id = funcs_intern(s->f, "[jit]", "[jit]"));
	}
	if (!m) {
		snprintf(buf, sizeof(buf), "[unknown]+0x%" PRIx64, pc);
		return funcs_intern(s->f, buf, "");
	}
	if (!m->mod)
		return sym_intern_offset(s, m, pc);
	if (!m->loaded)
		sym_load_funcs(m);
	if (sym_plt_at(m, addr, &plt))
		return plt ? sym_intern(s, m, plt, "@plt") : funcs_intern(s->f, "[plt]", m->name);
	*code = m;
	fn = sym_func_at(m, addr);
	if (fn && fn->size)
		return sym_intern(s, m, fn->name, NULL);
	/* no symbol, or a sizeless one that an unwind table may split */
	if (sym_fde_start(m, addr, &start) && (!fn || start > fn->addr))
		return sym_intern_offset(s, m, start);
	if (fn)
		return sym_intern(s, m, fn->name, NULL);
	return sym_intern_offset(s, m, pc);
}

/* ---- debug info: source lines and inlined functions ---- */

#define SYM_CU_SUBS_MAX (1u << 20) /* function ranges indexed per unit */
#define SYM_CU_NEST 16		   /* namespaces and classes descended */
#define SYM_WALK_MAX 100000u	   /* DIEs visited per lookup at most */
#define SYM_CHAIN_MAX 64	   /* nested inlined scopes followed */

static int sub_cmp(const void *a, const void *b)
{
	const struct sym_sub *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void sym_cu_add_ranges(struct sym_cu *cu, size_t *cap, Dwarf_Die *die)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	int guard = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0 && guard++ < 1024) {
		if (hi <= lo || cu->nsubs >= SYM_CU_SUBS_MAX)
			continue;
		if (cu->nsubs == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			struct sym_sub *n = realloc(cu->subs, c * sizeof(*n));

			if (!n)
				return;
			cu->subs = n;
			*cap = c;
		}
		cu->subs[cu->nsubs++] = (struct sym_sub){lo, hi, *die};
	}
}

/* Indexes the code ranges of the functions defined in the unit cudie
 * (at its top level or inside namespaces and classes), iteratively. */
static void sym_cu_scan(struct sym_cu *cu, Dwarf_Die *cudie)
{
	Dwarf_Die stack[SYM_CU_NEST], die, next;
	int depth = 0;
	size_t cap = 0;
	unsigned long visits = 0;

	if (dwarf_child(cudie, &die) != 0)
		return;
	for (;;) {
		int tag = dwarf_tag(&die);

		if (++visits > 16ul * SYM_CU_SUBS_MAX)
			break;
		if (tag == DW_TAG_subprogram) {
			sym_cu_add_ranges(cu, &cap, &die);
		} else if ((tag == DW_TAG_namespace || tag == DW_TAG_class_type ||
			    tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
			   depth < SYM_CU_NEST && dwarf_child(&die, &next) == 0) {
			stack[depth++] = die;
			die = next;
			continue;
		}
		while (dwarf_siblingof(&die, &next) != 0) {
			if (depth == 0)
				goto out;
			die = stack[--depth];
		}
		die = next;
	}
out:
	if (cu->nsubs)
		qsort(cu->subs, cu->nsubs, sizeof(*cu->subs), sub_cmp);
}

/* The index of the unit cudie in m, built on first use; NULL: ENOMEM. */
static struct sym_cu *sym_cu_of(struct sym_module *m, Dwarf_Die *cudie)
{
	Dwarf_Off off = dwarf_dieoffset(cudie);
	size_t lo = 0, hi = m->ncus;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->cus[mid].off == off)
			return &m->cus[mid];
		if (m->cus[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (m->ncus == m->capcus) {
		size_t c = m->capcus ? m->capcus * 2 : 16;
		struct sym_cu *n = realloc(m->cus, c * sizeof(*n));

		if (!n)
			return NULL;
		m->cus = n;
		m->capcus = c;
	}
	memmove(&m->cus[lo + 1], &m->cus[lo], (m->ncus - lo) * sizeof(*m->cus));
	m->cus[lo] = (struct sym_cu){.off = off};
	m->ncus++;
	sym_cu_scan(&m->cus[lo], cudie);
	return &m->cus[lo];
}

/* The function of cu whose code holds pc (a DWARF address). */
static const struct sym_sub *sym_sub_at(const struct sym_cu *cu, uint64_t pc)
{
	size_t lo = 0, hi = cu->nsubs;

	while (lo < hi) { /* first range starting above pc */
		size_t mid = lo + (hi - lo) / 2;

		if (cu->subs[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ranges do not overlap but in nested functions: look a little back */
	for (size_t i = lo, steps = 0; i-- > 0 && steps < 4; steps++)
		if (pc < cu->subs[i].hi)
			return &cu->subs[i];
	return NULL;
}

/*
 * The inlined scopes (DW_TAG_inlined_subroutine) holding pc inside the
 * function fn, outermost first, into chain[0..max); when there are more,
 * the innermost are kept.  Walks down through the scopes that hold pc
 * (lexical blocks and inlined calls), one level at a time.
 */
static size_t sym_inlined_at(Dwarf_Die *fn, uint64_t pc, Dwarf_Die *chain, size_t max)
{
	Dwarf_Die die = *fn, child;
	size_t n = 0;
	unsigned visits = 0;

	for (int depth = 0; depth < 4 * SYM_CHAIN_MAX; depth++) {
		bool inside = false;

		if (dwarf_child(&die, &child) != 0)
			break;
		do {
			int tag = dwarf_tag(&child);

			if (++visits > SYM_WALK_MAX)
				return n;
			if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_lexical_block &&
			    tag != DW_TAG_try_block && tag != DW_TAG_catch_block)
				continue;
			if (dwarf_haspc(&child, pc) != 1)
				continue;
			if (tag == DW_TAG_inlined_subroutine) {
				if (n == max) { /* keep the innermost */
					memmove(chain, chain + 1, (max - 1) * sizeof(*chain));
					n--;
				}
				chain[n++] = child;
			}
			inside = true;
			break;
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!inside)
			break;
		die = child;
	}
	return n;
}

/* The name of the function an inlined scope is an instance of: its
 * linkage name demangled, else its plain name (the abstract origin's);
 * NULL when none.  Caller frees. */
static char *sym_inlined_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
	char *readable;

	if (!name)
		name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	if (name && (readable = demangle(name)))
		return readable;
	if (!name)
		name = dwarf_diename(die);
	return name && *name ? strdup(name) : NULL;
}

static uint64_t path_hash(const char *p)
{
	uint64_t h = 1469598103934665603ull;

	while (*p)
		h = (h ^ (unsigned char)*p++) * 1099511628211ull;
	return h;
}

/* name, made absolute against the unit's directory dir when it is
 * relative (as a build's own files are); kept until symbols_free.  name
 * itself when it is absolute, dir unknown, or memory runs out. */
static const char *sym_path(struct symbols *s, const char *dir, const char *name)
{
	char *full;
	size_t i;

	if (!name || name[0] == '/' || !dir || dir[0] != '/')
		return name;
	if ((s->npaths + 1) * 2 > s->cappaths) {
		size_t cap = s->cappaths ? s->cappaths * 2 : 64;
		char **t = calloc(cap, sizeof(*t));

		if (!t)
			return name;
		for (size_t k = 0; k < s->cappaths; k++) {
			if (!s->paths[k])
				continue;
			for (i = (size_t)path_hash(s->paths[k]) & (cap - 1); t[i];
			     i = (i + 1) & (cap - 1))
				;
			t[i] = s->paths[k];
		}
		free(s->paths);
		s->paths = t;
		s->cappaths = cap;
	}
	if (asprintf(&full, "%s/%s", dir, name) < 0)
		return name;
	for (i = (size_t)path_hash(full) & (s->cappaths - 1); s->paths[i];
	     i = (i + 1) & (s->cappaths - 1))
		if (!strcmp(s->paths[i], full)) {
			free(full);
			return s->paths[i];
		}
	s->paths[i] = full;
	s->npaths++;
	return full;
}

/* Records where function id starts in its source, from die (its
 * subprogram, or an inlined instance of it: DW_AT_decl_file and
 * DW_AT_decl_line, followed to the abstract origin), once per function:
 * the pprof and recording writers carry it.  dir: the unit's directory,
 * against which a relative file is made absolute. */
static void sym_decl(struct symbols *s, uint32_t id, Dwarf_Die *die, const char *dir)
{
	const char *file;
	int line = 0;

	if (!id || funcs_source(s->f, id, &line))
		return;
	file = dwarf_decl_file(die);
	if (!file)
		return;
	if (dwarf_decl_line(die, &line) != 0 || line < 0)
		line = 0;
	funcs_set_source(s->f, id, sym_path(s, dir, file), line);
}

/* Where the inlined scope die was called from: 0 and *file / *line set,
 * or -ENOENT. */
static int sym_call_site(struct symbols *s, Dwarf_Die *die, const char **file, int *line)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx, l;
	Dwarf_Die cu;
	Dwarf_Files *files;
	size_t nfiles;
	const char *name;

	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &l) != 0 || l == 0 ||
	    l > INT32_MAX)
		return -ENOENT;
	*line = (int)l;
	*file = NULL;
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &idx) == 0 &&
	    dwarf_diecu(die, &cu, NULL, NULL) && dwarf_getsrcfiles(&cu, &files, &nfiles) == 0 &&
	    idx < nfiles && (name = dwarf_filesrc(files, idx, NULL, NULL)))
		*file = sym_path(s, dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr)), name);
	return 0;
}

/* The line of addr in m's line table: 0 or -ENOENT. */
static int sym_line_at(struct symbols *s, struct sym_module *m, uint64_t addr, const char **file,
		       int *line)
{
	Dwfl_Line *l = dwfl_module_getsrc(m->mod, addr);
	const char *src;
	int lineno = 0;

	if (!l)
		return -ENOENT;
	src = dwfl_lineinfo(l, NULL, &lineno, NULL, NULL, NULL);
	if (!src || lineno <= 0)
		return -ENOENT;
	*file = sym_path(s, dwfl_line_comp_dir(l), src);
	*line = lineno;
	return 0;
}

/*
 * Fills fr[1..] with the functions inlined at addr in m (fr[0].func is the
 * function holding it) and every frame's line; returns the number of
 * frames (>= 1, at most SYMBOLS_INLINE_MAX).  A scope without a name or an
 * id is left out.
 */
static uint32_t sym_expand(struct symbols *s, struct sym_module *m, uint64_t addr,
			   struct symbols_frame *fr)
{
	Dwarf_Die chain[SYMBOLS_INLINE_MAX - 1], *cudie;
	Dwarf_Attribute attr;
	Dwarf_Addr bias;
	struct sym_cu *cu = NULL;
	const struct sym_sub *fn = NULL;
	const char *dir = NULL;
	size_t n = 0;
	uint32_t k = 1;

	if ((cudie = dwfl_module_addrdie(m->mod, addr, &bias)) && (cu = sym_cu_of(m, cudie)) &&
	    (fn = sym_sub_at(cu, addr - bias))) {
		Dwarf_Die die = fn->die;

		dir = dwarf_formstring(dwarf_attr(cudie, DW_AT_comp_dir, &attr));
		sym_decl(s, fr[0].func, &die, dir);
		if (!s->no_inline)
			n = sym_inlined_at(&die, addr - bias, chain, SYMBOLS_INLINE_MAX - 1);
	}
	fr[0].line = 0;
	fr[0].file = NULL;
	if (n)
		sym_call_site(s, &chain[0], &fr[0].file, &fr[0].line);
	for (size_t j = 0; j < n; j++) {
		char *name = sym_inlined_name(&chain[j]);
		uint32_t id = name ? sym_intern(s, m, name, " (inlined)") : 0;

		free(name);
		if (!id)
			continue;
		fr[k] = (struct symbols_frame){.func = id};
		sym_decl(s, id, &chain[j], dir);
		if (j + 1 < n)
			sym_call_site(s, &chain[j + 1], &fr[k].file, &fr[k].line);
		k++;
	}
	sym_line_at(s, m, addr, &fr[k - 1].file, &fr[k - 1].line);
	return k;
}

/* Keeps fr[0..n) for e: in the entry or, for several, in the pool. */
static int sym_keep(struct symbols *s, struct sym_entry *e, const struct symbols_frame *fr,
		    uint32_t n)
{
	if (n == 1) {
		e->n = 1;
		e->fr = fr[0];
		return 0;
	}
	if (s->npool + n > s->cappool) {
		size_t c = s->cappool ? s->cappool * 2 : 1024;
		struct symbols_frame *p;

		while (c < s->npool + n)
			c *= 2;
		if (c > UINT32_MAX || !(p = realloc(s->pool, c * sizeof(*p))))
			return -ENOMEM;
		s->pool = p;
		s->cappool = c;
	}
	memcpy(&s->pool[s->npool], fr, n * sizeof(*fr));
	e->n = (uint8_t)n;
	e->fr = fr[0];
	e->chain = (uint32_t)s->npool;
	s->npool += n;
	return 0;
}

static const struct symbols_frame *sym_frames_of(const struct symbols *s, const struct sym_entry *e)
{
	return e->n > 1 ? &s->pool[e->chain] : &e->fr;
}

/* The cache entry of pc, resolved (by its symbol) if new; NULL when
 * memory ran out, with *id the function or 0. */
static struct sym_entry *sym_entry_of(struct symbols *s, uint64_t pc, bool ret, uint32_t *id)
{
	struct sym_entry *e = sym_find(s, pc, ret);
	struct sym_module *code;
	bool unknown;

	if (e->used) {
		s->misses += e->unknown;
		*id = e->fr.func;
		return e;
	}
	*id = sym_lookup(s, pc, ret, &unknown, &code);
	s->misses += unknown;
	if (*id == 0)
		return NULL; /* out of memory: not cached, the caller shows unknown */
	if ((s->count + 1) * 2 > s->cap) {
		if (sym_rehash(s, s->cap * 2, SYM_KEEP) < 0)
			return NULL; /* resolved, just not cached */
		e = sym_find(s, pc, ret);
	}
	*e = (struct sym_entry){.pc = pc,
				.fr = {.func = *id},
				.n = 1,
				.used = 1,
				.ret = ret,
				.unknown = unknown,
				.code = code != NULL};
	s->count++;
	s->nunknown += unknown;
	return e;
}

uint32_t symbols_frames(struct symbols *s, uint64_t pc, bool return_addr,
			const struct symbols_frame **frames)
{
	uint64_t addr = return_addr && pc ? pc - 1 : pc;
	struct symbols_frame fr[SYMBOLS_INLINE_MAX];
	struct sym_entry *e = sym_entry_of(s, pc, return_addr, &fr[0].func);
	struct sym_module *m;
	uint32_t n = 1;

	if (e && (e->expanded || !e->code)) {
		*frames = sym_frames_of(s, e);
		return e->n;
	}
	if (!fr[0].func)
		return 0;
	fr[0].line = 0;
	fr[0].file = NULL;
	/* debug info is read only for what asks for frames */
	m = sym_module_of(s, addr);
	if (m && m->mod)
		n = sym_expand(s, m, addr, fr);
	if (e && sym_keep(s, e, fr, n) == 0) {
		e->expanded = 1;
		*frames = sym_frames_of(s, e);
		return n;
	}
	memcpy(s->spare, fr, n * sizeof(*fr));
	*frames = s->spare;
	return n;
}

uint32_t symbols_resolve(struct symbols *s, uint64_t pc, bool return_addr)
{
	uint32_t id;

	sym_entry_of(s, pc, return_addr, &id);
	return id;
}

int symbols_srcline(struct symbols *s, uint64_t pc, bool return_addr, const char **file, int *line)
{
	const struct symbols_frame *fr;
	uint32_t n = symbols_frames(s, pc, return_addr, &fr);

	if (!n || fr[n - 1].line <= 0 || !fr[n - 1].file)
		return -ENOENT;
	*file = fr[n - 1].file;
	*line = fr[n - 1].line;
	return 0;
}

void symbols_set_inline(struct symbols *s, bool on)
{
	if (s->no_inline == !on)
		return;
	s->no_inline = !on;
	sym_rehash(s, s->cap, SYM_DROP_ALL);
}

int symbols_watch_jit(struct symbols *s, pid_t pid)
{
	struct jitmap *j = jitmap_new(pid);

	if (!j)
		return -ENOMEM;
	jitmap_free(s->jit);
	s->jit = j;
	return 0;
}

int symbols_poll(struct symbols *s)
{
	int n;

	if (!s->jit)
		return 0;
	n = jitmap_poll(s->jit);
	/* new names: addresses resolved without them are looked up again */
	if (n > 0 && s->nunknown)
		sym_rehash(s, s->cap, SYM_DROP_UNKNOWN);
	return n;
}

size_t symbols_jit_malformed(const struct symbols *s)
{
	return s->jit ? jitmap_malformed(s->jit) : 0;
}

size_t symbols_cached(const struct symbols *s)
{
	return s->count;
}

size_t symbols_misses(const struct symbols *s)
{
	return s->misses;
}
