/* test_output.c: unit tests for the buffered writer (plain, gzip, append, reopen, errors). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "output.h"
#include "testutil.h"

static int setup(void **state)
{
    umask(022); /* so created modes are predictable */
    return tu_tmpdir_setup(state);
}

/* Decompresses a (multi-member) gzip file with zlib's gz* reader. */
static char *gunzip_file(const char *path, size_t *n)
{
    gzFile g = gzopen(path, "rb");
    assert_non_null(g);
    size_t cap = 1 << 16, len = 0;
    char *p = malloc(cap);
    for (;;) {
        if (cap - len < 65536) {
            cap *= 2;
            p = realloc(p, cap);
        }
        int k = gzread(g, p + len, 65536);
        assert_true(k >= 0);
        if (k == 0)
            break;
        len += (size_t)k;
    }
    int errnum;
    gzerror(g, &errnum);
    assert_int_equal(errnum, Z_OK);
    assert_int_equal(gzclose(g), Z_OK);
    p[len] = '\0';
    *n = len;
    return p;
}

/* Also checks with gzip(1), which is stricter about member framing. */
static void gzip_t_ok(const char *path)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "command -v gzip >/dev/null || exit 0; gzip -t '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static void put(struct lgn_output *o, const char *s)
{
    struct lgn_err err = {0};
    assert_int_equal(lgn_output_write(o, s, strlen(s), &err), 0);
    assert_int_equal(lgn_output_end_line(o, &err), 0);
}

static char *make_text(size_t lines, size_t *len)
{
    char *p = malloc(lines * 48);
    size_t off = 0;
    uint32_t x = 7;
    for (size_t i = 0; i < lines; i++) {
        x = x * 1664525u + 1013904223u;
        off += (size_t)snprintf(p + off, 48, "%zu %08x GET /x?q=%u\n", i, (unsigned)x,
                                (unsigned)(x >> 20));
    }
    *len = off;
    return p;
}

static void test_plain_round_trip(void **state)
{
    (void)state;
    const char *p = tu_path("plain.log");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    assert_non_null(o);
    put(o, "hello\n");
    put(o, "world\n");
    /* Not line buffered on a regular file: nothing written yet. */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(lgn_output_close(o, &err), 0);
    size_t n;
    char *got = tu_read_file(p, &n);
    assert_string_equal(got, "hello\nworld\n");
    free(got);
}

static void test_large_writes(void **state)
{
    (void)state;
    size_t len;
    char *text = make_text(100000, &len);
    const char *names[] = {"big.log", "big.log.gz"};
    for (int k = 0; k < 2; k++) {
        const char *p = tu_path(names[k]);
        struct lgn_err err = {0};
        struct lgn_output *o = lgn_output_open(p, NULL, &err);
        assert_non_null(o);
        /* Mixed sizes: small pieces, a piece larger than the buffer, the rest. */
        size_t off = 0;
        for (int i = 0; i < 1000; i++, off += 37)
            assert_int_equal(lgn_output_write(o, text + off, 37, &err), 0);
        assert_int_equal(lgn_output_write(o, text + off, 300000, &err), 0);
        off += 300000;
        assert_int_equal(lgn_output_write(o, text + off, len - off, &err), 0);
        assert_int_equal(lgn_output_write(o, "", 0, &err), 0);
        assert_int_equal(lgn_output_close(o, &err), 0);
        size_t n;
        char *got = k == 0 ? tu_read_file(p, &n) : gunzip_file(p, &n);
        assert_int_equal(n, len);
        assert_memory_equal(got, text, len);
        free(got);
        if (k == 1) {
            gzip_t_ok(p);
            struct stat st;
            assert_int_equal(stat(p, &st), 0);
            assert_true((size_t)st.st_size < len / 2); /* it really is compressed */
        }
    }
    free(text);
}

static void test_append(void **state)
{
    (void)state;
    const char *p = tu_path("append.log");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    put(o, "a\n");
    assert_int_equal(lgn_output_close(o, &err), 0);
    o = lgn_output_open(p, NULL, &err);
    put(o, "b\n");
    assert_int_equal(lgn_output_close(o, &err), 0);
    size_t n;
    char *got = tu_read_file(p, &n);
    assert_string_equal(got, "a\nb\n");
    free(got);
}

