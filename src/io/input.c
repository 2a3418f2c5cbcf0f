/* input.c: bounded zero-copy line reader over files, stdin and (multi-member) gzip;
 * gzip is inflated on a thread of its own, plain input needs none. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "signals.h"
#include "strdup.h"

/* The line buffer holds one partial line of at most LGN_LINE_MAX bytes plus
 * at least IN_SLACK bytes of room for the next read, so it never grows. */
#define IN_SLACK (64 * 1024)
#define IN_CAP ((size_t)LGN_LINE_MAX + IN_SLACK)
/* Largest single read(2)/inflate output: big enough to amortise syscalls,
 * small enough that freshly read bytes are still in cache when scanned. */
#define IN_READ_MAX (256 * 1024)
#define IN_ZBUF (128 * 1024) /* compressed input buffer (gzip only) */

/* gzip is inflated on a thread of its own into a small ring of buffers, so
 * inflate runs on another core while the caller processes lines. Bounded:
 * RING_SLOTS * SLOT_CAP bytes on top of the line buffer and zbuf. */
#define RING_SLOTS 4
#define SLOT_CAP ((size_t)IN_READ_MAX)
#define GZ_WOULD_READ (-2) /* gz_fill with hold: a read(2) is due, nothing inflated */

enum in_state {
    IN_OK,      /* more input may follow */
    IN_EOF,     /* source exhausted; buffered bytes remain to hand out */
    IN_STOPPED, /* a stop signal interrupted a read: end without the partial line */
    IN_ERROR    /* src.errmsg holds the message; buffered complete lines come first */
};

enum gz_state {
    GZ_MEMBER,  /* inside a member (or expecting a header) */
    GZ_BETWEEN, /* a member just ended; more input means another member */
    GZ_ZEROS    /* trailing NUL padding after the last member: allowed to EOF */
};

/* The byte source: the fd and, for gzip, the inflater. The reader's own
 * thread drives it for plain input (and for gzip when no decompressor thread
 * could be started); otherwise only the decompressor thread touches it,
 * from lgn_input_open until lgn_input_close has joined that thread. */
struct src {
    int fd;
    bool regular;                      /* a regular file: read(2) never waits for a writer */
    const char *name;                  /* the reader's */
    const struct lgn_input_opts *opts; /* before_read: called only on the reader's thread */
    int wake_fd;         /* decompressor thread: readable once close() wants it gone; else -1 */
    enum in_state state; /* IN_STOPPED on the decompressor thread means close() asked */
    uint64_t raw_read;   /* bytes read(2) from fd */
    char errmsg[400];

    /* gzip only */
    z_stream zs;
    bool zs_init;
    enum gz_state gz;
    unsigned char *zbuf;
    bool raw_eof; /* read(2) returned 0 */
};

struct slot {
    char *data;      /* SLOT_CAP bytes inside ring.mem */
    size_t len;      /* inflated bytes in data */
    uint64_t offset; /* compressed bytes consumed once data was inflated */
};

/* Hand-over from the decompressor thread (producer) to the line reader
 * (consumer). mu guards head, count, done, final_*, cancel and
 * consumer_waiting. The count slots from head on are filled and belong to the
 * reader until it releases them; the others belong to the producer. */
struct ring {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t space; /* a slot was released, or cancel was set */
    struct slot slot[RING_SLOTS];
    char *mem; /* owned: the slots' bytes */
    unsigned head, count;
    size_t pos; /* reader only: bytes of slot[head] already copied out */
    bool done;  /* producer finished: final_* follow the filled slots */
    enum in_state final_state;
    uint64_t final_offset;
    bool cancel;           /* close() wants the producer gone */
    bool consumer_waiting; /* the reader sleeps in poll(2) on notify[0] */
    int notify[2];         /* producer -> reader: a wake-up that a signal can interrupt */
    int wake[2];           /* close() -> producer, while it waits in poll(2) for input */
};

struct lgn_input {
    bool close_fd; /* false for stdin */
    bool is_gzip;
    enum in_state state;
    int64_t size;
    uint64_t lineno;
    char *name; /* owned; "(stdin)" for "-" */
    const struct lgn_input_opts *opts;
    struct ring *ring;  /* owned; gzip inflated on its own thread, else NULL */
    uint64_t gz_offset; /* with ring: compressed offset of the bytes taken from it */

