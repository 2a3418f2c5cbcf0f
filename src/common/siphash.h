/* siphash.h: SipHash-2-4, a fast keyed PRF for short inputs (visitor ids). */
#ifndef LGN_SIPHASH_H
#define LGN_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of [p, p+n) under the 16-byte key k (Aumasson & Bernstein). */
uint64_t lgn_siphash(const unsigned char k[16], const void *p, size_t n);

#endif
