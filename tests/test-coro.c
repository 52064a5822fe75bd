/*
 * test-coro.c - unit tests of the runtime's coroutine table and labels
 * (runtime/coro.c, runtime/labels.c), on a coroutine region in this
 * process's memory instead of a segment.
 *
 * Checks ids (unique, never reused, slots reused), the entries' states
 * through enter, park, leave and exit, every kind of misuse being counted
 * once and ignored, label sets interned once and written as
 * flametop-shm(5) says, a pushed key hiding its older value, labels moving
 * with their coroutine and inherited at creation (never popped by the
 * child), and 100,000 coroutines alive at once.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coro.h"
#include "flametop.h"
#include "rt.h"

struct rt rt;

uint64_t rt_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void rt_note(const char *fmt, ...)
{
	(void)fmt;
}

/* the tables here are in ordinary memory, backed already */
int segment_back(int region)
{
	(void)region;
	return 0;
}

const char *segment_name(void)
{
	return "";
}

/* the table is made by setup() */
int segment_need(int wait)
{
	(void)wait;
	return 0;
}

static struct ft_corotab *tab;

static int setup(void **state)
{
	uint64_t size = coro_region_size();
	void *region = aligned_alloc(4096, size);

	(void)state;
	rt.strtab = calloc(1, sizeof(struct ft_strtab) + 65536);
	if (!region || !rt.strtab)
		return -1;
	memset(region, 0, 4096);
	rt.strtab->size = 65536;
	coro_segment_init(region, size);
	rt.on = 1;
	tab = coro_tab();
	return tab ? 0 : -1;
}

static struct ft_coro *entry_of(uint64_t id)
{
	uint32_t slot = coro_slot_of(id);

	assert_int_not_equal(slot, UINT32_MAX);
	return coro_entry(slot);
}

/* the pairs of label set id, as "k=v,k=v" */
static const char *pairs(uint32_t id)
{
	static char out[1024];
	const uint8_t *data = (const uint8_t *)rt.strtab + sizeof(struct ft_strtab);
	const struct ft_labels *l;
	const char *p;
	size_t o = 0;

	out[0] = '\0';
	if (!id)
		return out;
	assert_int_equal(id % 8, 0);
	assert_true(id + sizeof(*l) <= rt.strtab->used);
	l = (const struct ft_labels *)(data + id);
	assert_true(id + sizeof(*l) + l->bytes <= rt.strtab->used);
	p = (const char *)(l + 1);
	for (uint32_t i = 0; i < l->npairs; i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s=%s", i ? "," : "", p,
				      p + strlen(p) + 1);
		p += strlen(p) + 1;
		p += strlen(p) + 1;
	}
	assert_ptr_equal(p, (const char *)(l + 1) + l->bytes);
	return out;
}

static void test_coro_lifecycle(void **state)
{
	flametop_coro_t a, b, again;
	struct ft_coro *e;

	(void)state;
	a = flametop_coro_create("alpha");
	b = flametop_coro_create("beta");
	assert_true(a && b && a != b);
	e = entry_of(a);
	assert_string_equal(e->name, "alpha");
	assert_int_equal(e->state, FT_CORO_RUNNABLE);
	assert_int_equal(e->seq % 2, 0);

	flametop_coro_enter(a);
	assert_int_equal(flametop_coro_current(), a);
	assert_int_equal(ft_coro_cur, a);
	assert_int_equal(e->state, FT_CORO_RUNNING);
	assert_true(e->tid > 0);
	flametop_coro_park("chan recv");
	assert_int_equal(e->state, FT_CORO_PARKED);
	assert_string_equal(e->reason, "chan recv");
	assert_int_equal(e->park_seq, 1);
	assert_int_equal(coro_priv(coro_slot_of(a))->ready_seq, 1);
	/* entering another coroutine keeps the parked one parked */
	flametop_coro_enter(b);
	assert_int_equal(e->state, FT_CORO_PARKED);
	assert_int_equal(entry_of(b)->state, FT_CORO_RUNNING);
	flametop_coro_leave();
	assert_int_equal(ft_coro_cur, 0);
	assert_int_equal(entry_of(b)->state, FT_CORO_RUNNABLE);

	/* an exited id is gone for good; its slot is handed out again */
	flametop_coro_exit(a);
	assert_int_equal(coro_slot_of(a), UINT32_MAX);
	again = flametop_coro_create("gamma");
	assert_int_not_equal(again, a);
	assert_int_equal((again - 1) % RT_COROS, (a - 1) % RT_COROS);
	assert_int_equal(tab->misuse, 0);
	flametop_coro_exit(again);
	flametop_coro_exit(b);
	assert_int_equal(tab->created, tab->exited);
}

static void test_coro_misuse(void **state)
{
	uint64_t before = tab->misuse;
	flametop_coro_t c;

	(void)state;
	flametop_coro_leave(); /* no coroutine */
	assert_int_equal(tab->bad_leave, 1);
	flametop_coro_park("x");
	assert_int_equal(tab->bad_leave, 2);
	flametop_coro_enter(999999999);
	flametop_coro_exit(999999999);
	flametop_coro_rename(999999999, "x");
	assert_int_equal(tab->bad_id, 3);
	c = flametop_coro_create(NULL);
	assert_true(c != 0);
	assert_string_equal(entry_of(c)->name, "");
	flametop_coro_rename(c, "a name much longer than thirty-one bytes");
	assert_int_equal(strlen(entry_of(c)->name), FT_NAME_LEN - 1);
	assert_int_equal(tab->bad_name, 2);
	flametop_label_pop(); /* nothing pushed */
	assert_int_equal(tab->bad_label, 1);
	assert_int_equal(tab->misuse, before + 8);
	assert_int_equal(ft_coro_cur, 0); /* nothing changed who runs */
	flametop_coro_exit(c);
}

static void test_labels_interned(void **state)
{
	uint32_t one, two, over;

	(void)state;
	assert_int_equal(ft_coro_labels, 0);
	flametop_label_push("stage", "parse");
	one = ft_coro_labels;
	assert_true(one != 0 && one != FT_LABELS_LOST);
	assert_string_equal(pairs(one), "stage=parse");
	flametop_label_pop();
	assert_int_equal(ft_coro_labels, 0);
	flametop_label_push("stage", "parse"); /* the same set: the same id */
	assert_int_equal(ft_coro_labels, one);
	flametop_label_push("req", "42");
	two = ft_coro_labels;
	assert_string_equal(pairs(two), "stage=parse,req=42");
	flametop_label_push("stage", "emit"); /* hides the older value */
	over = ft_coro_labels;
	assert_string_equal(pairs(over), "req=42,stage=emit");
	flametop_label_pop();
	assert_int_equal(ft_coro_labels, two);
	/* bad keys and values are refused, counted, and pops stay balanced */
	flametop_label_push("a=b", "x");
	flametop_label_push("", "x");
	flametop_label_push("k", "line\nbreak");
	assert_int_equal(ft_coro_labels, two);
	assert_int_equal(tab->bad_label, 4);
	flametop_label_pop();
	flametop_label_pop();
	flametop_label_pop();
	assert_int_equal(ft_coro_labels, two);
	flametop_label_pop();
	flametop_label_pop();
	assert_int_equal(ft_coro_labels, 0);
	assert_int_equal(tab->bad_label, 4);
}

static void test_labels_inherited(void **state)
{
	flametop_coro_t c;
	uint32_t job, child;

	(void)state;
	flametop_label_push("job", "batch");
	job = ft_coro_labels;
	c = flametop_coro_create("child");
	assert_int_equal(entry_of(c)->labels_id, job);
	flametop_label_pop(); /* the thread's own: the child keeps its copy */
	assert_int_equal(ft_coro_labels, 0);

	flametop_coro_enter(c);
	assert_int_equal(ft_coro_labels, job);
	flametop_label_push("phase", "crunch");
	child = ft_coro_labels;
	assert_string_equal(pairs(child), "job=batch,phase=crunch");
	flametop_coro_leave();
	assert_int_equal(ft_coro_labels, 0); /* the thread's labels again */
	assert_int_equal(entry_of(c)->labels_id, child);
	flametop_coro_enter(c); /* the labels moved with the coroutine */
	assert_int_equal(ft_coro_labels, child);
	flametop_label_pop();
	assert_int_equal(ft_coro_labels, job);
	flametop_label_pop(); /* the inherited set is not the child's to pop */
	assert_int_equal(ft_coro_labels, job);
	assert_int_equal(tab->bad_label, 5);
	flametop_coro_leave();
	flametop_coro_exit(c);
}

static void test_coro_hundred_thousand(void **state)
{
	enum { N = 100000 };
	flametop_coro_t *ids = calloc(N, sizeof(*ids));
	uint32_t used;

	(void)state;
	assert_non_null(ids);
	for (int i = 0; i < N; i++) {
		ids[i] = flametop_coro_create("held");
		assert_true(ids[i] != 0);
	}
	for (int i = 1; i < N; i++)
		assert_true(ids[i] != ids[i - 1]);
	assert_int_equal(tab->table_full, 0);
	used = tab->used;
	assert_true(used >= N && used <= RT_COROS);
	for (int i = 0; i < N; i++)
		flametop_coro_exit(ids[i]);
	/* the freed slots are used again: the table does not grow */
	for (int i = 0; i < N; i++)
		ids[i] = flametop_coro_create("again");
	assert_int_equal(tab->used, used);
	for (int i = 0; i < N; i++)
		flametop_coro_exit(ids[i]);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest coro[] = {
	    cmocka_unit_test(test_coro_lifecycle),	  cmocka_unit_test(test_coro_misuse),
	    cmocka_unit_test(test_labels_interned),	  cmocka_unit_test(test_labels_inherited),
	    cmocka_unit_test(test_coro_hundred_thousand),
	};

	return cmocka_run_group_tests_name("coro", coro, setup, NULL);
}
