/* report_save.c: writes a report in one of its formats to a path, atomically. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "report_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_report(const struct lgn_report *r, enum lgn_report_format fmt, FILE *f,
                        unsigned top, struct lgn_err *err)
{
    return fmt == LGN_REPORT_JSON   ? lgn_report_write_json(r, f, err)
           : fmt == LGN_REPORT_TEXT ? lgn_report_write_text(r, f, top, err)
                                    : lgn_report_write_html(r, f, top, err);
}

/* A device or FIFO (/dev/null, /dev/stdout) is written in place: replacing
 * it by a file would break it for everyone. */
static int save_in_place(const struct lgn_report *r, enum lgn_report_format fmt, const char *path,
                         unsigned top, struct lgn_err *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
    int rc = write_report(r, fmt, f, top, err);
    if ((fclose(f) != 0 || rc != 0) && rc == 0)
        rc = lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
    return rc;
}

int lgn_report_save(const struct lgn_report *r, enum lgn_report_format fmt, const char *path,
                    unsigned top, struct lgn_err *err)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        int rc = write_report(r, fmt, stdout, top, err);
        if (rc == 0 && fflush(stdout) != 0)
            return lgn_err_set(err, LGN_EXIT_OUTPUT, "stdout: %s", strerror(errno));
        return rc;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return save_in_place(r, fmt, path, top, err);
    /* A symbolic link stays one: its target is what gets replaced. */
    char *target = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    if (target != NULL)
        path = target;
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (tmp == NULL) {
        free(target);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        free(tmp);
        free(target);
        return -1;
    }
    fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    if (write_report(r, fmt, f, top, err) != 0) {
        fclose(f);
        goto fail;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        fclose(f);
        goto fail;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        goto fail;
    }
    free(tmp);
    free(target);
    return 0;
fail:
    unlink(tmp);
    free(tmp);
    free(target);
    return -1;
}

/* The directory part of path ("." when it has none), into out. */
static void dir_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

int lgn_report_check_path(const char *path, bool is_dir, struct lgn_err *err)
{
    struct stat st;
    if (strcmp(path, "-") == 0 && !is_dir)
        return 0;
    if (stat(path, &st) == 0) {
        if (is_dir && !S_ISDIR(st.st_mode))
            return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: not a directory", path);
        if (!is_dir && S_ISDIR(st.st_mode))
            return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: is a directory", path);
        if ((is_dir || !S_ISREG(st.st_mode)) && access(path, W_OK) != 0)
            return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        if (is_dir || !S_ISREG(st.st_mode))
            return 0;
    }
    /* A new file, or one replaced by rename: its directory must take files
     * (for a symbolic link, the directory of its target). */
    char *target = realpath(path, NULL);
    char dir[4096];
    dir_of(target != NULL ? target : path, dir, sizeof dir);
    free(target);
    if (stat(dir, &st) != 0)
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: directory %s: %s", path, dir,
                           strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s is not a directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: directory %s: %s", path, dir,
                           strerror(errno));
    return 0;
}
