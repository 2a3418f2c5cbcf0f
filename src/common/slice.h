/* slice.h: a borrowed byte range (pointer + length); never owns memory. */
#ifndef LGN_SLICE_H
#define LGN_SLICE_H

#include <stddef.h>
#include <string.h>

struct lgn_slice {
    const char *p;
    size_t len;
};

#define LGN_SLICE_LIT(s) ((struct lgn_slice){(s), sizeof(s) - 1})

static inline int lgn_slice_eq(struct lgn_slice a, const char *lit)
{
    size_t n = strlen(lit);
    return a.len == n && memcmp(a.p, lit, n) == 0;
}

#endif
