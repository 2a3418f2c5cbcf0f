/* audit.c: lognym audit: finds personal data left in logs. */
#include "audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addrscan.h"
#include "freetext.h"
#include "rewrite.h"
#include "ip.h"
#include "textcache.h"
#include "url.h"

#define FIRST_LINES 5
#define MAX_KINDS 64

struct place {
    unsigned input; /* the input's number in the run */
    uint64_t line;
};

struct kind {
    char name[LGN_LABEL_MAX + 1];
    char field[48]; /* the field of the first finding, when the format is known */
    unsigned long long count;
    struct place first[FIRST_LINES];
    size_t n_first;
};

struct lgn_audit_found {
    struct kind kinds[MAX_KINDS];
    size_t n_kinds;
};

/* Bytes a structured field may hold (structure_of), one bit per kind. */
enum { SET_TIME = 1, SET_NUMBER = 2, SET_WORD = 4, SET_ADDRESS_MARK = 8 };

struct lgn_audit {
    struct lgn_audit_found *to; /* where findings go */
    unsigned long long n_found; /* findings so far (did a piece add any?) */
    struct place at;            /* the line being scanned */
    const char *field;          /* the field being scanned: its name, or "line" */
    bool user_agent;            /* it is a user agent: bots' contact addresses are kept there */
    char *blank;                /* a copy of the piece with lognym's output blanked */
    size_t blank_cap;
    /* Values scanned before and found clean (user agents are scanned
     * otherwise, so they have their own): real logs repeat them heavily. */
    struct lgn_textcache *clean_text, *clean_ua;
    unsigned char sets[256]; /* SET_* bits of each byte */
};

struct lgn_audit_found *lgn_audit_found_new(void)
{
    return calloc(1, sizeof(struct lgn_audit_found));
}

void lgn_audit_found_free(struct lgn_audit_found *f)
{
    free(f);
}

void lgn_audit_found_clear(struct lgn_audit_found *f)
{
    f->n_kinds = 0;
}

size_t lgn_audit_found_kinds(const struct lgn_audit_found *f)
{
    return f->n_kinds;
}

/* The entry of kind `name` in f, added (with the field of its first
 * finding) when new. */
