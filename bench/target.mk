# bench/target.mk: the target-side benchmark: bench-workload, profiled by
# flametop (runtime alone and under `flametop record`) and by gperftools;
# bench/run drives it.  Included by bench/programs.mk.
BENCH_PROGS += bench/bench-workload
EXTRA_PROGRAMS += bench/bench-workload
bench_bench_workload_SOURCES = bench/workload.c
bench_bench_workload_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer -pthread
bench_bench_workload_LDADD = -lpthread

BENCH_PROGS += bench/bench-segstat
EXTRA_PROGRAMS += bench/bench-segstat
bench_bench_segstat_SOURCES = bench/segstat.c
bench_bench_segstat_LDADD = src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm

BENCH_PROGS += bench/bench-coro
EXTRA_PROGRAMS += bench/bench-coro
bench_bench_coro_SOURCES = bench/coro.c
bench_bench_coro_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runtime
bench_bench_coro_CFLAGS = $(AM_CFLAGS) -O2

# the malloc churn of the allocation-sampling benchmark
BENCH_PROGS += bench/bench-alloc-churn
EXTRA_PROGRAMS += bench/bench-alloc-churn
bench_bench_alloc_churn_SOURCES = bench/alloc-churn.c
bench_bench_alloc_churn_CFLAGS = $(AM_CFLAGS) -O2 -g -pthread
bench_bench_alloc_churn_LDADD = -lpthread
