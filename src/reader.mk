# src/reader.mk: the viewer's reader side (ring reader, segment, symbols,
# live source); see src/local.mk
src_libftcore_a_SOURCES += src/ring-reader.h src/ring-reader.c src/records.h src/records.c src/segment.c src/symbols.c src/live.c \
	src/coros.h src/coros.c src/group.h src/group.c
