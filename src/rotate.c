/* rotate.c: in-place rewrite of rotated logs through a temp file and rename(2). */
#include "rotate.h"

#include <stdint.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pipeline.h"
#include "signals.h"

/* Marks a file lognym wrote, so rewriting it again changes nothing even in
 * modes that are not idempotent by themselves (cryptopan). The mark names the
 * size and mtime the file had when written: a file overwritten in place
 * later (same inode, new raw content) no longer matches and is processed. */
#define MARK_NAME "user.lognym"

static void mark_value(const struct stat *st, off_t size, char *buf, size_t cap)
{
    snprintf(buf, cap, "anonymised size=%lld mtime=%lld.%09ld", (long long)size,
             (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static bool is_marked(int fd, const struct stat *st)
{
    char want[96], buf[96];
    mark_value(st, st->st_size, want, sizeof want);
    ssize_t n = fgetxattr(fd, MARK_NAME, buf, sizeof buf);
    return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

static bool is_gzip(int fd)
{
    unsigned char magic[2];
    return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

/* Directory part of path, for the temp file and the fsync after rename. */
static void dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, cap, ".");
    else if (slash == path)
        snprintf(dir, cap, "/");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

static int fail_errno(struct lgn_err *err, int code, const char *path, const char *what)
{
    return lgn_err_set(err, code, "%s: %s: %s", path, what, strerror(errno));
}

/* Gives the temp file the original's owner, group, mode and times. */
static int copy_metadata(int fd, const struct stat *st, const char *path, struct lgn_err *err)
{
    struct stat now;
    if (fstat(fd, &now) != 0)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot stat the temp file");
    if ((now.st_uid != st->st_uid || now.st_gid != st->st_gid) &&
        fchown(fd, st->st_uid, st->st_gid) != 0)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot keep the owner and group");
    if (fchmod(fd, st->st_mode & 07777) != 0)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot keep the mode");
    struct timespec times[2] = {st->st_atim, st->st_mtim};
    if (futimens(fd, times) != 0)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot keep the modification time");
    char mark[96];
    mark_value(st, now.st_size, mark, sizeof mark);
    if (fsetxattr(fd, MARK_NAME, mark, strlen(mark), 0) != 0 && errno != ENOTSUP && errno != EPERM)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot mark the file");
    return 0;
}

/* Runs the pipeline from path into tmp. */
static int anonymise_into(const struct lgn_config *base, const char *path, const char *tmp,
                          bool gzip, struct lgn_summary *sum,
                          void (*report)(bool error, const char *msg), struct lgn_err *err)
{
    struct lgn_config cfg = *base;
    cfg.output = tmp;
    cfg.gzip = gzip;
    cfg.line_buffered = false;
    cfg.n_inputs = 0;
    struct lgn_pipeline *p = lgn_pipeline_new(&cfg, sum, report, err);
    if (p == NULL)
        return -1;
    int rc = lgn_pipeline_file(p, path);
    if (rc == 0 && lgn_signal_stop_requested())
        rc = lgn_err_set(err, LGN_EXIT_INPUT, "%s: interrupted; the file is unchanged", path);
    if (rc == 0)
        rc = lgn_pipeline_finish(p);
    lgn_pipeline_free(p);
    return rc == 0 ? 0 : -1;
}

int lgn_rotate_file(const struct lgn_config *cfg, const char *path, struct lgn_summary *sum,
                    void (*report)(bool error, const char *msg), struct lgn_err *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return fail_errno(err, LGN_EXIT_INPUT, path, "cannot open"), err->exit_code;
    if (S_ISLNK(st.st_mode))
        return lgn_err_set(err, LGN_EXIT_INPUT,
                           "%s: is a symbolic link; rewrite the file it points to", path),
               err->exit_code;
    if (!S_ISREG(st.st_mode))
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s: not a regular file; refusing to rewrite it",
                           path),
               err->exit_code;
    /* rename(2) replaces one name: the raw copy would survive under the others. */
    if (st.st_nlink > 1)
        return lgn_err_set(err, LGN_EXIT_INPUT,
                           "%s: has %ju hard links; the raw log would survive under the other "
                           "name%s, so it is not rewritten",
                           path, (uintmax_t)st.st_nlink, st.st_nlink > 2 ? "s" : ""),
               err->exit_code;
    int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return fail_errno(err, LGN_EXIT_INPUT, path, "cannot open"), err->exit_code;
    bool marked = is_marked(in, &st), gzip = is_gzip(in);
    close(in);
    if (marked) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: already anonymised by lognym; left as it is", path);
        report(false, msg);
        return LGN_EXIT_OK;
    }

    char dir[4096], tmp[4352];
    dir_of(path, dir, sizeof dir);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.lognym-XXXXXX", dir, base) >= sizeof tmp)
        return lgn_err_set(err, LGN_EXIT_USAGE, "%s: path too long", path), err->exit_code;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot create a temp file beside it"),
               err->exit_code;

    int rc = anonymise_into(cfg, path, tmp, gzip, sum, report, err);
    /* A server still writing to the file would lose what it wrote once the
     * copy replaces it: refuse, and leave the file as it is. */
    struct stat after;
    if (rc == 0 &&
        (stat(path, &after) != 0 || after.st_ino != st.st_ino || after.st_size != st.st_size ||
         after.st_mtim.tv_sec != st.st_mtim.tv_sec || after.st_mtim.tv_nsec != st.st_mtim.tv_nsec))
        rc = lgn_err_set(err, LGN_EXIT_INPUT,
                         "%s: changed while being anonymised (is a server still writing to "
                         "it?); left as it was",
                         path);
    if (rc == 0)
        rc = copy_metadata(fd, &st, path, err);
    if (rc == 0 && fsync(fd) != 0)
        rc = fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot sync the temp file");
    if (rc == 0 && rename(tmp, path) != 0)
        rc = fail_errno(err, LGN_EXIT_OUTPUT, path, "cannot replace the file");
    close(fd);
    if (rc != 0) {
        unlink(tmp); /* the original was never touched */
        return err->exit_code;
    }
    /* Make the rename itself durable; the file is already anonymised, so a
     * failure here is reported but undoes nothing. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rc = dfd < 0 || fsync(dfd) != 0;
    if (rc != 0)
        fail_errno(err, LGN_EXIT_OUTPUT, path, "replaced, but cannot sync its directory");
    if (dfd >= 0)
        close(dfd);
    return rc != 0 ? err->exit_code : LGN_EXIT_OK;
}
