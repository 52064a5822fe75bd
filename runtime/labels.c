/*
 * labels.c - label sets: push, pop, interning into the string table.
 *
 * Every coroutine (and every thread, for when it runs no coroutine) has a
 * stack of label set ids: the set it inherited at creation at the bottom,
 * then one id per push.  A push computes the set "current set + key=value"
 * (the key's older value removed, the pair appended), interns it once in
 * the segment's string table (struct ft_labels) and pushes its id; a pop
 * drops one.  ft_coro_labels always holds the id at the top of the running
 * stack, so the signal handler only copies it.  Interning takes
 * labels_lock (never in the handler); a full string table gives
 * FT_LABELS_LOST, counted, and the stack stays balanced.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include "coro.h"
#include "rt.h"

#define EXPORT __attribute__((visibility("default")))
#define MEMO_SIZE 16384u /* (set, key, value) -> set; a power of two */
#define SETS_SIZE 16384u /* content -> set */
#define PROBES 32
#define SET_BYTES_MAX (FT_LABELS_MAX * (FT_LABEL_KEY_LEN + FT_LABEL_VALUE_LEN))

struct memo {
	uint32_t from, to, hash;
};

static __thread uint32_t t_stack[CORO_LDEPTH] __attribute__((tls_model("initial-exec")));
static __thread uint16_t t_depth __attribute__((tls_model("initial-exec")));
static __thread uint16_t t_over __attribute__((tls_model("initial-exec")));
static pthread_mutex_t labels_lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo memo[MEMO_SIZE];
static uint32_t sets[SETS_SIZE]; /* ids, 0: empty slot */
/* the string table as written, kept here: any process can write the
 * segment, so its sets are read back from this copy, never from there;
 * offset 0 is never a label set */
static uint8_t strings[RT_STRINGS];
static uint64_t strings_used = 8;

void labels_segment_init(void)
{
	__atomic_store_n(&rt.strtab->used, strings_used, __ATOMIC_RELEASE);
}

