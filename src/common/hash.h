/* hash.h: a fast non-cryptographic hash of a byte string, for in-memory
 * tables (never for anything an attacker could exploit by choosing keys). */
#ifndef LGN_HASH_H
#define LGN_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Eight bytes per multiply; well mixed in the low and the high bits. */
static inline uint64_t lgn_hash_bytes(const char *p, size_t n)
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

#endif
