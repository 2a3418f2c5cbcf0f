/* hll.c: HyperLogLog sketches: add, estimate (Ertl 2017), merge, reduce, base64 form. */
#include "hll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void lgn_hll_add(struct lgn_hll *h, uint64_t key)
{
    uint64_t x = mix64(key);
    unsigned q = 64 - h->p;
    size_t idx = (size_t)(x >> q);
    uint64_t w = x << h->p;
    unsigned rank = w == 0 ? q + 1 : (unsigned)__builtin_clzll(w) + 1;
    if (rank > q + 1)
        rank = q + 1;
    if (h->reg[idx] < rank)
        h->reg[idx] = (uint8_t)rank;
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

char *lgn_hll_to_base64(const struct lgn_hll *h)
{
    size_t m = (size_t)1 << h->p, nz = 0;
    for (size_t i = 0; i < m; i++)
        nz += h->reg[i] != 0;
    bool sparse = 4 + 3 * nz < m;
    size_t blen = 4 + (sparse ? 4 + 3 * nz : m);
    uint8_t *b = malloc(blen);
    if (b == NULL)
        return NULL;
    b[0] = 'H';
    b[1] = 1;
    b[2] = (uint8_t)h->p;
    b[3] = sparse ? 1 : 0;
    if (sparse) {
        b[4] = (uint8_t)(nz >> 24);
        b[5] = (uint8_t)(nz >> 16);
        b[6] = (uint8_t)(nz >> 8);
        b[7] = (uint8_t)nz;
        size_t o = 8;
        for (size_t i = 0; i < m; i++) {
            if (h->reg[i] == 0)
                continue;
            b[o++] = (uint8_t)(i >> 8);
            b[o++] = (uint8_t)i;
            b[o++] = h->reg[i];
        }
    } else {
        memcpy(b + 4, h->reg, m);
    }
    char *s = malloc((blen + 2) / 3 * 4 + 1);
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

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

struct lgn_hll *lgn_hll_from_base64(const char *s, size_t len, struct lgn_err *err)
{
    if (len % 4 != 0 || len < 8) {
        lgn_err_set(err, LGN_EXIT_USAGE, "sketch: bad base64 length %zu", len);
        return NULL;
    }
    size_t cap = len / 4 * 3;
    uint8_t *b = malloc(cap);
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
            v[k] = pad ? -1 : b64val(c);
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
    struct lgn_hll *h = NULL;
    if (n < 4 || b[0] != 'H' || b[1] != 1 || b[2] < LGN_HLL_MIN_P || b[2] > LGN_HLL_MAX_P ||
        b[3] > 1) {
        lgn_err_set(err, LGN_EXIT_USAGE, "sketch: bad header");
        goto out;
    }
    h = lgn_hll_new(b[2]);
    if (h == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        goto out;
    }
    size_t m = (size_t)1 << h->p;
    unsigned maxr = 64 - h->p + 1;
    if (b[3] == 0) {
        if (n != 4 + m)
            goto bad;
        for (size_t i = 0; i < m; i++) {
            if (b[4 + i] > maxr)
                goto bad;
            h->reg[i] = b[4 + i];
        }
    } else {
        if (n < 8)
            goto bad;
        size_t cnt = (size_t)b[4] << 24 | (size_t)b[5] << 16 | (size_t)b[6] << 8 | b[7];
        if (cnt > m || n != 8 + 3 * cnt)
            goto bad;
        for (size_t k = 0; k < cnt; k++) {
            size_t idx = (size_t)b[8 + 3 * k] << 8 | b[9 + 3 * k];
            uint8_t v = b[10 + 3 * k];
            if (idx >= m || v > maxr)
                goto bad;
            h->reg[idx] = v;
        }
    }
    goto out;
bad:
    lgn_err_set(err, LGN_EXIT_USAGE, "sketch: malformed registers");
    lgn_hll_free(h);
    h = NULL;
out:
    free(b);
    return h;
}
