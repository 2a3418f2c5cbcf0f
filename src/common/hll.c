/* hll.c: HyperLogLog sketches: add, estimate (Ertl 2017), merge, reduce, base64 form. */
#include "hll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct lgn_hll *lgn_hll_new(unsigned p)
{
    if (p < LGN_HLL_MIN_P || p > LGN_HLL_MAX_P)
        return NULL;
    struct lgn_hll *h = malloc(sizeof *h);
    if (h == NULL)
        return NULL;
    h->p = p;
    h->reg = calloc((size_t)1 << p, 1);
    if (h->reg == NULL) {
        free(h);
        return NULL;
    }
    return h;
}

void lgn_hll_free(struct lgn_hll *h)
{
    if (h == NULL)
        return;
    free(h->reg);
    free(h);
}

struct lgn_hll *lgn_hll_clone(const struct lgn_hll *h)
{
    struct lgn_hll *c = lgn_hll_new(h->p);
    if (c != NULL)
        memcpy(c->reg, h->reg, (size_t)1 << h->p);
    return c;
}

/* The register a key lands in at precision p, and the rank it sets there. */
static size_t key_register(unsigned p, uint64_t key, uint8_t *rank)
{
    uint64_t x = mix64(key);
    unsigned q = 64 - p;
    uint64_t w = x << p;
    unsigned r = w == 0 ? q + 1 : (unsigned)__builtin_clzll(w) + 1;
    *rank = (uint8_t)(r > q + 1 ? q + 1 : r);
    return (size_t)(x >> q);
}

void lgn_hll_add(struct lgn_hll *h, uint64_t key)
{
    uint8_t rank;
    size_t idx = key_register(h->p, key, &rank);
    if (h->reg[idx] < rank)
        h->reg[idx] = rank;
}

static double sigma(double x)
{
    if (x == 1.0)
        return INFINITY;
    double y = 1.0, z = x;
    for (;;) {
        x *= x;
        double zold = z;
        z += x * y;
        y += y;
        if (z == zold)
            return z;
    }
}

static double tau(double x)
{
    if (x == 0.0 || x == 1.0)
        return 0.0;
    double y = 1.0, z = 1.0 - x;
    for (;;) {
        x = sqrt(x);
        double zold = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if (z == zold)
            return z / 3.0;
    }
}

double lgn_hll_estimate(const struct lgn_hll *h)
{
    unsigned q = 64 - h->p;
    size_t m = (size_t)1 << h->p;
    uint64_t c[66] = {0};
    for (size_t i = 0; i < m; i++)
        c[h->reg[i] <= q + 1 ? h->reg[i] : q + 1]++;
    double md = (double)m;
    if (c[0] == m)
        return 0.0;
    double z = md * tau(1.0 - (double)c[q + 1] / md);
    for (unsigned k = q; k >= 1; k--)
        z = 0.5 * (z + (double)c[k]);
    z += md * sigma((double)c[0] / md);
    return md * md / (2.0 * log(2.0)) / z;
}

int lgn_hll_reduce(struct lgn_hll *h, unsigned p)
{
    if (p < LGN_HLL_MIN_P || p > h->p)
        return -1;
    if (p == h->p)
        return 0;
    uint8_t *nr = calloc((size_t)1 << p, 1);
    if (nr == NULL)
        return -1;
    unsigned d = h->p - p;
    unsigned q = 64 - p;
    size_t m = (size_t)1 << h->p;
    for (size_t i = 0; i < m; i++) {
        unsigned r = h->reg[i];
        if (r == 0)
            continue;
        size_t ni = i >> d;
        size_t low = i & (((size_t)1 << d) - 1);
        unsigned nrank;
        if (low != 0) {
            unsigned bits = 0;
            for (size_t t = low; t != 0; t >>= 1)
                bits++;
            nrank = d - bits + 1;
        } else {
            nrank = d + r;
        }
        if (nrank > q + 1)
            nrank = q + 1;
        if (nr[ni] < nrank)
            nr[ni] = (uint8_t)nrank;
    }
    free(h->reg);
    h->reg = nr;
    h->p = p;
    return 0;
}

