/* pipeline.c: the per-line loop tying input, parse, anonymise and output together. */
#include "pipeline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"
#include "detect.h"
#include "ingest.h"
#include "input.h"
#include "output.h"
#include "record.h"
#include "rewrite.h"
#include "progress.h"
#include "signals.h"
#include "textcache.h"

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
    bool output_failed;
    void (*report)(bool error, const char *msg);
};

/* Flushes before the input may block, so a piped logger's lines reach the
 * file at once while bulk input still gets large writes. */
static void flush_before_read(void *ctx)
{
    struct lgn_pipeline *r = ctx;
    struct lgn_err ignored;
    if (!r->output_failed && lgn_output_flush(r->out, &ignored) != 0)
        r->output_failed = true;
}

/* Tests for NUL bytes and bytes >= 0x80 (then UTF-8 is checked), eight
 * bytes at a time: this runs on every line. */
static void scan_bytes(const char *p, size_t n, bool *nul, bool *high)
{
    uint64_t acc = 0, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    *high = (acc & 0x8080808080808080ull) != 0;
    *nul = memchr(p, '\0', n) != NULL;
}

static bool valid_utf8(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t extra;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if (n - i <= extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

static int month_number(const char *m)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(months + 3 * i, m, 3) == 0)
            return i + 1;
    return 0;
}

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* With --key-rotate daily, selects the key of the line's day (the log's own
 * time zone, as written). */
static int select_day_key(struct lgn_pipeline *r)
{
    const struct lgn_format *f = r->rec.fmt;
    size_t fi = 0;
    for (size_t k = 0; k < f->n_ops; k++) {
        const struct lgn_op *op = &f->ops[k];
        if (!op->is_field)
            continue;
        struct lgn_slice t = r->rec.in[fi++];
        int y = -1, m = 0, d = -1;
        if (op->kind == LGN_K_TIME && t.len >= 11) { /* dd/Mon/yyyy */
            d = digits(t.p, 2), m = month_number(t.p + 3), y = digits(t.p + 7, 4);
        } else if (op->kind == LGN_K_TIME_ISO && t.len >= 10) { /* yyyy-mm-dd */
            y = digits(t.p, 4), m = digits(t.p + 5, 2), d = digits(t.p + 8, 2);
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
    bool changed;
    r->rec.arena.len = 0;
    if (lgn_rewrite_scrubbed_text(r->anon, r->scrub, LGN_SCRUB_TEXT, line->p, len, &r->rec.arena,
                                  &changed) != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    int rc = changed ? lgn_output_write(r->out, r->rec.arena.buf, r->rec.arena.len, r->err)
                     : lgn_output_write(r->out, line->p, len, r->err);
    return rc != 0 ? -1 : write_line_end(r, line, cr);
}

static int process_line(struct lgn_pipeline *r, const struct lgn_line *line)
{
    r->sum->lines++;
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
    if (high && !valid_utf8((const unsigned char *)line->p, len))
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
    if (r->ingest != NULL && lgn_ingest_record(r->ingest, &r->rec) != 0)
        return lgn_err_set(r->err, LGN_EXIT_INTERNAL, "out of memory");
    if (r->cfg->discard_output)
        return 0;
    if (lgn_record_emit(&r->rec, r->out, r->err) != 0)
        return -1;
    return write_line_end(r, line, cr);
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
    if (before == NULL && r->formats.first != NULL && r->formats.automatic) {
        char msg[200];
        snprintf(msg, sizeof msg, "input format: %s (auto-detected; --format to override)",
                 r->formats.first->name);
        r->report(false, msg);
    }
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

int lgn_pipeline_file(struct lgn_pipeline *r, const char *path)
{
    struct lgn_input_opts iopts = {.before_read = flush_before_read, .ctx = r};
    struct lgn_input *in = lgn_input_open(path, &iopts, r->err);
    if (in == NULL) {
        r->sum->unreadable_inputs++;
        return 1;
    }
    struct lgn_line line;
    int rc;
    int64_t size = lgn_input_size(in);
    /* On a terminal, for a file of known size, unless --quiet; --progress forces it. */
    bool show = !r->cfg->quiet && (r->cfg->progress || (size > 0 && isatty(STDERR_FILENO)));
    struct lgn_progress progress;
    lgn_progress_start(&progress, show ? stderr : NULL);
    while ((rc = lgn_input_next(in, &line, r->err)) == 1) {
        if (lgn_pipeline_line(r, &line, lgn_input_name(in)) != 0) {
            rc = -2;
            break;
        }
        if (show && (line.lineno & 4095) == 0)
            lgn_progress_update(&progress, lgn_input_name(in), lgn_input_offset(in), size,
                                line.lineno);
        if (lgn_signal_stop_requested())
            break;
    }
    lgn_progress_clear(&progress);
    lgn_input_close(in);
    if (rc == -1)
        r->sum->unreadable_inputs++;
    return rc == -2 ? -1 : rc == -1 ? 1 : 0;
}

static bool wants_stats(const struct lgn_config *cfg)
{
    return cfg->stats_json || cfg->stats_html || cfg->stats_csv || cfg->stats_text;
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
        lgn_formats_init(&r->formats, cfg, err) != 0 ||
        (wants_stats(cfg) && (r->ingest = lgn_ingest_new(cfg, err)) == NULL) ||
        (r->out = lgn_output_open(cfg->output, &oopts, err)) == NULL) {
        lgn_pipeline_free(r);
        return NULL;
    }
    return r;
}

int lgn_pipeline_finish(struct lgn_pipeline *r)
{
    r->sum->anonymised += lgn_anon_count(r->anon);
    r->sum->scrubbed += lgn_scrub_replaced(r->scrub);
    int rc = lgn_output_close(r->out, r->err);
    r->out = NULL;
    if (rc == 0 && r->ingest != NULL)
        rc = lgn_ingest_finish(r->ingest, r->err);
    return rc;
}

void lgn_pipeline_free(struct lgn_pipeline *r)
{
    if (r == NULL)
        return;
    lgn_output_free(r->out);
    lgn_ingest_free(r->ingest);
    lgn_record_free(&r->rec);
    lgn_formats_free(&r->formats);
    lgn_scrub_free(r->scrub);
    lgn_anon_free(r->anon);
    lgn_textcache_free(r->seen);
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
    for (size_t i = 0; i < n_inputs && !lgn_signal_stop_requested(); i++) {
        int rc = lgn_pipeline_file(r, inputs[i]);
        if (rc < 0) {
            exit_code = err->exit_code;
            break;
        }
        if (rc > 0) /* report it, go on with the next file, fail at the end */
            report(true, err->msg);
    }
    if (exit_code == LGN_EXIT_OK && lgn_pipeline_finish(r) != 0)
        exit_code = err->exit_code;
    lgn_pipeline_free(r);
    if (exit_code == LGN_EXIT_OK && sum->unreadable_inputs > 0) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%llu input%s could not be read completely",
                    sum->unreadable_inputs, sum->unreadable_inputs > 1 ? "s" : "");
        exit_code = LGN_EXIT_INPUT;
    }
    return exit_code;
}
