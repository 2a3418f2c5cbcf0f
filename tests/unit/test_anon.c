/* test_anon.c: unit tests for anon.c (truncate, hash, Crypto-PAn, daily keys, cache, names). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"
#include "ip.h"
#include "testutil.h"

static char keypath[4096];  /* a 0600 key file: 64 hex digits */
static char keypath2[4096]; /* another key */

static void write_key(const char *path, unsigned char first)
{
    static const char hex[] = "0123456789abcdef";
    char text[65];
    for (int i = 0; i < 32; i++) {
        unsigned char b = (unsigned char)(first + i);
        text[2 * i] = hex[b >> 4];
        text[2 * i + 1] = hex[b & 15];
    }
    text[64] = '\n';
    tu_write_file(path, text, sizeof text);
}

static int setup(void **state)
{
    if (tu_tmpdir_setup(state) != 0)
        return -1;
    snprintf(keypath, sizeof keypath, "%s", tu_path("key"));
    snprintf(keypath2, sizeof keypath2, "%s", tu_path("key2"));
    write_key(keypath, 0x00);
    write_key(keypath2, 0x40);
    return 0;
}

static struct lgn_anon *new_anon(enum lgn_ip_mode mode, enum lgn_ip_format format,
                                 const char *key_file, bool rotate)
{
    struct lgn_anon_opts o = {.mode = mode,
                              .v4_prefix = 24,
                              .v6_prefix = 48,
                              .format = format,
                              .key_file = key_file,
                              .rotate_daily = rotate};
    return tu_anon_opts(&o);
}

/* Anonymises the address text s into out (NUL-terminated); returns out. */
static const char *anon(struct lgn_anon *a, const char *s, char out[LGN_ANON_MAX + 1])
{
    struct lgn_ip ip;
    if (!lgn_ip_parse(s, strlen(s), &ip))
        fail_msg("'%s' is not an address", s);
    size_t n = lgn_anon_ip(a, s, strlen(s), &ip, out);
    assert_true(n > 0 && n <= LGN_ANON_MAX);
    out[n] = '\0';
    return out;
}

static const char *name(struct lgn_anon *a, const char *prefix, const char *s,
                        char out[LGN_ANON_MAX + 1])
{
    size_t n = lgn_anon_name(a, prefix, s, strlen(s), out);
    assert_true(n <= LGN_ANON_MAX);
    out[n] = '\0';
    return out;
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* The address in s parses and lies in the hash-mode pseudonym range. */
static void assert_pseudonym(const char *s)
{
    struct lgn_ip ip;
    if (!lgn_ip_parse(s, strlen(s), &ip))
        fail_msg("pseudonym '%s' is not an address", s);
    if (ip.family == 4) {
        assert_int_equal(ip.bytes[0] & 0xF0, 0xF0);
        assert_false(ip.bytes[0] == 255 && ip.bytes[1] == 255 && ip.bytes[2] == 255 &&
                     ip.bytes[3] == 255);
    } else {
        static const uint8_t discard[8] = {0x01, 0x00};
        assert_memory_equal(ip.bytes, discard, 8);
    }
}

/* Number of leading bits two addresses share. */
static unsigned common_bits(const char *x, const char *y)
{
    struct lgn_ip a, b;
    assert_true(lgn_ip_parse(x, strlen(x), &a));
    assert_true(lgn_ip_parse(y, strlen(y), &b));
    assert_int_equal(a.family, b.family);
    unsigned total = a.family == 4 ? 32 : 128;
    for (unsigned i = 0; i < total; i++) {
        unsigned mask = 0x80u >> (i % 8);
        if ((a.bytes[i / 8] & mask) != (b.bytes[i / 8] & mask))
            return i;
    }
    return total;
}

/* ---- truncate ---- */

static void test_truncate_defaults(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS, NULL, false);
    char out[LGN_ANON_MAX + 1];
    assert_string_equal(anon(a, "192.168.17.42", out), "192.168.17.0");
    assert_string_equal(anon(a, "203.0.113.255", out), "203.0.113.0");
    assert_string_equal(anon(a, "2001:db8:abcd:1234:5678::1", out), "2001:db8:abcd::");
    assert_string_equal(anon(a, "2001:0DB8:ABCD:0012:0000::7", out), "2001:db8:abcd::");
    assert_string_equal(anon(a, "::ffff:192.168.17.42", out), "::ffff:192.168.17.0");
    lgn_anon_free(a);
}