    /* Line buffer: [start, end) holds unreturned bytes; [start, start+scanned)
     * is known to contain no '\n', so a long partial line is scanned once. */
    char *buf;
    size_t start, end, scanned;
    bool skipping;     /* discarding a too-long line up to its '\n' */
    uint64_t skip_len; /* bytes of that line discarded so far */

    struct src src; /* last: the per-line fields above share a cache line or two */
};

static void src_fail(struct src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records an error to report once the complete lines before it are handed out. */
static void src_fail(struct src *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap); /* truncation is harmless */
    va_end(ap);
    s->state = IN_ERROR;
}

/* One read(2) into dst. Returns bytes read, 0 at EOF, -1 on error (state set)
 * or when a stop signal interrupted it, or (on the decompressor thread)
 * close() asked to stop (state IN_STOPPED). */
/* True when a read(2) of fd would wait: a pipe or socket with nothing in it. */
static bool would_wait(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
}

static ssize_t src_read(struct src *s, void *dst, size_t cap)
{
    if (s->wake_fd < 0) {
        if (s->opts != NULL && s->opts->before_read != NULL && !s->regular && would_wait(s->fd))
            s->opts->before_read(s->opts->ctx);
        /* A stop signal taken while before_read wrote would not interrupt
         * the read below: an idle pipe would then hold lognym forever. */
        if (!s->regular && lgn_signal_stop_requested()) {
            s->state = IN_STOPPED;
            return -1;
        }
    } else if (!s->regular) {
        /* Wait for input or for close(), so close never waits on a writer
         * that stays silent. Signals are blocked on this thread. */
        struct pollfd p[2] = {{s->fd, POLLIN, 0}, {s->wake_fd, POLLIN, 0}};
        while (poll(p, 2, -1) < 0 && (errno == EINTR || errno == EAGAIN))
            ;
        if (p[1].revents != 0) {
            s->state = IN_STOPPED;
            return -1;
        }
    }
    for (;;) {
        ssize_t n = read(s->fd, dst, cap);
        if (n >= 0) {
            s->raw_read += (uint64_t)n;
            return n;
        }
        if (errno == EINTR) {
            if (s->wake_fd < 0 && lgn_signal_stop_requested()) {
                s->state = IN_STOPPED;
                return -1;
            }
            continue;
        }
        src_fail(s, "%s: read error at byte %llu: %s", s->name, (unsigned long long)s->raw_read,
                 strerror(errno));
        return -1;
    }
}

static uint64_t gz_consumed(const struct src *s)
{
    return s->raw_read - s->zs.avail_in;
}

/* Inflates into dst. Returns bytes produced (> 0), 0 at a clean end, -1 when
 * the state changed to an error or stop, GZ_WOULD_READ when hold is set and
 * a read(2) is due. Multi-member: after a member's trailer, any further
 * input must be another member (or NUL padding). */
static ssize_t gz_fill(struct src *s, char *dst, size_t cap, bool hold)
{
    for (;;) {
        if (s->zs.avail_in == 0 && !s->raw_eof) {
            if (hold)
                return GZ_WOULD_READ;
            ssize_t n = src_read(s, s->zbuf, IN_ZBUF);
            if (n < 0)
                return -1;
            if (n == 0)
                s->raw_eof = true;
            s->zs.next_in = s->zbuf;
            s->zs.avail_in = (uInt)n;
        }
        if (s->zs.avail_in == 0) { /* raw EOF */
            if (s->gz == GZ_MEMBER) {
                src_fail(s, "%s: gzip data truncated at byte %llu", s->name,
                         (unsigned long long)s->raw_read);
                return -1;
            }
            return 0;
        }
        if (s->gz == GZ_ZEROS) {
            for (uInt i = 0; i < s->zs.avail_in; i++) {
                if (s->zs.next_in[i] != 0) {
                    src_fail(s, "%s: unexpected data after gzip padding at byte %llu", s->name,
                             (unsigned long long)(gz_consumed(s) + i));
                    return -1;
                }
            }
            s->zs.avail_in = 0;
            continue;
        }
        if (s->gz == GZ_BETWEEN) {
            if (s->zs.next_in[0] == 0) {
                s->gz = GZ_ZEROS;
                continue;
            }
            if (inflateReset(&s->zs) != Z_OK) {
                src_fail(s, "%s: zlib inflateReset failed", s->name);
                return -1;
            }
            s->gz = GZ_MEMBER;
        }
        s->zs.next_out = (unsigned char *)dst;
        s->zs.avail_out = (uInt)cap;
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        size_t produced = cap - s->zs.avail_out;
        if (rc == Z_STREAM_END) {
            s->gz = GZ_BETWEEN;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const char *why = s->zs.msg != NULL ? s->zs.msg : zError(rc);
            src_fail(s, "%s: corrupt gzip data at byte %llu (%s)", s->name,
                     (unsigned long long)gz_consumed(s), why);
            /* Bytes inflated in this call come before the error: keep them. */
            return produced > 0 ? (ssize_t)produced : -1;
        }
        if (produced > 0)
            return (ssize_t)produced; /* hand out what we have before blocking again */
    }
}

