/* audit.c: lognym audit: finds personal data left in logs. */
#include "audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addrscan.h"
#include "cookie.h"
#include "freetext.h"
#include "policy.h"
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
    struct lgn_audit_found *to;  /* where findings go */
    unsigned long long n_found;  /* findings so far (did a piece add any?) */
    struct place at;             /* the line being scanned */
    const char *field;           /* the field being scanned: its name, or "line" */
    enum lgn_scrub_kind kind;    /* how the piece is read: a URL, a user agent, free text... */
    struct lgn_scrub *s;         /* the detectors */
    const struct lgn_anon *anon; /* the IP options in force: what their output looks like */
    bool tokens;                 /* --ip-format token: addresses became 16 hex digits */
    const char *piece;           /* the piece the detectors read (before blanking) */
    const char *json;            /* the JSON-lines object being walked */
    char *blank;                 /* a copy of the piece with lognym's output blanked */
    size_t blank_cap;
    /* Values scanned before and found clean (user agents are scanned
     * otherwise, so they have their own): real logs repeat them heavily. */
    struct lgn_textcache *clean[LGN_SCRUB_UA + 1]; /* per kind */
    unsigned char sets[256];                       /* SET_* bits of each byte */
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
    for (size_t k = 0; k <= LGN_SCRUB_UA; k++)
        a->clean[k] = lgn_textcache_new(); /* NULL only disables the cache */
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
    for (size_t k = 0; k <= LGN_SCRUB_UA; k++)
        lgn_textcache_free(a->clean[k]);
    free(a->blank);
    free(a);
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Whether a word may start at p[i]: after a non-alphanumeric, or after an
 * encoded byte ("%27e516...": a quote in a URL; "\\x20e516...": a blank). */
static bool word_start(const char *p, size_t i)
{
    return i == 0 || !is_alnum(p[i - 1]) ||
           (i >= 3 && p[i - 3] == '%' && is_hex(p[i - 2]) && is_hex(p[i - 1])) ||
           (i >= 4 && p[i - 4] == '\\' && p[i - 3] == 'x' && is_hex(p[i - 2]) && is_hex(p[i - 1]));
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
        if (i >= l && word_start(p, i - l) && lgn_anon_is_name(prefixes[k], p + i - l, l + 13))
            return l;
    }
    return 0;
}

/* A marker lognym writes for what it replaced: "[cookie]", "%5Bemail%5D". */
static bool is_marker(const char *p, size_t n)
{
    size_t open = n >= 2 && p[0] == '[' && p[n - 1] == ']' ? 1 : 0;
    if (!open && n >= 6 && memcmp(p, "%5", 2) == 0 && (p[2] | 0x20) == 'b' &&
        memcmp(p + n - 3, "%5", 2) == 0 && (p[n - 1] | 0x20) == 'd')
        open = 3;
    if (!open || n - 2 * open == 0 || n - 2 * open > LGN_LABEL_MAX)
        return false;
    for (size_t i = open; i < n - open; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || p[i] == '-'))
            return false;
    return true;
}

/* A keyed pseudonym of any prefix ("user-0123456789ab", "session-..."). */
static bool is_any_pseudonym(const char *p, size_t n)
{
    char prefix[LGN_LABEL_MAX + 1];
    if (n < 14 || n - 13 > LGN_LABEL_MAX || p[n - 13] != '-')
        return false;
    memcpy(prefix, p, n - 13);
    prefix[n - 13] = '\0';
    return lgn_anon_is_name(prefix, p, n);
}

/* An address (maybe percent-encoded, maybe in brackets) in the output form
 * of the IP options in force. */
static bool is_output_address(const struct lgn_anon *anon, const char *p, size_t n)
{
    char buf[64];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '%' && i + 2 < n && p[i + 1] == '2' && (p[i + 2] | 0x20) == 'e')
            c = '.', i += 2;
        else if (c == '%' && i + 2 < n && p[i + 1] == '3' && (p[i + 2] | 0x20) == 'a')
            c = ':', i += 2;
        if (m == sizeof buf)
            return false;
        buf[m++] = c;
    }
    size_t o = m >= 2 && buf[0] == '[' && buf[m - 1] == ']';
    struct lgn_ip ip;
    return lgn_ip_parse(buf + o, m - 2 * o, &ip) && lgn_anon_is_output(anon, &ip);
}

/* Bytes a detector took for a value that are lognym's own output: "-", a
 * marker (a name rule reads "PHPSESSID=[cookie]" as a session id), a
 * pseudonym, an address token or an address in the output form, maybe
 * quoted or after a credential's scheme ("Bearer [key]"). */
