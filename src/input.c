/* input.c: bounded zero-copy line reader over files, stdin and (multi-member) gzip. */
#include "input.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "signals.h"

/* The line buffer holds one partial line of at most LGN_LINE_MAX bytes plus
 * at least IN_SLACK bytes of room for the next read, so it never grows. */
#define IN_SLACK (64 * 1024)
#define IN_CAP ((size_t)LGN_LINE_MAX + IN_SLACK)
/* Largest single read(2)/inflate output: big enough to amortise syscalls,
 * small enough that freshly read bytes are still in cache when scanned. */
#define IN_READ_MAX (256 * 1024)
#define IN_ZBUF (128 * 1024) /* compressed input buffer (gzip only) */

enum in_state {
    IN_OK,      /* more input may follow */
    IN_EOF,     /* source exhausted; buffered bytes remain to hand out */
    IN_STOPPED, /* a stop signal interrupted a read: end without the partial line */
    IN_ERROR    /* errmsg holds the message; buffered complete lines come first */
};

enum gz_state {
    GZ_MEMBER,  /* inside a member (or expecting a header) */
    GZ_BETWEEN, /* a member just ended; more input means another member */
    GZ_ZEROS    /* trailing NUL padding after the last member: allowed to EOF */
};

struct lgn_input {
    int fd;
    bool close_fd; /* false for stdin */
    bool is_gzip;
    enum in_state state;
    int64_t size;
    uint64_t raw_read; /* bytes read(2) from fd */
    uint64_t lineno;
    char *name; /* owned; "(stdin)" for "-" */
    const struct lgn_input_opts *opts;

    /* Line buffer: [start, end) holds unreturned bytes; [start, start+scanned)
     * is known to contain no '\n', so a long partial line is scanned once. */
    char *buf;
    size_t start, end, scanned;
    bool skipping;     /* discarding a too-long line up to its '\n' */
    uint64_t skip_len; /* bytes of that line discarded so far */

    /* gzip only */
    z_stream zs;
    bool zs_init;
    enum gz_state gz;
    unsigned char *zbuf;
    bool raw_eof; /* read(2) returned 0 */

    char errmsg[400];
};

static void in_fail(struct lgn_input *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records an error to report once the complete lines before it are handed out. */
static void in_fail(struct lgn_input *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(in->errmsg, sizeof in->errmsg, fmt, ap); /* truncation is harmless */
    va_end(ap);
    in->state = IN_ERROR;
}

/* One read(2) into dst. Returns bytes read, 0 at EOF, -1 on error (state set)
 * or when a stop signal interrupted it (state IN_STOPPED). */
static ssize_t raw_read(struct lgn_input *in, void *dst, size_t cap)
{
    if (in->opts != NULL && in->opts->before_read != NULL)
        in->opts->before_read(in->opts->ctx);
    for (;;) {
        ssize_t n = read(in->fd, dst, cap);
        if (n >= 0) {
            in->raw_read += (uint64_t)n;
            return n;
        }
        if (errno == EINTR) {
            if (lgn_signal_stop_requested()) {
                in->state = IN_STOPPED;
                return -1;
            }
            continue;
        }
        in_fail(in, "%s: read error at byte %llu: %s", in->name, (unsigned long long)in->raw_read,
                strerror(errno));
        return -1;
    }
}

static uint64_t gz_consumed(const struct lgn_input *in)
{
    return in->raw_read - in->zs.avail_in;
}

/* Inflates into dst. Returns bytes produced (> 0), 0 at a clean end, -1 when
 * the state changed to an error or stop. Multi-member: after a member's
 * trailer, any further input must be another member (or NUL padding). */
static ssize_t gz_fill(struct lgn_input *in, char *dst, size_t cap)
{
    for (;;) {
        if (in->zs.avail_in == 0 && !in->raw_eof) {
            ssize_t n = raw_read(in, in->zbuf, IN_ZBUF);
            if (n < 0)
                return -1;
            if (n == 0)
                in->raw_eof = true;
            in->zs.next_in = in->zbuf;
            in->zs.avail_in = (uInt)n;
        }
        if (in->zs.avail_in == 0) { /* raw EOF */
            if (in->gz == GZ_MEMBER) {
                in_fail(in, "%s: gzip data truncated at byte %llu", in->name,
                        (unsigned long long)in->raw_read);
                return -1;
            }
            return 0;
        }
        if (in->gz == GZ_ZEROS) {
            for (uInt i = 0; i < in->zs.avail_in; i++) {
                if (in->zs.next_in[i] != 0) {
                    in_fail(in, "%s: unexpected data after gzip padding at byte %llu", in->name,
                            (unsigned long long)(gz_consumed(in) + i));
                    return -1;
                }
            }
            in->zs.avail_in = 0;
            continue;
        }
        if (in->gz == GZ_BETWEEN) {
            if (in->zs.next_in[0] == 0) {
                in->gz = GZ_ZEROS;
                continue;
            }
            if (inflateReset(&in->zs) != Z_OK) {
                in_fail(in, "%s: zlib inflateReset failed", in->name);
                return -1;
            }
            in->gz = GZ_MEMBER;
        }
        in->zs.next_out = (unsigned char *)dst;
        in->zs.avail_out = (uInt)cap;
        int rc = inflate(&in->zs, Z_NO_FLUSH);
        size_t produced = cap - in->zs.avail_out;
        if (rc == Z_STREAM_END) {
            in->gz = GZ_BETWEEN;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const char *why = in->zs.msg != NULL ? in->zs.msg : zError(rc);
            in_fail(in, "%s: corrupt gzip data at byte %llu (%s)", in->name,
                    (unsigned long long)gz_consumed(in), why);
            /* Bytes inflated in this call come before the error: keep them. */
            return produced > 0 ? (ssize_t)produced : -1;
        }
        if (produced > 0)
            return (ssize_t)produced; /* hand out what we have before blocking again */
    }
}

/* Appends more bytes at buf+end. Returns > 0 bytes added, 0 at end, -1 on
 * error or stop (see in->state). */
static ssize_t in_fill(struct lgn_input *in)
{
    if (in->state != IN_OK)
        return in->state == IN_EOF ? 0 : -1;
    size_t room = IN_CAP - in->end;
    if (room > IN_READ_MAX)
        room = IN_READ_MAX;
    ssize_t n =
        in->is_gzip ? gz_fill(in, in->buf + in->end, room) : raw_read(in, in->buf + in->end, room);
    if (n > 0) {
        in->end += (size_t)n;
    } else if (n == 0) {
        in->state = IN_EOF;
    }
    return n;
}

static const char *refuse_kind(const unsigned char *p, size_t n, const char **tool)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *kind, *tool;
    } table[] = {
        {"BZh", 3, "bzip2", "bzip2"},
        {"\xfd\x37\x7a\x58\x5a\x00", 6, "xz", "xz"},
        {"\x28\xb5\x2f\xfd", 4, "zstd", "zstd"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (n >= table[i].len && memcmp(p, table[i].magic, table[i].len) == 0) {
            *tool = table[i].tool;
            return table[i].kind;
        }
    }
    return NULL;
}

