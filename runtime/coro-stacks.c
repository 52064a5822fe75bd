/*
 * coro-stacks.c - parked coroutines' stacks, read by the runtime thread.
 *
 * A parked coroutine's stack is unwound from the context its switch saved
 * (the ucontext swapcontext wrote, or the pc and stack and frame pointers
 * flametop_coro_park saw), without signals and without stopping anyone,
 * and only while a viewer is watching: a switch costs nothing more, and a
 * coroutine parked many times is read at most once per park.  Measured on
 * the test pipeline: unwinding at every park would cost about 2 us per
 * switch (ten times the switch itself), reading lazily costs the program
 * nothing and the runtime thread about 10 us per parked stack.
 *
 * The coroutine may resume, exit or free its stack while we read it: every
 * read of its memory goes through process_vm_readv (a vanished page is an
 * error, never a fault); only the loaded objects' own segments (unwind
 * tables, listed with dl_iterate_phdr at each tick) are read directly.  This
 * is libunwind's remote interface on our own process, with unwind tables
 * found from each object's PT_GNU_EH_FRAME.  Then the stack is kept only if the coroutine's
 * park_seq, state and id are the same after the unwinding as before
 * (otherwise it is counted stale and dropped).  The work per tick is
 * bounded (STACKS_PER_TICK stacks, STACKS_TICK_NS of time).  Stacks are
 * interned in the region's stack area, so a thousand coroutines parked at
 * the same place share one.
 *
 * Wall mode's blocked threads (blocked.c) are read the same way: such a
 * thread may wake, return and exit, and its stack be unmapped, while the
 * runtime thread walks it (stacks_unwind_safe, stacks_same_words).
 */
#include "config.h"

#include <elf.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>
#include "coro.h"
#include "rt.h"
#include "unwind.h" /* the generic calls (remote address spaces) */

#define STACKS_PER_TICK 512
#define STACKS_TICK_NS 3000000ull
#define VIEWER_FRESH_NS 2000000000ull
#define INTERN_SIZE 65536u /* stack hash -> offset + 1; a power of two */
#define CACHE_BYTES 512u
#define OBJS_MAX 512
#define SEGS_MAX 2048
#define BACK_CHUNK 65536u

struct regs {
	uint64_t rip, rsp, rbp, rbx, r12, r13, r14, r15;
};

/* .eh_frame_hdr pointer encodings (DWARF) */
#define DW_EH_PE_omit 0xff
#define DW_EH_PE_udata4 0x03
#define DW_EH_PE_sdata4 0x0b
#define DW_EH_PE_pcrel 0x10
#define DW_EH_PE_datarel 0x30

struct obj {
	uint64_t text_lo, text_hi; /* executable segment */
	unw_dyn_info_t di;	   /* its eh_frame_hdr search table */
	int have_di;
};

struct seg {
	uint64_t lo, hi;
};

static struct obj objs[OBJS_MAX];
static struct seg segs[SEGS_MAX]; /* every loaded segment: read directly */
static int nobjs, nsegs;
static unw_addr_space_t as;
static int as_failed;
static uint32_t cursor;
static uint64_t backed;	     /* bytes of the stack area backed by memory */
static uint64_t stacks_used; /* bytes of it in use (t->stacks_used: a copy) */
static uint32_t interned[INTERN_SIZE];
static uint64_t cache_at = 1; /* address of cache[], 1: empty */
static uint8_t cache[CACHE_BYTES];