static void test_truncate_custom_prefixes(void **state)
{
    (void)state;
    struct lgn_anon_opts o = {.mode = LGN_IP_TRUNCATE, .v4_prefix = 20, .v6_prefix = 33};
    struct lgn_err err = {0};
    struct lgn_anon *a = lgn_anon_new(&o, &err);
    assert_non_null(a);
    char out[LGN_ANON_MAX + 1];
    assert_string_equal(anon(a, "10.20.255.7", out), "10.20.240.0");
    assert_string_equal(anon(a, "2001:db8:ffff::1", out), "2001:db8:8000::");
    assert_string_equal(anon(a, "::ffff:10.20.255.7", out), "::ffff:10.20.240.0");
    lgn_anon_free(a);
}

/* ---- keyed hash ---- */

static void test_hash_ranges(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char in[64], out[LGN_ANON_MAX + 1], prev[LGN_ANON_MAX + 1] = "";
    for (int i = 0; i < 300; i++) {
        snprintf(in, sizeof in, "198.51.%d.%d", i / 256, i % 256);
        assert_pseudonym(anon(a, in, out));
        assert_string_not_equal(out, prev);
        memcpy(prev, out, sizeof prev);
        snprintf(in, sizeof in, "2001:db8:%x::%x", i, i * 7);
        assert_pseudonym(anon(a, in, out));
        assert_string_not_equal(out, prev);
        memcpy(prev, out, sizeof prev);
    }
    lgn_anon_free(a);
}

static void test_hash_stable(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    anon(a, "203.0.113.7", x);
    assert_string_equal(anon(a, "203.0.113.7", y), x); /* cached */
    assert_string_not_equal(anon(a, "203.0.113.8", y), x);
    /* Keyed on the address, not its spelling. */
    anon(a, "2001:db8::1", x);
    assert_string_equal(anon(a, "2001:DB8:0:0::0001", y), x);
    lgn_anon_free(a);
}

static void test_hash_random_keys_differ(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    struct lgn_anon *b = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    assert_string_not_equal(anon(a, "203.0.113.7", x), anon(b, "203.0.113.7", y));
    assert_string_not_equal(anon(a, "2001:db8::1", x), anon(b, "2001:db8::1", y));
    lgn_anon_free(a);
    lgn_anon_free(b);
}

static void test_hash_key_file(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *b = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *c = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath2, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1], z[LGN_ANON_MAX + 1];
    const char *addrs[] = {"203.0.113.7", "10.0.0.1", "2001:db8::1", "::ffff:192.0.2.1"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(anon(a, addrs[i], x), anon(b, addrs[i], y));
        assert_string_not_equal(x, anon(c, addrs[i], z));
    }
    lgn_anon_free(a);
    lgn_anon_free(b);
    lgn_anon_free(c);
}