int lgn_hll_merge(struct lgn_hll *into, const struct lgn_hll *from)
{
    const struct lgn_hll *src = from;
    struct lgn_hll *tmp = NULL;
    if (into->p > from->p) {
        if (lgn_hll_reduce(into, from->p) != 0)
            return -1;
    } else if (into->p < from->p) {
        tmp = lgn_hll_clone(from);
        if (tmp == NULL || lgn_hll_reduce(tmp, into->p) != 0) {
            lgn_hll_free(tmp);
            return -1;
        }
        src = tmp;
    }
    size_t m = (size_t)1 << into->p;
    for (size_t i = 0; i < m; i++)
        if (into->reg[i] < src->reg[i])
            into->reg[i] = src->reg[i];
    lgn_hll_free(tmp);
    return 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of b[0..blen); NUL-terminated, owned by the caller; frees b. */
static char *encode(uint8_t *b, size_t blen)
{
    char *s = b != NULL ? malloc((blen + 2) / 3 * 4 + 1) : NULL;
    if (s == NULL) {
        free(b);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < blen; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16;
        if (i + 1 < blen)
            v |= (uint32_t)b[i + 1] << 8;
        if (i + 2 < blen)
            v |= b[i + 2];
        s[o++] = b64[(v >> 18) & 63];
        s[o++] = b64[(v >> 12) & 63];
        s[o++] = i + 1 < blen ? b64[(v >> 6) & 63] : '=';
        s[o++] = i + 2 < blen ? b64[v & 63] : '=';
    }
    s[o] = '\0';
    free(b);
    return s;
}

/* The header and count of the sparse form, room for nz entries after them. */
static uint8_t *sparse_start(unsigned p, size_t nz)
{
    uint8_t *b = malloc(8 + 3 * nz);
    if (b != NULL) {
        uint8_t head[8] = {'H',
                           1,
                           (uint8_t)p,
                           1,
                           (uint8_t)(nz >> 24),
                           (uint8_t)(nz >> 16),
                           (uint8_t)(nz >> 8),
                           (uint8_t)nz};
        memcpy(b, head, sizeof head);
    }
    return b;
}

char *lgn_hll_to_base64(const struct lgn_hll *h)
{
    size_t m = (size_t)1 << h->p, nz = 0;
    for (size_t i = 0; i < m; i++)
        nz += h->reg[i] != 0;
    if (4 + 3 * nz >= m) { /* dense */
        uint8_t *b = malloc(4 + m);
        if (b != NULL) {
            memcpy(b, (uint8_t[4]){'H', 1, (uint8_t)h->p, 0}, 4);
            memcpy(b + 4, h->reg, m);
        }
        return encode(b, 4 + m);
    }
    uint8_t *b = sparse_start(h->p, nz);
    if (b == NULL)
        return NULL;
    size_t o = 8;
    for (size_t i = 0; i < m; i++) {
        if (h->reg[i] == 0)
            continue;
        b[o++] = (uint8_t)(i >> 8);
        b[o++] = (uint8_t)i;
        b[o++] = h->reg[i];
    }
    return encode(b, o);
}

struct entry {
    uint32_t idx;
    uint8_t rank;
};

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return x->idx != y->idx ? (x->idx < y->idx ? -1 : 1)
                            : (x->rank > y->rank ? -1 : x->rank < y->rank);
}

char *lgn_hll_keys_to_base64(unsigned p, const uint64_t *keys, size_t n)
{
    size_t m = (size_t)1 << p;
    if (p < LGN_HLL_MIN_P || p > LGN_HLL_MAX_P)
        return NULL;
    if (4 + 3 * n >= m) { /* may be dense: build the registers */
        struct lgn_hll *h = lgn_hll_new(p);
        if (h == NULL)
            return NULL;
        for (size_t i = 0; i < n; i++)
            lgn_hll_add(h, keys[i]);
        char *s = lgn_hll_to_base64(h);
        lgn_hll_free(h);
        return s;
    }
    struct entry *e = malloc((n ? n : 1) * sizeof *e);
    if (e == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        e[i].idx = (uint32_t)key_register(p, keys[i], &e[i].rank);
    qsort(e, n, sizeof *e, entry_cmp); /* per register, the highest rank first */
    size_t nz = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || e[i].idx != e[i - 1].idx)
            e[nz++] = e[i];
    uint8_t *b = sparse_start(p, nz);
    for (size_t i = 0; b != NULL && i < nz; i++) {
        b[8 + 3 * i] = (uint8_t)(e[i].idx >> 8);
        b[9 + 3 * i] = (uint8_t)e[i].idx;
        b[10 + 3 * i] = e[i].rank;
    }
    free(e);
    return encode(b, 8 + 3 * nz);
}

