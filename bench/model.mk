# bench/model.mk: ingest rate of the profile model; included by
# bench/programs.mk.
BENCH_PROGS += bench/bench-ingest
EXTRA_PROGRAMS += bench/bench-ingest
bench_bench_ingest_SOURCES = bench/bench-ingest.c
bench_bench_ingest_LDADD = src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm
