/* reportable.c: what a report may copy from a user agent: a plain name in
 * which no phone, id, card, IBAN, e-mail, address or anything else the
 * free-text scrubber replaces fits. */
#include "reportable.h"

#include <stdlib.h>
#include <string.h>

#include "addrscan.h"
#include "scrub.h"
#include "textcache.h"

struct lgn_reportable {
    struct lgn_scrub *s;      /* free text, over the run's rules */
    struct lgn_textcache *ok; /* strings found clean (NULL: no cache) */
};

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes the %XX and \xXX escapes of s[0..n) in place (a decoded byte
 * never outruns the bytes read); returns the new length. */
static size_t unescape(unsigned char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = s[i] == '%' ? 1 : s[i] == '\\' && i + 1 < n && (s[i + 1] | 0x20) == 'x' ? 2 : 0;
        if (k > 0 && i + k + 1 < n && hex_value(s[i + k]) >= 0 && hex_value(s[i + k + 1]) >= 0) {
            s[o++] = (unsigned char)(hex_value(s[i + k]) * 16 + hex_value(s[i + k + 1]));
            i += k + 2;
        } else {
            s[o++] = s[i++];
        }
    }
    return o;
}

/* The digits and at signs of s[0..n): an ASCII digit, or the UTF-8 of a
 * Persian (U+06F0..9), Arabic-Indic (U+0660..9) or fullwidth (U+FF10..9)
 * digit; '@', U+FF20 or U+FE6B. */
static void count(const unsigned char *s, size_t n, size_t *digits, size_t *ats)
{
    *digits = *ats = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i], c1 = i + 1 < n ? s[i + 1] : 0, c2 = i + 2 < n ? s[i + 2] : 0;
        *digits += (c >= '0' && c <= '9') || (c == 0xDB && c1 >= 0xB0 && c1 <= 0xB9) ||
                   (c == 0xD9 && c1 >= 0xA0 && c1 <= 0xA9) ||
                   (c == 0xEF && c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99);
        *ats += c == '@' || (c == 0xEF && c1 == 0xBC && c2 == 0xA0) ||
                (c == 0xEF && c1 == 0xB9 && c2 == 0xAB);
    }
}

bool lgn_reportable(const char *s, size_t n)
{
    if (n > LGN_REPORTABLE_MAX)
        return false;
    /* Decoded until nothing changes (a double escape, %2531), at most 3 times. */
    unsigned char p[LGN_REPORTABLE_MAX];
    memcpy(p, s, n);
    for (int round = 0; round < 3; round++) {
        size_t m = unescape(p, n);
        if (m == n)
            break;
        n = m;
    }
    size_t digits, ats;
    count(p, n, &digits, &ats);
    struct lgn_addr_hit h;
    return digits <= LGN_REPORTABLE_DIGITS && ats == 0 && !lgn_addr_find((const char *)p, n, 0, &h);
}

bool lgn_reportable_plain(const char *s, size_t n)
{
    if (n > LGN_REPORTABLE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ' ' || c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static struct lgn_reportable *wrap(struct lgn_scrub *s, struct lgn_err *err)
{
    struct lgn_reportable *r = s != NULL ? calloc(1, sizeof *r) : NULL;
    if (r == NULL) {
        if (s != NULL)
            lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        lgn_scrub_free(s);
        return NULL;
    }
    r->s = s;
    r->ok = lgn_textcache_new(); /* NULL only disables the cache */
    return r;
}

struct lgn_reportable *lgn_reportable_new(const struct lgn_config *cfg, struct lgn_err *err)
{
    return wrap(lgn_scrub_open(cfg, NULL, err), err);
}

struct lgn_reportable *lgn_reportable_share(const struct lgn_reportable *r, struct lgn_err *err)
{
    return wrap(lgn_scrub_new(lgn_scrub_rules(r->s), NULL, NULL, err), err);
}

void lgn_reportable_free(struct lgn_reportable *r)
{
    if (r == NULL)
        return;
    lgn_scrub_free(r->s);
    lgn_textcache_free(r->ok);
    free(r);
}

bool lgn_reportable_text(struct lgn_reportable *r, const char *s, size_t n)
{
    if (!lgn_reportable(s, n))
        return false;
    if (r == NULL || n == 0 || (r->ok != NULL && lgn_textcache_has(r->ok, 0, s, n)))
        return true;
    const char *out;
    size_t out_len;
    if (lgn_scrub(r->s, LGN_SCRUB_TEXT, s, n, &out, &out_len) != 0)
        return false; /* replaced something (or out of memory) */
    if (r->ok != NULL)
        lgn_textcache_add(r->ok, 0, s, n);
    return true;
}

bool lgn_reportable_copied(struct lgn_reportable *r, const char *s, size_t n)
{
    return lgn_reportable_plain(s, n) && lgn_reportable_text(r, s, n);
}
