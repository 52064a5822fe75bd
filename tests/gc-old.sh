#!/bin/sh
# gc-old.sh: a program linked with a libgc too old to have the
# collection-event hook (before 7.6: GC_init and the allocators, no
# GC_set_on_collection_event): one clear note, no GC events, and sampling
# goes on; without the runtime the program runs the same.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
CC=${CC:-cc}
need_cmd "$CC"

cat >"$FT_TMP/oldgc.c" <<'C'
#include <stdlib.h>
static unsigned long collections;
void GC_init(void) {}
void *GC_malloc(size_t n) { return calloc(1, n); }
void GC_gcollect(void) { collections++; }
unsigned long GC_get_gc_no(void) { return collections; }
size_t GC_get_heap_size(void) { return 1 << 20; }
C
cat >"$FT_TMP/prog.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
void GC_init(void);
void *GC_malloc(size_t);
void GC_gcollect(void);
unsigned long GC_get_gc_no(void);
static volatile unsigned long sink;
__attribute__((noinline)) static void churn(long n)
{
	for (long i = 0; i < n; i++) {
		sink += (unsigned long)GC_malloc(16) & 1;
		for (int k = 0; k < 2000; k++)
			sink = sink * 6364136223846793005ul + 1;
		if (i % 1000 == 0)
			GC_gcollect();
	}
}
int main(void)
{
	GC_init();
	churn(60000);
	printf("collections %lu\n", GC_get_gc_no());
	return 0;
}
C
"$CC" -shared -fPIC -o "$FT_TMP/libgc.so.1" "$FT_TMP/oldgc.c" || fail "cannot build the old libgc"
"$CC" -O1 -o "$FT_TMP/prog" "$FT_TMP/prog.c" "$FT_TMP/libgc.so.1" -Wl,-rpath,"$FT_TMP" ||
	fail "cannot build the program"
"$FT_TMP/prog" >"$FT_TMP/plain.out" || fail "the program failed without the runtime"

ft record --gc-log "$FT_TMP/gc.log" -o "$FT_TMP/p.folded" -- "$FT_TMP/prog"
expect_status 0
cmp -s "$FT_TMP/out" "$FT_TMP/plain.out" || { ft_dump; fail "the program's output changed under the runtime"; }
n=$(grep -c 'libgc has no GC_set_on_collection_event (before 7.6?): no GC events' "$FT_TMP/err")
[ "$n" -eq 1 ] || { ft_dump; fail "the note on the old libgc came $n times, want once"; }
[ ! -s "$FT_TMP/gc.log" ] || { cat "$FT_TMP/gc.log" >&2; fail "GC events from a libgc without the hook"; }
grep -q ';churn ' "$FT_TMP/p.folded" || { ft_dump; fail "sampling stopped with the old libgc"; }
note "ok: one note, no GC events, churn sampled ($(grep -c . "$FT_TMP/p.folded") stacks)"
exit 0
