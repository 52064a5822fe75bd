/*
 * ucontext.c - following glibc's ucontext coroutines without any change to
 * the program: makecontext, swapcontext, setcontext and getcontext are
 * interposed.
 *
 *   makecontext  a new coroutine, named after its entry function; the
 *                context starts in coro_start, which calls the entry and,
 *                when it returns, marks the coroutine exited and follows
 *                uc_link (glibc switches there without calling setcontext)
 *   swapcontext  the caller's coroutine parks with the context being saved,
 *                the target's coroutine runs; after the switch back, the
 *                coroutine checks that the thread knows it is the one
 *                running (a switch past us, such as siglongjmp out of a
 *                coroutine, is counted and repaired, never silently wrong)
 *   setcontext   the caller leaves (runnable), the target runs
 *   getcontext   the context belongs to the caller's coroutine: it returns
 *                twice, so it is an assembly stub that notes the context
 *                and jumps to glibc's with the caller's registers intact
 *
 * Contexts are mapped to coroutines by their address in an open-addressing
 * table without locks: a key is set once per slot with compare-and-swap
 * and only replaced when its coroutine is dead; values are stored whole.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "coro.h"
#include "rt.h"

#define EXPORT __attribute__((visibility("default")))
#define MAP_BITS 18
#define MAP_SLOTS (1u << MAP_BITS)
#define MAP_PROBES 64

struct ctxmap {
	uintptr_t key;
	uint64_t id;
};

typedef void (*entry_fn)(long, long, long, long, long, long, long, long, long, long, long, long,
			 long);

static struct ctxmap *map;
static int map_failed;
static int (*real_swapcontext)(ucontext_t *, const ucontext_t *);
static int (*real_setcontext)(const ucontext_t *);
static int (*real_getcontext)(ucontext_t *);
static void (*real_makecontext)(ucontext_t *, void (*)(void), int, ...);
static __thread void (*name_fn)(void) __attribute__((tls_model("initial-exec")));
static __thread char name_buf[FT_NAME_LEN] __attribute__((tls_model("initial-exec")));

#define RESOLVE(var, name)                                                                         \
	do {                                                                                       \
		if (!(var))                                                                        \
			*(void **)&(var) = dlsym(RTLD_NEXT, name);                                 \
	} while (0)

static int on(void)
{
	if (!rt.on || !coro_tab_ready())
		return 0;
	if (!map && !map_failed) {
		void *p = mmap(NULL, MAP_SLOTS * sizeof(*map), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		struct ctxmap *none = NULL;

		if (p == MAP_FAILED) {
			map_failed = 1;
			return 0;
		}
		if (!__atomic_compare_exchange_n(&map, &none, p, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			munmap(p, MAP_SLOTS * sizeof(*map));
	}
	return map != NULL;
}

static uint32_t hash(const void *ctx)
{
	uint64_t k = (uintptr_t)ctx * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(k >> (64 - MAP_BITS));
}

/* the live coroutine ctx belongs to, or 0 */
static uint64_t ctx_lookup(const void *ctx)
{
	uint32_t h = hash(ctx);

	for (uint32_t k = 0; k < MAP_PROBES; k++) {
		struct ctxmap *m = &map[(h + k) & (MAP_SLOTS - 1)];
		uintptr_t key = __atomic_load_n(&m->key, __ATOMIC_ACQUIRE);

		if (key == (uintptr_t)ctx) {
			uint64_t id = __atomic_load_n(&m->id, __ATOMIC_ACQUIRE);

			return coro_slot_of(id) == UINT32_MAX ? 0 : id;
		}
		if (!key)
			return 0;
	}
	return 0;
}