static int read_mem(uint64_t addr, void *out, size_t len)
{
	struct iovec local = {out, len}, remote = {(void *)(uintptr_t)addr, len};

	return process_vm_readv(rt.pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

static int in_object(uint64_t addr, size_t len)
{
	for (int i = 0; i < nsegs; i++)
		if (addr >= segs[i].lo && addr + len <= segs[i].hi)
			return 1;
	return 0;
}

static uint64_t read_enc(const uint8_t **p, uint8_t enc, uint64_t base)
{
	int32_t v;

	if (enc == DW_EH_PE_omit)
		return 0;
	memcpy(&v, *p, 4);
	*p += 4;
	if ((enc & 0x70) == DW_EH_PE_pcrel)
		return base + (uint64_t)(int64_t)v;
	return (uint64_t)(uint32_t)v;
}

/* the binary search table of an object's .eh_frame_hdr (the usual
 * encodings only: pcrel sdata4 pointer, udata4 count, datarel sdata4) */
static int eh_table(const uint8_t *hdr, struct obj *o)
{
	const uint8_t *p = hdr + 4;
	uint64_t fde_count;

	if (hdr[0] != 1 || (hdr[1] & 0x0f) != DW_EH_PE_sdata4 ||
	    (hdr[2] != DW_EH_PE_udata4 && hdr[2] != DW_EH_PE_sdata4) ||
	    hdr[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4))
		return -1;
	read_enc(&p, hdr[1], (uint64_t)(uintptr_t)p);
	fde_count = read_enc(&p, DW_EH_PE_udata4, 0);
	memset(&o->di, 0, sizeof(o->di));
	o->di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	o->di.start_ip = o->text_lo;
	o->di.end_ip = o->text_hi;
	o->di.u.rti.segbase = (unw_word_t)(uintptr_t)hdr;
	o->di.u.rti.table_data = (unw_word_t)(uintptr_t)p;
	o->di.u.rti.table_len = fde_count * 8 / sizeof(unw_word_t);
	return 0;
}

static int list_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct obj *o;
	const uint8_t *hdr = NULL;

	(void)size;
	(void)arg;
	if (nobjs == OBJS_MAX)
		return 1;
	o = &objs[nobjs];
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uint64_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && nsegs < SEGS_MAX) {
			segs[nsegs].lo = lo;
			segs[nsegs].hi = lo + ph->p_memsz;
			nsegs++;
			if ((ph->p_flags & PF_X) && !o->text_hi) {
				o->text_lo = lo;
				o->text_hi = lo + ph->p_memsz;
			}
		} else if (ph->p_type == PT_GNU_EH_FRAME) {
			hdr = (const uint8_t *)(uintptr_t)lo;
		}
	}
	if (o->text_hi && hdr)
		o->have_di = eh_table(hdr, o) == 0;
	if (o->have_di)
		nobjs++;
	return 0;
}

static int find_proc_info(unw_addr_space_t a, unw_word_t ip, unw_proc_info_t *pi, int need,
			  void *arg)
{
	for (int i = 0; i < nobjs; i++)
		if (ip >= objs[i].text_lo && ip < objs[i].text_hi)
			return unwind_lib.search_unwind_table(a, ip, &objs[i].di, pi, need, arg);
	return -UNW_ENOINFO;
}

static void put_unwind_info(unw_addr_space_t a, unw_proc_info_t *pi, void *arg)
{
	(void)a;
	(void)arg;
	free(pi->unwind_info);
	pi->unwind_info = NULL;
}

static int get_dyn_info_list_addr(unw_addr_space_t a, unw_word_t *addr, void *arg)
{
	(void)a;
	(void)addr;
	(void)arg;
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t a, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	(void)a;
	(void)arg;
	if (write)
		return -UNW_EINVAL;
	if (in_object(addr, 8)) {
		memcpy(val, (const void *)(uintptr_t)addr, 8);
		return 0;
	}
	if (addr & 7)
		return read_mem(addr, val, 8) < 0 ? -UNW_EINVAL : 0;
	if (addr < cache_at || addr + 8 > cache_at + CACHE_BYTES) {
		uint64_t base = addr & ~(uint64_t)(CACHE_BYTES - 1);

		if (read_mem(base, cache, CACHE_BYTES) < 0) {
			cache_at = 1;
			return read_mem(addr, val, 8) < 0 ? -UNW_EINVAL : 0;
		}
		cache_at = base;
	}
	memcpy(val, cache + (addr - cache_at), 8);
	return 0;
}

static int access_reg(unw_addr_space_t a, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
	const struct regs *r = arg;

	(void)a;
	if (write)
		return -UNW_EREADONLYREG;
	switch (reg) {
	case UNW_X86_64_RIP:
		*val = r->rip;
		break;
	case UNW_X86_64_RSP:
		*val = r->rsp;
		break;
	case UNW_X86_64_RBP:
		*val = r->rbp;
		break;
	case UNW_X86_64_RBX:
		*val = r->rbx;
		break;
	case UNW_X86_64_R12:
		*val = r->r12;
		break;
	case UNW_X86_64_R13:
		*val = r->r13;
		break;
	case UNW_X86_64_R14:
		*val = r->r14;
		break;
	case UNW_X86_64_R15:
		*val = r->r15;
		break;
	default:
		*val = 0;
	}
	return 0;
}

static int access_fpreg(unw_addr_space_t a, unw_regnum_t reg, unw_fpreg_t *val, int write,
			void *arg)
{
	(void)a;
	(void)reg;
	(void)val;
	(void)write;
	(void)arg;
	return -UNW_EBADREG;
}

