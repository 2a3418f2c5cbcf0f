/* pseudo.c: keyed HMAC-SHA256 pseudonyms: one EVP_MAC context, keyed once, reused per call. */
#include "pseudo.h"

#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/*
 * Per call, the keyed context is re-initialised with EVP_MAC_init(ctx, NULL,
 * 0, NULL), which for HMAC restarts from the stored inner/outer key state
 * without rehashing the key. Measured against EVP_MAC_CTX_dup of a keyed
 * template (dup, update, final, free) on OpenSSL 3.0, 63-byte input:
 * re-init ~330 ns/call, dup ~730 ns/call (dup allocates). Re-init wins.
 *
 * Not thread-safe: one lgn_hmac per thread.
 */
struct lgn_hmac {
    EVP_MAC_CTX *ctx; /* owned; keyed; holds its own reference to the HMAC algorithm */
};

struct lgn_hmac *lgn_hmac_new(const struct lgn_key *key, struct lgn_err *err)
{
    struct lgn_hmac *h = calloc(1, sizeof *h);
    if (h == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory for the HMAC context");
        return NULL;
    }
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac != NULL)
        h->ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac); /* the context keeps its own reference */
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (h->ctx == NULL || EVP_MAC_init(h->ctx, key->bytes, LGN_KEY_LEN, params) != 1 ||
        EVP_MAC_CTX_get_mac_size(h->ctx) != LGN_HMAC_LEN) {
        ERR_clear_error();
        lgn_hmac_free(h);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "cannot set up HMAC-SHA256 (OpenSSL)");
        return NULL;
    }
    return h;
}

void lgn_hmac_free(struct lgn_hmac *h)
{
    if (h == NULL)
        return;
    EVP_MAC_CTX_free(h->ctx); /* cleanses the key state */
    free(h);
}

int lgn_hmac_digest(struct lgn_hmac *h, const void *data, size_t len,
                    unsigned char out[LGN_HMAC_LEN])
{
    size_t outl = 0;
    if (EVP_MAC_init(h->ctx, NULL, 0, NULL) != 1 || EVP_MAC_update(h->ctx, data, len) != 1 ||
        EVP_MAC_final(h->ctx, out, &outl, LGN_HMAC_LEN) != 1 || outl != LGN_HMAC_LEN) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}
