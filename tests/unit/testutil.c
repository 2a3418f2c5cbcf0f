/* testutil.c: shared unit-test fixtures (testutil.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char tmpdir[PATH_MAX];

int tu_tmpdir_setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    int n = snprintf(tmpdir, sizeof tmpdir, "%s/lognym-test-XXXXXX",
                     t != NULL && *t != '\0' ? t : "/tmp");
    if (n < 0 || (size_t)n >= sizeof tmpdir || mkdtemp(tmpdir) == NULL) {
        tmpdir[0] = '\0';
        return -1;
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

int tu_tmpdir_teardown(void **state)
{
    (void)state;
    if (tmpdir[0] == '\0')
        return -1;
    /* depth first, so each directory is empty when its turn comes; symbolic
     * links are removed, never followed */
    int rc = nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
    return rc == 0 ? 0 : -1;
}

const char *tu_tmpdir(void)
{
    return tmpdir;
}

const char *tu_path(const char *name)
{
    static char buf[8][PATH_MAX];
    static unsigned i;
    i = (i + 1) % 8;
    int n = snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < sizeof buf[i]);
    return buf[i];
}

void tu_write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

void tu_write_text(const char *path, const char *text)
{
    tu_write_file(path, text, strlen(text));
}

char *tu_read_file(const char *path, size_t *n)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    size_t len = (size_t)st.st_size;
    char *p = malloc(len + 1);
    assert_non_null(p);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(fd, p + got, len - got);
        assert_true(k > 0);
        got += (size_t)k;
    }
    assert_int_equal(close(fd), 0);
    p[len] = '\0';
    if (n != NULL)
        *n = len;
    return p;
}
