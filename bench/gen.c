/* gen.c: deterministic generator of a realistic combined-format access log, the benchmark input. */
/*
 * Usage: gen [LINES [SEED]]   (LINES defaults to 1000000, SEED to a fixed value)
 *
 * Writes an Apache/nginx "combined" log to stdout:
 *   IP - USER [dd/Mon/yyyy:HH:MM:SS +0000] "METHOD PATH PROTO" STATUS BYTES "REFERER" "UA"
 * and a one-line summary (lines, bytes, distinct IPs, IPv6 share, ...) to stderr.
 *
 * Same arguments, same bytes: a splitmix64 PRNG with a fixed seed drives
 * everything, and nothing depends on the clock, locale or libc's rand().
 *
 * Model: a pool of visitors (browsers, crawlers, scripts, scanners) picked
 * with a Zipf-like skew, each with a fixed IP (about 15% IPv6) and user agent.
 * A few dozen sessions are active at once; each step advances a global clock
 * (exponential gaps, shaped by a day/night curve, over about three and a half days)
 * and lets one session make its next request: a page and, for browsers, the
 * assets it pulls in, with the page as referer. Query strings carry the usual
 * PII (emails, phone numbers, tokens, search terms) that lognym must scrub.
 *
 * The documentation domains (example.com/.org/.net) are used for the site and
 * for e-mail addresses; IPs are synthetic.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef N_VISITORS
#define N_VISITORS 300000u
#endif
#ifndef ZIPF_S
#define ZIPF_S 0.75
#endif
#define ZIPF_Q 8.0
#define N_SLOTS 48
#define SPAN_SECONDS (3.0 * 86400.0 + 9.0 * 3600.0)
#define START_EPOCH 1710115200LL /* 2024-03-11 00:00:00 UTC */
#define SITE "https://example.com"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: splitmix64 ---- */

struct rng {
    uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double runif(struct rng *r) /* [0, 1) */
{
    return (double)(rnext(r) >> 11) * 0x1.0p-53;
}

static uint32_t rbelow(struct rng *r, uint32_t n) /* [0, n) */
{
    return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

static uint32_t rrange(struct rng *r, uint32_t lo, uint32_t hi) /* [lo, hi] */
{
    return lo + rbelow(r, hi - lo + 1);
}

static int rchance(struct rng *r, double p)
{
    return runif(r) < p;
}

/* Geometric count >= 1 with the given mean, capped. */
static int rgeom(struct rng *r, double mean, int cap)
{
    double p = 1.0 / mean;
    int n = 1;
    while (n < cap && !rchance(r, p))
        n++;
    return n;
}

/* ---- bounded string builder ---- */

struct sb {
    char b[2048];
    size_t n;
};

static void sb_put(struct sb *s, const char *p, size_t n)
{
    size_t room = sizeof s->b - 1 - s->n;
    if (n > room)
        n = room;
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = '\0';
}

static void sb_str(struct sb *s, const char *p)
{
    sb_put(s, p, strlen(p));
}

static void sb_chr(struct sb *s, char c)
{
    sb_put(s, &c, 1);
}

static void sb_u(struct sb *s, uint64_t v)
{
    char t[24];
    size_t i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sb_put(s, t + i, sizeof t - i);
}

static void sb_u0(struct sb *s, unsigned v, int width) /* zero-padded */
{
    char t[16];
    int i = width;
    if (width > (int)sizeof t)
        width = i = (int)sizeof t;
    while (i > 0) {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    }
    sb_put(s, t, (size_t)width);
}

static void sb_hex(struct sb *s, struct rng *r, int digits)
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < digits; i++)
        sb_chr(s, hx[rbelow(r, 16)]);
}

static void sb_b64url(struct sb *s, struct rng *r, int digits)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < digits; i++)
        sb_chr(s, al[rbelow(r, 64)]);
}

static void sb_digits(struct sb *s, struct rng *r, int digits)
{
    for (int i = 0; i < digits; i++)
        sb_chr(s, (char)('0' + rbelow(r, 10)));
}

static const char *pick(struct rng *r, const char *const *a, size_t n)
{
    return a[rbelow(r, (uint32_t)n)];
}
#define PICK(r, a) pick((r), (a), NELEM(a))

/* ---- user agents ---- */

enum { UA_BROWSER, UA_BOT, UA_SCRIPT, UA_SCANNER };
enum { NET_NONE, NET_GOOGLE, NET_BING, NET_YANDEX, NET_AHREFS, NET_APPLE, NET_FB, NET_DDG };

struct ua {
    const char *s;
    unsigned w; /* relative weight within its class */
    unsigned char cls;
    unsigned char net; /* crawler address range */
};

static const struct ua uas[] = {
    /* desktop */
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36",
     160, UA_BROWSER, 0},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/121.0.0.0 Safari/537.36",
     60, UA_BROWSER, 0},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36",
     20, UA_BROWSER, 0},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36",
     60, UA_BROWSER, 0},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36",
     18, UA_BROWSER, 0},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36",
     6, UA_BROWSER, 0},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0", 30,
     UA_BROWSER, 0},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:123.0) Gecko/20100101 Firefox/123.0", 10,
     UA_BROWSER, 0},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0", 10,
     UA_BROWSER, 0},
    {"Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0", 5, UA_BROWSER, 0},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.3.1 Safari/605.1.15",
     40, UA_BROWSER, 0},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/16.6 Safari/605.1.15",
     10, UA_BROWSER, 0},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66",
     45, UA_BROWSER, 0},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80",
     5, UA_BROWSER, 0},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/121.0.0.0 Safari/537.36 OPR/107.0.0.0",
     8, UA_BROWSER, 0},
    /* phones and tablets */
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1",
     120, UA_BROWSER, 0},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
     30, UA_BROWSER, 0},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1",
     15, UA_BROWSER, 0},
    {"Mozilla/5.0 (iPad; CPU OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.3 Mobile/15E148 Safari/604.1",
     20, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Mobile Safari/537.36",
     110, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.6261.105 Mobile Safari/537.36",
     10, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/121.0.6167.178 Mobile Safari/537.36",
     12, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 12; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/121.0.6167.164 Mobile Safari/537.36",
     8, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Safari/537.36",
     8, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
     25, UA_BROWSER, 0},
    {"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-T636B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36",
     5, UA_BROWSER, 0},
    {"Mozilla/5.0 (Android 14; Mobile; rv:123.0) Gecko/123.0 Firefox/123.0", 6, UA_BROWSER, 0},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0.0.38.108;FBBV/564431005;FBDV/iPhone14,5;"
     "FBMD/iPhone;FBSN/iOS;FBSV/17.2.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
     4, UA_BROWSER, 0},
    /* crawlers */
    {"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Chrome/122.0.6261.94 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
     "+http://www.google.com/bot.html)",
     25, UA_BOT, NET_GOOGLE},
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 30, UA_BOT,
     NET_GOOGLE},
    {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
     "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
     25, UA_BOT, NET_BING},
    {"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 8, UA_BOT, NET_YANDEX},
    {"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 12, UA_BOT, NET_AHREFS},
    {"DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", 3, UA_BOT, NET_DDG},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
     5, UA_BOT, NET_APPLE},
    {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 6, UA_BOT,
     NET_FB},
    /* scripts, monitors, API clients */
    {"curl/7.88.1", 20, UA_SCRIPT, 0},
    {"curl/8.5.0", 10, UA_SCRIPT, 0},
    {"python-requests/2.31.0", 25, UA_SCRIPT, 0},
    {"Wget/1.21.3", 5, UA_SCRIPT, 0},
    {"Go-http-client/1.1", 15, UA_SCRIPT, 0},
    {"Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", 10, UA_SCRIPT, 0},
    /* scanners */
    {"Mozilla/5.0 zgrab/0.x", 10, UA_SCANNER, 0},
    {"-", 5, UA_SCANNER, 0},
    {"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/60.0.3112.113 Safari/537.36",
     10, UA_SCANNER, 0},
};

static unsigned pick_ua(struct rng *r, int cls)
{
    unsigned total = 0;
    for (unsigned i = 0; i < NELEM(uas); i++)
        if (uas[i].cls == cls)
            total += uas[i].w;
    unsigned x = rbelow(r, total);
    for (unsigned i = 0; i < NELEM(uas); i++) {
        if (uas[i].cls != cls)
            continue;
        if (x < uas[i].w)
            return i;
        x -= uas[i].w;
    }
    return 0;
}

/* ---- addresses ---- */

/* RFC 5952 text form: lowercase, no leading zeros, longest zero run (>= 2) as "::". */
static size_t fmt_v6(char *dst, const uint16_t g[8])
{
    static const char hx[] = "0123456789abcdef";
    int best = -1, bestlen = 1;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j;
    }
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            dst[n++] = ':';
            dst[n++] = ':';
            i += bestlen - 1;
            continue;
        }
        if (i > 0 && i != best + bestlen)
            dst[n++] = ':';
        int started = 0;
        for (int sh = 12; sh >= 0; sh -= 4) {
            unsigned d = (g[i] >> sh) & 15u;
            if (d || started || sh == 0) {
                dst[n++] = hx[d];
                started = 1;
            }
        }
    }
    dst[n] = '\0';
    return n;
}

static size_t fmt_v4(char *dst, unsigned a, unsigned b, unsigned c, unsigned d)
{
    struct sb s;
    s.n = 0;
    s.b[0] = '\0';
    sb_u(&s, a);
    sb_chr(&s, '.');
    sb_u(&s, b);
    sb_chr(&s, '.');
    sb_u(&s, c);
    sb_chr(&s, '.');
    sb_u(&s, d);
    memcpy(dst, s.b, s.n + 1);
    return s.n;
}

/* A public-looking first octet (skips private, loopback, CGNAT, link-local,
 * documentation-heavy and multicast/reserved blocks). */
static unsigned v4_first_octet(struct rng *r)
{
    for (;;) {
        unsigned a = rrange(r, 1, 223);
        if (a != 10 && a != 100 && a != 127 && a != 169 && a != 172 && a != 192 && a != 198)
            return a;
    }
}

/* Realistic-looking global IPv6 allocations of access ISPs (first groups). */
static const uint16_t v6_isp[][3] = {
    {0x2a01, 0x0e0a, 0}, {0x2a02, 0x8108, 0}, {0x2003, 0x00e8, 0}, {0x2600, 0x1700, 0},
    {0x2601, 0x0000, 1}, {0x2603, 0x8000, 0}, {0x2a00, 0x23c5, 0}, {0x2406, 0x3003, 0},
    {0x2409, 0x4040, 0}, {0x2402, 0x0800, 0}, {0x2804, 0x014c, 0}, {0x2a02, 0xa210, 0},
    {0x2a0a, 0xa540, 0}, {0x2001, 0x0db8, 0}, {0x2607, 0xfb90, 0}, {0x2a01, 0x0cb0, 0},
    {0x240e, 0x0000, 1}, {0x2405, 0x6580, 0},
};

static size_t gen_v6_human(struct rng *r, char *dst)
{
    uint16_t g[8];
    const uint16_t *p = v6_isp[rbelow(r, NELEM(v6_isp))];
    g[0] = p[0];
    g[1] = p[2] ? (uint16_t)rrange(r, 0x100, 0xfff) : p[1]; /* /24-ish allocations */
    g[2] = (uint16_t)rbelow(r, 0x10000);
    g[3] = (uint16_t)(rbelow(r, 0x10000) & (rchance(r, 0.5) ? 0xff00 : 0xfff0));
    double k = runif(r);
    if (k < 0.65) { /* privacy extension: random interface id */
        for (int i = 4; i < 8; i++)
            g[i] = (uint16_t)rbelow(r, 0x10000);
    } else if (k < 0.80) { /* EUI-64 SLAAC */
        g[4] = (uint16_t)rbelow(r, 0x10000);
        g[5] = (uint16_t)((rbelow(r, 0x100) << 8) | 0xff);
        g[6] = (uint16_t)(0xfe00 | rbelow(r, 0x100));
        g[7] = (uint16_t)rbelow(r, 0x10000);
    } else { /* small manually or DHCPv6 assigned host part */
        g[4] = g[5] = g[6] = 0;
        g[7] = (uint16_t)rrange(r, 1, 0xfff);
    }
    return fmt_v6(dst, g);
}