static void test_hash_missing_key_file(void **state)
{
    (void)state;
    char path[192];
    snprintf(path, sizeof path, "%s/absent", tu_tmpdir());
    struct lgn_anon_opts o = {.mode = LGN_IP_HASH, .key_file = path};
    struct lgn_err err = {0};
    assert_null(lgn_anon_new(&o, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_KEY);
}

/* An address already in the pseudonym range is left alone: anonymising
 * twice changes nothing. */
static void test_hash_idempotent(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    assert_string_equal(anon(a, "240.1.2.3", x), "240.1.2.3");
    assert_string_equal(anon(a, "255.255.255.255", x), "255.255.255.255");
    assert_string_equal(anon(a, "100::1234:5678", x), "100::1234:5678");
    assert_string_equal(anon(a, "::ffff:240.1.2.3", x), "::ffff:240.1.2.3");
    /* 239.x and 100:0:0:1:: are outside the ranges. */
    assert_string_not_equal(anon(a, "239.255.255.255", x), "239.255.255.255");
    assert_string_not_equal(anon(a, "100:0:0:1::", x), "100:0:0:1::");
    const char *addrs[] = {"192.0.2.1", "2001:db8::42", "::ffff:192.0.2.1"};
    for (size_t i = 0; i < 3; i++) {
        anon(a, addrs[i], x);
        assert_string_equal(anon(a, x, y), x);
    }
    lgn_anon_free(a);
}

static void test_hash_mapped(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    anon(a, "::ffff:192.0.2.1", x);
    anon(a, "192.0.2.1", y);
    assert_memory_equal(x, "::ffff:", 7);
    assert_string_equal(x + 7, y); /* the v4 part is anonymised as IPv4 */
    assert_pseudonym(x + 7);
    lgn_anon_free(a);
}

static void test_token_format(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_TOKEN, keypath, false);
    struct lgn_anon *b = new_anon(LGN_IP_HASH, LGN_IPFMT_TOKEN, keypath, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    const char *addrs[] = {"192.0.2.1", "2001:db8::42"};
    for (size_t i = 0; i < 2; i++) {
        anon(a, addrs[i], x);
        assert_int_equal(strlen(x), 16);
        assert_true(is_hex(x, 16));
        assert_string_equal(anon(a, addrs[i], y), x);
        assert_string_equal(anon(b, addrs[i], y), x);
    }
    assert_string_not_equal(anon(a, "192.0.2.1", x), anon(a, "192.0.2.2", y));
    /* A mapped address is an IPv4 client: same token, no "::ffff:". */
    assert_string_equal(anon(a, "::ffff:192.0.2.1", x), anon(a, "192.0.2.1", y));
    /* The token is the first 8 bytes of the address's MAC: the hash-mode
     * address pseudonym (under the same key) is built from the same bytes. */
    struct lgn_anon *h = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    anon(a, "2001:db8::42", x);
    anon(h, "2001:db8::42", y);
    struct lgn_ip ip;
    assert_true(lgn_ip_parse(y, strlen(y), &ip));
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", ip.bytes[8 + i]);
    assert_string_equal(x, hex);
    lgn_anon_free(a);
    lgn_anon_free(b);
    lgn_anon_free(h);
}

/* ---- Crypto-PAn ---- */

static void test_cryptopan_prefix_preserving(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_CRYPTOPAN, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *b = new_anon(LGN_IP_CRYPTOPAN, LGN_IPFMT_ADDRESS, keypath, false);
    const char *pairs[][2] = {
        {"10.1.2.3", "10.1.2.200"},     {"10.1.2.3", "10.1.3.3"},
        {"10.1.2.3", "138.1.2.3"},      {"192.0.2.1", "192.0.2.1"},
        {"2001:db8::1", "2001:db8::2"}, {"2001:db8:1::1", "2001:db8:2::1"},
        {"2001:db8::1", "fe80::1"},     {"2001:db8:aaaa::", "2001:db8:aaab::"},
    };
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        anon(a, pairs[i][0], x);
        anon(a, pairs[i][1], y);
        assert_int_equal(common_bits(x, y), common_bits(pairs[i][0], pairs[i][1]));
        assert_string_not_equal(x, pairs[i][0]);
        assert_string_equal(anon(b, pairs[i][0], y), x); /* same key, same result */
    }
    /* Mapped addresses: "::ffff:" + the IPv4 result. */
    anon(a, "::ffff:10.1.2.3", x);
    anon(a, "10.1.2.3", y);
    assert_memory_equal(x, "::ffff:", 7);
    assert_string_equal(x + 7, y);
    lgn_anon_free(a);
    lgn_anon_free(b);
}

/* ---- daily keys ---- */

static void test_rotate_daily(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, true);
    struct lgn_anon *fixed = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    char d1[LGN_ANON_MAX + 1], d2[LGN_ANON_MAX + 1], x[LGN_ANON_MAX + 1];
    char n1[LGN_ANON_MAX + 1], n2[LGN_ANON_MAX + 1];

    assert_int_equal(lgn_anon_set_day(a, 2024, 3, 1, &err), 0);
    anon(a, "203.0.113.7", d1);
    name(a, "user", "alice", n1);
    assert_string_equal(anon(a, "203.0.113.7", x), d1);
    assert_int_equal(lgn_anon_set_day(a, 2024, 3, 1, &err), 0); /* same day: no change */
    assert_string_equal(anon(a, "203.0.113.7", x), d1);
    /* The day key is not the master key. */
    assert_string_not_equal(anon(fixed, "203.0.113.7", x), d1);

    assert_int_equal(lgn_anon_set_day(a, 2024, 3, 2, &err), 0);
    anon(a, "203.0.113.7", d2);
    assert_pseudonym(d2);
    assert_string_not_equal(d2, d1);
    assert_string_not_equal(name(a, "user", "alice", n2), n1);

    assert_int_equal(lgn_anon_set_day(a, 2024, 3, 1, &err), 0);
    assert_string_equal(anon(a, "203.0.113.7", x), d1);
    assert_string_equal(name(a, "user", "alice", n2), n1);

    /* Another engine with the same master key agrees on each day. */
    struct lgn_anon *b = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, true);
    assert_int_equal(lgn_anon_set_day(b, 2024, 3, 2, &err), 0);
    assert_string_equal(anon(b, "203.0.113.7", x), d2);
    lgn_anon_free(a);
    lgn_anon_free(b);
    lgn_anon_free(fixed);
}

static void test_set_day_without_rotation(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];
    anon(a, "203.0.113.7", x);
    assert_int_equal(lgn_anon_set_day(a, 2024, 3, 2, &err), 0);
    assert_string_equal(anon(a, "203.0.113.7", y), x);
    lgn_anon_free(a);
}

/* ---- cache ---- */

#define MANY 40000 /* more than 32768 * 3 / 4 distinct addresses: the cache is emptied */

static void many_addr(int i, char *buf, size_t n)
{
    snprintf(buf, n, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
}

static void test_cache_overflow_hash(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *b = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    char(*outs)[LGN_ANON_MAX + 1] = calloc(MANY, sizeof *outs);
    assert_non_null(outs);
    char in[32], x[LGN_ANON_MAX + 1];
    for (int i = 0; i < MANY; i++) {
        many_addr(i, in, sizeof in);
        anon(a, in, outs[i]);
    }
    /* A second engine, in the opposite order, so its cache holds other entries. */
    for (int i = MANY - 1; i >= 0; i--) {
        many_addr(i, in, sizeof in);
        if (strcmp(anon(b, in, x), outs[i]) != 0)
            fail_msg("%s: %s then %s", in, outs[i], x);
    }
    /* The first engine again, after its cache has been emptied. */
    for (int i = 0; i < MANY; i += 7) {
        many_addr(i, in, sizeof in);
        assert_string_equal(anon(a, in, x), outs[i]);
    }
    free(outs);
    lgn_anon_free(a);
    lgn_anon_free(b);
}

/* Truncation has known answers: every output, cached or not, must match. */
static void test_cache_overflow_truncate(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS, NULL, false);
    char in[32], want[32], x[LGN_ANON_MAX + 1];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < MANY; i++) {
            int k = pass == 0 ? i : (i * 7919) % MANY;
            many_addr(k, in, sizeof in);
            snprintf(want, sizeof want, "10.%d.%d.0", k >> 16, (k >> 8) & 255);
            if (strcmp(anon(a, in, x), want) != 0)
                fail_msg("%s: want %s, got %s", in, want, x);
        }
    }
    assert_int_equal(lgn_anon_count(a), 2ULL * MANY);
    lgn_anon_free(a);
}

