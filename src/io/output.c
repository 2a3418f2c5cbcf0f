/* output.c: buffered writer to stdout or an appended file, plain or gzip, reopenable. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZLIB_CONST /* next_in is const: no cast needed for caller data */
#include <zlib.h>

#include "strdup.h"

#define OUT_BUF (64 * 1024)  /* uncompressed bytes collected before a write or deflate */
#define OUT_ZBUF (64 * 1024) /* compressed bytes collected before a write */

struct lgn_output {
    int fd;         /* -1 after a failed reopen */
    bool is_stdout; /* fd 1: never closed by us */
    bool gzip;
    bool want_lb; /* line buffering requested by the caller */
    bool line_buffered;
    bool regular; /* fsync on close */
    bool failed;  /* a write failed: later calls repeat the error */
    int failed_errno;
    mode_t mode;
    char *path; /* owned; NULL for stdout */
    char *name; /* owned; "(stdout)" for stdout */

    unsigned char *buf; /* OUT_BUF bytes; [0, len) pending */
    size_t len;

    z_stream zs; /* gzip only: one member per open/reopen */
    bool zs_init;
    bool z_dirty;        /* input deflated since the last sync flush */
    unsigned char *zbuf; /* OUT_ZBUF bytes; [0, zlen) compressed, not yet written */
    size_t zlen;

    bool memory; /* collects into mem instead of writing (a worker thread's share) */
    unsigned char *mem;
    size_t mem_len, mem_cap;
};

static int out_fail(struct lgn_output *out, int e, struct lgn_err *err)
{
    out->failed = true;
    out->failed_errno = e;
    return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: write failed: %s", out->name, strerror(e));
}

