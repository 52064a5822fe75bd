#!/bin/sh
# alloc-sites.sh: allocation profiles of real programs checked against
# what they allocated: known bytes per call site (total within 5%,
# shares within 3 points), exact counts with FLAMETOP_ALLOC_RATE=0,
# realloc chains, the aligned allocators, 64 threads at once.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
. "$top_srcdir/tests/alloc-lib.sh"

# three call sites, 2 GiB in all, sampled every 128 KiB on average
ft record --weight alloc-bytes --alloc-rate 128K -o "$FT_TMP/sites.folded" -- "$WL" sites 2048
expect_status 0
read -r _ p _ b _ r <"$FT_TMP/out"
total=$((p + b + r))
near "$(samples "$FT_TMP/sites.folded")" "$total" 5 "total bytes"
expect_share "$FT_TMP/sites.folded" parse_line 17 23 "parse_line (20%)"
expect_share "$FT_TMP/sites.folded" build_index 27 33 "build_index (30%)"
expect_share "$FT_TMP/sites.folded" read_chunk 47 53 "read_chunk (50%)"
grep -q "alloc-bytes" "$FT_TMP/err" || { ft_dump; fail "the summary does not name the weight"; }

# the same with report --json: weight and unit are said
ft report --json --weight alloc-bytes "$FT_TMP/sites.folded"
expect_status 0
grep -q '"weight":"alloc-bytes","unit":"bytes"' "$FT_TMP/out" || { ft_dump; fail "report --json: no weight or unit"; }

# every allocation: exact counts and bytes per site, and what is left
ft record --weight alloc-objects --alloc-rate 0 -o "$FT_TMP/exact.folded" -- "$WL" exact
expect_status 0
exactly "$(outside_stdio "$FT_TMP/exact.folded")" 1500 "objects"
attributed "$(sum_of "$FT_TMP/exact.folded" make_node)" 1000 "make_node objects" "$FT_TMP/exact.folded" "make_node\|make_row\|_IO_"
attributed "$(sum_of "$FT_TMP/exact.folded" make_row)" 500 "make_row objects (calloc)" "$FT_TMP/exact.folded" "make_node\|make_row\|_IO_"
FLAMETOP_ALLOC_RATE=0 ft record --weight alloc-bytes -o "$FT_TMP/exactb.folded" -- "$WL" exact
expect_status 0
exactly "$(outside_stdio "$FT_TMP/exactb.folded")" 250000 "bytes"
attributed "$(sum_of "$FT_TMP/exactb.folded" make_node)" 100000 "make_node bytes" "$FT_TMP/exactb.folded" "make_node\|make_row\|_IO_"
attributed "$(sum_of "$FT_TMP/exactb.folded" make_row)" 150000 "make_row bytes" "$FT_TMP/exactb.folded" "make_node\|make_row\|_IO_"
ft record --weight inuse-bytes --alloc-rate 0 -o "$FT_TMP/exactu.folded" -- "$WL" exact
expect_status 0
attributed "$(sum_of "$FT_TMP/exactu.folded" make_node)" 50000 "make_node bytes still in use" "$FT_TMP/exactu.folded" "make_node\|make_row\|_IO_"
exactly "$(sum_of "$FT_TMP/exactu.folded" make_row)" 0 "make_row bytes still in use"

# realloc chains: every call is an allocation, only the last block lives
ft record --weight alloc-objects --alloc-rate 0 -o "$FT_TMP/re.folded" -- "$WL" realloc 50
expect_status 0
# every call counted (and stdout's buffer), each with its grow_buffer frame
exactly "$(samples "$FT_TMP/re.folded")" 851 "realloc calls and stdout's buffer"
attributed "$(sum_of "$FT_TMP/re.folded" grow_buffer)" 850 "grow_buffer realloc calls" "$FT_TMP/re.folded" "grow_buffer\|_IO_"
ft record --weight inuse-bytes --alloc-rate 0 -o "$FT_TMP/reu.folded" -- "$WL" realloc 50
expect_status 0
exactly "$(sum_of "$FT_TMP/reu.folded" grow_buffer)" 1048576 "grow_buffer bytes in use"

# the aligned allocators: aligned as asked, each one counted
ft record --weight alloc-objects --alloc-rate 0 -o "$FT_TMP/al.folded" -- "$WL" aligned 200
expect_status 0
grep -q "0 misaligned" "$FT_TMP/out" || { ft_dump; fail "aligned: $(cat "$FT_TMP/out")"; }
attributed "$(sum_of "$FT_TMP/al.folded" aligned)" 1000 "aligned allocations" "$FT_TMP/al.folded" "aligned\|_IO_"
ft record --weight inuse-objects --alloc-rate 0 -o "$FT_TMP/alu.folded" -- "$WL" aligned 200
expect_status 0
exactly "$(sum_of "$FT_TMP/alu.folded" aligned)" 0 "aligned blocks in use (all freed)"

# 64 threads allocating at once, 32 MiB each
ft record --weight alloc-bytes --alloc-rate 128K -o "$FT_TMP/th.folded" -- "$WL" threads 64 32
expect_status 0
read -r _ total <"$FT_TMP/out"
near "$(sum_of "$FT_TMP/th.folded" worker)" "$total" 5 "64 threads' bytes"

# an allocation weight of a program that allocates almost nothing
ft record --weight inuse-bytes -o "$FT_TMP/none.folded" -- /bin/true
expect_error "no allocation data" "no allocation data"
ft record --weight bogus -- /bin/true
expect_error "unknown weight" "weight must be"
ft record --alloc-rate -5 -- /bin/true
expect_error "negative rate" "alloc-rate"
exit 0
