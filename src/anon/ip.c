/* ip.c: IPv4/IPv6 parsing, printing and truncation, and a scanner for addresses in text. */
#include "ip.h"

#include <arpa/inet.h>
#include <string.h>

static bool parse_v4(const char *p, size_t len, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || p[i] != '.')
                return false;
            i++;
        }
        unsigned v = 0;
        size_t digits = 0;
        while (i < len && p[i] >= '0' && p[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(p[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return false;
        out[part] = (uint8_t)v;
    }
    return i == len;
}

bool lgn_ip_parse(const char *p, size_t len, struct lgn_ip *ip)
{
    if (len >= 7 && len <= 15 && memchr(p, ':', len) == NULL) {
        memset(ip, 0, sizeof *ip);
        ip->family = 4;
        return parse_v4(p, len, ip->bytes);
    }
    if (len < 2 || len >= LGN_IP_STRLEN)
        return false;
    char buf[LGN_IP_STRLEN];
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET6, buf, ip->bytes) != 1)
        return false;
    ip->family = 6;
    return true;
}

static size_t format_v4(const uint8_t b[4], char *out)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (i > 0)
            out[n++] = '.';
        if (v >= 100)
            out[n++] = (char)('0' + v / 100);
        if (v >= 10)
            out[n++] = (char)('0' + v / 10 % 10);
        out[n++] = (char)('0' + v % 10);
    }
    out[n] = '\0';
    return n;
}

/* RFC 5952: lowercase hex, no leading zeros, the longest run of two or more
 * zero groups (the first on ties) as "::", and the dotted form only for
 * IPv4-mapped addresses (glibc's inet_ntop also uses it for ::a.b.c.d). */
static size_t format_v6(const uint8_t *b, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    struct lgn_ip ip = {.family = 6}, v4;
    memcpy(ip.bytes, b, 16);
    if (lgn_ip_unmap_v4(&ip, &v4)) {
        memcpy(out, "::ffff:", 7);
        return 7 + format_v4(v4.bytes, out + 7);
    }
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len)
            best = i, best_len = j - i;
        i = j == i ? i + 1 : j;
    }
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            out[n++] = ':';
            if (i == 0)
                out[n++] = ':';
            i += best_len - 1;
            continue;
        }
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (g[i] >> shift) & 15;
            if (d || started || shift == 0) {
                out[n++] = hex[d];
                started = true;
            }
        }
        if (i < 7)
            out[n++] = ':';
    }
    out[n] = '\0';
    return n;
}

size_t lgn_ip_format(const struct lgn_ip *ip, char buf[LGN_IP_STRLEN])
{
    return ip->family == 4 ? format_v4(ip->bytes, buf) : format_v6(ip->bytes, buf);
}

void lgn_ip_truncate(struct lgn_ip *ip, unsigned bits)
{
    unsigned total = ip->family == 4 ? 32 : 128;
    if (bits >= total)
        return;
    unsigned byte = bits / 8;
    if (bits % 8) {
        ip->bytes[byte] &= (uint8_t)(0xFF00u >> (bits % 8));
        byte++;
    }
    memset(ip->bytes + byte, 0, total / 8 - byte);
}

