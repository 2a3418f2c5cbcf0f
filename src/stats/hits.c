/* hits.c: the hit record line format (docs/hits.md), written and parsed. */
#include "hits.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "ipmask.h"
#include "reportable.h"
#include "ua.h"

/* Field numbers (0-based), in the order docs/hits.md lists them. */
enum {
    F_TAG,
    F_VISITOR,
    F_TIME,
    F_TZ,
    F_SOURCE,
    F_LINE,
    F_KIND,
    F_STATUS,
    F_BYTES,
    F_PATH,
    F_REFERRER,
    F_COUNTRY,
    F_DEVICE,
    F_OS,
    F_OS_VERSION,
    F_BROWSER,
    F_BROWSER_VERSION,
    F_BOT,
};

static const char *const field_names[LGN_HITS_FIELDS] = {
    "tag",    "visitor", "time",       "tz",      "source",          "line",
    "kind",   "status",  "bytes",      "path",    "referrer",        "country",
    "device", "os",      "os version", "browser", "browser version", "bot",
};

/* ---- writing ---- */

/* Pieces of a record go straight to the (buffered) output. */
struct sink {
    struct lgn_output *out;
    struct lgn_err *err;
    int rc;
};

static void put(struct sink *k, const char *s, size_t n)
{
    if (k->rc == 0 && n > 0)
        k->rc = lgn_output_write(k->out, s, n, k->err);
}

/* A text field: tab, newline, carriage return and backslash escaped. */
static void put_text(struct sink *k, const char *s, size_t n)
{
    put(k, "\t", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\t'   ? "\\t"
                          : s[i] == '\n' ? "\\n"
                          : s[i] == '\r' ? "\\r"
                          : s[i] == '\\' ? "\\\\"
                                         : NULL;
        if (esc == NULL)
            continue;
        put(k, s + run, i - run);
        put(k, esc, 2);
        run = i + 1;
    }
    put(k, s + run, n - run);
}

static void put_str(struct sink *k, const char *s)
{
    put_text(k, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void put_num(struct sink *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put_num(struct sink *k, const char *fmt, ...)
{
    char tmp[48] = "\t";
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp + 1, sizeof tmp - 1, fmt, ap);
    va_end(ap);
    put(k, tmp, (size_t)n + 1);
}

/* The path, then of its (scrubbed) query only the campaign tags the
 * statistics count (utm_source, utm_medium, utm_campaign), in their order. */
static void put_campaign_path(struct sink *k, const char *p, size_t len, size_t plen)
{
    static const char *const tags[] = {"utm_source=", "utm_medium=", "utm_campaign="};
    char buf[1024];
    size_t o = 0, i = plen;
    while (i < len && (p[i] == '?' || p[i] == '&')) {
        size_t start = i + 1, end = start;
        while (end < len && p[end] != '&' && p[end] != '#')
            end++;
        for (int t = 0; t < 3; t++) {
            size_t tl = strlen(tags[t]), n = end - start;
            if (n >= tl && memcmp(p + start, tags[t], tl) == 0 && o + n + 1 < sizeof buf) {
                char sep = o == 0 ? '?' : '&';
                buf[o++] = sep;
                memcpy(buf + o, p + start, tl);
                o += tl;
                bool mask = lgn_ipmask_holds(p + start + tl, n - tl);
                memcpy(buf + o, mask ? LGN_IPMASK : p + start + tl,
                       mask ? sizeof LGN_IPMASK - 1 : n - tl);
                o += mask ? sizeof LGN_IPMASK - 1 : n - tl;
            }
        }
        i = end;
    }
    char sm[LGN_IPMASK_OUT(512)];
    size_t mlen = plen <= 512 ? lgn_ipmask_path(p, plen, sm) : 0;
    if (plen > 512 && lgn_ipmask_holds(p, plen))
        put_text(k, LGN_IPMASK, sizeof LGN_IPMASK - 1); /* a long path: all of it */
    else
        put_text(k, mlen > 0 ? sm : p, mlen > 0 ? mlen : plen);
    put(k, buf, o);
}

/* The request path as the statistics count it: up to '?' or '#' (the query
 * never leaves the host). */
static size_t path_len(const struct lgn_hit *h)
{
    size_t n = 0;
    while (n < h->path_len && h->path[n] != '?' && h->path[n] != '#')
        n++;
    return n;
}

int lgn_hits_write(struct lgn_ingest *g, const struct lgn_record *r, uint64_t source, uint64_t line,
                   struct lgn_output *out, struct lgn_err *err)
{
    struct lgn_hit h;
    struct lgn_ua_info info;
    if (lgn_ingest_extract(g, r, &h, &info) != 0)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "cannot derive the day's visitor key");
    const struct lgn_stats *st = lgn_ingest_stats(g);
    const char *path = h.path != NULL ? h.path : "";
    size_t plen = h.path != NULL ? path_len(&h) : 0;
    const char *kind = "a"; /* an asset, unless its path is a page's */
    if (lgn_stats_is_page_view(st, h.method, h.method_len, h.status, path, plen))
        kind = "p";
    else if (lgn_stats_is_page_view(st, "GET", 3, 200, path, plen))
        kind = "n";
    char dom[256];
    bool direct = h.referrer_len == 0 || (h.referrer_len == 1 && h.referrer[0] == '-');
    if (lgn_stats_referrer_domain(st, h.referrer, h.referrer_len, h.host, h.host_len, dom,
                                  sizeof dom) == 0)
        dom[0] = direct ? '\0' : '-', dom[1] = '\0'; /* "-": a referrer not counted */
    struct sink k = {out, err, 0};
    put(&k, LGN_HITS_TAG, sizeof LGN_HITS_TAG - 1);
    put_num(&k, "%016" PRIx64, h.visitor);
    if (h.time == LGN_HIT_NO_TIME)
        put(&k, "\t-", 2);
    else
        put_num(&k, "%" PRId64, h.time * 1000);
    put_num(&k, "%d", h.tz_offset_min);
    put_num(&k, "%" PRIu64, source);
    put_num(&k, "%" PRIu64, line);
    put_str(&k, kind);
    put_num(&k, "%d", h.status);
    put_num(&k, "%" PRIu64, h.bytes);
    put_campaign_path(&k, path, h.path != NULL ? h.path_len : 0, plen);
    put_str(&k, dom);
    put_str(&k, h.country);
    put_str(&k, h.device);
    put_str(&k, h.os);
    put_str(&k, h.os_version);
    put_str(&k, h.browser);
    put_str(&k, h.browser_version);
    put_str(&k, !h.is_bot                                         ? ""
                : h.bot_family != NULL && h.bot_family[0] != '\0' ? h.bot_family
                                                                  : "Other");
    put(&k, "\n", 1);
    return k.rc;
}

/* ---- parsing ---- */

static bool parse_u64(const char *s, uint64_t *v)
{
    if (*s == '\0')
        return false;
    uint64_t x = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = x;
    return true;
}

static bool parse_i64(const char *s, int64_t *v)
{
    bool neg = *s == '-';
    uint64_t x;
    if (!parse_u64(s + neg, &x) || x > (uint64_t)INT64_MAX)
        return false;
    *v = neg ? -(int64_t)x : (int64_t)x;
    return true;
}

static bool parse_hex64(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        x = x << 4 | (uint64_t)d;
    }
    *v = x;
    return n == 16;
}

