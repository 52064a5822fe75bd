/*
 * test-cli.c - unit tests of the command line: the option tables, the
 * parser generated from them, --help, and flametop(1).
 *
 * Walks every command's option table: each option is accepted in its
 * long and short form (and as --name=value) and sets a field of the
 * command's arguments; every option word in every command's --help and
 * usage is accepted by the parser; flametop(1) documents every option in
 * the section of its command, and every option it documents (there or in
 * the SYNOPSIS) exists.  Values are parsed strictly (value parsers).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cmd.h"
#include "flametop-shm.h"

#ifndef FT_MAN_PAGE
#define FT_MAN_PAGE "man/flametop.1"
#endif

static char err[256];

/* A value that an option whose value is named arg accepts. */
static const char *sample_value(const char *arg)
{
	static const struct {
		const char *arg, *value;
	} samples[] = {
	    {"HZ", "250"},
	    {"cpu|wall", "wall"},
	    {"SECONDS", "2.5"},
	    {"FILE", "out.folded"},
	    {"PID", "4242"},
	    {"MS", "500"},
	    {"N", "7"},
	    {"PCT", "40"},
	    {"KEYS", "coroutine,label:stage"},
	    {"KEY=VALUE", "stage=io"},
	    {"FUNC", "parse_line"},
	    {"FORMAT", "pprof"},
	    {"WEIGHT", "alloc-bytes"},
	    {"BYTES", "64K"},
	    {"FUNC", "work"},
	    {"REGEX", "^std::"},
	};

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (!strcmp(samples[i].arg, arg))
			return samples[i].value;
	fail_msg("no sample value for an option's value named '%s': add one", arg);
	return NULL;
}

/* Sends stdout and stderr to /dev/null while the parser may print, and
 * back (cmocka reports on them). */
static int saved_fd[2] = {-1, -1};

static void quiet(bool on)
{
	fflush(stdout);
	fflush(stderr);
	for (int fd = 1; fd <= 2; fd++) {
		if (on) {
			int null = open("/dev/null", O_WRONLY);

			assert_true(null >= 0);
			saved_fd[fd - 1] = dup(fd);
			dup2(null, fd);
			close(null);
		} else {
			dup2(saved_fd[fd - 1], fd);
			close(saved_fd[fd - 1]);
		}
	}
}

/* Parses {c->name, words..., NULL} into a fresh copy of c's defaults
 * (what it prints is dropped); the result, and the arguments in *args
 * (caller frees). */
static enum cmd_parse_result parse(const struct cmd *c, void **args, int *first, ...)
{
	char *argv[8];
	int argc = 0;
	va_list ap;
	enum cmd_parse_result r;

	argv[argc++] = (char *)c->name;
	va_start(ap, first);
	for (char *w; (w = va_arg(ap, char *));)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;
	*args = calloc(1, c->args_size + 1);
	assert_non_null(*args);
	memcpy(*args, c->defaults, c->args_size);
	quiet(true);
	r = cmd_parse(c, *args, argc, argv, first);
	quiet(false);
	return r;
}

/* True if the parsed arguments differ from c's defaults. */
static bool changed(const struct cmd *c, const void *args)
{
	return memcmp(args, c->defaults, c->args_size) != 0;
}

static void test_every_option_parses(void **state)
{
	(void)state;
	for (const struct cmd *const *cp = cmd_table; *cp; cp++) {
		const struct cmd *c = *cp;

		assert_non_null(c->fn);
		assert_non_null(c->summary);
		assert_non_null(c->usage);
		for (const struct cmd_option *o = c->options; o && o->long_name; o++) {
			char lng[64], shrt[3] = {'-', o->short_name, 0}, eq[96];
			const char *v = o->arg ? sample_value(o->arg) : NULL;
			void *args;
			int first = -1;

			snprintf(lng, sizeof(lng), "--%s", o->long_name);
			snprintf(eq, sizeof(eq), "--%s=%s", o->long_name, v ? v : "");
			assert_true(o->short_name != 'h'); /* -h is --help */
			/* --name [VALUE] */
			if (parse(c, &args, &first, lng, v, NULL) != CMD_PARSE_OK ||
			    !changed(c, args))
				fail_msg("%s %s %s: not accepted or sets nothing", c->name, lng,
					 v ? v : "");
			assert_int_equal(first, v ? 3 : 2);
			free(args);
			/* -X [VALUE] */
			if (o->short_name) {
				if (parse(c, &args, &first, shrt, v, NULL) != CMD_PARSE_OK ||
				    !changed(c, args))
					fail_msg("%s %s: not accepted", c->name, shrt);
				free(args);
			}
			/* --name=VALUE */
			if (v) {
				if (parse(c, &args, &first, eq, NULL) != CMD_PARSE_OK ||
				    !changed(c, args))
					fail_msg("%s %s: not accepted", c->name, eq);
				free(args);
				/* a value-taking option without its value */
				if (parse(c, &args, &first, lng, NULL) != CMD_PARSE_ERROR)
					fail_msg("%s %s without a value accepted", c->name, lng);
				free(args);
			}
		}
	}
}

