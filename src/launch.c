/*
 * launch.c - starting a target under the runtime, finding our own files.
 *
 * The runtime library and the demo are looked up next to the running
 * executable first (a build tree: runtime/.libs/libflametop.so,
 * examples/flametop-demo), then in the install directories.  A target is
 * started with fork + execvpe and an environment built before the fork, so
 * the child only calls async-signal-safe functions.  The child stays in
 * flametop's process group (a Ctrl-C at the terminal reaches both, as with
 * time(1)), unless it is given a terminal of its own: then it leads a new
 * session with that pty as its controlling terminal, as a shell started
 * by tmux or script(1) does.  An exec failure travels back through a close-on-exec pipe.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "flametop-shm.h"
#include "launch.h"
#include "segment.h"

#ifndef FT_LIBDIR
#define FT_LIBDIR "/usr/local/lib"
#endif
#ifndef FT_BUILDDIR
#define FT_BUILDDIR "."
#endif
#ifndef FT_PKGLIBEXECDIR
#define FT_PKGLIBEXECDIR "/usr/local/libexec/flametop"
#endif

extern char **environ;

static bool is_file(const char *path, int mode)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, mode) == 0;
}

/* The directory of the running executable, into buf; false if unknown. */
static bool self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/*
 * Looks for rel (a path inside the build tree) next to the executable, and
 * in FT_BUILDDIR when the executable lives below it (tests/, bench/).
 */
static bool find_in_build_tree(const char *rel, char *out, size_t len)
{
	char dir[PATH_MAX];

	if (!self_dir(dir, sizeof dir))
		return false;
	if ((size_t)snprintf(out, len, "%s/%s", dir, rel) < len && is_file(out, R_OK))
		return true;
	size_t bl = strlen(FT_BUILDDIR);
	if (bl > 1 && !strncmp(dir, FT_BUILDDIR, bl) && (dir[bl] == '/' || dir[bl] == '\0')) {
		if ((size_t)snprintf(out, len, "%s/%s", FT_BUILDDIR, rel) < len &&
		    is_file(out, R_OK))
			return true;
	}
	return false;
}

const char *launch_runtime_path(char *err, size_t errlen)
{
	static char path[PATH_MAX];
	const char *env = getenv("FLAMETOP_LIB");

	if (env && *env) {
		struct stat st;
		if (stat(env, &st) < 0) {
			snprintf(err, errlen, "FLAMETOP_LIB=%s: %s", env, strerror(errno));
			return NULL;
		}
		if (!is_file(env, R_OK)) {
			snprintf(err, errlen, "FLAMETOP_LIB=%s: not a readable file", env);
			return NULL;
		}
		if (env[0] == '/')
			return env;
		if (!realpath(env, path)) {
			snprintf(err, errlen, "FLAMETOP_LIB=%s: %s", env, strerror(errno));
			return NULL;
		}
		return path;
	}
	if (find_in_build_tree("runtime/.libs/libflametop.so", path, sizeof path))
		return path;
	snprintf(path, sizeof path, "%s/libflametop.so", FT_LIBDIR);
	if (is_file(path, R_OK))
		return path;
	snprintf(err, errlen, "cannot find the runtime library (looked for %s; set FLAMETOP_LIB)",
		 path);
	return NULL;
}

const char *launch_demo_path(char *err, size_t errlen)
{
	static char path[PATH_MAX];

	if (find_in_build_tree("examples/flametop-demo", path, sizeof path) && is_file(path, X_OK))
		return path;
	snprintf(path, sizeof path, "%s/flametop-demo", FT_PKGLIBEXECDIR);
	if (is_file(path, X_OK))
		return path;
	snprintf(err, errlen, "cannot find the demo program (looked for %s)", path);
	return NULL;
}

/* 0 if path is an executable regular file, else -errno. */
static int check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

/* 1 if path is an ELF program with no program interpreter (statically
 * linked: nothing can be preloaded into it), 0 otherwise (a script, a
 * dynamically linked program, a file we cannot read: exec will say) */