/* ---- names and counts ---- */

static void test_name(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *b = new_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS, keypath, false);
    struct lgn_anon *c = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, keypath2, false);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1];

    name(a, "host", "client.example.com", x);
    assert_int_equal(strlen(x), 5 + 12);
    assert_memory_equal(x, "host-", 5);
    assert_true(is_hex(x + 5, 12));
    assert_string_equal(name(a, "host", "client.example.com", y), x);
    assert_string_equal(name(b, "host", "client.example.com", y), x); /* any mode, same key */
    assert_string_not_equal(name(c, "host", "client.example.com", y), x);
    assert_string_not_equal(name(a, "host", "client2.example.com", y), x);

    name(a, "user", "frank", x);
    assert_memory_equal(x, "user-", 5);
    assert_int_equal(strlen(x), 17);

    /* A name is not hashed like the address with the same bytes. */
    struct lgn_anon *t = new_anon(LGN_IP_HASH, LGN_IPFMT_TOKEN, keypath, false);
    anon(t, "1.2.3.4", y);
    name(a, "n", "1.2.3.4", x);
    assert_memory_not_equal(x + 2, y, 12);
    lgn_anon_free(t);

    /* Long names and long prefixes still fit. */
    char longname[600];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    name(a, "host", longname, x);
    assert_int_equal(strlen(x), 17);
    assert_string_equal(name(a, "host", longname, y), x);
    longname[500] = 'b';
    assert_string_not_equal(name(a, "host", longname, y), x);
    const char *long_prefix = "a-prefix-much-longer-than-forty-eight-bytes-in-total";
    size_t n = lgn_anon_name(a, long_prefix, "x", 1, x);
    assert_int_equal(n, LGN_ANON_MAX);
    assert_int_equal(x[LGN_ANON_MAX - 13], '-');
    assert_true(is_hex(x + LGN_ANON_MAX - 12, 12));

    lgn_anon_free(a);
    lgn_anon_free(b);
    lgn_anon_free(c);
}

static void test_count(void **state)
{
    (void)state;
    struct lgn_anon *a = new_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS, NULL, false);
    char x[LGN_ANON_MAX + 1];
    assert_int_equal(lgn_anon_count(a), 0);
    anon(a, "192.0.2.1", x);
    anon(a, "192.0.2.1", x); /* a cache hit counts too */
    anon(a, "2001:db8::1", x);
    anon(a, "240.0.0.1", x); /* left unchanged, still counted */
    assert_int_equal(lgn_anon_count(a), 4);
    name(a, "host", "example", x); /* names are not addresses */
    assert_int_equal(lgn_anon_count(a), 4);
    lgn_anon_free(a);
    lgn_anon_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncate_defaults),
        cmocka_unit_test(test_truncate_custom_prefixes),
        cmocka_unit_test(test_hash_ranges),
        cmocka_unit_test(test_hash_stable),
        cmocka_unit_test(test_hash_random_keys_differ),
        cmocka_unit_test(test_hash_key_file),
        cmocka_unit_test(test_hash_missing_key_file),
        cmocka_unit_test(test_hash_idempotent),
        cmocka_unit_test(test_hash_mapped),
        cmocka_unit_test(test_token_format),
        cmocka_unit_test(test_cryptopan_prefix_preserving),
        cmocka_unit_test(test_rotate_daily),
        cmocka_unit_test(test_set_day_without_rotation),
        cmocka_unit_test(test_cache_overflow_hash),
        cmocka_unit_test(test_cache_overflow_truncate),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, setup, tu_tmpdir_teardown);
}