static uint8_t *strdata(void)
{
	return (uint8_t *)rt.strtab + sizeof(struct ft_strtab);
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* the set's pairs: bytes and count, from the string table */
static const char *set_pairs(uint32_t id, uint32_t *bytes, uint32_t *npairs)
{
	const struct ft_labels *l;

	*bytes = *npairs = 0;
	if (id == 0 || id == FT_LABELS_LOST || id >= strings_used)
		return "";
	l = (const struct ft_labels *)(strings + id);
	*bytes = l->bytes;
	*npairs = l->npairs;
	return (const char *)(l + 1);
}

static void set_top(void)
{
	struct coro_priv *p = coro_running_priv();

	if (p)
		ft_coro_labels = p->ldepth ? p->lstack[p->ldepth - 1] : p->lbase;
	else
		ft_coro_labels = t_depth ? t_stack[t_depth - 1] : 0;
}

void labels_switched(void)
{
	set_top();
}

/* the interned id of the pairs buf[0, bytes), written if new */
static uint32_t set_intern(const char *buf, uint32_t bytes, uint32_t npairs)
{
	uint32_t h = fnv(2166136261u, buf, bytes), i, free_i = UINT32_MAX;
	uint64_t need = (sizeof(struct ft_labels) + bytes + 7) & ~7ull, off;
	struct ft_labels *l;

	for (int k = 0; k < PROBES; k++) {
		uint32_t b, n;
		const char *s;

		i = (h + (uint32_t)k) & (SETS_SIZE - 1);
		if (!sets[i]) {
			free_i = i;
			break;
		}
		s = set_pairs(sets[i], &b, &n);
		if (b == bytes && memcmp(s, buf, bytes) == 0)
			return sets[i];
	}
	off = strings_used;
	if (off + need > RT_STRINGS || off + need >= FT_LABELS_LOST ||
	    segment_back(FT_REGION_STRINGS) < 0) {
		coro_count(&coro_tab()->labels_lost);
		return FT_LABELS_LOST;
	}
	l = (struct ft_labels *)(strings + off);
	memcpy(l + 1, buf, bytes);
	l->bytes = bytes;
	l->npairs = npairs;
	memcpy(strdata() + off, l, need);
	strings_used = off + need;
	__atomic_store_n(&rt.strtab->used, strings_used, __ATOMIC_RELEASE);
	if (free_i != UINT32_MAX)
		sets[free_i] = (uint32_t)off;
	return (uint32_t)off;
}

/* from + key=value, or from itself when that would be too many pairs */
static uint32_t set_push(uint32_t from, const char *key, const char *value)
{
	char buf[SET_BYTES_MAX];
	size_t kl = strlen(key), vl = strlen(value);
	uint32_t h = fnv(fnv(fnv(2166136261u, &from, 4), key, kl + 1), value, vl + 1);
	uint32_t bytes, npairs, n = 0, id;
	const char *s;
	size_t o = 0;

	pthread_mutex_lock(&labels_lock);
	for (int k = 0; k < PROBES; k++) {
		struct memo *m = &memo[(h + (uint32_t)k) & (MEMO_SIZE - 1)];
		uint32_t b, np;
		const char *p;

		if (!m->to)
			break;
		if (m->hash != h || m->from != from)
			continue;
		/* the last pair of the result is key=value */
		p = set_pairs(m->to, &b, &np);
		if (b >= kl + vl + 2 && memcmp(p + b - vl - 1, value, vl + 1) == 0 &&
		    memcmp(p + b - vl - kl - 2, key, kl + 1) == 0 &&
		    (b == kl + vl + 2 || p[b - vl - kl - 3] == '\0')) {
			pthread_mutex_unlock(&labels_lock);
			return m->to;
		}
	}
	s = set_pairs(from, &bytes, &npairs);
	for (uint32_t i = 0, at = 0; i < npairs && at < bytes; i++) {
		size_t k1 = strnlen(s + at, bytes - at), v1;

		if (at + k1 + 1 >= bytes)
			break;
		v1 = strnlen(s + at + k1 + 1, bytes - at - k1 - 1);
		if (!(k1 == kl && memcmp(s + at, key, kl) == 0)) {
			memcpy(buf + o, s + at, k1 + v1 + 2);
			o += k1 + v1 + 2;
			n++;
		}
		at += (uint32_t)(k1 + v1 + 2);
	}
	if (n >= FT_LABELS_MAX) {
		pthread_mutex_unlock(&labels_lock);
		return UINT32_MAX;
	}
	memcpy(buf + o, key, kl + 1);
	memcpy(buf + o + kl + 1, value, vl + 1);
	o += kl + vl + 2;
	id = set_intern(buf, (uint32_t)o, n + 1);
	if (id != FT_LABELS_LOST)
		for (int k = 0; k < PROBES; k++) {
			struct memo *m = &memo[(h + (uint32_t)k) & (MEMO_SIZE - 1)];

			if (!m->to) {
				m->from = from;
				m->hash = h;
				m->to = id;
				break;
			}
		}
	pthread_mutex_unlock(&labels_lock);
	return id;
}

static int text_ok(const char *s, size_t max, int is_key)
{
	size_t n;

	if (!s)
		return 0;
	n = strnlen(s, max);
	if (n == max || (is_key && n == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || (is_key && s[i] == '='))
			return 0;
	return 1;
}

static void stack_of(uint32_t **stack, uint16_t **depth, uint16_t **over)
{
	struct coro_priv *p = coro_running_priv();

	if (p) {
		*stack = p->lstack;
		*depth = &p->ldepth;
		*over = &p->lover;
	} else {
		*stack = t_stack;
		*depth = &t_depth;
		*over = &t_over;
	}
}

static void bad_label(void)
{
	struct ft_corotab *t = coro_tab();

	coro_count(&t->bad_label);
	coro_count(&t->misuse);
}

EXPORT void flametop__label_push(const char *key, const char *value)
{
	uint16_t *depth, *over;
	uint32_t *stack, id;

	if (!coro_tab_ready())
		return;
	stack_of(&stack, &depth, &over);
	if (*depth >= CORO_LDEPTH) {
		(*over)++;
		bad_label();
		return;
	}
	id = ft_coro_labels;
	if (text_ok(key, FT_LABEL_KEY_LEN, 1) && text_ok(value, FT_LABEL_VALUE_LEN, 0)) {
		uint32_t to = set_push(id, key, value);

		if (to == UINT32_MAX)
			bad_label();
		else
			id = to;
	} else {
		bad_label();
	}
	stack[(*depth)++] = id;
	set_top();
}

EXPORT void flametop__label_pop(void)
{
	uint16_t *depth, *over;
	uint32_t *stack;

	if (!coro_tab_ready())
		return;
	stack_of(&stack, &depth, &over);
	if (*over) {
		(*over)--;
	} else if (*depth) {
		(*depth)--;
	} else {
		bad_label();
		return;
	}
	set_top();
}