/* Two options of one command never share a name. */
static void test_names_unique(void **state)
{
	(void)state;
	for (const struct cmd *const *cp = cmd_table; *cp; cp++) {
		const struct cmd *c = *cp;

		assert_ptr_equal(cmd_find(c->name), c);
		for (const struct cmd_option *o = c->options; o && o->long_name; o++)
			for (const struct cmd_option *p = o + 1; p->long_name; p++) {
				if (!strcmp(o->long_name, p->long_name) ||
				    (o->short_name && o->short_name == p->short_name))
					fail_msg("%s: --%s and --%s share a name", c->name,
						 o->long_name, p->long_name);
			}
	}
	assert_null(cmd_find("nosuchcommand"));
}

/* True if c's parser accepts word, alone or with some value. */
static bool accepted(const struct cmd *c, const char *word)
{
	static const char *const values[] = {"250",    "wall", "out.folded", "40",
					     "thread", "k=v",  NULL};
	enum cmd_parse_result r;
	void *args;
	int first;

	r = parse(c, &args, &first, word, NULL);
	free(args);
	for (size_t i = 0; r == CMD_PARSE_ERROR && values[i]; i++) {
		r = parse(c, &args, &first, word, values[i], NULL);
		free(args);
	}
	return r == CMD_PARSE_OK;
}

/* Every "--word" and "-X" in text (option words only: not inside a word,
 * not the "--" that ends options) is accepted by c's parser. */