static size_t gen_v4_human(struct rng *r, char *dst)
{
    return fmt_v4(dst, v4_first_octet(r), rbelow(r, 256), rbelow(r, 256), rrange(r, 1, 254));
}

static size_t gen_crawler_ip(struct rng *r, unsigned net, char *dst)
{
    uint16_t g[8] = {0};
    switch (net) {
    case NET_GOOGLE:
        if (rchance(r, 0.25)) {
            g[0] = 0x2001, g[1] = 0x4860, g[2] = 0x4801, g[3] = (uint16_t)rrange(r, 0x10, 0x8f);
            g[7] = (uint16_t)rrange(r, 0x10, 0x3f);
            return fmt_v6(dst, g);
        }
        return fmt_v4(dst, 66, 249, rrange(r, 64, 79), rrange(r, 1, 254));
    case NET_BING:
        switch (rbelow(r, 3)) {
        case 0:
            return fmt_v4(dst, 157, 55, 39, rrange(r, 1, 254));
        case 1:
            return fmt_v4(dst, 207, 46, 13, rrange(r, 1, 254));
        default:
            return fmt_v4(dst, 40, 77, rrange(r, 167, 167), rrange(r, 1, 254));
        }
    case NET_YANDEX:
        return rchance(r, 0.5) ? fmt_v4(dst, 5, 255, 253, rrange(r, 1, 254))
                               : fmt_v4(dst, 213, 180, 203, rrange(r, 1, 254));
    case NET_AHREFS:
        return fmt_v4(dst, 54, 36, rrange(r, 148, 149), rrange(r, 1, 254));
    case NET_APPLE:
        return fmt_v4(dst, 17, 241, rrange(r, 75, 227), rrange(r, 1, 254));
    case NET_FB:
        g[0] = 0x2a03, g[1] = 0x2880, g[2] = (uint16_t)(0xf000 | rrange(r, 0x800, 0xfff));
        g[3] = (uint16_t)rrange(r, 0x1, 0x3f), g[4] = 0xface, g[5] = 0xb00c;
        g[7] = (uint16_t)rrange(r, 1, 0x1ff);
        return fmt_v6(dst, g);
    case NET_DDG:
        return fmt_v4(dst, 20, 191, 45, rrange(r, 1, 254));
    default:
        return gen_v4_human(r, dst);
    }
}

/* Cloud-ish ranges for scripts and scanners. */
static size_t gen_v4_cloud(struct rng *r, char *dst)
{
    static const unsigned char a[] = {3,   13,  18,  34,  35,  44,  45,  52,  54,  64,
                                      104, 128, 134, 138, 139, 142, 143, 146, 147, 152,
                                      157, 159, 161, 164, 165, 167, 170, 178, 185, 188,
                                      193, 194, 195, 206, 209, 212, 217};
    return fmt_v4(dst, a[rbelow(r, sizeof a)], rbelow(r, 256), rbelow(r, 256), rrange(r, 1, 254));
}

/* ---- visitors ---- */

struct visitor {
    char ip[40];
    unsigned char iplen;
    unsigned char ua;
    unsigned char kind; /* UA_* class */
    unsigned char v6;
    unsigned char h2;   /* logs HTTP/2.0 */
    unsigned char used; /* appeared in the output */
    short user;         /* index into users[], or -1 */
};

static const char *const users[] = {"jdoe",  "alice", "admin",  "m.rossi@example.com", "bob",
                                    "carol", "ops",   "dsmith", "jane.doe@example.org"};

