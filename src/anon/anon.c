/* anon.c: the IP engine: truncation, keyed-hash and Crypto-PAn pseudonyms, with a cache. */
#include "anon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cryptopan.h"
#include "key.h"
#include "pseudo.h"

/* The cache maps an address's text to its output. Real logs repeat a few
 * thousand addresses most of the time, so 32k entries keep the hit rate high
 * while the table stays small (3 MB). When it fills up it is simply emptied. */
#define CACHE_BITS 15
#define CACHE_SIZE (1u << CACHE_BITS)
#define CACHE_LIMIT (CACHE_SIZE / 4 * 3)

struct cache_entry {
    uint32_t gen; /* valid when equal to the table's generation */
    uint8_t klen, vlen;
    char key[LGN_IP_STRLEN];
    char val[LGN_ANON_MAX];
};

struct lgn_anon {
    struct lgn_anon_opts opts;
    struct lgn_key master;
    bool have_day;
    int day_y, day_m, day_d;
    struct lgn_hmac *hmac;     /* hash mode and names */
    struct lgn_cryptopan *cp;  /* cryptopan mode */
    struct cache_entry *cache; /* CACHE_SIZE entries */
    uint32_t gen;
    uint32_t used;
    unsigned long long count;
};

static void cache_clear(struct lgn_anon *a)
{
    a->gen++;
    a->used = 0;
    if (a->gen == 0) { /* wrapped: stale entries could look valid */
        memset(a->cache, 0, CACHE_SIZE * sizeof *a->cache);
        a->gen = 1;
    }
}

/* (Re)creates the keyed contexts from `key`. */
static int use_key(struct lgn_anon *a, const struct lgn_key *key, struct lgn_err *err)
{
    lgn_hmac_free(a->hmac);
    lgn_cryptopan_free(a->cp);
    a->cp = NULL;
    a->hmac = lgn_hmac_new(key, err);
    if (a->hmac == NULL)
        return -1;
    if (a->opts.mode == LGN_IP_CRYPTOPAN) {
        a->cp = lgn_cryptopan_new(key, err);
        if (a->cp == NULL)
            return -1;
    }
    cache_clear(a);
    return 0;
}

/* A new anonymiser with the master key `key`, or (NULL) the one the options name. */
static struct lgn_anon *anon_new(const struct lgn_anon_opts *opts, const struct lgn_key *key,
                                 struct lgn_err *err)
{
    struct lgn_anon *a = calloc(1, sizeof *a);
    if (a == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    a->opts = *opts;
    a->cache = calloc(CACHE_SIZE, sizeof *a->cache);
    a->gen = 1;
    int rc = a->cache == NULL ? lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory") : 0;
    if (rc == 0 && key != NULL)
        a->master = *key;
    else if (rc == 0)
        rc = opts->key_file != NULL ? lgn_key_load(opts->key_file, &a->master, err)
                                    : lgn_key_random(&a->master, err);
    if (rc == 0)
        rc = use_key(a, &a->master, err);
    if (rc != 0) {
        lgn_anon_free(a);
        return NULL;
    }
    return a;
}

struct lgn_anon *lgn_anon_new(const struct lgn_anon_opts *opts, struct lgn_err *err)
{
    return anon_new(opts, NULL, err);
}

struct lgn_anon *lgn_anon_clone(const struct lgn_anon *a, struct lgn_err *err)
{
    return anon_new(&a->opts, &a->master, err);
}

void lgn_anon_free(struct lgn_anon *a)
{
    if (a == NULL)
        return;
    lgn_key_wipe(&a->master);
    lgn_hmac_free(a->hmac);
    lgn_cryptopan_free(a->cp);
    free(a->cache);
    free(a);
}

int lgn_anon_set_day(struct lgn_anon *a, int y, int m, int d, struct lgn_err *err)
{
    if (!a->opts.rotate_daily || (a->have_day && y == a->day_y && m == a->day_m && d == a->day_d))
        return 0;
    struct lgn_key day;
    int rc = lgn_key_derive_day(&a->master, y, m, d, &day, err);
    if (rc == 0)
        rc = use_key(a, &day, err);
    lgn_key_wipe(&day);
    a->have_day = rc == 0;
    a->day_y = y;
    a->day_m = m;
    a->day_d = d;
    return rc;
}

static const char hexdigits[] = "0123456789abcdef";

static size_t put_hex(char *out, const unsigned char *b, size_t nbytes)
{
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hexdigits[b[i] >> 4];
        out[2 * i + 1] = hexdigits[b[i] & 15];
    }
    return 2 * nbytes;
}

