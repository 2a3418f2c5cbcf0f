/* rewrite.c: replaces addresses, host names and user names in a record's fields. */
#include "rewrite.h"

#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "freetext.h"
#include "policy.h"
#include "statsview.h"

int lgn_rewrite_text(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *arena,
                     bool *changed)
{
    return lgn_freetext_addresses(a, NULL, p, n, false, arena, changed);
}

/* A pseudonym lognym wrote ("user-0123456789ab"): kept, so anonymising a
 * file twice changes nothing. */
static bool is_pseudonym(const char *p, size_t n)
{
    if (n == 17) /* most fields are shorter or longer: no call */
        return lgn_anon_is_name("user", p, n) || lgn_anon_is_name("host", p, n);
    return n == 18 && lgn_anon_is_name("ident", p, n);
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
static int rewrite_addr(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *out,
                        bool *changed)
{
    struct lgn_ip ip;
    char buf[LGN_ANON_MAX];
    size_t off = out->len;
    *changed = false;
    if (lgn_ip_parse(p, n, &ip)) {
        size_t m = lgn_anon_ip(a, p, n, &ip, buf);
        *changed = true;
        return lgn_arena_put(out, buf, m);
    }
    size_t pos = 0;
    while (pos < n) {
        size_t start = pos;
        while (pos < n && is_sep(p[pos]))
            pos++;
        if (lgn_arena_put(out, p + start, pos - start) != 0)
            return -1;
        start = pos;
        while (pos < n && !is_sep(p[pos]))
            pos++;
        const char *t = p + start;
        size_t tn = pos - start;
        if (tn == 0)
            continue;
        bool tok_changed;
        if (is_address_token(t, tn)) {
            if (lgn_rewrite_text(a, t, tn, out, &tok_changed) != 0 ||
                (!tok_changed && lgn_arena_put(out, t, tn) != 0))
                return -1;
            *changed = true;
        } else if (keep_name(t, tn)) {
            if (lgn_arena_put(out, t, tn) != 0)
                return -1;
        } else {
            size_t m = lgn_anon_name(a, "host", t, tn, buf);
            if (lgn_arena_put(out, buf, m) != 0)
                return -1;
            *changed = true;
        }
    }
    if (!*changed)
        out->len = off;
    return 0;
}

static int rewrite_name(struct lgn_anon *a, const char *prefix, const char *p, size_t n,
                        struct lgn_arena *out, bool *changed)
{
    *changed = !(n == 0 || keep_name(p, n));
    if (!*changed)
        return 0;
    char buf[LGN_ANON_MAX];
    size_t m = lgn_anon_name(a, prefix, p, n, buf);
    return lgn_arena_put(out, buf, m);
}

/* Scrubs text by the filter rules as `kind` (s may be NULL), then
 * anonymises every address in the result (with `versions`, product
 * versions stay). The scrubbed bytes live in the scrubber, not the arena,
 * so the arena may grow while they are read. */
static int scrub_then_addresses(struct lgn_scrub *s, struct lgn_anon *a, enum lgn_scrub_kind kind,
                                bool versions, const char *p, size_t n, struct lgn_arena *out,
                                bool *changed)
{
    if (kind == LGN_SCRUB_TEXT)
        return lgn_freetext(s, a, p, n, out, changed);
    const char *q = p;
    size_t m = n;
    int rc = s != NULL ? lgn_scrub(s, kind, p, n, &q, &m) : 0;
    if (rc < 0 || lgn_freetext_addresses(a, NULL, q, m, versions, out, changed) != 0)
        return -1;
    if (rc == 1 && !*changed && lgn_arena_put(out, q, m) != 0)
        return -1;
    *changed = *changed || rc == 1;
    return 0;
}

int lgn_rewrite_scrubbed_text(struct lgn_anon *a, struct lgn_scrub *s, enum lgn_scrub_kind kind,
                              const char *p, size_t n, struct lgn_arena *arena, bool *changed)
{
    return scrub_then_addresses(s, a, kind, false, p, n, arena, changed);
}

bool lgn_ua_may_hold_number(const char *p, size_t n)
{
    size_t run = 0, need = 9;
    bool version = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool digit_before = i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9';
        if (c >= '0' && c <= '9') {
            if (run == 0) {
                need = i > 0 && p[i - 1] == '+' ? 7 : 9;
                version = i > 0 && p[i - 1] == '/';
            }
            if (++run >= need)
                return true;
        } else if (!(digit_before &&
                     (c == ' ' || c == '-' || c == '(' || c == ')' || (c == '.' && !version)))) {
            run = 0;
        }
    }
    return false;
}

/* User agents and referrers repeat: one that needed nothing is not
 * scanned again. A user agent keeps its product versions and e-mail
 * addresses (bots' contacts); the other detectors run. */
static int rewrite_repeated(const struct lgn_rewrite_ctx *c, enum lgn_scrub_kind kind,
                            const char *p, size_t n, struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (c->seen != NULL && lgn_textcache_has(c->seen, p, n))
        return 0;
    bool ua = kind == LGN_SCRUB_UA;
    struct lgn_scrub *s = !ua || lgn_ua_may_hold_number(p, n) ? c->s : NULL;
    if (scrub_then_addresses(s, c->a, kind, ua, p, n, out, changed) != 0)
        return -1;
    if (!*changed && c->seen != NULL)
        lgn_textcache_add(c->seen, p, n);
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

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Numbers, or lists of them as upstream variables write them ("0.012,
 * 0.004 : 0.031"): each at most one '.', and a digit run short enough
 * not to be a phone number or an identity number. */
static bool number_shape(const char *p, size_t n)
{
    size_t run = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (is_digit(c)) {
            if (++run >= 10)
                return false;
        } else if (c == '.' && run > 0 && dots == 0) {
            dots++, run = 0;
        } else if (c == ',' || c == ' ' || c == ':' || (c == '-' && run == 0)) {
            run = 0, dots = 0;
        } else {
            return false;
        }
    }
    return true;
}

/* Other times (msec, strftime formats, JSON time stamps): digits, short
 * words (month, zone), separators; at most one '.'. */
static bool time_shape(const char *p, size_t n)
{
    size_t digits = 0, word = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        word = is_letter(c) ? word + 1 : 0;
        digits += is_digit(c);
        dots += c == '.';
        if (word > 3 || dots > 1 ||
            !(is_digit(c) || is_letter(c) || (c && strchr(" :/+-,T.", c) != NULL)))
            return false;
    }
    return digits >= 4;
}

/* Structured fields are kept as they are only when they have the shape of
 * their kind: times, methods, protocols, statuses, numbers, ports. Anything
 * else in them (a hostile line can put anything there) is free text. */
static bool structured_shape(enum lgn_kind kind, const char *p, size_t n)
{
    if (n == 0 || (n == 1 && p[0] == '-'))
        return true;
    switch (kind) {
    case LGN_K_TIME:
        return has_shape(p, n, "dd/aaa/dddd:dd:dd:dd +dddd");
    case LGN_K_TIME_ISO:
        return has_shape(p, n, "dddd-dd-ddTdd:dd:dd+dd:dd");
    case LGN_K_PROTOCOL:
        return has_shape(p, n, "aaaa/d.d") || has_shape(p, n, "aaaa/d");
    case LGN_K_METHOD:
        for (size_t i = 0; i < n; i++)
            if (!(is_letter(p[i]) || p[i] == '-' || p[i] == '_'))
                return false;
        return n <= 32;
    case LGN_K_STATUS:
    case LGN_K_PORT:
        for (size_t i = 0; i < n; i++)
            if (!is_digit(p[i]))
                return false;
        return n <= 5;
    case LGN_K_NUMBER:
        return number_shape(p, n);
    default:
        return time_shape(p, n);
    }
}

struct lgn_value_policy lgn_value_policy_of(const struct lgn_op *op)
{
    return (struct lgn_value_policy){.policy = op->policy,
                                     .kind = op->kind,
                                     .subject = op->name + op->subject_off,
                                     .subject_len = op->subject_len,
                                     .rule = op->rule,
                                     .set_cookie = op->set_cookie,
                                     .one_cookie = op->one_cookie};
}

static int rewrite_address(const struct lgn_rewrite_ctx *c, enum lgn_kind kind, const char *p,
                           size_t n, struct lgn_arena *out, bool *changed)
{
    switch (kind) {
    case LGN_K_ADDR:
        return rewrite_addr(c->a, p, n, out, changed);
    case LGN_K_ADDR_LIST: /* host names in X-Forwarded-For are pseudonymised like %h; */
        return memchr(p, '=', n) == NULL /* "Forwarded: for=" is text */
                   ? rewrite_addr(c->a, p, n, out, changed)
                   : lgn_freetext(c->s, c->a, p, n, out, changed);
    default: /* the server's name: addresses in it anonymised, the name kept */
        return lgn_rewrite_text(c->a, p, n, out, changed);
    }
}

static int rewrite_url(const struct lgn_rewrite_ctx *c, enum lgn_kind kind, const char *p, size_t n,
                       struct lgn_arena *out, bool *changed)
{
    switch (kind) {
    case LGN_K_REQUEST:
        return scrub_then_addresses(c->s, c->a, LGN_SCRUB_REQUEST, false, p, n, out, changed);
    case LGN_K_QUERY:
        return scrub_then_addresses(c->s, c->a, LGN_SCRUB_QUERY, false, p, n, out, changed);
    case LGN_K_REFERER:
        return rewrite_repeated(c, LGN_SCRUB_URL, p, n, out, changed);
    default:
        return scrub_then_addresses(c->s, c->a, LGN_SCRUB_URL, false, p, n, out, changed);
    }
}

