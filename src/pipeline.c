/* pipeline.c: the per-line loop tying input, parse, anonymise and output together. */
#include "pipeline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"
#include "audit.h"
#include "detect.h"
#include "hits.h"
#include "ingest.h"
#include "input.h"
#include "logtime.h"
#include "output.h"
#include "pool.h"
#include "record.h"
#include "rewrite.h"
#include "progress.h"
#include "signals.h"
#include "textcache.h"
#include "utf8.h"

struct lgn_pipeline {
    const struct lgn_config *cfg;
    struct lgn_summary *sum;
    struct lgn_anon *anon;
    struct lgn_formats formats;
    struct lgn_output *out;
    struct lgn_record rec;
    struct lgn_textcache *seen; /* clean user agents and referrers */
    struct lgn_scrub *scrub;    /* filter rules for URLs, referrers, bad lines */
    struct lgn_ingest *ingest;  /* statistics; NULL when no report is asked for */
    struct lgn_err *err;
    const char *file; /* current input's name */
    unsigned input;   /* current input's number in the run, from 0 */
    unsigned n_files; /* inputs started so far */
    bool output_failed;
    bool announced; /* the detected format was reported */
    void (*report)(bool error, const char *msg);
    /* Worker threads, started by lgn_pipeline_file when the run allows them
     * (NULL: this thread does all the work). Each worker has a pipeline of
     * its own that writes to memory; batches of lines go to them in order
     * and their output is written here, in the same order. */
    struct lgn_pool *pool;
    struct lgn_pipeline **workers;
    unsigned n_workers;
    bool workers_tried;
    struct batch *batches, **spare, *cur; /* all, not in flight, being filled */
    size_t n_batches, n_spare;
    bool failed_while_waiting;        /* a batch failed inside flush_before_read, */
    struct lgn_err wait_err;          /* and why (a read error may overwrite err) */
    struct batch *hits_to;            /* a worker's batch: statistics hits are kept there */
    struct lgn_audit *audit;          /* lognym audit: the scanner (NULL: anonymise) */
    struct lgn_audit_found *found;    /* lognym audit: the findings of the run */
    struct lgn_audit_found *found_to; /* where this thread's findings go */
    bool counted;                     /* replaced addresses and values are in sum */
};

/* Lines per batch, and bytes: enough to make a hand-over cheap, few enough
 * to keep memory small. */
#define BATCH_LINES 1024
#define BATCH_BYTES (256 * 1024)

/* How many hits ahead the statistics' rows are asked for (lgn_stats_prefetch):
 * far enough to cover a miss, near enough that the line is still cached. */
#define PREFETCH_AHEAD 8

/* A statistics hit made on a worker, counted later in input order. Its
 * strings are copies in the batch (offsets until the batch is done). */
struct kept_hit {
    struct lgn_hit hit;
    struct lgn_ua_info info;
    size_t off[5]; /* method, path, referrer, host, ref_domain (with its NUL); SIZE_MAX for NULL */
};

/* A run of input lines, copied, and what a worker made of them. */
struct batch {
    char *text; /* the lines' bytes, one after another */
    size_t text_len, text_cap;
    struct lgn_line lines[BATCH_LINES]; /* p is set by the worker, */
    size_t off[BATCH_LINES];            /* to text + off (text may move while filling) */
    size_t n_lines;
    const char *file[BATCH_LINES]; /* each line's input: its name and number */
    unsigned input[BATCH_LINES];
    unsigned char *out; /* the anonymised lines */
    size_t out_len, out_cap;
    struct lgn_summary sum;
    struct kept_hit *hits; /* BATCH_LINES when statistics are on, else NULL */
    size_t n_hits;
    char *strs; /* the hits' strings */
    size_t strs_len, strs_cap;
    struct lgn_audit_found *found; /* lognym audit: the batch's findings */
    const char *detected;          /* format first detected in this batch, or NULL */
    int rc;                        /* -1: the worker stopped at a fatal error, err says why */
    struct lgn_err err;
};

/* Once the batch's strings no longer move: offsets become pointers. */
static void settle_hits(struct batch *b)
{
    for (size_t i = 0; i < b->n_hits; i++) {
        struct kept_hit *k = &b->hits[i];
        const char **s[5] = {&k->hit.method, &k->hit.path, &k->hit.referrer, &k->hit.host,
                             &k->hit.ref_domain};
        for (int j = 0; j < 5; j++)
            *s[j] = k->off[j] == SIZE_MAX ? NULL : b->strs != NULL ? b->strs + k->off[j] : "";
    }
}

static void drain_batches_quietly(struct lgn_pipeline *r);
static int drain_batches(struct lgn_pipeline *r);

/* Flushes before the input may block, so a piped logger's lines reach the
 * file at once while bulk input still gets large writes. */
static void flush_before_read(void *ctx)
{
    struct lgn_pipeline *r = ctx;
    struct lgn_err ignored;
    if (r->pool != NULL && !r->failed_while_waiting && !r->output_failed && drain_batches(r) != 0) {
        r->failed_while_waiting = true;
        r->wait_err = *r->err;
    }
    if (!r->output_failed && lgn_output_flush(r->out, &ignored) != 0)
        r->output_failed = true;
}

/* Tests for NUL bytes and bytes >= 0x80 (then UTF-8 is checked), 32
 * bytes at a time: this runs on every line. */