static void check_words_accepted(const struct cmd *c, const char *text, const char *where)
{
	for (const char *p = text; *p; p++) {
		char word[64];
		size_t n = 0;

		if (*p != '-' || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-')))
			continue;
		while ((isalnum((unsigned char)p[n]) || p[n] == '-') && n < sizeof(word) - 1)
			n++;
		if (n < 2 || !isalpha((unsigned char)p[n - 1]) || (p[1] != '-' && n != 2) ||
		    (p[1] == '-' && n < 4)) {
			p += n ? n - 1 : 0;
			continue;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if (strcmp(word, "--help") != 0 && strcmp(word, "-h") != 0 && !accepted(c, word))
			fail_msg("%s: '%s' in %s is not accepted", c->name, word, where);
		p += n - 1;
	}
}

static void test_help_words_accepted(void **state)
{
	(void)state;
	for (const struct cmd *const *cp = cmd_table; *cp; cp++) {
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);

		assert_non_null(m);
		cmd_help(*cp, m);
		fclose(m);
		for (const struct cmd_option *o = (*cp)->options; o && o->long_name; o++) {
			char lng[64];

			snprintf(lng, sizeof(lng), "--%s", o->long_name);
			if (o->help && !strstr(text, lng))
				fail_msg("%s --help does not show %s", (*cp)->name, lng);
			if (!o->help && strstr(text, lng))
				fail_msg("%s --help shows the hidden %s", (*cp)->name, lng);
		}
		check_words_accepted(*cp, text, "--help");
		free(text);
	}
}

static void test_help_and_errors(void **state)
{
	const struct cmd *c = cmd_find("record");
	void *args;
	int first;

	(void)state;
	assert_non_null(c);
	/* --help and -h print help, even after other options */
	assert_int_equal(parse(c, &args, &first, "-F", "10", "--help", NULL), CMD_PARSE_HELP);
	free(args);
	assert_int_equal(parse(c, &args, &first, "-h", NULL), CMD_PARSE_HELP);
	free(args);
	/* but not after "--": that is the command's */
	assert_int_equal(parse(c, &args, &first, "--", "sh", "--help", NULL), CMD_PARSE_OK);
	assert_int_equal(first, 2);
	free(args);
	/* record stops at the command: its options are its own */
	assert_int_equal(parse(c, &args, &first, "sh", "-F", "0", NULL), CMD_PARSE_OK);
	assert_int_equal(first, 1);
	free(args);
	assert_int_equal(parse(c, &args, &first, "--frobnicate", NULL), CMD_PARSE_ERROR);
	free(args);
	assert_int_equal(parse(c, &args, &first, "-Z", NULL), CMD_PARSE_ERROR);
	free(args);
	assert_int_equal(parse(c, &args, &first, "-F", "0", NULL), CMD_PARSE_ERROR);
	free(args);
	assert_int_equal(parse(c, &args, &first, "--stats=1", NULL), CMD_PARSE_ERROR);
	free(args);
	/* report takes its file among its options */
	c = cmd_find("report");
	assert_int_equal(parse(c, &args, &first, "f.folded", "--json", NULL), CMD_PARSE_OK);
	assert_int_equal(first, 2);
	free(args);
}

static void test_value_parsers(void **state)
{
	unsigned hz = 0;
	double s = 0;
	int mode = -1, ms = 0;
	pid_t pid = 0;
	size_t n = 1;

	(void)state;
	assert_int_equal(cmd_parse_freq("99", &hz, err, sizeof err), 0);
	assert_int_equal(hz, 99);
	assert_int_equal(cmd_parse_freq("1", &hz, err, sizeof err), 0);
	assert_int_equal(cmd_parse_freq("1000", &hz, err, sizeof err), 0);
	assert_int_equal(hz, 1000);
	assert_int_equal(cmd_parse_freq("0", &hz, err, sizeof err), -EINVAL);
	assert_string_equal(err, "frequency must be 1-1000 Hz");
	assert_int_equal(cmd_parse_freq("1001", &hz, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_freq("100000", &hz, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_freq("-5", &hz, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_freq("99x", &hz, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_freq("", &hz, err, sizeof err), -EINVAL);
	assert_int_equal(hz, 1000); /* unchanged by failures */

	assert_int_equal(cmd_parse_seconds("2.5", &s, err, sizeof err), 0);
	assert_true(s == 2.5);
	assert_int_equal(cmd_parse_seconds("-1", &s, err, sizeof err), -EINVAL);
	assert_string_equal(err, "duration must be a positive number of seconds");
	assert_int_equal(cmd_parse_seconds("0", &s, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_seconds("nan", &s, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_seconds("inf", &s, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_seconds("3s", &s, err, sizeof err), -EINVAL);

	assert_int_equal(cmd_parse_mode("cpu", &mode, err, sizeof err), 0);
	assert_int_equal(mode, FT_MODE_CPU);
	assert_int_equal(cmd_parse_mode("wall", &mode, err, sizeof err), 0);
	assert_int_equal(mode, FT_MODE_WALL);
	assert_int_equal(cmd_parse_mode("CPU", &mode, err, sizeof err), -EINVAL);

	assert_int_equal(cmd_parse_pid("4242", &pid, err, sizeof err), 0);
	assert_int_equal(pid, 4242);
	assert_int_equal(cmd_parse_pid("0", &pid, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_pid("-3", &pid, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_pid("99999999999", &pid, err, sizeof err), -EINVAL);

	assert_int_equal(cmd_parse_interval("20", &ms, err, sizeof err), 0);
	assert_int_equal(ms, 20);
	assert_int_equal(cmd_parse_interval("19", &ms, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_interval("10001", &ms, err, sizeof err), -EINVAL);

	assert_int_equal(cmd_parse_count("0", &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cmd_parse_count("-1", &n, err, sizeof err), -EINVAL);
	assert_int_equal(cmd_parse_count("x", &n, err, sizeof err), -EINVAL);
}

/* --- flametop(1) ----------------------------------------------------------- */

/* The man page's text with escapes made plain: "\-" is "-", font changes
 * ("\fB") and "\&" are dropped. */
static char *read_man(void)
{
	FILE *in = fopen(FT_MAN_PAGE, "r");
	char *text, *o;
	long len;

	if (!in)
		fail_msg("cannot open %s", FT_MAN_PAGE);
	fseek(in, 0, SEEK_END);
	len = ftell(in);
	rewind(in);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, in), (size_t)len);
	fclose(in);
	o = text;
	for (const char *p = text; *p; p++) {
		if (p[0] == '\\' && p[1] == '-') {
			*o++ = '-';
			p++;
		} else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			p += 2;
		} else if (p[0] == '\\' && (p[1] == '&' || p[1] == '|')) {
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return text;
}

/* The lines from the one starting with start up to (not including) the
 * next line starting with any of the stops; NULL when there is none. */
static char *man_part(const char *man, const char *start, const char *const stops[])
{
	const char *b = NULL, *e;

	for (const char *l = man; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		if (!strncmp(l, start, strlen(start)) &&
		    (l[strlen(start)] == '\n' || l[strlen(start)] == ' ')) {
			b = l;
			break;
		}
	if (!b)
		return NULL;
	e = b + strlen(b);
	for (const char *l = strchr(b, '\n'); l && *++l; l = strchr(l, '\n')) {
		for (size_t i = 0; stops[i]; i++)
			if (!strncmp(l, stops[i], strlen(stops[i]))) {
				e = l;
				goto found;
			}
	}
found:
	return strndup(b, (size_t)(e - b));
}

/* The tag lines of the .TP items in a section: the option lists. */
static char *tags(const char *section)
{
	size_t len = 0;
	char *out = calloc(1, strlen(section) + 1);

	assert_non_null(out);
	for (const char *l = strstr(section, "\n.TP\n"); l; l = strstr(l + 1, "\n.TP\n")) {
		const char *tag = l + 5, *end = strchr(tag, '\n');
		size_t n = end ? (size_t)(end - tag) : strlen(tag);

		memcpy(out + len, tag, n);
		len += n;
		out[len++] = '\n';
	}
	return out;
}

static void test_man_page(void **state)
{
	static const char *const sub_stops[] = {".SS", ".SH", NULL};
	static const char *const syn_stops[] = {".br", ".SH", NULL};
	char *man = read_man();

	(void)state;
	for (const struct cmd *const *cp = cmd_table; *cp; cp++) {
		const struct cmd *c = *cp;
		char head[64], *sec, *tl, *syn;

		snprintf(head, sizeof(head), ".SS %s", c->name);
		sec = man_part(man, head, sub_stops);
		if (!sec)
			fail_msg("flametop(1) has no section '%s' for the command", head);
		tl = tags(sec);
		/* every option of the table is an item of the section */
		for (const struct cmd_option *o = c->options; o && o->long_name; o++) {
			char lng[64], shrt[8];
			const char *at;

			if (!o->help)
				continue;
			snprintf(lng, sizeof(lng), "--%s", o->long_name);
			at = strstr(tl, lng);
			if (!at || isalnum((unsigned char)at[strlen(lng)]) ||
			    at[strlen(lng)] == '-')
				fail_msg("flametop(1), %s: no item for %s", head, lng);
			snprintf(shrt, sizeof(shrt), "-%c ", o->short_name);
			if (o->short_name && !strstr(tl, shrt))
				fail_msg("flametop(1), %s: no item for -%c", head, o->short_name);
		}
		/* every option the section lists, and the SYNOPSIS line, exists */
		check_words_accepted(c, tl, "its flametop(1) section");
		snprintf(head, sizeof(head), ".B flametop %s", c->name);
		syn = man_part(man, head, syn_stops);
		if (!syn)
			fail_msg("flametop(1): no SYNOPSIS line '%s'", head);
		check_words_accepted(c, syn, "the SYNOPSIS of flametop(1)");
		free(syn);
		free(tl);
		free(sec);
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_option_parses), cmocka_unit_test(test_names_unique),
	    cmocka_unit_test(test_help_words_accepted), cmocka_unit_test(test_help_and_errors),
	    cmocka_unit_test(test_value_parsers),	cmocka_unit_test(test_man_page),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
