/*
 * wl-term.c - a workload that uses its terminal as programs do, for
 * tests/ui-term.sh.  Written plainly: stdio, no retries, no care for who
 * watches.
 *
 *   wl-term ask          prompts "name? " and answers each line with
 *                        "got <line>" until end of input, then "bye"
 *   wl-term paint        colours, a \r progress bar, a 300-character line,
 *                        a line written to /dev/tty, then waits
 *   wl-term lines N      prints "line-1" .. "line-N", then waits
 *   wl-term copy FILE    copies its standard input to FILE, says "copied"
 *   wl-term tick FILE N  writes its pid to FILE, then prints N bytes, then
 *                        "tick K" every 100 ms for ever
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void spin_a_while(void)
{
	for (;;)
		sleep(1);
}

static int ask(void)
{
	char line[256];

	printf("name? ");
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		printf("got %s\n", line);
		printf("name? ");
	}
	printf("bye\n");
	return 0;
}

static int paint(void)
{
	FILE *tty;
	int i;

	printf("\033[31mRED-TEXT\033[0m \033[1;32mGREEN-BOLD\033[0m \033[44mON-BLUE\033[0m\n");
	for (i = 0; i <= 100; i += 10) {
		printf("\rprogress %3d%% [%-10.*s]", i, i / 10, "##########");
		fflush(stdout);
		usleep(20000);
	}
	printf("\n");
	for (i = 0; i < 300; i++)
		putchar("0123456789"[i % 10]);
	printf("<END-300\n");
	tty = fopen("/dev/tty", "w");
	if (tty) {
		fprintf(tty, "TTY-WRITE\n");
		fclose(tty);
	}
	printf("painted\n");
	fflush(stdout);
	spin_a_while();
	return 0;
}

static int lines(int n)
{
	int i;

	for (i = 1; i <= n; i++)
		printf("line-%d\n", i);
	fflush(stdout);
	spin_a_while();
	return 0;
}

static int copy(const char *path)
{
	FILE *out = fopen(path, "w");
	char buf[4096];
	size_t n;

	if (!out)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		fwrite(buf, 1, n, out);
	fclose(out);
	printf("copied\n");
	fflush(stdout);
	spin_a_while();
	return 0;
}

static int tick(const char *path, long bytes)
{
	FILE *f = fopen(path, "w");
	long i;

	if (!f)
		return 1;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	for (i = 0; i < bytes; i++)
		putchar(i % 64 == 63 ? '\n' : 'x');
	printf("\nwrote %ld bytes\n", bytes);
	for (i = 0;; i++) {
		printf("tick %ld\n", i);
		fflush(stdout);
		usleep(100000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "ask"))
		return ask();
	if (argc >= 2 && !strcmp(argv[1], "paint"))
		return paint();
	if (argc >= 3 && !strcmp(argv[1], "lines"))
		return lines(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "copy"))
		return copy(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "tick"))
		return tick(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: wl-term ask|paint|lines N|copy FILE|tick FILE N\n");
	return 2;
}