/* Decompressor thread: fills one slot, as full as it gets without waiting
 * for a writer (a pipe's bytes are handed over before the next read that
 * may block). Returns the bytes inflated; s->state says whether more follow. */
static size_t gz_fill_slot(struct src *s, char *dst, size_t cap)
{
    size_t len = 0;
    while (len < cap && s->state == IN_OK) {
        ssize_t n = gz_fill(s, dst + len, cap - len, len > 0 && !s->regular);
        if (n == GZ_WOULD_READ)
            break;
        if (n == 0)
            s->state = IN_EOF;
        else if (n > 0)
            len += (size_t)n;
    }
    return len;
}

static void wake(int fd)
{
    ssize_t w = write(fd, "", 1); /* non-blocking; a full pipe is awake already */
    (void)w;
}

/* The decompressor thread: owns in->src until joined. */
static void *gz_thread(void *arg)
{
    struct lgn_input *in = arg;
    struct ring *r = in->ring;
    struct src *s = &in->src;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->count == RING_SLOTS && !r->cancel)
            pthread_cond_wait(&r->space, &r->mu);
        bool cancel = r->cancel;
        struct slot *sl = &r->slot[(r->head + r->count) % RING_SLOTS];
        pthread_mutex_unlock(&r->mu);

        size_t len = 0;
        if (cancel)
            s->state = IN_STOPPED;
        else
            len = gz_fill_slot(s, sl->data, SLOT_CAP);

        pthread_mutex_lock(&r->mu);
        if (len > 0) {
            sl->len = len;
            sl->offset = gz_consumed(s);
            r->count++;
        }
        bool done = s->state != IN_OK;
        if (done) {
            r->done = true;
            r->final_state = s->state;
            r->final_offset = gz_consumed(s);
        }
        bool notify = r->consumer_waiting && (len > 0 || done);
        pthread_mutex_unlock(&r->mu);
        if (notify)
            wake(r->notify[1]);
        if (done)
            return NULL;
    }
}

/* Reader side: copies the next inflated bytes (at most room) to dst. Waits
 * for the decompressor when it has nothing ready: before_read first, and a
 * stop signal ends the wait. Returns > 0 bytes, 0 at the end, -1 on error or
 * stop (in->state set). */
static ssize_t ring_take(struct lgn_input *in, char *dst, size_t room)
{
    struct ring *r = in->ring;
    /* A file never waits for a writer: only a pipe's reader needs the flush. */
    bool flushed = in->opts == NULL || in->opts->before_read == NULL || in->src.regular;
    pthread_mutex_lock(&r->mu);
    while (r->count == 0 && !r->done) {
        if (!flushed) {
            pthread_mutex_unlock(&r->mu);
            in->opts->before_read(in->opts->ctx);
            flushed = true;
            pthread_mutex_lock(&r->mu);
            continue; /* the decompressor may have caught up meanwhile */
        }
        bool stop = lgn_signal_stop_requested();
        if (!stop) {
            r->consumer_waiting = true;
            pthread_mutex_unlock(&r->mu);
            struct pollfd p = {r->notify[0], POLLIN, 0};
            int k = poll(&p, 1, -1);
            int e = errno;
            char sink[16];
            while (read(r->notify[0], sink, sizeof sink) > 0) /* non-blocking */
                ;
            pthread_mutex_lock(&r->mu);
            r->consumer_waiting = false;
            stop = k < 0 && e == EINTR && lgn_signal_stop_requested();
        }
        if (stop) {
            pthread_mutex_unlock(&r->mu);
            in->state = IN_STOPPED;
            return -1;
        }
    }
    if (r->count == 0) { /* done: the producer's state and message are final */
        in->state = r->final_state;
        in->gz_offset = r->final_offset;
        pthread_mutex_unlock(&r->mu);
        return in->state == IN_EOF ? 0 : -1;
    }
    struct slot *sl = &r->slot[r->head];
    pthread_mutex_unlock(&r->mu);

    size_t k = sl->len - r->pos;
    if (k > room)
        k = room;
    memcpy(dst, sl->data + r->pos, k);
    r->pos += k;
    in->gz_offset = sl->offset;
    if (r->pos == sl->len) {
        r->pos = 0;
        pthread_mutex_lock(&r->mu);
        r->head = (r->head + 1) % RING_SLOTS;
        r->count--;
        pthread_cond_signal(&r->space);
        pthread_mutex_unlock(&r->mu);
    }
    return (ssize_t)k;
}

