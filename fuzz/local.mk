# fuzz/: fuzzing the parsers of untrusted input (the shared-memory segment
# reader, the folded-stack reader, the pprof reader, the recording
# reader and the speedscope reader), and the mutation
# test that runs in 'make check'.
#
# 'make fuzz' builds fuzz/fuzz-segment, fuzz/fuzz-folded, fuzz/fuzz-pprof,
# fuzz/fuzz-ftr and fuzz/fuzz-speedscope with clang's
# libFuzzer (-fsanitize=fuzzer,address,undefined; Debian packages clang and
# libclang-rt-14-dev) and runs each for FUZZ_SECONDS seconds, starting from
# the seeds in fuzz/corpus/ and keeping what it finds in fuzz/work-*/ of
# the build directory; a crash leaves fuzz/crash-* there and fails the run.
# It is never part of 'all' or 'check'.  Override with, for example,
#   make fuzz CLANG=clang-14 FUZZ_SECONDS=600 FUZZ_FLAGS=-jobs=2
# 'make fuzz-build' only builds the fuzzers.  To look past a known
# folded-writer finding until it is fixed: FUZZ_FOLDED_SKIP_KNOWN=1 make fuzz
# (see fuzz/fuzz-folded.c).  Reproduce a crash: ./fuzz/fuzz-folded FILE.
CLANG = clang
FUZZ_SECONDS = 60
FUZZ_FLAGS =
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined \
	-I$(top_builddir) -I$(top_srcdir)/runtime -I$(top_srcdir)/src
FUZZ_SEGMENT_SRC = $(srcdir)/fuzz/fuzz-segment.c $(srcdir)/src/segment.c \
	$(srcdir)/src/ring-reader.c $(srcdir)/src/records.c $(srcdir)/src/util.c \
	$(srcdir)/src/gctimeline.c
FUZZ_FOLDED_SRC = $(srcdir)/fuzz/fuzz-folded.c $(srcdir)/src/folded.c \
	$(srcdir)/src/calltree.c $(srcdir)/src/funcs.c $(srcdir)/src/util.c
FUZZ_PPROF_SRC = $(srcdir)/fuzz/fuzz-pprof.c $(srcdir)/src/pprof.c $(srcdir)/src/formats.c \
	$(srcdir)/src/folded.c $(srcdir)/src/speedscope.c $(srcdir)/src/json.c $(srcdir)/src/svg.c \
	$(srcdir)/src/calltree.c $(srcdir)/src/funcs.c $(srcdir)/src/profile.c \
	$(srcdir)/src/unit.c $(srcdir)/src/util.c $(srcdir)/src/ftr.c $(srcdir)/src/gctimeline.c \
	$(srcdir)/src/hide.c
FUZZ_SPEEDSCOPE_SRC = $(srcdir)/fuzz/fuzz-speedscope.c $(srcdir)/src/speedscope.c \
	$(srcdir)/src/json.c $(srcdir)/src/formats.c $(srcdir)/src/folded.c $(srcdir)/src/pprof.c \
	$(srcdir)/src/svg.c $(srcdir)/src/calltree.c $(srcdir)/src/funcs.c $(srcdir)/src/profile.c \
	$(srcdir)/src/unit.c $(srcdir)/src/util.c $(srcdir)/src/ftr.c $(srcdir)/src/gctimeline.c \
	$(srcdir)/src/hide.c
FUZZ_SPEEDSCOPE_HDR = $(srcdir)/src/speedscope.h $(srcdir)/src/json.h $(srcdir)/src/formats.h \
	$(srcdir)/src/calltree.h $(srcdir)/src/funcs.h $(top_builddir)/config.h
FUZZ_FTR_SRC = $(srcdir)/fuzz/fuzz-ftr.c $(srcdir)/src/ftr.c $(srcdir)/src/profile.c \
	$(srcdir)/src/calltree.c $(srcdir)/src/funcs.c $(srcdir)/src/gctimeline.c \
	$(srcdir)/src/unit.c $(srcdir)/src/util.c $(srcdir)/src/hide.c
FUZZ_FTR_HDR = $(srcdir)/src/ftr.h $(srcdir)/src/profile.h $(srcdir)/src/calltree.h \
	$(srcdir)/src/funcs.h $(srcdir)/src/gctimeline.h $(top_builddir)/config.h
FUZZ_PPROF_HDR = $(srcdir)/src/pprof.h $(srcdir)/src/formats.h $(srcdir)/src/calltree.h \
	$(srcdir)/src/funcs.h $(srcdir)/src/profile.h $(top_builddir)/config.h
FUZZ_SEGMENT_HDR = $(srcdir)/src/segment.h $(srcdir)/src/ring-reader.h $(srcdir)/src/records.h $(srcdir)/src/gctimeline.h \
	$(srcdir)/runtime/flametop-shm.h $(top_builddir)/config.h
FUZZ_FOLDED_HDR = $(srcdir)/src/folded.h $(srcdir)/src/calltree.h \
	$(srcdir)/src/funcs.h $(top_builddir)/config.h
