/* url.c: URL splitting, query parameters, and decoding with an offset map. */
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of "scheme://" at p, or 0. */
static size_t scheme_len(const char *p, size_t n)
{
    if (n == 0 || !is_alpha(p[0]))
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    if (i + 3 <= n && p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/')
        return i + 3;
    return 0;
}

void lgn_url_split(const char *p, size_t n, struct lgn_url_parts *u)
{
    memset(u, 0, sizeof *u);
    size_t i = scheme_len(p, n);
    if (i > 0) { /* authority: up to '/', '?' or '#'; userinfo up to its last '@' */
        size_t a = i, at = (size_t)-1;
        while (i < n && p[i] != '/' && p[i] != '?' && p[i] != '#') {
            if (p[i] == '@')
                at = i;
            i++;
        }
        if (at != (size_t)-1)
            u->userinfo = (struct lgn_span){a, at - a};
        size_t h = at != (size_t)-1 ? at + 1 : a;
        u->host = (struct lgn_span){h, i - h};
    }
    size_t path = i;
    while (i < n && p[i] != '?' && p[i] != '#')
        i++;
    u->path = (struct lgn_span){path, i - path};
    if (i < n && p[i] == '?') {
        size_t q = ++i;
        while (i < n && p[i] != '#')
            i++;
        u->has_query = true;
        u->query = (struct lgn_span){q, i - q};
    }
    if (i < n && p[i] == '#') {
        u->has_fragment = true;
        u->fragment = (struct lgn_span){i + 1, n - i - 1};
    }
}

bool lgn_request_target(const char *p, size_t n, struct lgn_span *target)
{
    size_t m = 0;
    while (m < n && is_alpha(p[m]))
        m++;
    if (m == 0 || m == n || p[m] != ' ')
        return false;
    size_t start = m + 1, end = n;
    /* The protocol is the last word when it looks like one ("HTTP/1.1"). */
    for (size_t i = n; i > start; i--) {
        if (p[i - 1] == ' ') {
            if (n - i >= 5 && memcmp(p + i, "HTTP/", 5) == 0)
                end = i - 1;
            break;
        }
    }
    if (end <= start)
        return false;
    *target = (struct lgn_span){start, end - start};
    return true;
}

bool lgn_query_next(const char *q, size_t n, size_t *pos, struct lgn_param *prm)
{
    size_t i = *pos;
    if (i > n)
        return false;
    const char *amp = i < n ? memchr(q + i, '&', n - i) : NULL;
    size_t end = amp ? (size_t)(amp - q) : n;
    const char *eq = i < end ? memchr(q + i, '=', end - i) : NULL;
    prm->start = i;
    prm->end = end;
    prm->has_eq = eq != NULL;
    prm->name_end = eq ? (size_t)(eq - q) : end;
    prm->value_start = eq ? prm->name_end + 1 : end;
    *pos = end + 1; /* past the '&'; n + 1 after the last parameter */
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_pct(const char *p, size_t n, size_t i)
{
    return p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0;
}

/* Byte 0xD9 0xA0..0xA9 (U+0660..9) or 0xDB 0xB0..0xB9 (U+06F0..9): the digit, or -1. */
static int wide_digit(const char *p, size_t n, size_t i)
{
    if (i + 1 >= n)
        return -1;
    unsigned char a = (unsigned char)p[i], b = (unsigned char)p[i + 1];
    if (a == 0xD9 && b >= 0xA0 && b <= 0xA9)
        return b - 0xA0;
    if (a == 0xDB && b >= 0xB0 && b <= 0xB9)
        return b - 0xB0;
    return -1;
}

/* What fold() reads in UTF-8, as a JSON \uHHHH escape writes it
 * (json.dumps does): fullwidth '@' and '.', Persian and Arabic-Indic
 * digits, NBSP, U+2007, U+2009, U+202F. The ASCII byte, or -1. */
static int json_fold(unsigned cp)
{
    if (cp == 0xFF20 || cp == 0xFF0E)
        return cp == 0xFF20 ? '@' : '.';
    if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9))
        return '0' + (int)(cp & 0xF);
    if (cp == 0x00A0 || cp == 0x2007 || cp == 0x2009 || cp == 0x202F)
        return ' ';
    return -1;
}

/* A \xHH or \uHHHH escape at the one backslash p[i] (see escape()). */
static size_t escape_at(const char *p, size_t n, size_t i, int *v)
{
    if (i + 3 < n && p[i + 1] == 'x' && hexval(p[i + 2]) >= 0 && hexval(p[i + 3]) >= 0) {
        *v = hexval(p[i + 2]) * 16 + hexval(p[i + 3]);
        return 4;
    }
    if (i + 5 >= n || p[i + 1] != 'u')
        return 0;
    unsigned cp = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hexval(p[i + k]);
        if (h < 0)
            return 0;
        cp = cp * 16 + (unsigned)h;
    }
    int f = json_fold(cp);
    if (f >= 0 || cp <= 0xFF) {
        *v = f >= 0 ? f : (int)cp;
        return 6;
    }
    return 0;
}

