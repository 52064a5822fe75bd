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
 *   - nothing here prints; libdwfl errors are folded into "unknown".
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>

#include "demangle.h"
#include "symbols.h"

/* a function symbol, address adjusted to where the module is loaded */
struct sym_func {
	uint64_t addr, size;
	const char *name; /* in libdwfl's ELF data: valid until dwfl_end */
	uint32_t rank;	  /* among aliases the lowest is shown, see sym_rank */
};

struct sym_module {
	char *path;
	const char *name; /* basename, inside path */
	uint64_t bias, lo, hi;
	Dwfl_Module *mod;	/* NULL: name only */
	struct sym_func *funcs; /* sorted by addr, built on first use */
	size_t nfuncs;
	bool loaded; /* funcs built (or found impossible) */
};

struct sym_entry {
	uint64_t pc;
	uint32_t func;
	uint8_t used;
	uint8_t ret;	 /* looked up as a return address */
	uint8_t unknown; /* in no module when resolved */
};

struct symbols {
	struct funcs *f;
	Dwfl *dwfl;
	struct sym_module *mods;
	size_t nmods, capmods;
	struct sym_entry *tab;
	size_t cap; /* a power of two */
	size_t count;
	size_t nunknown; /* entries marked unknown */
};

static const Dwfl_Callbacks sym_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
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
	}
	free(s->mods);
	free(s->tab);
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
	dwfl_report_begin_add(s->dwfl);
	/* bias is the load bias (dlpi_addr): with add_p_vaddr each segment
	 * lands at bias + p_vaddr, also for objects whose first p_vaddr is
	 * not 0 */
	if (!strcmp(path, "[vdso]"))
		fd = vdso_copy_fd();
	m->mod = dwfl_report_elf(s->dwfl, m->name, m->path, fd, bias, true);
	if (!m->mod && fd >= 0)
		close(fd); /* consumed only on success */
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0)
		m->mod = NULL;
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

#define SYM_PLT_MAX 4

/*
 * PLT stubs have no symbols: without their sections as pseudo-functions
 * the nearest sizeless symbol (often _init) would claim them.  Fills at
 * most SYM_PLT_MAX entries named "[plt]", returns how many.
 */
static size_t sym_plt_sections(struct sym_module *m, struct sym_func *out)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(m->mod, &bias);
	Elf_Scn *scn = NULL;
	size_t shstrndx, k = 0;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx) < 0)
		return 0;
	while ((scn = elf_nextscn(elf, scn)) && k < SYM_PLT_MAX) {
		GElf_Shdr shdr;
		const char *name;

		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR))
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (name && strncmp(name, ".plt", 4) == 0 && shdr.sh_size)
			out[k++] = (struct sym_func){shdr.sh_addr + bias, shdr.sh_size, "[plt]",
						     UINT32_MAX};
	}
	return k;
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

	m->loaded = true;
	n = dwfl_module_getsymtab(m->mod);
	if (n <= 1)
		return;
	m->funcs = malloc(((size_t)n + SYM_PLT_MAX) * sizeof(*m->funcs));
	if (!m->funcs)
		return;
	k = sym_plt_sections(m, m->funcs);
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

/* The function containing addr: a sized symbol that covers it, or a
 * sizeless one with nothing else between it and addr. */
static const char *sym_func_name(struct sym_module *m, uint64_t addr)
{
	size_t lo = 0, hi, i;

	if (!m->loaded)
		sym_load_funcs(m);
	hi = m->nfuncs;
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
			return m->funcs[j].name;
	/* a large function may enclose a smaller symbol just before addr */
	for (size_t j = i, steps = 0; j-- > 0 && steps < 8; steps++)
		if (m->funcs[j].size && addr < m->funcs[j].addr + m->funcs[j].size)
			return m->funcs[j].name;
	if (m->funcs[i].size == 0)
		return m->funcs[i].name;
	return NULL;
}

static uint32_t sym_lookup(struct symbols *s, uint64_t pc, bool ret, bool *unknown)
{
	uint64_t addr = ret && pc ? pc - 1 : pc;
	struct sym_module *m = sym_module_of(s, addr);
	char buf[96];

	*unknown = !m;
	if (!m) {
		snprintf(buf, sizeof(buf), "[unknown]+0x%" PRIx64, pc);
		return funcs_intern(s->f, buf, "");
	}
	if (m->mod) {
		const char *name = sym_func_name(m, addr);
		const char *at = name ? strchr(name, '@') : NULL;
		char *plain = NULL, *readable;
		uint32_t id;

		/* "memcpy@@GLIBC_2.14": the version is not part of the name */
		if (at && at > name) {
			plain = strndup(name, (size_t)(at - name));
			if (!plain)
				return 0;
			name = plain;
		}
		if (name) {
			readable = demangle(name);
			id = funcs_intern(s->f, readable ? readable : name, m->name);
			free(readable);
			free(plain);
			return id;
		}
	}
	snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, m->name, pc - m->bias);
	return funcs_intern(s->f, buf, m->name);
}

uint32_t symbols_resolve(struct symbols *s, uint64_t pc, bool return_addr)
{
	struct sym_entry *e = sym_find(s, pc, return_addr);
	bool unknown;
	uint32_t id;

	if (e->used)
		return e->func;
	id = sym_lookup(s, pc, return_addr, &unknown);
	if (id == 0)
		return 0; /* out of memory: not cached, the caller shows unknown */
	if ((s->count + 1) * 2 > s->cap) {
		if (sym_rehash(s, s->cap * 2, SYM_KEEP) < 0)
			return id; /* resolved, just not cached */
		e = sym_find(s, pc, return_addr);
	}
	*e = (struct sym_entry){
	    .pc = pc, .func = id, .used = 1, .ret = return_addr, .unknown = unknown};
	s->count++;
	s->nunknown += unknown;
	return id;
}

int symbols_srcline(struct symbols *s, uint64_t pc, bool return_addr, const char **file, int *line)
{
	uint64_t addr = return_addr && pc ? pc - 1 : pc;
	struct sym_module *m = sym_module_of(s, addr);
	Dwfl_Line *l;
	const char *src;
	int lineno = 0;

	if (!m || !m->mod)
		return -ENOENT;
	l = dwfl_module_getsrc(m->mod, addr);
	if (!l)
		return -ENOENT;
	src = dwfl_lineinfo(l, NULL, &lineno, NULL, NULL, NULL);
	if (!src || lineno <= 0)
		return -ENOENT;
	*file = src;
	*line = lineno;
	return 0;
}

size_t symbols_cached(const struct symbols *s)
{
	return s->count;
}