/* Hash-mode pseudonyms live in ranges no client can have: IPv4 240.0.0.0/4
 * (reserved, RFC 1112) and IPv6 100::/64 (discard-only, RFC 6666). An address
 * already in them is left alone, so anonymising twice changes nothing. */
static bool is_hash_pseudonym(const struct lgn_ip *ip)
{
    static const uint8_t discard[8] = {0x01, 0x00, 0, 0, 0, 0, 0, 0};
    if (ip->family == 4)
        return (ip->bytes[0] & 0xF0) == 0xF0;
    return memcmp(ip->bytes, discard, 8) == 0;
}

bool lgn_anon_is_output(const struct lgn_anon *a, const struct lgn_ip *ip)
{
    struct lgn_ip v = *ip, v4;
    if (lgn_ip_unmap_v4(ip, &v4))
        v = v4;
    switch (a->opts.mode) {
    case LGN_IP_HASH:
        return is_hash_pseudonym(&v);
    case LGN_IP_CRYPTOPAN:
        return true;
    default: {
        struct lgn_ip t = v;
        lgn_ip_truncate(&t, v.family == 4 ? a->opts.v4_prefix : a->opts.v6_prefix);
        return memcmp(t.bytes, v.bytes, sizeof t.bytes) == 0;
    }
    }
}

static size_t hash_ip(struct lgn_anon *a, const struct lgn_ip *ip, char *out)
{
    unsigned char msg[17], mac[LGN_HMAC_LEN];
    size_t n = ip->family == 4 ? 4 : 16;
    msg[0] = ip->family; /* domain separation between v4, v6 and names */
    memcpy(msg + 1, ip->bytes, n);
    lgn_hmac_digest(a->hmac, msg, n + 1, mac);
    if (a->opts.format == LGN_IPFMT_TOKEN)
        return put_hex(out, mac, 8);
    struct lgn_ip p = {.family = ip->family};
    if (ip->family == 4) {
        memcpy(p.bytes, mac, 4);
        p.bytes[0] = (uint8_t)(0xF0 | (mac[0] & 0x0F));
        if (p.bytes[0] == 0xFF && p.bytes[1] == 0xFF && p.bytes[2] == 0xFF && p.bytes[3] == 0xFF)
            p.bytes[3] = 0xFE; /* never the broadcast address */
    } else {
        p.bytes[0] = 0x01;
        memcpy(p.bytes + 8, mac, 8);
    }
    return lgn_ip_format(&p, out);
}

/* Truncates the IPv4 address at v[0..4) by the IPv4 rule; `obfuscated`:
 * stored inverted (Teredo's client address). */
static void truncate_embedded(uint8_t *v, unsigned bits, bool obfuscated)
{
    struct lgn_ip ip = {.family = 4};
    for (int i = 0; i < 4; i++)
        ip.bytes[i] = obfuscated ? (uint8_t)~v[i] : v[i];
    lgn_ip_truncate(&ip, bits);
    for (int i = 0; i < 4; i++)
        v[i] = obfuscated ? (uint8_t)~ip.bytes[i] : ip.bytes[i];
}

/* IPv6 addresses that carry an IPv4 client: 6to4 (2002::/16, bytes 2-5),
 * NAT64 (64:ff9b::/96, bytes 12-15) and Teredo (2001::/32, the client
 * inverted in bytes 12-15): the IPv4 rule applies to it too, so a long
 * IPv6 prefix cannot keep it whole. */
static void truncate_embedded_v4(struct lgn_ip *ip, unsigned bits)
{
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    uint8_t *b = ip->bytes;
    if (b[0] == 0x20 && b[1] == 0x02)
        truncate_embedded(b + 2, bits, false);
    else if (memcmp(b, nat64, 12) == 0)
        truncate_embedded(b + 12, bits, false);
    else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        truncate_embedded(b + 12, bits, true);
}

