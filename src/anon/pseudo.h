/* pseudo.h: keyed HMAC-SHA256 pseudonyms (OpenSSL EVP_MAC, keyed once). */
#ifndef LGN_PSEUDO_H
#define LGN_PSEUDO_H

#include <stddef.h>

#include "err.h"
#include "key.h"

#define LGN_HMAC_LEN 32

struct lgn_hmac;

/* Keys an HMAC-SHA256 context once; the caller may wipe `key` afterwards.
 * Owned by the caller; free with lgn_hmac_free. */
struct lgn_hmac *lgn_hmac_new(const struct lgn_key *key, struct lgn_err *err);
void lgn_hmac_free(struct lgn_hmac *h);

/* out = HMAC-SHA256(key, data). Returns 0, or -1 on a library failure. */
int lgn_hmac_digest(struct lgn_hmac *h, const void *data, size_t len,
                    unsigned char out[LGN_HMAC_LEN]);

#endif
