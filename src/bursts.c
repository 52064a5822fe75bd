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
#include "funcs.h"
#include "profile.h"

#define RATE_MIN_EXTRA 3.0 /* samples above the baseline, whatever its noise */
#define MAD_FACTOR 3.0
#define MIX_Z 3.0	  /* standard deviations of a binomial count above the baseline */
#define MIX_MIN_SAMPLES 5 /* a slice with fewer says nothing about its mix */
#define TOPS_HALF 0.5	  /* the other functions named lead by half the first's lead at least */

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

static double base_share(const struct state *st, uint32_t f)
{
	return st->win_total ? (double)st->win[f] / (double)st->win_total : 0.0;
}

/* Whether k of a slice's n samples having a function whose baseline share
 * is base is a mix burst: the share high and jumped, and more than chance
 * (a few samples a slice at low rates: MIX_Z deviations of a binomial). */
static bool mix_qualifies(const struct burst_config *c, uint64_t k, uint64_t n, double base)
{
	double sh = n ? (double)k / (double)n : 0.0, b = fmax(base, 0.01);

	return n >= MIX_MIN_SAMPLES && sh >= c->mix_min_share && sh - base >= c->mix_jump &&
	       (double)k - (double)n * b >= MIX_Z * sqrt((double)n * b * (1.0 - b));
}

/* The count of f in slice x. */
static uint64_t count_in(const struct burst_slice *x, uint32_t f)
{
	for (size_t j = 0; j < x->n; j++)
		if (x->funcs[j] == f)
			return x->counts[j];
	return 0;
}

/* The median over the baseline window of f's share of each slice that
 * has samples: a burst in the window, which takes the samples from the
 * other functions, does not lower their baseline. */
static double median_share(struct state *st, uint32_t f)
{
	size_t k = 0;

	for (size_t i = st->win_lo; i < st->win_hi; i++)
		if (st->s[i].total)
			st->tmp[k++] = (double)count_in(&st->s[i], f) / (double)st->s[i].total;
	return k ? median(st->tmp, k) : 0.0;
}

/* The function of slice i whose share jumped (its baseline share in
 * *base), or UINT32_MAX.  The pooled share of the window screens the
 * functions; the median share decides. */
static uint32_t mix_hot(struct state *st, size_t i, double *base)
{
	const struct burst_slice *x = &st->s[i];

	if (!x->total || !st->win_total)
		return UINT32_MAX;
	for (size_t j = 0; j < x->n; j++) {
		uint32_t f = x->funcs[j];

		if (f < st->nfuncs &&
		    mix_qualifies(st->c, x->counts[j], x->total, base_share(st, f)) &&
		    mix_qualifies(st->c, x->counts[j], x->total, *base = median_share(st, f)))
			return f;
	}
	return UINT32_MAX;
}

/* Keeps f among b's BURST_TOPS best by diff (sorted, best first). */
static void keep_top(struct burst *b, double *diffs, uint32_t f, double diff, double ratio)
{
	size_t k = b->ntops < BURST_TOPS ? b->ntops++ : BURST_TOPS;

	if (k == BURST_TOPS) {
		if (diff <= diffs[BURST_TOPS - 1])
			return;
		k = BURST_TOPS - 1;
	}
	for (; k > 0 && diffs[k - 1] < diff; k--) {
		diffs[k] = diffs[k - 1];
		b->tops[k] = b->tops[k - 1];
		b->tops_ratio[k] = b->tops_ratio[k - 1];
	}
	diffs[k] = diff;
	b->tops[k] = f;
	b->tops_ratio[k] = ratio;
}

