/* cryptopan.h: prefix-preserving pseudonyms (Crypto-PAn, AES-128) for IPv4 and IPv6. */
#ifndef LGN_CRYPTOPAN_H
#define LGN_CRYPTOPAN_H

#include <stdint.h>

#include "err.h"
#include "key.h"

struct lgn_cryptopan;

/* key->bytes[0..15] is the AES-128 key; key->bytes[16..31] is encrypted to form
 * the pad, as in the reference implementation (Xu, Fan, Ammar, Moon). */
struct lgn_cryptopan *lgn_cryptopan_new(const struct lgn_key *key, struct lgn_err *err);
void lgn_cryptopan_free(struct lgn_cryptopan *cp);

/* Addresses in network byte order. Two inputs sharing a k-bit prefix give
 * outputs sharing a k-bit prefix. IPv6 uses the same construction over 128 bits. */
void lgn_cryptopan_v4(struct lgn_cryptopan *cp, const uint8_t in[4], uint8_t out[4]);
void lgn_cryptopan_v6(struct lgn_cryptopan *cp, const uint8_t in[16], uint8_t out[16]);

#endif