static bool is_output(const struct lgn_audit *a, const char *p, size_t n)
{
    while (n > 0 && (p[0] == '"' || p[0] == '\\' || p[0] == ' '))
        p++, n--;
    while (n > 0 && (p[n - 1] == '"' || p[n - 1] == '\\' || p[n - 1] == ' '))
        n--;
    size_t c = lgn_credential_start(p, n);
    p += c, n -= c;
    return n == 0 || (n == 1 && p[0] == '-') || is_marker(p, n) || is_any_pseudonym(p, n) ||
           lgn_anon_is_token(a->anon, p, n) || is_output_address(a->anon, p, n);
}

/* A detector's finding at [start, end) of the piece: none when those bytes
 * are lognym's own output. */
static void found_at(const char *name, size_t start, size_t end, void *ctx)
{
    struct lgn_audit *a = ctx;
    if (!is_output(a, a->piece + start, end - start))
        found(name, a);
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
static int scan_addresses(struct lgn_audit *a, const char *p, size_t n, const char **q)
{
    struct lgn_addr_hit h;
    size_t from = 0;
    while (lgn_addr_find(p, n, from, &h)) {
        from = h.start + h.len;
        if (a->kind == LGN_SCRUB_UA && lgn_is_product_version(p, n, &h))
            continue;
        if (!lgn_anon_is_output(a->anon, &h.ip))
            found("address", a);
        else if (q != NULL && !copy_once(a, p, n, q))
            return -1;
        else if (q != NULL)
            memset(a->blank + h.start, 'x', h.len);
    }
    return 0;
}

/* --ip-format token: address tokens (16 hex digits, a word of their own,
 * maybe right after an encoded byte) blanked in the detectors' copy, where
 * their digit runs would read as ids. */
static int blank_tokens(struct lgn_audit *a, const char *p, size_t n, const char **q)
{
    for (size_t i = 0; i < n;) {
        if (!is_lower_hex(p[i])) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < n && is_lower_hex(p[e]))
            e++;
        if (e - i >= 16 && (e == n || !is_alnum(p[e])) && word_start(p, e - 16) &&
            lgn_anon_is_token(a->anon, p + e - 16, 16)) {
            if (!copy_once(a, p, n, q))
                return -1;
            memset(a->blank + e - 16, 'a', 16);
        }
        i = e;
    }
    return 0;
}

/* One piece of a line (a field, a JSON value, or the whole line), read as
 * a->kind says (a URL, a user agent, free text...). lognym's own output is
 * no finding (found_at), and neither are digit runs inside it that a
 * detector would take for an id: a hash-mode "ip-244-15-152-81" host name,
 * the hex of "user-32172817871d" or of an address token. The detectors read
 * a copy where those are blanked (addresses to x, hex to a). */
static int scan_piece(struct lgn_audit *a, const char *p, size_t n)
{
    /* User agents get what lognym does to them: product versions and bots'
     * contact addresses stay; the other detectors run when a number may be
     * there (as the rewriter decides). */
    bool detectors = a->kind != LGN_SCRUB_UA || lgn_scrub_ua_may_hold(p, n);
    const char *q = p;
    if (scan_addresses(a, p, n, detectors ? &q : NULL) != 0)
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
    if (a->tokens && blank_tokens(a, p, n, &q) != 0)
        return -1;
    a->piece = p;
    return lgn_scrub_find(a->s, a->kind, q, n, found_at, a) < 0 ? -1 : 0;
}

/* scan_piece, once per distinct clean value: what held nothing holds
 * nothing the next time (a value with findings is scanned every time, so
 * each of its lines is counted). */
