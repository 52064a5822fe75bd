# bench/: `make bench` builds the benchmark programs and runs bench/run,
# which prints ratios against baselines measured in the same run.
# Fragments add their programs to BENCH_PROGS (and EXTRA_PROGRAMS).
BENCH_PROGS =
EXTRA_PROGRAMS =
EXTRA_DIST += bench/run bench/bench.h
CLEANFILES += $(BENCH_PROGS)
include bench/programs.mk

bench: all $(BENCH_PROGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		$(SHELL) $(srcdir)/bench/run
.PHONY: bench