/* Open-addressing set of IP strings, to keep visitors' IPs distinct. */
struct ipset {
    uint32_t *slot; /* visitor index + 1, 0 = empty */
    uint32_t mask;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int ipset_add(struct ipset *set, const struct visitor *vs, uint32_t idx)
{
    const struct visitor *v = &vs[idx];
    uint32_t i = (uint32_t)fnv(v->ip, v->iplen) & set->mask;
    while (set->slot[i]) {
        const struct visitor *o = &vs[set->slot[i] - 1];
        if (o->iplen == v->iplen && memcmp(o->ip, v->ip, v->iplen) == 0)
            return 0;
        i = (i + 1) & set->mask;
    }
    set->slot[i] = idx + 1;
    return 1;
}

static void make_visitor(struct rng *r, struct visitor *v, uint32_t rank)
{
    double k = runif(r);
    if (rank < 300) /* the heavy hitters: crawlers, monitors and API clients among them */
        v->kind = k < 0.30 ? UA_BOT : k < 0.52 ? UA_SCRIPT : UA_BROWSER;
    else
        v->kind = k < 0.03 ? UA_BOT : k < 0.05 ? UA_SCRIPT : k < 0.06 ? UA_SCANNER : UA_BROWSER;
    v->ua = (unsigned char)pick_ua(r, v->kind);
    v->user = -1;
    v->v6 = 0;
    v->h2 = 0;
    v->used = 0;
    size_t n;
    switch (v->kind) {
    case UA_BOT:
        n = gen_crawler_ip(r, uas[v->ua].net, v->ip);
        break;
    case UA_SCRIPT:
        n = rchance(r, 0.15) ? gen_v6_human(r, v->ip) : gen_v4_cloud(r, v->ip);
        break;
    case UA_SCANNER:
        n = gen_v4_cloud(r, v->ip);
        break;
    default:
        n = rchance(r, 0.155)   ? gen_v6_human(r, v->ip)
            : rchance(r, 0.004) ? fmt_v4(v->ip, 10, rbelow(r, 256), rbelow(r, 256),
                                         rrange(r, 1, 254)) /* office behind the proxy */
                                : gen_v4_human(r, v->ip);
        v->h2 = (unsigned char)rchance(r, 0.7);
        if (rchance(r, 0.006))
            v->user = (short)rbelow(r, NELEM(users));
        break;
    }
    v->iplen = (unsigned char)n;
    v->v6 = memchr(v->ip, ':', n) != NULL;
}

/* ---- site content ---- */

static const char *const categories[] = {"shoes",       "jackets", "bags",        "watches",
                                         "accessories", "sale",    "new-in",      "kids",
                                         "outdoor",     "home",    "electronics", "books"};
static const char *const slug_words[] = {
    "leather", "classic", "running", "waterproof", "summer", "winter", "slim", "organic",
    "travel",  "vintage", "wool",    "cotton",     "black",  "navy",   "mini", "pro",
    "ultra",   "light",   "trail",   "canvas",     "linen",  "smart",  "eco",  "retro"};
static const char *const blog_slugs[] = {
    "how-to-choose-running-shoes",    "spring-collection-2024", "care-guide-for-leather-bags",
    "our-sustainability-report",      "10-gift-ideas-under-50", "behind-the-scenes-at-the-workshop",
    "size-guide-explained",           "free-returns-faq",       "what-is-merino-wool",
    "packing-list-for-a-weekend-hike"};
static const char *const static_pages[] = {"/about",   "/contact", "/faq",   "/shipping",
                                           "/returns", "/privacy", "/terms", "/stores"};
static const char *const search_words[] = {
    "red",   "shoes", "size",  "42",    "gift",   "card",   "leather", "bag",    "men",
    "women", "black", "boots", "rain",  "jacket", "watch",  "strap",   "sale",   "kids",
    "wool",  "socks", "linen", "shirt", "xl",     "return", "order",   "status", "vegan"};
static const char *const first_names[] = {"jane",   "john", "maria", "ali",  "sara", "li",
                                          "peter",  "anna", "reza",  "emma", "noah", "lucas",
                                          "fatima", "olga", "david", "chen", "amir", "laura"};
static const char *const last_names[] = {"doe",    "smith",  "rossi",    "muller", "garcia",
                                         "wang",   "ahmadi", "kowalski", "dubois", "silva",
                                         "jensen", "tanaka", "novak",    "brown"};
static const char *const mail_domains[] = {"example.com", "example.org", "example.net",
                                           "mail.example.com"};
static const char *const campaigns[] = {
    "spring_sale_2024", "newsletter_w10", "retargeting", "brand", "easter_promo", "launch_mar"};
static const char *const sources[] = {"newsletter", "google", "facebook", "instagram",
                                      "bing",       "tiktok", "partner"};
static const char *const probes[] = {"/wp-login.php",
                                     "/.env",
                                     "/xmlrpc.php",
                                     "/phpmyadmin/index.php",
                                     "/.git/config",
                                     "/admin/config.php",
                                     "/wp-admin/setup-config.php?step=1",
                                     "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
                                     "/actuator/health",
                                     "/?XDEBUG_SESSION_START=phpstorm",
                                     "/boaform/admin/formLogin",
                                     "/cgi-bin/luci/;stok=/locale",
                                     "/.aws/credentials",
                                     "/server-status",
                                     "/owa/auth/logon.aspx",
                                     "/api/.env",
                                     "/wp-content/plugins/wp-file-manager/readme.txt",
                                     "/config.json",
                                     "/backup.sql",
                                     "/.DS_Store"};

static void add_email(struct rng *r, struct sb *s) /* percent-encoded '@' */
{
    const char *f = PICK(r, first_names), *l = PICK(r, last_names);
    switch (rbelow(r, 4)) {
    case 0:
        sb_str(s, f), sb_chr(s, '.'), sb_str(s, l);
        break;
    case 1:
        sb_str(s, f), sb_str(s, l), sb_u(s, rrange(r, 1, 99));
        break;
    case 2:
        sb_chr(s, f[0]), sb_chr(s, '.'), sb_str(s, l);
        break;
    default:
        sb_str(s, f), sb_chr(s, '_'), sb_str(s, l), sb_u(s, rrange(r, 1970, 2005));
        break;
    }
    sb_str(s, "%40");
    sb_str(s, PICK(r, mail_domains));
}

static void add_phone(struct rng *r, struct sb *s)
{
    switch (rbelow(r, 3)) {
    case 0:
        sb_str(s, "0912"), sb_digits(s, r, 7);
        break;
    case 1:
        sb_str(s, "%2B447700900"), sb_digits(s, r, 3);
        break;
    default:
        sb_str(s, "0"), sb_u(s, rrange(r, 151, 179)), sb_digits(s, r, 8);
        break;
    }
}

static void add_token(struct rng *r, struct sb *s)
{
    switch (rbelow(r, 3)) {
    case 0:
        sb_hex(s, r, 32);
        break;
    case 1:
        sb_b64url(s, r, 43);
        break;
    default: /* JWT-shaped */
        sb_str(s, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi");
        sb_b64url(s, r, 24);
        sb_chr(s, '.');
        sb_b64url(s, r, 43);
        break;
    }
}

static void add_search_terms(struct rng *r, struct sb *s)
{
    if (rchance(r, 0.04)) { /* people paste all sorts into search boxes */
        if (rchance(r, 0.5))
            add_email(r, s);
        else
            sb_str(s, PICK(r, first_names)), sb_chr(s, '+'), sb_str(s, PICK(r, last_names));
        return;
    }
    int n = (int)rrange(r, 1, 3);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_chr(s, '+');
        sb_str(s, PICK(r, search_words));
    }
}

static void add_slug(struct sb *s, uint32_t id)
{
    struct rng lr = {id * 0x2545f4914f6cdd1dULL}; /* same product, same slug */
    int n = (int)rrange(&lr, 2, 4);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_chr(s, '-');
        sb_str(s, PICK(&lr, slug_words));
    }
}

static void sep(struct sb *s)
{
    sb_chr(s, memchr(s->b, '?', s->n) ? '&' : '?');
}

static void add_utm(struct rng *r, struct sb *s)
{
    double k = runif(r);
    sep(s);
    if (k < 0.6) {
        sb_str(s, "utm_source="), sb_str(s, PICK(r, sources));
        sb_str(s, "&utm_medium="), sb_str(s, rchance(r, 0.5) ? "email" : "cpc");
        sb_str(s, "&utm_campaign="), sb_str(s, PICK(r, campaigns));
        if (rchance(r, 0.15))
            sb_str(s, "&utm_content=hero_banner");
        if (rchance(r, 0.2)) /* ESPs that put the subscriber in the link */
            sb_str(s, "&email="), add_email(r, s);
    } else if (k < 0.85) {
        sb_str(s, "gclid="), sb_b64url(s, r, 40);
    } else {
        sb_str(s, "fbclid=IwAR"), sb_b64url(s, r, 56);
    }
}