static int write_all(struct lgn_output *out, const unsigned char *p, size_t n, struct lgn_err *err)
{
    if (out->fd < 0)
        return out_fail(out, EBADF, err);
    while (n > 0) {
        ssize_t w = write(out->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue; /* the data still has to go out, stop or not */
            return out_fail(out, errno, err);
        }
        if (w == 0)
            return out_fail(out, EIO, err); /* should not happen; never spin */
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Where drained bytes go: the file, or the memory of a memory output. */
static int sink(struct lgn_output *out, const unsigned char *p, size_t n, struct lgn_err *err)
{
    if (!out->memory)
        return write_all(out, p, n, err);
    if (n == 0) /* mem may still be NULL */
        return 0;
    if (n > out->mem_cap - out->mem_len) {
        size_t cap = out->mem_cap ? out->mem_cap : OUT_BUF;
        while (cap - out->mem_len < n)
            cap *= 2;
        unsigned char *m = realloc(out->mem, cap);
        if (m == NULL)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        out->mem = m;
        out->mem_cap = cap;
    }
    memcpy(out->mem + out->mem_len, p, n);
    out->mem_len += n;
    return 0;
}

/* Runs deflate over [p, p+n) with the given flush mode. Compressed bytes
 * collect in zbuf and are written when it fills (one write per OUT_ZBUF of
 * output, not per deflate call); with Z_SYNC_FLUSH or Z_FINISH, all of them. */
static int z_push(struct lgn_output *out, const unsigned char *p, size_t n, int flush,
                  struct lgn_err *err)
{
    const size_t step = (size_t)1 << 30; /* avail_in is a uInt */
    for (;;) {
        size_t take = n < step ? n : step;
        int mode = take == n ? flush : Z_NO_FLUSH;
        out->zs.next_in = p;
        out->zs.avail_in = (uInt)take;
        bool done = false;
        while (!done) {
            out->zs.next_out = out->zbuf + out->zlen;
            out->zs.avail_out = (uInt)(OUT_ZBUF - out->zlen);
            int rc = deflate(&out->zs, mode);
            if (rc == Z_STREAM_ERROR)
                return lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: zlib deflate failed", out->name);
            out->zlen = OUT_ZBUF - out->zs.avail_out;
            if (mode == Z_FINISH)
                done = rc == Z_STREAM_END;
            else
                done = out->zs.avail_in == 0 && out->zs.avail_out != 0;
            if (out->zlen == OUT_ZBUF || (done && mode != Z_NO_FLUSH && out->zlen > 0)) {
                size_t have = out->zlen;
                out->zlen = 0;
                if (write_all(out, out->zbuf, have, err) != 0)
                    return -1;
            }
        }
        n -= take;
        if (n == 0)
            return 0; /* before advancing p, which is NULL for a bare flush */
        p += take;
    }
}

/* Moves the pending buffer out: written as is, or deflated (without a flush
 * point, so compression is not hurt by buffer boundaries). */
static int drain(struct lgn_output *out, struct lgn_err *err)
{
    if (out->len == 0)
        return 0;
    size_t n = out->len;
    out->len = 0;
    if (!out->gzip)
        return sink(out, out->buf, n, err);
    out->z_dirty = true;
    return z_push(out, out->buf, n, Z_NO_FLUSH, err);
}

/* Opens (or reopens) out->path, or adopts stdout, and starts a gzip member. */
static int out_attach(struct lgn_output *out, struct lgn_err *err)
{
    if (out->is_stdout) {
        out->fd = STDOUT_FILENO;
    } else {
        out->fd = open(out->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, out->mode);
        if (out->fd < 0)
            return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: cannot open: %s", out->name,
                               strerror(errno));
    }
    struct stat st;
    if (fstat(out->fd, &st) != 0)
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: cannot open: %s", out->name, strerror(errno));
    out->regular = S_ISREG(st.st_mode);
    /* A reader on a pipe, socket or terminal expects each line as it comes. */
    out->line_buffered =
        out->want_lb || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(out->fd);
    out->failed = false;
    if (out->gzip) {
        int rc = out->zs_init
                     ? deflateReset(&out->zs)
                     : deflateInit2(&out->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
        if (rc != Z_OK)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: zlib deflateInit2 failed", out->name);
        out->zs_init = true;
        out->z_dirty = false;
        out->zlen = 0;
    }
    return 0;
}

/* Writes everything pending and, for gzip, the member trailer. */
static int out_finish(struct lgn_output *out, struct lgn_err *err)
{
    if (out->failed)
        return out_fail(out, out->failed_errno, err);
    if (drain(out, err) != 0)
        return -1;
    if (out->gzip && z_push(out, NULL, 0, Z_FINISH, err) != 0)
        return -1;
    return 0;
}

static int out_detach(struct lgn_output *out, bool sync, struct lgn_err *err)
{
    int rc = 0;
    if (out->fd < 0)
        return 0;
    if (sync && out->regular && fsync(out->fd) != 0)
        rc = out_fail(out, errno, err);
    if (!out->is_stdout && close(out->fd) != 0 && rc == 0)
        rc = out_fail(out, errno, err); /* NFS may only report a failed write here */
    out->fd = -1;
    return rc;
}

struct lgn_output *lgn_output_open(const char *path, const struct lgn_output_opts *opts,
                                   struct lgn_err *err)
{
    struct lgn_output *out = calloc(1, sizeof *out);
    if (out == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    out->fd = -1;
    out->is_stdout = path == NULL || strcmp(path, "-") == 0;
    out->mode = opts != NULL && opts->mode != 0 ? opts->mode : 0640;
    out->want_lb = opts != NULL && opts->line_buffered;
    out->gzip = opts != NULL && opts->gzip;
    if (!out->is_stdout) {
        size_t n = strlen(path);
        if (n >= 3 && memcmp(path + n - 3, ".gz", 3) == 0)
            out->gzip = true;
        out->path = lgn_strdup(path);
    }
    out->name = lgn_strdup(out->is_stdout ? "(stdout)" : path);
    out->buf = malloc(OUT_BUF);
    if (out->gzip)
        out->zbuf = malloc(OUT_ZBUF);
    if (out->name == NULL || out->buf == NULL || (!out->is_stdout && out->path == NULL) ||
        (out->gzip && out->zbuf == NULL)) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        lgn_output_free(out);
        return NULL;
    }
    if (out_attach(out, err) != 0) {
        lgn_output_free(out);
        return NULL;
    }
    return out;
}

int lgn_output_write(struct lgn_output *out, const void *p, size_t len, struct lgn_err *err)
{
    if (out->memory) /* a worker's share: straight to memory, not through buf */
        return sink(out, p, len, err);
    if (len <= OUT_BUF - out->len) { /* the common case: one memcpy */
        memcpy(out->buf + out->len, p, len);
        out->len += len;
        return 0;
    }
    if (out->failed)
        return out_fail(out, out->failed_errno, err);
    const unsigned char *s = p;
    size_t room = OUT_BUF - out->len;
    memcpy(out->buf + out->len, s, room);
    out->len += room;
    s += room;
    len -= room;
    if (drain(out, err) != 0)
        return -1;
    if (len >= OUT_BUF) { /* big block: skip the copy */
        if (out->gzip) {
            out->z_dirty = true;
            return z_push(out, s, len, Z_NO_FLUSH, err);
        }
        return sink(out, s, len, err);
    }
    memcpy(out->buf, s, len);
    out->len = len;
    return 0;
}

bool lgn_output_line_buffered(const struct lgn_output *out)
{
    return out->line_buffered;
}

int lgn_output_end_line(struct lgn_output *out, struct lgn_err *err)
{
    if (!out->line_buffered)
        return 0;
    return lgn_output_flush(out, err);
}

int lgn_output_flush(struct lgn_output *out, struct lgn_err *err)
{
    if (out->failed)
        return out_fail(out, out->failed_errno, err);
    if (drain(out, err) != 0)
        return -1;
    /* A sync flush makes everything so far decodable by a reader of the
     * stream; skipped when nothing new was deflated since the last one. */
    if (out->gzip && out->z_dirty) {
        out->z_dirty = false;
        return z_push(out, NULL, 0, Z_SYNC_FLUSH, err);
    }
    return 0;
}

int lgn_output_reopen(struct lgn_output *out, struct lgn_err *err)
{
    if (out->is_stdout)
        return lgn_output_flush(out, err);
    int rc = 0;
    if (out->fd >= 0)
        rc = out_finish(out, err);
    /* Close and reopen even after a failed write: the renamed-away file may
     * have been the problem, and the path should name a file again. */
    if (rc != 0)
        out->len = 0; /* already reported; else a new file gets the pending bytes */
    if (out_detach(out, false, rc == 0 ? err : NULL) != 0)
        rc = -1;
    if (out_attach(out, rc == 0 ? err : NULL) != 0)
        rc = -1;
    return rc;
}

struct lgn_output *lgn_output_memory(struct lgn_err *err)
{
    struct lgn_output *out = calloc(1, sizeof *out);
    if (out != NULL) {
        out->fd = -1;
        out->memory = true; /* no buf: lgn_output_write copies into mem */
        out->name = lgn_strdup("(memory)");
    }
    if (out == NULL || out->name == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        lgn_output_free(out);
        return NULL;
    }
    return out;
}

int lgn_output_memory_swap(struct lgn_output *out, unsigned char **buf, size_t *len, size_t *cap,
                           struct lgn_err *err)
{
    if (drain(out, err) != 0)
        return -1;
    unsigned char *b = *buf;
    size_t c = *cap;
    *buf = out->mem;
    *len = out->mem_len;
    *cap = out->mem_cap;
    out->mem = b;
    out->mem_cap = c;
    out->mem_len = 0;
    return 0;
}

int lgn_output_close(struct lgn_output *out, struct lgn_err *err)
{
    if (out == NULL)
        return 0;
    if (out->memory) {
        int rc = drain(out, err);
        lgn_output_free(out);
        return rc;
    }
    int rc = out->fd >= 0 ? out_finish(out, err) : out_fail(out, EBADF, err);
    if (out_detach(out, rc == 0, rc == 0 ? err : NULL) != 0)
        rc = -1;
    lgn_output_free(out);
    return rc;
}

void lgn_output_free(struct lgn_output *out)
{
    if (out == NULL)
        return;
    if (out->fd >= 0 && !out->is_stdout)
        close(out->fd);
    if (out->zs_init)
        deflateEnd(&out->zs);
    free(out->zbuf);
    free(out->mem);
    free(out->buf);
    free(out->path);
    free(out->name);
    free(out);
}