static void scan_bytes(const char *p, size_t n, bool *nul, bool *high)
{
    uint64_t acc = 0, w[4];
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        memcpy(w, p + i, 32);
        acc |= w[0] | w[1] | w[2] | w[3];
    }
    for (; i + 8 <= n; i += 8) {
        memcpy(w, p + i, 8);
        acc |= w[0];
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    *high = (acc & 0x8080808080808080ull) != 0;
    *nul = memchr(p, '\0', n) != NULL;
}

/* With --key-rotate daily, selects the key of the line's day (the log's own
 * time zone, as written). */
static int select_day_key(struct lgn_pipeline *r)
{
    const struct lgn_format *f = r->rec.fmt;
    for (size_t i = 0; i < f->n_fields; i++) {
        const struct lgn_op *op = f->fields[i];
        struct lgn_slice t = r->rec.in[i];
        int y = -1, m = 0, d = -1;
        if (op->kind == LGN_K_TIME && t.len >= 11) { /* dd/Mon/yyyy */
            d = lgn_logtime_digits(t.p, 2), m = lgn_logtime_month(t.p + 3);
            y = lgn_logtime_digits(t.p + 7, 4);
        } else if (op->kind == LGN_K_TIME_ISO && t.len >= 10) { /* yyyy-mm-dd */
            y = lgn_logtime_digits(t.p, 4), m = lgn_logtime_digits(t.p + 5, 2);
            d = lgn_logtime_digits(t.p + 8, 2);
        } else {
            continue;
        }
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
            return 0; /* unreadable date: keep the current key */
        return lgn_anon_set_day(r->anon, y, m, d, r->err);
    }
    return 0;
}

static int write_line_end(struct lgn_pipeline *r, const struct lgn_line *line, bool cr)
{
    if (cr && lgn_output_write(r->out, "\r", 1, r->err) != 0)
        return -1;
    if (line->had_newline && lgn_output_write(r->out, "\n", 1, r->err) != 0)
        return -1;
    r->sum->written++;
    return lgn_output_end_line(r->out, r->err);
}

/* A line that starts like JSON records (after a byte-order mark, blanks,
 * an array's '['): its objects are read by the JSON-lines policies
 * (lgn_rewrite_bad_line), not by the shape of a format's fields. */
static bool json_shaped(const char *p, size_t n)
{
    size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '['))
        i++;
    return i < n && p[i] == '{';
}

/* A piece of a bad line, rewritten by the policies of the format it has
 * the shape of (`loose`: when it may have one), or as a bad line
 * (lgn_rewrite_bad_line), and written. */
