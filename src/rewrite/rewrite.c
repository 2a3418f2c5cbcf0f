/* rewrite.c: replaces addresses, host names and user names in a record's fields. */
#include "rewrite.h"

#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "freetext.h"
#include "statsview.h"

static int rewrite_text(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *arena,
                        bool *changed, bool versions)
{
    return lgn_freetext_addresses(a, NULL, p, n, versions, arena, changed);
}

int lgn_rewrite_text(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *arena,
                     bool *changed)
{
    return rewrite_text(a, p, n, arena, changed, false);
}

/* A pseudonym lognym wrote ("user-0123456789ab"): kept, so anonymising a
 * file twice changes nothing. */
static bool is_pseudonym(const char *p, size_t n)
{
    const char *dash = memchr(p, '-', n);
    if (dash == NULL || p + n - dash != 13)
        return false;
    size_t plen = (size_t)(dash - p);
    if (!((plen == 4 && (memcmp(p, "user", 4) == 0 || memcmp(p, "host", 4) == 0)) ||
          (plen == 5 && memcmp(p, "ident", 5) == 0)))
        return false;
    for (const char *c = dash + 1; c < p + n; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

/* Tokens in an address field that name no one and stay as they are. */
static bool keep_name(const char *p, size_t n)
{
    struct lgn_ip_span span; /* "unix:/run/php.sock" is kept, "unix:198.51.100.7" is not */
    return is_pseudonym(p, n) || (n == 1 && p[0] == '-') ||
           (n >= 5 && memcmp(p, "unix:", 5) == 0 && !lgn_ip_find(p, n, 0, &span)) ||
           (n == 9 && memcmp(p, "localhost", 9) == 0) || (n == 7 && memcmp(p, "unknown", 7) == 0);
}

/* True when the token is an address with at most brackets, a zone id or a
 * port around it: "10.0.0.1:80", "[2001:db8::1]:443", "fe80::1%eth0". A host
 * name that merely contains a dotted quad ("4.3.2.1.dsl.example.net") is not. */
static bool is_address_token(const char *t, size_t n)
{
    struct lgn_ip_span span;
    if (!lgn_ip_find(t, n, 0, &span) || span.start > (t[0] == '[' ? 1u : 0u))
        return false;
    size_t i = span.start + span.len;
    if (i < n && t[i] == '%')
        return true;
    if (span.start == 1)
        i += i < n && t[i] == ']';
    if (i < n && t[i] == ':')
        for (i++; i < n && t[i] >= '0' && t[i] <= '9';)
            i++;
    return i == n;
}

static bool is_sep(char c)
{
    return c == ',' || c == ' ' || c == '"';
}

/* A client address field: one address (the common case), or a list of
 * addresses, or host names when HostnameLookups is on: each token that holds
 * no address is a name and gets a keyed pseudonym, never passed through. */
static int rewrite_addr(struct lgn_anon *a, struct lgn_record *r, size_t i)
{
    struct lgn_slice v = r->in[i];
    struct lgn_ip ip;
    char buf[LGN_ANON_MAX];
    size_t off = r->arena.len;
    if (lgn_ip_parse(v.p, v.len, &ip)) {
        size_t m = lgn_anon_ip(a, v.p, v.len, &ip, buf);
        if (lgn_arena_put(&r->arena, buf, m) != 0)
            return -1;
        lgn_record_set_from(r, i, off);
        return 0;
    }
    size_t pos = 0;
    bool changed = false;
    while (pos < v.len) {
        size_t start = pos;
        while (pos < v.len && is_sep(v.p[pos]))
            pos++;
        if (lgn_arena_put(&r->arena, v.p + start, pos - start) != 0)
            return -1;
        start = pos;
        while (pos < v.len && !is_sep(v.p[pos]))
            pos++;
        const char *t = v.p + start;
        size_t tn = pos - start;
        if (tn == 0)
            continue;
        bool tok_changed;
        if (is_address_token(t, tn)) {
            if (lgn_rewrite_text(a, t, tn, &r->arena, &tok_changed) != 0 ||
                (!tok_changed && lgn_arena_put(&r->arena, t, tn) != 0))
                return -1;
            changed = true;
        } else if (keep_name(t, tn)) {
            if (lgn_arena_put(&r->arena, t, tn) != 0)
                return -1;
        } else {
            size_t m = lgn_anon_name(a, "host", t, tn, buf);
            if (lgn_arena_put(&r->arena, buf, m) != 0)
                return -1;
            changed = true;
        }
    }
    if (changed)
        lgn_record_set_from(r, i, off);
    else
        r->arena.len = off;
    return 0;
}

static int rewrite_name(struct lgn_anon *a, struct lgn_record *r, size_t i, const char *prefix)
{
    struct lgn_slice v = r->in[i];
    if (v.len == 0 || keep_name(v.p, v.len))
        return 0;
    char buf[LGN_ANON_MAX];
    size_t off = r->arena.len;
    size_t m = lgn_anon_name(a, prefix, v.p, v.len, buf);
    if (lgn_arena_put(&r->arena, buf, m) != 0)
        return -1;
    lgn_record_set_from(r, i, off);
    return 0;
}

static int rewrite_opaque(struct lgn_anon *a, struct lgn_record *r, size_t i)
{
    bool changed;
    size_t off = r->arena.len;
    if (lgn_rewrite_text(a, r->in[i].p, r->in[i].len, &r->arena, &changed) != 0)
        return -1;
    if (changed)
        lgn_record_set_from(r, i, off);
    return 0;
}

/* Scrubs text by the filter rules (s may be NULL), then anonymises every
 * address in the result. The scrubbed bytes live in the scrubber, not the
 * arena, so the arena may grow while they are read. */
int lgn_rewrite_scrubbed_text(struct lgn_anon *a, struct lgn_scrub *s, enum lgn_scrub_kind kind,
                              const char *p, size_t n, struct lgn_arena *arena, bool *changed)
{
    if (kind == LGN_SCRUB_TEXT)
        return lgn_freetext(s, a, p, n, arena, changed);
    const char *q = p;
    size_t m = n;
    int rc = s != NULL ? lgn_scrub(s, kind, p, n, &q, &m) : 0;
    if (rc < 0 || lgn_rewrite_text(a, q, m, arena, changed) != 0)
        return -1;
    if (rc == 1 && !*changed && lgn_arena_put(arena, q, m) != 0)
        return -1;
    *changed = *changed || rc == 1;
    return 0;
}

static int rewrite_scrubbed(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r, size_t i,
                            enum lgn_scrub_kind kind)
{
    bool changed;
    size_t off = r->arena.len;
    if (lgn_rewrite_scrubbed_text(a, s, kind, r->in[i].p, r->in[i].len, &r->arena, &changed) != 0)
        return -1;
    if (changed)
        lgn_record_set_from(r, i, off);
    return 0;
}

/* User agents and referrers repeat: one that held no address (and, for a
 * referrer, nothing to scrub) is not scanned again. */
static int rewrite_repeated(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r, size_t i,
                            struct lgn_textcache *seen)
{
    struct lgn_slice v = r->in[i];
    if (seen == NULL)
        return rewrite_scrubbed(a, s, r, i, LGN_SCRUB_URL);
    if (lgn_textcache_has(seen, v.p, v.len))
        return 0;
    if (rewrite_scrubbed(a, s, r, i, LGN_SCRUB_URL) != 0)
        return -1;
    if (!r->out[i].dirty)
        lgn_textcache_add(seen, v.p, v.len);
    return 0;
}

/* A user agent: addresses anonymised, product versions kept; one that held
 * no address is not scanned again. */
static int rewrite_ua(struct lgn_anon *a, struct lgn_record *r, size_t i,
                      struct lgn_textcache *seen)
{
    struct lgn_slice v = r->in[i];
    if (seen != NULL && lgn_textcache_has(seen, v.p, v.len))
        return 0;
    bool changed;
    size_t off = r->arena.len;
    if (rewrite_text(a, v.p, v.len, &r->arena, &changed, true) != 0)
        return -1;
    if (changed)
        lgn_record_set_from(r, i, off);
    else if (seen != NULL)
        lgn_textcache_add(seen, v.p, v.len);
    return 0;
}

/* Does p[0..n) have the shape of template t? 'd' is a digit, 'a' a letter,
 * '+' a sign; any other byte stands for itself. */
static bool has_shape(const char *p, size_t n, const char *t)
{
    if (n != strlen(t))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool ok = t[i] == 'd'   ? c >= '0' && c <= '9'
                  : t[i] == 'a' ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                  : t[i] == '+' ? c == '+' || c == '-'
                                : c == t[i];
        if (!ok)
            return false;
    }
    return true;
}

/* Times, methods and protocols are parsed loosely, so a hostile line can put
 * an address in them; only their usual shapes skip the address scan. */
static bool plain_field(enum lgn_kind kind, const char *p, size_t n)
{
    switch (kind) {
    case LGN_K_TIME:
        return has_shape(p, n, "dd/aaa/dddd:dd:dd:dd +dddd");
    case LGN_K_TIME_ISO:
        return has_shape(p, n, "dddd-dd-ddTdd:dd:dd+dd:dd");
    case LGN_K_PROTOCOL:
        return has_shape(p, n, "aaaa/d.d") || has_shape(p, n, "aaaa/d");
    default: /* a method: an address needs a ':' (IPv6) or a '.' (IPv4) */
        return memchr(p, ':', n) == NULL && memchr(p, '.', n) == NULL;
    }
}

int lgn_rewrite_record(struct lgn_anon *a, struct lgn_record *r, struct lgn_textcache *seen)
{
    return lgn_rewrite_record_scrub(a, NULL, r, seen);
}

/* The fields whose rewritten values the statistics read (ingest.c). */
static bool read_by_stats(enum lgn_kind kind)
{
    return kind == LGN_K_REQUEST || kind == LGN_K_URL || kind == LGN_K_REFERER ||
           kind == LGN_K_HOST || kind == LGN_K_METHOD;
}

/* Field i's value becomes p[0..m) (a cut that needed no scrubbing). */
static int put_cut(struct lgn_record *r, size_t i, const char *p, size_t m)
{
    size_t off = r->arena.len;
    if (lgn_arena_put(&r->arena, p, m) != 0)
        return -1;
    lgn_record_set_from(r, i, off);
    return 0;
}

/* For statistics only: field i cut down to what they read (statsview.h),
 * then scrubbed; a referrer's cut is remembered when it needed nothing. */
static int rewrite_for_stats(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                             size_t i, struct lgn_textcache *seen)
{
    enum lgn_kind kind = r->fmt->fields[i]->kind;
    struct lgn_slice v = r->in[i];
    char sbuf[2048], *buf = sbuf;
    const char *cut = v.p;
    size_t m;
    if (kind == LGN_K_REFERER) {
        m = lgn_statsview_referrer(v.p, v.len);
        if (seen != NULL && lgn_textcache_has(seen, v.p, m))
            return m == v.len ? 0 : put_cut(r, i, v.p, m);
    } else {
        if (v.len > sizeof sbuf && (buf = malloc(v.len)) == NULL)
            return -1;
        m = kind == LGN_K_REQUEST ? lgn_statsview_request(v.p, v.len, buf)
                                  : lgn_statsview_url(v.p, v.len, 0, v.len, buf);
        if (m < v.len)
            cut = buf;
    }
    bool changed;
    size_t off = r->arena.len;
    int rc =
        lgn_rewrite_scrubbed_text(a, s, kind == LGN_K_REQUEST ? LGN_SCRUB_REQUEST : LGN_SCRUB_URL,
                                  cut, m, &r->arena, &changed);
    if (rc == 0 && changed)
        lgn_record_set_from(r, i, off);
    else if (rc == 0 && m < v.len)
        rc = put_cut(r, i, cut, m);
    if (rc == 0 && !changed && kind == LGN_K_REFERER && seen != NULL)
        lgn_textcache_add(seen, v.p, m);
    if (buf != sbuf)
        free(buf);
    return rc;
}

static int rewrite_fields(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                          struct lgn_textcache *seen, bool all)
{
    /* wrappers and trailing fields are free text */
    if (all && (rewrite_scrubbed(a, s, r, LGN_REC_HEAD, LGN_SCRUB_TEXT) != 0 ||
                rewrite_scrubbed(a, s, r, LGN_REC_TAIL, LGN_SCRUB_TEXT) != 0))
        return -1;
    for (size_t i = 0; i < r->fmt->n_fields; i++) {
        const struct lgn_op *op = r->fmt->fields[i];
        if (!all && !read_by_stats(op->kind))
            continue;
        if (!all &&
            (op->kind == LGN_K_REQUEST || op->kind == LGN_K_URL || op->kind == LGN_K_REFERER)) {
            if (rewrite_for_stats(a, s, r, i, seen) != 0)
                return -1;
            continue;
        }
        int rc = 0;
        switch (op->kind) {
        case LGN_K_ADDR:
            rc = rewrite_addr(a, r, i);
            break;
        case LGN_K_ADDR_LIST: /* host names in X-Forwarded-For are pseudonymised like %h; */
            rc = memchr(r->in[i].p, '=', r->in[i].len) == NULL /* "Forwarded: for=" is text */
                     ? rewrite_addr(a, r, i)
                     : rewrite_scrubbed(a, s, r, i, LGN_SCRUB_TEXT);
            break;
        case LGN_K_USER:
            rc = rewrite_name(a, r, i, "user");
            break;
        case LGN_K_IDENT:
            rc = rewrite_name(a, r, i, "ident");
            break;
        case LGN_K_UA:
            rc = rewrite_ua(a, r, i, seen);
            break;
        case LGN_K_REFERER:
            rc = rewrite_repeated(a, s, r, i, seen);
            break;
        case LGN_K_REQUEST:
            rc = rewrite_scrubbed(a, s, r, i, LGN_SCRUB_REQUEST);
            break;
        case LGN_K_URL:
        case LGN_K_URL_HEADER:
            rc = rewrite_scrubbed(a, s, r, i, LGN_SCRUB_URL);
            break;
        case LGN_K_QUERY:
            rc = rewrite_scrubbed(a, s, r, i, LGN_SCRUB_QUERY);
            break;
        case LGN_K_STATUS:
            break; /* three digits: cannot hold an address */
        case LGN_K_TIME:
        case LGN_K_TIME_ISO:
        case LGN_K_METHOD:
        case LGN_K_PROTOCOL:
            if (!plain_field(op->kind, r->in[i].p, r->in[i].len))
                rc = rewrite_opaque(a, r, i);
            break;
        case LGN_K_OPAQUE: /* unknown variables, %{...}e/x/n/C, the JSON body: free text */
            rc = rewrite_scrubbed(a, s, r, i, LGN_SCRUB_TEXT);
            break;
        default:
            rc = rewrite_opaque(a, r, i);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int lgn_rewrite_record_scrub(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                             struct lgn_textcache *seen)
{
    return rewrite_fields(a, s, r, seen, true);
}

int lgn_rewrite_for_stats(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                          struct lgn_textcache *seen)
{
    return rewrite_fields(a, s, r, seen, false);
}

/* Where a line that starts like the common formats ("ADDR IDENT USER
 * [dd/Mon/...") has its user field: [*us, *ue). The user may hold spaces
 * (Apache and nginx allow them), so it runs up to " [" and a date. */
static bool common_start(const char *p, size_t n, size_t *is, size_t *us, size_t *ue)
{
    const char *sp1 = memchr(p, ' ', n);
    if (sp1 == NULL || sp1 == p)
        return false;
    size_t i = (size_t)(sp1 - p) + 1;
    const char *sp2 = memchr(p + i, ' ', n - i);
    if (sp2 == NULL || (size_t)(sp2 - p) == i)
        return false;
    *is = i;
    *us = (size_t)(sp2 - p) + 1;
    for (size_t k = *us; k + 5 < n && k < *us + 256; k++)
        if (p[k] == ' ' && p[k + 1] == '[' && p[k + 2] >= '0' && p[k + 2] <= '9' &&
            p[k + 3] >= '0' && p[k + 3] <= '9' && p[k + 4] == '/') {
            *ue = k;
            return k > *us;
        }
    return false;
}

static int put_name(struct lgn_anon *a, const char *prefix, const char *p, size_t n,
                    struct lgn_arena *out)
{
    char buf[LGN_ANON_MAX];
    if (keep_name(p, n))
        return lgn_arena_put(out, p, n);
    size_t m = lgn_anon_name(a, prefix, p, n, buf);
    return lgn_arena_put(out, buf, m);
}

int lgn_rewrite_bad_line(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                         struct lgn_arena *out, bool *changed)
{
    size_t is, us, ue, head = lgn_wrapper_len(p, n);
    if (!common_start(p + head, n - head, &is, &us, &ue))
        return lgn_freetext(s, a, p, n, out, changed);
    bool c;
    size_t off = out->len;
    /* a syslog or CRI wrapper is free text too */
    if (head > 0 &&
        (lgn_freetext(s, a, p, head, out, &c) != 0 || (!c && lgn_arena_put(out, p, head) != 0)))
        return -1;
    is += head, us += head, ue += head;
    /* the address, then ident and user as pseudonyms, then the rest as free text */
    if (lgn_freetext(s, a, p + head, is - head, out, &c) != 0 ||
        (!c && lgn_arena_put(out, p + head, is - head) != 0) ||
        put_name(a, "ident", p + is, us - is - 1, out) != 0 || lgn_arena_put(out, " ", 1) != 0 ||
        put_name(a, "user", p + us, ue - us, out) != 0)
        return -1;
    if (lgn_freetext(s, a, p + ue, n - ue, out, &c) != 0 ||
        (!c && lgn_arena_put(out, p + ue, n - ue) != 0))
        return -1;
    *changed = out->len - off != n || memcmp(out->buf + off, p, n) != 0;
    if (!*changed)
        out->len = off;
    return 0;
}
