/*
 * bench-shapes.c - how long shape classification (shapes_find) takes on a
 * 100,000-node tree (the goal: at most 5 ms, so that it can run on every
 * refresh of the viewer).
 *
 * Prints the median of N runs and, as a baseline measured in the same run
 * on the same tree, one iterative walk over every node, with the ratio.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "calltree.h"
#include "funcs.h"
#include "shapes.h"
#include "util.h"

#define NODES 100000
#define RUNS 41

/* the baseline: visit every node once, with an explicit stack */
static uint64_t walk(const struct ctnode *root, const struct ctnode **stack)
{
	uint64_t sum = 0;
	size_t sp = 0;

	stack[sp++] = root;
	while (sp) {
		const struct ctnode *n = stack[--sp];

		sum += n->self_weight;
		for (const struct ctnode *c = n->child; c; c = c->next)
			stack[sp++] = c;
	}
	return sum;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(v[0]), cmp_double);
	return v[RUNS / 2];
}

int main(void)
{
	struct calltree *t = calltree_new();
	struct funcs *f = funcs_new();
	struct shapes_config c;
	uint32_t ids[40], names[2000];
	double find[RUNS], base[RUNS];
	const struct ctnode **stack;
	volatile uint64_t sink = 0;
	size_t nfound = 0;
	char name[64];

	if (!t || !f)
		return 1;
	shapes_config_default(&c);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "ns::module%d::function_%d", i % 37, i);
		names[i] = funcs_intern(f, name, "libbench.so");
	}
	/* skewed stacks, as bench-render builds them, some deep */
	while (calltree_nodes(t) < NODES) {
		size_t depth = 3 + next_rand() % 37;

		for (size_t d = 0; d < depth; d++) {
			size_t choices = d < 3 ? 4 : 2000;

			ids[d] = names[(next_rand() % choices + d * 7) % 2000];
		}
		calltree_add(t, ids, depth, 1 + next_rand() % 1000000, 1);
	}
	stack = malloc(calltree_nodes(t) * sizeof(*stack));
	if (!stack)
		return 1;
	for (int r = 0; r < RUNS; r++) {
		struct shape_finding *res;
		uint64_t t0 = util_mono_ns();

		if (shapes_find(calltree_root(t), f, &c, &res, &nfound) < 0)
			return 1;
		find[r] = (double)(util_mono_ns() - t0) / 1e6;
		free(res);
		t0 = util_mono_ns();
		sink += walk(calltree_root(t), stack);
		base[r] = (double)(util_mono_ns() - t0) / 1e6;
	}
	printf("shapes: %.2f ms per classification (median of %d; %zu nodes, %zu findings)\n",
	       median(find), RUNS, calltree_nodes(t), nfound);
	printf("baseline: one walk over every node %.2f ms; shapes/walk %.1fx\n", median(base),
	       median(base) > 0 ? median(find) / median(base) : 0.0);
	free(stack);
	calltree_free(t);
	funcs_free(f);
	return sink == 0;
}