/* Anonymises one address (no cache). */
static size_t anonymise(struct lgn_anon *a, const struct lgn_ip *in, char *out)
{
    struct lgn_ip ip = *in, v4;
    size_t n = 0;
    bool mapped = lgn_ip_unmap_v4(in, &v4);
    if (mapped) { /* ::ffff:a.b.c.d is an IPv4 client: treat it as one */
        memcpy(out, "::ffff:", 7);
        n = 7;
        ip = v4;
    }
    switch (a->opts.mode) {
    case LGN_IP_TRUNCATE:
        if (ip.family == 6)
            truncate_embedded_v4(&ip, a->opts.v4_prefix);
        lgn_ip_truncate(&ip, ip.family == 4 ? a->opts.v4_prefix : a->opts.v6_prefix);
        break;
    case LGN_IP_HASH:
        if (is_hash_pseudonym(&ip))
            break;
        return mapped && a->opts.format == LGN_IPFMT_TOKEN ? hash_ip(a, &ip, out)
                                                           : n + hash_ip(a, &ip, out + n);
    case LGN_IP_CRYPTOPAN:
        if (ip.family == 4)
            lgn_cryptopan_v4(a->cp, in->bytes + (mapped ? 12 : 0), ip.bytes);
        else
            lgn_cryptopan_v6(a->cp, in->bytes, ip.bytes);
        break;
    }
    return n + lgn_ip_format(&ip, out + n);
}

static uint32_t hash_text(const char *p, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a: addresses are short */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

size_t lgn_anon_ip(struct lgn_anon *a, const char *text, size_t len, const struct lgn_ip *ip,
                   char out[LGN_ANON_MAX])
{
    a->count++;
    if (len >= LGN_IP_STRLEN)
        return anonymise(a, ip, out);
    uint32_t slot = hash_text(text, len) & (CACHE_SIZE - 1);
    for (;;) {
        struct cache_entry *e = &a->cache[slot];
        if (e->gen != a->gen)
            break;
        if (e->klen == len && memcmp(e->key, text, len) == 0) {
            memcpy(out, e->val, e->vlen);
            return e->vlen;
        }
        slot = (slot + 1) & (CACHE_SIZE - 1);
    }
    size_t n = anonymise(a, ip, out);
    if (a->used >= CACHE_LIMIT) {
        cache_clear(a);
        slot = hash_text(text, len) & (CACHE_SIZE - 1);
    }
    struct cache_entry *e = &a->cache[slot];
    e->gen = a->gen;
    e->klen = (uint8_t)len;
    e->vlen = (uint8_t)n;
    memcpy(e->key, text, len);
    memcpy(e->val, out, n);
    a->used++;
    return n;
}

size_t lgn_anon_name(struct lgn_anon *a, const char *prefix, const char *text, size_t len,
                     char out[LGN_ANON_MAX])
{
    unsigned char mac[LGN_HMAC_LEN];
    unsigned char tag = 'n'; /* domain separation from addresses (tags 4 and 6) */
    size_t plen = strlen(prefix);
    if (plen > LGN_ANON_MAX - 13)
        plen = LGN_ANON_MAX - 13;
    /* HMAC(tag || name) in one call: hash the name with the tag prepended. */
    unsigned char buf[256];
    if (len < sizeof buf) {
        buf[0] = tag;
        memcpy(buf + 1, text, len);
        lgn_hmac_digest(a->hmac, buf, len + 1, mac);
    } else {
        unsigned char inner[LGN_HMAC_LEN];
        lgn_hmac_digest(a->hmac, text, len, inner); /* long names: hash of the hash */
        buf[0] = tag;
        memcpy(buf + 1, inner, sizeof inner);
        lgn_hmac_digest(a->hmac, buf, sizeof inner + 1, mac);
    }
    memcpy(out, prefix, plen);
    out[plen] = '-';
    return plen + 1 + put_hex(out + plen + 1, mac, 6);
}

bool lgn_anon_is_name(const char *prefix, const char *p, size_t n)
{
    size_t l = strlen(prefix);
    if (n != l + 13 || memcmp(p, prefix, l) != 0 || p[l] != '-')
        return false;
    for (size_t i = l + 1; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

bool lgn_anon_is_token(const struct lgn_anon *a, const char *p, size_t n)
{
    if (a->opts.format != LGN_IPFMT_TOKEN || n != 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

unsigned long long lgn_anon_count(const struct lgn_anon *a)
{
    return a->count;
}
