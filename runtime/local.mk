# runtime/: libflametop.so, the in-target sampler.  It links neither src/
# nor ui/, and exports only the flametop_* API and interposed libc symbols.
lib_LTLIBRARIES += runtime/libflametop.la
include_HEADERS += runtime/flametop.h runtime/flametop-shm.h
pkgconfig_DATA += runtime/flametop.pc
runtime_libflametop_la_SOURCES = \
	runtime/flametop.h runtime/flametop-shm.h \
	runtime/rt.c runtime/rt.h \
	runtime/segment-writer.c \
	runtime/sampler.c \
	runtime/timer.c \
	runtime/modules.c \
	runtime/handler.c \
	runtime/unwind.c runtime/unwind.h \
	runtime/blocked.c \
	runtime/interpose.c \
	runtime/gc.c \
	runtime/alloc.c runtime/alloc.h runtime/alloc-stat.c runtime/alloc-live.c \
	runtime/ring.c runtime/ring.h \
	runtime/coro.c runtime/coro.h runtime/coro-stacks.c \
	runtime/labels.c runtime/ucontext.c
runtime_libflametop_la_CPPFLAGS = $(RUNTIME_CPPFLAGS)
runtime_libflametop_la_CFLAGS = $(AM_CFLAGS) -O2 -fvisibility=hidden $(UNWIND_CFLAGS) -pthread
runtime_libflametop_la_LDFLAGS = -version-info 0:0:0 -no-undefined
# libunwind is not linked: runtime/unwind.c loads it when sampling is first
# wanted (configure still checks for its headers)
runtime_libflametop_la_LIBADD = -lrt -ldl -lpthread