static int bad_piece(struct lgn_pipeline *r, const char *p, size_t n, bool loose)
{
    if (loose && !json_shaped(p, n) &&
        (lgn_formats_match_loose(&r->formats, p, n, &r->rec) != NULL ||
         lgn_formats_match_leading(&r->formats, p, n, &r->rec) != NULL)) {
        if (lgn_rewrite_record_scrub(r->anon, r->scrub, &r->rec, r->seen) != 0)
            return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
        return lgn_record_emit(&r->rec, r->out, r->err);
    }
    bool changed;
    r->rec.arena.len = 0;
    if (lgn_rewrite_bad_line(r->anon, r->scrub, p, n, &r->rec.arena, &changed) != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    return changed ? lgn_output_write(r->out, r->rec.arena.buf, r->rec.arena.len, r->err)
                   : lgn_output_write(r->out, p, n, r->err);
}

/* A line that cannot be parsed is never passed through raw. */
static int bad_line(struct lgn_pipeline *r, const struct lgn_line *line, size_t len, bool cr,
                    enum lgn_bad_kind kind)
{
    lgn_summary_bad(r->sum, kind, line->lineno, r->file);
    static const char *const why[LGN_BAD_KINDS] = {"matches no log format", "holds NUL bytes",
                                                   "is longer than 1 MiB"};
    if (r->cfg->bad_lines == LGN_BAD_FAIL)
        return lgn_err_set(r->err, LGN_EXIT_BAD_LINES, "%s:%llu: the line %s (--bad-lines fail)",
                           r->file, (unsigned long long)line->lineno, why[kind]);
    if (r->cfg->discard_output)
        return 0;
    if (r->cfg->bad_lines == LGN_BAD_DROP || kind == LGN_BAD_TOO_LONG)
        return 0;
    /* NUL bytes hide what they split ("198.51.100\0.7", a UTF-16 log):
     * they are dropped, and the rest is read as a line that matches no
     * format. */
    char *no_nul = NULL;
    const char *p = line->p, *end = line->p + len, *cr_at;
    if (kind == LGN_BAD_NUL && (no_nul = malloc(len)) != NULL) {
        size_t m = 0;
        for (size_t i = 0; i < len; i++)
            if (line->p[i] != '\0')
                no_nul[m++] = line->p[i];
        p = no_nul, end = no_nul + m, kind = LGN_BAD_NO_MATCH;
    } else if (kind == LGN_BAD_NUL) {
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    }
    /* A line with a known format's shape keeps its fields' policies: only
     * what broke it (a time that is not a time) becomes free text. Records
     * joined by a bare CR: each piece so, the CRs kept. */
    int rc = 0;
    while (rc == 0 && kind == LGN_BAD_NO_MATCH &&
           (cr_at = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        rc = bad_piece(r, p, (size_t)(cr_at - p), true) != 0 ||
                     lgn_output_write(r->out, "\r", 1, r->err) != 0
                 ? -1
                 : 0;
        p = cr_at + 1;
    }
    if (rc == 0)
        rc = bad_piece(r, p, (size_t)(end - p), kind == LGN_BAD_NO_MATCH);
    free(no_nul);
    return rc != 0 ? -1 : write_line_end(r, line, cr);
}

/* Makes room for n more bytes after len in a growing buffer. */
static int reserve(char **buf, size_t *cap, size_t len, size_t n, size_t first)
{
    if (*buf != NULL && n <= *cap - len)
        return 0;
    size_t c = *cap ? *cap : first;
    while (c - len < n)
        c *= 2;
    char *b = realloc(*buf, c);
    if (b == NULL)
        return -1;
    *buf = b;
    *cap = c;
    return 0;
}

/* On a worker: the record's statistics hit, kept in the batch. */
static int keep_hit(struct lgn_pipeline *r)
{
    struct batch *b = r->hits_to;
    struct kept_hit *k = &b->hits[b->n_hits];
    if (lgn_ingest_extract(r->ingest, &r->rec, &k->hit, &k->info) != 0)
        return -1;
    k->hit.input = r->input;
    /* Decided here, off the thread that counts every hit in turn. */
    char dom[256];
    lgn_stats_derive(lgn_ingest_stats(r->ingest), &k->hit, dom, sizeof dom);
    const char *s[5] = {k->hit.method, k->hit.path, k->hit.referrer, k->hit.host, dom};
    size_t n[5] = {k->hit.method_len, k->hit.path_len, k->hit.referrer_len, k->hit.host_len,
                   strlen(dom) + 1};
    for (int i = 0; i < 5; i++) {
        k->off[i] = s[i] == NULL ? SIZE_MAX : b->strs_len;
        if (s[i] == NULL || n[i] == 0)
            continue;
        if (reserve(&b->strs, &b->strs_cap, b->strs_len, n[i], 64 * 1024) != 0)
            return -1;
        memcpy(b->strs + b->strs_len, s[i], n[i]);
        b->strs_len += n[i];
    }
    b->n_hits++;
    return 0;
}

static int process_line(struct lgn_pipeline *r, const struct lgn_line *line)
{
    r->sum->lines++;
    if (r->audit != NULL) /* lognym audit: scanned, not rewritten */
        return lgn_audit_line(r->audit, r->found_to, r->scrub, r->anon, &r->formats, &r->rec, line,
                              r->input) == 0
                   ? 0
                   : lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    if (line->too_long)
        return bad_line(r, line, 0, false, LGN_BAD_TOO_LONG);
    size_t len = line->len;
    bool cr = len > 0 && line->p[len - 1] == '\r';
    if (cr) {
        len--;
        lgn_summary_note(r->sum, LGN_NOTE_CRLF, line->lineno);
    }
    if (!line->had_newline)
        lgn_summary_note(r->sum, LGN_NOTE_NO_NEWLINE, line->lineno);
    bool nul, high;
    scan_bytes(line->p, len, &nul, &high);
    if (high && !lgn_utf8_valid(line->p, len))
        lgn_summary_note(r->sum, LGN_NOTE_INVALID_UTF8, line->lineno);
    if (nul)
        return bad_line(r, line, len, cr, LGN_BAD_NUL);
    if (lgn_formats_match(&r->formats, line->p, len, &r->rec) == NULL)
        return bad_line(r, line, len, cr, LGN_BAD_NO_MATCH);
    if (r->cfg->anon.rotate_daily && select_day_key(r) != 0)
        return -1;
    int rc = r->cfg->discard_output ? lgn_rewrite_for_stats(r->anon, r->scrub, &r->rec, r->seen)
                                    : lgn_rewrite_record_scrub(r->anon, r->scrub, &r->rec, r->seen);
    if (rc != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    if (r->cfg->hits) /* hit records instead of the log (one thread: in order) */
        return lgn_hits_write(r->ingest, &r->rec, (uint64_t)r->cfg->hits_source + r->input,
                              line->lineno, r->out, r->err);
    if (r->ingest != NULL &&
        (r->hits_to != NULL ? keep_hit(r) : lgn_ingest_record(r->ingest, &r->rec, r->input)) != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    if (r->cfg->discard_output)
        return 0;
    if (lgn_record_emit(&r->rec, r->out, r->err) != 0)
        return -1;
    return write_line_end(r, line, cr);
}

/* Says once which format auto-detection chose. */
static void announce(struct lgn_pipeline *r, const char *format)
{
    if (r->announced || !r->formats.automatic)
        return;
    r->announced = true;
    char msg[200];
    snprintf(msg, sizeof msg, "input format: %s (auto-detected; --format to override)", format);
    r->report(false, msg);
}

int lgn_pipeline_line(struct lgn_pipeline *r, const struct lgn_line *line, const char *file)
{
    r->file = file;
    const struct lgn_format *before = r->formats.first;
    /* Checked before writing: a line read after SIGHUP goes to the new file. */
    if (lgn_signal_take_reopen() && lgn_output_reopen(r->out, r->err) != 0)
        return -1;
    if (process_line(r, line) != 0)
        return -1;
    if (before == NULL && r->formats.first != NULL)
        announce(r, r->formats.first->name);
    if (r->output_failed) {
        lgn_output_flush(r->out, r->err); /* fills err with the write error */
        return -1;
    }
    return 0;
}

int lgn_pipeline_flush(struct lgn_pipeline *r)
{
    return lgn_output_flush(r->out, r->err);
}

/* The formats of the run, their fields bound to the name rules of s. */
static int formats_open(struct lgn_formats *fs, const struct lgn_config *cfg, struct lgn_scrub *s,
                        struct lgn_err *err)
{
    if (lgn_formats_init(fs, cfg, err) != 0)
        return -1;
    for (size_t i = 0; i < fs->n; i++)
        lgn_policy_bind(fs->list[i], s);
    return 0;
}

/* ---- worker threads ---- */

/* A worker's pipeline: r's settings and key, output to memory, no report. */
static struct lgn_pipeline *worker_new(const struct lgn_pipeline *r, struct lgn_err *err)
{
    struct lgn_pipeline *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->cfg = r->cfg;
    w->err = err;
    w->counted = true; /* its replacements are counted with each batch */
    w->seen = lgn_textcache_new();
    if ((w->anon = lgn_anon_clone(r->anon, err)) == NULL ||
        (r->ingest != NULL && (w->ingest = lgn_ingest_clone(r->ingest, err)) == NULL) ||
        (w->scrub = lgn_scrub_open(r->cfg, w->anon, err)) == NULL ||
        (r->cfg->audit && (w->audit = lgn_audit_new()) == NULL) ||
        formats_open(&w->formats, r->cfg, w->scrub, err) != 0 ||
        (w->out = lgn_output_memory(err)) == NULL) {
        lgn_pipeline_free(w);
        return NULL;
    }
    return w;
}

/* Runs on a worker thread: the batch's lines through the worker's pipeline. */
static void work_batch(void *ctx, void *job)
{
    struct lgn_pipeline *w = ctx;
    struct batch *b = job;
    memset(&b->sum, 0, sizeof b->sum);
    memset(&b->err, 0, sizeof b->err);
    b->rc = 0;
    b->out_len = 0;
    w->sum = &b->sum;
    w->err = &b->err;
    w->hits_to = b;
    b->n_hits = 0;
    w->found_to = b->found;
    if (b->found != NULL)
        lgn_audit_found_clear(b->found);
    b->strs_len = 0;
    const struct lgn_format *before = w->formats.first;
    /* Counted per batch: batches after a fatal error are never counted. */
    unsigned long long anonymised = lgn_anon_count(w->anon),
                       scrubbed = lgn_scrub_replaced(w->scrub);
    for (size_t i = 0; i < b->n_lines && b->rc == 0; i++) {
        struct lgn_line line = b->lines[i];
        line.p = line.too_long ? NULL : b->text + b->off[i];
        w->file = b->file[i];
        w->input = b->input[i];
        b->rc = process_line(w, &line);
    }
    b->sum.anonymised = lgn_anon_count(w->anon) - anonymised;
    b->sum.scrubbed = lgn_scrub_replaced(w->scrub) - scrubbed;
    b->detected = before == NULL && w->formats.first != NULL ? w->formats.first->name : NULL;
    settle_hits(b);
    /* The lines before a fatal error are handed over too, as alone. */
    if (lgn_output_memory_swap(w->out, &b->out, &b->out_len, &b->out_cap, &b->err) != 0)
        b->rc = -1;
}

static unsigned threads_wanted(const struct lgn_config *cfg)
{
    if (cfg->threads != 0)
        return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

/* Starts the workers unless the output is line-buffered (each line must go
 * out at once) or keys rotate daily. When they cannot start, this thread
 * works alone. */
static void start_workers(struct lgn_pipeline *r)
{
    r->workers_tried = true;
    unsigned n = threads_wanted(r->cfg);
    /* --key-rotate daily keeps the last day's key for an undated line: that
     * depends on the lines before it, which a worker does not see. */
    if (n < 2 || r->cfg->anon.rotate_daily || r->cfg->hits ||
        (!r->cfg->discard_output && lgn_output_line_buffered(r->out)))
        return;
    struct lgn_err ignored;
    size_t nb = 2 * (size_t)n + 1; /* each worker busy, one more waiting, one filling */
    struct lgn_pipeline **workers = calloc(n, sizeof(struct lgn_pipeline *));
    struct batch *batches = calloc(nb, sizeof(struct batch));
    struct batch **spare = calloc(nb, sizeof(struct batch *));
    unsigned started = 0;
    bool ok = workers != NULL && batches != NULL && spare != NULL;
    for (size_t i = 0; ok && r->ingest != NULL && i < nb; i++)
        ok = (batches[i].hits = calloc(BATCH_LINES, sizeof(struct kept_hit))) != NULL;
    for (size_t i = 0; ok && r->audit != NULL && i < nb; i++)
        ok = (batches[i].found = lgn_audit_found_new()) != NULL;
    if (ok)
        while (started < n && (workers[started] = worker_new(r, &ignored)) != NULL)
            started++;
    struct lgn_pool *pool =
        started == n ? lgn_pool_new(n, work_batch, (void *const *)workers, nb) : NULL;
    if (pool == NULL) {
        for (unsigned i = 0; i < started; i++)
            lgn_pipeline_free(workers[i]);
        for (size_t i = 0; batches != NULL && i < nb; i++) {
            free(batches[i].hits);
            lgn_audit_found_free(batches[i].found);
        }
        free(workers);
        free(batches);
        free(spare);
        return;
    }
    for (size_t i = 0; i < nb; i++)
        spare[i] = &batches[i];
    r->pool = pool;
    r->workers = workers;
    r->n_workers = n;
    r->batches = batches;
    r->n_batches = r->n_spare = nb;
    r->spare = spare;
}

/* Writes a finished batch (in input order) and adds up its counts. */
static int consume(struct lgn_pipeline *r, struct batch *b)
{
    /* Counted first, as alone: the summary after a write error is the same. */
    lgn_summary_add(r->sum, &b->sum);
    if (b->detected != NULL)
        announce(r, b->detected);
    if (lgn_signal_take_reopen() && lgn_output_reopen(r->out, r->err) != 0)
        return -1;
    if (b->out_len > 0 && lgn_output_write(r->out, b->out, b->out_len, r->err) != 0)
        return -1;
    const struct lgn_stats *st = r->ingest != NULL ? lgn_ingest_stats(r->ingest) : NULL;
    for (size_t i = 0; i < b->n_hits; i++) {
        /* This thread counts every hit: waiting on memory is its cost. */
        for (int s = 0; s < LGN_STATS_PREFETCH_STEPS; s++) {
            size_t ahead = (size_t)(LGN_STATS_PREFETCH_STEPS - s) * PREFETCH_AHEAD;
            if (i + ahead < b->n_hits)
                lgn_stats_prefetch(st, &b->hits[i + ahead].hit, s);
        }
        if (lgn_ingest_add(r->ingest, &b->hits[i].hit) != 0)
            return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    }
    if (b->found != NULL)
        lgn_audit_found_merge(r->found, b->found);
    if (b->rc != 0) {
        *r->err = b->err;
        return -1;
    }
    return 0;
}

static void submit_current(struct lgn_pipeline *r)
{
    if (r->cur == NULL)
        return;
    if (r->cur->n_lines > 0)
        lgn_pool_submit(r->pool, r->cur);
    else
        r->spare[r->n_spare++] = r->cur;
    r->cur = NULL;
}

/* Waits for every batch in flight and writes them in order. After a
 * failure the rest are waited for and dropped. */
static int drain_batches(struct lgn_pipeline *r)
{
    submit_current(r);
    int rc = 0;
    struct batch *b;
    while ((b = lgn_pool_take(r->pool)) != NULL) {
        if (rc == 0)
            rc = consume(r, b);
        r->spare[r->n_spare++] = b;
    }
    return rc;
}

static void drain_batches_quietly(struct lgn_pipeline *r)
{
    submit_current(r);
    struct batch *b;
    while ((b = lgn_pool_take(r->pool)) != NULL)
        r->spare[r->n_spare++] = b;
}

/* Adds a line to the batch being filled; hands the batch to the workers
 * when full, after making room by writing the oldest one. */
static int feed(struct lgn_pipeline *r, const struct lgn_line *line, const char *file)
{
    if (r->failed_while_waiting)
        return -1;
    if (r->output_failed) {
        lgn_output_flush(r->out, r->err); /* fills err with the write error */
        return -1;
    }
    if (r->cur == NULL) {
        if (r->n_spare == 0) {
            struct batch *b = lgn_pool_take(r->pool);
            r->spare[r->n_spare++] = b;
            if (consume(r, b) != 0)
                return -1;
        }
        r->cur = r->spare[--r->n_spare];
        r->cur->n_lines = 0;
        r->cur->text_len = 0;
    }
    struct batch *b = r->cur;
    size_t n = line->too_long ? 0 : line->len;
    if (reserve(&b->text, &b->text_cap, b->text_len, n, BATCH_BYTES) != 0) {
        /* The lines before this one are still written, as alone. */
        if (drain_batches(r) == 0)
            lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    b->lines[b->n_lines] = *line;
    b->lines[b->n_lines].p = NULL;
    b->file[b->n_lines] = file;
    b->input[b->n_lines] = r->input;
    b->off[b->n_lines++] = b->text_len;
    if (n > 0)
        memcpy(b->text + b->text_len, line->p, n);
    b->text_len += n;
    if (b->n_lines == BATCH_LINES || b->text_len >= BATCH_BYTES)
        submit_current(r);
    return 0;
}

/* CRI partial records ("stdout P") are held and joined with the records
 * that continue them, as the CRI log format defines; the joined record is
 * read as one line ("stdout F"). Kubernetes writes stdout and stderr into
 * one file: whole records of the other stream between two parts are held
 * too (a few) and sent after the joined record, so the order of the file is
 * kept. Anything else (a line of no CRI record, a partial record of the
 * other stream, too many held) sends the held record as it is. */
#define CRI_STREAM_LEN 6 /* "stdout", "stderr" */
#define CRI_DEFER 16

struct cri_join {
    char *buf;
    size_t len, cap;
    struct lgn_line line; /* of the first part */
    char stream[CRI_STREAM_LEN];
    bool pending;
    /* whole records of the other stream that came between the parts */
    char *dbuf;
    size_t dlen, dcap, nd;
    struct lgn_line dline[CRI_DEFER];
    size_t doff[CRI_DEFER];
};

static int put_line(struct lgn_pipeline *r, const struct lgn_line *line, const char *name)
{
    return r->pool != NULL ? feed(r, line, name) : lgn_pipeline_line(r, line, name);
}

/* Sends the held record, if any, then the records held behind it. */
static int cri_flush(struct lgn_pipeline *r, struct cri_join *j, const char *name)
{
    if (!j->pending)
        return 0;
    j->pending = false;
    j->line.p = j->buf;
    j->line.len = j->len;
    int rc = put_line(r, &j->line, name);
    for (size_t k = 0; k < j->nd && rc == 0; k++) {
        j->dline[k].p = j->dbuf + j->doff[k];
        rc = put_line(r, &j->dline[k], name);
    }
    j->nd = j->dlen = 0;
    return rc;
}

static void cri_free(struct cri_join *j)
{
    free(j->buf);
    free(j->dbuf);
}

/* The stream word of a CRI record (the 6 bytes before " P " or " F " that
 * end its wrapper of head bytes), or NULL when the line is no CRI record. */
static const char *cri_stream(const char *p, size_t head)
{
    return head > 20 && p[0] != '<' && p[head - 3] == ' ' ? p + head - 9 : NULL;
}

/* Whether cri_take has anything to do with the line: asked of every line,
 * so kept inline at the callers. */
static inline bool cri_wants(const struct cri_join *j, const struct lgn_line *line)
{
    /* a line over the length limit kept no bytes (p is NULL) */
    return j->pending || (!line->too_long && lgn_cri_partial(line->p, line->len));
}

/* Copies [p, p+n) to the end of *buf. */
static int cri_append(struct lgn_pipeline *r, char **buf, size_t *len, size_t *cap, const char *p,
                      size_t n)
{
    if (reserve(buf, cap, *len, n, 4096) != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    memcpy(*buf + *len, p, n);
    *len += n;
    return 0;
}

/* Takes a line (one cri_wants): 1 when it was held or joined (nothing to
 * send yet, or what was held was sent), 0 when it is to be sent as it is,
 * -1 on error. */
static int cri_take(struct lgn_pipeline *r, struct cri_join *j, const struct lgn_line *line,
                    const char *name)
{
    bool partial = !line->too_long && lgn_cri_partial(line->p, line->len);
    size_t head = line->too_long ? 0 : lgn_wrapper_len(line->p, line->len);
    const char *stream = line->too_long ? NULL : cri_stream(line->p, head);
    if (!j->pending) { /* the first part of a record */
        if (stream == NULL)
            return 0;
        j->len = 0;
        if (cri_append(r, &j->buf, &j->len, &j->cap, line->p, line->len) != 0)
            return -1;
        j->line = *line;
        memcpy(j->stream, stream, CRI_STREAM_LEN);
        j->pending = true;
        return 1;
    }
    if (stream != NULL && memcmp(stream, j->stream, CRI_STREAM_LEN) == 0) { /* a next part */
        if (cri_append(r, &j->buf, &j->len, &j->cap, line->p + head, line->len - head) != 0)
            return -1;
        j->line.had_newline = line->had_newline;
        if (partial)
            return 1;
        size_t first = lgn_wrapper_len(j->buf, j->len); /* the whole record: "F" */
        if (first >= 2)
            j->buf[first - 2] = 'F';
        return cri_flush(r, j, name) == 0 ? 1 : -1;
    }
    if (stream != NULL && !partial && j->nd < CRI_DEFER) { /* a whole record of the other stream */
        j->doff[j->nd] = j->dlen;
        j->dline[j->nd++] = *line;
        return cri_append(r, &j->dbuf, &j->dlen, &j->dcap, line->p, line->len) == 0 ? 1 : -1;
    }
    /* nothing will continue what is held, or too much waits behind it */
    if (cri_flush(r, j, name) != 0)
        return -1;
    return partial ? cri_take(r, j, line, name) : 0;
}

int lgn_pipeline_file(struct lgn_pipeline *r, const char *path)
{
    struct lgn_input_opts iopts = {.before_read = flush_before_read, .ctx = r};
    r->input = r->n_files++;
    struct lgn_input *in = lgn_input_open(path, &iopts, r->err);
    if (in == NULL) {
        r->sum->unreadable_inputs++;
        return 1;
    }
    if (!r->workers_tried)
        start_workers(r);
    struct lgn_line line;
    int rc;
    int64_t size = lgn_input_size(in);
    /* On a terminal, for a file of known size, unless --quiet; --progress forces it. */
    bool show = !r->cfg->quiet && (r->cfg->progress || (size > 0 && isatty(STDERR_FILENO)));
    struct lgn_progress progress;
    lgn_progress_start(&progress, show ? stderr : NULL);
    struct cri_join cri = {0};
    while ((rc = lgn_input_next(in, &line, r->err)) == 1) {
        int held = cri_wants(&cri, &line) ? cri_take(r, &cri, &line, lgn_input_name(in)) : 0;
        if (held < 0 || (held == 0 && put_line(r, &line, lgn_input_name(in)) != 0)) {
            rc = -2;
            break;
        }
        if (show && (line.lineno & 4095) == 0)
            lgn_progress_update(&progress, lgn_input_name(in), lgn_input_offset(in), size,
                                line.lineno);
        if (lgn_signal_stop_requested())
            break;
    }
    if (rc != -2 && cri_flush(r, &cri, lgn_input_name(in)) != 0)
        rc = -2;
    cri_free(&cri);
    /* The batches in flight hold this input's name: written before it closes.
     * After a read error the lines before it are still written. */
    if (r->pool != NULL && rc != -2) {
        struct lgn_err read_err = *r->err;
        if (r->failed_while_waiting || drain_batches(r) != 0)
            rc = -2;
        else if (rc == -1)
            *r->err = read_err;
    } else if (r->pool != NULL) {
        drain_batches_quietly(r);
    }
    if (r->failed_while_waiting) /* that error came first */
        *r->err = r->wait_err;
    r->failed_while_waiting = false;
    lgn_progress_clear(&progress);
    lgn_input_close(in);
    if (rc == -1)
        r->sum->unreadable_inputs++;
    return rc == -2 ? -1 : rc == -1 ? 1 : 0;
}

/* One input of a merged read: its next line and that line's time. */
struct merged_input {
    struct lgn_input *in;
    struct lgn_line line;
    int64_t time; /* INT64_MIN: the line has none (it goes out at once) */
    struct lgn_logtime_memo memo;
    struct cri_join cri;
    unsigned number;
    bool have;
};

/* Reads the input's next line. 0, or 1 when it could not be read to its
 * end (reported; the others go on). */
static int merged_next(struct lgn_pipeline *r, struct merged_input *m)
{
    int rc = lgn_input_next(m->in, &m->line, r->err);
    m->have = rc == 1;
    if (rc == -1) {
        r->sum->unreadable_inputs++;
        r->report(true, r->err->msg);
        return 1;
    }
    if (m->have &&
        (m->line.too_long || !lgn_logtime_find(&m->memo, m->line.p, m->line.len, &m->time)))
        m->time = INT64_MIN;
    return 0;
}

int lgn_pipeline_merged(struct lgn_pipeline *r, char *const *paths, size_t n)
{
    struct merged_input *m = calloc(n ? n : 1, sizeof *m);
    if (m == NULL)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    struct lgn_input_opts iopts = {.before_read = flush_before_read, .ctx = r};
    for (size_t i = 0; i < n; i++) {
        m[i].number = r->n_files++;
        m[i].in = lgn_input_open(paths[i], &iopts, r->err);
        if (m[i].in == NULL) {
            r->sum->unreadable_inputs++;
            r->report(true, r->err->msg);
            continue;
        }
        merged_next(r, &m[i]);
    }
    if (!r->workers_tried)
        start_workers(r);
    int rc = 0;
    /* Each input is nearly in time order: the earliest next line of all
     * goes first. The reorder window (stats) absorbs what is left. */
    while (rc == 0 && !lgn_signal_stop_requested()) {
        struct merged_input *best = NULL;
        for (size_t i = 0; i < n; i++)
            if (m[i].have && (best == NULL || m[i].time < best->time))
                best = &m[i];
        if (best == NULL)
            break;
        r->input = best->number;
        const char *name = lgn_input_name(best->in);
        int held =
            cri_wants(&best->cri, &best->line) ? cri_take(r, &best->cri, &best->line, name) : 0;
        if (held < 0 || (held == 0 && put_line(r, &best->line, name) != 0)) {
            rc = -1;
            break;
        }
        merged_next(r, best);
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (m[i].in != NULL && cri_flush(r, &m[i].cri, lgn_input_name(m[i].in)) != 0)
            rc = -1;
    /* The batches in flight hold the inputs' names: written before they close. */
    if (r->pool != NULL && rc == 0) {
        if (r->failed_while_waiting || drain_batches(r) != 0)
            rc = -1;
    } else if (r->pool != NULL) {
        drain_batches_quietly(r);
    }
    if (r->failed_while_waiting)
        *r->err = r->wait_err;
    r->failed_while_waiting = false;
    for (size_t i = 0; i < n; i++) {
        lgn_input_close(m[i].in);
        cri_free(&m[i].cri);
    }
    free(m);
    return rc;
}

/* lognym stats starts its statistics even with no report to write (-q):
 * a bot list or key that cannot be loaded fails every way alike. */
static bool wants_stats(const struct lgn_config *cfg)
{
    return cfg->stats_json || cfg->stats_html || cfg->stats_csv || cfg->stats_text ||
           (cfg->discard_output && !cfg->audit); /* audit: no statistics (nor their rules) */
}

/* lognym audit: the scanner and the run's findings. */
static int audit_setup(struct lgn_pipeline *r, struct lgn_err *err)
{
    if ((r->audit = lgn_audit_new()) == NULL || (r->found = lgn_audit_found_new()) == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    r->found_to = r->found;
    return 0;
}

struct lgn_pipeline *lgn_pipeline_new(const struct lgn_config *cfg, struct lgn_summary *sum,
                                      void (*report)(bool error, const char *msg),
                                      struct lgn_err *err)
{
    struct lgn_pipeline *r = calloc(1, sizeof *r);
    if (r == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    r->cfg = cfg;
    r->sum = sum;
    r->err = err;
    r->report = report;
    r->seen = lgn_textcache_new(); /* NULL only disables the cache */
    struct lgn_output_opts oopts = {.gzip = cfg->gzip, .line_buffered = cfg->line_buffered};
    if ((r->anon = lgn_anon_new(&cfg->anon, err)) == NULL ||
        (r->scrub = lgn_scrub_open(cfg, r->anon, err)) == NULL ||
        formats_open(&r->formats, cfg, r->scrub, err) != 0 ||
        (wants_stats(cfg) && (r->ingest = lgn_ingest_new(cfg, err)) == NULL) ||
        (cfg->audit && audit_setup(r, err) != 0) ||
        (r->out = lgn_output_open(cfg->output, &oopts, err)) == NULL) {
        lgn_pipeline_free(r);
        return NULL;
    }
    return r;
}

/* Once, at the end of a run however it ended: the summary after an error
 * still says how many addresses and values were replaced. */
static void count_replaced(struct lgn_pipeline *r)
{
    if (r->counted || r->anon == NULL || r->scrub == NULL)
        return;
    r->counted = true;
    r->sum->anonymised += lgn_anon_count(r->anon);
    r->sum->scrubbed += lgn_scrub_replaced(r->scrub); /* the workers' come with each batch */
}

/* lognym stats on input that no line of matches the format: an error, not
 * an empty report. */
static int check_any_matched(struct lgn_pipeline *r)
{
    const struct lgn_summary *s = r->sum;
    if (!r->cfg->discard_output || r->cfg->hits || s->lines == 0 ||
        lgn_summary_bad_total(s) < s->lines || s->bad[LGN_BAD_NO_MATCH] == 0)
        return 0;
    char fmt[96];
    lgn_formats_describe(r->cfg, fmt, sizeof fmt);
    return lgn_err_set(r->err, LGN_EXIT_BAD_LINES,
                       "no line matched the log format (%s; first line: %s:%llu); "
                       "no report written",
                       fmt, s->bad_files[LGN_BAD_NO_MATCH][0],
                       (unsigned long long)s->bad_lines[LGN_BAD_NO_MATCH][0]);
}

int lgn_pipeline_finish(struct lgn_pipeline *r)
{
    count_replaced(r);
    int rc = lgn_output_close(r->out, r->err);
    r->out = NULL;
    if (rc == 0)
        rc = check_any_matched(r);
    if (rc == 0 && r->ingest != NULL && !r->cfg->hits) {
        rc = lgn_ingest_finish(r->ingest, r->err);
        r->sum->hits = lgn_ingest_hits(r->ingest);
    }
    if (r->found != NULL) { /* lognym audit: the report, also after an unreadable input */
        r->sum->found_kinds = lgn_audit_found_kinds(r->found);
        if (r->cfg->audit_json || !r->cfg->quiet)
            lgn_audit_report(r->found, r->cfg, r->sum->lines, stdout);
    }
    return rc;
}

void lgn_pipeline_free(struct lgn_pipeline *r)
{
    if (r == NULL)
        return;
    lgn_pool_free(r->pool); /* joins the workers before their pipelines go */
    count_replaced(r);
    for (unsigned i = 0; i < r->n_workers; i++)
        lgn_pipeline_free(r->workers[i]);
    for (size_t i = 0; i < r->n_batches; i++) {
        free(r->batches[i].text);
        free(r->batches[i].out);
        free(r->batches[i].hits);
        free(r->batches[i].strs);
        lgn_audit_found_free(r->batches[i].found);
    }
    free(r->workers);
    free(r->batches);
    free(r->spare);
    lgn_output_free(r->out);
    lgn_ingest_free(r->ingest);
    lgn_record_free(&r->rec);
    lgn_formats_free(&r->formats);
    lgn_scrub_free(r->scrub);
    lgn_anon_free(r->anon);
    lgn_textcache_free(r->seen);
    lgn_audit_free(r->audit);
    lgn_audit_found_free(r->found);
    free(r);
}

int lgn_pipeline_run(const struct lgn_config *cfg, struct lgn_summary *sum, struct lgn_err *err,
                     void (*report)(bool error, const char *msg))
{
    struct lgn_pipeline *r = lgn_pipeline_new(cfg, sum, report, err);
    if (r == NULL)
        return err->exit_code;
    static char stdin_name[] = "-";
    char *const stdin_only[] = {stdin_name};
    char *const *inputs = cfg->n_inputs ? cfg->inputs : stdin_only;
    size_t n_inputs = cfg->n_inputs ? cfg->n_inputs : 1;
    int exit_code = LGN_EXIT_OK;
    /* Statistics over several inputs read them as one stream in time order
     * (load-balanced servers' logs give the figures of one log). */
    if (wants_stats(cfg) && n_inputs > 1) {
        if (lgn_pipeline_merged(r, inputs, n_inputs) != 0)
            exit_code = err->exit_code;
        n_inputs = 0;
    }
    for (size_t i = 0; i < n_inputs && !lgn_signal_stop_requested(); i++) {
        int rc = lgn_pipeline_file(r, inputs[i]);
        if (rc < 0) {
            exit_code = err->exit_code;
            break;
        }
        if (rc > 0) /* report it, go on with the next file, fail at the end */
            report(true, err->msg);
    }
    if (exit_code == LGN_EXIT_OK && lgn_pipeline_finish(r) != 0) {
        exit_code = err->exit_code;
    } else if (exit_code != LGN_EXIT_OK && exit_code != LGN_EXIT_OUTPUT) {
        /* Stopped by a line (--bad-lines fail) or out of memory: the lines
         * before it are still written. */
        struct lgn_err ignored;
        lgn_output_close(r->out, &ignored);
        r->out = NULL;
    }
    lgn_pipeline_free(r);
    if (exit_code == LGN_EXIT_OK && sum->unreadable_inputs > 0) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%llu input%s could not be read completely",
                    sum->unreadable_inputs, sum->unreadable_inputs > 1 ? "s" : "");
        exit_code = LGN_EXIT_INPUT;
    }
    return exit_code;
}
