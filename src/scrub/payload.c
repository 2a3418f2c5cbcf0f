/* payload.c: finds and decodes base64 and base64url payloads. */
#include "payload.h"

#include "base64.h"

/* Byte classes for the run scan, one table load per byte: a constant table
 * (worker threads share it; nothing is written at run time). B64: the
 * alphabet of both variants but '/' (SLASH: members only outside paths) and
 * the blank (BLANK: a '+' that query decoding made a blank). */
enum { B64 = 1, UPPER = 2, LOWER = 4, SLASH = 8, BLANK = 16 };

#define IS_UP(c) ((c) >= 'A' && (c) <= 'Z')
#define IS_LO(c) ((c) >= 'a' && (c) <= 'z')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define CLS(c)                                                                                     \
    ((c) == '/' ? SLASH                                                                            \
     : (c) == ' '                                                                                  \
         ? BLANK                                                                                   \
         : ((IS_UP(c) || IS_LO(c) || IS_DIGIT(c) || (c) == '+' || (c) == '-' || (c) == '_' ? B64   \
                                                                                           : 0) |  \
            (IS_UP(c) ? UPPER : 0) | (IS_LO(c) ? LOWER : 0)))
#define CLS4(c) CLS(c), CLS((c) + 1), CLS((c) + 2), CLS((c) + 3)
#define CLS16(c) CLS4(c), CLS4((c) + 4), CLS4((c) + 8), CLS4((c) + 12)
#define CLS64(c) CLS16(c), CLS16((c) + 16), CLS16((c) + 32), CLS16((c) + 48)

static const unsigned char classes[256] = {CLS64(0), CLS64(64), CLS64(128), CLS64(192)};

bool lgn_payload_next(const char *p, size_t n, size_t from, bool slash, bool blank_is_plus,
                      size_t *start, size_t *end)
{
    const unsigned char *t = classes;
    unsigned char member = B64 | (slash ? SLASH : 0) | (blank_is_plus ? BLANK : 0);
    size_t min_chars = (LGN_PAYLOAD_MIN_BYTES * 4 + 2) / 3;
    size_t i = from;
    /* A run of min_chars members holds the byte min_chars - 1 past any of
     * its first bytes: probe there, and skip min_chars bytes when it is not
     * a member (most text is short words). */
    while (i + min_chars <= n) {
        size_t probe = i + min_chars - 1;
        if (!(t[(unsigned char)p[probe]] & member)) {
            i = probe + 1;
            continue;
        }
        size_t s = probe;
        while (s > i && (t[(unsigned char)p[s - 1]] & member))
            s--;
        unsigned seen = 0;
        for (i = s; i < n && (t[(unsigned char)p[i]] & member); i++)
            seen |= t[(unsigned char)p[i]];
        /* Base64 of text mixes upper and lower case; slugs and hex hashes do not. */
        if (i - s < min_chars || (seen & (UPPER | LOWER)) != (UPPER | LOWER))
            continue;
        size_t e = i;
        while (e > s && p[e - 1] == ' ') /* blanks around a run are not part of it */
            e--;
        size_t b = s;
        while (b < e && p[b] == ' ')
            b++;
        size_t pad = 0;
        while (i < n && p[i] == '=' && pad < 2)
            i++, pad++;
        if (e - b >= min_chars && (i == n || p[i] != '%') && (b == 0 || p[b - 1] != '%')) {
            *start = b;
            *end = pad > 0 ? i : e;
            return true;
        }
    }
    return false;
}

long lgn_base64_decode(const char *p, size_t n, unsigned char *out)
{
    while (n > 0 && p[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return -1;
    unsigned acc = 0;
    int bits = 0;
    long k = 0;
    for (size_t i = 0; i < n; i++) {
        int v = lgn_base64_value(p[i], true);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return k;
}

/* Length of the UTF-8 sequence at p (2 to 4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n || p[0] > 0xF4)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

bool lgn_payload_is_text(const unsigned char *p, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r') {
            i++;
            continue;
        }
        size_t u = c >= 0x80 ? utf8_len(p + i, n - i) : 0;
        if (u > 0) {
            i += u;
            continue;
        }
        bad++;
        i++;
    }
    return n > 0 && bad * 20 <= n; /* at most one byte in twenty that is not text */
}