static int make_as(void)
{
	unw_accessors_t acc;

	if (as || as_failed)
		return as ? 0 : -1;
	if (!unwind_loaded() || !unwind_lib.remote.create_addr_space) {
		as_failed = 1; /* libunwind's remote library is missing */
		return -1;
	}
	memset(&acc, 0, sizeof(acc));
	acc.find_proc_info = find_proc_info;
	acc.put_unwind_info = put_unwind_info;
	acc.get_dyn_info_list_addr = get_dyn_info_list_addr;
	acc.access_mem = access_mem;
	acc.access_reg = access_reg;
	acc.access_fpreg = access_fpreg;
	as = unw_create_addr_space(&acc, 0);
	if (!as) {
		as_failed = 1;
		return -1;
	}
	/* no cache: objects come and go between ticks (and the local
	 * library's unw_flush_cache, which the link would give us, is not
	 * for this address space) */
	unw_set_caching_policy(as, UNW_CACHE_NONE);
	return 0;
}

static int unwind(struct regs *r, uint64_t *pc, int max)
{
	unw_cursor_t cur;
	int n = 0;

	cache_at = 1;
	if (unw_init_remote(&cur, as, r) < 0)
		return 0;
	do {
		unw_word_t ip;

		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		pc[n++] = ip;
	} while (n < max && unw_step(&cur) > 0);
	return n;
}

/* the loaded objects and their segments, listed again at most once per
 * tick (now: the tick's time) */
static void list_objects(uint64_t now)
{
	static uint64_t listed_at;

	if (listed_at == now)
		return;
	nobjs = nsegs = 0;
	dl_iterate_phdr(list_object, NULL);
	listed_at = now;
}

int stacks_unwind_safe(uint64_t now, uint64_t pc, uint64_t sp, uint64_t *frames, uint64_t *slots,
		       int max, int *complete)
{
	struct regs r = {.rip = pc, .rsp = sp};
	unw_cursor_t cur;
	int n = 0, st = 0;

	*complete = 0;
	if (make_as() < 0)
		return -1;
	list_objects(now);
	cache_at = 1;
	if (unw_init_remote(&cur, as, &r) < 0)
		return 0;
	do {
		unw_word_t ip, csp;

		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0 ||
		    unw_get_reg(&cur, UNW_REG_SP, &csp) < 0)
			break;
		/* a caller's ip is the return address just below its sp */
		slots[n] = csp - 8;
		frames[n++] = ip;
	} while (n < max && (st = unw_step(&cur)) > 0);
	*complete = n >= max || st == 0;
	return n;
}

int stacks_same_words(const uint64_t *addr, const uint64_t *want, int n)
{
	struct iovec local, remote[64];
	uint64_t got[64];

	for (int i = 0; i < n; i += 64) {
		int k = n - i < 64 ? n - i : 64;

		for (int j = 0; j < k; j++) {
			remote[j].iov_base = (void *)(uintptr_t)addr[i + j];
			remote[j].iov_len = 8;
		}
		local.iov_base = got;
		local.iov_len = (size_t)k * 8;
		if (process_vm_readv(rt.pid, &local, 1, remote, (unsigned long)k, 0) !=
			(ssize_t)local.iov_len ||
		    memcmp(got, want + i, local.iov_len) != 0)
			return 0;
	}
	return 1;
}