/* A \xHH (nginx, Apache) or \u00HH (JSON) escape at p[i], or a \uHHHH one
 * json_fold() reads: its length, with the byte in *v; else 0. The backslash
 * may be doubled (or more): Apache and JSON write a client's "\u0040" as
 * "\\u0040", which still reads as '@' to whoever decodes it once more. */
static size_t escape(const char *p, size_t n, size_t i, int *v)
{
    size_t start = i;
    while (i + 1 < n && p[i + 1] == '\\')
        i++;
    size_t len = escape_at(p, n, i, v);
    return len == 0 ? 0 : len + (i - start);
}

/* "&#64;" or "&#x40;" (an ASCII character as an HTML entity) at p[i]: its
 * length, with the character in *v; else 0. */
static size_t html_entity(const char *p, size_t n, size_t i, int *v)
{
    int c1 = i + 1 < n ? ((unsigned char)p[i + 1] | 0x20) : 0; /* '#' stays '#' */
    if (c1 != '#' && c1 != 'a' && c1 != 'c' && c1 != 'p')      /* most '&' join parameters */
        return 0;
    static const struct {
        const char *name;
        unsigned char c;
    } named[] = {{"&commat;", '@'}, {"&period;", '.'}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t len = strlen(named[k].name);
        if (i + len <= n && strncasecmp(p + i, named[k].name, len) == 0) {
            *v = named[k].c;
            return len;
        }
    }
    size_t h = i + 1; /* the '#'; "&amp;#64;" is the entity encoded once more */
    if (i + 5 < n && strncmp(p + i, "&amp;#", 6) == 0)
        h = i + 5;
    if (h + 2 >= n || p[i] != '&' || p[h] != '#')
        return 0;
    size_t j = h + 1;
    bool hex = p[j] == 'x' || p[j] == 'X';
    j += hex;
    int val = 0, digits = 0;
    for (; j < n && digits < 4; j++, digits++) {
        int d = hex ? hexval(p[j]) : is_digit(p[j]) ? p[j] - '0' : -1;
        if (d < 0)
            break;
        val = val * (hex ? 16 : 10) + d;
    }
    /* the ';' may be left out of a decimal one glued to a word, as in
     * "jane&#64example.com" (browsers read it so) */
    bool semi = j < n && p[j] == ';';
    if (digits == 0 || val < 0x20 || val > 0x7e || (!semi && (hex || j >= n || !is_alpha(p[j]))))
        return 0;
    *v = val;
    return j + semi - i;
}

/* "(at)", "[at]", "{at}" (any case, a blank either side) spell '@'; "(dot)"
 * and its kin spell '.'. Returns the length at p[i], with *v, else 0. */
static size_t spelled_at(const char *p, size_t n, size_t i, int *v)
{
    static const char open[] = "([{", close[] = ")]}";
    size_t j = i + (p[i] == ' ');
    const char *o = j + 3 < n ? memchr(open, p[j], 3) : NULL;
    if (o == NULL)
        return 0;
    char want = close[o - open];
    size_t w = 0;
    int c = 0;
    if ((p[j + 1] | 0x20) == 'a' && (p[j + 2] | 0x20) == 't')
        w = 2, c = '@';
    else if (j + 4 < n && (p[j + 1] | 0x20) == 'd' && (p[j + 2] | 0x20) == 'o' &&
             (p[j + 3] | 0x20) == 't')
        w = 3, c = '.';
    if (w == 0 || p[j + 1 + w] != want)
        return 0;
    *v = c;
    j += 2 + w;
    return j + (j < n && p[j] == ' ') - i;
}

/* The last round folds what people type for a digit, a blank, '@' and '.':
 * Persian and Arabic-Indic digits; NBSP, U+2007, U+2009 and U+202F
 * (between digit groups); fullwidth '@' and '.'; HTML entities; \u00HH and
 * \xHH escapes that percent-decoding revealed ("%5Cu0040"); "(at)" and
 * "[dot]". Returns the bytes consumed at in[i] (0: nothing to fold). */
