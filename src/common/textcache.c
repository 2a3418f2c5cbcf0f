/* textcache.c: a direct-mapped set of short strings, compared byte for byte. */
#include "textcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define SLOTS 4096   /* real logs hold a few thousand distinct user agents */
#define MAX_LEN 1024 /* longer values are rare: not worth the memory */

struct slot {
    uint64_t hash;
    size_t len;
    unsigned tag;
    char *bytes; /* owned copy, NULL when empty */
};

struct lgn_textcache {
    struct slot slots[SLOTS];
};

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

/* The tag is mixed in, so one value under two tags takes two slots. */
static uint64_t hash_of(unsigned tag, const char *p, size_t n)
{
    return lgn_hash_bytes(p, n) ^ (tag * 0x9E3779B97F4A7C15ull);
}

bool lgn_textcache_has(const struct lgn_textcache *tc, unsigned tag, const char *p, size_t n)
{
    if (n > MAX_LEN)
        return false;
    uint64_t h = hash_of(tag, p, n);
    const struct slot *s = &tc->slots[h % SLOTS];
    return s->bytes != NULL && s->hash == h && s->tag == tag && s->len == n &&
           memcmp(s->bytes, p, n) == 0;
}

void lgn_textcache_add(struct lgn_textcache *tc, unsigned tag, const char *p, size_t n)
{
    if (n > MAX_LEN)
        return;
    uint64_t h = hash_of(tag, p, n);
    struct slot *s = &tc->slots[h % SLOTS];
    char *copy = realloc(s->bytes, n ? n : 1);
    if (copy == NULL)
        return; /* the old value stays: the cache is only an optimisation */
    memcpy(copy, p, n);
    s->bytes = copy;
    s->hash = h;
    s->tag = tag;
    s->len = n;
}
