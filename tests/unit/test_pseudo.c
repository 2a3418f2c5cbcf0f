/* test_pseudo.c: unit tests for pseudo.c (HMAC-SHA256 known answers, context reuse). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "key.h"
#include "pseudo.h"
#include "testutil.h"

/*
 * RFC 4231 has no test case with a 32-byte key (its keys are 20, 4, 25 and 131
 * bytes), so the expected values were computed with Python's standard library:
 *   python3 -c "import hmac,hashlib; k=bytes(range(0x20,0x40));
 *               print(hmac.new(k, MSG, hashlib.sha256).hexdigest())"
 * for each MSG below.
 */
struct kat {
    const char *msg;
    size_t len;
    const char *hex;
};

static unsigned char zeros200[200];

static const struct kat kats[] = {
    {"", 0, "f49240b78aa90e53f46106c3481e377e19696e777328b1cd6ec6061a0bd868a9"},
    {"203.0.113.7", 11, "2b70a72aef2c6a0de829f7f453ea56b4f00b405b43034257b73e6319f7968368"},
    {"The quick brown fox jumps over the lazy dog", 43,
     "1ea7d0efb3d6ae4f608bca7413fa7cb53fd84dc79b638c830e3c2e74fc556ae1"},
    {NULL, 200, /* 200 zero bytes */
     "5848dc92bd1d2ebe10a94e5810477c9cb028dbe945ec3196363ab916ec62806c"},
};
#define NKATS (sizeof kats / sizeof kats[0])

static const void *kat_data(const struct kat *k)
{
    return k->msg != NULL ? (const void *)k->msg : (const void *)zeros200;
}

static void kat_key(struct lgn_key *key)
{
    for (size_t i = 0; i < LGN_KEY_LEN; i++)
        key->bytes[i] = (unsigned char)(0x20 + i);
}

static struct lgn_hmac *new_h(const struct lgn_key *key)
{
    struct lgn_err err = {0};
    struct lgn_hmac *h = lgn_hmac_new(key, &err);
    if (h == NULL)
        fail_msg("lgn_hmac_new: %s", err.msg);
    return h;
}

static void check_kat(struct lgn_hmac *h, const struct kat *k)
{
    unsigned char out[LGN_HMAC_LEN];
    char hex[2 * LGN_HMAC_LEN + 1];
    assert_int_equal(lgn_hmac_digest(h, kat_data(k), k->len, out), 0);
    tu_hex(out, sizeof out, hex);
    assert_string_equal(hex, k->hex);
}

static void test_known_answers(void **state)
{
    (void)state;
    struct lgn_key key;
    kat_key(&key);
    struct lgn_hmac *h = new_h(&key);
    for (size_t i = 0; i < NKATS; i++)
        check_kat(h, &kats[i]);
    lgn_hmac_free(h);
}

/* The caller may wipe its key right after lgn_hmac_new. */
static void test_key_wiped_after_new(void **state)
{
    (void)state;
    struct lgn_key key;
    kat_key(&key);
    struct lgn_hmac *h = new_h(&key);
    lgn_key_wipe(&key);
    check_kat(h, &kats[1]);
    lgn_hmac_free(h);
}

/* Many calls in a row, interleaving inputs, all give the known answers: the
 * context is correctly re-initialised between calls. */
static void test_context_reuse(void **state)
{
    (void)state;
    struct lgn_key key;
    kat_key(&key);
    struct lgn_hmac *h = new_h(&key);
    unsigned char first[NKATS][LGN_HMAC_LEN];
    for (size_t i = 0; i < NKATS; i++)
        assert_int_equal(lgn_hmac_digest(h, kat_data(&kats[i]), kats[i].len, first[i]), 0);
    for (int r = 0; r < 20000; r++) {
        size_t i = (size_t)r % NKATS;
        unsigned char out[LGN_HMAC_LEN];
        assert_int_equal(lgn_hmac_digest(h, kat_data(&kats[i]), kats[i].len, out), 0);
        assert_memory_equal(out, first[i], LGN_HMAC_LEN);
    }
    for (size_t i = 0; i < NKATS; i++)
        check_kat(h, &kats[i]);
    lgn_hmac_free(h);
}

static void test_keys_separate(void **state)
{
    (void)state;
    struct lgn_key k1, k2;
    kat_key(&k1);
    kat_key(&k2);
    k2.bytes[31] ^= 1;
    struct lgn_hmac *h1 = new_h(&k1);
    struct lgn_hmac *h2 = new_h(&k2);
    struct lgn_hmac *h3 = new_h(&k1);
    unsigned char o1[LGN_HMAC_LEN], o2[LGN_HMAC_LEN], o3[LGN_HMAC_LEN];
    assert_int_equal(lgn_hmac_digest(h1, "198.51.100.1", 12, o1), 0);
    assert_int_equal(lgn_hmac_digest(h2, "198.51.100.1", 12, o2), 0);
    assert_int_equal(lgn_hmac_digest(h3, "198.51.100.1", 12, o3), 0);
    assert_memory_not_equal(o1, o2, LGN_HMAC_LEN);
    assert_memory_equal(o1, o3, LGN_HMAC_LEN);
    /* different data, different output */
    assert_int_equal(lgn_hmac_digest(h1, "198.51.100.2", 12, o3), 0);
    assert_memory_not_equal(o1, o3, LGN_HMAC_LEN);
    lgn_hmac_free(h1);
    lgn_hmac_free(h2);
    lgn_hmac_free(h3);
    lgn_hmac_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_key_wiped_after_new),
        cmocka_unit_test(test_context_reuse),
        cmocka_unit_test(test_keys_separate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
