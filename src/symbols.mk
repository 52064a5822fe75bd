# src/symbols.mk: naming what the symbolizer's symbols do not (function
# boundaries from unwind tables); included by src/local.mk.
src_libftcore_a_SOURCES += src/fdetab.h src/fdetab.c
src_libftcore_a_SOURCES += src/shorten.h src/shorten.c
src_libftcore_a_SOURCES += src/jitmap.h src/jitmap.c
src_libftcore_a_SOURCES += src/lines.h src/lines.c