/* True while the n bytes so far could still be the start of a magic we know,
 * so one more read is needed to decide (matters for pipes delivering bytes
 * one at a time; a plain log's first byte decides at once). */
static bool magic_undecided(const unsigned char *p, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
    } table[] = {
        {"\x1f\x8b", 2}, {"BZh", 3}, {"\xfd\x37\x7a\x58\x5a\x00", 6}, {"\x28\xb5\x2f\xfd", 4}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (n < table[i].len && memcmp(p, table[i].magic, n) == 0)
            return true;
    }
    return false;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

struct lgn_input *lgn_input_open(const char *path, const struct lgn_input_opts *opts,
                                 struct lgn_err *err)
{
    bool is_stdin = path == NULL || strcmp(path, "-") == 0;
    struct lgn_input *in = calloc(1, sizeof *in);
    if (in == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: out of memory", is_stdin ? "(stdin)" : path);
        return NULL;
    }
    in->fd = -1;
    in->opts = opts;
    in->size = -1;
    in->name = dup_str(is_stdin ? "(stdin)" : path);
    in->buf = malloc(IN_CAP);
    if (in->name == NULL || in->buf == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: out of memory", is_stdin ? "(stdin)" : path);
        goto fail;
    }

    if (is_stdin) {
        in->fd = STDIN_FILENO;
    } else {
        in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (in->fd < 0) {
            lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name, strerror(errno));
            goto fail;
        }
        in->close_fd = true;
    }
    struct stat st;
    if (fstat(in->fd, &st) != 0) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name, strerror(EISDIR));
        goto fail;
    }
    if (S_ISREG(st.st_mode)) {
        in->size = (int64_t)st.st_size;
        (void)posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a hint only */
    }

    /* Sniff the magic bytes: read until the prefix matches no known magic.
     * At most IN_ZBUF bytes, so gzip input can move over to zbuf. */
    do {
        ssize_t n = raw_read(in, in->buf + in->end, IN_ZBUF - in->end);
        if (n < 0) {
            if (in->state == IN_STOPPED)
                break; /* next() reports the end */
            lgn_err_set(err, LGN_EXIT_INPUT, "%s", in->errmsg);
            goto fail;
        }
        if (n == 0) {
            in->state = IN_EOF;
            break;
        }
        in->end += (size_t)n;
    } while (in->end < IN_ZBUF && magic_undecided((const unsigned char *)in->buf, in->end));

    const char *tool = NULL;
    const char *kind = refuse_kind((const unsigned char *)in->buf, in->end, &tool);
    if (kind != NULL) {
        if (is_stdin)
            lgn_err_set(err, LGN_EXIT_INPUT,
                        "%s: looks like %s-compressed data; decompress it first (... | %s -dc | "
                        "lognym)",
                        in->name, kind, tool);
        else
            lgn_err_set(err, LGN_EXIT_INPUT,
                        "%s: looks like %s-compressed data; decompress it first (%s -dc %s | "
                        "lognym)",
                        in->name, kind, tool, in->name);
        goto fail;
    }

    if (in->end >= 2 && (unsigned char)in->buf[0] == 0x1f && (unsigned char)in->buf[1] == 0x8b) {
        in->is_gzip = true;
        in->zbuf = malloc(IN_ZBUF);
        if (in->zbuf == NULL) {
            lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: out of memory", in->name);
            goto fail;
        }
        if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
            lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: zlib inflateInit2 failed", in->name);
            goto fail;
        }
        in->zs_init = true;
        in->gz = GZ_MEMBER;
        /* The sniffed bytes are compressed input: they move over to zbuf. */
        memcpy(in->zbuf, in->buf, in->end);
        in->zs.next_in = in->zbuf;
        in->zs.avail_in = (uInt)in->end;
        in->end = 0;
        if (in->state == IN_EOF) {
            in->state = IN_OK; /* raw EOF: gz_fill decides between end and truncation */
            in->raw_eof = true;
        }
    }
    return in;

