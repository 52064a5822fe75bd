/*
 * flametop-shm.h - the shared-memory segment format (version 2).
 *
 * This file contains the one definition of the memory a flametop writer
 * (libflametop.so, or any other runtime) shares with flametop viewers.  The
 * runtime owns the format; the viewer includes this header and treats every
 * byte of the segment as untrusted input.  Only fixed-width types are used,
 * all little-endian (x86_64), all offsets relative to the segment start.
 *
 * Naming: one segment per process, POSIX shm name "/flametop.<pid>"
 * (/dev/shm/flametop.<pid>), created with O_CREAT|O_EXCL, mode 0600.
 *
 * Layout (every region starts on a 4096-byte boundary):
 *
 *   0        +--------------------------------------------+
 *            | struct ft_header  (magic "FLAMETOP", ver,  |
 *            |   pid, clocks, settings, state, counters,  |
 *            |   region table, viewer control block)      |
 *   4096     +--------------------------------------------+
 *            | sample ring: struct ft_ring + data[]       |  records:
 *            |   [ft_rec_hdr|ft_sample|pc[0..n)] ...      |  struct ft_sample
 *            +--------------------------------------------+
 *            | event ring:  struct ft_ring + data[]       |  struct ft_event
 *            +--------------------------------------------+
 *            | thread table:    struct ft_thread[n]       |
 *            +--------------------------------------------+
 *            | coroutine region: struct ft_corotab,       |
 *            |   struct ft_coro[n], interned parked stacks|
 *            +--------------------------------------------+
 *            | module table:    struct ft_module[n]       |
 *            +--------------------------------------------+
 *            | string table:    struct ft_strtab + bytes  |
 *            +--------------------------------------------+  segment_size
 *
 * Rings.  A ring is a byte ring of power-of-two size that any number of
 * writers append to without locks, and that any number of readers follow
 * without writing to it.  Every record starts on an 8-byte boundary with a
 * struct ft_rec_hdr.  To append a record of len bytes (len a multiple of 8):
 *
 *   1. pos = atomic_fetch_add(&ring->head, len)       (reserve; never waits)
 *   2. write the record body (with len and kind) at data[(pos + i) & mask],
 *      wrapping around the end of data[] byte by byte if needed
 *   3. atomic_store_release(&hdr->tag, pos ^ FT_TAG_XOR)      (commit)
 *
 * The record's check field holds ft_rec_check() of its body (below).
 *
 * A reader keeps its own position rpos (a record boundary).  head is the
 * end of all reserved bytes.  For the record at rpos:
 *   - if head - rpos > size, the writer lapped the reader: the bytes from
 *     rpos on are lost; the reader resynchronises (below) and counts
 *     the gap (head - size - rpos bytes at least, see ft_ring.lost);
 *   - tag != rpos ^ FT_TAG_XOR: not committed yet; try again later (after a
 *     long wait, or once the writer exited, treat as lost and resync);
 *   - otherwise copy the record out, then re-read head: if now
 *     head > rpos + size the copy may be torn: discard it as lost; so
 *     too if its check does not match its body.
 * Resynchronising: scan forward from a position p >= head - size in steps
 * of 8 for a word equal to p ^ FT_TAG_XOR whose len is sane.  Tags encode
 * their own position, so a stale or random word almost never passes.
 *
 * A record that fails a check is dropped and counted; nothing in a record
 * may be trusted beyond its own validation (kind, len, nframes <= depth).
 *
 * Tables.  Each table entry carries a seq counter (seqlock): the single
 * writer makes seq odd, writes the entry, makes seq even (release).  A
 * reader copies the entry and keeps it only if seq was even and unchanged.
 * Strings inside entries are fixed arrays, NUL-terminated by the writer;
 * readers must still bound them.
 */
#ifndef FLAMETOP_SHM_H
#define FLAMETOP_SHM_H

#include <stdint.h>

#define FT_MAGIC "FLAMETOP" /* 8 bytes, no NUL */
#define FT_VERSION 2u
#define FT_SHM_PREFIX "/flametop."
#define FT_TAG_XOR 0x5a17f1a3e0000000ull
#define FT_MAX_DEPTH 512u /* the most frames a sample may carry */
#define FT_DEFAULT_DEPTH 128u
#define FT_NAME_LEN 32u	 /* thread / coroutine names */
#define FT_PATH_LEN 256u /* module paths */
#define FT_BUILD_ID_LEN 20u
#define FT_LABELS_MAX 8u
#define FT_VIEWER_SLOTS 6u
#define FT_VIEWER_TIMEOUT_NS 2000000000ull /* a viewer silent this long is gone */

