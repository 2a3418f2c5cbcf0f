/* audit.c: lognym audit: finds personal data left in logs. */
#include "audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addrscan.h"
#include "anon.h"
#include "detect.h"
#include "freetext.h"
#include "input.h"
#include "record.h"
#include "scrub.h"

#define FIRST_LINES 5
#define MAX_KINDS 64

struct place {
    size_t file;
    uint64_t line;
};

struct kind {
    char name[LGN_LABEL_MAX + 1];
    char field[48]; /* the field of the first finding, when the format is known */
    unsigned long long count;
    struct place first[FIRST_LINES];
    size_t n_first;
};

struct audit {
    struct kind kinds[MAX_KINDS];
    size_t n_kinds;
    struct place at;   /* the line being scanned */
    const char *field; /* the field being scanned: its name, or "line" */
    bool user_agent;   /* it is a user agent: bots' contact addresses are kept there */
    char *blank;       /* a copy of the piece with lognym's pseudonyms blanked */
    size_t blank_cap;
};

static void found(const char *name, void *ctx)
{
    struct audit *a = ctx;
    struct kind *k = NULL;
    for (size_t i = 0; i < a->n_kinds && k == NULL; i++)
        if (strcmp(a->kinds[i].name, name) == 0)
            k = &a->kinds[i];
    if (k == NULL) {
        if (a->n_kinds == MAX_KINDS)
            k = &a->kinds[MAX_KINDS - 1]; /* more kinds than rules can have: count as the last */
        else
            k = &a->kinds[a->n_kinds++];
        if (k->name[0] == '\0') {
            snprintf(k->name, sizeof k->name, "%s", name);
            snprintf(k->field, sizeof k->field, "%s", a->field);
        }
    }
    k->count++;
    /* first lines, each once */
    if (k->n_first < FIRST_LINES &&
        (k->n_first == 0 || k->first[k->n_first - 1].line != a->at.line ||
         k->first[k->n_first - 1].file != a->at.file))
        k->first[k->n_first++] = a->at;
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Where a pseudonym lognym writes ("user-0123456789ab") ends at p[i], the
 * dash: the length of its prefix, or 0. */
static size_t pseudonym_at(const char *p, size_t n, size_t i)
{
    static const char *const prefixes[] = {"user", "host", "ident"};
    if (i + 13 > n || (i + 13 < n && is_alnum(p[i + 13])))
        return 0;
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t l = strlen(prefixes[k]);
        if (i >= l && (i == l || !is_alnum(p[i - l - 1])) &&
            lgn_anon_is_name(prefixes[k], p + i - l, l + 13))
            return l;
    }
    return 0;
}

/* The copy of the piece the detectors read (see scan_text), made on the
 * first change; *q is the text they read. False: out of memory. */
static bool copy_once(struct audit *a, const char *p, size_t n, const char **q)
{
    if (*q != p)
        return true;
    if (a->blank == NULL || a->blank_cap < n) {
        char *b = realloc(a->blank, n ? n : 1);
        if (b == NULL)
            return false;
        a->blank = b;
        a->blank_cap = n;
    }
    memcpy(a->blank, p, n);
    *q = a->blank;
    return true;
}

/* Addresses in every spelling the anonymiser rewrites (lgn_addr_find) that
 * are not in the output form of the IP options in force. With q, those that
 * are get blanked in the detectors' copy. Returns 0, or -1 when out of memory. */
static int scan_addresses(struct audit *a, const struct lgn_anon *anon, const char *p, size_t n,
                          const char **q)
{
    struct lgn_addr_hit h;
    size_t from = 0;
    while (lgn_addr_find(p, n, from, &h)) {
        from = h.start + h.len;
        if (a->user_agent && lgn_is_product_version(p, n, &h))
            continue;
        if (!lgn_anon_is_output(anon, &h.ip))
            found("address", a);
        else if (q != NULL && !copy_once(a, p, n, q))
            return -1;
        else if (q != NULL)
            memset(a->blank + h.start, 'x', h.len);
    }
    return 0;
}

/* One piece of a line (a field, or the whole line) in free-text mode.
 * lognym's own output is no finding, and neither are digit runs inside it
 * that a detector would take for an id: a hash-mode "ip-244-15-152-81" host
 * name, or the hex of "user-32172817871d". The detectors read a copy where
 * those are blanked (addresses to x, pseudonyms' hex to a). */
