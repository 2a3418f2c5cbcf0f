/* textcache.c: a direct-mapped set of short strings, compared byte for byte. */
#include "textcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096   /* real logs hold a few thousand distinct user agents */
#define MAX_LEN 1024 /* longer values are rare: not worth the memory */

struct slot {
    uint64_t hash;
    size_t len;
    char *bytes; /* owned copy, NULL when empty */
};

struct lgn_textcache {
    struct slot slots[SLOTS];
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, p + i, n - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

struct lgn_textcache *lgn_textcache_new(void)
{
    return calloc(1, sizeof(struct lgn_textcache));
}

void lgn_textcache_free(struct lgn_textcache *tc)
{
    if (tc == NULL)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        free(tc->slots[i].bytes);
    free(tc);
}

bool lgn_textcache_has(const struct lgn_textcache *tc, const char *p, size_t n)
{
    if (n > MAX_LEN)
        return false;
    uint64_t h = hash_bytes(p, n);
    const struct slot *s = &tc->slots[h % SLOTS];
    return s->bytes != NULL && s->hash == h && s->len == n && memcmp(s->bytes, p, n) == 0;
}

void lgn_textcache_add(struct lgn_textcache *tc, const char *p, size_t n)
{
    if (n > MAX_LEN)
        return;
    uint64_t h = hash_bytes(p, n);
    struct slot *s = &tc->slots[h % SLOTS];
    char *copy = realloc(s->bytes, n ? n : 1);
    if (copy == NULL)
        return; /* the old value stays: the cache is only an optimisation */
    memcpy(copy, p, n);
    s->bytes = copy;
    s->hash = h;
    s->len = n;
}