bool lgn_ip_unmap_v4(const struct lgn_ip *ip, struct lgn_ip *v4)
{
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (ip->family != 6 || memcmp(ip->bytes, prefix, 12) != 0)
        return false;
    memset(v4, 0, sizeof *v4);
    v4->family = 4;
    memcpy(v4->bytes, ip->bytes + 12, 4);
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a dotted group of 1-3 digits worth at most 255 at p (< e), or 0. */
static size_t octet_len(const char *p, const char *e)
{
    size_t n = 0;
    unsigned v = 0;
    while (p + n < e && is_digit(p[n]) && n < 4)
        v = v * 10 + (unsigned)(p[n++] - '0');
    return n >= 1 && n <= 3 && v <= 255 && (p + n == e || !is_digit(p[n])) ? n : 0;
}

static bool is_hex(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* True when p[i] follows a "%XX" or "\xXX" escape, whose last hex digit
 * may glue onto an address ("whois%20198.51.100.7"). */
static bool after_escape(const char *p, size_t i)
{
    if (i >= 3 && p[i - 3] == '%' && is_hex(p[i - 2]) && is_hex(p[i - 1]))
        return true;
    return i >= 4 && p[i - 4] == '\\' && (p[i - 3] | 0x20) == 'x' && is_hex(p[i - 2]) &&
           is_hex(p[i - 1]);
}

/* How many hex digits at p[i] belong to an escape whose introducer ends at
 * p[i-1]: "%" and "\x" (2), "\u" and "%u" (4), "%5Cx" and "%5Cu" (an
 * encoded backslash); else 0. */
static size_t escape_digits(const char *p, size_t i)
{
    if (i >= 1 && p[i - 1] == '%')
        return 2;
    char c = (char)(i >= 1 ? p[i - 1] | 0x20 : 0);
    if (c != 'x' && c != 'u')
        return 0;
    size_t d = c == 'x' ? 2 : 4;
    if (i >= 2 && (p[i - 2] == '\\' || (c == 'u' && p[i - 2] == '%')))
        return d;
    return i >= 4 && p[i - 4] == '%' && p[i - 3] == '5' && (p[i - 2] | 0x20) == 'c' ? d : 0;
}

/* A dotted quad of four groups of 1-3 digits starting at p[i], within [i, e). */
static bool quad_at(const char *p, size_t i, size_t e, struct lgn_ip_span *span)
{
    size_t j = i;
    int groups = 0;
    for (; groups < 4; groups++) {
        size_t n = octet_len(p + j, p + e);
        if (n == 0)
            break;
        j += n;
        if (groups < 3) {
            if (j >= e || p[j] != '.')
                break;
            j++;
        }
    }
    if (groups < 4 || !lgn_ip_parse(p + i, j - i, &span->ip))
        return false;
    span->start = i;
    span->len = j - i;
    return true;
}

/* A dotted quad right after the escapes whose hex digits start at p[i],
 * tried after each escape in turn, the first that is one: "%40198.51.100.7"
 * and "\u0040198.51.100.7" hold 198.51.100.7; a decoded '%' ("%25") begins
 * one more escape, so "%2540198.51.100.7" does too, while "%25246.1.2.3"
 * holds 246.1.2.3 (a pseudonym lognym wrote there reads the same again). */
static bool quad_after_escapes(const char *p, size_t i, size_t e, struct lgn_ip_span *span)
{
    size_t k = i, d = escape_digits(p, i);
    while (d > 0 && e - k >= d) {
        for (size_t j = k; j < k + d; j++)
            if (!is_hex(p[j]))
                return false;
        bool percent = d == 2 && p[k] == '2' && p[k + 1] == '5';
        k += d;
        if (k < e && is_digit(p[k]) && quad_at(p, k, e, span))
            return true;
        d = percent ? 2 : 0;
    }
    return false;
}

/* Finds a dotted quad in the run [s, e): four dot-separated groups of 1-3
 * digits at the start of a dotted number, whatever follows ("rv:1.9.2.3",
 * "5.0.1.1.0.255.255", a port in "198.51.100.7.443"), because a number that
 * looks like an address is treated as one. Groups are only counted from
 * their first digit, and a dotted number is only read from its first group:
 * when its first four are no address, the rest is a version
 * ("FBAV/440.0.0.31.105"), not an address to find further in. When the
 * digits at p[i] are an escape's hex digits ("%251.2.3.4"), the address after
 * the escape is the one written there: "251.2.3.4" would be taken for a hash
 * pseudonym (240.0.0.0/4) and kept, with 1.2.3.4 in it. A quad right after
 * the run's start (the end of the last address found, "1.2.3.4.5.6.7.8")
 * starts a new number. */
static bool find_v4(const char *p, size_t s, size_t e, struct lgn_ip_span *span)
{
    for (size_t i = s; i < e; i++) {
        if (!is_digit(p[i]) || (i > s && is_digit(p[i - 1]) && !after_escape(p, i)) ||
            (i >= s + 2 && p[i - 1] == '.' && is_digit(p[i - 2])))
            continue;
        if (quad_after_escapes(p, i, e, span))
            return true;
        if (quad_at(p, i, e, span))
            return true;
    }
    return false;
}

/* A malformed IPv6-looking token ("2a02:cf40::::::::4e36") still names a
 * network: it is treated as the address made of its groups before the
 * first "::", so its prefix is anonymised like any other. One group or
 * none before it names no network (16 bits at most): such a token is text
 * ("q=a::b::c::d"), kept whole. */
static bool malformed_v6(const char *p, size_t s, size_t e, size_t colons, struct lgn_ip_span *span)
{
    const char *dbl = NULL;
    for (size_t i = s; i + 1 < e; i++)
        if (p[i] == ':' && p[i + 1] == ':') {
            dbl = p + i;
            break;
        }
    if (dbl == NULL && colons < 7)
        return false;
    size_t group = 0;
    for (size_t i = s; i < e; i++) {
        if (p[i] == '.')
            return false;
        group = p[i] == ':' ? 0 : group + 1;
        if (group > 4)
            return false;
    }
    char buf[LGN_IP_STRLEN];
    size_t n = dbl ? (size_t)(dbl - (p + s)) : 0;
    if (n + 2 >= sizeof buf || (dbl != NULL && memchr(p + s, ':', n) == NULL))
        return false;
    memcpy(buf, p + s, n);
    memcpy(buf + n, "::", 2);
    if (!lgn_ip_parse(buf, n + 2, &span->ip))
        return false;
    span->start = s;
    span->len = e - s;
    return true;
}

/* An IPv6 address in [s, e), maybe glued to hex-looking bytes before it
 * ("%5B2001:db8::1", "%2F2001:db8::7"): also tried without up to four
 * leading bytes. */
static bool parse_v6_run(const char *p, size_t s, size_t e, struct lgn_ip_span *span)
{
    for (size_t k = 0; k <= 4 && s + k < e; k++) {
        if (k > 0 && p[s + k - 1] == ':')
            break;
        if (lgn_ip_parse(p + s + k, e - s - k, &span->ip)) {
            span->start = s + k;
            span->len = e - s - k;
            return true;
        }
    }
    return false;
}

/* Length of a port written after an IPv6 address without brackets
 * (":54321" as Apache's error log and HAProxy write it, or ".443"), or 0. */
static size_t port_suffix(const char *p, size_t s, size_t e)
{
    size_t i = e;
    while (i > s && is_digit(p[i - 1]) && e - i < 6)
        i--;
    if (i == e || i <= s + 1 || (p[i - 1] != ':' && p[i - 1] != '.'))
        return 0;
    return e - i + 1;
}

/* Tries the run [s, e) of hex digits, dots and colons. */
static bool try_run(const char *p, size_t s, size_t e, struct lgn_ip_span *span)
{
    while (e > s && (p[e - 1] == '.' || p[e - 1] == ':') && !(e - s >= 2 && p[e - 2] == ':'))
        e--;
    size_t colons = 0;
    for (size_t i = s; i < e; i++)
        colons += p[i] == ':';
    if (colons >= 2) {
        /* "ip:2001:db8::1", "peer:2001:db8::1": the run starts at the colon
         * after a word, or the word's hex tail glues on ("id:" gives "d:",
         * read with the address when that parses). */
        if (p[s] == ':' && s + 1 < e && p[s + 1] != ':')
            s++, colons--;
        else if (s > 0 && ((p[s - 1] | 0x20) >= 'g' && (p[s - 1] | 0x20) <= 'z'))
            for (size_t i = s; i < s + 5 && i + 1 < e; i++)
                if (p[i] == ':' && p[i + 1] != ':') {
                    /* Whole first: the tail may be the address's own first
                     * group ("T2001:db8:4f2a:17::", "M1:2:8a2e:370::"), and
                     * read after the colon its other groups would stay. A
                     * word's tail ("id:") then goes with the address. */
                    if (parse_v6_run(p, s, e, span))
                        return true;
                    if (parse_v6_run(p, i + 1, e, span))
                        return true;
                    break;
                }
        if (parse_v6_run(p, s, e, span))
            return true;
        size_t port = port_suffix(p, s, e);
        if (port > 0 && parse_v6_run(p, s, e - port, span))
            return true;
    }
    return find_v4(p, s, e, span) || (colons >= 2 && malformed_v6(p, s, e, colons, span));
}

static bool is_word_letter(char c)
{
    return ((c | 0x20) >= 'g' && (c | 0x20) <= 'z') || c == '_';
}

/* "Data::Dumper", "std::vector", "Text::CSV_XS": a run [s, e) of p (len
 * bytes) without a decimal digit, glued to a word's letters on both sides
 * ("Da|ta::D|umper"), is a piece of that word, not an address. Glued on
 * one side only it is read ("ip:dead:beef::1", "\x03::fffn"). */
static bool word_piece(const char *p, size_t s, size_t e, size_t len)
{
    if (s == 0 || e >= len || !is_word_letter(p[s - 1]) || !is_word_letter(p[e]))
        return false;
    for (size_t i = s; i < e; i++)
        if (is_digit(p[i]))
            return false;
    return true;
}

/* Byte classes for the scanner: bit 1 = may be part of an address run. */
enum { RUN = 1, DOT = 2, COLON = 4 };
static const unsigned char byte_class[256] = {
    ['0'] = RUN, ['1'] = RUN, ['2'] = RUN, ['3'] = RUN, ['4'] = RUN,       ['5'] = RUN,
    ['6'] = RUN, ['7'] = RUN, ['8'] = RUN, ['9'] = RUN, ['a'] = RUN,       ['b'] = RUN,
    ['c'] = RUN, ['d'] = RUN, ['e'] = RUN, ['f'] = RUN, ['A'] = RUN,       ['B'] = RUN,
    ['C'] = RUN, ['D'] = RUN, ['E'] = RUN, ['F'] = RUN, ['.'] = RUN | DOT, [':'] = RUN | COLON,
};

bool lgn_ip_find(const char *p, size_t len, size_t from, struct lgn_ip_span *span)
{
    /* Every address holds a '.' or a ':'; jump between them with memchr, and
     * remember both so a far-away separator is not searched for again. */
    const unsigned char *u = (const unsigned char *)p;
    const char *end = p + len;
    const char *dot = memchr(p + from, '.', len - from);
    const char *colon = memchr(p + from, ':', len - from);
    size_t i = from;
    while (i < len) {
        if (dot != NULL && dot < p + i)
            dot = memchr(p + i, '.', (size_t)(end - (p + i)));
        if (colon != NULL && colon < p + i)
            colon = memchr(p + i, ':', (size_t)(end - (p + i)));
        const char *sep = dot == NULL ? colon : (colon == NULL || dot < colon ? dot : colon);
        if (sep == NULL)
            return false;
        size_t s = (size_t)(sep - p), e = s;
        unsigned dots = 0, colons = 0;
        while (s > from && (byte_class[u[s - 1]] & RUN))
            s--;
        for (; e < len && (byte_class[u[e]] & RUN); e++) {
            dots += (byte_class[u[e]] & DOT) != 0;
            colons += (byte_class[u[e]] & COLON) != 0;
        }
        /* Cheap reject: an address has three dots or two colons. Bytes left of
         * the separator are never dots or colons (it is the first of them). */
        if ((dots >= 3 || (colons >= 2 && !word_piece(p, s, e, len))) && try_run(p, s, e, span))
            return true;
        i = e + 1;
    }
    return false;
}
