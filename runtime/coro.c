/*
 * coro.c - the coroutine table: create, switch, park, exit; the public
 * coroutine API.
 *
 * Slots are handed out from a free list (the most recently freed first)
 * or from the end of the used part of the table, so memory follows the
 * most coroutines alive at once, not how many ever lived.  Entry memory
 * in the segment is backed in chunks as the used part grows (a full
 * /dev/shm refuses the chunk here instead of raising SIGBUS later).  An
 * id names one life of one slot: id - 1 == slot (mod RT_COROS), and the
 * slot's generation makes it unique.
 *
 * Switch cost matters (a scheduler switches millions of times a second):
 * a switch writes the two entries under their seqlocks, reads a coarse
 * clock and takes no lock.  Creation, exit and rename take coro_lock.
 *
 * coro_sampled() is called from the signal handler: async-signal-safe,
 * it only adds to the running entry's counters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "coro.h"
#include "rt.h"

#define EXPORT __attribute__((visibility("default")))
#define PAGE 4096u
#define CHUNK_ENTRIES 512u /* entries backed at a time */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

__thread uint64_t ft_coro_cur __attribute__((tls_model("initial-exec")));
__thread uint32_t ft_coro_labels __attribute__((tls_model("initial-exec")));
__thread uint32_t ft_coro_switching __attribute__((tls_model("initial-exec")));
__thread uint64_t ft_coro_was __attribute__((tls_model("initial-exec")));
__thread uint32_t ft_coro_was_labels __attribute__((tls_model("initial-exec")));

#define TLS __attribute__((tls_model("initial-exec")))
static __thread uint32_t cur_slot TLS; /* running slot + 1, 0: none */
static __thread pid_t my_tid TLS;      /* cached gettid() */
/* slot + 1 whose context a switch is saving, and its park */
static __thread uint32_t pending TLS;
static __thread uint32_t pending_seq TLS;
static __thread int parking TLS; /* park() said why it leaves */

static struct ft_corotab *tab;
static struct ft_coro *entries;
static struct coro_priv *privs;
static pthread_mutex_t coro_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head;		 /* slot + 1 */
static uint32_t committed;		 /* entries backed */
static uint32_t used;			 /* slots ever handed out (tab->used is a copy) */
static uint64_t stacks_off, stacks_size; /* the parked stacks' area */
static int noted_unfollowed;
static int shm_fd = -1; /* for fallocate on kernels without POPULATE_WRITE */

