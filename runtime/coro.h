/*
 * coro.h - the runtime's coroutine table, labels and parked stacks.
 *
 * The shared half of every coroutine lives in the segment (struct ft_coro,
 * see flametop-shm.h); the private half (struct coro_priv) in memory of
 * this process reserved at start and touched only as slots are used.  A
 * coroutine is written by the thread it runs on (switches), by the thread
 * that creates or frees it under coro_lock, and for its stack word only by
 * the runtime thread.  The signal handler reads two thread-local values
 * (ft_coro_cur, ft_coro_labels) and adds to the running entry's counters.
 */
#ifndef FT_CORO_H
#define FT_CORO_H

#include <stdint.h>
#include <ucontext.h>
#include "flametop-shm.h"

#define CORO_ARGS 13	  /* makecontext arguments a tracked coroutine may take */
#define CORO_LDEPTH 16	  /* label pushes kept per coroutine or thread */
#define CORO_STACK_MAX 64 /* frames kept per parked stack */

struct coro_priv {
	uint32_t next_free; /* free list link, slot + 1 */
	uint32_t gen;	    /* times this slot was handed out */
	/* what the segment's entry says, kept here: any process can write
	 * the segment, the runtime reads back only its own copies */
	uint64_t id;	/* 0: free */
	uint32_t state; /* FT_CORO_* */
	uint32_t park_seq;
	/* labels: the set inherited at creation, then the pushes */
	uint32_t lbase;
	uint16_t ldepth, lover; /* pushes kept / pushes beyond CORO_LDEPTH */
	uint32_t lstack[CORO_LDEPTH];
	/* where it parked: the context a switch saved, or the registers the
	 * API saw; ready_seq is the park_seq they belong to once saved */
	ucontext_t *saved;
	uint64_t rip, rsp, rbp;
	volatile uint32_t ready_seq;
};

/* what the signal handler copies into every sample */
extern __thread uint64_t ft_coro_cur __attribute__((tls_model("initial-exec")));
extern __thread uint32_t ft_coro_labels __attribute__((tls_model("initial-exec")));
/* while the pair above changes, the pair as it was (see coro_switch) */
extern __thread uint32_t ft_coro_switching __attribute__((tls_model("initial-exec")));
extern __thread uint64_t ft_coro_was __attribute__((tls_model("initial-exec")));
extern __thread uint32_t ft_coro_was_labels __attribute__((tls_model("initial-exec")));

/* coro.c */
uint64_t coro_region_size(void);
void coro_segment_init(void *region, uint64_t size);
/* in a forked child that profiles itself: no coroutine or label is
 * followed there (the tables are the parent's) */
void coro_forget(void);
struct ft_corotab *coro_tab(void);
/* coro_tab(), the segment made first if there is none yet (the first
 * coroutine or label of a process nobody watched); not from a signal
 * handler */
struct ft_corotab *coro_tab_ready(void);
uint32_t coro_used(void); /* slots ever handed out */
uint8_t *coro_stack_area(uint64_t *size);
struct ft_coro *coro_entry(uint32_t slot);
struct coro_priv *coro_priv(uint32_t slot);
uint32_t coro_slot_of(uint64_t id); /* UINT32_MAX if id is not live */
uint64_t coro_new(const char *name, uint32_t flags, uint64_t entry_pc);
void coro_switch(uint64_t to, ucontext_t *saved, int state);
void coro_exit_id(uint64_t id);
void coro_settle(void);
void coro_heal(uint64_t me);
void coro_count(uint64_t *c);
void coro_sampled(uint64_t cpu_ns); /* async-signal-safe */
int coro_back(void *p, uint64_t len);
struct coro_priv *coro_running_priv(void); /* NULL: the thread runs itself */

/* labels.c */
void labels_switched(void);
void labels_segment_init(void);

/* coro-stacks.c: the runtime thread */
void coro_stacks_tick(uint64_t now);

/*
 * Unwinds a stack of this process that may change or vanish while it is
 * read (a blocked thread's, from its pc and sp alone), reading it only
 * through process_vm_readv: frames[] and the address each return address
 * was read from (slots[]); *complete when the walk reached the outermost
 * frame or max.  The number of frames, or -1 without libunwind's remote
 * library.  Runtime thread only; now: the tick's time (the loaded objects
 * are listed once per tick).
 */
int stacks_unwind_safe(uint64_t now, uint64_t pc, uint64_t sp, uint64_t *frames, uint64_t *slots,
		       int max, int *complete);

/* 1 if the n words at addr[i] (read safely, as above) equal want[i] */
int stacks_same_words(const uint64_t *addr, const uint64_t *want, int n);

#endif