static size_t fold(const char *in, size_t n, size_t i, unsigned flags, int *v)
{
    unsigned char c = (unsigned char)in[i];
    if (c < 0x80) { /* most bytes: ASCII that starts nothing */
        if (c == '&')
            return html_entity(in, n, i, v);
        if (c == '\\' && (flags & LGN_DEC_ESCAPES))
            return escape(in, n, i, v);
        if (c == ' ' || c == '(' || c == '[' || c == '{')
            return spelled_at(in, n, i, v);
        return 0;
    }
    int dg = wide_digit(in, n, i);
    if (dg >= 0) {
        *v = '0' + dg;
        return 2;
    }
    unsigned char b = i + 1 < n ? (unsigned char)in[i + 1] : 0;
    unsigned char b2 = i + 2 < n ? (unsigned char)in[i + 2] : 0;
    if (c == 0xC2 && b == 0xA0) {
        *v = ' ';
        return 2;
    }
    if (c == 0xE2 && b == 0x80 && (b2 == 0x87 || b2 == 0x89 || b2 == 0xAF)) {
        *v = ' ';
        return 3;
    }
    if (c == 0xEF && b == 0xBC && (b2 == 0xA0 || b2 == 0x8E)) {
        *v = b2 == 0xA0 ? '@' : '.';
        return 3;
    }
    if (c == 0xEF && b == 0xBC && b2 >= 0x90 && b2 <= 0x99) { /* fullwidth digits */
        *v = '0' + (b2 - 0x90);
        return 3;
    }
    if ((c == 0xEF && b == 0xB9 && b2 == 0xAB) || /* U+FE6B small '@' */
        (c == 0xE3 && b == 0x80 && b2 == 0x82) || /* U+3002 ideographic full stop */
        (c == 0xEF && b == 0xBD && b2 == 0xA1)) { /* U+FF61 halfwidth one */
        *v = c == 0xEF && b == 0xB9 ? '@' : '.';
        return 3;
    }
    return 0;
}

/* What a byte may start, for the scans below (one table load a byte: they
 * run over every field): a %XX escape, something fold() changes, a '+', a
 * backslash escape. */
enum { B_PCT = 1, B_FOLD = 2, B_PLUS = 4, B_BSLASH = 8 };
static const unsigned char byte_starts[256] = {
    ['%'] = B_PCT,   [0xD9] = B_FOLD,   [0xDB] = B_FOLD, [0xC2] = B_FOLD, [0xE2] = B_FOLD,
    [0xEF] = B_FOLD, ['&'] = B_FOLD,    ['('] = B_FOLD,  ['['] = B_FOLD,  ['{'] = B_FOLD,
    ['+'] = B_PLUS,  ['\\'] = B_BSLASH, [0xE3] = B_FOLD,
};

/* A '+' at p[i] that decoding under these flags makes a space. */
static bool plus_decodes(const char *p, size_t n, size_t i, unsigned flags)
{
    if (flags & LGN_DEC_PLUS)
        return true;
    return (flags & LGN_DEC_DIGIT_PLUS) && i > 0 && i + 1 < n && is_digit(p[i - 1]) &&
           is_digit(p[i + 1]);
}

/* True when a byte of p, of the kinds in `want`, starts something decoding
 * under these flags changes. */
static bool any_start(const char *p, size_t n, unsigned flags, unsigned want)
{
    if (!(flags & LGN_DEC_ESCAPES))
        want &= ~(unsigned)B_BSLASH;
    for (size_t i = 0; i < n; i++) {
        unsigned k = byte_starts[(unsigned char)p[i]] & want;
        if (k != 0 && (k != B_PLUS || plus_decodes(p, n, i, flags)))
            return true;
    }
    return false;
}

bool lgn_needs_decoding(const char *p, size_t n, unsigned flags)
{
    return any_start(p, n, flags, B_PCT | B_FOLD | B_PLUS | B_BSLASH);
}

/* Whether the first round has anything to do: a %XX escape, a backslash
 * escape, a '+'. */
static bool first_changes(const char *p, size_t n, unsigned flags)
{
    return any_start(p, n, flags, B_PCT | B_PLUS | B_BSLASH);
}

/* Whether the fold round has anything to look at (fold() starts only at
 * these bytes, or at a blank before one of them). */
static bool may_fold_any(const char *p, size_t n, unsigned flags)
{
    return any_start(p, n, flags, B_FOLD | B_BSLASH);
}

static int reserve(struct lgn_decoded *d, size_t n)
{
    if (n + 1 <= d->cap)
        return 0;
    size_t cap = d->cap ? d->cap : 256;
    while (cap < n + 1)
        cap *= 2;
    for (int k = 0; k < 2; k++) {
        char *b = realloc(d->buf[k], cap);
        if (b == NULL)
            return -1;
        d->buf[k] = b;
        size_t *m = realloc(d->maps[k], cap * sizeof *m);
        if (m == NULL)
            return -1;
        d->maps[k] = m;
    }
    d->cap = cap;
    return 0;
}