/* ctx now belongs to coroutine id (0: to no coroutine) */
static void ctx_set(const void *ctx, uint64_t id)
{
	uint32_t h = hash(ctx);

	for (uint32_t k = 0; k < MAP_PROBES; k++) {
		struct ctxmap *m = &map[(h + k) & (MAP_SLOTS - 1)];
		uintptr_t key = __atomic_load_n(&m->key, __ATOMIC_ACQUIRE);

		if (key == (uintptr_t)ctx) {
			if (__atomic_load_n(&m->id, __ATOMIC_RELAXED) != id)
				__atomic_store_n(&m->id, id, __ATOMIC_RELEASE);
			return;
		}
		if (!id)
			continue; /* "no coroutine" is what a missing key says */
		if (key && coro_slot_of(__atomic_load_n(&m->id, __ATOMIC_ACQUIRE)) != UINT32_MAX)
			continue;
		/* free, or its coroutine is dead: take it */
		if (__atomic_compare_exchange_n(&m->key, &key, (uintptr_t)ctx, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			__atomic_store_n(&m->id, id, __ATOMIC_RELEASE);
			return;
		}
		if (key == (uintptr_t)ctx) {
			__atomic_store_n(&m->id, id, __ATOMIC_RELEASE);
			return;
		}
	}
	if (id)
		coro_count(&coro_tab()->unfollowed);
}

/* ---- getcontext ------------------------------------------------------ */

__attribute__((visibility("hidden"))) void *coro_getcontext_note(ucontext_t *uc);

void *coro_getcontext_note(ucontext_t *uc)
{
	RESOLVE(real_getcontext, "getcontext");
	if (uc && on())
		ctx_set(uc, ft_coro_cur);
	return (void *)real_getcontext;
}

/* getcontext(uc): note uc, then jump to glibc's with every register and
 * the return address as the caller left them */
__asm__(".text\n"
	".p2align 4\n"
	".globl getcontext\n"
	".type getcontext, @function\n"
	"getcontext:\n"
	"	.cfi_startproc\n"
	"	pushq %rdi\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	call coro_getcontext_note\n"
	"	popq %rdi\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	jmp *%rax\n"
	"	.cfi_endproc\n"
	".size getcontext, .-getcontext\n");

/* ---- makecontext ----------------------------------------------------- */

static const char *entry_name(void (*fn)(void))
{
	Dl_info di;

	if (fn == name_fn)
		return name_buf;
	name_fn = fn;
	if (dladdr((void *)fn, &di) && di.dli_sname && di.dli_saddr == (void *)fn)
		snprintf(name_buf, sizeof(name_buf), "%s", di.dli_sname);
	else
		name_buf[0] = '\0'; /* readers name it after entry_pc */
	return name_buf;
}

/* where every tracked coroutine starts: runs its entry, then exits and
 * follows uc_link as glibc is about to */
static void coro_start(long id, long fn, long link, long a0, long a1, long a2, long a3, long a4,
		       long a5, long a6, long a7, long a8, long a9, long a10, long a11, long a12)
{
	coro_settle();
	if (ft_coro_cur != (uint64_t)id)
		coro_heal((uint64_t)id);
	((entry_fn)fn)(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
	if (!rt.on || !coro_tab())
		return;
	coro_settle();
	if (coro_slot_of((uint64_t)id) != UINT32_MAX)
		coro_exit_id((uint64_t)id);
	coro_switch(link ? ctx_lookup((const void *)link) : 0, NULL, FT_CORO_RUNNABLE);
}

__attribute__((visibility("hidden"))) void coro_makecontext(ucontext_t *ucp, void (*fn)(void),
							    int argc, ...);
__attribute__((visibility("hidden"))) void *coro_makecontext_untracked(void);

/* 0 <= argc <= CORO_ARGS (the stub below sends the others to glibc) */
void coro_makecontext(ucontext_t *ucp, void (*fn)(void), int argc, ...)
{
	long a[CORO_ARGS] = {0};
	uint64_t id, old;
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	RESOLVE(real_makecontext, "makecontext");
	id = 0;
	if (on() && ucp) {
		/* a coroutine whose context is made again can never run again */
		old = ctx_lookup(ucp);
		if (old && coro_entry(coro_slot_of(old))->state != FT_CORO_RUNNING)
			coro_exit_id(old);
		id = coro_new(entry_name(fn), FT_CORO_UCONTEXT, (uint64_t)(uintptr_t)fn);
	}
	if (!id) {
		real_makecontext(ucp, fn, argc, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
				 a[8], a[9], a[10], a[11], a[12]);
		return;
	}
	real_makecontext(ucp, (void (*)(void))coro_start, 16, (long)id, (long)fn,
			 (long)ucp->uc_link, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
			 a[9], a[10], a[11], a[12]);
	ctx_set(ucp, id);
}

/* more arguments than coro_start passes on (or a negative count): not
 * followed, counted, and glibc's makecontext gets the call untouched */
void *coro_makecontext_untracked(void)
{
	RESOLVE(real_makecontext, "makecontext");
	if (on())
		coro_count(&coro_tab()->unfollowed);
	return (void *)real_makecontext;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* makecontext(ucp, fn, argc, ...): with 0 <= argc <= CORO_ARGS, a tail
 * call of coro_makecontext; otherwise a jump to glibc's with every
 * register and stack argument as the caller left them (a C wrapper cannot
 * pass on a variable number of arguments it does not know) */
__asm__(".text\n"
	".p2align 4\n"
	".globl makecontext\n"
	".type makecontext, @function\n"
	"makecontext:\n"
	"	.cfi_startproc\n"
	"	cmpl $" STR(CORO_ARGS) ", %edx\n"
				       "	jbe coro_makecontext\n"
				       "	pushq %rdi\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %rsi\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %rdx\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %rcx\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %r8\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %r9\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	pushq %rax\n"
				       "	.cfi_adjust_cfa_offset 8\n"
				       "	call coro_makecontext_untracked\n"
				       "	movq %rax, %r11\n"
				       "	popq %rax\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %r9\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %r8\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %rcx\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %rdx\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %rsi\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	popq %rdi\n"
				       "	.cfi_adjust_cfa_offset -8\n"
				       "	jmp *%r11\n"
				       "	.cfi_endproc\n"
				       ".size makecontext, .-makecontext\n");

/* ---- switching ------------------------------------------------------- */

EXPORT int swapcontext(ucontext_t *oucp, const ucontext_t *ucp)
{
	uint64_t me;
	int ret;

	RESOLVE(real_swapcontext, "swapcontext");
	if (!on() || !oucp || !ucp)
		return real_swapcontext(oucp, ucp);
	me = ft_coro_cur;
	ctx_set(oucp, me);
	coro_switch(ctx_lookup(ucp), oucp, FT_CORO_PARKED);
	ret = real_swapcontext(oucp, ucp);
	if (rt.on) {
		coro_settle();
		if (ft_coro_cur != me)
			coro_heal(me);
	}
	return ret;
}

EXPORT int setcontext(const ucontext_t *ucp)
{
	RESOLVE(real_setcontext, "setcontext");
	if (on() && ucp)
		coro_switch(ctx_lookup(ucp), NULL, FT_CORO_RUNNABLE);
	return real_setcontext(ucp);
}