/* ft_header.state: the writer's life */
enum ft_state {
	FT_STATE_STARTING = 0,
	FT_STATE_RUNNING = 1,
	FT_STATE_EXITED = 2, /* exit_status is valid (or -1 if unknown) */
	FT_STATE_EXECED = 3, /* the process called exec: reattach by pid */
	FT_STATE_FAILED = 4, /* the writer gave up (see ft_header.note) */
};

/* ft_header.mode */
enum ft_mode {
	FT_MODE_CPU = 0,  /* threads sampled in proportion to their CPU time */
	FT_MODE_WALL = 1, /* every thread sampled at the rate, running or not */
};

/* ft_header.timer: what actually drives the samples */
enum ft_timer {
	FT_TIMER_NONE = 0,
	FT_TIMER_PERF_TASK_CLOCK = 1, /* perf_event_open task-clock per thread */
	FT_TIMER_POSIX_CPU = 2,	      /* timer_create on the thread's user CPU clock */
	FT_TIMER_POSIX_WALL = 3,      /* no longer written (wall mode uses the
				       * CPU timers and reads blocked threads) */
};

struct ft_region {
	uint64_t offset;     /* from the segment start, 4096-aligned */
	uint64_t size;	     /* bytes */
	uint32_t count;	     /* entries (tables) or 0 (rings) */
	uint32_t entry_size; /* sizeof one entry (tables) or 0 (rings) */
};

enum ft_region_id {
	FT_REGION_SAMPLES = 0,
	FT_REGION_EVENTS,
	FT_REGION_THREADS,
	FT_REGION_COROS,
	FT_REGION_MODULES,
	FT_REGION_STRINGS,
	FT_REGION_COUNT,
};

/*
 * Counters: written by the runtime with relaxed atomic adds, read without
 * locking (a reader may see them slightly out of date, never torn).
 */
struct ft_counters {
	uint64_t samples_written; /* sample records committed */
	uint64_t samples_dropped; /* samples not taken (see the reasons) */
	uint64_t drop_busy;	  /*   handler re-entered / in dynamic loader */
	uint64_t drop_unwind;	  /*   unwinder failed */
	uint64_t drop_nothread;	  /*   signal for a thread not in the table */
	uint64_t events_written;
	uint64_t events_dropped;
	uint64_t handler_ns_total; /* time spent inside the signal handler */
	uint64_t handler_calls;
	/* log2 histogram of handler time: bucket i counts calls that took
	 * [2^i, 2^(i+1)) ns; bucket 0 also takes 0 ns */
	uint64_t handler_hist[32];
	uint64_t threads_seen;
	uint64_t threads_timer_failed; /* threads we could not arm a timer on */
	uint64_t truncated;	       /* samples whose stack hit the depth limit */
	uint64_t drop_stack;	       /*   too little stack left on the thread */
	uint64_t drop_woke;	       /*   a blocked thread woke while it was read */
	uint64_t threads_small_stack;  /* threads never signalled: stack too small */
	uint64_t timers_lost;	       /* perf events the program closed (re-armed) */
	/* GC events (struct ft_gc records are counted in events_*) */
	uint64_t gc_seen;   /* collections that began */
	uint64_t gc_misuse; /* GC API calls ignored: end without begin, ... */
	/* allocations (struct ft_alloc / ft_free records are counted in
	 * events_*) */
	uint64_t alloc_untracked; /* sampled blocks whose release cannot be
				   * followed (the runtime's table was full) */
	uint64_t alloc_nostack;	  /* sampled blocks written without a stack
				   * (allocated inside the dynamic loader, or
				   * with too little stack left) */
};

/*
 * The viewer control block: the only bytes a viewer writes.  The runtime
 * polls it; it never trusts it beyond what is checked here.
 */