static void test_mode(void **state)
{
    (void)state;
    const char *p = tu_path("mode.log");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    assert_non_null(o);
    assert_int_equal(lgn_output_close(o, &err), 0);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);

    struct lgn_output_opts opts = {.mode = 0600};
    p = tu_path("mode600.log");
    o = lgn_output_open(p, &opts, &err);
    assert_int_equal(lgn_output_close(o, &err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* An existing file keeps its mode. */
    assert_int_equal(chmod(p, 0644), 0);
    o = lgn_output_open(p, NULL, &err);
    assert_int_equal(lgn_output_close(o, &err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
}

static void test_gzip_round_trip_and_append(void **state)
{
    (void)state;
    /* By name, then by option on a name without .gz, appended as members. */
    const char *p = tu_path("out.log.gz");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    assert_non_null(o);
    put(o, "first\n");
    assert_int_equal(lgn_output_close(o, &err), 0);
    o = lgn_output_open(p, NULL, &err);
    put(o, "second\n");
    assert_int_equal(lgn_output_close(o, &err), 0);
    size_t n;
    char *got = gunzip_file(p, &n);
    assert_string_equal(got, "first\nsecond\n");
    free(got);
    gzip_t_ok(p);
    char cmd[400];
    snprintf(cmd, sizeof cmd,
             "command -v gzip >/dev/null || exit 0; test \"$(gzip -dc '%s')\" = \"$(printf "
             "'first\\nsecond')\"",
             p);
    assert_int_equal(system(cmd), 0);

    struct lgn_output_opts opts = {.gzip = true};
    p = tu_path("opt-gzip.log");
    o = lgn_output_open(p, &opts, &err);
    put(o, "zipped\n");
    assert_int_equal(lgn_output_close(o, &err), 0);
    got = tu_read_file(p, &n);
    assert_true(n > 2 && (unsigned char)got[0] == 0x1f && (unsigned char)got[1] == 0x8b);
    free(got);
    got = gunzip_file(p, &n);
    assert_string_equal(got, "zipped\n");
    free(got);

    /* Nothing written still leaves a valid (empty) member. */
    p = tu_path("empty.gz");
    o = lgn_output_open(p, NULL, &err);
    assert_int_equal(lgn_output_close(o, &err), 0);
    got = gunzip_file(p, &n);
    assert_int_equal(n, 0);
    free(got);
    gzip_t_ok(p);
}

static void test_reopen_after_rename(void **state)
{
    (void)state;
    const char *names[][2] = {{"rot.log", "rot.log.1"}, {"rot.log.gz", "rot.log.gz.1"}};
    for (int k = 0; k < 2; k++) {
        char cur[256], old[256];
        snprintf(cur, sizeof cur, "%s", tu_path(names[k][0]));
        snprintf(old, sizeof old, "%s", tu_path(names[k][1]));
        struct lgn_err err = {0};
        struct lgn_output *o = lgn_output_open(cur, NULL, &err);
        assert_non_null(o);
        put(o, "before\n");
        assert_int_equal(rename(cur, old), 0);
        put(o, "still old\n"); /* buffered: belongs to the file being rotated */
        assert_int_equal(lgn_output_reopen(o, &err), 0);
        struct stat st;
        assert_int_equal(stat(cur, &st), 0); /* created again at once */
        assert_int_equal(st.st_mode & 07777, 0640);
        put(o, "after\n");
        assert_int_equal(lgn_output_close(o, &err), 0);
        size_t n;
        char *a = k == 0 ? tu_read_file(old, &n) : gunzip_file(old, &n);
        char *b = k == 0 ? tu_read_file(cur, &n) : gunzip_file(cur, &n);
        assert_string_equal(a, "before\nstill old\n");
        assert_string_equal(b, "after\n");
        free(a);
        free(b);
        if (k == 1) {
            gzip_t_ok(old);
            gzip_t_ok(cur);
        }
    }
}

static void test_line_buffered_visible(void **state)
{
    (void)state;
    struct lgn_output_opts opts = {.line_buffered = true};
    const char *p = tu_path("lb.log");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, &opts, &err);
    assert_non_null(o);
    put(o, "now\n");
    size_t n;
    char *got = tu_read_file(p, &n);
    assert_string_equal(got, "now\n");
    free(got);
    assert_int_equal(lgn_output_close(o, &err), 0);

    /* gzip: a sync flush makes each line decodable before the trailer. */
    p = tu_path("lb.log.gz");
    o = lgn_output_open(p, &opts, &err);
    put(o, "line one\n");
    put(o, "line two\n");
    char *raw = tu_read_file(p, &n);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    char plain[256];
    zs.next_in = (unsigned char *)raw;
    zs.avail_in = (uInt)n;
    zs.next_out = (unsigned char *)plain;
    zs.avail_out = sizeof plain;
    int rc = inflate(&zs, Z_SYNC_FLUSH);
    assert_true(rc == Z_OK || rc == Z_BUF_ERROR);
    assert_int_equal(sizeof plain - zs.avail_out, 18);
    assert_memory_equal(plain, "line one\nline two\n", 18);
    inflateEnd(&zs);
    free(raw);
    assert_int_equal(lgn_output_close(o, &err), 0);
    gzip_t_ok(p);
}

static void test_fifo_is_line_buffered(void **state)
{
    (void)state;
    const char *p = tu_path("fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    int rfd = open(p, O_RDONLY | O_NONBLOCK); /* a reader must exist for the writer */
    assert_true(rfd >= 0);
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    assert_non_null(o);
    put(o, "piped\n");
    char buf[64];
    assert_int_equal(read(rfd, buf, sizeof buf), 6);
    assert_memory_equal(buf, "piped\n", 6);
    assert_int_equal(lgn_output_close(o, &err), 0);
    close(rfd);
}

static void test_flush(void **state)
{
    (void)state;
    const char *p = tu_path("flush.log");
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open(p, NULL, &err);
    assert_int_equal(lgn_output_write(o, "partial", 7, &err), 0);
    assert_int_equal(lgn_output_flush(o, &err), 0);
    size_t n;
    char *got = tu_read_file(p, &n);
    assert_string_equal(got, "partial");
    free(got);
    assert_int_equal(lgn_output_close(o, &err), 0);
}

static void test_write_error(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    const struct lgn_output_opts plain = {0}, gz = {.gzip = true};
    const struct lgn_output_opts *cases[] = {&plain, &gz};
    for (int k = 0; k < 2; k++) {
        struct lgn_err err = {0};
        struct lgn_output *o = lgn_output_open("/dev/full", cases[k], &err);
        assert_non_null(o);
        put(o, "lost\n"); /* buffered: no error yet */
        assert_int_equal(lgn_output_close(o, &err), -1);
        assert_int_equal(err.exit_code, LGN_EXIT_OUTPUT);
        assert_string_equal(err.msg, "/dev/full: write failed: No space left on device");
    }
    /* The error is sticky and also reported by flush. */
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open("/dev/full", NULL, &err);
    put(o, "x\n");
    assert_int_equal(lgn_output_flush(o, &err), -1);
    assert_non_null(strstr(err.msg, "No space left"));
    memset(&err, 0, sizeof err);
    assert_int_equal(lgn_output_flush(o, &err), -1);
    assert_non_null(strstr(err.msg, "No space left"));
    lgn_output_free(o);

    /* A large write fails at once. */
    char *big = calloc(1, 200000);
    o = lgn_output_open("/dev/full", NULL, &err);
    assert_int_equal(lgn_output_write(o, big, 200000, &err), -1);
    assert_non_null(strstr(err.msg, "No space left"));
    lgn_output_free(o);
    free(big);
}

static void test_open_error(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    const char *p = tu_path("no/such/dir.log");
    assert_null(lgn_output_open(p, NULL, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_OUTPUT);
    char want[300];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", p);
    assert_string_equal(err.msg, want);
    lgn_output_free(NULL);
    assert_int_equal(lgn_output_close(NULL, &err), 0);
}

static void test_stdout(void **state)
{
    (void)state;
    /* Opening stdout must not take it over: close leaves fd 1 open. */
    struct lgn_err err = {0};
    struct lgn_output *o = lgn_output_open("-", NULL, &err);
    assert_non_null(o);
    assert_int_equal(lgn_output_reopen(o, &err), 0); /* no-op */
    assert_int_equal(lgn_output_close(o, &err), 0);
    assert_true(fcntl(1, F_GETFD) >= 0);
    o = lgn_output_open(NULL, NULL, &err);
    assert_non_null(o);
    lgn_output_free(o);
    assert_true(fcntl(1, F_GETFD) >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_round_trip),
        cmocka_unit_test(test_large_writes),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_mode),
        cmocka_unit_test(test_gzip_round_trip_and_append),
        cmocka_unit_test(test_reopen_after_rename),
        cmocka_unit_test(test_line_buffered_visible),
        cmocka_unit_test(test_fifo_is_line_buffered),
        cmocka_unit_test(test_flush),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_open_error),
        cmocka_unit_test(test_stdout),
    };
    return cmocka_run_group_tests(tests, setup, tu_tmpdir_teardown);
}
