# bench/bursts.mk: finding bursts in a minute of 8 threads at 999 Hz;
# included by bench/programs.mk.
BENCH_PROGS += bench/bench-bursts
EXTRA_PROGRAMS += bench/bench-bursts
bench_bench_bursts_SOURCES = bench/bench-bursts.c
bench_bench_bursts_LDADD = src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm
