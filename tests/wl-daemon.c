/*
 * wl-daemon.c - a daemon-style program: it closes every descriptor it did
 * not open itself, then opens its own and relies on them.
 *
 * usage: wl-daemon SEC
 * main closes fds 3..1023, opens a pipe, starts a thread that spins (in
 * functions without unwind tables, so an unwinder has to guess and check
 * its frames) and for SEC seconds sends numbered messages through its pipe
 * and reads them back.  Prints "ok N messages" and exits 0 when every
 * message came back intact, both ends are still the pipe it opened, and no
 * descriptor other than 0-2, its pipe (and the kernel's perf events, which
 * a profiler may own) is open in the process; else prints what went wrong
 * and exits 1.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

static volatile unsigned long sink;
static volatile int stop;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void work_leaf(void)
{
	for (int i = 0; i < 20000; i++)
		sink += (unsigned long)i * 3;
}

__attribute__((noinline)) static void work_loop(void)
{
	while (!stop)
		work_leaf();
	__asm__ volatile("" ::: "memory");
}

static void *worker(void *arg)
{
	work_loop();
	return arg;
}

/* 0 if every open descriptor is one we expect */
static int check_fds(const int p[2])
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int bad = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[300], link[256];
		int fd = atoi(de->d_name);
		ssize_t n;

		if (de->d_name[0] == '.' || fd <= 2 || fd == p[0] || fd == p[1] || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		if (strcmp(link, "anon_inode:[perf_event]") == 0)
			continue;
		printf("fd %d (%s) was not opened by the program\n", fd, link);
		bad = 1;
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	double sec = argc > 1 ? atof(argv[1]) : 1, end;
	struct stat before[2], after[2];
	unsigned long sent = 0, bad = 0;
	pthread_t t;
	int p[2];

	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	if (pipe(p) < 0 || fstat(p[0], &before[0]) < 0 || fstat(p[1], &before[1]) < 0) {
		perror("wl-daemon: pipe");
		return 1;
	}
	if (pthread_create(&t, NULL, worker, NULL) != 0) {
		printf("cannot start a thread\n");
		return 1;
	}
	end = now_s() + sec;
	while (now_s() < end) {
		char out[32], in[32];
		int len = snprintf(out, sizeof(out), "message %lu\n", sent++);
		ssize_t n;

		work_leaf();
		if (write(p[1], out, (size_t)len) != len) {
			printf("write: %s\n", strerror(errno));
			bad++;
			break;
		}
		n = read(p[0], in, (size_t)len);
		if (n != len || memcmp(in, out, (size_t)len) != 0) {
			printf("message %lu came back as %zd bytes\n", sent - 1, n);
			bad++;
			break;
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	if (fstat(p[0], &after[0]) < 0 || fstat(p[1], &after[1]) < 0 ||
	    after[0].st_ino != before[0].st_ino || after[1].st_ino != before[1].st_ino) {
		printf("the pipe's descriptors no longer name the pipe\n");
		bad++;
	}
	bad += check_fds(p);
	if (bad)
		return 1;
	printf("ok %lu messages\n", sent);
	return 0;
}
