# src/model.mk: the profile model (function ids, call tree, time window,
# top table, folded stacks); included by src/local.mk.
src_libftcore_a_SOURCES += src/funcs.c src/calltree.c src/profile.c src/top.c src/folded.c
src_libftcore_a_SOURCES += src/shapes.h src/shapes.c src/bursts.h src/bursts.c src/evidence.h src/evidence.c
src_libftcore_a_SOURCES += src/gctimeline.h src/gctimeline.c
src_libftcore_a_SOURCES += src/formats.h src/formats.c src/ftr.h src/ftr.c src/pprof.h src/pprof.c \
	src/speedscope.h src/speedscope.c src/json.h src/json.c src/svg.h src/svg.c src/diff.h src/diff.c
src_libftcore_a_SOURCES += src/difftree.h src/difftree.c
src_libftcore_a_SOURCES += src/allocs.h src/allocs.c
src_libftcore_a_SOURCES += src/callers.h src/callers.c
src_libftcore_a_SOURCES += src/hide.h src/hide.c