int lgn_rewrite_value(const struct lgn_rewrite_ctx *c, const struct lgn_value_policy *vp,
                      const char *p, size_t n, struct lgn_arena *out, bool *changed)
{
    *changed = false;
    switch (vp->policy) {
    case LGN_P_STRUCTURED:
        if (structured_shape(vp->kind, p, n))
            return 0;
        return lgn_freetext(c->s, c->a, p, n, out, changed);
    case LGN_P_ADDRESS:
        return rewrite_address(c, vp->kind, p, n, out, changed);
    case LGN_P_USER:
        return rewrite_name(c->a, vp->kind == LGN_K_IDENT ? "ident" : "user", p, n, out, changed);
    case LGN_P_URL:
        return rewrite_url(c, vp->kind, p, n, out, changed);
    case LGN_P_QUERY_VALUE:
        return lgn_rewrite_query_value(c, vp->subject, vp->subject_len, p, n, out, changed);
    case LGN_P_COOKIE:
        return lgn_rewrite_cookie(c, vp, p, n, out, changed);
    case LGN_P_CREDENTIAL:
        return lgn_rewrite_credential(c, vp->rule, p, n, out, changed);
    case LGN_P_BODY:
        return lgn_rewrite_body(c, p, n, out, changed);
    case LGN_P_UA:
        return rewrite_repeated(c, LGN_SCRUB_UA, p, n, out, changed);
    case LGN_P_JSON: {
        bool valid;
        if (lgn_rewrite_json(c, p, n, out, changed, &valid) != 0)
            return -1;
        return valid ? 0 : lgn_freetext(c->s, c->a, p, n, out, changed);
    }
    default:
        return lgn_freetext(c->s, c->a, p, n, out, changed);
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

/* For statistics only: a request, URL or referrer cut down to what they
 * read (statsview.h), then scrubbed as the whole value would be. */
static int rewrite_for_stats(const struct lgn_rewrite_ctx *c, struct lgn_record *r, size_t i)
{
    enum lgn_kind kind = r->fmt->fields[i]->kind;
    struct lgn_slice v = r->in[i];
    char sbuf[2048], *buf = sbuf;
    const char *cut = v.p;
    size_t m;
    if (kind == LGN_K_REFERER) {
        m = lgn_statsview_referrer(v.p, v.len);
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
    int rc = kind == LGN_K_REFERER
                 ? rewrite_repeated(c, LGN_SCRUB_URL, cut, m, &r->arena, &changed)
                 : scrub_then_addresses(c->s, c->a,
                                        kind == LGN_K_REQUEST ? LGN_SCRUB_REQUEST : LGN_SCRUB_URL,
                                        false, cut, m, &r->arena, &changed);
    if (rc == 0 && changed)
        lgn_record_set_from(r, i, off);
    else if (rc == 0 && m < v.len)
        rc = put_cut(r, i, cut, m);
    if (buf != sbuf)
        free(buf);
    return rc;
}

/* Field i rewritten by vp (an unchanged field stays untouched). */
static int rewrite_field(const struct lgn_rewrite_ctx *c, struct lgn_record *r, size_t i,
                         const struct lgn_value_policy *vp)
{
    if (r->in[i].len == 0) /* most heads and tails: nothing to look at */
        return 0;
    bool changed;
    size_t off = r->arena.len;
    if (lgn_rewrite_value(c, vp, r->in[i].p, r->in[i].len, &r->arena, &changed) != 0)
        return -1;
    if (changed)
        lgn_record_set_from(r, i, off);
    return 0;
}

static int rewrite_fields(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                          struct lgn_textcache *seen, bool all)
{
    const struct lgn_rewrite_ctx c = {.a = a, .s = s, .seen = seen};
    /* wrappers and trailing fields are free text */
    static const struct lgn_value_policy text = {.policy = LGN_P_FREETEXT, .rule = -1};
    if (all && (rewrite_field(&c, r, LGN_REC_HEAD, &text) != 0 ||
                rewrite_field(&c, r, LGN_REC_TAIL, &text) != 0))
        return -1;
    for (size_t i = 0; i < r->fmt->n_fields; i++) {
        const struct lgn_op *op = r->fmt->fields[i];
        if (!all && !read_by_stats(op->kind))
            continue;
        if (!all && op->policy == LGN_P_URL &&
            read_by_stats(op->kind)) { /* request, URL, referrer */
            if (r->in[i].len > 0 && rewrite_for_stats(&c, r, i) != 0)
                return -1;
            continue;
        }
        if (op->policy == LGN_P_STRUCTURED && structured_shape(op->kind, r->in[i].p, r->in[i].len))
            continue; /* the common case, decided without more ado */
        struct lgn_value_policy vp = lgn_value_policy_of(op);
        if (rewrite_field(&c, r, i, &vp) != 0)
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