static int is_static_elf(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), interp = 0, elf = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
	    (eh.e_type == ET_EXEC || eh.e_type == ET_DYN) && eh.e_phentsize == sizeof(ph) &&
	    eh.e_phnum > 0 && eh.e_phnum < 4096) {
		elf = 1;
		for (unsigned i = 0; i < eh.e_phnum && !interp; i++) {
			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
			    (ssize_t)sizeof(ph)) {
				elf = 0;
				break;
			}
			interp = ph.p_type == PT_INTERP;
		}
	}
	close(fd);
	return elf && !interp;
}

/* 0, or -ENOEXEC with a message if the program found at path cannot take
 * the runtime */
static int check_runtime_fits(const char *file, const char *path, char *err, size_t errlen)
{
	if (!is_static_elf(path))
		return 0;
	snprintf(err, errlen,
		 "cannot profile '%s': it is statically linked (the runtime is loaded "
		 "into dynamically linked programs only)",
		 file);
	return -ENOEXEC;
}

int launch_check(const char *file, char *err, size_t errlen)
{
	int r;

	if (!file || !*file) {
		snprintf(err, errlen, "no command to run");
		return -ENOENT;
	}
	if (strchr(file, '/')) {
		r = check_exec(file);
		if (r == 0)
			return check_runtime_fits(file, file, err, errlen);
		if (r == -EISDIR)
			snprintf(err, errlen, "cannot run '%s': is a directory", file);
		else if (r == -EACCES)
			snprintf(err, errlen, "cannot run '%s': permission denied", file);
		else
			snprintf(err, errlen, "cannot run '%s': %s", file, strerror(-r));
		return r == -EISDIR ? -EACCES : r;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	r = -ENOENT;
	while (*path) {
		const char *end = strchrnul(path, ':');
		size_t dl = end - path;
		char full[PATH_MAX];
		if (dl == 0)
			snprintf(full, sizeof full, "./%s", file);
		else
			snprintf(full, sizeof full, "%.*s/%s", (int)dl, path, file);
		int c = check_exec(full);
		if (c == 0)
			return check_runtime_fits(file, full, err, errlen);
		if (c == -EACCES)
			r = -EACCES;
		path = *end ? end + 1 : end;
	}
	if (r == -EACCES)
		snprintf(err, errlen, "cannot run '%s': permission denied", file);
	else
		snprintf(err, errlen, "cannot run '%s': no such command", file);
	return r;
}

/* A malloc'd "NAME=value", or NULL when memory ran out. */
static __attribute__((format(printf, 1, 2))) char *env_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* True if the environment entry e sets one of the variables in add[]. */
static bool replaced(const char *e, char *const add[], size_t nadd)
{
	for (size_t i = 0; i < nadd; i++) {
		size_t len = strchr(add[i], '=') - add[i] + 1;
		if (!strncmp(e, add[i], len))
			return true;
	}
	return false;
}

#define PID_DIGITS 10

/* In the forked child: writes its pid into the placeholder values that
 * build_env left for the pid-scoped variables (no allocation). */
static void env_set_pid(char **env)
{
	static const char *const scoped[] = {"FLAMETOP_ALWAYS=", "FLAMETOP_KEEP_SEGMENT="};
	unsigned long pid = (unsigned long)getpid();

	for (char **e = env; *e; e++) {
		for (size_t i = 0; i < sizeof(scoped) / sizeof(scoped[0]); i++) {
			size_t len = strlen(scoped[i]);
			unsigned long v = pid;

			if (strncmp(*e, scoped[i], len) != 0 || strlen(*e + len) != PID_DIGITS)
				continue;
			for (size_t d = PID_DIGITS; d-- > 0; v /= 10)
				(*e)[len + d] = (char)('0' + v % 10);
		}
	}
}

/*
 * environ with our variables (replacing the old values): FLAMETOP,
 * FLAMETOP_ALWAYS, LD_PRELOAD (ours first, an existing list kept after
 * it), FLAMETOP_KEEP_SEGMENT (removed when not asked for: the launcher
 * owns the segment), and FLAMETOP_FREQ / MODE / DEPTH / ALLOC_RATE when the options set
 * them (otherwise the user's own values pass through).  NULL on ENOMEM.
 */
static char **build_env(const char *lib, const struct launch_opts *o)
{
	char *add[12];
	size_t nadd = 0, n = 0;
	const char *old_preload = getenv("LD_PRELOAD");
	bool failed = false;

	add[nadd++] = env_fmt("FLAMETOP=1");
	/* scoped to the target's pid, filled in by the child (env_set_pid),
	 * so that processes the target starts do not inherit them: those
	 * that are followed sample once the viewer finds them, and the many
	 * short ones (a shell's commands) stay cheap */
	add[nadd++] = env_fmt("FLAMETOP_ALWAYS=%0*d", PID_DIGITS, 0);
	add[nadd++] = env_fmt("FLAMETOP_CHILDREN=%d", o && o->follow ? 1 : 0);
	if (old_preload && *old_preload)
		add[nadd++] = env_fmt("LD_PRELOAD=%s:%s", lib, old_preload);
	else
		add[nadd++] = env_fmt("LD_PRELOAD=%s", lib);
	if (o && o->keep_segment)
		add[nadd++] = env_fmt("FLAMETOP_KEEP_SEGMENT=%0*d", PID_DIGITS, 0);
	else
		add[nadd++] = env_fmt("FLAMETOP_KEEP_SEGMENT=0");
	if (o && o->freq_hz)
		add[nadd++] = env_fmt("FLAMETOP_FREQ=%u", o->freq_hz);
	if (o && o->mode >= 0)
		add[nadd++] = env_fmt("FLAMETOP_MODE=%s", o->mode == FT_MODE_WALL ? "wall" : "cpu");
	if (o && o->depth)
		add[nadd++] = env_fmt("FLAMETOP_DEPTH=%u", o->depth);
	if (o && o->alloc_rate_set)
		add[nadd++] =
		    env_fmt("FLAMETOP_ALLOC_RATE=%llu", (unsigned long long)o->alloc_rate);
	for (size_t i = 0; i < nadd; i++)
		failed |= !add[i];

	for (char **e = environ; *e; e++)
		n++;
	char **env = failed ? NULL : calloc(n + nadd + 1, sizeof *env);
	if (!env) {
		for (size_t i = 0; i < nadd; i++)
			free(add[i]);
		return NULL;
	}
	size_t k = 0;
	for (char **e = environ; *e; e++)
		if (!replaced(*e, add, nadd))
			env[k++] = *e;
	for (size_t i = 0; i < nadd; i++)
		env[k++] = add[i];
	env[k] = NULL;
	return env;
}

static void free_env(char **env)
{
	if (!env)
		return;
	/* only our own strings were allocated: they follow environ's */
	for (char **e = env; *e; e++) {
		bool from_environ = false;
		for (char **o = environ; *o; o++)
			if (*o == *e)
				from_environ = true;
		if (!from_environ)
			free(*e);
	}
	free(env);
}

/* What failed in the child, sent back through the pipe with errno. */
enum { FAIL_STDIN = 1, FAIL_OUTPUT, FAIL_TTY, FAIL_EXEC };

/* In the child: report (stage, errno) through fd and leave. */
static _Noreturn void child_fail(int fd, int stage, int err)
{
	int msg[2] = {stage, err};
	ssize_t unused = write(fd, msg, sizeof msg);
	(void)unused;
	_exit(127);
}

pid_t launch_start(char *const argv[], const struct launch_opts *o, char *err, size_t errlen)
{
	char lerr[256];
	const char *lib = launch_runtime_path(lerr, sizeof lerr);
	int pfd[2];

	if (!lib) {
		snprintf(err, errlen, "%s", lerr);
		return -ENOENT;
	}
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "no command to run");
		return -EINVAL;
	}
	char **env = build_env(lib, o);
	if (!env) {
		snprintf(err, errlen, "cannot start '%s': out of memory", argv[0]);
		return -ENOMEM;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot start '%s': %s", argv[0], strerror(e));
		free_env(env);
		return -e;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot start '%s': %s", argv[0], strerror(e));
		close(pfd[0]);
		close(pfd[1]);
		free_env(env);
		return -e;
	}
	if (pid == 0) {
		/* handlers reset at exec; ignored signals stay ignored, as
		 * they would for any program the user's shell starts */
		sigset_t none;
		close(pfd[0]);
		env_set_pid(env);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (o && o->stdin_path) {
			int fd = open(o->stdin_path, O_RDONLY);
			if (fd < 0 || dup2(fd, 0) < 0)
				child_fail(pfd[1], FAIL_STDIN, errno);
			if (fd != 0)
				close(fd);
		}
		if (o && o->use_tty) {
			if (setsid() < 0 || ioctl(o->tty_fd, TIOCSCTTY, 0) < 0 ||
			    (o->tty_stdin && dup2(o->tty_fd, 0) < 0) || dup2(o->tty_fd, 1) < 0 ||
			    dup2(o->tty_fd, 2) < 0)
				child_fail(pfd[1], FAIL_TTY, errno);
			if (o->tty_fd > 2)
				close(o->tty_fd);
		} else if (o && o->out_path) {
			int fd = open(o->out_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				child_fail(pfd[1], FAIL_OUTPUT, errno);
			if (fd > 2)
				close(fd);
		}
		execvpe(argv[0], argv, env);
		child_fail(pfd[1], FAIL_EXEC, errno);
	}
	close(pfd[1]);
	free_env(env);
	int msg[2] = {0, 0};
	ssize_t n;
	do
		n = read(pfd[0], msg, sizeof msg);
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof msg) {
		int status, cerr = msg[1] > 0 ? msg[1] : ENOEXEC;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (msg[0] == FAIL_STDIN)
			snprintf(err, errlen, "cannot run '%s': input '%s': %s", argv[0],
				 o->stdin_path, strerror(cerr));
		else if (msg[0] == FAIL_TTY)
			snprintf(err, errlen, "cannot run '%s': its terminal: %s", argv[0],
				 strerror(cerr));
		else if (msg[0] == FAIL_OUTPUT)
			snprintf(err, errlen, "cannot run '%s': output '%s': %s", argv[0],
				 o->out_path, strerror(cerr));
		else
			snprintf(err, errlen, "cannot run '%s': %s", argv[0], strerror(cerr));
		return -cerr;
	}
	return pid;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* True once the segment file exists with at least a header and its magic. */
