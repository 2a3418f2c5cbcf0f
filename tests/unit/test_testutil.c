/* test_testutil.c: unit tests for the shared fixtures (testutil.h): the temp
 * dir goes with its whole tree, links are not followed, files round-trip. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static void test_tree_removed_links_not_followed(void **state)
{
    (void)state;
    /* a file outside the temp dir, which a link inside points at */
    char outside[] = "/tmp/lognym-testutil-XXXXXX";
    int fd = mkstemp(outside);
    assert_true(fd >= 0);
    assert_int_equal(close(fd), 0);

    assert_int_equal(tu_tmpdir_setup(NULL), 0);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    assert_int_equal(mkdir(tu_path("a"), 0700), 0);
    assert_int_equal(mkdir(tu_path("a/b"), 0700), 0);
    tu_write_text(tu_path("a/b/c.txt"), "deep\n");
    tu_write_text(tu_path(".hidden"), "");
    assert_int_equal(symlink(outside, tu_path("a/link")), 0);
    assert_int_equal(mkdir(tu_path("ro"), 0700), 0);
    tu_write_text(tu_path("ro/f"), "x");
    assert_int_equal(chmod(tu_path("ro/f"), 0400), 0);

    assert_int_equal(tu_tmpdir_teardown(NULL), 0);
    struct stat st;
    assert_int_equal(lstat(dir, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(stat(outside, &st), 0); /* the link's target stays */
    assert_int_equal(unlink(outside), 0);
    /* a second tear-down has nothing to remove: an error, not a crash */
    assert_int_equal(tu_tmpdir_teardown(NULL), -1);
}

static void test_files_round_trip(void **state)
{
    (void)state;
    assert_int_equal(tu_tmpdir_setup(NULL), 0);
    const char *p = tu_path("bin");
    static const char data[] = "a\0b\nc";
    tu_write_file(p, data, sizeof data - 1);
    size_t n = 0;
    char *got = tu_read_file(p, &n);
    assert_int_equal(n, sizeof data - 1);
    assert_memory_equal(got, data, n);
    assert_int_equal(got[n], '\0');
    free(got);
    tu_write_text(p, "short"); /* truncates */
    got = tu_read_file(p, NULL);
    assert_string_equal(got, "short");
    free(got);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(tu_tmpdir_teardown(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_removed_links_not_followed),
        cmocka_unit_test(test_files_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
