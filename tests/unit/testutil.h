/* testutil.h: fixtures shared by the unit tests: a temp dir for the test
 * group, removed with everything in it, and small file writers and readers.
 * The file helpers fail the current test (cmocka) when a call fails. */
#ifndef LGN_TESTUTIL_H
#define LGN_TESTUTIL_H

#include <stddef.h>

/* cmocka group set-up: creates $TMPDIR/lognym-test-XXXXXX (TMPDIR unset:
 * /tmp). 0, or -1 when it cannot. */
int tu_tmpdir_setup(void **state);
/* cmocka group tear-down: removes the temp dir and its whole tree (without
 * a shell); 0, or -1 when something could not be removed. */
int tu_tmpdir_teardown(void **state);

/* The temp dir made by tu_tmpdir_setup. */
const char *tu_tmpdir(void);
/* "TMPDIR/name". The result lives until eight more calls. */
const char *tu_path(const char *name);

/* Creates or truncates path (mode 0600) and writes n bytes. */
void tu_write_file(const char *path, const void *p, size_t n);
/* The same with a string. */
void tu_write_text(const char *path, const char *text);
/* The whole file, NUL-terminated, in memory the caller frees; its length
 * in *n when n is not NULL. */
char *tu_read_file(const char *path, size_t *n);

#endif