static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0) {
        fds[0] = fds[1] = -1;
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 ||
            fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) != 0)
            return -1;
    }
    return 0;
}

static void ring_free(struct ring *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        if (r->notify[i] >= 0)
            close(r->notify[i]);
        if (r->wake[i] >= 0)
            close(r->wake[i]);
    }
    free(r->mem);
    free(r);
}

/* Starts the decompressor thread over in->src. False when it could not be
 * started: the reader then inflates on its own thread, as plain input reads. */
static bool ring_start(struct lgn_input *in)
{
    struct ring *r = calloc(1, sizeof *r);
    if (r == NULL)
        return false;
    r->notify[0] = r->notify[1] = r->wake[0] = r->wake[1] = -1;
    r->mem = malloc(RING_SLOTS * SLOT_CAP);
    if (r->mem == NULL || make_pipe(r->notify) != 0 || make_pipe(r->wake) != 0)
        goto fail;
    for (size_t i = 0; i < RING_SLOTS; i++)
        r->slot[i].data = r->mem + i * SLOT_CAP;
    if (pthread_mutex_init(&r->mu, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&r->space, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        goto fail;
    }
    in->ring = r;
    in->src.wake_fd = r->wake[0];
    /* The thread blocks every signal, so SIGINT/SIGTERM reach the reader's
     * thread and interrupt its wait. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&r->thread, NULL, gz_thread, in);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        return true;
    in->ring = NULL;
    in->src.wake_fd = -1;
    pthread_cond_destroy(&r->space);
    pthread_mutex_destroy(&r->mu);
fail:
    ring_free(r);
    return false;
}

/* Stops and joins the decompressor thread, wherever it is: waiting for a
 * free slot (cond), for input on a pipe (poll on wake), or inflating (it
 * notices at the next slot). Only a read(2) on a pipe that poll(2) reported
 * readable but that another reader of the same pipe drained meanwhile could
 * still block it; lognym is that pipe's only reader. */
static void ring_stop(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->cancel = true;
    pthread_cond_signal(&r->space);
    pthread_mutex_unlock(&r->mu);
    wake(r->wake[1]);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->space);
    pthread_mutex_destroy(&r->mu);
    ring_free(r);
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
    ssize_t n;
    if (in->ring != NULL) {
        n = ring_take(in, in->buf + in->end, room);
    } else {
        n = in->is_gzip ? gz_fill(&in->src, in->buf + in->end, room, false)
                        : src_read(&in->src, in->buf + in->end, room);
        in->state = in->src.state; /* an error may come with bytes before it */
    }
    if (n > 0) {
        in->end += (size_t)n;
    } else if (n == 0) {
        in->state = IN_EOF;
    }
    return n;
}

/* The compressions known by their magic bytes: gzip is read, the others are
 * refused with the tool that decompresses them. */
static const struct {
    const char *magic;
    size_t len;
    const char *kind, *tool; /* NULL for gzip */
} magics[] = {
    {"\x1f\x8b", 2, NULL, NULL},
    {"BZh", 3, "bzip2", "bzip2"},
    {"\xfd\x37\x7a\x58\x5a\x00", 6, "xz", "xz"},
    {"\x28\xb5\x2f\xfd", 4, "zstd", "zstd"},
};

static const char *refuse_kind(const unsigned char *p, size_t n, const char **tool)
{
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        if (magics[i].kind != NULL && n >= magics[i].len &&
            memcmp(p, magics[i].magic, magics[i].len) == 0) {
            *tool = magics[i].tool;
            return magics[i].kind;
        }
    }
    return NULL;
}

/* True while the n bytes so far could still be the start of a magic we know,
 * so one more read is needed to decide (matters for pipes delivering bytes
 * one at a time; a plain log's first byte decides at once). */
static bool magic_undecided(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        if (n < magics[i].len && memcmp(p, magics[i].magic, n) == 0)
            return true;
    }
    return false;
}

