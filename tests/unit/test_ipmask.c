/* test_ipmask.c: report rows hold no address and no pseudonym (issue 11,
 * scope item 4): every IP mode's output form of random addresses, in every
 * spelling, planted in a path segment or a referrer host, becomes "[ip]";
 * innocent paths are left alone. Seeded properties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addrscan.h"
#include "anon.h"
#include "ipmask.h"
#include "stats.h"
#include "testutil.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static struct lgn_ip random_ip(void)
{
    struct lgn_ip ip = {.family = next() % 2 ? 4 : 6};
    uint64_t a = next(), b = next();
    memcpy(ip.bytes, &a, 8);
    memcpy(ip.bytes + 8, &b, 8);
    if (ip.family == 4 && ip.bytes[0] == 0)
        ip.bytes[0] = 1;
    if (ip.family == 6)
        ip.bytes[0] = 0x20, ip.bytes[1] = (uint8_t)(ip.bytes[1] | 1); /* global unicast */
    return ip;
}

struct mode {
    const char *name;
    enum lgn_ip_mode mode;
    enum lgn_ip_format format;
};

static const struct mode modes[] = {
    {"truncate", LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS},
    {"hash", LGN_IP_HASH, LGN_IPFMT_ADDRESS},
    {"hash token", LGN_IP_HASH, LGN_IPFMT_TOKEN},
    {"cryptopan", LGN_IP_CRYPTOPAN, LGN_IPFMT_ADDRESS},
};

/* The address in one of its spellings, anonymised as lognym writes it
 * (plus the raw spelling: stats over raw logs). */
static size_t planted(struct lgn_anon *a, const struct lgn_ip *ip, int spelling, bool raw,
                      char *out)
{
    char text[LGN_IP_STRLEN], src[128];
    size_t tn = lgn_ip_format(ip, text);
    size_t sn;
    if (spelling == 1 && ip->family == 4) /* reverse DNS */
        sn = (size_t)snprintf(src, sizeof src, "%u.%u.%u.%u.in-addr.arpa", ip->bytes[3],
                              ip->bytes[2], ip->bytes[1], ip->bytes[0]);
    else if (spelling == 2 && ip->family == 4) /* a host name spelling it */
        sn = (size_t)snprintf(src, sizeof src, "ec2-%u-%u-%u-%u.compute-1.amazonaws.com",
                              ip->bytes[0], ip->bytes[1], ip->bytes[2], ip->bytes[3]);
    else if (spelling == 3) /* glued to a word and a port */
        sn = (size_t)snprintf(src, sizeof src, "ip:%s%s", ip->family == 6 ? "[" : "", text);
    else
        sn = (size_t)snprintf(src, sizeof src, "%s", text);
    if (raw) {
        memcpy(out, src, sn);
        return sn;
    }
    /* anonymise every address in src in its own spelling, as the log does */
    size_t o = 0, from = 0;
    struct lgn_addr_hit h;
    while (lgn_addr_find(src, sn, from, &h)) {
        memcpy(out + o, src + from, h.start - from);
        o += h.start - from;
        o += lgn_addr_anon(a, src, &h, out + o);
        from = h.start + h.len;
    }
    memcpy(out + o, src + from, sn - from);
    o += sn - from;
    if (spelling == 3 && ip->family == 6)
        out[o++] = ']';
    (void)tn;
    return o;
}

static void expect_masked(const char *path, size_t n, const char *want)
{
    char out[LGN_IPMASK_OUT(512)];
    size_t m = lgn_ipmask_path(path, n, out);
    if (m != strlen(want) || memcmp(out, want, m) != 0)
        fail_msg("path %.*s: want %s, got %.*s", (int)n, path, want, (int)m, out);
}