static int scan_text(struct audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
                     const char *p, size_t n)
{
    const char *q = p;
    if (scan_addresses(a, anon, p, n, a->user_agent ? NULL : &q) != 0)
        return -1;
    /* User agents get what lognym does to them: the address scan (product
     * versions kept); bots' contact addresses and build numbers stay. */
    if (a->user_agent)
        return 0;
    for (const char *d = memchr(p, '-', n); d != NULL;
         d = memchr(d + 1, '-', n - (size_t)(d + 1 - p))) {
        size_t i = (size_t)(d - p);
        if (pseudonym_at(p, n, i) == 0)
            continue;
        if (!copy_once(a, p, n, &q))
            return -1;
        memset(a->blank + i + 1, 'a', 12); /* still a pseudonym, without digits */
        if (i + 13 >= n)
            break;
    }
    return lgn_scrub_find(s, LGN_SCRUB_TEXT, q, n, found, a) < 0 ? -1 : 0;
}

/* A field whose kind says what it holds, and whose bytes are only digits,
 * letters and punctuation of that kind, has nothing for the detectors. */
static bool is_structured(enum lgn_kind k, struct lgn_slice v)
{
    const char *allowed;
    switch (k) {
    case LGN_K_TIME:
    case LGN_K_TIME_ISO:
        allowed = "0123456789/:+-. TZJFMASONDanebrpyulgctovc";
        break;
    case LGN_K_STATUS:
    case LGN_K_NUMBER:
    case LGN_K_PORT:
        allowed = "0123456789.-";
        break;
    case LGN_K_METHOD:
    case LGN_K_PROTOCOL:
        allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZ/.0123456789";
        break;
    default:
        return false;
    }
    for (size_t i = 0; i < v.len; i++)
        if (strchr(allowed, v.p[i]) == NULL || v.p[i] == '\0')
            return false;
    return true;
}

/* A line: field by field when a format matches (so findings name their
 * field, and user agents keep what lognym keeps there), else whole. */
static int scan_line(struct audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
                     struct lgn_formats *fs, struct lgn_record *r, const char *p, size_t n)
{
    const struct lgn_format *fmt = lgn_formats_match(fs, p, n, r);
    a->user_agent = false;
    if (fmt == NULL) {
        a->field = "line";
        return scan_text(a, s, anon, p, n);
    }
    for (size_t i = 0; i < fmt->n_fields + 2; i++) {
        size_t f = i < fmt->n_fields ? i : i == fmt->n_fields ? LGN_REC_HEAD : LGN_REC_TAIL;
        struct lgn_slice v = r->in[f];
        if (v.p == NULL || v.len == 0)
            continue;
        a->field = i < fmt->n_fields ? fmt->fields[i]->name : "extra";
        enum lgn_kind k = i < fmt->n_fields ? fmt->fields[i]->kind : LGN_K_OPAQUE;
        a->user_agent = k == LGN_K_UA;
        if (is_structured(k, v)) { /* a time, status, number...: addresses only */
            scan_addresses(a, anon, v.p, v.len, NULL);
            continue;
        }
        if (scan_text(a, s, anon, v.p, v.len) != 0)
            return -1;
    }
    a->user_agent = false;
    return 0;
}