static uint32_t hash_pcs(const uint64_t *pc, int n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (int i = 0; i < n; i++)
		h = (h ^ pc[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

/* the stack's id in the stack area (written if new), or 0 */
static uint32_t intern(struct ft_corotab *t, const uint64_t *pc, int n)
{
	uint64_t size, need = sizeof(struct ft_stack) + (uint64_t)n * 8, off;
	uint8_t *area = coro_stack_area(&size);
	uint32_t h = hash_pcs(pc, n), i;
	struct ft_stack *s;

	for (uint32_t k = 0; k < 64; k++) {
		i = (h + k) & (INTERN_SIZE - 1);
		if (!interned[i])
			break;
		/* a stack interned with another length is another stack */
		off = (uint64_t)(interned[i] - 1) * 8;
		s = (struct ft_stack *)(area + off);
		if (off + need <= stacks_used && s->hash == h && s->nframes == (uint32_t)n &&
		    memcmp(s + 1, pc, (size_t)n * 8) == 0)
			return interned[i];
	}
	off = stacks_used;
	if (off + need > size) {
		coro_count(&t->stacks_full);
		return 0;
	}
	if (off + need > backed) {
		uint64_t to = (off + need + BACK_CHUNK - 1) & ~(uint64_t)(BACK_CHUNK - 1);

		if (to > size)
			to = size;
		if (coro_back(area + backed, to - backed) < 0) {
			coro_count(&t->stacks_full);
			return 0;
		}
		backed = to;
	}
	s = (struct ft_stack *)(area + off);
	s->nframes = (uint32_t)n;
	s->hash = h;
	memcpy(s + 1, pc, (size_t)n * 8);
	stacks_used = off + need;
	__atomic_store_n(&t->stacks_used, stacks_used, __ATOMIC_RELEASE);
	if (!interned[i])
		interned[i] = (uint32_t)(off / 8 + 1);
	return (uint32_t)(off / 8 + 1);
}

/* the registers the coroutine parked with; -1 if they cannot be read */
static int parked_regs(struct coro_priv *p, struct regs *r)
{
	ucontext_t *uc = p->saved;
	greg_t g[NGREG];

	if (!uc) {
		memset(r, 0, sizeof(*r));
		r->rip = p->rip;
		r->rsp = p->rsp;
		r->rbp = p->rbp;
		return r->rip ? 0 : -1;
	}
	if (read_mem((uint64_t)(uintptr_t)&uc->uc_mcontext.gregs, g, sizeof(g)) < 0)
		return -1;
	r->rip = (uint64_t)g[REG_RIP];
	r->rsp = (uint64_t)g[REG_RSP];
	r->rbp = (uint64_t)g[REG_RBP];
	r->rbx = (uint64_t)g[REG_RBX];
	r->r12 = (uint64_t)g[REG_R12];
	r->r13 = (uint64_t)g[REG_R13];
	r->r14 = (uint64_t)g[REG_R14];
	r->r15 = (uint64_t)g[REG_R15];
	return 0;
}

/* 1 if slot's stack was read (kept or dropped), 0 if it needed nothing */
static int take(struct ft_corotab *t, uint32_t slot)
{
	struct ft_coro *e = coro_entry(slot);
	struct coro_priv *p = coro_priv(slot);
	uint64_t id = __atomic_load_n(&p->id, __ATOMIC_ACQUIRE), pc[CORO_STACK_MAX];
	uint32_t seq, sid;
	struct regs r;
	int n;

	if (!id || __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != FT_CORO_PARKED)
		return 0;
	seq = __atomic_load_n(&p->park_seq, __ATOMIC_ACQUIRE);
	if ((uint32_t)(__atomic_load_n(&e->stack, __ATOMIC_ACQUIRE) >> 32) == seq)
		return 0;
	if (__atomic_load_n(&p->ready_seq, __ATOMIC_ACQUIRE) != seq)
		return 0; /* its context is not saved yet */
	n = parked_regs(p, &r) < 0 ? 0 : unwind(&r, pc, CORO_STACK_MAX);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&p->park_seq, __ATOMIC_ACQUIRE) != seq ||
	    __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != FT_CORO_PARKED ||
	    __atomic_load_n(&p->id, __ATOMIC_ACQUIRE) != id ||
	    __atomic_load_n(&p->ready_seq, __ATOMIC_ACQUIRE) != seq) {
		coro_count(&t->stacks_stale);
		return 1;
	}
	if (n <= 0) {
		coro_count(&t->stacks_failed);
		sid = 0;
	} else {
		sid = intern(t, pc, n);
		coro_count(&t->stacks_taken);
	}
	__atomic_store_n(&e->stack, (uint64_t)seq << 32 | sid, __ATOMIC_RELEASE);
	return 1;
}

void coro_stacks_tick(uint64_t now)
{
	struct ft_corotab *t = coro_tab();
	uint64_t hb;
	uint32_t used, done = 0;

	if (!t || !(used = coro_used()))
		return;
	hb = __atomic_load_n(&rt.hdr->control.viewer_heartbeat_ns, __ATOMIC_ACQUIRE);
	if (!rt.set.always && !(hb && hb + VIEWER_FRESH_NS > now && hb < now + VIEWER_FRESH_NS))
		return;
	if (make_as() < 0)
		return;
	list_objects(now);
	for (uint32_t k = 0; k < used && done < STACKS_PER_TICK; k++) {
		if (cursor >= used)
			cursor = 0;
		done += (uint32_t)take(t, cursor++);
		if ((done & 31) == 31 && rt_now(CLOCK_MONOTONIC) - now > STACKS_TICK_NS)
			break;
	}
}
