#!/bin/sh
# alloc-safety.sh: allocation hooks in programs that do what programs do:
# a slow leak among busy paths (in-use grows only there), fork after
# allocating, allocation in a signal handler, C++ new/delete, and bad
# FLAMETOP_ALLOC_RATE values.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
. "$top_srcdir/tests/alloc-lib.sh"

# the leak: cache_insert keeps 4 KiB a round, the busy paths keep nothing
for rounds in 2000 4000; do
	ft record --weight inuse-bytes --alloc-rate 32K -o "$FT_TMP/leak$rounds.folded" -- "$WL" leak $rounds
	expect_status 0
	read -r _ leaked <"$FT_TMP/out"
	near "$(sum_of "$FT_TMP/leak$rounds.folded" cache_insert)" "$leaked" 20 "leak after $rounds rounds"
	expect_share "$FT_TMP/leak$rounds.folded" cache_insert 95 100 "in use: the leak"
	eval "leak_$rounds=\$(sum_of \"\$FT_TMP/leak$rounds.folded\" cache_insert)"
	eval "busy_$rounds=\$(sum_of \"\$FT_TMP/leak$rounds.folded\" 'handle_request|compress_block')"
done
# twice the rounds, about twice the in-use on the leak; still ~0 elsewhere
in_range "$(awk -v a="$leak_2000" -v b="$leak_4000" 'BEGIN { print b / a }')" 1.5 2.6 ||
	fail "the leak's in-use did not grow: $leak_2000 then $leak_4000"
[ "$busy_4000" -le $((leak_4000 / 20)) ] || fail "busy paths hold $busy_4000 bytes"
ft record --weight alloc-bytes --alloc-rate 32K -o "$FT_TMP/leaka.folded" -- "$WL" leak 2000
expect_status 0
expect_share "$FT_TMP/leaka.folded" cache_insert 0 10 "allocated: the leak is a small part"

# fork after allocating: the child runs and exits, writes nothing of ours
ft record --weight alloc-bytes --alloc-rate 64K -o "$FT_TMP/fork.folded" -- "$WL" fork 64
expect_status 0
grep -q "child ok" "$FT_TMP/out" || { ft_dump; fail "fork: $(cat "$FT_TMP/out")"; }
exactly "$(sum_of "$FT_TMP/fork.folded" child_work)" 0 "the child's allocations in the parent's profile"
near "$(sum_of "$FT_TMP/fork.folded" read_chunk)" $((128 << 20)) 15 "the parent's allocations"

# a signal handler that allocates: every call seen, with its stack
ft record --weight alloc-objects --alloc-rate 0 -o "$FT_TMP/sig.folded" -- "$WL" signal 300
expect_status 0
read -r _ n ok <"$FT_TMP/out"
exactly "$ok" ok "the handler's strdup"
exactly "$(sum_of "$FT_TMP/sig.folded" on_alarm)" "$n" "allocations in the signal handler"

# C++: new and delete reach malloc and free through libstdc++
if command -v g++ >/dev/null 2>&1; then
	cat >"$FT_TMP/objs.cc" <<'EOC'
#include <cstdio>
#include <vector>
struct Order { long id; double price; char note[48]; };
__attribute__((noinline)) static Order *new_order(long i) { Order *o = new Order(); o->id = i; return o; }
static std::vector<Order *> open_orders; // never cleaned up at exit
int main() {
	long made = 0;
	for (long i = 0; i < 5000; i++) {
		Order *o = new_order(i);
		made++;
		if (i % 4 == 0)
			open_orders.push_back(o);
		else
			delete o;
	}
	std::printf("new_order %ld kept %zu\n", made, open_orders.size());
}
EOC
	g++ -O1 -g -o "$FT_TMP/objs" "$FT_TMP/objs.cc" || fail "cannot build the C++ workload"
	ft record --weight alloc-objects --alloc-rate 0 -o "$FT_TMP/cxx.folded" -- "$FT_TMP/objs"
	expect_status 0
	exactly "$(sum_of "$FT_TMP/cxx.folded" 'new_order.*')" 5000 "C++ new"
	ft record --weight inuse-objects --alloc-rate 0 -o "$FT_TMP/cxxu.folded" -- "$FT_TMP/objs"
	expect_status 0
	exactly "$(sum_of "$FT_TMP/cxxu.folded" 'new_order.*')" 1250 "C++ objects not deleted"
else
	note "g++ not installed: C++ new/delete not checked"
fi

# bad settings: one note, the default, the program unharmed
for v in -1 abc 99G 1e9; do
	FLAMETOP=1 FLAMETOP_ALLOC_RATE=$v LD_PRELOAD="$FT_LIB" "$WL" exact >"$FT_TMP/o" 2>"$FT_TMP/e" ||
		fail "FLAMETOP_ALLOC_RATE=$v: the program failed"
	[ "$(wc -l <"$FT_TMP/e")" -eq 1 ] && grep -q "ignoring FLAMETOP_ALLOC_RATE=$v .*using 524288" "$FT_TMP/e" ||
		fail "FLAMETOP_ALLOC_RATE=$v: $(cat "$FT_TMP/e")"
done
note "ok: bad FLAMETOP_ALLOC_RATE values: one note each, the default used"
exit 0