/* Unescapes s in place (NUL-terminated); false on a bad escape. */
static bool unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        const char *from = "tnr\\", *to = "\t\n\r\\";
        const char *at = *++p != '\0' ? strchr(from, *p) : NULL;
        if (at == NULL)
            return false;
        *o++ = to[at - from];
    }
    *o = '\0';
    return true;
}

/* A field that a report shows as it is: what lognym writes passes; a record
 * written by an older version or by hand may hold a value the anonymiser
 * scrubs (a phone number as a version, a JWT as a family), which becomes the
 * fallback. A version must be a plain name too (a family may be a rule's
 * own words, "Mobile Safari UI/WKWebView"). rep NULL: lgn_reportable only. */
static const char *reportable_or(struct lgn_reportable *rep, const char *s, const char *fallback)
{
    return lgn_reportable_text(rep, s, strlen(s)) ? s : fallback;
}

static const char *version_or_none(struct lgn_reportable *rep, const char *s)
{
    return lgn_reportable_copied(rep, s, strlen(s)) ? s : "";
}

static int bad(struct lgn_err *err, unsigned field, const char *what)
{
    return lgn_err_set(err, LGN_EXIT_INPUT, "not a hit record: %s %s", field_names[field], what);
}

/* Reads the fields (already split and unescaped) into hit and key. */
static int fill(char *const f[LGN_HITS_FIELDS], struct lgn_reportable *rep, struct lgn_hit *hit,
                struct lgn_hit_key *key, struct lgn_err *err)
{
    memset(hit, 0, sizeof *hit);
    uint64_t u;
    int64_t tz;
    if (!parse_hex64(f[F_VISITOR], &hit->visitor))
        return bad(err, F_VISITOR, "is not 16 hex digits");
    if (strcmp(f[F_TIME], "-") == 0) {
        key->time_ms = INT64_MIN;
        hit->time = LGN_HIT_NO_TIME;
    } else if (parse_i64(f[F_TIME], &key->time_ms) && key->time_ms > INT64_MIN) {
        int64_t t = key->time_ms;
        hit->time = t / 1000 - (t % 1000 < 0); /* floor */
    } else {
        return bad(err, F_TIME, "is not a number of milliseconds");
    }
    if (!parse_i64(f[F_TZ], &tz) || tz < -1440 || tz > 1440)
        return bad(err, F_TZ, "is not an offset in minutes");
    hit->tz_offset_min = (int)tz;
    if (!parse_u64(f[F_SOURCE], &key->source))
        return bad(err, F_SOURCE, "is not a number");
    if (!parse_u64(f[F_LINE], &key->line))
        return bad(err, F_LINE, "is not a number");
    const char *k = f[F_KIND];
    if (!((k[0] == 'p' || k[0] == 'n' || k[0] == 'a') && k[1] == '\0'))
        return bad(err, F_KIND, "is not p, n or a");
    hit->pv = k[0] == 'p' ? LGN_PV_YES : LGN_PV_NO;
    if (!parse_u64(f[F_STATUS], &u) || u > 999)
        return bad(err, F_STATUS, "is not a status code");
    hit->status = (int)u;
    if (!parse_u64(f[F_BYTES], &hit->bytes))
        return bad(err, F_BYTES, "is not a number");
    size_t cc = strlen(f[F_COUNTRY]);
    if (cc > 2)
        return bad(err, F_COUNTRY, "is not a country code");
    hit->path = f[F_PATH];
    hit->path_len = strlen(f[F_PATH]);
    hit->ref_domain = f[F_REFERRER];
    if (lgn_ipmask_holds(f[F_REFERRER], strlen(f[F_REFERRER]))) /* a record from elsewhere */
        hit->ref_domain = LGN_IPMASK;
    if (strcmp(f[F_REFERRER], "-") == 0) { /* a referrer not counted: not "(direct)" either */
        hit->ref_domain = "";
        hit->referrer = "-internal", hit->referrer_len = 9;
    }
    memcpy(hit->country, f[F_COUNTRY], cc + 1);
    hit->device = reportable_or(rep, f[F_DEVICE], "other");
    hit->os = reportable_or(rep, f[F_OS], "Other");
    hit->os_version = version_or_none(rep, f[F_OS_VERSION]);
    hit->browser = reportable_or(rep, f[F_BROWSER], "Other");
    hit->browser_version = version_or_none(rep, f[F_BROWSER_VERSION]);
    hit->is_bot = f[F_BOT][0] != '\0';
    hit->bot_family = reportable_or(rep, f[F_BOT], LGN_UA_OTHER_BOT);
    return 0;
}