fail:
    lgn_input_close(in);
    return NULL;
}

int lgn_input_next(struct lgn_input *in, struct lgn_line *line, struct lgn_err *err)
{
    for (;;) {
        char *base = in->buf + in->start;
        size_t avail = in->end - in->start;
        if (in->skipping) {
            char *nl = memchr(base, '\n', avail);
            if (nl != NULL) {
                size_t k = (size_t)(nl - base);
                in->skip_len += k;
                in->start += k + 1;
                in->skipping = false;
                *line = (struct lgn_line){NULL, (size_t)in->skip_len, ++in->lineno, true, true};
                return 1;
            }
            in->skip_len += avail;
            in->start = in->end = 0;
        } else {
            char *nl = memchr(base + in->scanned, '\n', avail - in->scanned);
            if (nl != NULL) {
                size_t k = (size_t)(nl - base);
                in->start += k + 1;
                in->scanned = 0;
                if (k > LGN_LINE_MAX) /* fitted the buffer's slack, but is still too long */
                    *line = (struct lgn_line){NULL, k, ++in->lineno, true, true};
                else
                    *line = (struct lgn_line){base, k, ++in->lineno, true, false};
                return 1;
            }
            in->scanned = avail;
            if (avail > LGN_LINE_MAX) {
                /* Even if '\n' came next, the line would be too long. */
                in->skipping = true;
                in->skip_len = avail;
                in->start = in->end = in->scanned = 0;
            }
        }

        if (in->state != IN_OK) {
            size_t partial = in->end - in->start;
            bool have_partial = in->skipping || partial > 0;
            if (in->state == IN_EOF) {
                if (!have_partial)
                    return 0;
                if (in->skipping) {
                    *line =
                        (struct lgn_line){NULL, (size_t)in->skip_len, ++in->lineno, false, true};
                    in->skipping = false;
                } else {
                    *line =
                        (struct lgn_line){in->buf + in->start, partial, ++in->lineno, false, false};
                }
                in->start = in->end = in->scanned = 0;
                return 1;
            }
            if (in->state == IN_STOPPED)
                return 0; /* a line still being written is not a line */
            return lgn_err_set(err, LGN_EXIT_INPUT, "%s (all lines before it were processed%s)",
                               in->errmsg,
                               have_partial ? "; the partial line cut there was dropped" : "");
        }

        /* No complete line buffered: move the partial line to the front so
         * the buffer never grows, then read more. */
        if (in->start > 0) {
            size_t partial = in->end - in->start;
            memmove(in->buf, in->buf + in->start, partial);
            in->start = 0;
            in->end = partial;
        }
        in_fill(in); /* state records EOF, stop or error */
    }
}

const char *lgn_input_name(const struct lgn_input *in)
{
    return in->name;
}

int64_t lgn_input_size(const struct lgn_input *in)
{
    return in->size;
}

uint64_t lgn_input_offset(const struct lgn_input *in)
{
    return in->is_gzip ? gz_consumed(in) : in->raw_read;
}

void lgn_input_close(struct lgn_input *in)
{
    if (in == NULL)
        return;
    if (in->zs_init)
        inflateEnd(&in->zs);
    if (in->close_fd && in->fd >= 0)
        close(in->fd);
    free(in->zbuf);
    free(in->buf);
    free(in->name);
    free(in);
}