/* The bytes of a serialised sketch, header checked; NULL (err set) if malformed. */
static uint8_t *decode(const char *s, size_t len, size_t *out_n, struct lgn_err *err)
{
    if (len % 4 != 0 || len < 8) {
        lgn_err_set(err, LGN_EXIT_USAGE, "sketch: bad base64 length %zu", len);
        return NULL;
    }
    uint8_t *b = malloc(len / 4 * 3);
    if (b == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = s[i + (size_t)k];
            if (c == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            v[k] = pad ? -1 : lgn_base64_value(c, false);
            if (v[k] < 0) {
                free(b);
                lgn_err_set(err, LGN_EXIT_USAGE, "sketch: bad base64 character");
                return NULL;
            }
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        b[n++] = (uint8_t)(w >> 16);
        if (pad < 2)
            b[n++] = (uint8_t)(w >> 8);
        if (pad < 1)
            b[n++] = (uint8_t)w;
    }
    if (n < 4 || b[0] != 'H' || b[1] != 1 || b[2] < LGN_HLL_MIN_P || b[2] > LGN_HLL_MAX_P ||
        b[3] > 1) {
        free(b);
        lgn_err_set(err, LGN_EXIT_USAGE, "sketch: bad header");
        return NULL;
    }
    *out_n = n;
    return b;
}

/* Checks the registers of decoded bytes b (precision b[2]) and, when h is not
 * NULL, raises h's registers to them (h->p == b[2]). 0, or -1 if malformed. */
static int apply(struct lgn_hll *h, const uint8_t *b, size_t n)
{
    size_t m = (size_t)1 << b[2];
    unsigned maxr = 64 - b[2] + 1;
    if (b[3] == 0) {
        if (n != 4 + m)
            return -1;
        for (size_t i = 0; i < m; i++) {
            if (b[4 + i] > maxr)
                return -1;
            if (h != NULL && h->reg[i] < b[4 + i])
                h->reg[i] = b[4 + i];
        }
        return 0;
    }
    if (n < 8)
        return -1;
    size_t cnt = (size_t)b[4] << 24 | (size_t)b[5] << 16 | (size_t)b[6] << 8 | b[7];
    if (cnt > m || n != 8 + 3 * cnt)
        return -1;
    for (size_t k = 0; k < cnt; k++) {
        size_t idx = (size_t)b[8 + 3 * k] << 8 | b[9 + 3 * k];
        uint8_t v = b[10 + 3 * k];
        if (idx >= m || v > maxr)
            return -1;
        if (h != NULL && h->reg[idx] < v)
            h->reg[idx] = v;
    }
    return 0;
}

struct lgn_hll *lgn_hll_from_base64(const char *s, size_t len, struct lgn_err *err)
{
    size_t n;
    uint8_t *b = decode(s, len, &n, err);
    if (b == NULL)
        return NULL;
    struct lgn_hll *h = lgn_hll_new(b[2]);
    if (h == NULL)
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    else if (apply(h, b, n) != 0) {
        lgn_err_set(err, LGN_EXIT_USAGE, "sketch: malformed registers");
        lgn_hll_free(h);
        h = NULL;
    }
    free(b);
    return h;
}

int lgn_hll_merge_base64(struct lgn_hll *into, const char *s, size_t len, struct lgn_err *err)
{
    size_t n;
    uint8_t *b = decode(s, len, &n, err);
    if (b == NULL)
        return -1;
    int rc = 0;
    if (b[2] != into->p) { /* rare: decode whole, merge at the smaller precision */
        struct lgn_hll *h = lgn_hll_from_base64(s, len, err);
        rc = h == NULL || lgn_hll_merge(into, h) != 0 ? -1 : 0;
        lgn_hll_free(h);
    } else if (apply(NULL, b, n) != 0 || apply(into, b, n) != 0) { /* check, then merge */
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "sketch: malformed registers");
    }
    free(b);
    return rc;
}