int lgn_hits_parse(char *line, size_t len, struct lgn_hit *hit, struct lgn_hit_key *key,
                   struct lgn_err *err)
{
    char *f[LGN_HITS_FIELDS];
    size_t n = 0;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    f[n++] = line;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\0')
            return lgn_err_set(err, LGN_EXIT_INPUT, "not a hit record: a NUL byte");
        if (line[i] != '\t')
            continue;
        if (n == LGN_HITS_FIELDS)
            return lgn_err_set(err, LGN_EXIT_INPUT, "not a hit record: more than %d fields",
                               LGN_HITS_FIELDS);
        line[i] = '\0';
        f[n++] = line + i + 1;
    }
    line[len] = '\0';
    if (strcmp(f[F_TAG], LGN_HITS_TAG) != 0)
        return lgn_err_set(err, LGN_EXIT_INPUT,
                           "not a hit record of format " LGN_HITS_TAG " (docs/hits.md)");
    if (n != LGN_HITS_FIELDS)
        return lgn_err_set(err, LGN_EXIT_INPUT, "not a hit record: %zu fields, not %d", n,
                           LGN_HITS_FIELDS);
    /* Unescaped fields are moved together, each ended by its NUL, for
     * lgn_hits_parse_again. */
    char *o = line;
    for (unsigned i = 0; i < LGN_HITS_FIELDS; i++) {
        if (i >= F_PATH && !unescape(f[i]))
            return bad(err, i, "has a bad escape");
        size_t fl = strlen(f[i]);
        memmove(o, f[i], fl + 1);
        f[i] = o;
        o += fl + 1;
    }
    return fill(f, NULL, hit, key, err);
}

int lgn_hits_parse_again(char *fields, struct lgn_reportable *rep, struct lgn_hit *hit,
                         struct lgn_hit_key *key)
{
    char *f[LGN_HITS_FIELDS];
    for (unsigned i = 0; i < LGN_HITS_FIELDS; i++) {
        f[i] = fields;
        fields += strlen(fields) + 1;
    }
    return fill(f, rep, hit, key, NULL);
}

int lgn_hits_key_cmp(const struct lgn_hit_key *a, const struct lgn_hit_key *b)
{
    if (a->time_ms != b->time_ms)
        return a->time_ms < b->time_ms ? -1 : 1;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}