FUZZ_SEEDS_SEGMENT = fuzz/corpus/segment/empty-ring fuzz/corpus/segment/samples \
	fuzz/corpus/segment/wrapped fuzz/corpus/segment/tables
FUZZ_SEEDS_FOLDED = fuzz/corpus/folded/perf fuzz/corpus/folded/pyspy \
	fuzz/corpus/folded/comments fuzz/corpus/folded/bom-crlf
FUZZ_SEEDS_PPROF = fuzz/corpus/pprof/perf fuzz/corpus/pprof/labels-inline \
	fuzz/corpus/pprof/perf-gz
FUZZ_SEEDS_FTR = fuzz/corpus/ftr/file fuzz/corpus/ftr/records
FUZZ_SEEDS_SPEEDSCOPE = fuzz/corpus/speedscope/py-spy fuzz/corpus/speedscope/evented
EXTRA_DIST += fuzz/fuzz-segment.c fuzz/fuzz-folded.c fuzz/fuzz-pprof.c fuzz/fuzz-ftr.c \
	fuzz/fuzz-speedscope.c \
	fuzz/corpus/folded.dict $(FUZZ_SEEDS_SEGMENT) $(FUZZ_SEEDS_FOLDED) $(FUZZ_SEEDS_PPROF) \
	$(FUZZ_SEEDS_FTR) $(FUZZ_SEEDS_SPEEDSCOPE) scripts/ci-sanitize
CLEANFILES += fuzz/fuzz-segment fuzz/fuzz-folded fuzz/fuzz-pprof fuzz/fuzz-ftr \
	fuzz/fuzz-speedscope

fuzz/fuzz-segment: $(FUZZ_SEGMENT_SRC) $(FUZZ_SEGMENT_HDR)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "fuzz: '$(CLANG)' not found:" \
		"install the Debian packages clang and libclang-rt-14-dev (or set CLANG=)" >&2; \
		exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SEGMENT_SRC) -lrt

fuzz/fuzz-folded: $(FUZZ_FOLDED_SRC) $(FUZZ_FOLDED_HDR)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "fuzz: '$(CLANG)' not found:" \
		"install the Debian packages clang and libclang-rt-14-dev (or set CLANG=)" >&2; \
		exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_FOLDED_SRC)

fuzz/fuzz-pprof: $(FUZZ_PPROF_SRC) $(FUZZ_PPROF_HDR)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "fuzz: '$(CLANG)' not found:" \
		"install the Debian packages clang and libclang-rt-14-dev (or set CLANG=)" >&2; \
		exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_PPROF_SRC) -lz -lm

fuzz/fuzz-ftr: $(FUZZ_FTR_SRC) $(FUZZ_FTR_HDR)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "fuzz: '$(CLANG)' not found:" \
		"install the Debian packages clang and libclang-rt-14-dev (or set CLANG=)" >&2; \
		exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_FTR_SRC) -lz -lm

fuzz/fuzz-speedscope: $(FUZZ_SPEEDSCOPE_SRC) $(FUZZ_SPEEDSCOPE_HDR)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "fuzz: '$(CLANG)' not found:" \
		"install the Debian packages clang and libclang-rt-14-dev (or set CLANG=)" >&2; \
		exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SPEEDSCOPE_SRC) -lz -lm

fuzz-build: fuzz/fuzz-segment fuzz/fuzz-folded fuzz/fuzz-pprof fuzz/fuzz-ftr fuzz/fuzz-speedscope

# Segments need at least two pages (header, sample ring): -max_len lets
# libFuzzer grow inputs that far.  The seed directories come second so
# that new inputs go to the writable work directory.
fuzz: fuzz-build
	@$(MKDIR_P) fuzz/work-segment fuzz/work-folded fuzz/work-pprof fuzz/work-ftr \
		fuzz/work-speedscope
	./fuzz/fuzz-segment -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=fuzz/ $(FUZZ_FLAGS) \
		fuzz/work-segment $(srcdir)/fuzz/corpus/segment
	./fuzz/fuzz-folded -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=fuzz/ \
		-dict=$(srcdir)/fuzz/corpus/folded.dict $(FUZZ_FLAGS) \
		fuzz/work-folded $(srcdir)/fuzz/corpus/folded
	./fuzz/fuzz-pprof -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=fuzz/ $(FUZZ_FLAGS) \
		fuzz/work-pprof $(srcdir)/fuzz/corpus/pprof
	./fuzz/fuzz-ftr -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=fuzz/ $(FUZZ_FLAGS) \
		fuzz/work-ftr $(srcdir)/fuzz/corpus/ftr
	./fuzz/fuzz-speedscope -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=fuzz/ $(FUZZ_FLAGS) \
		fuzz/work-speedscope $(srcdir)/fuzz/corpus/speedscope

.PHONY: fuzz fuzz-build

# the mutation test: thousands of seeded corruptions of a valid segment
# and of folded text through the full read path (plain gcc, make check)
if HAVE_CMOCKA
check_PROGRAMS += tests/test-mutate
TESTS += tests/test-mutate
tests_test_mutate_SOURCES = tests/test-mutate.c runtime/ring.c
tests_test_mutate_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/runtime
tests_test_mutate_LDADD = $(TEST_LIBS)
endif
