/*
 * rt.h - the runtime's private state, shared by the files of runtime/.
 *
 * One struct rt exists per process (the global "rt").  Its settings are
 * fixed by rt_init() before anything else runs; the segment pointers are
 * set once and never change while rt.on is 1.  struct rt_slot is the
 * process-private half of a thread-table entry: the runtime thread is its
 * only writer except for the fields marked "handler", which only the
 * owning thread's signal handler writes.
 *
 * Nothing here is exported: the library is built with -fvisibility=hidden.
 */
#ifndef FT_RT_H
#define FT_RT_H

#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>
#include "flametop-shm.h"
#include "ring.h"

/* a variable every start touches: in .data (the page the loader writes
 * anyway) instead of a page of .bss that would cost one more page fault */
#define RT_HOT __attribute__((section(".data.rt_hot")))

#define RT_THREADS 512u
#define RT_COROS (128u * 1024u)	  /* coroutines alive at once, at most */
#define RT_CORO_STACKS (8u << 20) /* bytes of interned parked stacks */
#define RT_MODULES 512u
#define RT_STRINGS (64u * 1024u)
#define RT_EVENTS (512u * 1024u) /* GC records: 320 bytes and their stack */
#define RT_PENDING 256u		 /* announced tids not yet picked up */
#define RT_FDMAP 4096		 /* perf fd -> slot lookup for fds below this */
#define RT_LAST_DEPTH 64u	 /* frames of the last stack kept per thread */
#define RT_ROOT_DEPTH 8u	 /* frames of a new thread's start, announced */
/* threads with a smaller stack are never sent the sampling signal: the
 * kernel's signal frame (AT_MINSIGSTKSZ, 3-12 KiB) and the handler's
 * entry would take a large part of it (see handler.c) */
#define RT_STACK_MIN_SIGNALLED (64u * 1024u)

struct rt_settings {
	uint32_t freq;	/* Hz per thread */
	uint32_t mode;	/* enum ft_mode */
	uint32_t depth; /* frames kept per sample */
	int signo;
	uint32_t ring_kb;
	int always, keep, quiet;
	int children;	     /* FLAMETOP_CHILDREN: a forked child profiles itself */
	int force_posix;     /* FLAMETOP_TIMER=posix */
	int force_perf;	     /* FLAMETOP_TIMER=perf */
	uint64_t alloc_rate; /* FLAMETOP_ALLOC_RATE: bytes, 0: every block */
};

struct rt_slot {
	volatile pid_t tid;	    /* 0: free; set before the timer is armed */
	uint32_t state;		    /* FT_THREAD_*, as published (never read back) */
	char name[FT_NAME_LEN];	    /* as published */
	uint32_t timer;		    /* enum ft_timer, FT_TIMER_NONE: unarmed */
	uint32_t last_timer;	    /* the kind last armed, kept after disarm */
	int perf_fd;		    /* perf event, or -1 */
	uint64_t perf_id;	    /* its PERF_EVENT_IOC_ID: tells it from a reuse */
	timer_t posix;		    /* with FT_TIMER_POSIX_* */
	uint64_t stack_size;	    /* announced by the thread; 0: not known */
	uint64_t arm_after_ns;	    /* found by a scan: wait for its announcement */
	int small_stack;	    /* never signalled (threads_small_stack) */
	uint64_t off_wall;	    /* wall mode: wall clock at the last look */
	uint64_t off_cpu;	    /* wall mode: thread CPU at the last look */
	uint64_t off_delay;	    /* wall mode: schedstat run_delay at the last look */
	int64_t off_owed;	    /* wall mode: blocked ns not yet written */
	volatile uint64_t wait_ns;  /* wall mode: runnable ns for the handler */
	uint64_t wait_carry;	    /* handler: runnable ns short of a period */
	uint64_t *last_pc;	    /* the last stack taken, RT_LAST_DEPTH entries */
	volatile uint32_t last_seq; /* odd while last_pc is being written */
	uint32_t last_n;
	uint64_t name_ns;	/* when the name was last read */
	uint64_t next_try_ns;	/* no arming before this (after a failure) */
	int arm_failed;		/* counted in threads_timer_failed */
	uint64_t cpu_seen;	/* runtime thread: cpu at the last rate tick */
	uint64_t cpu_check;	/* runtime thread: cpu at the last timer look */
	uint64_t samples_check; /* runtime thread: samples at the last look */
	uint64_t samples_seen;	/* runtime thread: samples at the last tick */
	/* handler */
	volatile int busy;  /* re-entry guard */
	uint64_t last_cpu;  /* thread CPU ns at the previous sample */
	uint64_t last_wall; /* CLOCK_MONOTONIC at the previous sample */
	volatile uint64_t samples;
};

/*
 * What a process that starts unwatched touches comes first, so that it
 * shares the page the loader writes anyway (the end of .data): at this
 * machine's cost of a page fault, each page a start touches counts.
 */
struct rt {
	volatile int on;	    /* segment published, handler may write */
	volatile int sampling;	    /* timers armed (FT_FLAG_SAMPLING) */
	volatile int sig_lost;	    /* the program owns our signal */
	int sig_noted;		    /* ... and we said so */
	volatile int handler_in;    /* our handler is installed */
	volatile int names_dirty;   /* a thread was renamed: reread names */
	volatile int modules_dirty; /* dlopen/dlclose: look at modules */
	volatile int forking;	    /* inside fork(): allocations write nothing */
	int in_dl;		    /* the runtime thread is in dlopen (libunwind) */
	int fork_follow;	    /* the child being forked may start a runtime */
	int private_fds;	    /* the runtime thread has its own fd table */
	struct rt_settings set;
	pid_t pid;
	pid_t rt_tid; /* the runtime thread, never sampled */
	uint64_t period_ns;
	uint64_t start_mono_ns, start_realtime_ns; /* when the runtime started */
	uintptr_t self_lo, self_hi;		   /* this library's code (rt_find_self) */