/* ---- the log line ---- */

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "dd/Mon/yyyy:HH:MM:SS +0000" for a Unix time (civil-from-days, UTC). */
static void fmt_time(long long t, struct sb *s)
{
    long long days = t / 86400, sec = t % 86400;
    long long z = days + 719468;
    long long era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    s->n = 0;
    sb_u0(s, d, 2);
    sb_chr(s, '/');
    sb_str(s, months[m - 1]);
    sb_chr(s, '/');
    sb_u(s, (uint64_t)y);
    sb_chr(s, ':');
    sb_u0(s, (unsigned)(sec / 3600), 2);
    sb_chr(s, ':');
    sb_u0(s, (unsigned)(sec / 60 % 60), 2);
    sb_chr(s, ':');
    sb_u0(s, (unsigned)(sec % 60), 2);
    sb_str(s, " +0000");
}

struct stats {
    uint64_t lines, bytes, v6_lines, query_lines, status[6];
};

struct gen {
    struct rng r;
    FILE *out;
    char *obuf;
    size_t olen, ocap;
    uint64_t target;
    long long last_sec;
    struct sb ts;
    struct stats st;
    struct visitor *vis;
};

static void emit(struct gen *g, struct visitor *v, double t, const char *method, const char *path,
                 size_t pathlen, unsigned status, uint64_t bytes, const char *ref, size_t reflen)
{
    if (g->st.lines >= g->target)
        return;
    long long sec = (long long)t;
    if (sec < g->last_sec)
        sec = g->last_sec;
    if (sec != g->last_sec || g->ts.n == 0) {
        fmt_time(sec, &g->ts);
        g->last_sec = sec;
    }
    struct sb l;
    l.n = 0;
    sb_put(&l, v->ip, v->iplen);
    sb_str(&l, " - ");
    sb_str(&l, v->user >= 0 ? users[v->user] : "-");
    sb_str(&l, " [");
    sb_put(&l, g->ts.b, g->ts.n);
    sb_str(&l, "] \"");
    sb_str(&l, method);
    sb_chr(&l, ' ');
    sb_put(&l, path, pathlen);
    sb_str(&l, v->h2 ? " HTTP/2.0\" " : " HTTP/1.1\" ");
    sb_u(&l, status);
    sb_chr(&l, ' ');
    sb_u(&l, bytes);
    sb_str(&l, " \"");
    if (ref && reflen) {
        sb_put(&l, ref, reflen);
    } else {
        sb_chr(&l, '-');
    }
    sb_str(&l, "\" \"");
    sb_str(&l, uas[v->ua].s);
    sb_str(&l, "\"\n");

    if (g->olen + l.n > g->ocap) {
        if (fwrite(g->obuf, 1, g->olen, g->out) != g->olen) {
            perror("gen: write");
            exit(1);
        }
        g->olen = 0;
    }
    memcpy(g->obuf + g->olen, l.b, l.n);
    g->olen += l.n;

    g->st.lines++;
    g->st.bytes += l.n;
    g->st.v6_lines += v->v6;
    g->st.query_lines += memchr(path, '?', pathlen) != NULL;
    g->st.status[status / 100 < 6 ? status / 100 : 0]++;
    v->used = 1;
}

/* ---- sessions ---- */

struct session {
    uint32_t v;
    int pages_left;
    int pages_done;
    int cached;     /* browser has the css/js */
    struct sb prev; /* previous page's full URL, for the referer */
};

static void new_session(struct gen *g, struct session *s, const double *cdf, uint32_t nv)
{
    double u = runif(&g->r) * cdf[nv - 1];
    uint32_t lo = 0, hi = nv - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->v = lo;
    const struct visitor *v = &g->vis[lo];
    switch (v->kind) {
    case UA_BOT:
        s->pages_left = rgeom(&g->r, 25.0, 400);
        break;
    case UA_SCRIPT:
        s->pages_left = rgeom(&g->r, 30.0, 400);
        break;
    case UA_SCANNER:
        s->pages_left = (int)rrange(&g->r, 3, 25);
        break;
    default:
        s->pages_left = rgeom(&g->r, 2.6, 60);
        break;
    }
    s->pages_done = 0;
    s->cached = rchance(&g->r, 0.4); /* returning visitor */
    s->prev.n = 0;
    s->prev.b[0] = '\0';
}

static unsigned page_bytes(struct rng *r)
{
    return rrange(r, 6000, 48000);
}

/* Picks the next page of a browsing human into path; returns method, sets status/bytes. */
static const char *human_page(struct gen *g, struct sb *path, unsigned *status, uint64_t *bytes,
                              int *assets)
{
    struct rng *r = &g->r;
    const char *method = "GET";
    *status = 200;
    *bytes = page_bytes(r);
    *assets = 1;
    uint32_t k = rbelow(r, 1000);
    path->n = 0;
    if (k < 130) {
        sb_chr(path, '/');
    } else if (k < 260) {
        sb_str(path, "/category/"), sb_str(path, PICK(r, categories));
        if (rchance(r, 0.35))
            sb_str(path, "?page="), sb_u(path, rrange(r, 2, 12));
        if (rchance(r, 0.15))
            sep(path), sb_str(path, rchance(r, 0.5) ? "sort=price_asc" : "sort=newest");
        if (rchance(r, 0.1))
            sep(path), sb_str(path, "size="), sb_u(path, rrange(r, 36, 46));
    } else if (k < 520) {
        uint32_t id = rrange(r, 1000, 9999);
        sb_str(path, "/products/"), sb_u(path, id), sb_chr(path, '-'), add_slug(path, id);
        if (rchance(r, 0.12))
            sb_str(path, "?variant="), sb_u(path, rrange(r, 1, 8));
    } else if (k < 600) {
        sb_str(path, "/blog/2024/0"), sb_u(path, rrange(r, 1, 3)), sb_chr(path, '/');
        sb_str(path, PICK(r, blog_slugs));
    } else if (k < 630) {
        sb_str(path, "/blog/");
        if (rchance(r, 0.4))
            sb_str(path, "?page="), sb_u(path, rrange(r, 2, 9));
    } else if (k < 710) {
        sb_str(path, "/search?q="), add_search_terms(r, path);
        if (rchance(r, 0.2))
            sb_str(path, "&page="), sb_u(path, rrange(r, 2, 5));
    } else if (k < 760) {
        sb_str(path, PICK(r, static_pages));
    } else if (k < 800) {
        sb_str(path, "/cart");
    } else if (k < 820) {
        if (rchance(r, 0.5)) {
            sb_str(path, "/checkout");
        } else {
            method = "POST";
            sb_str(path, "/checkout/payment");
            *status = rchance(r, 0.9) ? 302 : 500;
            *bytes = *status == 302 ? 0 : rrange(r, 500, 900);
            *assets = 0;
        }
    } else if (k < 850) {
        if (rchance(r, 0.5)) {
            sb_str(path, "/account/login");
            if (rchance(r, 0.3))
                sb_str(path, "?next=%2Faccount%2Forders");
        } else {
            method = "POST";
            sb_str(path, "/account/login");
            *status = rchance(r, 0.8) ? 302 : 200;
            *bytes = *status == 302 ? 0 : page_bytes(r);
            *assets = *status == 200;
        }
    } else if (k < 870) {
        sb_str(path, "/account/orders");
        if (rchance(r, 0.5))
            sb_chr(path, '/'), sb_u(path, rrange(r, 100000, 999999));
    } else if (k < 878) {
        sb_str(path, "/newsletter/confirm?email="), add_email(r, path);
        sb_str(path, "&token="), add_token(r, path);
    } else if (k < 884) {
        sb_str(path, "/account/reset-password?token="), add_token(r, path);
        if (rchance(r, 0.5))
            sb_str(path, "&email="), add_email(r, path);
    } else if (k < 890) {
        sb_str(path, "/orders/track?order="), sb_u(path, rrange(r, 100000, 999999));
        sb_str(path, "&phone="), add_phone(r, path);
    } else if (k < 900) {
        sb_str(path, "/unsubscribe?email="), add_email(r, path);
        sb_str(path, "&list=weekly");
    } else if (k < 960) { /* XHR from the page: JSON, no assets */
        *assets = 0;
        *bytes = rrange(r, 80, 4000);
        uint32_t j = rbelow(r, 4);
        if (j == 0) {
            method = "POST";
            sb_str(path, "/api/v1/cart/items");
            *status = rchance(r, 0.97) ? 201 : 500;
        } else if (j == 1) {
            sb_str(path, "/api/v1/products/"), sb_u(path, rrange(r, 1000, 9999));
            sb_str(path, "/reviews?page="), sb_u(path, rrange(r, 1, 6));
        } else if (j == 2) {
            sb_str(path, "/api/v1/search/suggest?q="), add_search_terms(r, path);
        } else {
            method = "POST";
            sb_str(path, "/api/v1/events");
            *status = 204;
            *bytes = 0;
        }
    } else if (k < 980) { /* old or broken links */
        *assets = 0;
        if (rchance(r, 0.5)) {
            sb_str(path, "/shop/item.php?id="), sb_u(path, rrange(r, 1, 5000));
            *status = 301;
            *bytes = 162;
        } else {
            sb_str(path, "/products/old-"), sb_u(path, rrange(r, 100, 999));
            *status = 404;
            *bytes = rrange(r, 3000, 5000);
        }
    } else {
        sb_str(path, "/media/catalogue-spring-2024.pdf");
        *assets = 0;
        *status = rchance(r, 0.3) ? 206 : 200;
        *bytes = rrange(r, 200000, 4800000);
    }
    if (*status == 200 && rchance(r, 0.003)) {
        *status = 500;
        *bytes = rrange(r, 500, 900);
        *assets = 0;
    }
    return method;
}

static const char *const ext_referers[] = {"https://www.google.com/",
                                           "https://www.google.com/",
                                           "https://www.google.com/",
                                           "https://www.google.de/",
                                           "https://www.bing.com/",
                                           "https://duckduckgo.com/",
                                           "https://www.facebook.com/",
                                           "https://l.instagram.com/",
                                           "https://news.ycombinator.com/",
                                           "https://www.reddit.com/",
                                           "android-app://com.google.android.gm/",
                                           "https://search.yahoo.com/",
                                           "https://www.ecosia.org/"};

static void human_step(struct gen *g, struct session *s, double t)
{
    struct rng *r = &g->r;
    struct visitor *v = &g->vis[s->v];
    struct sb path, ref;
    unsigned status;
    uint64_t bytes;
    int assets;
    const char *method = human_page(g, &path, &status, &bytes, &assets);

    ref.n = 0;
    ref.b[0] = '\0';
    if (s->pages_done == 0) {
        double k = runif(r);
        if (k < 0.42) {
            /* typed, bookmarked, or stripped by the browser */
        } else if (k < 0.52) {
            sb_str(&ref, "https://t.co/"), sb_b64url(&ref, r, 10);
        } else if (k < 0.56) {
            sb_str(&ref, "https://mail.example.net/mail/u/0/?email="), add_email(r, &ref);
        } else {
            sb_str(&ref, PICK(r, ext_referers));
        }
        if (k >= 0.42 && rchance(r, 0.3) && path.n < 900)
            add_utm(r, &path);
    } else {
        sb_put(&ref, s->prev.b, s->prev.n);
    }
    if (s->pages_done > 0 && status == 200 && assets && rchance(r, 0.06)) {
        status = 304; /* revalidated page */
        bytes = 0;
    }
    emit(g, v, t, method, path.b, path.n, status, bytes, ref.b, ref.n);

    if (assets && (status == 200 || status == 304)) {
        /* The page's URL becomes the referer of its assets and the next page. */
        s->prev.n = 0;
        sb_str(&s->prev, SITE);
        sb_put(&s->prev, path.b, path.n);
        static const char *const core[] = {"/static/css/main.3f9a1c2e.css",
                                           "/static/js/vendor.8b41d0f7.js",
                                           "/static/js/app.c27e95aa.js",
                                           "/static/fonts/inter-var.woff2",
                                           "/static/img/logo.svg",
                                           "/favicon.ico",
                                           "/static/js/analytics.min.js?v=31",
                                           "/static/css/print.css?v=2024.03"};
        double at = t;
        if (!s->cached) {
            for (unsigned i = 0; i < NELEM(core); i++) {
                if ((i == 3 && !rchance(r, 0.5)) || (i == 5 && !rchance(r, 0.5)) ||
                    (i == 6 && !rchance(r, 0.4)) || (i == 7 && !rchance(r, 0.2)))
                    continue;
                at += runif(r) * 0.4;
                const char *p = core[i];
                uint64_t b = i == 1   ? rrange(r, 250000, 420000)
                             : i == 2 ? rrange(r, 60000, 180000)
                             : i == 3 ? 97812
                             : i == 5 ? 15086
                                      : rrange(r, 3000, 60000);
                emit(g, v, at, "GET", p, strlen(p), 200, b, s->prev.b, s->prev.n);
            }
            s->cached = 1;
        } else if (rchance(r, 0.25)) { /* revalidations */
            int n = (int)rrange(r, 1, 3);
            for (int i = 0; i < n; i++) {
                const char *p = core[rbelow(r, 6)];
                at += runif(r) * 0.3;
                emit(g, v, at, "GET", p, strlen(p), 304, 0, s->prev.b, s->prev.n);
            }
        }
        int imgs = (int)rrange(r, 0, 4);
        for (int i = 0; i < imgs; i++) {
            struct sb img;
            img.n = 0;
            uint32_t kind = rbelow(r, 10);
            if (kind < 3) { /* resizing image proxy */
                sb_str(&img, "/img/"), sb_u(&img, rrange(r, 1000, 9999));
                sb_chr(&img, '/'), sb_u(&img, rrange(r, 1, 6));
                sb_str(&img, ".jpg?w="), sb_u(&img, 320u * rrange(r, 1, 4));
                sb_str(&img, "&q=75");
            } else if (kind < 6) {
                sb_str(&img, "/media/products/"), sb_u(&img, rrange(r, 1000, 9999));
                sb_chr(&img, '/'), sb_u(&img, rrange(r, 1, 6));
                sb_str(&img, rchance(r, 0.6) ? "-800w.webp" : ".jpg");
            } else if (kind < 8) {
                sb_str(&img, "/static/img/icons/"), sb_str(&img, PICK(r, slug_words));
                sb_str(&img, ".png");
            } else {
                sb_str(&img, "/media/banners/"), sb_str(&img, PICK(r, campaigns));
                sb_str(&img, rchance(r, 0.5) ? ".png" : "-mobile.png");
            }
            unsigned st = rchance(r, 0.12) ? 304 : rchance(r, 0.01) ? 404 : 200;
            uint64_t b = st == 200 ? rrange(r, 2000, 240000) : st == 404 ? 3512 : 0;
            at += runif(r) * 0.5;
            emit(g, v, at, "GET", img.b, img.n, st, b, s->prev.b, s->prev.n);
        }
    }
    s->pages_done++;
}

static void bot_step(struct gen *g, struct session *s, double t)
{
    struct rng *r = &g->r;
    struct visitor *v = &g->vis[s->v];
    struct sb path;
    path.n = 0;
    unsigned status = 200;
    uint64_t bytes = page_bytes(r);
    if (s->pages_done == 0 && rchance(r, 0.3)) {
        sb_str(&path, "/robots.txt");
        bytes = 412;
    } else {
        uint32_t k = rbelow(r, 100);
        if (k < 5) {
            sb_str(&path, "/sitemap.xml");
            bytes = 182331;
        } else if (k < 50) {
            uint32_t id = rrange(r, 1000, 9999);
            sb_str(&path, "/products/"), sb_u(&path, id), sb_chr(&path, '-');
            add_slug(&path, id);
        } else if (k < 70) {
            sb_str(&path, "/category/"), sb_str(&path, PICK(r, categories));
            if (rchance(r, 0.5))
                sb_str(&path, "?page="), sb_u(&path, rrange(r, 2, 40));
        } else if (k < 82) {
            sb_str(&path, "/blog/2024/0"), sb_u(&path, rrange(r, 1, 3)), sb_chr(&path, '/');
            sb_str(&path, PICK(r, blog_slugs));
        } else if (k < 88) {
            sb_str(&path, "/search?q="), add_search_terms(r, &path);
        } else if (k < 94) {
            sb_str(&path, "/media/products/"), sb_u(&path, rrange(r, 1000, 9999));
            sb_str(&path, "/1.jpg");
            bytes = rrange(r, 20000, 240000);
        } else {
            sb_str(&path, "/shop/item.php?id="), sb_u(&path, rrange(r, 1, 5000));
            status = 301;
            bytes = 162;
        }
        if (status == 200) {
            double k2 = runif(r);
            if (k2 < 0.12)
                status = 304, bytes = 0;
            else if (k2 < 0.15)
                status = 404, bytes = rrange(r, 3000, 5000);
        }
    }
    const char *method = uas[v->ua].net == NET_FB || !rchance(r, 0.01) ? "GET" : "HEAD";
    if (method[0] == 'H')
        bytes = 0;
    emit(g, v, t, method, path.b, path.n, status, bytes, NULL, 0);
    s->pages_done++;
}

static void script_step(struct gen *g, struct session *s, double t)
{
    struct rng *r = &g->r;
    struct visitor *v = &g->vis[s->v];
    struct sb path;
    path.n = 0;
    const char *method = "GET";
    unsigned status = 200;
    uint64_t bytes = rrange(r, 200, 30000);
    const char *ua = uas[v->ua].s;
    if (strstr(ua, "UptimeRobot")) {
        method = "HEAD";
        sb_chr(&path, '/');
        bytes = 0;
    } else {
        uint32_t k = rbelow(r, 10);
        if (k < 3) {
            sb_str(&path, "/api/v1/products?page="), sb_u(&path, rrange(r, 1, 80));
            sb_str(&path, "&per_page=50");
        } else if (k < 5) {
            sb_str(&path, "/api/v1/orders?since=2024-03-0"), sb_u(&path, rrange(r, 1, 9));
            sb_str(&path, rchance(r, 0.5) ? "&api_key=sk_live_" : "&access_token=");
            sb_b64url(&path, r, 24);
            if (rchance(r, 0.05))
                status = 401, bytes = 58;
        } else if (k < 6) {
            sb_str(&path, "/feed.xml");
            bytes = 48213;
        } else if (k < 8) {
            sb_str(&path, "/healthz");
            bytes = 2;
        } else if (k < 9) {
            method = "POST";
            sb_str(&path, "/api/v1/webhooks/payment");
            status = 204;
            bytes = 0;
        } else {
            uint32_t id = rrange(r, 1000, 9999);
            sb_str(&path, "/products/"), sb_u(&path, id), sb_chr(&path, '-');
            add_slug(&path, id);
            bytes = page_bytes(r);
        }
        if (status == 200 && rchance(r, 0.004))
            status = 502, bytes = 166;
    }
    emit(g, v, t, method, path.b, path.n, status, bytes, NULL, 0);
    s->pages_done++;
}