/* A '+' in a query is a space, except where an unencoded '+' was surely
 * meant: starting a number ("=+98912...", but "4111+1111" is spaced) and
 * inside the local part of an e-mail address ("jane+news@..."), so matching
 * sees them whole. */
static bool plus_is_literal(const char *p, size_t n, size_t i)
{
    size_t j = i + 1;
    if (j < n && is_digit(p[j]))
        return i == 0 || !(is_alpha(p[i - 1]) || is_digit(p[i - 1]) || p[i - 1] == ')');
    while (j < n && (is_alpha(p[j]) || is_digit(p[j]) || p[j] == '.' || p[j] == '_' || p[j] == '-'))
        j++;
    return j > i + 1 && j < n &&
           (p[j] == '@' || (j + 2 < n && p[j] == '%' && p[j + 1] == '4' && p[j + 2] == '0'));
}

enum round { FIRST, PERCENT, FOLD };

/* One decoding round from (in, inmap) to (out, outmap); inmap NULL is the
 * identity. Returns the output length (never more than n). */
static size_t decode_round(const char *in, const size_t *inmap, size_t n, char *out, size_t *outmap,
                           enum round r, unsigned flags, bool *changed)
{
    size_t j = 0, i = 0;
    while (i < n) {
        size_t from = i;
        int v = -1;
        if (r == FOLD) {
            int fv = -1;
            size_t k = fold(in, n, i, flags, &fv);
            if (k > 0) {
                v = fv;
                i += k;
            }
        } else if (in[i] == '%') {
            if (is_pct(in, n, i)) {
                v = hexval(in[i + 1]) * 16 + hexval(in[i + 2]);
                i += 3;
            } else if (r == FIRST && i + 1 < n && in[i + 1] == 'u') {
                int ev = -1; /* "%u0040": IIS's and old JavaScript's escape() spelling */
                size_t k = escape_at(in, n, i, &ev);
                if (k > 0) {
                    v = ev;
                    i += k;
                }
            }
        } else if (r == FIRST && in[i] == '\\' && (flags & LGN_DEC_ESCAPES)) {
            int ev = -1;
            size_t k = escape(in, n, i, &ev);
            if (k > 0) {
                v = ev;
                i += k;
            }
        } else if (r == FIRST && in[i] == '+' && (flags & LGN_DEC_PLUS)) {
            if (!plus_is_literal(in, n, i))
                v = ' ';
            i += v == ' ';
        } else if (r == FIRST && in[i] == '+' && plus_decodes(in, n, i, flags)) {
            v = ' ';
            i++;
        }
        if (v < 0) {
            v = (unsigned char)in[i];
            i++;
        } else {
            *changed = true;
        }
        out[j] = (char)v;
        outmap[j] = inmap ? inmap[from] : from;
        j++;
    }
    outmap[j] = inmap ? inmap[n] : n;
    return j;
}

static bool has_pct(const char *p, size_t n)
{
    const char *s = p, *end = p + n;
    while ((s = memchr(s, '%', (size_t)(end - s))) != NULL) {
        if (is_pct(p, n, (size_t)(s - p)))
            return true;
        s++;
    }
    return false;
}

int lgn_decode(struct lgn_decoded *d, const char *p, size_t n, unsigned flags)
{
    d->text = p;
    d->len = n;
    d->map = NULL;
    if (!lgn_needs_decoding(p, n, flags))
        return 0;
    if (reserve(d, n) != 0)
        return -1;
    const char *cur = p;
    const size_t *curmap = NULL;
    size_t len = n;
    int k = 0;
    for (int round = 0; round < 4; round++) {
        enum round r = round == 0 ? FIRST : round < 3 ? PERCENT : FOLD;
        /* a round that would change nothing is not run: most text has
         * only one kind of thing to decode */
        if ((r == PERCENT && !has_pct(cur, len)) ||
            (r == FIRST && !first_changes(cur, len, flags)) ||
            (r == FOLD && !may_fold_any(cur, len, flags)))
            continue;
        bool changed = false;
        size_t m = decode_round(cur, curmap, len, d->buf[k], d->maps[k], r, flags, &changed);
        if (!changed)
            continue;
        cur = d->buf[k];
        curmap = d->maps[k];
        len = m;
        k ^= 1;
    }
    d->text = cur;
    d->len = len;
    d->map = curmap;
    return 0;
}

void lgn_decoded_free(struct lgn_decoded *d)
{
    if (d == NULL)
        return;
    for (int k = 0; k < 2; k++) {
        free(d->buf[k]);
        free(d->maps[k]);
        d->buf[k] = NULL;
        d->maps[k] = NULL;
    }
    d->cap = 0;
}
