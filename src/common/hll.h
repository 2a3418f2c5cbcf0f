/* hll.h: HyperLogLog distinct counter over 64-bit keys: mergeable, serialisable. */
#ifndef LGN_HLL_H
#define LGN_HLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define LGN_HLL_MIN_P 4
#define LGN_HLL_MAX_P 16

/* 2^p one-byte registers. Relative standard error is about 1.04 / sqrt(2^p):
 * p = 12: 1.6 %, p = 14: 0.8 %. */
struct lgn_hll {
    unsigned p;
    uint8_t *reg; /* 2^p registers, owned */
};

/* A new empty sketch; NULL when p is out of range or out of memory. Free with
 * lgn_hll_free (accepts NULL). */
struct lgn_hll *lgn_hll_new(unsigned p);
void lgn_hll_free(struct lgn_hll *h);
struct lgn_hll *lgn_hll_clone(const struct lgn_hll *h);

/* Adds a key. Keys are mixed (splitmix64) before use, so any 64-bit id works;
 * the same key always lands in the same register, in every run and program. */
void lgn_hll_add(struct lgn_hll *h, uint64_t key);

/* Cardinality estimate (Ertl's improved raw estimator: no bias tables, good
 * from 0 to far beyond 2^32). */
double lgn_hll_estimate(const struct lgn_hll *h);

/* into |= from. Sketches of different precision are combined at the smaller
 * one (into is reduced first when needed). 0, or -1 when out of memory. */
int lgn_hll_merge(struct lgn_hll *into, const struct lgn_hll *from);

/* Reduces h to precision p (p <= h->p), exactly as if the keys had been
 * added at p. 0, or -1 when out of memory or p is out of range. */
int lgn_hll_reduce(struct lgn_hll *h, unsigned p);

/* Serialised form: base64 (RFC 4648, no line breaks) of
 *   'H' 0x01 p enc  then  enc 0: 2^p register bytes
 *                         enc 1: count (u32 big-endian), then count entries
 *                                of index (u16 big-endian) + value (u8)
 * The sparse form (enc 1) is chosen when it is shorter. Returns a
 * NUL-terminated string owned by the caller (free()), or NULL when out of
 * memory. */
char *lgn_hll_to_base64(const struct lgn_hll *h);

/* Parses the serialised form. NULL on malformed input (err says why). */
struct lgn_hll *lgn_hll_from_base64(const char *s, size_t len, struct lgn_err *err);

/* into |= the serialised sketch s, without building its registers when the
 * precisions agree. 0, or -1 (err says why; into is unchanged when s is
 * malformed). */
int lgn_hll_merge_base64(struct lgn_hll *into, const char *s, size_t len, struct lgn_err *err);

/* The serialised sketch of a few keys at precision p, the same string as
 * adding them to lgn_hll_new(p) and calling lgn_hll_to_base64, without the
 * 2^p registers when the sparse form is shorter. NULL when out of memory. */
char *lgn_hll_keys_to_base64(unsigned p, const uint64_t *keys, size_t n);

#endif