struct ft_control {
	uint64_t viewer_heartbeat_ns; /* CLOCK_MONOTONIC of the last viewer poll */
	uint32_t viewers;	      /* written by the writer: slots beaten in the
				       * last FT_VIEWER_TIMEOUT_NS */
	uint32_t reserved0;
	/* one slot per viewer: the CLOCK_MONOTONIC time of its last poll, 0
	 * when free; a viewer takes a free or expired slot (compare and
	 * swap), beats it while it reads, and zeroes it when it detaches; a
	 * killed viewer's slot expires on its own */
	uint64_t viewer_slot[FT_VIEWER_SLOTS];
};

struct ft_header {
	char magic[8];	       /* FT_MAGIC */
	uint32_t version;      /* FT_VERSION */
	uint32_t header_size;  /* sizeof(struct ft_header) */
	uint64_t segment_size; /* total bytes; equals the file size */
	int32_t pid;
	uint32_t uid;
	uint64_t start_realtime_ns;	     /* CLOCK_REALTIME at start */
	uint64_t start_mono_ns;		     /* CLOCK_MONOTONIC at start: the time base
					      * of every timestamp in the segment */
	uint32_t mode;			     /* enum ft_mode */
	uint32_t timer;			     /* enum ft_timer actually in use */
	uint32_t freq_hz;		     /* asked per-thread sampling rate */
	uint32_t max_depth;		     /* frames per sample at most (<= FT_MAX_DEPTH) */
	uint32_t signo;			     /* sampling signal */
	uint32_t flags;			     /* FT_FLAG_* */
	uint64_t period_ns;		     /* 1e9 / freq_hz */
	volatile uint32_t state;	     /* enum ft_state */
	int32_t exit_status;		     /* with FT_STATE_EXITED: status, or -1 */
	volatile uint64_t heartbeat_ns;	     /* CLOCK_MONOTONIC, sampler thread */
	volatile uint64_t achieved_hz_milli; /* measured rate per busy thread
					      * over the last second, x1000 */
	char exe[FT_PATH_LEN];		     /* the main executable's path */
	char cmdline[FT_PATH_LEN];	     /* argv joined with spaces, truncated */
	char note[128];			     /* why the writer degraded, if it did */
	struct ft_region regions[FT_REGION_COUNT];
	struct ft_counters counters;
	struct ft_control control;
	uint64_t modules_gen; /* bumped whenever the module table changes */
	uint64_t threads_gen; /* bumped whenever the thread table changes */
	uint64_t alloc_rate;  /* with FT_FLAG_ALLOC: the mean bytes between two
			       * allocation samples; 0: every allocation */
	uint64_t reserved[31];
};

#define FT_FLAG_SAMPLING 0x1u	/* timers armed right now */
#define FT_FLAG_ALWAYS 0x2u	/* samples with no viewer attached */
#define FT_FLAG_PRIVATE_FDS 0x4u /* the runtime thread has its own fd table */
#define FT_FLAG_GC_LIBGC 0x100u /* collections of libgc are hooked */
#define FT_FLAG_ALLOC                                                                              \
	0x200u /* the malloc family is interposed: FT_REC_ALLOC                                    \
		* and FT_REC_FREE records are written */

/* Header of a ring region */
struct ft_ring {
	volatile uint64_t head; /* bytes ever reserved (monotonic) */
	uint64_t size;		/* bytes of data[], a power of two */
	uint64_t reserved[6];
	/* data[size] follows, 64-byte aligned */
};
#define FT_RING_DATA_OFFSET 64u

/* Every ring record starts with this (8-byte aligned, len % 8 == 0) */
struct ft_rec_hdr {
	volatile uint64_t tag; /* position ^ FT_TAG_XOR once committed */
	uint32_t len;	       /* whole record incl. this header */
	uint16_t kind;	       /* enum ft_rec_kind */
	uint16_t check;	       /* ft_rec_check() of the record's body */
};

/*
 * The body check: a 16-bit hash of bytes [16, len) of a record, read as
 * little-endian 64-bit words, the last one zero-padded.  A writer that was
 * stalled while the ring wrapped can scribble over a newer record after a
 * reader checked head; the check lets the reader drop such a record.
 */
static inline uint16_t ft_rec_check(const void *rec, uint32_t len)
{
	const unsigned char *p = (const unsigned char *)rec;
	uint64_t h = 0x9e3779b97f4a7c15ull;
	uint32_t off;

	for (off = 16; off < len; off += 8) {
		uint64_t w = 0;
		uint32_t n = len - off < 8 ? len - off : 8;

		__builtin_memcpy(&w, p + off, n);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return (uint16_t)(h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48));
}

enum ft_rec_kind {
	FT_REC_PAD = 0,	   /* filler: skip len bytes */
	FT_REC_SAMPLE = 1, /* struct ft_sample + pcs */
	FT_REC_GC = 2,	   /* struct ft_gc: one garbage collection */
	FT_REC_CORO = 3,   /* reserved for coroutine events */
	FT_REC_ALLOC = 4,  /* struct ft_alloc: one sampled allocation */
	FT_REC_FREE = 5,   /* struct ft_free: a sampled block released */
};

/* ft_sample.flags */
#define FT_SAMPLE_ONCPU 0x1u	 /* the thread was running when sampled */
#define FT_SAMPLE_TRUNCATED 0x2u /* the stack hit max_depth */
#define FT_SAMPLE_LEAF_EXACT                                                                       \
	0x4u /* pc[0] is the interrupted pc itself,                                                \
	      * every other pc a return address */
#define FT_SAMPLE_BLOCKED                                                                          \
	0x8u /* read without a signal while the thread was                                         \
	      * blocked in a system call (wall mode) */
#define FT_SAMPLE_STALE                                                                            \
	0x10u /* pc[0] is FT_PC_SYSCALL(nr): the stack could                                       \
	       * not be read; pc[1..] is the last stack                                            \
	       * known for the thread, not a current one */

/*
 * Pseudo frames: a pc at or above FT_PC_PSEUDO is no code address (user
 * space ends far below it).  FT_PC_SYSCALL(nr) is the frame "blocked in
 * <system call nr>" of an FT_SAMPLE_STALE sample.
 */
#define FT_PC_PSEUDO 0xffffffffff000000ull
#define FT_PC_SYSCALL(nr) (FT_PC_PSEUDO + (uint64_t)(uint32_t)(nr))

/*
 * A stack sample.  pc[0] is the innermost frame.  weight_ns is the CPU time
 * the thread used since its previous sample (cpu mode, and wall-mode
 * samples taken on the CPU) or, for FT_SAMPLE_BLOCKED samples, the wall
 * time the thread spent off the CPU since it was last looked at; cpu_ns is
 * always the CPU time delta.
 */
struct ft_sample {
	struct ft_rec_hdr hdr; /* kind FT_REC_SAMPLE */
	uint64_t time_ns;      /* CLOCK_MONOTONIC */
	uint64_t weight_ns;
	uint64_t cpu_ns;
	int32_t tid;
	uint32_t thread_slot; /* index into the thread table */
	uint64_t coro_id;     /* 0: not on a coroutine */
	uint32_t labels_id;   /* label set, see struct ft_labels */
	uint16_t nframes;
	uint16_t flags; /* FT_SAMPLE_* */
	uint64_t pc[];	/* nframes entries */
};

/* A generic event record (GC cycles, coroutine switches: later formats) */
struct ft_event {
	struct ft_rec_hdr hdr;
	uint64_t time_ns;
	int32_t tid;
	uint32_t type;
	uint64_t a, b, c, d; /* meaning depends on kind/type */
};

/*
 * One garbage collection, written to the event ring when it ends.  The
 * writer is libgc's collection-event hook (source FT_GC_SOURCE_LIBGC) or
 * the flametop_gc_* API (FT_GC_SOURCE_API).  Times are CLOCK_MONOTONIC.
 * Heap numbers are bytes; "used" is heap minus free at that moment.
 * pc[0] is the innermost frame of the thread that triggered the
 * collection, taken when it began (nframes 0: not taken).
 *
 * Validation: len >= sizeof(struct ft_gc) + 8 * nframes, nframes <=
 * FT_MAX_DEPTH, nphases <= FT_GC_PHASES, start_ns <= end_ns, each phase
 * inside [0, end_ns - start_ns]; phase names are NUL-terminated by the
 * writer, readers bound them to FT_GC_PHASE_NAME.  Fields a source cannot
 * know are 0 and their FT_GC_HAVE_* flag is clear.
 */
#define FT_GC_PHASES 6u
#define FT_GC_PHASE_NAME 16u

enum ft_gc_source {
	FT_GC_SOURCE_API = 1,	/* the program's own collector */
	FT_GC_SOURCE_LIBGC = 2, /* the Boehm-Demers-Weiser collector */
};

enum ft_gc_reason {
	FT_GC_REASON_UNKNOWN = 0,
	FT_GC_REASON_ALLOC = 1,	   /* an allocation crossed the threshold */
	FT_GC_REASON_EXPLICIT = 2, /* the program asked (GC_gcollect) */
	FT_GC_REASON_OTHER = 3,	   /* the collector's own reason */
};

/* ft_gc.flags */
#define FT_GC_HAVE_NUMBER 0x1u /* number is the collector's own */
#define FT_GC_HAVE_FREE 0x2u   /* free_before / free_after are valid */
#define FT_GC_HAVE_ALLOC 0x4u  /* allocated is valid */
#define FT_GC_HAVE_FREED 0x8u  /* freed is valid */
#define FT_GC_TRUNCATED 0x10u  /* the stack hit the depth limit */
#define FT_GC_PHASES_CUT 0x20u /* more phases than FT_GC_PHASES began */
#define FT_GC_HAVE_THREAD_BYTES 0x40u /* thread_bytes is valid */

struct ft_gc_phase {
	char name[FT_GC_PHASE_NAME]; /* "mark", "reclaim", or the API's */
	uint64_t start_ns;	     /* from ft_gc.start_ns */
	uint64_t dur_ns;
};

struct ft_gc {
	struct ft_rec_hdr hdr; /* kind FT_REC_GC */
	uint64_t start_ns;     /* the collection began */
	uint64_t end_ns;       /* ... and ended */
	uint64_t pause_ns;     /* the world was stopped this long in all */
	uint64_t number;       /* the collector's number (libgc's gc_no) */
	uint64_t heap_before;  /* heap size when it began */
	uint64_t heap_after;   /* heap size when it ended */
	uint64_t free_before;  /* free bytes in the heap when it began */
	uint64_t free_after;   /* ... and when it ended */
	uint64_t allocated;    /* bytes allocated since the previous one */
	uint64_t freed;	       /* bytes it freed */
	int32_t tid;	       /* the thread that triggered it */
	uint16_t source;       /* enum ft_gc_source */
	uint16_t reason;       /* enum ft_gc_reason */
	uint16_t flags;	       /* FT_GC_* */
	uint16_t nphases;      /* phase[] entries in use */
	uint16_t nframes;      /* pc[] entries */
	uint16_t reserved0;
	uint64_t thread_bytes; /* FT_GC_HAVE_THREAD_BYTES: the triggering
				* thread's thread_bytes (struct ft_alloc)
				* when it began */
	uint64_t reserved;
	struct ft_gc_phase phase[FT_GC_PHASES];
	uint64_t pc[]; /* nframes entries */
};

/*
 * Allocations.  Blocks of the malloc family are sampled by bytes: each
 * thread counts down the bytes it allocates from an exponential draw of
 * mean alloc_rate (a Poisson process over allocated bytes), so a block of
 * size s is sampled with probability p = 1 - exp(-s / alloc_rate), and
 * its record carries the unbiased estimates of what it stands for
 * (pprof's scaling): bytes = s / p, objects = 1 / p (rounded up or down
 * at random so that the integer stays unbiased).  With alloc_rate 0 every
 * block is written with bytes = s and objects = 1.
 *
 * pc[0] is the return address of the program's call into the allocator
 * (every pc is a return address); nframes may be 0 (FT_ALLOC_NOSTACK).
 * A sampled block's release (free, realloc, or realloc to a new block)
 * is written as an FT_REC_FREE record naming its address, after the
 * FT_REC_ALLOC record of that block and before any record of a later
 * block at the same address, unless FT_ALLOC_UNTRACKED is set.
 *
 * Validation: len >= sizeof(struct ft_alloc) + 8 * nframes, nframes <=
 * FT_MAX_DEPTH, weight_objects >= 1, weight_bytes >= size, source a
 * known enum ft_alloc_source.
 */
enum ft_alloc_source {
	FT_ALLOC_MALLOC = 1,
	FT_ALLOC_CALLOC = 2,
	FT_ALLOC_REALLOC = 3, /* realloc / reallocarray: a new block */
	FT_ALLOC_ALIGNED = 4, /* posix_memalign, aligned_alloc, memalign,
			       * valloc, pvalloc */
	FT_ALLOC_GC = 5,      /* libgc's allocators, released when a
			       * collection reclaims them; a batch of
			       * GC_generic_malloc_many is one record of size
			       * lb * n at one of its objects */
};