static uint64_t page_up(uint64_t n)
{
	return (n + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

uint64_t coro_region_size(void)
{
	return PAGE + page_up((uint64_t)RT_COROS * sizeof(struct ft_coro)) + RT_CORO_STACKS;
}

/* set in a forked child: it follows no coroutine and no label */
static int forgotten;

void coro_forget(void)
{
	forgotten = 1;
	tab = NULL;
	cur_slot = pending = 0;
	parking = 0;
	ft_coro_cur = 0;
	ft_coro_labels = 0;
	ft_coro_switching = 0;
}

void coro_segment_init(void *region, uint64_t size)
{
	struct ft_corotab *t = region;
	void *p;

	if (forgotten)
		return;

	stacks_off = PAGE + page_up((uint64_t)RT_COROS * sizeof(struct ft_coro));
	stacks_size = size > stacks_off ? size - stacks_off : 0;
	t->entries_offset = PAGE;
	t->stacks_offset = stacks_off;
	t->stacks_size = stacks_size;
	entries = (struct ft_coro *)((char *)region + PAGE);
	labels_segment_init();
	p = mmap(NULL, (size_t)RT_COROS * sizeof(struct coro_priv), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return; /* coroutines stay untracked */
	privs = p;
	__atomic_store_n(&tab, t, __ATOMIC_RELEASE); /* the table is ready */
}

struct ft_corotab *coro_tab(void)
{
	return rt.on ? tab : NULL;
}

struct ft_corotab *coro_tab_ready(void)
{
	if (!tab && rt.on && !forgotten && getpid() == rt.pid)
		segment_need(1);
	return coro_tab();
}

uint32_t coro_used(void)
{
	return tab ? __atomic_load_n(&used, __ATOMIC_ACQUIRE) : 0;
}

uint8_t *coro_stack_area(uint64_t *size)
{
	*size = stacks_size;
	return (uint8_t *)tab + stacks_off;
}

struct ft_coro *coro_entry(uint32_t slot)
{
	return &entries[slot];
}

struct coro_priv *coro_priv(uint32_t slot)
{
	return &privs[slot];
}

void coro_count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static void misuse(uint64_t *c)
{
	coro_count(c);
	coro_count(&tab->misuse);
}

/* Backs len bytes at p (inside the segment) with memory; 0 or -1. */
int coro_back(void *p, uint64_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(PAGE - 1);

	len = page_up(len + ((uintptr_t)p - a));
	if (madvise((void *)a, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	/* before Linux 5.14: reserve the file's pages instead */
	if (shm_fd < 0)
		shm_fd = shm_open(segment_name(), O_RDWR | O_CLOEXEC, 0);
	if (shm_fd < 0)
		return -1;
	return fallocate(shm_fd, 0, (off_t)(a - (uintptr_t)rt.hdr), (off_t)len) == 0 ? 0 : -1;
}

static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static pid_t tid(void)
{
	if (!my_tid)
		my_tid = (pid_t)syscall(SYS_gettid);
	return my_tid;
}

static void w_begin(struct ft_coro *e)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void w_end(struct ft_coro *e)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
}

uint32_t coro_slot_of(uint64_t id)
{
	uint32_t slot;

	if (!id || !tab)
		return UINT32_MAX;
	slot = (uint32_t)((id - 1) % RT_COROS);
	if (slot >= __atomic_load_n(&used, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&privs[slot].id, __ATOMIC_ACQUIRE) != id)
		return UINT32_MAX;
	return slot;
}

/* Copies s (or "" for NULL) into an n-byte field; 1 if it did not fit. */
static int copy_name(char *dst, const char *s, size_t n)
{
	size_t len;

	if (!s) {
		dst[0] = '\0';
		return 1;
	}
	len = strnlen(s, n);
	if (len == n) {
		memcpy(dst, s, n - 1);
		dst[n - 1] = '\0';
		return 1;
	}
	memcpy(dst, s, len + 1);
	return 0;
}

/* a slot to use, under coro_lock; UINT32_MAX if the table is full */
static uint32_t slot_take(void)
{
	uint32_t slot;

	if (free_head) {
		slot = free_head - 1;
		free_head = privs[slot].next_free;
		return slot;
	}
	slot = used;
	if (slot >= RT_COROS)
		return UINT32_MAX;
	if (slot >= committed) {
		uint32_t n =
		    RT_COROS - committed < CHUNK_ENTRIES ? RT_COROS - committed : CHUNK_ENTRIES;

		if (coro_back(&entries[committed], (uint64_t)n * sizeof(*entries)) < 0)
			return UINT32_MAX;
		committed += n;
	}
	return slot;
}

uint64_t coro_new(const char *name, uint32_t flags, uint64_t entry_pc)
{
	struct coro_priv *p;
	struct ft_coro *e;
	uint32_t slot, gen;
	uint64_t id;

	if (!tab)
		return 0;
	pthread_mutex_lock(&coro_lock);
	slot = slot_take();
	if (slot == UINT32_MAX) {
		coro_count(&tab->table_full);
		pthread_mutex_unlock(&coro_lock);
		return 0;
	}
	p = &privs[slot];
	gen = p->gen + 1;
	memset(p, 0, sizeof(*p));
	p->gen = gen;
	p->lbase = ft_coro_labels;
	id = (uint64_t)(gen - 1) * RT_COROS + slot + 1;
	p->state = FT_CORO_RUNNABLE;
	__atomic_store_n(&p->id, id, __ATOMIC_RELEASE);
	e = &entries[slot];
	w_begin(e);
	e->id = id;
	e->state = FT_CORO_RUNNABLE;
	e->tid = 0;
	e->flags = flags;
	e->created_ns = rt_now(CLOCK_MONOTONIC);
	e->state_ns = coarse_ns();
	e->parent_id = ft_coro_cur;
	e->cpu_ns = 0;
	e->samples = 0;
	e->labels_id = p->lbase;
	e->park_seq = 0;
	e->stack = 0;
	copy_name(e->name, name, sizeof(e->name));
	e->reason[0] = '\0';
	e->entry_pc = entry_pc;
	w_end(e);
	if (slot >= used) {
		__atomic_store_n(&used, slot + 1, __ATOMIC_RELEASE);
		__atomic_store_n(&tab->used, slot + 1, __ATOMIC_RELEASE);
	}
	__atomic_fetch_add(&tab->gen, 1, __ATOMIC_RELEASE);
	coro_count(&tab->created);
	pthread_mutex_unlock(&coro_lock);
	return id;
}

/* the switch a thread made before this call has completed: the context
 * it saved for the coroutine it left is in place */
void coro_settle(void)
{
	if (pending) {
		__atomic_store_n(&privs[pending - 1].ready_seq, pending_seq, __ATOMIC_RELEASE);
		pending = 0;
	}
}

static void run(uint32_t slot, uint64_t id, uint64_t now)
{
	struct ft_coro *e = &entries[slot];

	__atomic_store_n(&privs[slot].state, FT_CORO_RUNNING, __ATOMIC_RELEASE);
	w_begin(e);
	e->state = FT_CORO_RUNNING;
	e->tid = tid();
	e->state_ns = now;
	e->reason[0] = '\0';
	w_end(e);
	cur_slot = slot + 1;
	ft_coro_cur = id;
}

/*
 * The calling thread leaves its coroutine (if it runs one) in state,
 * PARKED or RUNNABLE (saved: the context the caller's switch is about to
 * save for it, or NULL), and runs coroutine to (0: itself).
 */
/*
 * The coroutine and its label set change in two stores: a sample taken
 * between them would pair one coroutine with the other's labels.  While a
 * change is under way the handler takes the pair as it was before.
 */
static void pair_begin(void)
{
	ft_coro_was = ft_coro_cur;
	ft_coro_was_labels = ft_coro_labels;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	ft_coro_switching = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void pair_end(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	ft_coro_switching = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void coro_switch(uint64_t to, ucontext_t *saved, int state)
{
	uint64_t now = coarse_ns();
	uint32_t slot;

	pair_begin();
	coro_settle();
	if (cur_slot) {
		struct ft_coro *e = &entries[cur_slot - 1];
		struct coro_priv *p = &privs[cur_slot - 1];

		w_begin(e);
		e->labels_id = ft_coro_labels;
		if (parking) {
			e->state = FT_CORO_PARKED;
			__atomic_store_n(&p->state, FT_CORO_PARKED, __ATOMIC_RELEASE);
		} else {
			e->state = (uint32_t)state;
			__atomic_store_n(&p->state, (uint32_t)state, __ATOMIC_RELEASE);
			e->state_ns = now;
			e->reason[0] = '\0';
			if (state == FT_CORO_PARKED) {
				p->saved = saved;
				e->park_seq = __atomic_add_fetch(&p->park_seq, 1, __ATOMIC_RELEASE);
				if (saved) {
					pending = cur_slot;
					pending_seq = p->park_seq;
				}
			}
		}
		w_end(e);
		parking = 0;
	}
	slot = coro_slot_of(to);
	if (slot != UINT32_MAX) {
		run(slot, to, now);
	} else {
		if (to)
			misuse(&tab->bad_id);
		cur_slot = 0;
		ft_coro_cur = 0;
	}
	labels_switched();
	pair_end();
}

/* We resumed as coroutine me, but the thread says otherwise: a switch went
 * past our wrappers (siglongjmp between coroutines, a context we never
 * saw).  Count it, say so once, and run as me again. */
void coro_heal(uint64_t me)
{
	uint32_t slot = coro_slot_of(me);

	coro_count(&tab->unfollowed);
	if (!__atomic_exchange_n(&noted_unfollowed, 1, __ATOMIC_RELAXED))
		rt_note(
		    "some coroutine switches cannot be followed (longjmp between "
		    "coroutines?): counted as unfollowed, attribution fixed at the next switch");
	parking = 0;
	pair_begin();
	if (slot != UINT32_MAX) {
		run(slot, me, coarse_ns());
	} else {
		cur_slot = 0;
		ft_coro_cur = 0;
	}
	labels_switched();
	pair_end();
}

static void slot_free(uint32_t slot)
{
	struct ft_coro *e = &entries[slot];

	pthread_mutex_lock(&coro_lock);
	__atomic_store_n(&privs[slot].id, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&privs[slot].state, FT_CORO_FREE, __ATOMIC_RELEASE);
	w_begin(e);
	e->id = 0;
	e->state = FT_CORO_FREE;
	e->stack = 0;
	w_end(e);
	privs[slot].next_free = free_head;
	free_head = slot + 1;
	__atomic_fetch_add(&tab->gen, 1, __ATOMIC_RELEASE);
	coro_count(&tab->exited);
	pthread_mutex_unlock(&coro_lock);
}

void coro_exit_id(uint64_t id)
{
	uint32_t slot = coro_slot_of(id);

	if (slot == UINT32_MAX) {
		misuse(&tab->bad_id);
		return;
	}
	if (cur_slot == slot + 1) {
		pair_begin();
		cur_slot = 0;
		ft_coro_cur = 0;
		parking = 0;
		labels_switched();
		pair_end();
	}
	slot_free(slot);
}

void coro_sampled(uint64_t cpu_ns)
{
	uint32_t s = cur_slot;
	struct ft_coro *e;

	if (!s || !tab)
		return;
	e = &entries[s - 1];
	if (privs[s - 1].id != ft_coro_cur)
		return;
	__atomic_fetch_add(&e->cpu_ns, cpu_ns, __ATOMIC_RELAXED);
	__atomic_fetch_add(&e->samples, 1, __ATOMIC_RELAXED);
}

struct coro_priv *coro_running_priv(void)
{
	return cur_slot ? &privs[cur_slot - 1] : NULL;
}

/* ---- the public API (flametop.h) ------------------------------------- */

EXPORT uint64_t flametop__coro_create(const char *name)
{
	uint64_t id;

	if (!coro_tab_ready())
		return 0;
	id = coro_new(name, 0, 0);
	if (id && (!name || strnlen(name, FT_NAME_LEN) == FT_NAME_LEN))
		misuse(&tab->bad_name);
	return id;
}

EXPORT void flametop__coro_enter(uint64_t id)
{
	if (!coro_tab_ready())
		return;
	if (coro_slot_of(id) == UINT32_MAX) {
		misuse(&tab->bad_id);
		return;
	}
	coro_switch(id, NULL, FT_CORO_RUNNABLE);
}

EXPORT void flametop__coro_leave(void)
{
	if (!coro_tab_ready())
		return;
	if (!cur_slot) {
		misuse(&tab->bad_leave);
		return;
	}
	coro_switch(0, NULL, FT_CORO_RUNNABLE);
}

/* noinline with a frame: the caller's pc, stack and frame pointers are
 * where the parked stack starts */
EXPORT __attribute__((noinline)) void flametop__coro_park(const char *reason)
{
	uint64_t *fp = __builtin_frame_address(0);
	struct coro_priv *p;
	struct ft_coro *e;

	if (!coro_tab_ready())
		return;
	if (!cur_slot) {
		misuse(&tab->bad_leave);
		return;
	}
	e = &entries[cur_slot - 1];
	p = &privs[cur_slot - 1];
	p->saved = NULL;
	p->rip = (uint64_t)__builtin_return_address(0);
	p->rsp = (uint64_t)(fp + 2);
	p->rbp = fp[0];
	__atomic_store_n(&p->state, FT_CORO_PARKED, __ATOMIC_RELEASE);
	w_begin(e);
	e->state = FT_CORO_PARKED;
	e->state_ns = coarse_ns();
	if (copy_name(e->reason, reason, sizeof(e->reason)) && reason)
		misuse(&tab->bad_name);
	e->park_seq = __atomic_add_fetch(&p->park_seq, 1, __ATOMIC_RELEASE);
	w_end(e);
	__atomic_store_n(&p->ready_seq, p->park_seq, __ATOMIC_RELEASE);
	parking = 1;
}

EXPORT void flametop__coro_exit(uint64_t id)
{
	if (!coro_tab_ready())
		return;
	coro_exit_id(id);
}

EXPORT void flametop__coro_rename(uint64_t id, const char *name)
{
	uint32_t slot;
	struct ft_coro *e;

	if (!coro_tab_ready())
		return;
	slot = coro_slot_of(id);
	if (slot == UINT32_MAX) {
		misuse(&tab->bad_id);
		return;
	}
	e = &entries[slot];
	pthread_mutex_lock(&coro_lock);
	w_begin(e);
	if (copy_name(e->name, name, sizeof(e->name)))
		misuse(&tab->bad_name);
	w_end(e);
	__atomic_fetch_add(&tab->gen, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&coro_lock);
}

EXPORT uint64_t flametop__coro_current(void)
{
	return rt.on ? ft_coro_cur : 0;
}