static int scan_text(struct lgn_audit *a, const char *p, size_t n)
{
    struct lgn_textcache *clean = a->clean[a->kind];
    if (clean != NULL && lgn_textcache_has(clean, 0, p, n))
        return 0;
    unsigned long long before = a->n_found;
    if (scan_piece(a, p, n) != 0)
        return -1;
    if (clean != NULL && a->n_found == before)
        lgn_textcache_add(clean, 0, p, n);
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

/* How the scrubber reads a value of this policy, as the anonymiser has it
 * read (rewrite.c): URLs as URLs, user agents as user agents, the rest as
 * free text. */
static enum lgn_scrub_kind scrub_kind_of(const struct lgn_value_policy *vp)
{
    if (vp->policy == LGN_P_UA)
        return LGN_SCRUB_UA;
    if (vp->policy != LGN_P_URL)
        return LGN_SCRUB_TEXT;
    return vp->kind == LGN_K_REQUEST ? LGN_SCRUB_REQUEST
           : vp->kind == LGN_K_QUERY ? LGN_SCRUB_QUERY
                                     : LGN_SCRUB_URL;
}

/* A cookie value that the cookie policy would replace: not the marker, not
 * empty, not one --keep-cookies keeps (name[0..nn), or the field's subject). */
static bool cookie_left(const struct lgn_audit *a, const char *name, size_t nn, const char *v,
                        size_t vn)
{
    static const size_t mark = sizeof LGN_COOKIE_MARK - 1;
    if (vn == 0 || (vn == mark && memcmp(v, LGN_COOKIE_MARK, mark) == 0))
        return false;
    return name == NULL || a->s == NULL || !lgn_scrub_keeps_cookie(a->s, name, nn);
}

/* Whether a cookie field holds a value the anonymiser replaces by
 * "[cookie]" (policy.c, lgn_rewrite_cookie): each pair of a Cookie or
 * Set-Cookie list (Set-Cookie attributes and kept cookies aside), or the one
 * value of $cookie_NAME. */
static bool cookie_values_left(const struct lgn_audit *a, const struct lgn_value_policy *vp,
                               const char *p, size_t n)
{
    if (vp->one_cookie)
        return cookie_left(a, vp->subject, vp->subject_len, p, n);
    bool first = true;
    struct lgn_cookie_piece pc;
    for (size_t i = 0; lgn_cookie_piece_next(p, n, vp->set_cookie, &i, &first, &pc);) {
        size_t st = pc.start, eq = pc.eq, e = pc.end;
        if (e > st && !pc.attribute &&
            (eq < e ? cookie_left(a, p + st, eq - st, p + eq + 1, e - eq - 1)
                    : cookie_left(a, NULL, 0, p + st, e - st)))
            return true;
    }
    return false;
}

/* A marker anywhere in [p, p+n): an X-Forwarded-For value that held a
 * pair ("Basic YWxp...=") was rewritten as free text ("Basic [credential]"),
 * not as a list of addresses and names. */
static bool has_marker(const char *p, size_t n)
{
    for (const char *o = memchr(p, '[', n); o != NULL;
         o = memchr(o + 1, '[', n - (size_t)(o + 1 - p))) {
        const char *c = memchr(o, ']', n - (size_t)(o - p));
        if (c != NULL && is_marker(o, (size_t)(c - o) + 1))
            return true;
    }
    return false;
}

/* What the anonymiser replaces whole by a field's policy, which no
 * detector needs to see: a user name (user-/ident- pseudonyms, "-" kept), a
 * client host name (host- pseudonyms, "-", localhost, unknown, unix: kept),
 * a cookie value ("[cookie]" markers). Found as "user", "host", "cookie". */
static void scan_policy(struct lgn_audit *a, const struct lgn_value_policy *vp, struct lgn_slice v)
{
    if (vp->policy == LGN_P_USER && !lgn_rewrite_keeps_name(v.p, v.len))
        found("user", a);
    else if (vp->policy == LGN_P_ADDRESS &&
             (vp->kind == LGN_K_ADDR || (!memchr(v.p, '=', v.len) && !has_marker(v.p, v.len))) &&
             lgn_client_has_name(a->anon, v.p, v.len))
        found("host", a);
}

/* The findings of kind `name` so far. */
static unsigned long long count_of(const struct lgn_audit *a, const char *name)
{
    for (size_t i = 0; i < a->to->n_kinds; i++)
        if (strcmp(a->to->kinds[i].name, name) == 0)
            return a->to->kinds[i].count;
    return 0;
}

static int json_value(void *ctx, const struct lgn_value_policy *vp, size_t s, size_t e,
                      bool quoted);

/* One value of a field or JSON key, looked at as the anonymiser's policy
 * for it decides (lgn_rewrite_value): a client address alone, a URL as a
 * URL, a user agent as a user agent, a JSON-lines object key by key, a
 * structured field for addresses only, the rest as free text. */
static int scan_by_policy(struct lgn_audit *a, const struct lgn_value_policy *vp,
                          struct lgn_slice v)
{
    a->kind = scrub_kind_of(vp);
    scan_policy(a, vp, v);
    struct lgn_ip ip;
    if (vp->kind == LGN_K_ADDR && lgn_ip_parse(v.p, v.len, &ip)) { /* the client address alone */
        if (!lgn_anon_is_output(a->anon, &ip))
            found("address", a);
        return 0;
    }
    if (vp->policy == LGN_P_CREDENTIAL && vp->rule >= 0 && a->s != NULL) {
        /* named by a rule (a JSON key, a header): the anonymiser replaces it whole */
        if (!is_output(a, v.p, v.len))
            found(lgn_scrub_rules(a->s)->v[vp->rule].label, a);
        return 0;
    }
    if (vp->policy == LGN_P_JSON || vp->policy == LGN_P_BODY) {
        struct lgn_json_body b = {.text = v.p, .len = v.len};
        bool valid = true;
        if (vp->policy == LGN_P_BODY && lgn_json_body_read(v.p, v.len, &b, &valid) != 0)
            return -1;
        const char *saved = a->json;
        a->json = b.text;
        int rc = !valid ? 0
                 : vp->policy == LGN_P_BODY
                     ? lgn_json_walk_body(a->s, b.text, b.len, json_value, a, &valid)
                     : lgn_json_walk(a->s, b.text, b.len, json_value, a, &valid);
        a->json = saved;
        lgn_json_body_free(&b);
        if (rc != 0)
            return -1;
        if (valid)
            return 0;
        a->kind = LGN_SCRUB_TEXT; /* not JSON: free text, as the anonymiser takes it */
        return scan_text(a, v.p, v.len);
    }
    enum structure st = structure_of(a, vp->kind, v);
    if (st != STRUCT_TEXT) /* a time, status, number...: addresses only */
        return st == STRUCT_ADDRESS ? scan_addresses(a, v.p, v.len, NULL) : 0;
    unsigned long long before = a->n_found;
    if (scan_text(a, v.p, v.len) != 0)
        return -1;
    /* a host name clean as a whole is read label by label, as the
     * anonymiser reads it ("1.09121234567.example.com") */
    char labels[LGN_HOST_LABELS_MAX];
    if (vp->policy == LGN_P_HOST && a->n_found == before && lgn_host_labels(v.p, v.len, labels))
        return scan_text(a, labels, v.len);
    return 0;
}

/* A value as scan_by_policy reads it; a cookie field whose values are not
 * all "[cookie]" markers is one "cookie" finding, unless the detectors
 * (which read a cookie list in free text) found its values already. */
static int scan_value(struct lgn_audit *a, const struct lgn_value_policy *vp, struct lgn_slice v)
{
    if (v.p == NULL || v.len == 0 || (v.len == 1 && v.p[0] == '-'))
        return 0;
    unsigned long long cookies = vp->policy == LGN_P_COOKIE ? count_of(a, "cookie") : 0;
    if (scan_by_policy(a, vp, v) != 0)
        return -1;
    if (vp->policy == LGN_P_COOKIE && count_of(a, "cookie") == cookies &&
        cookie_values_left(a, vp, v.p, v.len))
        found("cookie", a);
    return 0;
}

/* A value of a JSON-lines object (a->json): by its key's policy. */
static int json_value(void *ctx, const struct lgn_value_policy *vp, size_t s, size_t e, bool quoted)
{
    (void)quoted;
    struct lgn_audit *a = ctx;
    return scan_value(a, vp, (struct lgn_slice){a->json + s, e - s});
}

/* A line: field by field when a format matches, strictly or (a line the
 * anonymiser rewrote field by field as a bad line, or whose rewritten
 * field no longer has its shape: "n=[phone]" in a number) loosely or as
 * far as its leading fields line up, so
 * findings name their field and each field is looked at as the anonymiser
 * treats it; else whole. */
static int scan_line(struct lgn_audit *a, struct lgn_formats *fs, struct lgn_record *r,
                     const char *p, size_t n)
{
    const struct lgn_format *fmt = lgn_formats_match(fs, p, n, r);
    if (fmt == NULL)
        fmt = lgn_formats_match_loose(fs, p, n, r);
    if (fmt == NULL)
        fmt = lgn_formats_match_leading(fs, p, n, r);
    a->kind = LGN_SCRUB_TEXT;
    if (fmt == NULL) {
        a->field = "line";
        return scan_text(a, p, n);
    }
    static const struct lgn_value_policy text = {.policy = LGN_P_FREETEXT, .rule = -1};
    for (size_t i = 0; i < fmt->n_fields + 2; i++) {
        size_t f = i < fmt->n_fields ? i : i == fmt->n_fields ? LGN_REC_HEAD : LGN_REC_TAIL;
        if (r->in[f].p == NULL || r->in[f].len == 0)
            continue;
        a->field = i < fmt->n_fields ? fmt->fields[i]->name : "extra";
        struct lgn_value_policy vp = i < fmt->n_fields && !(r->freetext >> i & 1u)
                                         ? lgn_value_policy_of(fmt->fields[i])
                                         : text;
        if (scan_value(a, &vp, r->in[f]) != 0)
            return -1;
    }
    return 0;
}

int lgn_audit_line(struct lgn_audit *a, struct lgn_audit_found *to, struct lgn_scrub *s,
                   const struct lgn_anon *anon, struct lgn_formats *fs, struct lgn_record *r,
                   const struct lgn_line *line, unsigned input)
{
    a->to = to;
    a->s = s;
    a->anon = anon;
    a->tokens = lgn_anon_is_token(anon, "0123456789abcdef", 16);
    a->at.input = input;
    a->at.line = line->lineno;
    if (line->too_long) {
        a->field = "line";
        found("unread-long-line", a);
        return 0;
    }
    return scan_line(a, fs, r, line->p, line->len);
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