/* Opens path (or adopts standard input) and learns what it is: a directory
 * is refused, a regular file has a size and is read ahead. */
static int open_source(struct lgn_input *in, const char *path, bool is_stdin, struct lgn_err *err)
{
    if (is_stdin) {
        in->src.fd = STDIN_FILENO;
    } else {
        in->src.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (in->src.fd < 0)
            return lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name,
                               strerror(errno));
        in->close_fd = true;
    }
    struct stat st;
    if (fstat(in->src.fd, &st) != 0)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", in->name, strerror(EISDIR));
    if (S_ISREG(st.st_mode)) {
        in->size = (int64_t)st.st_size;
        in->src.regular = true;
        (void)posix_fadvise(in->src.fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a hint only */
    }
    return 0;
}

/* Sniffs the magic bytes: reads until the prefix matches no known magic, at
 * most IN_ZBUF bytes so gzip input can move over to zbuf. Refuses the
 * compressions lognym does not read, naming the tool that does. */
static int sniff_magic(struct lgn_input *in, bool is_stdin, struct lgn_err *err)
{
    do {
        ssize_t n = src_read(&in->src, in->buf + in->end, IN_ZBUF - in->end);
        if (n < 0) {
            if (in->src.state == IN_STOPPED) {
                in->state = IN_STOPPED;
                break; /* next() reports the end */
            }
            return lgn_err_set(err, LGN_EXIT_INPUT, "%s", in->src.errmsg);
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
            return lgn_err_set(err, LGN_EXIT_INPUT,
                               "%s: looks like %s-compressed data; decompress it first (... | "
                               "%s -dc | lognym)",
                               in->name, kind, tool);
        return lgn_err_set(err, LGN_EXIT_INPUT,
                           "%s: looks like %s-compressed data; decompress it first (%s -dc %s | "
                           "lognym)",
                           in->name, kind, tool, in->name);
    }
    in->is_gzip =
        in->end >= 2 && (unsigned char)in->buf[0] == 0x1f && (unsigned char)in->buf[1] == 0x8b;
    return 0;
}

/* Starts gzip input: the sniffed bytes are compressed input and move over to
 * zbuf; the inflating thread starts when there is more to read. */
static int start_gzip(struct lgn_input *in, struct lgn_err *err)
{
    struct src *s = &in->src;
    s->zbuf = malloc(IN_ZBUF);
    if (s->zbuf == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: out of memory", in->name);
    if (inflateInit2(&s->zs, 15 + 16) != Z_OK)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: zlib inflateInit2 failed", in->name);
    s->zs_init = true;
    s->gz = GZ_MEMBER;
    memcpy(s->zbuf, in->buf, in->end);
    s->zs.next_in = s->zbuf;
    s->zs.avail_in = (uInt)in->end;
    in->end = 0;
    if (in->state == IN_EOF) {
        in->state = IN_OK; /* raw EOF: gz_fill decides between end and truncation */
        s->raw_eof = true;
    }
    if (in->state == IN_OK)
        (void)ring_start(in); /* else (or if it fails) next() inflates in line */
    return 0;
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
    in->src.fd = -1;
    in->src.wake_fd = -1;
    in->src.opts = opts;
    in->opts = opts;
    in->size = -1;
    in->name = lgn_strdup(is_stdin ? "(stdin)" : path);
    in->src.name = in->name;
    in->buf = malloc(IN_CAP);
    if (in->name == NULL || in->buf == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: out of memory", is_stdin ? "(stdin)" : path);
        lgn_input_close(in);
        return NULL;
    }
    if (open_source(in, path, is_stdin, err) != 0 || sniff_magic(in, is_stdin, err) != 0 ||
        (in->is_gzip && start_gzip(in, err) != 0)) {
        lgn_input_close(in);
        return NULL;
    }
    return in;
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
                               in->src.errmsg,
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
    if (in->ring != NULL)
        return in->gz_offset;
    return in->is_gzip ? gz_consumed(&in->src) : in->src.raw_read;
}

void lgn_input_close(struct lgn_input *in)
{
    if (in == NULL)
        return;
    if (in->ring != NULL)
        ring_stop(in->ring); /* joins the thread: in->src is ours again */
    if (in->src.zs_init)
        inflateEnd(&in->src.zs);
    if (in->close_fd && in->src.fd >= 0)
        close(in->src.fd);
    free(in->src.zbuf);
    free(in->buf);
    free(in->name);
    free(in);
}
