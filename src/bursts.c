/*
 * bursts.c - rate and mix bursts in a series of time slices (rules in
 * bursts.h).
 *
 * One forward pass.  At each slice the baseline is the median of the
 * slices before it (at most baseline_slices); when a slice qualifies, the
 * run that follows is measured against that same baseline until a slice
 * no longer qualifies, and is kept when its length is within
 * [min_slices, max_slices].  Per-function sums over the baseline window
 * are kept in a sliding array indexed by function id, so a mix test costs
 * the number of functions in the slice.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "bursts.h"

#define RATE_MIN_EXTRA 3.0 /* samples above the baseline, whatever its noise */
#define MAD_FACTOR 3.0

void bursts_config_default(struct burst_config *c)
{
	c->rate_ratio = 2.0;
	c->mix_min_share = 0.5;
	c->mix_jump = 0.3;
	c->baseline_slices = 50;
	c->min_slices = 2;
	c->max_slices = 50;
}

const char *bursts_kind_name(enum burst_kind k)
{
	return k == BURST_RATE ? "rate" : "mix";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median of v[0..n) (n > 0), reordering v */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

struct state {
	const struct burst_slice *s;
	size_t n;
	uint32_t nfuncs;
	const struct burst_config *c;
	double *tmp;   /* baseline_slices doubles */
	uint64_t *win; /* per function: samples in the window */
	uint64_t win_total;
	size_t win_lo, win_hi; /* the window is slices [lo, hi) */
	uint64_t *all;	       /* per function: samples in the whole series */
	uint64_t *range;       /* per function: scratch for one burst */
	uint64_t grand;
	struct burst *out;
	size_t nout, cap;
};

static void win_slice(struct state *st, size_t i, int sign)
{
	const struct burst_slice *x = &st->s[i];

	for (size_t j = 0; j < x->n; j++)
		if (x->funcs[j] < st->nfuncs)
			st->win[x->funcs[j]] += sign > 0 ? x->counts[j] : -x->counts[j];
	st->win_total += sign > 0 ? x->total : -x->total;
}

/* Moves the window to the baseline_slices slices before i. */
static void win_move(struct state *st, size_t i)
{
	size_t lo = i > st->c->baseline_slices ? i - st->c->baseline_slices : 0;

	if (lo >= st->win_hi) { /* no overlap: start over */
		memset(st->win, 0, st->nfuncs * sizeof(*st->win));
		st->win_total = 0;
		st->win_lo = st->win_hi = lo;
	}
	while (st->win_lo < lo)
		win_slice(st, st->win_lo++, -1);
	while (st->win_hi < i)
		win_slice(st, st->win_hi++, +1);
}

/* The baseline's median count and median absolute deviation. */
static void baseline(struct state *st, double *med, double *mad)
{
	size_t k = 0;

	for (size_t i = st->win_lo; i < st->win_hi; i++)
		st->tmp[k++] = (double)st->s[i].total;
	*med = median(st->tmp, k);
	for (size_t i = 0; i < k; i++)
		st->tmp[i] = fabs((double)st->s[st->win_lo + i].total - *med);
	*mad = median(st->tmp, k);
}

static bool rate_hot(const struct state *st, size_t i, double med, double mad)
{
	double v = (double)st->s[i].total;

	return v > st->c->rate_ratio * med && v > med + MAD_FACTOR * mad &&
	       v >= med + RATE_MIN_EXTRA;
}

/* The share of f in slice i. */
static double share_in(const struct burst_slice *x, uint32_t f)
{
	for (size_t j = 0; j < x->n; j++)
		if (x->funcs[j] == f)
			return x->total ? (double)x->counts[j] / (double)x->total : 0.0;
	return 0.0;
}

static double base_share(const struct state *st, uint32_t f)
{
	return st->win_total ? (double)st->win[f] / (double)st->win_total : 0.0;
}

/* The function of slice i whose share jumped, or UINT32_MAX. */
static uint32_t mix_hot(const struct state *st, size_t i)
{
	const struct burst_slice *x = &st->s[i];

	if (!x->total || !st->win_total)
		return UINT32_MAX;
	for (size_t j = 0; j < x->n; j++) {
		uint32_t f = x->funcs[j];
		double sh = (double)x->counts[j] / (double)x->total;

		if (f < st->nfuncs && sh >= st->c->mix_min_share &&
		    sh - base_share(st, f) >= st->c->mix_jump)
			return f;
	}
	return UINT32_MAX;
}

/* Names the most over-represented function of slices [a, b]. */
static void name_top(struct state *st, struct burst *b)
{
	uint64_t in_total = 0, out_total;
	double best = -1.0;

	memset(st->range, 0, st->nfuncs * sizeof(*st->range));
	for (size_t i = b->first; i <= b->last; i++) {
		const struct burst_slice *x = &st->s[i];

		for (size_t j = 0; j < x->n; j++)
			if (x->funcs[j] < st->nfuncs)
				st->range[x->funcs[j]] += x->counts[j];
		in_total += x->total;
	}
	out_total = st->grand - in_total;
	b->top = 0;
	b->top_ratio = 0.0;
	if (!in_total)
		return;
	for (uint32_t f = 0; f < st->nfuncs; f++) {
		double in, out;

		if (!st->range[f])
			continue;
		in = (double)st->range[f] / (double)in_total;
		out = out_total ? (double)(st->all[f] - st->range[f]) / (double)out_total : 0.0;
		if (in - out > best) {
			best = in - out;
			b->top = f;
			/* half a sample where the rest has none */
			b->top_ratio = in / fmax(out, out_total ? 0.5 / (double)out_total : 1.0);
		}
	}
}

static int emit(struct state *st, enum burst_kind kind, size_t first, size_t last, double ratio)
{
	struct burst *b;

	if (st->nout == st->cap) {
		size_t ncap = st->cap ? 2 * st->cap : 8;
		struct burst *nb = realloc(st->out, ncap * sizeof(*nb));

		if (!nb)
			return -ENOMEM;
		st->out = nb;
		st->cap = ncap;
	}
	b = &st->out[st->nout++];
	b->kind = kind;
	b->first = first;
	b->last = last;
	b->ratio = ratio;
	name_top(st, b);
	return 0;
}

/* Looks for a burst starting at i; returns the next slice to look at. */
static size_t try_at(struct state *st, size_t i, int *err)
{
	double med, mad, sum = 0.0;
	uint32_t f;
	size_t j;

	win_move(st, i);
	baseline(st, &med, &mad);
	if (rate_hot(st, i, med, mad)) {
		for (j = i; j < st->n && rate_hot(st, j, med, mad); j++)
			sum += (double)st->s[j].total;
		if (j - i >= st->c->min_slices && j - i <= st->c->max_slices)
			*err =
			    emit(st, BURST_RATE, i, j - 1, sum / (double)(j - i) / fmax(med, 0.5));
		return j - i > st->c->max_slices ? j : (j > i + 1 ? j : i + 1);
	}
	f = mix_hot(st, i);
	if (f != UINT32_MAX) {
		double base = base_share(st, f);

		for (j = i; j < st->n; j++) {
			double sh = share_in(&st->s[j], f);

			if (sh < st->c->mix_min_share || sh - base < st->c->mix_jump)
				break;
			sum += sh;
		}
		if (j - i >= st->c->min_slices && j - i <= st->c->max_slices)
			*err =
			    emit(st, BURST_MIX, i, j - 1, sum / (double)(j - i) / fmax(base, 0.01));
		return j > i + 1 ? j : i + 1;
	}
	return i + 1;
}

int bursts_find(const struct burst_slice *s, size_t n, uint32_t nfuncs,
		const struct burst_config *c, struct burst **out, size_t *nout)
{
	struct state st = {.s = s, .n = n, .nfuncs = nfuncs, .c = c};
	size_t first = c->baseline_slices / 2 ? c->baseline_slices / 2 : 1;
	int err = 0;

	*out = NULL;
	*nout = 0;
	if (n < first + c->min_slices)
		return -EAGAIN;
	st.tmp = malloc((c->baseline_slices + 1) * sizeof(*st.tmp));
	st.win = calloc(nfuncs ? nfuncs : 1, sizeof(*st.win));
	st.all = calloc(nfuncs ? nfuncs : 1, sizeof(*st.all));
	st.range = calloc(nfuncs ? nfuncs : 1, sizeof(*st.range));
	if (!st.tmp || !st.win || !st.all || !st.range) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++)
			if (s[i].funcs[j] < nfuncs)
				st.all[s[i].funcs[j]] += s[i].counts[j];
		st.grand += s[i].total;
	}
	for (size_t i = first; i < n && !err;)
		i = try_at(&st, i, &err);
	if (err) {
		free(st.out);
		goto out;
	}
	*out = st.out;
	*nout = st.nout;
out:
	free(st.tmp);
	free(st.win);
	free(st.all);
	free(st.range);
	return err;
}
