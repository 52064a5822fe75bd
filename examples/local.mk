# examples/: demo targets.  flametop-demo is what `flametop demo` runs; it
# is installed in pkglibexecdir (launch.c finds it there or in the build
# tree).  Built with frame pointers and debug info so its stacks are exact.
pkglibexec_PROGRAMS = examples/flametop-demo
examples_flametop_demo_SOURCES = examples/demo.c
examples_flametop_demo_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer -pthread
examples_flametop_demo_LDADD = -lpthread

# flametop-pipeline: coroutines on a ucontext scheduler, labelled by stage
# (README.md; the coroutine tests run it).
pkglibexec_PROGRAMS += examples/flametop-pipeline
examples_flametop_pipeline_SOURCES = examples/pipeline.c
examples_flametop_pipeline_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runtime
examples_flametop_pipeline_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer

# flametop-gc-pipeline: a libgc program (boxing pipeline vs plain array),
# the GC timeline's example; built when libgc's headers are installed.
if HAVE_GC
pkglibexec_PROGRAMS += examples/flametop-gc-pipeline
examples_flametop_gc_pipeline_SOURCES = examples/gc-pipeline.c
examples_flametop_gc_pipeline_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer -pthread $(GC_CFLAGS)
examples_flametop_gc_pipeline_LDADD = $(GC_LIBS) -lpthread
endif

# flametop-leak: a request server with busy paths and one slow leak, the
# allocation profiles' example (README.md).
pkglibexec_PROGRAMS += examples/flametop-leak
examples_flametop_leak_SOURCES = examples/leak.c
examples_flametop_leak_CFLAGS = $(AM_CFLAGS) -O1 -g -fno-omit-frame-pointer