static int scan_file(struct audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
                     struct lgn_formats *fs, struct lgn_record *r, const char *path,
                     uint64_t *lines, struct lgn_err *err)
{
    struct lgn_input *in = lgn_input_open(path, NULL, err);
    if (in == NULL)
        return -1;
    struct lgn_line l;
    int rc;
    while ((rc = lgn_input_next(in, &l, err)) == 1) {
        a->at.line = l.lineno;
        ++*lines;
        if (l.too_long) {
            a->field = "line";
            found("unread-long-line", a);
            continue;
        }
        if (scan_line(a, s, anon, fs, r, l.p, l.len) != 0) {
            rc = lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
            break;
        }
    }
    lgn_input_close(in);
    return rc < 0 ? -1 : 0;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static const char *file_name(const struct lgn_config *cfg, size_t i)
{
    if (cfg->n_inputs == 0 || strcmp(cfg->inputs[i], "-") == 0)
        return "(stdin)";
    return cfg->inputs[i];
}

static void report(const struct audit *a, const struct lgn_config *cfg, uint64_t lines, bool json,
                   bool ip_pseudonyms, FILE *out)
{
    if (out == NULL)
        return;
    size_t files = cfg->n_inputs ? cfg->n_inputs : 1;
    if (json) {
        fprintf(out, "{\"lines\":%llu,\"files\":%zu,\"clean\":%s,", (unsigned long long)lines,
                files, a->n_kinds == 0 ? "true" : "false");
        fprintf(out, "\"addresses_are_pseudonyms\":%s,\"findings\":[",
                ip_pseudonyms ? "true" : "false");
        for (size_t i = 0; i < a->n_kinds; i++) {
            const struct kind *k = &a->kinds[i];
            fprintf(out, "%s{\"kind\":", i ? "," : "");
            json_string(out, k->name);
            fputs(",\"field\":", out);
            json_string(out, k->field);
            fprintf(out, ",\"count\":%llu,\"first\":[", k->count);
            for (size_t j = 0; j < k->n_first; j++) {
                fprintf(out, "%s{\"file\":", j ? "," : "");
                json_string(out, file_name(cfg, k->first[j].file));
                fprintf(out, ",\"line\":%llu}", (unsigned long long)k->first[j].line);
            }
            fputs("]}", out);
        }
        fputs("]}\n", out);
        return;
    }
    if (a->n_kinds == 0)
        fprintf(out, "clean: nothing found in %llu lines of %zu file%s\n",
                (unsigned long long)lines, files, files == 1 ? "" : "s");
    else
        fprintf(out, "found: %zu kind%s of personal data in %llu lines of %zu file%s\n", a->n_kinds,
                a->n_kinds == 1 ? "" : "s", (unsigned long long)lines, files,
                files == 1 ? "" : "s");
    for (size_t i = 0; i < a->n_kinds; i++) {
        const struct kind *k = &a->kinds[i];
        fprintf(out, "  %-16s %10llu  in %-12s first at", k->name, k->count, k->field);
        for (size_t j = 0; j < k->n_first; j++)
            fprintf(out, "%s %s:%llu", j ? "," : "", file_name(cfg, k->first[j].file),
                    (unsigned long long)k->first[j].line);
        fputc('\n', out);
    }
    if (ip_pseudonyms)
        fputs("note: --ip-mode cryptopan: addresses are taken for pseudonyms and not reported\n",
              out);
}

int lgn_audit(const struct lgn_config *cfg, bool json, FILE *out, struct lgn_err *err)
{
    struct lgn_config c = *cfg;
    c.drop_query = false; /* audit looks at everything there is */
    c.keep_params = NULL;
    c.drop_search = false;
    struct lgn_anon_opts ao = cfg->anon;
    ao.key_file = NULL; /* pseudonyms are recognised by their shape, not their key */
    ao.rotate_daily = false;
    struct lgn_anon *anon = lgn_anon_new(&ao, err);
    struct lgn_scrub *s = anon ? lgn_scrub_open(&c, anon, err) : NULL;
    struct audit *a = calloc(1, sizeof *a);
    struct lgn_formats fs = {0};
    struct lgn_record r = {0};
    if (anon == NULL || s == NULL || a == NULL || lgn_formats_init(&fs, cfg, err) != 0) {
        if (a == NULL && anon != NULL && s != NULL)
            lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        int code = err->exit_code ? err->exit_code : LGN_EXIT_INTERNAL;
        free(a);
        lgn_formats_free(&fs);
        lgn_scrub_free(s);
        lgn_anon_free(anon);
        return code;
    }
    uint64_t lines = 0;
    int code = LGN_EXIT_OK;
    struct lgn_err first = {0};
    size_t files = cfg->n_inputs ? cfg->n_inputs : 1;
    for (size_t i = 0; i < files; i++) {
        a->at.file = i;
        const char *path = cfg->n_inputs ? cfg->inputs[i] : "-";
        if (scan_file(a, s, anon, &fs, &r, path, &lines, err) != 0) {
            if (err->exit_code == LGN_EXIT_INTERNAL) {
                code = LGN_EXIT_INTERNAL;
                break;
            }
            fprintf(stderr, "lognym: %s\n", err->msg);
            if (code == LGN_EXIT_OK) {
                code = LGN_EXIT_INPUT;
                first = *err;
            }
        }
    }
    if (code != LGN_EXIT_INTERNAL)
        report(a, cfg, lines, json, cfg->anon.mode == LGN_IP_CRYPTOPAN, out);
    if (code == LGN_EXIT_INPUT)
        *err = first;
    else if (code == LGN_EXIT_OK && a->n_kinds > 0)
        code = 1;
    free(a->blank);
    free(a);
    lgn_record_free(&r);
    lgn_formats_free(&fs);
    lgn_scrub_free(s);
    lgn_anon_free(anon);
    return code;
}
