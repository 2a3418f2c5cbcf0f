/* addrscan.c: finds addresses in every spelling and rewrites each in its own. */
#include "addrscan.h"

#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool has_suffix_at(const char *p, size_t n, size_t i, const char *w)
{
    size_t wn = strlen(w);
    return i + wn <= n && strncasecmp(p + i, w, wn) == 0 && (i + wn == n || !is_alnum(p[i + wn]));
}

/* "c.0.d.e.….ip6.arpa": the run of one-nibble labels that ends at the
 * ".ip6.arpa" at `arpa`; h gets the address (missing low nibbles are 0). */
static bool reverse_v6(const char *p, size_t arpa, struct lgn_addr_hit *h)
{
    size_t i = arpa, nibbles = 0, start = arpa;
    while (nibbles < 32 && i >= 1 && hex_value(p[i - 1]) >= 0 && (i == 1 || !is_alnum(p[i - 2]))) {
        nibbles++;
        start = --i;
        if (i == 0 || p[i - 1] != '.')
            break;
        i--;
    }
    if (nibbles < 8)
        return false; /* a /32 or shorter names a network, not a client */
    memset(&h->ip, 0, sizeof h->ip);
    h->ip.family = 6;
    /* the label just before ".ip6.arpa" is the most significant nibble */
    for (size_t k = 0; k < nibbles; k++) {
        int v = hex_value(p[arpa - 1 - 2 * k]);
        h->ip.bytes[k / 2] |= (uint8_t)(k % 2 == 0 ? v << 4 : v);
    }
    h->start = start;
    h->len = arpa - start;
    h->form = LGN_ADDR_REV6;
    return true;
}

/* Length of a group of 1-3 digits worth at most 255 at p[i], or 0. */
static size_t octet(const char *p, size_t n, size_t i, unsigned *v)
{
    size_t k = 0;
    *v = 0;
    while (i + k < n && is_digit(p[i + k]) && k < 4)
        *v = *v * 10 + (unsigned)(p[i + k++] - '0');
    return k >= 1 && k <= 3 && *v <= 255 ? k : 0;
}

