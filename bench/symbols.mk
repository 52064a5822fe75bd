# bench/symbols.mk: the symbolizer's speed (cold resolves and cached
# lookups over libc and a stripped library); included by bench/programs.mk.
BENCH_PROGS += bench/bench-symbols
EXTRA_PROGRAMS += bench/bench-symbols
bench_bench_symbols_SOURCES = bench/bench-symbols.c
bench_bench_symbols_CFLAGS = $(AM_CFLAGS) $(DW_CFLAGS)
bench_bench_symbols_LDADD = src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -ldl -lm
