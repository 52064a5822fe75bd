/*
 * bench-render.c - how long the flame graph takes to lay out and draw a
 * 100,000-node tree into a 200x60 grid (the goal: under 10 ms a frame).
 *
 * Prints "render: X ms per frame (median of N)", the same with an active
 * search (whose share walks the whole tree), and as a baseline measured in
 * the same run, one plain walk over every node, with the ratio.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "calltree.h"
#include "flame.h"
#include "funcs.h"
#include "grid.h"

#define NODES 100000
#define RUNS 41
#define W 200
#define H 60

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t walk(const struct ctnode *n)
{
	uint64_t sum = n->self_weight;

	for (const struct ctnode *c = n->child; c; c = c->next)
		sum += walk(c);
	return sum;
}

static double median_render(struct flame *fl, struct grid *g, struct calltree *t, struct funcs *f)
{
	double times[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ms();

		grid_clear(g);
		flame_set_tree(fl, t, f);
		flame_layout(fl, W, H);
		flame_draw(fl, g, 0, 0);
		if (flame_pattern(fl)) {
			double all, zoom;

			flame_match_share(fl, &all, &zoom);
		}
		times[r] = now_ms() - t0;
	}
	qsort(times, RUNS, sizeof(times[0]), cmp_double);
	return times[RUNS / 2];
}

int main(void)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct flame *fl = flame_new();
	struct grid *g = grid_new(W, H, true);
	uint32_t ids[32], names[2000];
	double render, search, base, times[RUNS];
	volatile uint64_t sink = 0;
	char name[64];

	if (!t || !f || !fl || !g)
		return 1;
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "ns::module%d::function_%d", i % 37, i);
		names[i] = funcs_intern(f, name, "libbench.so");
	}
	/* skewed stacks: a few hot paths, a long tail of rare ones */
	while (calltree_nodes(t) < NODES) {
		size_t depth = 3 + next_rand() % 25;

		for (size_t d = 0; d < depth; d++) {
			uint64_t r = next_rand();
			/* low levels pick among few functions, deep ones among many */
			size_t choices = d < 3 ? 4 : 2000;

			ids[d] = names[(r % choices + d * 7) % 2000];
		}
		calltree_add(t, ids, depth, 1 + next_rand() % 1000000, 1);
	}
	render = median_render(fl, g, t, f);
	flame_search(fl, "function_19[0-9][0-9]$", NULL, 0); /* deep frames only */
	search = median_render(fl, g, t, f);
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ms();

		sink += walk(calltree_root(t));
		times[r] = now_ms() - t0;
	}
	qsort(times, RUNS, sizeof(times[0]), cmp_double);
	base = times[RUNS / 2];
	printf("render: %.2f ms per frame (median of %d; %zu nodes, %dx%d)\n", render, RUNS,
	       calltree_nodes(t), W, H);
	printf("render with search: %.2f ms per frame (median of %d)\n", search, RUNS);
	printf("baseline: one walk over every node %.2f ms; render/walk %.1fx\n", base,
	       base > 0 ? render / base : 0.0);
	flame_free(fl);
	grid_free(g);
	calltree_free(t);
	funcs_free(f);
	return sink == 0;
}