/* ft_alloc.flags */
#define FT_ALLOC_TRUNCATED 0x1u /* the stack hit the depth limit */
#define FT_ALLOC_UNTRACKED 0x2u /* its release will not be written */
#define FT_ALLOC_NOSTACK 0x4u	/* no stack could be taken (nframes 0) */

struct ft_alloc {
	struct ft_rec_hdr hdr;	 /* kind FT_REC_ALLOC */
	uint64_t time_ns;	 /* CLOCK_MONOTONIC */
	uint64_t addr;		 /* the block */
	uint64_t size;		 /* bytes asked for */
	uint64_t weight_bytes;	 /* estimated bytes allocated it stands for */
	uint64_t weight_objects; /* estimated allocations it stands for */
	uint64_t rate;		 /* alloc_rate when it was sampled */
	uint64_t coro_id;	 /* 0: not on a coroutine */
	int32_t tid;
	uint32_t labels_id; /* label set, see struct ft_labels */
	uint16_t nframes;
	uint16_t flags;	 /* FT_ALLOC_* */
	uint16_t source; /* enum ft_alloc_source */
	uint16_t reserved0;
	uint64_t thread_bytes; /* exact: the bytes this thread allocated
				* through the sampled allocators since it
				* began, this block included (0: unknown) */
	uint64_t pc[]; /* nframes entries */
};

struct ft_free {
	struct ft_rec_hdr hdr; /* kind FT_REC_FREE */
	uint64_t time_ns;      /* CLOCK_MONOTONIC */
	uint64_t addr;	       /* a block of an earlier FT_REC_ALLOC */
	int32_t tid;
	uint32_t reserved0;
};

/* thread table entry */
enum ft_thread_state {
	FT_THREAD_FREE = 0,
	FT_THREAD_LIVE = 1,
	FT_THREAD_EXITED = 2,
};

struct ft_thread {
	volatile uint32_t seq; /* seqlock, see above */
	uint32_t state;	       /* enum ft_thread_state */
	int32_t tid;
	uint32_t timer;		/* enum ft_timer used for this thread */
	uint64_t samples;	/* samples taken on this thread */
	uint64_t cpu_ns;	/* thread CPU time at its last sample */
	char name[FT_NAME_LEN]; /* from /proc/self/task/TID/comm */
	uint64_t reserved[4];
};

/*
 * The coroutine region (FT_REGION_COROS).  Its region entry gives count and
 * entry_size of the coroutine entries; inside the region:
 *
 *   0                 struct ft_corotab (counters, how much is in use)
 *   entries_offset    struct ft_coro[count]      (4096-aligned)
 *   stacks_offset     interned parked stacks, stacks_size bytes
 *
 * Memory is only backed for what is used: entries [0, used) and stack
 * bytes [0, stacks_used); readers must not look beyond them.  An entry
 * with id 0 is free.  Ids are never reused: a slot handed out again gets a
 * new id (id - 1 == slot modulo count).
 *
 * A parked stack is a struct ft_stack followed by nframes pcs (innermost
 * first, every one a return address except pc[0], the saved pc), 8-byte
 * aligned; it is named by (its byte offset in the stack area) / 8 + 1, and
 * written once, before any entry names it.  An entry's stack word holds
 * (park_seq << 32 | stack id): the stack belongs to the entry only if its
 * upper half equals the entry's park_seq and the entry is parked; any
 * other value is stale (the coroutine resumed while its stack was read).
 */
struct ft_corotab {
	volatile uint32_t used; /* entries ever handed out (high-water) */
	uint32_t reserved0;
	volatile uint64_t gen;	       /* bumped when an entry is created,
					* renamed or freed */
	uint64_t entries_offset;       /* from the region start */
	uint64_t stacks_offset;	       /* from the region start */
	uint64_t stacks_size;	       /* bytes */
	volatile uint64_t stacks_used; /* bytes of the stack area written */
	/* counters (relaxed atomic adds) */
	uint64_t created;	  /* coroutines created */
	uint64_t exited;	  /* coroutines exited */
	uint64_t table_full;	  /* creations refused: no free entry */
	uint64_t misuse;	  /* API calls ignored, all reasons: */
	uint64_t bad_id;	  /*   unknown or exited coroutine id */
	uint64_t bad_leave;	  /*   leave / park with no coroutine */
	uint64_t bad_name;	  /*   NULL or over-long name (truncated) */
	uint64_t bad_label;	  /*   pop on empty, bad key, too many */
	uint64_t labels_lost;	  /* label sets the string table refused */
	uint64_t stacks_taken;	  /* parked stacks read */
	uint64_t stacks_stale;	  /* ... dropped: resumed while read */
	uint64_t stacks_failed;	  /* ... could not be unwound */
	uint64_t stacks_full;	  /* ... not kept: stack area full */
	uint64_t unfollowed;	  /* switches that could not be followed
				   * (longjmp out of a coroutine, more
				   * than 16 makecontext arguments) */
	uint64_t unknown_context; /* switches to contexts never seen */
	uint64_t reserved[11];
};

/* ft_coro.state */
enum ft_coro_state {
	FT_CORO_FREE = 0,
	FT_CORO_RUNNING = 1,
	FT_CORO_RUNNABLE = 2, /* left without saying why */
	FT_CORO_PARKED = 3,   /* waiting (reason says for what) */
	FT_CORO_EXITED = 4,   /* briefly, before the entry is freed */
};

/* ft_coro.flags */
#define FT_CORO_UCONTEXT 0x1u /* tracked through makecontext/swapcontext */
#define FT_CORO_REASON_LEN 24u

struct ft_coro {
	volatile uint32_t seq;	   /* seqlock; the stack word is outside it */
	uint32_t state;		   /* enum ft_coro_state */
	uint64_t id;		   /* 0: free */
	int32_t tid;		   /* thread it runs on or last ran on; 0: never ran */
	uint32_t flags;		   /* FT_CORO_* */
	uint64_t created_ns;	   /* CLOCK_MONOTONIC */
	uint64_t state_ns;	   /* when it entered its state (coarse clock) */
	uint64_t parent_id;	   /* the coroutine that created it, or 0 */
	volatile uint64_t cpu_ns;  /* CPU time of the samples taken on it */
	volatile uint64_t samples; /* samples taken while it ran */
	uint32_t labels_id;	   /* its label set (as in samples) */
	uint32_t park_seq;	   /* bumped at every park */
	volatile uint64_t stack;   /* park_seq << 32 | stack id, see above */
	char name[FT_NAME_LEN];
	char reason[FT_CORO_REASON_LEN]; /* why it is parked, or "" */
	uint64_t entry_pc;		 /* its entry function (makecontext), or 0; readers
					  * name a coroutine without a name after it */
	uint64_t reserved[1];
};

/* an interned parked stack in the stack area */
struct ft_stack {
	uint32_t nframes;
	uint32_t hash; /* of the pcs, for the writer's interning */
		       /* uint64_t pc[nframes] follows */
};

/*
 * Label sets (ft_sample.labels_id, ft_coro.labels_id): 0 is the empty set,
 * FT_LABELS_LOST a set the runtime could not write (string table full);
 * any other value is the byte offset, in the string table's data, of a
 * struct ft_labels followed by npairs "key\0value\0" pairs (bytes bytes in
 * all), in the order they were pushed, each key at most once.  A set is
 * written before any sample or entry names it, and never changes.
 */
#define FT_LABELS_LOST 0xffffffffu
#define FT_LABEL_KEY_LEN 64u	/* bytes, NUL included */
#define FT_LABEL_VALUE_LEN 128u /* bytes, NUL included */
struct ft_labels {
	uint32_t bytes;	 /* of the pairs that follow */
	uint32_t npairs; /* <= FT_LABELS_MAX */
};

/* module table entry: one loaded object */
struct ft_module {
	volatile uint32_t seq;
	uint32_t loaded; /* 1 while mapped, 0 after dlclose */
	uint64_t bias;	 /* dlpi_addr: load bias */
	uint64_t lo, hi; /* [lo, hi) executable address range */
	uint32_t build_id_len;
	uint8_t build_id[FT_BUILD_ID_LEN];
	char path[FT_PATH_LEN]; /* absolute path; "" if unknown (vdso) */
	uint64_t reserved[2];
};

/* string table: append-only, 8-byte aligned NUL-terminated strings */
struct ft_strtab {
	volatile uint64_t used; /* bytes of data handed out */
	uint64_t size;		/* bytes of data */
	uint64_t reserved[6];
	/* data[size] follows */
};

#endif /* FLAMETOP_SHM_H */