	struct ft_header *hdr; /* the segment's, or a private one until it exists */
	size_t seg_size;
	char shm_name[64];
	/* the rings' writers: sizes kept here, never read from the segment */
	struct ft_ring_writer *samples; /* &sample_ring once published */
	struct ft_ring_writer *events;
	struct ft_ring_writer sample_ring, event_ring;
	uint32_t state;	       /* enum ft_state as last published */
	char cwd[FT_PATH_LEN]; /* the directory at start: relative LD_PRELOAD
				* and dlopen names are relative to it */
	pthread_t thread;
	int thread_started;
	volatile uint32_t stop;	    /* futex word: 1 asks the thread to end */
	int seg_life;		    /* segment-writer.c: made, named, gone */
	struct ft_header early_hdr; /* rt.hdr until the segment exists */
	char exe[FT_PATH_LEN];	    /* the main executable's path */
	struct ft_thread *threads;
	struct ft_module *modules;
	struct ft_strtab *strtab;

	struct rt_slot slots[RT_THREADS];
	int16_t fd_slot[RT_FDMAP]; /* perf fd -> slot + 1, 0: none */
	/* threads announced by the trampoline: tid | stack KiB << 32 */
	volatile uint64_t pending[RT_PENDING];
	uint64_t pending_root[RT_PENDING][RT_ROOT_DEPTH]; /* its start routine */
	uint32_t pending_root_n[RT_PENDING];
};

extern struct rt rt;

/* the loader guard: set while this thread is inside the dynamic loader */
extern __thread int rt_in_loader __attribute__((tls_model("initial-exec")));
/* this thread's stack [lo, hi), set by the thread-start trampoline (and
 * for the main thread at start); 0: not known */
extern __thread uintptr_t rt_stack_lo __attribute__((tls_model("initial-exec")));
extern __thread uintptr_t rt_stack_hi __attribute__((tls_model("initial-exec")));

/* rt.c */
uint64_t rt_now(clockid_t clk);
void rt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_set_header_note(const char *msg);
int rt_private_fds(void);
int rt_viewers_tick(uint64_t now);
void rt_shutdown(int state, int status, int light);
void rt_before_exec(void);
void rt_exec_failed(void);
void rt_signal_taken(void);
void rt_find_self(void);

/* segment-writer.c */
/* no segment yet: rt.hdr a private header, the event ring made by its
 * first record; the state of a process that starts unwatched.  reset:
 * clear what an earlier life wrote in the private header */
void segment_early(int reset);
/* makes the segment now (once; 0 if it exists); -1 with err set, or
 * with err empty when the runtime is leaving */
int segment_create(char *err, size_t errlen);
/* the segment, made now if it does not exist yet (outside signal
 * handlers); wait: wait while another thread makes it.  0, or -1 (the
 * runtime is off after a failure, said once) */
int segment_need(int wait);
int segment_exists(void);
/* adds what late writers put in the private header to the segment's */
void segment_fold_early(void);
/* allocates the pages of region (enum ft_region) past its first before
 * they are first written, once; outside signal handlers only, errno
 * kept.  0, or -errno (ENOSPC, ENOMEM: /dev/shm is full) then and
 * ever after */
int segment_back(int region);
/* 1 if region's pages are all allocated (async-signal-safe, never waits) */
int segment_backed(int region);
/* segment_back() of the sample ring, before the first timer is armed */
int segment_populate_samples(void);
int segment_publish(char *err, size_t errlen);
int segment_published(void);
const char *segment_name(void);
void segment_unlink(void);
void segment_unmap(void);

/* handler.c */
int handler_install(struct sigaction *prev);
int rt_install_handler(void);
int handler_owned(void);
void handler_main_stack(void);
uint64_t *handler_last_stack(uint32_t slot);
void handler_keep_stack(struct rt_slot *sl, const uint64_t *pc, uint32_t n);
void handler_sample(int signo, siginfo_t *si, void *uc);

/* timer.c */
int timer_arm(uint32_t slot);
int timer_check(uint32_t slot);
void timer_disarm(uint32_t slot);
void timer_disarm_all(void);

/* sampler.c */
int sampler_start(void);
int sampler_load_unwinder(void);
void sampler_stop(void);
void sampler_announce(pid_t tid, uint64_t stack_size, const uint64_t *root, uint32_t n);

/* blocked.c */
int blocked_init(void);
void blocked_look(uint32_t slot, uint64_t now);
void sampler_final(void);
void sampler_wake(void);

/* gc.c */
void gc_init(void);
void gc_dlopened(void);
/* 1 once libgc's collection events come to us */
int gc_hooked(void);

/* modules.c */
void modules_forget(void);
void modules_refresh(int force);

/* interpose.c */
extern int rt_exit_status; /* exit()'s or main's status & 0xff, or -1 */
void interpose_resolve(void);
void interpose_mask_handlers(void);
uint64_t interpose_main_pc(void);
extern int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
void *gc_real_sym(const char *name);
extern int (*real_dl_iterate_phdr)(int (*)(struct dl_phdr_info *, size_t, void *), void *);

#endif