static void test_every_mode_every_spelling(void **state)
{
    (void)state;
    static const char *const names[] = {"host", "user", "ident"};
    for (size_t mi = 0; mi < sizeof modes / sizeof modes[0]; mi++) {
        struct lgn_anon *a = tu_anon(modes[mi].mode, modes[mi].format);
        for (int i = 0; i < 1500; i++) {
            struct lgn_ip ip = random_ip();
            char form[256], path[400];
            size_t fn = planted(a, &ip, i % 4, i % 7 == 0, form);
            int pn = snprintf(path, sizeof path, "/api/v2/%.*s/orders", (int)fn, form);
            expect_masked(path, (size_t)pn, "/api/v2/[ip]/orders");
            pn = snprintf(path, sizeof path, "/%.*s", (int)fn, form);
            expect_masked(path, (size_t)pn, "/[ip]");
            /* the referrer host */
            struct lgn_stats *st = lgn_stats_new(NULL, &(struct lgn_err){0});
            assert_non_null(st);
            char ref[400], dom[256];
            int rn = snprintf(ref, sizeof ref, "https://%.*s%s/x?q=1", (int)fn, form,
                              i % 2 ? ".nip.io" : "");
            if (ip.family == 4 && i % 4 != 3) { /* a host name cannot hold "ip:" */
                size_t dn =
                    lgn_stats_referrer_domain(st, ref, (size_t)rn, NULL, 0, dom, sizeof dom);
                if (dn != 4 || strcmp(dom, "[ip]") != 0)
                    fail_msg("%s referrer %s: got %s", modes[mi].name, ref, dn ? dom : "(none)");
            }
            lgn_stats_free(st);
            /* name pseudonyms */
            char pseudo[LGN_ANON_MAX + 1];
            size_t qn = lgn_anon_name(a, names[i % 3], form, fn, pseudo);
            pn = snprintf(path, sizeof path, "/profile/%.*s", (int)qn, pseudo);
            expect_masked(path, (size_t)pn, "/profile/[ip]");
        }
        lgn_anon_free(a);
    }
}

static void test_innocent_paths_kept(void **state)
{
    (void)state;
    static const char *const words[] = {
        "index.html", "blog",       "2024",          "2024-03-01",    "v1.2",
        "v1.2.3",     "app-1.2.3",  "img",           "logo@2x.png",   "order",
        "123456789",  "a1b2c3d",    "deadbeef",      "0123456789",    "user-guide",
        "host-list",  "checkout",   "page-2",        "10:30",         "utm_source",
        "12-03-2024", "ABCDEFGHIJ", "de-de",         "9780306406157", "jquery-3.7.1.min.js",
        "sha-256",    "1-2-3",      "0123456789abc", "user-12345",    "ip"};
    size_t nw = sizeof words / sizeof words[0];
    for (int i = 0; i < 5000; i++) {
        char path[512];
        size_t o = 0;
        int segs = 1 + (int)(next() % 5);
        for (int s = 0; s < segs; s++)
            o += (size_t)snprintf(path + o, sizeof path - o, "/%s", words[next() % nw]);
        char out[LGN_IPMASK_OUT(512)];
        if (lgn_ipmask_path(path, o, out) != 0)
            fail_msg("innocent path changed: %s -> %s", path, out);
    }
}

static void test_examples(void **state)
{
    (void)state;
    const char *p = "/ip/240.140.81.178";
    expect_masked(p, strlen(p), "/ip/[ip]");
    p = "/ip/203.64.144.206/details/192.0.2.0";
    expect_masked(p, strlen(p), "/ip/[ip]/details/[ip]");
    p = "/peer/ip:2001:db8:4f2a:17::";
    expect_masked(p, strlen(p), "/peer/[ip]");
    p = "/t/0123456789abcdef/x"; /* a hash-mode token */
    expect_masked(p, strlen(p), "/t/[ip]/x");
    p = "/~user-0123456789ab/";
    expect_masked(p, strlen(p), "/[ip]/");
    assert_true(lgn_ipmask_holds("240.140.81.178.nip.io", 21));
    assert_false(lgn_ipmask_holds("example.com", 11));
    /* a long path: masked as well */
    char *longp = malloc(3000);
    memset(longp, 'a', 3000);
    longp[0] = '/';
    memcpy(longp + 2000, "/10.1.2.0/", 10);
    char *out = malloc(LGN_IPMASK_OUT(3000));
    size_t m = lgn_ipmask_path(longp, 3000, out);
    assert_int_equal(m, 3000 - 8 + 4);
    assert_memory_equal(out + 2000, "/[ip]/", 6);
    free(out);
    free(longp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_mode_every_spelling),
        cmocka_unit_test(test_innocent_paths_kept),
        cmocka_unit_test(test_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
