/* test_input.c: unit tests for the line reader (plain, gzip, limits, errors, stdin). */
#define _GNU_SOURCE /* mallinfo2, to check the reader's memory stays bounded */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cmocka.h>

#include "input.h"
#include "signals.h"
#include "testutil.h"

/* Writes one gzip member per part; gzopen's "ab" starts a new member. */
static void write_gz(const char *path, const char *const *parts, const size_t *lens, int nparts)
{
    unlink(path);
    for (int i = 0; i < nparts; i++) {
        gzFile g = gzopen(path, "ab");
        assert_non_null(g);
        if (lens[i] > 0)
            assert_int_equal(gzwrite(g, parts[i], (unsigned)lens[i]), (int)lens[i]);
        assert_int_equal(gzclose(g), Z_OK);
    }
}

/* text as a gzip file of one member. */
static void write_gz1(const char *path, const char *text, size_t len)
{
    write_gz(path, &text, &len, 1);
}

/* Deterministic, poorly compressible log-like lines: "N <hex noise>\n". */
static char *make_lines(int n, size_t *len)
{
    size_t cap = (size_t)n * 64, off = 0;
    char *p = malloc(cap);
    uint32_t x = 12345;
    for (int i = 1; i <= n; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t y = x * 2654435761u;
        off += (size_t)snprintf(p + off, cap - off, "%d %08x%08x GET /p/%u\n", i, (unsigned)x,
                                (unsigned)y, (unsigned)(x % 1000));
    }
    *len = off;
    return p;
}

/* Checks every line returned equals line i (1-based) of the expected text. */
static int count_matching(struct lgn_input *in, const char *text, size_t textlen, int *rc_out,
                          struct lgn_err *err)
{
    struct lgn_line l;
    const char *pos = text, *end = text + textlen;
    int n = 0, rc;
    while ((rc = lgn_input_next(in, &l, err)) == 1) {
        assert_false(l.too_long);
        assert_true(pos < end);
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        size_t want = nl != NULL ? (size_t)(nl - pos) : (size_t)(end - pos);
        assert_int_equal(l.len, want);
        assert_memory_equal(l.p, pos, want);
        n++;
        assert_int_equal(l.lineno, (uint64_t)n);
        pos += want + 1;
    }
    *rc_out = rc;
    return n;
}

struct line_copy {
    char *p;
    size_t len;
    uint64_t lineno;
    bool had_newline, too_long;
};

/* Reads all lines of path into copies; returns the count, stores the final rc. */
static int read_all(const char *path, struct line_copy *out, int max, int *rc_out,
                    struct lgn_err *err)
{
    struct lgn_input *in = lgn_input_open(path, NULL, err);
    assert_non_null(in);
    struct lgn_line l;
    int n = 0, rc;
    while ((rc = lgn_input_next(in, &l, err)) == 1) {
        assert_true(n < max);
        out[n].len = l.len;
        out[n].lineno = l.lineno;
        out[n].had_newline = l.had_newline;
        out[n].too_long = l.too_long;
        out[n].p = NULL;
        if (!l.too_long) {
            out[n].p = malloc(l.len + 1);
            memcpy(out[n].p, l.p, l.len);
            out[n].p[l.len] = '\0';
        } else {
            assert_null(l.p);
        }
        n++;
    }
    *rc_out = rc;
    lgn_input_close(in);
    return n;
}

static void free_copies(struct line_copy *c, int n)
{
    for (int i = 0; i < n; i++)
        free(c[i].p);
}

static void test_plain_lines(void **state)
{
    (void)state;
    const char *p = tu_path("plain.log");
    tu_write_file(p, "one\ntwo\nthree\n", 14);
    struct lgn_err err = {0};
    struct line_copy c[8];
    int rc;
    int n = read_all(p, c, 8, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    assert_string_equal(c[0].p, "one");
    assert_string_equal(c[1].p, "two");
    assert_string_equal(c[2].p, "three");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c[i].lineno, (uint64_t)i + 1);
        assert_true(c[i].had_newline);
    }
    free_copies(c, n);
}

static void test_last_line_without_newline(void **state)
{
    (void)state;
    const char *p = tu_path("nonl.log");
    tu_write_file(p, "a\nlast", 6);
    struct lgn_err err = {0};
    struct line_copy c[4];
    int rc;
    int n = read_all(p, c, 4, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 2);
    assert_true(c[0].had_newline);
    assert_string_equal(c[1].p, "last");
    assert_false(c[1].had_newline);
    assert_int_equal(c[1].lineno, 2);
    free_copies(c, n);
}

static void test_empty_file_and_empty_lines(void **state)
{
    (void)state;
    const char *p = tu_path("empty.log");
    tu_write_file(p, "", 0);
    struct lgn_err err = {0};
    struct line_copy c[8];
    int rc;
    assert_int_equal(read_all(p, c, 8, &rc, &err), 0);
    assert_int_equal(rc, 0);

    tu_write_file(p, "\n\nx\n\n", 5);
    int n = read_all(p, c, 8, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 4);
    assert_int_equal(c[0].len, 0);
    assert_int_equal(c[1].len, 0);
    assert_string_equal(c[2].p, "x");
    assert_int_equal(c[3].len, 0);
    assert_true(c[3].had_newline);
    free_copies(c, n);
}

static void test_crlf_and_nul_passed_through(void **state)
{
    (void)state;
    const char *p = tu_path("crlf.log");
    const char data[] = "a\r\nb\0c\r\n\r\n";
    tu_write_file(p, data, sizeof data - 1);
    struct lgn_err err = {0};
    struct line_copy c[8];
    int rc;
    int n = read_all(p, c, 8, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    assert_int_equal(c[0].len, 2);
    assert_memory_equal(c[0].p, "a\r", 2);
    assert_int_equal(c[1].len, 4);
    assert_memory_equal(c[1].p, "b\0c\r", 4);
    assert_int_equal(c[2].len, 1);
    assert_memory_equal(c[2].p, "\r", 1);
    free_copies(c, n);
}

static void test_many_lines_straddle_buffers(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(200000, &len); /* several MiB: many refills */
    const char *p = tu_path("many.log");
    tu_write_file(p, text, len);
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    assert_int_equal(lgn_input_size(in), (int64_t)len);
    int rc;
    assert_int_equal(count_matching(in, text, len, &rc, &err), 200000);
    assert_int_equal(rc, 0);
    assert_int_equal(lgn_input_offset(in), (uint64_t)len);
    assert_int_equal(lgn_input_next(in, &(struct lgn_line){0}, &err), 0); /* stays at end */
    lgn_input_close(in);
    free(text);
}

static void test_line_exactly_max(void **state)
{
    (void)state;
    size_t n = LGN_LINE_MAX;
    char *buf = malloc(n + 16);
    memcpy(buf, "x\n", 2);
    memset(buf + 2, 'a', n);
    buf[2 + n] = '\n';
    memcpy(buf + 3 + n, "y\n", 2);
    const char *p = tu_path("max.log");
    tu_write_file(p, buf, n + 5);
    struct lgn_err err = {0};
    struct line_copy c[8];
    int rc;
    int got = read_all(p, c, 8, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(got, 3);
    assert_false(c[1].too_long);
    assert_int_equal(c[1].len, n);
    assert_memory_equal(c[1].p, buf + 2, n);
    assert_string_equal(c[2].p, "y");
    free_copies(c, got);

    /* The same line at EOF without '\n' is still a line. */
    tu_write_file(p, buf + 2, n);
    got = read_all(p, c, 8, &rc, &err);
    assert_int_equal(got, 1);
    assert_false(c[0].too_long);
    assert_false(c[0].had_newline);
    assert_int_equal(c[0].len, n);
    free_copies(c, got);

    /* One byte more is too long, with or without a newline. */
    memset(buf, 'b', n + 1);
    tu_write_file(p, buf, n + 1);
    got = read_all(p, c, 8, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(got, 1);
    assert_true(c[0].too_long);
    assert_false(c[0].had_newline);
    assert_int_equal(c[0].len, n + 1);
    buf[n + 1] = '\n';
    tu_write_file(p, buf, n + 2);
    got = read_all(p, c, 8, &rc, &err);
    assert_int_equal(got, 1);
    assert_true(c[0].too_long);
    assert_true(c[0].had_newline);
    assert_int_equal(c[0].len, n + 1);
    free(buf);
}

static size_t heap_in_use(void)
{
#ifdef __GLIBC__
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

static void test_too_long_line_bounded(void **state)
{
    (void)state;
    const size_t big = 16u * 1024 * 1024 + 7; /* 16 MiB line */
    const char *p = tu_path("long.log");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "first\n", 6), 6);
    char chunk[65536];
    memset(chunk, 'z', sizeof chunk);
    for (size_t done = 0; done < big;) {
        size_t k = big - done < sizeof chunk ? big - done : sizeof chunk;
        assert_int_equal(write(fd, chunk, k), (ssize_t)k);
        done += k;
    }
    assert_int_equal(write(fd, "\nafter\nend", 10), 10);
    close(fd);

    size_t before = heap_in_use();
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    struct lgn_line l;
    assert_int_equal(lgn_input_next(in, &l, &err), 1);
    assert_int_equal(l.len, 5);
    assert_memory_equal(l.p, "first", 5);
    assert_int_equal(lgn_input_next(in, &l, &err), 1);
    assert_true(l.too_long);
    assert_null(l.p);
    assert_int_equal(l.len, big);
    assert_int_equal(l.lineno, 2);
    assert_true(l.had_newline);
    size_t during = heap_in_use();
    assert_int_equal(lgn_input_next(in, &l, &err), 1);
    assert_false(l.too_long);
    assert_int_equal(l.len, 5);
    assert_memory_equal(l.p, "after", 5);
    assert_int_equal(l.lineno, 3);
    assert_int_equal(lgn_input_next(in, &l, &err), 1);
    assert_memory_equal(l.p, "end", 3);
    assert_false(l.had_newline);
    assert_int_equal(lgn_input_next(in, &l, &err), 0);
    lgn_input_close(in);
    /* Bounded: line max + slack + read buffers, far below the 16 MiB line. */
    assert_true(during - before < (size_t)LGN_LINE_MAX + 512 * 1024);
}

static void test_gzip_single_member(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(50000, &len);
    const char *p = tu_path("one.gz");
    write_gz1(p, text, len);
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    int rc;
    assert_int_equal(count_matching(in, text, len, &rc, &err), 50000);
    assert_int_equal(rc, 0);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(lgn_input_offset(in), (uint64_t)st.st_size);
    assert_int_equal(lgn_input_size(in), (int64_t)st.st_size);
    lgn_input_close(in);
    free(text);
}

static void test_gzip_detected_by_magic_not_name(void **state)
{
    (void)state;
    const char *p = tu_path("looks-plain.log");
    write_gz1(p, "hello\nworld\n", 12);
    struct lgn_err err = {0};
    struct line_copy c[4];
    int rc;
    int n = read_all(p, c, 4, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].p, "hello");
    assert_string_equal(c[1].p, "world");
    free_copies(c, n);

    /* A plain file named .gz is read as plain text. */
    p = tu_path("plain.gz");
    tu_write_file(p, "not gzip\n", 9);
    n = read_all(p, c, 4, &rc, &err);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].p, "not gzip");
    free_copies(c, n);
}

static void test_gzip_multi_member(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(120000, &len);
    /* Members split mid-line, plus an empty member, as `cat a.gz b.gz` would. */
    size_t a = len / 3 + 5, b = len / 3;
    const char *parts[] = {text, text + a, "", text + a + b};
    size_t lens[] = {a, b, 0, len - a - b};
    const char *p = tu_path("multi.gz");
    write_gz(p, parts, lens, 4);
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    int rc;
    assert_int_equal(count_matching(in, text, len, &rc, &err), 120000);
    assert_int_equal(rc, 0);
    lgn_input_close(in);

    /* Small members: one line split over two members. */
    const char *parts2[] = {"ab", "c\nde", "f"};
    size_t lens2[] = {2, 4, 1};
    write_gz(p, parts2, lens2, 3);
    struct line_copy c[4];
    int n = read_all(p, c, 4, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].p, "abc");
    assert_string_equal(c[1].p, "def");
    assert_false(c[1].had_newline);
    free_copies(c, n);
    free(text);
}

static void test_gzip_trailing_zeros_and_garbage(void **state)
{
    (void)state;
    const char *p = tu_path("pad.gz");
    write_gz1(p, "x\n", 2);
    size_t n;
    char *gz = tu_read_file(p, &n);
    char *padded = calloc(1, n + 512);
    memcpy(padded, gz, n);
    tu_write_file(p, padded, n + 512);
    struct lgn_err err = {0};
    struct line_copy c[4];
    int rc;
    int got = read_all(p, c, 4, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(got, 1);
    free_copies(c, got);

    memcpy(padded + n, "garbage\n", 8);
    tu_write_file(p, padded, n + 8);
    got = read_all(p, c, 4, &rc, &err);
    assert_int_equal(got, 1); /* the good member's line comes first */
    assert_int_equal(rc, -1);
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "corrupt gzip"));
    free_copies(c, got);
    free(gz);
    free(padded);
}

static void test_gzip_truncated(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(60000, &len);
    const char *p = tu_path("trunc.gz");
    write_gz1(p, text, len);
    size_t gzlen;
    char *gz = tu_read_file(p, &gzlen);
    size_t cut = gzlen / 2;
    tu_write_file(p, gz, cut);

    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    int rc;
    int n = count_matching(in, text, len, &rc, &err);
    assert_int_equal(rc, -1);
    assert_true(n > 1000 && n < 60000);
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    char want[128];
    snprintf(want, sizeof want, "%s: gzip data truncated at byte %zu", p, cut);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "all lines before it were processed"));
    assert_non_null(strstr(err.msg, "partial line")); /* a random cut splits a line */
    assert_int_equal(lgn_input_next(in, &(struct lgn_line){0}, &err), -1); /* stays failed */
    lgn_input_close(in);

    /* Cut inside the trailer: all lines are there, yet the member is incomplete. */
    tu_write_file(p, gz, gzlen - 4);
    in = lgn_input_open(p, NULL, &err);
    n = count_matching(in, text, len, &rc, &err);
    assert_int_equal(n, 60000);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.msg, "truncated"));
    assert_null(strstr(err.msg, "partial line"));
    lgn_input_close(in);

    /* Only the magic bytes. */
    tu_write_file(p, gz, 2);
    in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    assert_int_equal(lgn_input_next(in, &(struct lgn_line){0}, &err), -1);
    assert_non_null(strstr(err.msg, "truncated at byte 2"));
    lgn_input_close(in);
    free(gz);
    free(text);
}

static void test_gzip_corrupt(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(60000, &len);
    const char *p = tu_path("corrupt.gz");
    write_gz1(p, text, len);
    size_t gzlen;
    char *gz = tu_read_file(p, &gzlen);
    for (size_t i = gzlen / 2; i < gzlen / 2 + 64; i++)
        gz[i] = (char)(gz[i] ^ 0x5a);
    tu_write_file(p, gz, gzlen);

    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(p, NULL, &err);
    assert_non_null(in);
    struct lgn_line l;
    int rc;
    while ((rc = lgn_input_next(in, &l, &err)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    assert_non_null(strstr(err.msg, p));
    assert_non_null(strstr(err.msg, "corrupt gzip data at byte "));
    lgn_input_close(in);

    /* A bad CRC in the trailer is caught too. */
    write_gz1(p, text, len);
    free(gz);
    gz = tu_read_file(p, &gzlen);
    gz[gzlen - 8] = (char)(gz[gzlen - 8] ^ 1);
    tu_write_file(p, gz, gzlen);
    in = lgn_input_open(p, NULL, &err);
    while ((rc = lgn_input_next(in, &l, &err)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.msg, "corrupt gzip"));
    lgn_input_close(in);
    free(gz);
    free(text);
}

static void test_refuses_other_compressors(void **state)
{
    (void)state;
    static const struct {
        const char *magic;
        size_t len;
        const char *kind;
    } cases[] = {
        {"BZh91AY&SY", 10, "bzip2"},
        {"\xfd\x37\x7a\x58\x5a\x00\x00\x04", 8, "xz"},
        {"\x28\xb5\x2f\xfd\x24\x00", 6, "zstd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = tu_path("packed.log");
        tu_write_file(p, cases[i].magic, cases[i].len);
        struct lgn_err err = {0};
        assert_null(lgn_input_open(p, NULL, &err));
        assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
        char want[512];
        snprintf(want, sizeof want,
                 "%s: looks like %s-compressed data; decompress it first (%s -dc %s | lognym)", p,
                 cases[i].kind, cases[i].kind, p);
        assert_string_equal(err.msg, want);
    }
    /* A real xz file from the tool, when it is installed. */
    const char *src = tu_path("real.log");
    tu_write_file(src, "hello\n", 6);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "xz -kf '%s' 2>/dev/null", src);
    if (system(cmd) == 0) {
        struct lgn_err err = {0};
        assert_null(lgn_input_open(tu_path("real.log.xz"), NULL, &err));
        assert_non_null(strstr(err.msg, "looks like xz-compressed data"));
    }
}

static void test_open_errors(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    const char *p = tu_path("missing.log");
    assert_null(lgn_input_open(p, NULL, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    char want[300];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", p);
    assert_string_equal(err.msg, want);

    memset(&err, 0, sizeof err);
    assert_null(lgn_input_open(tu_tmpdir(), NULL, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    snprintf(want, sizeof want, "%s: cannot open: Is a directory", tu_tmpdir());
    assert_string_equal(err.msg, want);

    lgn_input_close(NULL);
}

/* The write end of the gate of with_stdin_pipe_gated (-1: no gate): the
 * before_read callbacks open it with one byte each time they are called. */
static int gate_fd = -1;

static void open_gate(void)
{
    if (gate_fd >= 0)
        (void)!write(gate_fd, "g", 1); /* non-blocking: a full gate is open enough */
}

/* In the writer: waits for the next byte through the gate, at most 10 s
 * (false then: the reader never said it was waiting). */
static bool pass_gate(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    char c;
    return poll(&p, 1, 10000) == 1 && read(fd, &c, 1) == 1;
}

/* Runs fn with fd 0 replaced by the read end of a pipe that a child process
 * fills with data, `piece` bytes per write (0: all at once). With gate_at >
 * 0 the child writes nothing before the reader's before_read callback has
 * been called once (the reader waits for its first bytes), and nothing from
 * byte gate_at on before it has been called a second time: so the reader
 * must wait twice, however the two processes are scheduled. The child exits
 * with 3 when a gate stayed shut for 10 s (the reader never waited); the
 * gated count is checked here. */
static void with_stdin_pipe_gated(const char *data, size_t len, size_t piece, size_t gate_at,
                                  void (*fn)(const char *, size_t))
{
    int fds[2], gate[2] = {-1, -1};
    assert_int_equal(pipe(fds), 0);
    if (gate_at > 0) {
        assert_int_equal(pipe(gate), 0);
        assert_int_equal(fcntl(gate[1], F_SETFL, O_NONBLOCK), 0);
    }
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (gate_at > 0)
            close(gate[1]);
        bool waited = gate_at == 0 || pass_gate(gate[0]);
        size_t step = piece == 0 ? len : piece;
        for (size_t off = 0; off < len;) {
            size_t k = len - off < step ? len - off : step;
            if (off < gate_at && off + k > gate_at)
                k = gate_at - off;
            if (write(fds[1], data + off, k) != (ssize_t)k)
                _exit(1);
            off += k;
            if (off == gate_at)
                waited = pass_gate(gate[0]) && waited;
        }
        _exit(waited ? 0 : 3);
    }
    close(fds[1]);
    gate_fd = gate[1]; /* gate[0] stays open here too: a late byte never raises SIGPIPE */
    int saved = dup(0);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fds[0], 0), 0);
    close(fds[0]);
    fn(data, len);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    gate_fd = -1;
    if (gate_at > 0) {
        close(gate[0]);
        close(gate[1]);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0); /* both gates opened by the reader's waits */
}

static void with_stdin_pipe(const char *data, size_t len, size_t piece,
                            void (*fn)(const char *, size_t))
{
    with_stdin_pipe_gated(data, len, piece, 0, fn);
}

static int reads_seen;

static void count_reads(void *ctx)
{
    assert_ptr_equal(ctx, &reads_seen);
    reads_seen++;
    open_gate();
}

static void check_stdin_text(const char *data, size_t len)
{
    struct lgn_err err = {0};
    struct lgn_input_opts opts = {count_reads, &reads_seen};
    reads_seen = 0;
    struct lgn_input *in = lgn_input_open("-", &opts, &err);
    assert_non_null(in);
    assert_string_equal(lgn_input_name(in), "(stdin)");
    assert_int_equal(lgn_input_size(in), -1);
    int rc;
    int n = count_matching(in, data, len, &rc, &err);
    assert_int_equal(rc, 0);
    assert_true(n > 0);
    assert_int_equal(lgn_input_offset(in), (uint64_t)len);
    lgn_input_close(in);
    /* fd 0 stays open for whoever owns it. */
    assert_true(fcntl(0, F_GETFD) >= 0);
}

static void test_stdin_pipe(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(20000, &len);
    with_stdin_pipe(text, len, 0, check_stdin_text);
    free(text);
    /* Tiny writes: lines and the magic sniff straddle many short reads. */
    static const char small[] = "\x1fstarts like gzip\nsecond\nthird line no newline";
    with_stdin_pipe(small, sizeof small - 1, 1, check_stdin_text);
    text = make_lines(3000, &len);
    with_stdin_pipe(text, len, 7, check_stdin_text);
    free(text);
}

static void check_stdin_gzip(const char *data, size_t len)
{
    (void)data;
    (void)len;
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open("-", NULL, &err);
    assert_non_null(in);
    struct lgn_line l;
    int n = 0, rc;
    while ((rc = lgn_input_next(in, &l, &err)) == 1) {
        char want[32];
        int k = snprintf(want, sizeof want, "line %d", ++n);
        assert_int_equal(l.len, (size_t)k);
        assert_memory_equal(l.p, want, (size_t)k);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 5000);
    lgn_input_close(in);
}

/* "line 1" to "line 5000" as a gzip file of two members (the first ends
 * after 1000 bytes) at tu_path(name); returns the file's bytes. */
static char *two_member_gzip(const char *name, size_t *gzlen)
{
    char *text = malloc(5000 * 16);
    assert_non_null(text);
    size_t len = 0;
    for (int i = 1; i <= 5000; i++)
        len += (size_t)snprintf(text + len, 16, "line %d\n", i);
    const char *p = tu_path(name);
    const char *parts[] = {text, text + 1000};
    size_t lens[] = {1000, len - 1000};
    write_gz(p, parts, lens, 2);
    free(text);
    return tu_read_file(p, gzlen);
}

static void test_stdin_gzip_multi_member(void **state)
{
    (void)state;
    size_t gzlen;
    char *gz = two_member_gzip("stdin.gz", &gzlen);
    with_stdin_pipe(gz, gzlen, 100, check_stdin_gzip);
    free(gz);
}

/* In a child whose stdin is a pipe holding "done\n" and maybe a partial
 * line, with a writer that stays silent: reads "done", then expects the end
 * a stop signal brings. Returns the child's exit status (0: as expected). */
static int read_done_until_stop(const struct lgn_input_opts *opts)
{
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open("-", opts, &err);
    struct lgn_line l;
    if (in == NULL || lgn_input_next(in, &l, &err) != 1 || l.len != 4)
        return 12;
    if (lgn_input_next(in, &l, &err) != 0)
        return 13;
    lgn_input_close(in);
    return 0;
}

/* Forks a process that sends SIGTERM to this one 200 ms later. */
static pid_t term_me_soon(void)
{
    pid_t me = getpid();
    pid_t killer = fork();
    if (killer == 0) {
        nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
        kill(me, SIGTERM);
        _exit(0);
    }
    return killer;
}

static void expect_child_ok(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_stop_signal_ends_input(void **state)
{
    (void)state;
    /* In a child: the stop flag is process-wide. A pipe whose writer stays
     * silent blocks the read until SIGTERM arrives; the reader then ends
     * cleanly and drops the unfinished line. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lgn_signals_install();
        int fds[2];
        if (pipe(fds) != 0 || write(fds[1], "done\npartial", 12) != 12)
            _exit(10);
        pid_t killer = term_me_soon();
        if (dup2(fds[0], 0) != 0)
            _exit(11);
        int rc = read_done_until_stop(NULL);
        waitpid(killer, NULL, 0);
        _exit(rc);
    }
    expect_child_ok(pid);
}

static void stop_now(void *ctx)
{
    (void)ctx;
    raise(SIGTERM); /* handled before the read starts: it would not interrupt it */
}

static void test_stop_signal_during_before_read(void **state)
{
    (void)state;
    /* In a child: SIGTERM taken while before_read flushed (not during the
     * read) still ends the input, though the writer stays silent. alarm()
     * kills the child if the reader hangs. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lgn_signals_install();
        alarm(5);
        int fds[2];
        if (pipe(fds) != 0 || write(fds[1], "done\n", 5) != 5 || dup2(fds[0], 0) != 0)
            _exit(10);
        struct lgn_input_opts opts = {stop_now, NULL};
        _exit(read_done_until_stop(&opts));
    }
    expect_child_ok(pid);
}

/* Reads a plain and a gzip reader in lockstep: every line must match. */
static void expect_same_lines(struct lgn_input *plain, struct lgn_input *gz, int *lines)
{
    struct lgn_err e1 = {0}, e2 = {0};
    struct lgn_line a, b;
    int n = 0, r1, r2;
    for (;;) {
        r1 = lgn_input_next(plain, &a, &e1);
        r2 = lgn_input_next(gz, &b, &e2);
        assert_int_equal(r1, r2);
        if (r1 != 1)
            break;
        n++;
        assert_int_equal(a.lineno, b.lineno);
        assert_int_equal(a.len, b.len);
        assert_int_equal(a.had_newline, b.had_newline);
        assert_int_equal(a.too_long, b.too_long);
        if (!a.too_long)
            assert_memory_equal(a.p, b.p, a.len);
        else
            assert_null(b.p);
    }
    assert_int_equal(r1, 0);
    *lines = n;
}

/* Big text: many short lines, an overlong line, one of exactly LGN_LINE_MAX,
 * more lines and a last line without '\n'. */
static char *make_big_text(size_t *len, int *nlines)
{
    size_t a, b;
    char *head = make_lines(300000, &a);
    char *tail = make_lines(100000, &b);
    size_t longlen = (size_t)LGN_LINE_MAX + LGN_LINE_MAX / 2, maxlen = LGN_LINE_MAX;
    size_t cap = a + b + longlen + maxlen + 64;
    char *p = malloc(cap), *q = p;
    memcpy(q, head, a), q += a;
    memset(q, 'L', longlen), q += longlen;
    *q++ = '\n';
    memset(q, 'M', maxlen), q += maxlen;
    *q++ = '\n';
    memcpy(q, tail, b), q += b;
    memcpy(q, "last line, no newline", 21), q += 21;
    *len = (size_t)(q - p);
    *nlines = 300000 + 2 + 100000 + 1;
    free(head);
    free(tail);
    return p;
}

/* Members of very different sizes (tiny, empty, several MiB), split mid-line. */
static void write_gz_members(const char *path, const char *text, size_t len)
{
    const size_t cuts[] = {1, 7, 4096, 300000, 300000, 2000000, 5000000, 9000000, 9000100};
    const char *parts[16];
    size_t lens[16];
    int n = 0;
    size_t at = 0;
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0] && cuts[i] < len; i++) {
        parts[n] = text + at;
        lens[n++] = cuts[i] - at; /* 0 for the repeated cut: an empty member */
        at = cuts[i];
    }
    parts[n] = text + at;
    lens[n++] = len - at;
    write_gz(path, parts, lens, n);
}

static void test_gzip_threaded_matches_plain(void **state)
{
    (void)state;
    size_t len;
    int want;
    char *text = make_big_text(&len, &want);
    const char *pp = tu_path("big.log"), *gp = tu_path("big.log.gz");
    tu_write_file(pp, text, len);
    write_gz_members(gp, text, len);

    size_t before = heap_in_use();
    struct lgn_err err = {0};
    struct lgn_input *plain = lgn_input_open(pp, NULL, &err);
    assert_non_null(plain);
    struct lgn_input *gz = lgn_input_open(gp, NULL, &err);
    assert_non_null(gz);
    int n;
    expect_same_lines(plain, gz, &n);
    assert_int_equal(n, want);
    struct stat st;
    assert_int_equal(stat(gp, &st), 0);
    assert_int_equal(lgn_input_offset(gz), (uint64_t)st.st_size);
    /* Two line buffers, zlib, the ring: a few MiB, whatever the input size. */
    assert_true(heap_in_use() - before < 2 * (size_t)LGN_LINE_MAX + 4 * 1024 * 1024);
    assert_int_equal(lgn_input_next(gz, &(struct lgn_line){0}, &err), 0); /* stays at end */
    lgn_input_close(gz);
    lgn_input_close(plain);
    free(text);
}

static const char *big_plain_path;
static int big_lines;

static void check_stdin_big_gzip(const char *data, size_t len)
{
    (void)data;
    (void)len;
    struct lgn_err err = {0};
    struct lgn_input *plain = lgn_input_open(big_plain_path, NULL, &err);
    assert_non_null(plain);
    struct lgn_input *gz = lgn_input_open("-", NULL, &err);
    assert_non_null(gz);
    int n;
    expect_same_lines(plain, gz, &n);
    assert_int_equal(n, big_lines);
    assert_int_equal(lgn_input_offset(gz), (uint64_t)len);
    lgn_input_close(gz);
    lgn_input_close(plain);
}

static void test_gzip_pipe_matches_plain(void **state)
{
    (void)state;
    size_t len;
    char *text = make_big_text(&len, &big_lines);
    big_plain_path = tu_path("bigp.log");
    tu_write_file(big_plain_path, text, len);
    const char *gp = tu_path("bigp.log.gz");
    write_gz_members(gp, text, len);
    size_t gzlen;
    char *gz = tu_read_file(gp, &gzlen);
    with_stdin_pipe(gz, gzlen, 0, check_stdin_big_gzip);
    with_stdin_pipe(gz, gzlen, 4093, check_stdin_big_gzip); /* short reads, odd sizes */
    free(gz);
    free(text);
}

static pthread_t reader_thread;
static int reads_elsewhere;    /* before_read calls on another thread (asserted after) */
static int decompressor_polls; /* times the decompressor was seen waiting for the pipe */

/* True when a thread of this process other than the caller is blocked in
 * poll(2): in test_gzip_before_read_on_reader_thread, the decompressor
 * waiting for the pipe's writer (Linux: /proc/self/task/TID/syscall). */
static bool other_thread_polling(void)
{
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return false;
    long self = (long)syscall(SYS_gettid);
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        long tid = strtol(e->d_name, NULL, 10);
        if (tid <= 0 || tid == self)
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", tid);
        FILE *f = fopen(path, "r");
        long nr = -1;
        if (f != NULL) {
            if (fscanf(f, "%ld", &nr) != 1)
                nr = -1; /* "running" */
            fclose(f);
        }
#ifdef SYS_poll
        found = nr == SYS_poll;
#endif
        found = found || nr == SYS_ppoll;
    }
    closedir(d);
    return found;
}

static void count_reads_here(void *ctx)
{
    /* before_read flushes the caller's output: never from another thread. */
    if (ctx != &reads_seen || !pthread_equal(pthread_self(), reader_thread)) {
        reads_elsewhere++;
        return; /* and the gate stays shut */
    }
    reads_seen++;
    /* After the sniff (the first call, before the decompressor exists) the
     * gate opens only once the decompressor has waited for the pipe too:
     * had it called before_read there, that call came first. */
    if (reads_seen >= 2) {
        for (int i = 0; i < 5000 && !other_thread_polling(); i++)
            nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
        if (other_thread_polling())
            decompressor_polls++;
    }
    open_gate();
}

static void check_stdin_gzip_before_read(const char *data, size_t len)
{
    (void)data;
    (void)len;
    struct lgn_err err = {0};
    struct lgn_input_opts opts = {count_reads_here, &reads_seen};
    reads_seen = 0;
    reads_elsewhere = 0;
    decompressor_polls = 0;
    reader_thread = pthread_self();
    struct lgn_input *in = lgn_input_open("-", &opts, &err);
    assert_non_null(in);
    struct lgn_line l;
    int n = 0, rc;
    while ((rc = lgn_input_next(in, &l, &err)) == 1) {
        char want[32];
        int k = snprintf(want, sizeof want, "line %d", ++n);
        assert_int_equal(l.len, (size_t)k);
        assert_memory_equal(l.p, want, (size_t)k);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 5000);
    assert_true(reads_seen >= 2);         /* the sniff, then a wait for the decompressor */
    assert_true(decompressor_polls >= 1); /* which had waited for the pipe */
    assert_int_equal(reads_elsewhere, 0);
    lgn_input_close(in);
}

/* before_read runs when a read would wait for the writer (the gated pipe's
 * two waits), and never for a regular file, which has no writer to wait for. */
static void check_waits_seen(const char *data, size_t len)
{
    check_stdin_text(data, len);
    assert_true(reads_seen >= 2);
}

static void test_before_read_only_when_waiting(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(2000, &len);
    with_stdin_pipe_gated(text, len, 4096, len / 2, check_waits_seen);

    const char *p = tu_path("nowait.log");
    tu_write_file(p, text, len);
    struct lgn_err err = {0};
    struct lgn_input_opts opts = {count_reads, &reads_seen};
    reads_seen = 0;
    struct lgn_input *in = lgn_input_open(p, &opts, &err);
    assert_non_null(in);
    int rc;
    assert_true(count_matching(in, text, len, &rc, &err) > 0);
    assert_int_equal(rc, 0);
    assert_int_equal(reads_seen, 0);
    lgn_input_close(in);
    free(text);
}

static void test_gzip_before_read_on_reader_thread(void **state)
{
    (void)state;
    size_t gzlen;
    char *gz = two_member_gzip("br.gz", &gzlen);
    /* The gates make the reader wait: for its first bytes (the sniff, on
     * this thread) and, with the decompressor running, for the second half. */
    with_stdin_pipe_gated(gz, gzlen, 100, gzlen / 2, check_stdin_gzip_before_read);
    free(gz);
}

/* Reads path to the end; returns the line count and stores rc and message. */
static int drain(struct lgn_input *in, int *rc, struct lgn_err *err)
{
    struct lgn_line l;
    int n = 0;
    while ((*rc = lgn_input_next(in, &l, err)) == 1)
        n++;
    return n;
}

static int bad_lines;
static int bad_rc;
static char bad_msg[512];

static void check_stdin_bad_gzip(const char *data, size_t len)
{
    (void)data;
    (void)len;
    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open("-", NULL, &err);
    assert_non_null(in);
    bad_lines = drain(in, &bad_rc, &err);
    snprintf(bad_msg, sizeof bad_msg, "%s", err.msg);
    lgn_input_close(in);
}

static void test_gzip_errors_same_from_pipe(void **state)
{
    (void)state;
    size_t len;
    char *text = make_lines(200000, &len);
    const char *p = tu_path("bad.gz");
    const char *parts[] = {text, text + len / 2};
    size_t lens[] = {len / 2, len - len / 2};
    write_gz(p, parts, lens, 2);
    size_t gzlen;
    char *gz = tu_read_file(p, &gzlen);

    for (int kind = 0; kind < 2; kind++) {
        char *bad = malloc(gzlen);
        memcpy(bad, gz, gzlen);
        size_t badlen = gzlen;
        if (kind == 0) {
            badlen = gzlen * 3 / 4; /* truncated inside the second member */
        } else {
            for (size_t i = gzlen * 3 / 4; i < gzlen * 3 / 4 + 64; i++)
                bad[i] = (char)(bad[i] ^ 0x5a);
        }
        tu_write_file(p, bad, badlen);
        struct lgn_err err = {0};
        struct lgn_input *in = lgn_input_open(p, NULL, &err);
        assert_non_null(in);
        int rc;
        int n = drain(in, &rc, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
        assert_true(n > 100000 && n < 200000);
        assert_non_null(strstr(err.msg, "all lines before it were processed"));
        char want[300];
        if (kind == 0)
            snprintf(want, sizeof want, "%s: gzip data truncated at byte %zu", p, badlen);
        else
            snprintf(want, sizeof want, "%s: corrupt gzip data at byte ", p);
        assert_non_null(strstr(err.msg, want));
        assert_int_equal(lgn_input_next(in, &(struct lgn_line){0}, &err), -1); /* stays failed */
        lgn_input_close(in);

        /* The same bytes through a pipe: same lines, same message but the name. */
        with_stdin_pipe(bad, badlen, 0, check_stdin_bad_gzip);
        assert_int_equal(bad_rc, -1);
        assert_int_equal(bad_lines, n);
        const char *tail = err.msg + strlen(p);
        assert_string_equal(bad_msg + strlen("(stdin)"), tail);
        free(bad);
    }
    free(gz);
    free(text);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_input: lgn_input_close hung\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(99);
}

static void test_gzip_close_early(void **state)
{
    (void)state;
    signal(SIGALRM, on_alarm); /* armed around each close only */
    size_t len;
    int nlines;
    char *text = make_big_text(&len, &nlines);
    const char *p = tu_path("early.gz");
    write_gz_members(p, text, len);
    struct lgn_err err = {0};
    /* Closed right after open, after a few lines, and after the ring filled up. */
    for (int stop_after = 0; stop_after <= 300000; stop_after = stop_after * 100 + 3) {
        struct lgn_input *in = lgn_input_open(p, NULL, &err);
        assert_non_null(in);
        struct lgn_line l;
        for (int i = 0; i < stop_after; i++)
            assert_int_equal(lgn_input_next(in, &l, &err), 1);
        if (stop_after == 3)
            nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL); /* ring full */
        alarm(10);
        lgn_input_close(in);
        alarm(0);
    }
    free(text);

    /* A pipe whose writer stays open and silent: the decompressor thread
     * waits for input, and close must still return at once. */
    static const char line[] = "only line\n";
    z_stream zs = {0};
    unsigned char out[256];
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (unsigned char *)line;
    zs.avail_in = sizeof line - 1;
    zs.next_out = out;
    zs.avail_out = sizeof out;
    assert_int_equal(deflate(&zs, Z_SYNC_FLUSH), Z_OK);
    size_t outlen = sizeof out - zs.avail_out;
    deflateEnd(&zs);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], out, outlen), (ssize_t)outlen);
    int saved = dup(0);
    assert_int_equal(dup2(fds[0], 0), 0);
    for (int reads = 0; reads < 3; reads++) {
        struct lgn_input *in = lgn_input_open("-", NULL, &err);
        assert_non_null(in);
        struct lgn_line l;
        if (reads == 1) {
            assert_int_equal(lgn_input_next(in, &l, &err), 1);
            assert_int_equal(l.len, sizeof line - 2);
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL); /* let it block in poll */
        alarm(10);
        lgn_input_close(in);
        alarm(0);
        /* Refill for the next round: the old reader took the bytes. */
        assert_int_equal(write(fds[1], out, outlen), (ssize_t)outlen);
    }
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    close(fds[0]);
    close(fds[1]);
    signal(SIGALRM, SIG_DFL);
}

