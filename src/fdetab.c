/*
 * fdetab.c - function boundaries from .eh_frame.
 *
 * This file contains the FDE table: .eh_frame is walked once with libdw's
 * dwarf_next_cfi, each CIE's pointer encoding is read from its
 * augmentation ("zR", "zPLR"), and each FDE's initial location and range
 * are decoded into [start, end) pairs sorted by start.  Invariants:
 *   - every range in ranges[] is non-empty, ranges are sorted by start;
 *   - nothing is trusted: an entry whose encoding is unknown or runs past
 *     the section is skipped, never read beyond.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gelf.h>
#include <elfutils/libdw.h>

#include "fdetab.h"

struct fde_range {
	uint64_t start, end;
};

struct fdetab {
	struct fde_range *ranges;
	size_t n;
};

/* A CIE's pointer encoding, by section offset. */
struct fde_cie {
	uint64_t offset;
	uint8_t enc;
	bool ok;
};

#define PE_OMIT 0xff
#define PE_FORMAT 0x0f
#define PE_PCREL 0x10
#define PE_INDIRECT 0x80

static bool read_uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/*
 * Reads one pointer encoded as enc at *p (whose address in the loaded
 * object is addr, for pc-relative ones).  Application other than absolute
 * and pc-relative is not used on the targets we read: refused.
 */
static bool read_encoded(const uint8_t **p, const uint8_t *end, uint8_t enc, uint64_t addr,
			 uint64_t *out)
{
	const uint8_t *q = *p;
	uint64_t v = 0;
	size_t size;

	if (enc == PE_OMIT || (enc & PE_INDIRECT) || (enc & 0x70 & ~PE_PCREL))
		return false;
	switch (enc & PE_FORMAT) {
	case 0x01: /* uleb128 */
		if (!read_uleb(p, end, &v))
			return false;
		*out = v + ((enc & PE_PCREL) ? addr : 0);
		return true;
	case 0x00: /* absptr */
	case 0x04:
	case 0x0c:
		size = 8;
		break;
	case 0x02:
	case 0x0a:
		size = 2;
		break;
	case 0x03:
	case 0x0b:
		size = 4;
		break;
	default:
		return false;
	}
	if ((size_t)(end - q) < size)
		return false;
	if (size == 2) {
		uint16_t x;

		memcpy(&x, q, 2);
		v = (enc & 0x08) ? (uint64_t)(int64_t)(int16_t)x : x;
	} else if (size == 4) {
		uint32_t x;

		memcpy(&x, q, 4);
		v = (enc & 0x08) ? (uint64_t)(int64_t)(int32_t)x : x;
	} else {
		memcpy(&v, q, 8);
	}
	*p = q + size;
	*out = v + ((enc & PE_PCREL) ? addr : 0);
	return true;
}

/* The FDE pointer encoding a CIE's augmentation declares (absptr when it
 * has no 'R'); false if the augmentation is not understood. */
static bool cie_encoding(const Dwarf_CIE *cie, uint8_t *enc)
{
	const char *a = cie->augmentation;
	const uint8_t *p = cie->augmentation_data;
	const uint8_t *end = p ? p + cie->augmentation_data_size : NULL;

	bool seen_r = false;

	*enc = 0x00;
	if (!a || !*a)
		return true;
	if (a[0] != 'z')
		return false;
	for (a++; *a; a++) {
		uint64_t skip;

		switch (*a) {
		case 'R':
			if (!p || p >= end)
				return false;
			*enc = *p++;
			seen_r = true;
			break;
		case 'L':
			if (!p || p >= end)
				return false;
			p++;
			break;
		case 'P':
			if (!p || p >= end)
				return false;
			{
				uint8_t penc = *p++;

				if (!read_encoded(&p, end, penc & ~PE_INDIRECT, 0, &skip))
					return false;
			}
			break;
		case 'S':
		case 'B':
			break;
		default: /* not understood: where an 'R' after it is is not known */
			return seen_r;
		}
	}
	return true;
}

static int range_cmp(const void *a, const void *b)
{
	const struct fde_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static Elf_Scn *find_section(Elf *elf, const char *want, GElf_Shdr *shdr)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, shdr) || shdr->sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, shdr->sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

static const struct fde_cie *cie_at(struct fde_cie *cies, size_t *ncies, size_t cap,
				    const unsigned char *ident, Elf_Data *data, uint64_t off)
{
	Dwarf_CFI_Entry e;
	Dwarf_Off next;

	for (size_t i = 0; i < *ncies; i++)
		if (cies[i].offset == off)
			return &cies[i];
	if (*ncies == cap)
		return NULL;
	cies[*ncies].offset = off;
	cies[*ncies].ok = dwarf_next_cfi(ident, data, true, off, &next, &e) == 0 &&
			  dwarf_cfi_cie_p(&e) && cie_encoding(&e.cie, &cies[*ncies].enc);
	return &cies[(*ncies)++];
}

#define FDE_MAX_CIES 64

struct fdetab *fdetab_new(Elf *elf)
{
	const unsigned char *ident = (const unsigned char *)elf_getident(elf, NULL);
	struct fde_cie cies[FDE_MAX_CIES];
	size_t ncies = 0, cap = 0;
	struct fdetab *t;
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Shdr shdr;
	Dwarf_Off off = 0, next;

	if (!ident || !(scn = find_section(elf, ".eh_frame", &shdr)))
		return NULL;
	data = elf_rawdata(scn, NULL);
	if (!data || !data->d_buf || !data->d_size)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	for (;;) {
		Dwarf_CFI_Entry e;
		const struct fde_cie *cie;
		const uint8_t *p;
		uint64_t start, len;
		int r = dwarf_next_cfi(ident, data, true, off, &next, &e);

		if (r > 0 || next == (Dwarf_Off)-1 || next <= off)
			break;
		off = next;
		if (r < 0 || dwarf_cfi_cie_p(&e))
			continue;
		cie = cie_at(cies, &ncies, FDE_MAX_CIES, ident, data, e.fde.CIE_pointer);
		if (!cie || !cie->ok)
			continue;
		p = e.fde.start;
		if (!read_encoded(&p, e.fde.end, cie->enc,
				  shdr.sh_addr + (uint64_t)(p - (const uint8_t *)data->d_buf),
				  &start) ||
		    !read_encoded(&p, e.fde.end, cie->enc & PE_FORMAT, 0, &len) || len == 0 ||
		    start + len < start)
			continue;
		if (t->n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct fde_range *r2 = realloc(t->ranges, c * sizeof(*r2));

			if (!r2)
				break;
			t->ranges = r2;
			cap = c;
		}
		t->ranges[t->n++] = (struct fde_range){start, start + len};
	}
	if (!t->n) {
		fdetab_free(t);
		return NULL;
	}
	qsort(t->ranges, t->n, sizeof(*t->ranges), range_cmp);
	return t;
}

void fdetab_free(struct fdetab *t)
{
	if (!t)
		return;
	free(t->ranges);
	free(t);
}

bool fdetab_find(const struct fdetab *t, uint64_t addr, uint64_t *start)
{
	size_t lo = 0, hi;

	if (!t)
		return false;
	hi = t->n;
	while (lo < hi) { /* first range starting above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (t->ranges[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr >= t->ranges[lo - 1].end)
		return false;
	*start = t->ranges[lo - 1].start;
	return true;
}

size_t fdetab_count(const struct fdetab *t)
{
	return t ? t->n : 0;
}
