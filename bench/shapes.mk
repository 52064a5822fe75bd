# bench/shapes.mk: shape classification on a 100,000-node tree; included
# by bench/programs.mk.
BENCH_PROGS += bench/bench-shapes
EXTRA_PROGRAMS += bench/bench-shapes
bench_bench_shapes_SOURCES = bench/bench-shapes.c
bench_bench_shapes_LDADD = src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm
