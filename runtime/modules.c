/*
 * modules.c - the module table: the objects loaded in the process.
 *
 * Written by one thread at a time (seqlock per entry): the runtime thread,
 * and before it starts the constructor (FLAMETOP_ALWAYS), after it stops
 * rt_shutdown.
 * The table in the segment is output only: what was published (entries,
 * their seq counters) is kept in a private copy, pub[], and only that is
 * read back, so nothing another process writes there changes what the
 * runtime does.
 * An entry is keyed by (path, bias); an object that goes away keeps its
 * entry with loaded = 0 so that samples taken before the dlclose still
 * symbolize.  The table is rebuilt only when dl_iterate_phdr's
 * dlpi_adds/dlpi_subs change.  The vdso, which has no file, is published
 * as "[vdso]".
 */
#include "config.h"

#include <elf.h>
#include <stddef.h>
#include <link.h>
#include <string.h>
#include "rt.h"

#define SCAN_MAX RT_MODULES

struct scan_mod {
	uint64_t bias, lo, hi;
	uint32_t build_id_len;
	uint8_t build_id[FT_BUILD_ID_LEN];
	char path[FT_PATH_LEN];
};

struct scan {
	struct scan_mod *mods;
	uint32_t n;
	unsigned long long adds, subs;
	int have_counts;
};

static struct scan_mod scan_buf[SCAN_MAX]; /* runtime thread only */
static struct pub {
	struct scan_mod m;
	uint32_t seq;
	uint8_t loaded, used;
} pub[RT_MODULES];
static unsigned long long last_adds, last_subs;
static int scanned;

/* a forked child's new segment has an empty table: publish everything
 * again (called where no other thread runs) */
void modules_forget(void)
{
	memset(pub, 0, sizeof(pub));
	last_adds = last_subs = 0;
	scanned = 0;
}

static void find_build_id(struct dl_phdr_info *info, const ElfW(Phdr) * ph, struct scan_mod *m)
{
	const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
	const char *end = p + ph->p_memsz;

	while (p + sizeof(ElfW(Nhdr)) <= end) {
		const ElfW(Nhdr) *nh = (const void *)p;
		size_t name = (nh->n_namesz + 3) & ~3u, desc = (nh->n_descsz + 3) & ~3u;
		const char *nm = p + sizeof(*nh);

		if (nm + name + desc > end)
			return;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    memcmp(nm, "GNU", 4) == 0) {
			uint32_t len =
			    nh->n_descsz < FT_BUILD_ID_LEN ? nh->n_descsz : FT_BUILD_ID_LEN;
			memcpy(m->build_id, nm + name, len);
			m->build_id_len = len;
			return;
		}
		p = nm + name + desc;
	}
}

static int scan_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct scan *sc = arg;
	struct scan_mod *m;
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	int first = sc->n == 0 && !sc->have_counts;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs) &&
	    !sc->have_counts) {
		sc->adds = info->dlpi_adds;
		sc->subs = info->dlpi_subs;
		sc->have_counts = 1;
	}
	/* "" is the main program (first); other names are paths, absolute
	 * or (LD_PRELOAD=./lib.so, dlopen("./x.so")) relative to the
	 * directory at start, except the vdso ("linux-vdso.so.1"), which has
	 * no file and is published as "[vdso]" (viewers symbolize it from
	 * their own) */
	int vdso = !strncmp(name, "linux-vdso", 10) || !strncmp(name, "linux-gate", 10);
	int relative = name[0] && name[0] != '/' && !vdso && strchr(name, '/') && rt.cwd[0];

	if (!(name[0] == '/' || (name[0] == '\0' && first) || vdso || relative))
		return 0;
	if (sc->n >= SCAN_MAX)
		return 1;
	m = &sc->mods[sc->n];
	memset(m, 0, sizeof(*m));
	if (vdso)
		strcpy(m->path, "[vdso]");
	else if (name[0] == '\0')
		memcpy(m->path, rt.exe, sizeof(m->path));
	else if (relative) {
		size_t c = strnlen(rt.cwd, sizeof(rt.cwd)), k = strlen(name);

		/* too long: the name alone, as before (unresolvable) */
		if (c + 1 + k < sizeof(m->path)) {
			memcpy(m->path, rt.cwd, c);
			m->path[c] = '/';
			memcpy(m->path + c + 1, name, k + 1);
		} else {
			strncpy(m->path, name, sizeof(m->path) - 1);
		}
	} else
		strncpy(m->path, name, sizeof(m->path) - 1);
	m->bias = info->dlpi_addr;
	m->lo = UINT64_MAX;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			uint64_t lo = info->dlpi_addr + ph->p_vaddr;
			uint64_t hi = lo + ph->p_memsz;

			if (lo < m->lo)
				m->lo = lo;
			if (hi > m->hi)
				m->hi = hi;
		} else if (ph->p_type == PT_NOTE && !m->build_id_len) {
			find_build_id(info, ph, m);
		}
	}
	if (m->lo == UINT64_MAX)
		m->lo = 0;
	sc->n++;
	return 0;
}

static int counts_only(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct scan *sc = arg;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs)) {
		sc->adds = info->dlpi_adds;
		sc->subs = info->dlpi_subs;
		sc->have_counts = 1;
	}
	return 1;
}

/* publishes entry i: m (or only its loaded flag when m is NULL) */
static void entry_write(uint32_t i, const struct scan_mod *m, uint32_t loaded)
{
	struct ft_module *e = &rt.modules[i];
	struct pub *p = &pub[i];

	if (m) {
		p->m = *m;
		p->m.path[sizeof(p->m.path) - 1] = '\0';
		p->used = 1;
	}
	p->loaded = (uint8_t)loaded;
	__atomic_store_n(&e->seq, ++p->seq, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	e->bias = p->m.bias;
	e->lo = p->m.lo;
	e->hi = p->m.hi;
	e->build_id_len = p->m.build_id_len;
	memcpy(e->build_id, p->m.build_id, sizeof(e->build_id));
	memcpy(e->path, p->m.path, sizeof(e->path));
	e->loaded = loaded;
	__atomic_store_n(&e->seq, ++p->seq, __ATOMIC_RELEASE);
}

static int same(const struct pub *p, const struct scan_mod *m)
{
	return p->m.bias == m->bias && p->m.lo == m->lo &&
	       strncmp(p->m.path, m->path, sizeof(p->m.path)) == 0;
}

void modules_refresh(int force)
{
	struct scan sc = {scan_buf, 0, 0, 0, 0};
	int changed = 0;
	uint32_t i, j;

	if (!rt.modules || segment_back(FT_REGION_MODULES) < 0)
		return;
	/* a cheap look first: the callback stops at the first object */
	real_dl_iterate_phdr(counts_only, &sc);
	if (!force && scanned && sc.have_counts && sc.adds == last_adds && sc.subs == last_subs)
		return;
	sc.have_counts = 0;
	real_dl_iterate_phdr(scan_one, &sc);
	last_adds = sc.adds;
	last_subs = sc.subs;
	scanned = 1;

	/* entries that went away */
	for (i = 0; i < RT_MODULES; i++) {
		int found = 0;

		if (!pub[i].loaded)
			continue;
		for (j = 0; j < sc.n && !found; j++)
			found = same(&pub[i], &scan_buf[j]);
		if (!found) {
			entry_write(i, NULL, 0);
			changed = 1;
		}
	}
	/* entries that are new: a never-used entry first, else an unloaded one */
	for (j = 0; j < sc.n; j++) {
		int found = 0, free_ix = -1, unl_ix = -1;

		for (i = 0; i < RT_MODULES && !found; i++) {
			if (pub[i].loaded && same(&pub[i], &scan_buf[j]))
				found = 1;
			else if (free_ix < 0 && !pub[i].used)
				free_ix = (int)i;
			else if (unl_ix < 0 && !pub[i].loaded)
				unl_ix = (int)i;
		}
		if (found)
			continue;
		if (free_ix < 0)
			free_ix = unl_ix;
		if (free_ix < 0)
			break;
		entry_write((uint32_t)free_ix, &scan_buf[j], 1);
		changed = 1;
	}
	if (changed)
		__atomic_fetch_add(&rt.hdr->modules_gen, 1, __ATOMIC_RELEASE);
}