static void scanner_step(struct gen *g, struct session *s, double t)
{
    struct rng *r = &g->r;
    struct visitor *v = &g->vis[s->v];
    const char *p = PICK(r, probes);
    unsigned status = rchance(r, 0.9) ? 404 : rchance(r, 0.5) ? 403 : 400;
    const char *method = rchance(r, 0.85) ? "GET" : "POST";
    emit(g, v, t, method, p, strlen(p), status, status == 404 ? 555 : 150, NULL, 0);
    s->pages_done++;
}

/* Relative traffic per UTC hour (mean 1.0): a European/American evening peak. */
static const double hourly[24] = {0.55, 0.45, 0.40, 0.38, 0.40, 0.50, 0.65, 0.85,
                                  1.00, 1.10, 1.15, 1.20, 1.25, 1.25, 1.25, 1.25,
                                  1.25, 1.30, 1.35, 1.40, 1.40, 1.30, 1.05, 0.80};

int main(int argc, char **argv)
{
    uint64_t target = 1000000;
    uint64_t seed = 0x6c6f676e796d3031ULL; /* "lognym01" */
    if (argc > 3 || (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '\0'))) {
        fprintf(stderr, "usage: gen [LINES [SEED]]\n");
        return 2;
    }
    if (argc > 1) {
        char *end;
        target = strtoull(argv[1], &end, 10);
        if (*end != '\0') {
            fprintf(stderr, "gen: LINES must be a number\n");
            return 2;
        }
    }
    if (argc > 2) {
        char *end;
        seed = strtoull(argv[2], &end, 0);
        if (*end != '\0' || argv[2][0] == '\0') {
            fprintf(stderr, "gen: SEED must be a number\n");
            return 2;
        }
    }

    struct gen g;
    memset(&g, 0, sizeof g);
    g.r.s = seed;
    g.out = stdout;
    g.target = target;
    g.ocap = 1u << 20;
    g.obuf = malloc(g.ocap);
    g.last_sec = START_EPOCH;

    uint32_t nv = N_VISITORS;
    g.vis = calloc(nv, sizeof *g.vis);
    double *cdf = malloc(nv * sizeof *cdf);
    struct ipset set;
    set.mask = (1u << 19) - 1;
    set.slot = calloc(set.mask + 1u, sizeof *set.slot);
    if (!g.obuf || !g.vis || !cdf || !set.slot) {
        fprintf(stderr, "gen: out of memory\n");
        return 1;
    }
    double acc = 0;
    for (uint32_t i = 0; i < nv; i++) {
        do
            make_visitor(&g.r, &g.vis[i], i);
        while (!ipset_add(&set, g.vis, i));
        acc += 1.0 / pow((double)i + 1.0 + ZIPF_Q, ZIPF_S);
        cdf[i] = acc;
    }

    struct session *slots = calloc(N_SLOTS, sizeof *slots);
    if (!slots) {
        fprintf(stderr, "gen: out of memory\n");
        return 1;
    }
    for (int i = 0; i < N_SLOTS; i++)
        new_session(&g, &slots[i], cdf, nv);

    double t = (double)START_EPOCH;
    double per_line = target ? SPAN_SECONDS / (double)target : 1.0;
    uint64_t steps = 0;
    while (g.st.lines < g.target) {
        /* Gap per step: spread the lines over the span, whatever a step's
         * average number of lines turns out to be. */
        double lines_per_step = steps ? (double)g.st.lines / (double)steps : 3.0;
        long long hour = ((long long)t / 3600) % 24;
        double mean = per_line * lines_per_step / hourly[hour];
        t += -log(1.0 - runif(&g.r)) * mean;
        steps++;
        struct session *s = &slots[rbelow(&g.r, N_SLOTS)];
        switch (g.vis[s->v].kind) {
        case UA_BOT:
            bot_step(&g, s, t);
            break;
        case UA_SCRIPT:
            script_step(&g, s, t);
            break;
        case UA_SCANNER:
            scanner_step(&g, s, t);
            break;
        default:
            human_step(&g, s, t);
            break;
        }
        if (--s->pages_left <= 0)
            new_session(&g, s, cdf, nv);
    }
    if (g.olen && fwrite(g.obuf, 1, g.olen, g.out) != g.olen) {
        perror("gen: write");
        return 1;
    }
    if (fflush(g.out) != 0) {
        perror("gen: write");
        return 1;
    }

    uint64_t distinct = 0, distinct6 = 0;
    for (uint32_t i = 0; i < nv; i++) {
        distinct += g.vis[i].used;
        distinct6 += g.vis[i].used && g.vis[i].v6;
    }
    double n = g.st.lines ? (double)g.st.lines : 1.0;
    fprintf(stderr,
            "lines=%llu bytes=%llu avg_line=%.1f distinct_ips=%llu distinct_ipv6=%llu "
            "ipv6_lines=%.1f%% query_lines=%.1f%% 2xx=%.1f%% 3xx=%.1f%% 4xx=%.1f%% 5xx=%.1f%% "
            "span_hours=%.1f\n",
            (unsigned long long)g.st.lines, (unsigned long long)g.st.bytes, (double)g.st.bytes / n,
            (unsigned long long)distinct, (unsigned long long)distinct6,
            100.0 * (double)g.st.v6_lines / n, 100.0 * (double)g.st.query_lines / n,
            100.0 * (double)g.st.status[2] / n, 100.0 * (double)g.st.status[3] / n,
            100.0 * (double)g.st.status[4] / n, 100.0 * (double)g.st.status[5] / n,
            (double)(g.last_sec - START_EPOCH) / 3600.0);
    free(slots);
    free(set.slot);
    free(cdf);
    free(g.vis);
    free(g.obuf);
    return 0;
}