static void test_gzip_stop_signal_ends_input(void **state)
{
    (void)state;
    /* As test_stop_signal_ends_input, for gzip: the decompressor thread waits
     * on a silent pipe; SIGTERM reaches the reader, which ends cleanly, and
     * close returns although the writer is still open. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lgn_signals_install();
        static const char data[] = "done\npartial";
        z_stream zs = {0};
        unsigned char out[256];
        if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            _exit(9);
        zs.next_in = (unsigned char *)data;
        zs.avail_in = sizeof data - 1;
        zs.next_out = out;
        zs.avail_out = sizeof out;
        if (deflate(&zs, Z_SYNC_FLUSH) != Z_OK)
            _exit(9);
        size_t outlen = sizeof out - zs.avail_out;
        deflateEnd(&zs);
        int fds[2];
        if (pipe(fds) != 0 || write(fds[1], out, outlen) != (ssize_t)outlen)
            _exit(10);
        pid_t killer = term_me_soon();
        alarm(10);
        if (dup2(fds[0], 0) != 0)
            _exit(11);
        int rc = read_done_until_stop(NULL);
        waitpid(killer, NULL, 0);
        _exit(rc);
    }
    expect_child_ok(pid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_lines),
        cmocka_unit_test(test_last_line_without_newline),
        cmocka_unit_test(test_empty_file_and_empty_lines),
        cmocka_unit_test(test_crlf_and_nul_passed_through),
        cmocka_unit_test(test_many_lines_straddle_buffers),
        cmocka_unit_test(test_line_exactly_max),
        cmocka_unit_test(test_too_long_line_bounded),
        cmocka_unit_test(test_gzip_single_member),
        cmocka_unit_test(test_gzip_detected_by_magic_not_name),
        cmocka_unit_test(test_gzip_multi_member),
        cmocka_unit_test(test_gzip_trailing_zeros_and_garbage),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_refuses_other_compressors),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_stdin_pipe),
        cmocka_unit_test(test_stdin_gzip_multi_member),
        cmocka_unit_test(test_stop_signal_ends_input),
        cmocka_unit_test(test_stop_signal_during_before_read),
        cmocka_unit_test(test_gzip_threaded_matches_plain),
        cmocka_unit_test(test_gzip_pipe_matches_plain),
        cmocka_unit_test(test_gzip_before_read_on_reader_thread),
        cmocka_unit_test(test_before_read_only_when_waiting),
        cmocka_unit_test(test_gzip_errors_same_from_pipe),
        cmocka_unit_test(test_gzip_close_early),
        cmocka_unit_test(test_gzip_stop_signal_ends_input),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