static bool segment_ready(pid_t pid)
{
	char path[300];
	char magic[8];
	struct stat st;
	bool ok = false;

	if (segment_find(pid, path, sizeof path) < 0)
		return false;
	/* a FIFO or a link planted at the name must neither block nor be
	 * followed; only a regular file of ours counts */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    st.st_size >= (off_t)sizeof(struct ft_header) &&
	    pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
	    !memcmp(magic, FT_MAGIC, sizeof magic))
		ok = true;
	close(fd);
	return ok;
}

int launch_wait_segment(pid_t pid, int timeout_ms, int *status)
{
	int waited = 0;

	for (;;) {
		if (segment_ready(pid))
			return 0;
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD)) {
			if (status)
				*status = r == pid ? st : -1;
			return -ECHILD;
		}
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		sleep_ms(5);
		waited += 5;
	}
}

int launch_stop(pid_t pid, int grace_ms)
{
	int status = -1;
	pid_t r;

	if (pid <= 0)
		return -1;
	r = waitpid(pid, &status, WNOHANG);
	if (r == pid)
		return status;
	if (r < 0)
		return -1;
	kill(pid, SIGTERM);
	for (int waited = 0; waited < grace_ms; waited += 10) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return r == pid ? status : -1;
}

void launch_unlink_segment(pid_t pid)
{
	char path[300];

	if (segment_find(pid, path, sizeof path) == 0)
		unlink(path);
}