/* Names the most over-represented functions of slices [a, b]. */
static void name_top(struct state *st, struct burst *b)
{
	uint64_t in_total = 0, out_total;
	double diffs[BURST_TOPS];

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
	b->ntops = 0;
	if (!in_total)
		return;
	for (uint32_t f = 0; f < st->nfuncs; f++) {
		double in, out;

		if (!st->range[f])
			continue;
		in = (double)st->range[f] / (double)in_total;
		out = out_total ? (double)(st->all[f] - st->range[f]) / (double)out_total : 0.0;
		/* over-represented only; half a sample where the rest has none */
		if (in - out > 1e-9)
			keep_top(b, diffs, f, in - out,
				 in / fmax(out, out_total ? 0.5 / (double)out_total : 1.0));
	}
	/* the others only when they stand out nearly as much */
	while (b->ntops > 1 && diffs[b->ntops - 1] < TOPS_HALF * diffs[0])
		b->ntops--;
	if (b->ntops) {
		b->top = b->tops[0];
		b->top_ratio = b->tops_ratio[0];
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
	double med, mad, sum = 0.0, base = 0.0;
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
	f = mix_hot(st, i, &base);
	if (f != UINT32_MAX) {
		for (j = i; j < st->n; j++) {
			const struct burst_slice *x = &st->s[j];
			uint64_t k = count_in(x, f);

			if (!mix_qualifies(st->c, k, x->total, base))
				break;
			sum += (double)k / (double)x->total;
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

/* --- from a profile ------------------------------------------------------ */

/* One tenth's samples per function: funcs/counts (n of them). */
struct tenth {
	uint64_t total;
	uint32_t *funcs;
	uint64_t *counts;
	size_t n;
};

/* A stack of a tenth (its frames in the profile's pool: equal stacks
 * have equal pointers) and its samples. */
struct seen {
	const uint32_t *funcs;
	uint32_t n;
	uint64_t count;
};

struct burst_series {
	uint64_t first_ns; /* of t[0] */
	struct tenth *t;
	size_t n, cap;
	uint64_t total; /* the profile's samples when last read */
	/* scratch for reading a tenth */
	uint32_t *stamp, now; /* per function: the last stack that counted it */
	uint64_t *acc;	      /* per function: samples in the tenth */
	uint32_t *touched;    /* functions with acc != 0 */
	size_t ntouched;
	uint32_t nfuncs;
	struct seen *seen; /* the stacks of the tenth being read */
	size_t nseen, seen_cap;
};

struct burst_series *bursts_series_new(void)
{
	return calloc(1, sizeof(struct burst_series));
}

static void tenth_clear(struct tenth *t)
{
	free(t->funcs);
	free(t->counts);
	memset(t, 0, sizeof(*t));
}

static void series_reset(struct burst_series *s)
{
	for (size_t i = 0; i < s->n; i++)
		tenth_clear(&s->t[i]);
	s->n = 0;
	s->first_ns = 0;
	s->total = 0;
}

void bursts_series_free(struct burst_series *s)
{
	if (!s)
		return;
	series_reset(s);
	free(s->t);
	free(s->stamp);
	free(s->acc);
	free(s->touched);
	free(s->seen);
	free(s);
}

/* Room for nfuncs functions in the scratch arrays; 0 or -ENOMEM. */
static int scratch(struct burst_series *s, uint32_t nfuncs)
{
	uint32_t *st, *to;
	uint64_t *acc;

	if (nfuncs <= s->nfuncs)
		return 0;
	st = realloc(s->stamp, nfuncs * sizeof(*st));
	if (st)
		s->stamp = st;
	acc = realloc(s->acc, nfuncs * sizeof(*acc));
	if (acc)
		s->acc = acc;
	to = realloc(s->touched, nfuncs * sizeof(*to));
	if (to)
		s->touched = to;
	if (!st || !acc || !to)
		return -ENOMEM;
	memset(s->stamp + s->nfuncs, 0, (nfuncs - s->nfuncs) * sizeof(*st));
	memset(s->acc + s->nfuncs, 0, (nfuncs - s->nfuncs) * sizeof(*acc));
	s->nfuncs = nfuncs;
	return 0;
}

/* profile_foreach_bucket: every (stack, context) of the tenth. */
static int see_stack(void *arg, const uint32_t *funcs, uint32_t n, const struct profile_ctx *ctx,
		     uint64_t value, uint64_t count)
{
	struct burst_series *s = arg;

	(void)ctx;
	(void)value;
	if (s->nseen == s->seen_cap) {
		size_t nc = s->seen_cap ? 2 * s->seen_cap : 256;
		struct seen *ns = realloc(s->seen, nc * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		s->seen = ns;
		s->seen_cap = nc;
	}
	s->seen[s->nseen++] = (struct seen){funcs, n, count};
	return 0;
}

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return x->funcs < y->funcs ? -1 : x->funcs > y->funcs;
}

static void count_stack(struct burst_series *s, const uint32_t *funcs, uint32_t n, uint64_t count)
{
	if (++s->now == 0) { /* the stamps wrapped: start them over */
		memset(s->stamp, 0, s->nfuncs * sizeof(*s->stamp));
		s->now = 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f = funcs[i];

		if (f >= s->nfuncs || s->stamp[f] == s->now)
			continue;
		s->stamp[f] = s->now;
		if (!s->acc[f])
			s->touched[s->ntouched++] = f;
		s->acc[f] += count;
	}
}

/* Reads tenth i of p into t. */
static int read_tenth(struct burst_series *s, const struct profile *p, size_t i, uint64_t total,
		      struct tenth *t)
{
	tenth_clear(t);
	t->total = total;
	s->nseen = 0;
	s->ntouched = 0;
	if (profile_foreach_bucket(p, i, see_stack, s) < 0)
		return -ENOMEM;
	/* the same stack in several contexts (threads) is walked once */
	if (s->nseen > 1)
		qsort(s->seen, s->nseen, sizeof(*s->seen), cmp_seen);
	for (size_t k = 0; k < s->nseen;) {
		size_t e = k + 1;
		uint64_t count = s->seen[k].count;

		for (; e < s->nseen && s->seen[e].funcs == s->seen[k].funcs; e++)
			count += s->seen[e].count;
		count_stack(s, s->seen[k].funcs, s->seen[k].n, count);
		k = e;
	}
	t->funcs = malloc((s->ntouched ? s->ntouched : 1) * sizeof(*t->funcs));
	t->counts = malloc((s->ntouched ? s->ntouched : 1) * sizeof(*t->counts));
	if (!t->funcs || !t->counts) {
		for (size_t k = 0; k < s->ntouched; k++)
			s->acc[s->touched[k]] = 0;
		return -ENOMEM;
	}
	for (size_t k = 0; k < s->ntouched; k++) {
		t->funcs[k] = s->touched[k];
		t->counts[k] = s->acc[s->touched[k]];
		s->acc[s->touched[k]] = 0;
	}
	t->n = s->ntouched;
	return 0;
}

int bursts_series_find(struct burst_series *s, const struct profile *p,
		       const struct burst_config *c, struct burst **out, size_t *nout,
		       uint64_t *first_ns, size_t *nslices)
{
	size_t n = profile_heat(p, NULL, NULL, SIZE_MAX, first_ns), from, drop;
	uint64_t *totals = calloc(n ? n : 1, sizeof(*totals));
	struct burst_slice *sl = calloc(n ? n : 1, sizeof(*sl));
	int ret = -ENOMEM;

	*out = NULL;
	*nout = 0;
	*nslices = n;
	if (!totals || !sl || scratch(s, funcs_count(profile_funcs((struct profile *)p)) + 1) < 0)
		goto out;
	profile_heat(p, totals, NULL, n, first_ns);
	/* the profile was cleared or rebuilt, or went back in time: read it
	 * all again; else drop the tenths that expired */
	if (profile_total_count(p) < s->total || *first_ns < s->first_ns)
		series_reset(s);
	drop = s->n && *first_ns > s->first_ns
		   ? (size_t)((*first_ns - s->first_ns) / BURST_SLICE_NS)
		   : 0;
	if (drop > s->n)
		drop = s->n;
	if (drop) { /* (drop <= s->n, so s->t is there) */
		for (size_t i = 0; i < drop; i++)
			tenth_clear(&s->t[i]);
		memmove(s->t, s->t + drop, (s->n - drop) * sizeof(*s->t));
		memset(s->t + s->n - drop, 0, drop * sizeof(*s->t));
		s->n -= drop;
	}
	s->first_ns = *first_ns;
	if (n > s->cap) {
		struct tenth *nt = realloc(s->t, n * sizeof(*nt));

		if (!nt)
			goto out;
		memset(nt + s->cap, 0, (n - s->cap) * sizeof(*nt));
		s->t = nt;
		s->cap = n;
	}
	/* the last second read may have had samples since (they arrive a
	 * poll late): read it again with what is new */
	from = s->n > 10 ? s->n - 10 : 0;
	for (size_t i = from; i < n; i++)
		if (read_tenth(s, p, i, totals[i], &s->t[i]) < 0) {
			s->n = i;
			goto out;
		}
	s->n = n;
	s->total = profile_total_count(p);
	for (size_t i = 0; i < n; i++)
		sl[i] =
		    (struct burst_slice){s->t[i].total, s->t[i].n, s->t[i].funcs, s->t[i].counts};
	ret = bursts_find(sl, n, s->nfuncs, c, out, nout);
out:
	free(totals);
	free(sl);
	return ret;
}

int bursts_of_profile(const struct profile *p, const struct burst_config *c, struct burst **out,
		      size_t *nout, uint64_t *first_ns, size_t *nslices)
{
	struct burst_series *s = bursts_series_new();
	int ret;

	if (!s)
		return -ENOMEM;
	ret = bursts_series_find(s, p, c, out, nout, first_ns, nslices);
	bursts_series_free(s);
	return ret;
}