static bool is_letter(char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The length of the run of letters ending just before p[i] (at most 17). */
static size_t letters_before(const char *p, size_t i)
{
    size_t k = 0;
    while (k < i && k < 17 && is_letter(p[i - 1 - k]))
        k++;
    return k;
}

/* A word of two letters or more at p[j] ("static"), ending the name or
 * followed by ".name": what some providers put after the address. */
static bool word_ends_name(const char *p, size_t n, size_t j)
{
    size_t k = j;
    while (k < n && is_letter(p[k]))
        k++;
    if (k - j < 2)
        return false;
    if (k == n || !(is_alnum(p[k]) || p[k] == '-' || p[k] == '_' || p[k] == '.'))
        return true;
    return p[k] == '.' && k + 1 < n && is_letter(p[k + 1]);
}

/* Whether the name at p[j] (a '.') has two labels or more: ".example.net",
 * not the ".jpg" of a file name. */
static bool two_labels_after(const char *p, size_t n, size_t j)
{
    size_t labels = 0;
    for (size_t k = j; k + 1 < n && p[k] == '.' && is_alnum(p[k + 1]); labels++)
        for (k++; k < n && (is_alnum(p[k]) || p[k] == '-');)
            k++;
    return labels >= 2;
}

/* "198-51-100-7" at i, in a host name: followed by ".name" or a "-word"
 * that ends the name ("198-51-100-7-static"), or after a word and a dash
 * ("ec2-", "ip-", "host-") or a word glued to it before a domain
 * ("host198-51-100-7.range.example.net", BT's naming); a bare "1-2-3-4" in
 * a path is not, nor "v1-2-3-4" or "item12-3-4-5.jpg". */
static bool dashed_at(const char *p, size_t n, size_t i, struct lgn_addr_hit *h)
{
    size_t glued = i > 0 && !is_digit(p[i - 1]) ? letters_before(p, i) : 0;
    if (i > 0 && p[i - 1] == '.')
        return false;
    if (glued > 0 && (glued < 2 || glued > 16 || (i > glued && is_alnum(p[i - glued - 1]))))
        return false; /* "v1-2-3-4", or letters glued to digits before them */
    if (glued == 0 && i > 0 && is_alnum(p[i - 1]))
        return false;
    size_t j = i;
    unsigned v[4];
    for (int g = 0; g < 4; g++) {
        size_t k = octet(p, n, j, &v[g]);
        if (k == 0)
            return false;
        j += k;
        if (g < 3) {
            if (j >= n || p[j] != '-')
                return false;
            j++;
        }
    }
    bool domain = j + 1 < n && p[j] == '.' && is_letter(p[j + 1]);
    bool suffix = j + 1 < n && p[j] == '-' && word_ends_name(p, n, j + 1);
    if (j < n && (is_alnum(p[j]) || (p[j] == '-' && !suffix)))
        return false;
    bool word = i >= 2 && p[i - 1] == '-' && is_letter(p[i - 2]);
    if (!word && i >= 3 && p[i - 1] == '-' && is_digit(p[i - 2])) /* "ec2-" */
        for (size_t k = i - 2; k > 0 && is_alnum(p[k - 1]); k--)
            if (!is_digit(p[k - 1])) {
                word = true;
                break;
            }
    if (glued > 0 ? !(domain && two_labels_after(p, n, j)) : !(domain || word || suffix))
        return false;
    memset(&h->ip, 0, sizeof h->ip);
    h->ip.family = 4;
    for (int g = 0; g < 4; g++)
        h->ip.bytes[g] = (uint8_t)v[g];
    h->start = i;
    h->len = j - i;
    h->form = LGN_ADDR_DASHED;
    return true;
}

/* The first dashed address in [from, n), or false. */
static bool find_dashed(const char *p, size_t n, size_t from, struct lgn_addr_hit *h)
{
    const char *end = p + n;
    for (const char *d = p + from; (d = memchr(d, '-', (size_t)(end - d))) != NULL; d++) {
        size_t i = (size_t)(d - p);
        if (i == 0 || !is_digit(p[i - 1]))
            continue;
        size_t s = i;
        while (s > from && is_digit(p[s - 1]))
            s--;
        if (dashed_at(p, n, s, h))
            return true;
    }
    return false;
}

/* A plain address found by the scanner, read in its context: a dotted quad
 * before ".in-addr.arpa" is reversed; nibbles before ".ip6.arpa" are one. */
static void classify(const char *p, size_t n, const struct lgn_ip_span *sp, struct lgn_addr_hit *h)
{
    h->start = sp->start;
    h->len = sp->len;
    h->ip = sp->ip;
    h->form = LGN_ADDR_PLAIN;
    size_t e = sp->start + sp->len;
    if (sp->ip.family == 4 && has_suffix_at(p, n, e, ".in-addr.arpa")) {
        for (int k = 0; k < 4; k++)
            h->ip.bytes[k] = sp->ip.bytes[3 - k];
        h->form = LGN_ADDR_REV4;
    }
}

/* Where the next ".ip6.arpa" starts in [from, n), or n. */
static size_t find_ip6_arpa(const char *p, size_t n, size_t from)
{
    for (size_t i = from; i + 9 <= n; i++) {
        const char *d = memchr(p + i, '.', n - i);
        if (d == NULL)
            return n;
        i = (size_t)(d - p);
        if (i + 9 > n) /* no room left for ".ip6.arpa" */
            return n;
        if ((p[i + 1] | 0x20) == 'i' && has_suffix_at(p, n, i, ".ip6.arpa"))
            return i;
    }
    return n;
}

bool lgn_addr_find(const char *p, size_t n, size_t from, struct lgn_addr_hit *h)
{
    struct lgn_ip_span sp;
    struct lgn_addr_hit best, other;
    bool found = lgn_ip_find(p, n, from, &sp);
    if (found)
        classify(p, n, &sp, &best);
    /* Dashes and ".ip6.arpa" are looked for only up to the plain hit. */
    size_t limit = found ? best.start + best.len : n;
    if (find_dashed(p, limit, from, &other) && (!found || other.start < best.start)) {
        best = other;
        found = true;
    }
    /* The first reverse name starting at or after `from`: the ".ip6.arpa"
     * of a name already rewritten (which ends at its dot) is skipped. */
    for (size_t arpa = find_ip6_arpa(p, n, from); arpa < n; arpa = find_ip6_arpa(p, n, arpa + 1)) {
        if (!reverse_v6(p, arpa, &other) || other.start < from)
            continue;
        if (!found || best.start >= other.start) {
            best = other;
            found = true;
        }
        break;
    }
    if (found)
        *h = best;
    return found;
}

size_t lgn_addr_anon(struct lgn_anon *a, const char *p, const struct lgn_addr_hit *h,
                     char out[LGN_ADDR_OUT_MAX])
{
    char buf[LGN_ANON_MAX];
    if (h->form == LGN_ADDR_PLAIN)
        return lgn_anon_ip(a, p + h->start, h->len, &h->ip, out);
    char text[LGN_IP_STRLEN];
    size_t tn = lgn_ip_format(&h->ip, text);
    size_t m = lgn_anon_ip(a, text, tn, &h->ip, buf);
    struct lgn_ip ip;
    if (h->form == LGN_ADDR_DASHED) {
        for (size_t i = 0; i < m; i++) {
            out[i] = buf[i];
            if (buf[i] == '.' || buf[i] == ':')
                out[i] = '-';
        }
        return m;
    }
    if (!lgn_ip_parse(buf, m, &ip) || ip.family != h->ip.family) {
        /* a token (--ip-format token): written as one label */
        memcpy(out, buf, m);
        return m;
    }
    if (h->form == LGN_ADDR_REV4) {
        struct lgn_ip rev = {.family = 4};
        for (int k = 0; k < 4; k++)
            rev.bytes[k] = ip.bytes[3 - k];
        return lgn_ip_format(&rev, out);
    }
    size_t o = 0;
    static const char hex[] = "0123456789abcdef";
    size_t nibbles = (h->len + 1) / 2;
    for (size_t k = nibbles; k-- > 0;) {
        unsigned b = ip.bytes[k / 2];
        out[o++] = hex[k % 2 == 0 ? b >> 4 : b & 15];
        if (k > 0)
            out[o++] = '.';
    }
    return o;
}
