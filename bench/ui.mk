# bench/ui.mk: the viewer's render time (lay out and draw a 100,000-node
# tree into a 200x60 grid); included by bench/programs.mk.
BENCH_PROGS += bench/bench-render
EXTRA_PROGRAMS += bench/bench-render
bench_bench_render_SOURCES = bench/bench-render.c
bench_bench_render_LDADD = ui/libftui.a src/libftcore.a $(DW_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm
