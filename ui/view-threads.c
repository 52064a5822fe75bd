/*
 * view-threads.c - the thread picker: an overlay listing "all threads" and
 * then each thread seen (tid, name, samples, share of the weight), with
 * the current filter marked.  Up/Down (j/k) move, Enter shows the chosen
 * thread, Esc (or t again) closes it as it was.  Live sources only.
 *
 * The list is sorted by share, heaviest first; a thread with no sample in
 * the last AGE_NS before the newest one (it ended, or sleeps in cpu mode)
 * leaves the list, unless it is the one shown.  The order changes as
 * samples arrive, so the cursor follows its thread, not a row.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"
#include "view.h"

#define PICK_TITLE "show which thread? Up/Down move, Enter shows, Esc cancels"
#define PICK_NAME_W 16 /* the name column (a thread's name has at most 15) */
#define AGE_NS (60 * 1000000000ull)

struct tview {
	int cursor, first;
	struct rect box;	     /* the list's rows at the last draw (relative to r) */
	int nrows, shown;	     /* rows in all, rows the box shows */
	int cursor_tid;		     /* the thread at the cursor, 0: all threads */
	struct profile_thread *list; /* the rows after "all threads" */
	size_t nlist, cap;
};

static int by_share(const void *a, const void *b)
{
	const struct profile_thread *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Fills tv->list with the threads to show, sorted; their number. */
static size_t threads_list(struct tview *tv, struct app *a)
{
	int current = source_thread(app_source(a));
	const struct profile_thread *th;
	uint64_t newest = 0;
	size_t n, i;

	th = source_threads(app_source(a), &n);
	tv->nlist = 0;
	if (n > tv->cap) {
		struct profile_thread *nl = realloc(tv->list, n * sizeof(*nl));

		if (!nl)
			return 0;
		tv->list = nl;
		tv->cap = n;
	}
	for (i = 0; i < n; i++)
		if (th[i].last_ns > newest)
			newest = th[i].last_ns;
	for (i = 0; i < n; i++)
		if (th[i].tid == current || (th[i].count && th[i].last_ns + AGE_NS >= newest))
			tv->list[tv->nlist++] = th[i];
	if (tv->nlist > 1)
		qsort(tv->list, tv->nlist, sizeof(*tv->list), by_share);
	return tv->nlist;
}

/* The row of thread tid (0: the "all threads" row), or 0 if not listed. */
static int row_of(const struct tview *tv, int tid)
{
	for (size_t i = 0; tid && i < tv->nlist; i++)
		if (tv->list[i].tid == tid)
			return (int)i + 1;
	return 0;
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* Row i of the list: 0 is "all threads", then thread i - 1. */
static void row_text(const struct profile_thread *th, size_t n, size_t i, int current, char *out,
		     size_t len)
{
	uint64_t count = 0, weight = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		count += th[k].count;
		weight += th[k].weight;
	}
	if (i == 0) {
		snprintf(out, len, "%c %-*s %10llu %6.1f%%", current == 0 ? '*' : ' ',
			 8 + 1 + PICK_NAME_W, "all threads", (unsigned long long)count,
			 share(weight, weight));
		return;
	}
	th += i - 1;
	snprintf(out, len, "%c %-8d %-*.*s %10llu %6.1f%%", th->tid == current ? '*' : ' ',
		 (int)th->tid, PICK_NAME_W, PICK_NAME_W, th->name[0] ? th->name : "-",
		 (unsigned long long)th->count, share(th->weight, weight));
}

/* Keeps *cursor in the list and on screen (shown rows from *first). */
static void clamp(int nrows, int shown, int *cursor, int *first)
{
	if (*cursor >= nrows)
		*cursor = nrows - 1;
	if (*cursor < 0)
		*cursor = 0;
	if (shown < 1)
		shown = 1;
	if (*cursor < *first)
		*first = *cursor;
	if (*cursor >= *first + shown)
		*first = *cursor - shown + 1;
	if (*first > nrows - shown)
		*first = nrows - shown;
	if (*first < 0)
		*first = 0;
}

void view_threads_render(struct grid *g, struct rect r, const struct profile_thread *th, size_t n,
			 int current, int *cursor, int *first, struct rect *list)
{
	char line[256];
	int nrows = (int)n + 1, bw, bh, x0, y0, shown, y, i;

	/* title, column heads, the rows, a blank row; as wide as the title */
	bw = (int)sizeof(PICK_TITLE) - 1 + 4;
	if (bw > r.w)
		bw = r.w;
	bh = nrows + 3;
	if (bh > r.h - 1)
		bh = r.h - 1;
	if (list)
		*list = (struct rect){0, 0, 0, 0};
	if (bw < 8 || bh < 4)
		return;
	shown = bh - 3;
	clamp(nrows, shown, cursor, first);
	x0 = r.x + (r.w - bw) / 2;
	y0 = r.y + 1;
	for (y = 0; y < bh; y++)
		grid_fill(g, x0, y0 + y, bw, ' ', COL_HELP, 0);
	grid_put(g, x0 + 2, y0, bw - 4, PICK_TITLE, COL_HELP, ATTR_BOLD);
	snprintf(line, sizeof(line), "  %-8s %-*s %10s %7s", "tid", PICK_NAME_W, "name", "samples",
		 "share");
	grid_put(g, x0 + 2, y0 + 1, bw - 4, line, COL_HELP_KEY, ATTR_BOLD);
	for (i = 0; i < shown && *first + i < nrows; i++) {
		int k = *first + i;
		bool cur = k == *cursor;
		uint8_t col = cur ? COL_SELECTED : COL_HELP;
		uint8_t attr = cur ? ATTR_BOLD | ATTR_REVERSE : 0;

		row_text(th, n, (size_t)k, current, line, sizeof(line));
		grid_fill(g, x0 + 1, y0 + 2 + i, bw - 2, ' ', col, attr);
		grid_put(g, x0 + 2, y0 + 2 + i, bw - 4, line, col, attr);
	}
	if (*first + shown < nrows)
		grid_put(g, x0 + 2, y0 + bh - 1, bw - 4, "(more below)", COL_HELP, 0);
	if (list)
		*list = (struct rect){x0 - r.x + 1, y0 - r.y + 2, bw - 2, shown};
}

void view_threads_open(struct view *v, struct app *a)
{
	struct tview *tv = v->data;

	threads_list(tv, a);
	tv->cursor_tid = source_thread(app_source(a));
	tv->cursor = row_of(tv, tv->cursor_tid);
	tv->first = 0;
}

static void threads_draw(struct view *v, struct app *a, struct grid *g, struct rect r)
{
	struct tview *tv = v->data;
	size_t n = threads_list(tv, a);

	tv->cursor = row_of(tv, tv->cursor_tid);
	view_threads_render(g, r, tv->list, n, source_thread(app_source(a)), &tv->cursor,
			    &tv->first, &tv->box);
	tv->nrows = (int)n + 1;
	tv->shown = tv->box.h;
}

/* Shows the thread of row `row` (of the last list) and closes the picker. */
static void apply(struct app *a, struct tview *tv, int row)
{
	char label[64];
	int rc;

	if (row < 0 || (size_t)row > tv->nlist)
		return;
	rc =
	    source_set_thread(app_source(a), row ? tv->list[row - 1].tid : 0, label, sizeof(label));
	if (rc < 0)
		app_message(a, true, "cannot show that thread: %s", strerror(-rc));
	else
		app_message(a, false, "showing %s (t: choose another)", label);
	app_close_threads(a);
}

static enum ui_result threads_key(struct view *v, struct app *a, enum action act,
				  const struct ui_event *ev)
{
	struct tview *tv = v->data;

	tv->nrows = (int)tv->nlist + 1;
	if (ev->key == K_MOUSE) {
		const struct rect *b = &tv->box;

		switch (ev->mouse) {
		case MOUSE_WHEEL_UP:
		case MOUSE_WHEEL_DOWN:
			tv->cursor += ev->mouse == MOUSE_WHEEL_UP ? -1 : 1;
			break;
		case MOUSE_CLICK:
		case MOUSE_DOUBLE:
			if (ev->mx >= b->x && ev->mx < b->x + b->w && ev->my >= b->y &&
			    ev->my < b->y + b->h && tv->first + ev->my - b->y < tv->nrows)
				apply(a, tv, tv->first + ev->my - b->y);
			else
				app_close_threads(a);
			return UI_REDRAW;
		default:
			return UI_HANDLED;
		}
		clamp(tv->nrows, tv->shown, &tv->cursor, &tv->first);
		tv->cursor_tid = tv->cursor ? tv->list[tv->cursor - 1].tid : 0;
		return UI_REDRAW;
	}
	switch (act) {
	case ACT_QUIT:
		return UI_QUIT;
	case ACT_UP:
	case ACT_DOWN:
		tv->cursor += act == ACT_UP ? -1 : 1;
		break;
	case ACT_TOP:
		tv->cursor = 0;
		break;
	case ACT_BOTTOM:
		tv->cursor = tv->nrows - 1;
		break;
	case ACT_PICK:
		apply(a, tv, tv->cursor);
		return UI_REDRAW;
	case ACT_CANCEL:
		app_close_threads(a);
		return UI_REDRAW;
	default:
		return UI_HANDLED; /* other keys do nothing while it is open */
	}
	clamp(tv->nrows, tv->shown, &tv->cursor, &tv->first);
	tv->cursor_tid = tv->cursor ? tv->list[tv->cursor - 1].tid : 0;
	return UI_REDRAW;
}

static void threads_free(struct view *v)
{
	struct tview *tv = v->data;

	if (tv)
		free(tv->list);
	free(v->data);
	v->data = NULL;
}

static int threads_init(struct view *v)
{
	v->data = calloc(1, sizeof(struct tview));
	return v->data ? 0 : -ENOMEM;
}

/* clang-format off */
static const struct binding picker_keys[] = {
	{{K_UP, 'k'}, ACT_UP, "thread list: previous row", "move", false},
	{{K_DOWN, 'j'}, ACT_DOWN, "thread list: next row", "move", false},
	{{'g', K_HOME}, ACT_TOP, "thread list: first row (all threads)", NULL, false},
	{{'G', K_END}, ACT_BOTTOM, "thread list: last row", NULL, false},
	{{K_ENTER}, ACT_PICK, "thread list: show the chosen thread", "show this thread", false},
	{{K_ESC, 't', 'q'}, ACT_CANCEL, "thread list: close it, the filter unchanged", "cancel", false},
	{{K_CTRL_C}, ACT_QUIT, "quit", NULL, false},
	{{0}, ACT_NONE, NULL, NULL, false},
};
/* clang-format on */

const struct view_ops view_threads_ops = {
    .name = "threads",
    .kind = VIEW_MAIN,
    .keys = picker_keys,
    .init = threads_init,
    .draw = threads_draw,
    .key = threads_key,
    .free = threads_free,
};