static struct kind *kind_of(struct lgn_audit_found *f, const char *name, const char *field)
{
    for (size_t i = 0; i < f->n_kinds; i++)
        if (strcmp(f->kinds[i].name, name) == 0)
            return &f->kinds[i];
    if (f->n_kinds == MAX_KINDS) /* more kinds than rules can have: count as the last */
        return &f->kinds[MAX_KINDS - 1];
    struct kind *k = &f->kinds[f->n_kinds++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    snprintf(k->field, sizeof k->field, "%s", field);
    return k;
}

/* First places, each line once. */
static void add_place(struct kind *k, struct place at)
{
    if (k->n_first < FIRST_LINES && (k->n_first == 0 || k->first[k->n_first - 1].line != at.line ||
                                     k->first[k->n_first - 1].input != at.input))
        k->first[k->n_first++] = at;
}

void lgn_audit_found_merge(struct lgn_audit_found *into, const struct lgn_audit_found *later)
{
    for (size_t i = 0; i < later->n_kinds; i++) {
        const struct kind *l = &later->kinds[i];
        struct kind *k = kind_of(into, l->name, l->field);
        k->count += l->count;
        for (size_t j = 0; j < l->n_first; j++)
            add_place(k, l->first[j]);
    }
}

static void found(const char *name, void *ctx)
{
    struct lgn_audit *a = ctx;
    struct kind *k = kind_of(a->to, name, a->field);
    k->count++;
    a->n_found++;
    add_place(k, a->at);
}

void lgn_audit_config(struct lgn_config *cfg)
{
    cfg->drop_query = false; /* audit looks at everything there is */
    cfg->keep_params = NULL;
    cfg->drop_search = false;
    cfg->anon.key_file = NULL; /* pseudonyms are recognised by their shape, not their key */
    cfg->anon.rotate_daily = false;
    cfg->audit = true;
    cfg->discard_output = true;
}

static void set_bits(unsigned char *sets, const char *chars, unsigned char bit)
{
    for (const char *c = chars; *c; c++)
        sets[(unsigned char)*c] |= bit;
}

struct lgn_audit *lgn_audit_new(void)
{
    struct lgn_audit *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    a->clean_text = lgn_textcache_new(); /* NULL only disables the cache */
    a->clean_ua = lgn_textcache_new();
    set_bits(a->sets, "0123456789/:+-. TZJFMASONDanebrpyulgctovc", SET_TIME);
    set_bits(a->sets, "0123456789.-", SET_NUMBER);
    set_bits(a->sets, "ABCDEFGHIJKLMNOPQRSTUVWXYZ/.0123456789", SET_WORD);
    set_bits(a->sets, ".-:", SET_ADDRESS_MARK);
    return a;
}

void lgn_audit_free(struct lgn_audit *a)
{
    if (a == NULL)
        return;
    lgn_textcache_free(a->clean_text);
    lgn_textcache_free(a->clean_ua);
    free(a->blank);
    free(a);
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
static bool copy_once(struct lgn_audit *a, const char *p, size_t n, const char **q)
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
static int scan_addresses(struct lgn_audit *a, const struct lgn_anon *anon, const char *p, size_t n,
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
static int scan_piece(struct lgn_audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
                      const char *p, size_t n)
{
    /* User agents get what lognym does to them: product versions and bots'
     * contact addresses stay; the other detectors run when a number may be
     * there (as the rewriter decides). */
    bool detectors = !a->user_agent || lgn_ua_may_hold_number(p, n);
    const char *q = p;
    if (scan_addresses(a, anon, p, n, detectors ? &q : NULL) != 0)
        return -1;
    if (!detectors)
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
    enum lgn_scrub_kind kind = a->user_agent ? LGN_SCRUB_UA : LGN_SCRUB_TEXT;
    return lgn_scrub_find(s, kind, q, n, found, a) < 0 ? -1 : 0;
}

/* scan_piece, once per distinct clean value: what held nothing holds
 * nothing the next time (a value with findings is scanned every time, so
 * each of its lines is counted). */
static int scan_text(struct lgn_audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
                     const char *p, size_t n)
{
    struct lgn_textcache *clean = a->user_agent ? a->clean_ua : a->clean_text;
    if (clean != NULL && lgn_textcache_has(clean, p, n))
        return 0;
    unsigned long long before = a->n_found;
    if (scan_piece(a, s, anon, p, n) != 0)
        return -1;
    if (clean != NULL && a->n_found == before)
        lgn_textcache_add(clean, p, n);
    return 0;
}

/* A field whose kind says what it holds, and whose bytes are only digits,
 * letters and punctuation of that kind, has nothing for the detectors:
 * STRUCT_TEXT when it is not such a field. A structured field can spell an
 * address at all only with three dots (IPv4, also inside IPv6), three
 * dashes (a dashed host name), "::" or seven colons (IPv6): STRUCT_PLAIN
 * when it has none of them (a time stamp: the address scan is costly on its
 * colons), else STRUCT_ADDRESS. One pass. */
enum structure { STRUCT_TEXT, STRUCT_PLAIN, STRUCT_ADDRESS };

static enum structure structure_of(const struct lgn_audit *a, enum lgn_kind k, struct lgn_slice v)
{
    unsigned char set;
    switch (k) {
    case LGN_K_TIME:
    case LGN_K_TIME_ISO:
        set = SET_TIME;
        break;
    case LGN_K_STATUS:
    case LGN_K_NUMBER:
    case LGN_K_PORT:
        set = SET_NUMBER;
        break;
    case LGN_K_METHOD:
    case LGN_K_PROTOCOL:
        set = SET_WORD;
        break;
    default:
        return STRUCT_TEXT;
    }
    unsigned dots = 0, dashes = 0, colons = 0;
    bool double_colon = false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (!(a->sets[c] & set))
            return STRUCT_TEXT;
        if (a->sets[c] & SET_ADDRESS_MARK) {
            dots += c == '.';
            dashes += c == '-';
            double_colon |= c == ':' && colons > 0 && v.p[i - 1] == ':';
            colons += c == ':';
        }
    }
    return dots >= 3 || dashes >= 3 || colons >= 7 || double_colon ? STRUCT_ADDRESS : STRUCT_PLAIN;
}

/* The target of a request line ("GET /a?b HTTP/1.1"): the method (letters)
 * and the protocol ("HTTP/" and digits) hold nothing, and upper-case
 * letters and digits would only make the detectors look harder. The whole
 * field when it is not such a line. */
static struct lgn_slice request_target(const struct lgn_audit *a, struct lgn_slice v)
{
    struct lgn_span t;
    if (!lgn_request_target(v.p, v.len, &t))
        return v;
    for (size_t i = t.off + t.len; i < v.len; i++) /* " HTTP/1.1", or nothing */
        if (v.p[i] != ' ' && !(a->sets[(unsigned char)v.p[i]] & SET_WORD))
            return v;
    return (struct lgn_slice){v.p + t.off, t.len};
}

/* A line: field by field when a format matches (so findings name their
 * field, and user agents keep what lognym keeps there), else whole. */
static int scan_line(struct lgn_audit *a, struct lgn_scrub *s, const struct lgn_anon *anon,
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
        struct lgn_ip ip;
        if (k == LGN_K_ADDR && lgn_ip_parse(v.p, v.len, &ip)) { /* the client address alone */
            if (!lgn_anon_is_output(anon, &ip))
                found("address", a);
            continue;
        }
        if (k == LGN_K_REQUEST)
            v = request_target(a, v);
        enum structure st = structure_of(a, k, v);
        if (st != STRUCT_TEXT) { /* a time, status, number...: addresses only */
            if (st == STRUCT_ADDRESS && scan_addresses(a, anon, v.p, v.len, NULL) != 0)
                return -1;
            continue;
        }
        if (scan_text(a, s, anon, v.p, v.len) != 0)
            return -1;
    }
    a->user_agent = false;
    return 0;
}

int lgn_audit_line(struct lgn_audit *a, struct lgn_audit_found *to, struct lgn_scrub *s,
                   const struct lgn_anon *anon, struct lgn_formats *fs, struct lgn_record *r,
                   const struct lgn_line *line, unsigned input)
{
    a->to = to;
    a->at.input = input;
    a->at.line = line->lineno;
    if (line->too_long) {
        a->field = "line";
        found("unread-long-line", a);
        return 0;
    }
    return scan_line(a, s, anon, fs, r, line->p, line->len);
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
    if (cfg->n_inputs == 0 || i >= cfg->n_inputs || strcmp(cfg->inputs[i], "-") == 0)
        return "(stdin)";
    return cfg->inputs[i];
}

void lgn_audit_report(const struct lgn_audit_found *f, const struct lgn_config *cfg,
                      unsigned long long lines, FILE *out)
{
    size_t files = cfg->n_inputs ? cfg->n_inputs : 1;
    bool ip_pseudonyms = cfg->anon.mode == LGN_IP_CRYPTOPAN;
    if (cfg->audit_json) {
        fprintf(out, "{\"lines\":%llu,\"files\":%zu,\"clean\":%s,", lines, files,
                f->n_kinds == 0 ? "true" : "false");
        fprintf(out, "\"addresses_are_pseudonyms\":%s,\"findings\":[",
                ip_pseudonyms ? "true" : "false");
        for (size_t i = 0; i < f->n_kinds; i++) {
            const struct kind *k = &f->kinds[i];
            fprintf(out, "%s{\"kind\":", i ? "," : "");
            json_string(out, k->name);
            fputs(",\"field\":", out);
            json_string(out, k->field);
            fprintf(out, ",\"count\":%llu,\"first\":[", k->count);
            for (size_t j = 0; j < k->n_first; j++) {
                fprintf(out, "%s{\"file\":", j ? "," : "");
                json_string(out, file_name(cfg, k->first[j].input));
                fprintf(out, ",\"line\":%llu}", (unsigned long long)k->first[j].line);
            }
            fputs("]}", out);
        }
        fputs("]}\n", out);
        return;
    }
    if (f->n_kinds == 0)
        fprintf(out, "clean: nothing found in %llu lines of %zu file%s\n", lines, files,
                files == 1 ? "" : "s");
    else
        fprintf(out, "found: %zu kind%s of personal data in %llu lines of %zu file%s\n", f->n_kinds,
                f->n_kinds == 1 ? "" : "s", lines, files, files == 1 ? "" : "s");
    for (size_t i = 0; i < f->n_kinds; i++) {
        const struct kind *k = &f->kinds[i];
        fprintf(out, "  %-16s %10llu  in %-12s first at", k->name, k->count, k->field);
        for (size_t j = 0; j < k->n_first; j++)
            fprintf(out, "%s %s:%llu", j ? "," : "", file_name(cfg, k->first[j].input),
                    (unsigned long long)k->first[j].line);
        fputc('\n', out);
    }
    if (ip_pseudonyms)
        fputs("note: --ip-mode cryptopan: addresses are taken for pseudonyms and not reported\n",
              out);
}
