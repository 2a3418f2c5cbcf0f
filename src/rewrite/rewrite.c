/* rewrite.c: replaces addresses, host names and user names in a record's fields. */
#include "rewrite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
#include "freetext.h"
#include "jsonscan.h"
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

/* "unix:" (nginx's client on a socket) or "unix:/run/php-fpm.sock": a
 * socket path of plain path bytes, without an address or many digits (the
 * client writes X-Forwarded-For: "unix:jane@example.com" or
 * "unix:/x/4111111111111111" name someone). */
static bool socket_path(const char *p, size_t n)
{
    struct lgn_ip_span span;
    if (n < 5 || memcmp(p, "unix:", 5) != 0 || lgn_ip_find(p, n, 0, &span))
        return false;
    for (size_t i = 5, digits = 0; i < n; i++) {
        char c = p[i];
        digits += c >= '0' && c <= '9';
        if (digits >= 8 ||
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '.' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* Tokens in an address field that name no one and stay as they are. */
static bool keep_name(const char *p, size_t n)
{
    return is_pseudonym(p, n) || (n == 1 && p[0] == '-') || socket_path(p, n) ||
           (n == 9 && memcmp(p, "localhost", 9) == 0) || (n == 7 && memcmp(p, "unknown", 7) == 0);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of an interface name (at most 15 bytes, as IFNAMSIZ allows;
 * letters, digits, '.', '-', '_') at the start of p: a zone id. Anything
 * else after '%' makes the token a name, pseudonymised whole. */
static size_t zone_id_len(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && i <= 15 &&
           (is_letter(p[i]) || is_digit(p[i]) || p[i] == '.' || p[i] == '-' || p[i] == '_'))
        i++;
    return i <= 15 ? i : n + 1;
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
    if (i < n && t[i] == '%') /* a zone id is an interface name, nothing else */
        i += zone_id_len(t + i + 1, n - i - 1) + 1;
    if (span.start == 1)
        i += i < n && t[i] == ']';
    if (i < n && t[i] == ':')
        for (i++; i < n && t[i] >= '0' && t[i] <= '9';)
            i++;
    return i == n;
}

/* The length of a host name before its ":port" of at most 5 digits (all
 * of it when it has none, or more than one ':'). */
static size_t name_before_port(const char *t, size_t n)
{
    size_t e = n;
    while (e > 0 && n - e <= 5 && t[e - 1] >= '0' && t[e - 1] <= '9')
        e--;
    if (e < 2 || e == n || n - e > 5 || t[e - 1] != ':' || memchr(t, ':', e - 1) != NULL)
        return n;
    return e - 1;
}

static bool is_sep(char c)
{
    return c == ',' || c == ' ' || c == '"';
}

/* A client address field: one address (the common case), or a list of
 * addresses, or host names when HostnameLookups is on: each token that holds
 * no address is a name and gets a keyed pseudonym, never passed through. */
int lgn_rewrite_client(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *out,
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
        } else if (keep_name(t, tn) || (tn == 1 && t[0] == ':')) { /* upstream groups: " : " */
            if (lgn_arena_put(out, t, tn) != 0)
                return -1;
        } else {
            size_t name = name_before_port(t, tn); /* "backend.example.net:8080": the port stays */
            size_t m = lgn_anon_name(a, "host", t, name, buf);
            if (lgn_arena_put(out, buf, m) != 0 || lgn_arena_put(out, t + name, tn - name) != 0)
                return -1;
            *changed = true;
        }
    }
    if (!*changed)
        out->len = off;
    return 0;
}

bool lgn_rewrite_keeps_name(const char *p, size_t n)
{
    return n == 0 || keep_name(p, n);
}

bool lgn_client_has_name(const struct lgn_anon *a, const char *p, size_t n)
{
    struct lgn_ip ip;
    if (lgn_ip_parse(p, n, &ip))
        return false;
    for (size_t pos = 0; pos < n;) { /* the tokens of lgn_rewrite_client */
        while (pos < n && is_sep(p[pos]))
            pos++;
        size_t start = pos;
        while (pos < n && !is_sep(p[pos]))
            pos++;
        const char *t = p + start;
        size_t tn = pos - start;
        size_t name = name_before_port(t, tn), b = name >= 2 && t[0] == '[' && t[name - 1] == ']';
        if (tn > 0 && !is_address_token(t, tn) && !keep_name(t, name) &&
            !(tn == 1 && t[0] == ':') && !lgn_anon_is_token(a, t + b, name - 2 * b))
            return true; /* "[0123456789abcdef]:443": a token too */
    }
    return false;
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

/* User agents and referrers repeat: one that needed nothing is not
 * scanned again. A user agent keeps its product versions and e-mail
 * addresses (bots' contacts); the other detectors run. So the cache is
 * asked under the kind: a user agent's e-mail address is no clean referrer. */
static int rewrite_repeated(const struct lgn_rewrite_ctx *c, enum lgn_scrub_kind kind,
                            const char *p, size_t n, struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (c->seen != NULL && lgn_textcache_has(c->seen, kind, p, n))
        return 0;
    bool ua = kind == LGN_SCRUB_UA;
    struct lgn_scrub *s = !ua || lgn_scrub_ua_may_hold(p, n) ? c->s : NULL;
    if (scrub_then_addresses(s, c->a, kind, ua, p, n, out, changed) != 0)
        return -1;
    if (!*changed && c->seen != NULL)
        lgn_textcache_add(c->seen, kind, p, n);
    return 0;
}

/* "10/Oct/2000:13:55:36 -0700", %t as Apache and nginx write it: the shape
 * "dd/aaa/dddd:dd:dd:dd +dddd" of has_shape, checked without a template
 * (every line has one) and without a branch per byte. */
static bool clf_time_shape(const char *p, size_t n)
{
    static const unsigned char digits[] = {0,  1,  7,  8,  9,  10, 12, 13,
                                           15, 16, 18, 19, 22, 23, 24, 25};
    if (n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' || p[17] != ':' ||
        p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
        return false;
    unsigned bad = 0;
    for (size_t i = 0; i < sizeof digits; i++)
        bad |= (unsigned char)(p[digits[i]] - '0') > 9;
    for (size_t i = 3; i < 6; i++) /* a letter, either case */
        bad |= (unsigned char)((p[i] | 0x20) - 'a') > 25;
    return bad == 0;
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

/* Numbers, or lists of them as upstream variables write them ("0.012,
 * 0.004 : 0.031"): each at most one '.', and a digit run short enough
 * not to be a phone number or an identity number. A second ':' without
 * blanks around it makes an IPv6 address of decimal groups ("612:14::4933"). */
static bool number_shape(const char *p, size_t n)
{
    size_t run = 0, dots = 0, glued_colons = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (is_digit(c)) {
            if (++run >= 10)
                return false;
        } else if (c == '.' && run > 0 && dots == 0) {
            dots++, run = 0;
        } else if (c == ':' && (run > 0 || (i + 1 < n && p[i + 1] != ' '))) {
            if (++glued_colons >= 2)
                return false;
            run = 0, dots = 0;
        } else if (c == ',' || c == ' ' || c == ':' || (c == '-' && run == 0)) {
            run = 0, dots = 0;
        } else {
            return false;
        }
    }
    return true;
}

/* Other times without a pattern of their own ($msec, JSON time stamps):
 * digits, short words (month, zone), separators; at most one '.'. A run of
 * more than 4 digits only as a whole epoch (the value's start) or as its
 * fraction (after the '.'): "DE0463..." glues digits to a word. */
static bool time_shape(const char *p, size_t n)
{
    size_t digits = 0, word = 0, dots = 0, run = 0, run_start = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        word = is_letter(c) ? word + 1 : 0;
        if (is_digit(c)) {
            run_start = run == 0 ? i : run_start;
            if (++run > 4 && run_start > 0 && p[run_start - 1] != '.')
                return false;
        } else {
            run = 0;
        }
        digits += is_digit(c);
        dots += c == '.';
        if (word > 3 || dots > 1 || run > 20 ||
            !(is_digit(c) || is_letter(c) || (c && strchr(" :/+-,T.", c) != NULL)))
            return false;
    }
    return digits >= 4;
}

/* A protocol: "HTTP/1.1", "HTTP/2", "HTTP/2.0", "RTSP/1.0". */
static bool protocol_shape(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 8 && is_letter(p[i]))
        i++;
    if (i == 0 || i + 2 > n || p[i] != '/' || !is_digit(p[i + 1]))
        return false;
    i += 2;
    return i == n || (i + 2 == n && p[i] == '.' && is_digit(p[i + 1]));
}

/* A host name as a Host header, server name or virtual host holds it when
 * nothing is wrong ("www.example.com", "localhost:8080"): labels of
 * letters, digits, '-' and '_', at most 63 bytes each and 253 in all, the
 * last with a letter (no phone or card number is a host), then an optional
 * ":port" of at most 5 digits up to 65535 (not a card number). */
static bool host_name_shape(const char *p, size_t n)
{
    size_t end = n;
    const char *colon = memchr(p, ':', n);
    if (colon != NULL) {
        end = (size_t)(colon - p);
        size_t digits = n - end - 1;
        unsigned port = 0;
        for (size_t i = 0; i < digits && digits <= 5; i++)
            port = is_digit(colon[1 + i]) ? port * 10 + (unsigned)(colon[1 + i] - '0') : 65536;
        if (digits == 0 || digits > 5 || port > 65535)
            return false;
    }
    if (end == 0 || end > 253)
        return false;
    size_t label = 0;
    bool letter = false; /* in the last label */
    for (size_t i = 0; i < end; i++) {
        char c = p[i];
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0, letter = false;
        } else if (is_letter(c) || is_digit(c) || c == '-' || c == '_') {
            letter = letter || is_letter(c);
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return letter;
}

/* Structured fields are kept as they are only when they have the shape of
 * their kind: times, methods, protocols, statuses, numbers, ports. Anything
 * else in them (a hostile line can put anything there) is free text. */
static bool structured_shape(enum lgn_kind kind, const struct lgn_timeshape *shape, const char *p,
                             size_t n)
{
    if (n == 0 || (n == 1 && p[0] == '-'))
        return true;
    switch (kind) {
    case LGN_K_TIME:
        return clf_time_shape(p, n);
    case LGN_K_TIME_ISO:
        return has_shape(p, n, "dddd-dd-ddTdd:dd:dd+dd:dd");
    case LGN_K_PROTOCOL:
        return protocol_shape(p, n);
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
    default: { /* a custom time has its own pattern's shape; no address fits in one
                * ("2001:db8::1" has a time's bytes) */
        struct lgn_ip_span span;
        return (shape != NULL ? lgn_timeshape_match(shape, p, n) : time_shape(p, n)) &&
               !lgn_ip_find(p, n, 0, &span);
    }
    }
}

/* Free text [p, p+n) appended to out as it is or scrubbed. */
static int put_freetext(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                        struct lgn_arena *out)
{
    bool c;
    if (lgn_freetext(s, a, p, n, out, &c) != 0)
        return -1;
    return c ? 0 : lgn_arena_put(out, p, n);
}

/* JSON objects in a line that is not one JSON object (a byte-order mark or
 * blanks around it, an array, records run together): each object by the
 * JSON-lines policies, the text between them free text. 1 when there was
 * one (the line is then in out), 0 when not, -1 when out of memory. */
static int json_objects(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                        struct lgn_arena *out)
{
    const struct lgn_rewrite_ctx c = {.a = a, .s = s, .seen = NULL};
    size_t off = out->len, done = 0, from = 0;
    bool found = false;
    const char *b;
    while (from < n && (b = memchr(p + from, '{', n - from)) != NULL) {
        size_t i = (size_t)(b - p), e = i;
        if (!lgn_jsonscan_value(p, n, &e, 0, NULL, NULL)) {
            from = i + 1;
            continue;
        }
        bool ch, valid; /* the members, between the braces */
        if (put_freetext(a, s, p + done, i - done, out) != 0 || lgn_arena_put(out, "{", 1) != 0 ||
            lgn_rewrite_json(&c, p + i + 1, e - i - 2, out, &ch, &valid) != 0 ||
            (!valid && put_freetext(a, s, p + i + 1, e - i - 2, out) != 0) ||
            (valid && !ch && lgn_arena_put(out, p + i + 1, e - i - 2) != 0) ||
            lgn_arena_put(out, "}", 1) != 0)
            return -1;
        done = from = e;
        found = true;
    }
    if (!found) {
        out->len = off;
        return 0;
    }
    return put_freetext(a, s, p + done, n - done, out) != 0 ? -1 : 1;
}

/* A text holding JSON objects, each by the JSON-lines policies; free text
 * when it holds none. */
static int json_or_freetext(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                            struct lgn_arena *out, bool *changed)
{
    size_t off = out->len;
    int rc = json_objects(a, s, p, n, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return lgn_freetext(s, a, p, n, out, changed);
    *changed = out->len - off != n || memcmp(out->buf + off, p, n) != 0;
    if (!*changed)
        out->len = off;
    return 0;
}

struct lgn_value_policy lgn_value_policy_of(const struct lgn_op *op)
{
    return (struct lgn_value_policy){.policy = op->policy,
                                     .kind = op->kind,
                                     .subject = op->name + op->subject_off,
                                     .subject_len = op->subject_len,
                                     .rule = op->rule,
                                     .set_cookie = op->set_cookie,
                                     .one_cookie = op->one_cookie,
                                     .shape = op->shape};
}

static int rewrite_address(const struct lgn_rewrite_ctx *c, enum lgn_kind kind, const char *p,
                           size_t n, struct lgn_arena *out, bool *changed)
{
    switch (kind) {
    case LGN_K_ADDR:
        return lgn_rewrite_client(c->a, p, n, out, changed);
    default: { /* host names in X-Forwarded-For are pseudonymised like %h */
        if (memchr(p, '=', n) == NULL)
            return lgn_rewrite_client(c->a, p, n, out, changed);
        bool valid; /* "Forwarded: for=...;proto=..." pair by pair, else free text */
        if (lgn_rewrite_forwarded(c, p, n, out, changed, &valid) != 0)
            return -1;
        return valid ? 0 : lgn_freetext(c->s, c->a, p, n, out, changed);
    }
    }
}

/* The text cache's tag for host names found clean (beside the scrub kinds). */
#define HOST_CLEAN_TAG 0x486fu

bool lgn_host_labels(const char *p, size_t n, char labels[LGN_HOST_LABELS_MAX])
{
    struct lgn_addr_hit h;
    if (n > LGN_HOST_LABELS_MAX || memchr(p, '.', n) == NULL || memchr(p, ' ', n) != NULL ||
        lgn_addr_find(p, n, 0, &h))
        return false;
    memcpy(labels, p, n);
    for (char *d = memchr(labels, '.', n); d != NULL;
         d = memchr(d + 1, '.', n - (size_t)(d + 1 - labels)))
        *d = ' ';
    return true;
}

/* Free text, then, when nothing was found, the detectors again label by
 * label (lgn_host_labels): after a digit and a dot, free text takes a digit
 * run for a decimal fraction, so the phone number in "1.09121234567.example"
 * needs its label alone. */
static int host_text(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed)
{
    char labels[LGN_HOST_LABELS_MAX];
    if (lgn_freetext(c->s, c->a, p, n, out, changed) != 0)
        return -1;
    if (*changed || !lgn_host_labels(p, n, labels))
        return 0;
    size_t off = out->len;
    if (lgn_freetext(c->s, c->a, labels, n, out, changed) != 0)
        return -1;
    for (size_t i = off; *changed && i < out->len; i++)
        if (out->buf[i] == ' ')
            out->buf[i] = '.';
    return 0;
}

/* A virtual host, server name or Host header: an address anonymised; a host
 * name kept unless a detector flags it, whole (a JWT is three dotted labels)
 * or label by label; anything else (the client writes the Host header) is
 * free text, read label by label too. Host names repeat, so one found clean
 * is not scanned again. */
int lgn_rewrite_host(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed)
{
    if (is_address_token(p, n))
        return lgn_rewrite_text(c->a, p, n, out, changed);
    if (n == 1 && p[0] == '_') /* nginx's catch-all server name */
        return 0;
    bool name = host_name_shape(p, n) && c->seen != NULL;
    if (name && lgn_textcache_has(c->seen, HOST_CLEAN_TAG, p, n))
        return 0;
    if (host_text(c, p, n, out, changed) != 0)
        return -1;
    if (name && !*changed)
        lgn_textcache_add(c->seen, HOST_CLEAN_TAG, p, n);
    return 0;
}

/* A request line ending in " HTTP/1.1" (or 1.0, 2.0): the common case,
 * told at once. */
static inline bool usual_request(const char *p, size_t n)
{
    return n > 9 && p[n - 9] == ' ' && memcmp(p + n - 8, "HTTP/", 5) == 0 && is_digit(p[n - 3]) &&
           p[n - 2] == '.' && is_digit(p[n - 1]);
}

/* Where the last blank-separated word of [p, p+n) starts. */
static size_t last_word(const char *p, size_t n)
{
    size_t w = n;
    while (w > 0 && p[w - 1] != ' ')
        w--;
    return w;
}

/* Whether [p, p+n) is a request line whose last word stands for a protocol
 * and is none ("HTTP/jane@…"). A last word of another kind is the end of
 * the target ("GET /?name=Jane Doe", as nginx logs a request with raw
 * blanks): it stays in the target's value. */
static bool split_shape(const char *p, size_t n)
{
    size_t w = last_word(p, n);
    return !(w < 2 || n - w < 4 || strncasecmp(p + w, "HTTP", 4) != 0 ||
             protocol_shape(p + w, n - w) || memchr(p, ' ', w - 1) == NULL);
}

/* A request line whose last word is not a protocol ("GET /x HTTP/jane@..."):
 * the method and target are a request, that word is free text. */
static int split_request(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                         struct lgn_arena *out, bool *changed)
{
    if (!split_shape(p, n))
        return scrub_then_addresses(c->s, c->a, LGN_SCRUB_REQUEST, false, p, n, out, changed);
    size_t w = last_word(p, n);
    size_t off = out->len;
    bool head, word;
    if (scrub_then_addresses(c->s, c->a, LGN_SCRUB_REQUEST, false, p, w - 1, out, &head) != 0 ||
        (!head && lgn_arena_put(out, p, w - 1) != 0) || lgn_arena_put(out, " ", 1) != 0 ||
        lgn_freetext(c->s, c->a, p + w, n - w, out, &word) != 0 ||
        (!word && lgn_arena_put(out, p + w, n - w) != 0))
        return -1;
    *changed = head || word;
    if (!*changed)
        out->len = off;
    return 0;
}

/* A request line without a protocol as its last word. A number written in
 * blank-separated groups can straddle its split into target and last word
 * ("GET /p?c=4111 1111 1111 1111", "... HTTP/1.1 SA19 0862 6259 9642 0025
 * 7196"), so that neither part holds all of it: the free-text rules read the
 * line whole first, then it is split (addresses are rewritten there, once).
 * Real servers write no such lines; this costs nothing on the usual ones. */
static int rewrite_request(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                           struct lgn_arena *out, bool *changed)
{
    const char *r;
    size_t m;
    int rc = c->s != NULL && split_shape(p, n) ? lgn_scrub(c->s, LGN_SCRUB_TEXT, p, n, &r, &m) : 0;
    if (rc <= 0)
        return rc < 0 ? -1 : split_request(c, p, n, out, changed);
    char *copy = malloc(m); /* r is the scrubber's, which the split uses again */
    if (copy == NULL)
        return -1;
    memcpy(copy, r, m);
    rc = split_request(c, copy, m, out, changed);
    if (rc == 0 && !*changed)
        rc = lgn_arena_put(out, copy, m);
    *changed = true;
    free(copy);
    return rc;
}

static int rewrite_url(const struct lgn_rewrite_ctx *c, enum lgn_kind kind, const char *p, size_t n,
                       struct lgn_arena *out, bool *changed)
{
    switch (kind) {
    case LGN_K_REQUEST:
        return usual_request(p, n)
                   ? scrub_then_addresses(c->s, c->a, LGN_SCRUB_REQUEST, false, p, n, out, changed)
                   : rewrite_request(c, p, n, out, changed);
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
        if (structured_shape(vp->kind, vp->shape, p, n))
            return 0;
        return lgn_freetext(c->s, c->a, p, n, out, changed);
    case LGN_P_ADDRESS:
        return rewrite_address(c, vp->kind, p, n, out, changed);
    case LGN_P_HOST:
        return lgn_rewrite_host(c, p, n, out, changed);
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
        return valid ? 0 : json_or_freetext(c->a, c->s, p, n, out, changed);
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
    int rc = kind == LGN_K_REFERER ? rewrite_repeated(c, LGN_SCRUB_URL, cut, m, &r->arena, &changed)
             : kind == LGN_K_REQUEST ? rewrite_request(c, cut, m, &r->arena, &changed)
                                     : scrub_then_addresses(c->s, c->a, LGN_SCRUB_URL, false, cut,
                                                            m, &r->arena, &changed);
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
        if (op->policy == LGN_P_STRUCTURED &&
            structured_shape(op->kind, op->shape, r->in[i].p, r->in[i].len))
            continue; /* the common case, decided without more ado */
        if (r->freetext != 0 && (r->freetext >> i & 1u)) { /* a bad line's glued field */
            if (rewrite_field(&c, r, i, &text) != 0)
                return -1;
            continue;
        }
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

/* A time starts at p[i] in one of the shapes access logs write: ISO 8601
 * ("2026-11-21T09:12:01", or with a blank for the T), the Common Log
 * Format's "21/Nov/2026:", an epoch ($msec "1700000000.123"). */
static bool time_at(const char *p, size_t n, size_t i)
{
    const char *t = p + i;
    size_t m = n - i;
    return (m >= 13 && has_shape(t, 10, "dddd-dd-dd") && (t[10] == 'T' || t[10] == ' ') &&
            has_shape(t + 11, 2, "dd")) ||
           (m >= 12 && has_shape(t, 12, "dd/aaa/dddd:")) ||
           (m >= 10 && has_shape(t, 10, "dddddddddd") && (m == 10 || t[10] == '.' || t[10] == ' '));
}

/* The first word of an access log line: an address ("192.0.2.1",
 * "[2001:db8::1]:443") or a host name with a dot (HostnameLookups). */
static bool client_word(const char *p, size_t n)
{
    return is_address_token(p, n) || (host_name_shape(p, n) && memchr(p, '.', n) != NULL);
}

/* Where a line that matches no format holds an access log line's user
 * field [*us, *ue), and its ident [*is, *us - 1) (*is == *us: none):
 * - "ADDR IDENT USER [dd/Mon/...": the user may hold spaces (Apache and
 *   nginx allow them), so it runs up to " [" and a date;
 * - "ADDR USER [time", a format without %l;
 * - "ADDR - USER" cut there, or before " [" or a time in any shape
 *   ("ADDR IDENT USER 2026-11-21T09:12:01+01:00", any ident then).
 * A text that merely starts with an address ("192.0.2.1 closed the
 * connection") is none of these; its address is anonymised anyway. */
static bool user_field(const char *p, size_t n, size_t *is, size_t *us, size_t *ue)
{
    const char *sp1 = memchr(p, ' ', n);
    if (sp1 == NULL || sp1 == p)
        return false;
    size_t i = (size_t)(sp1 - p) + 1;
    const char *sp2 = memchr(p + i, ' ', n - i);
    size_t t2 = sp2 != NULL ? (size_t)(sp2 - p) : n; /* the end of the second word */
    if (t2 == i)
        return false;
    *is = i;
    *us = t2 + 1;
    for (size_t k = *us; k + 5 < n && k < *us + 256; k++)
        if (p[k] == ' ' && p[k + 1] == '[' && p[k + 2] >= '0' && p[k + 2] <= '9' &&
            p[k + 3] >= '0' && p[k + 3] <= '9' && p[k + 4] == '/') {
            *ue = k;
            return k > *us;
        }
    if (!client_word(p, i - 1))
        return false;
    if (t2 + 2 < n && p[t2 + 1] == '[' && time_at(p, n, t2 + 2)) { /* no ident */
        *us = i, *ue = t2;
        return true;
    }
    if (t2 >= n)
        return false;
    const char *sp3 = memchr(p + *us, ' ', n - *us);
    *ue = sp3 != NULL ? (size_t)(sp3 - p) : n;
    bool dash = t2 == i + 1 && p[i] == '-';
    if (*ue == *us)
        return false;
    if (*ue + 1 >= n) /* cut after the user */
        return dash;
    return (dash && p[*ue + 1] == '[') || time_at(p, n, *ue + 1);
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
    if (memchr(p, '{', n) != NULL && memchr(p, '"', n) != NULL)
        return json_or_freetext(a, s, p, n, out, changed);
    size_t is, us, ue, head = lgn_wrapper_len(p, n);
    if (!user_field(p + head, n - head, &is, &us, &ue))
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
        (us > is && (put_name(a, "ident", p + is, us - is - 1, out) != 0 ||
                     lgn_arena_put(out, " ", 1) != 0)) ||
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
