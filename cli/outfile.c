/*
 * outfile.c - output files replaced whole (see outfile.h).
 *
 * The temporary file is ".NAME.XXXXXX" next to the target, created with
 * mkostemp (O_EXCL, so never a file or link someone planted) and given
 * the mode the target has, or the one a new file would get under the
 * umask.  It is fsync'd before the rename, so a crash leaves the old
 * file or the new one, and a disk that fills up says so at write or sync
 * time instead of after the rename.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "outfile.h"

/* "DIR/.BASE.XXXXXX" for target. */
static char *tmp_template(const char *target)
{
	char *d = strdup(target), *b = strdup(target), *t = NULL;

	if (d && b && asprintf(&t, "%s/.%s.XXXXXX", dirname(d), basename(b)) < 0)
		t = NULL;
	free(d);
	free(b);
	return t;
}

static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

static int open_output(struct outfile *o, const char *path, bool partial)
{
	struct stat st;
	bool exists;
	int fd, e;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->name = path;
	/* write through a symbolic link, as opening the name would */
	o->target = realpath(path, NULL);
	if (!o->target)
		o->target = strdup(path);
	if (!o->target)
		goto nomem;
	exists = stat(o->target, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			goto fail;
		}
		o->f = fopen(o->target, "we");
		if (!o->f)
			goto fail;
		return 0;
	}
	if (partial) {
		if (asprintf(&o->tmp, "%s.partial", o->target) < 0) {
			o->tmp = NULL;
			goto nomem;
		}
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	} else {
		o->tmp = tmp_template(o->target);
		if (!o->tmp)
			goto nomem;
		fd = mkostemp(o->tmp, O_CLOEXEC);
	}
	if (fd < 0)
		goto fail;
	if (fchmod(fd, exists ? st.st_mode & 07777 : new_file_mode()) < 0 ||
	    !(o->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		goto fail;
	}
	return 0;
nomem:
	errno = ENOMEM;
fail:
	e = errno;
	cmd_error("cannot write '%s': %s", path, strerror(e));
	free(o->tmp);
	free(o->target);
	memset(o, 0, sizeof(*o));
	return -1;
}

int outfile_open(struct outfile *o, const char *path)
{
	return open_output(o, path, false);
}

int outfile_open_partial(struct outfile *o, const char *path)
{
	return open_output(o, path, true);
}

int outfile_commit(struct outfile *o)
{
	int e = 0;

	if (!o->f)
		return -1;
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	/* fsync fails with EINVAL on what cannot be synced (a pipe, a
	 * device): that is no write error */
	if (!e && o->f != stdout && fsync(fileno(o->f)) < 0 && errno != EINVAL && errno != EROFS)
		e = errno;
	if (o->f != stdout && fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	if (!e && o->tmp && rename(o->tmp, o->target) < 0)
		e = errno;
	if (e) {
		outfile_fail(o, e);
		return -1;
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	return 0;
}

void outfile_fail(struct outfile *o, int e)
{
	if (o->name)
		cmd_error("cannot write '%s': %s", o->name, strerror(e));
	else
		cmd_error("cannot write to standard output: %s", strerror(e));
	outfile_abort(o);
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	o->f = NULL;
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}
