/* test_hll.c: unit tests for the HyperLogLog sketch: accuracy, merge, reduce, base64 form. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hll.h"

static double rel_err(double est, double truth)
{
    return fabs(est - truth) / truth;
}

static void test_empty_and_small(void **state)
{
    (void)state;
    struct lgn_hll *h = lgn_hll_new(14);
    assert_non_null(h);
    assert_true(lgn_hll_estimate(h) == 0.0);
    lgn_hll_add(h, 42);
    lgn_hll_add(h, 42); /* duplicates do not count */
    assert_true(fabs(lgn_hll_estimate(h) - 1.0) < 0.01);
    for (uint64_t i = 0; i < 10; i++)
        lgn_hll_add(h, 1000 + i);
    assert_true(fabs(lgn_hll_estimate(h) - 11.0) < 0.5);
    lgn_hll_free(h);
    lgn_hll_free(NULL);
    assert_null(lgn_hll_new(3));
    assert_null(lgn_hll_new(17));
}

static void test_accuracy_100k(void **state)
{
    (void)state;
    struct lgn_hll *h = lgn_hll_new(14);
    for (uint64_t i = 1; i <= 100000; i++)
        lgn_hll_add(h, i * 7919); /* sequential-ish ids: the mixing must spread them */
    double e = lgn_hll_estimate(h);
    print_message("p=14, 100000 distinct: estimate %.0f (%.2f%%)\n", e, 100 * rel_err(e, 100000));
    assert_true(rel_err(e, 100000) < 0.02);
    lgn_hll_free(h);
}

/* Over many cardinalities, the estimate stays within 4 standard errors. */
static void test_accuracy_range(void **state)
{
    (void)state;
    struct lgn_hll *h = lgn_hll_new(12);
    uint64_t n = 0;
    for (uint64_t target = 100; target <= 2000000; target *= 3) {
        while (n < target)
            lgn_hll_add(h, ++n ^ 0xabcdef);
        double e = lgn_hll_estimate(h);
        assert_true(rel_err(e, (double)n) < 4 * 1.04 / 64);
    }
    lgn_hll_free(h);
}

static void test_merge(void **state)
{
    (void)state;
    struct lgn_hll *a = lgn_hll_new(14), *b = lgn_hll_new(14);
    for (uint64_t i = 0; i < 60000; i++)
        lgn_hll_add(a, i);
    for (uint64_t i = 40000; i < 100000; i++)
        lgn_hll_add(b, i);
    assert_int_equal(lgn_hll_merge(a, b), 0);
    double e = lgn_hll_estimate(a);
    print_message("union of 60000 and 60000 overlapping in 20000: %.0f\n", e);
    assert_true(rel_err(e, 100000) < 0.02);
    /* Merging is idempotent. */
    assert_int_equal(lgn_hll_merge(a, b), 0);
    assert_true(lgn_hll_estimate(a) == e);
    lgn_hll_free(a);
    lgn_hll_free(b);
}

/* Reducing a sketch gives exactly the sketch built at the lower precision. */
static void test_reduce_exact(void **state)
{
    (void)state;
    struct lgn_hll *hi = lgn_hll_new(14), *lo = lgn_hll_new(10);
    for (uint64_t i = 0; i < 50000; i++) {
        lgn_hll_add(hi, i * 31 + 5);
        lgn_hll_add(lo, i * 31 + 5);
    }
    assert_int_equal(lgn_hll_reduce(hi, 10), 0);
    assert_int_equal(hi->p, 10);
    assert_memory_equal(hi->reg, lo->reg, 1024);
    assert_int_equal(lgn_hll_reduce(hi, 12), -1); /* cannot grow */
    lgn_hll_free(hi);
    lgn_hll_free(lo);
}

static void test_merge_mixed_precision(void **state)
{
    (void)state;
    struct lgn_hll *a = lgn_hll_new(14), *b = lgn_hll_new(12);
    for (uint64_t i = 0; i < 30000; i++)
        lgn_hll_add(a, i);
    for (uint64_t i = 30000; i < 60000; i++)
        lgn_hll_add(b, i);
    assert_int_equal(lgn_hll_merge(a, b), 0);
    assert_int_equal(a->p, 12);
    assert_true(rel_err(lgn_hll_estimate(a), 60000) < 0.05);
    lgn_hll_free(a);
    lgn_hll_free(b);
}

static void roundtrip(unsigned p, uint64_t n)
{
    struct lgn_hll *h = lgn_hll_new(p);
    for (uint64_t i = 0; i < n; i++)
        lgn_hll_add(h, i + 99);
    char *s = lgn_hll_to_base64(h);
    assert_non_null(s);
    struct lgn_err err;
    struct lgn_hll *g = lgn_hll_from_base64(s, strlen(s), &err);
    assert_non_null(g);
    assert_int_equal(g->p, p);
    assert_memory_equal(g->reg, h->reg, (size_t)1 << p);
    free(s);
    lgn_hll_free(g);
    lgn_hll_free(h);
}

static void test_base64(void **state)
{
    (void)state;
    roundtrip(14, 0);      /* sparse, empty */
    roundtrip(14, 5);      /* sparse */
    roundtrip(10, 100000); /* dense */
    roundtrip(4, 3);
    roundtrip(16, 1000);
    /* The sparse form of a small sketch is short. */
    struct lgn_hll *h = lgn_hll_new(14);
    lgn_hll_add(h, 1);
    char *s = lgn_hll_to_base64(h);
    assert_true(strlen(s) <= 16);
    free(s);
    lgn_hll_free(h);
}

static void test_base64_bad(void **state)
{
    (void)state;
    struct lgn_err err;
    static const char *const bad[] = {
        "",
        "SAEO",
        "SAEOAA==",
        "!!!!!!!!",
        "SAEOAAAAAAE=", /* count 1, no entry */
        "SAIOAQAAAAA=", /* version 2 */
        "SAFAAQAAAAA=", /* p = 64 */
        "SAEOAgAAAAA=", /* enc 2 */
        "SAEOAA",       /* length */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(lgn_hll_from_base64(bad[i], strlen(bad[i]), &err));
    /* A register index past the end, and a register value too large. */
    struct lgn_hll *h = lgn_hll_new(4);
    h->reg[3] = 200;
    char *s = lgn_hll_to_base64(h);
    assert_null(lgn_hll_from_base64(s, strlen(s), &err));
    free(s);
    lgn_hll_free(h);
}

/* The few-keys serialisation is the same string as the register route, at
 * sizes on both sides of the sparse/dense switch and with repeated keys. */
static void test_keys_to_base64(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 5, 40, 300, 2000};
    for (unsigned p = 10; p <= 14; p += 4) {
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            uint64_t *keys = malloc((n + 1) * sizeof *keys);
            assert_non_null(keys);
            struct lgn_hll *h = lgn_hll_new(p);
            for (size_t i = 0; i < n; i++) {
                keys[i] = 1000 + i % (n / 2 + 1); /* some keys twice */
                lgn_hll_add(h, keys[i]);
            }
            char *want = lgn_hll_to_base64(h), *got = lgn_hll_keys_to_base64(p, keys, n);
            assert_non_null(got);
            assert_string_equal(got, want);
            free(want);
            free(got);
            lgn_hll_free(h);
            free(keys);
        }
    }
    assert_null(lgn_hll_keys_to_base64(LGN_HLL_MAX_P + 1, NULL, 0));
}

/* Merging the serialised form equals decoding and merging; a malformed
 * string is refused and leaves the sketch as it was. */
static void test_merge_base64(void **state)
{
    (void)state;
    struct lgn_hll *a = lgn_hll_new(12), *b = lgn_hll_new(12), *c = lgn_hll_new(14);
    for (uint64_t i = 0; i < 3000; i++) {
        lgn_hll_add(i % 2 ? a : b, i);
        lgn_hll_add(c, i + 100000);
    }
    struct lgn_hll *want = lgn_hll_clone(a);
    assert_int_equal(lgn_hll_merge(want, b), 0);
    char *sb = lgn_hll_to_base64(b);
    assert_int_equal(lgn_hll_merge_base64(a, sb, strlen(sb), NULL), 0);
    assert_memory_equal(a->reg, want->reg, 1u << 12);

    /* another precision: merged at the smaller one */
    char *sc = lgn_hll_to_base64(c);
    assert_int_equal(lgn_hll_merge(want, c), 0);
    assert_int_equal(lgn_hll_merge_base64(a, sc, strlen(sc), NULL), 0);
    assert_int_equal(a->p, want->p);
    assert_memory_equal(a->reg, want->reg, 1u << 12);

    struct lgn_hll *before = lgn_hll_clone(a);
    struct lgn_err err = {0};
    char bad[] = "SAEMAQAAAAIABQP//wE="; /* sparse, p 12: entry 5 = 3, then an index out of range */
    assert_int_equal(lgn_hll_merge_base64(a, bad, strlen(bad), &err), -1);
    assert_true(err.msg[0] != '\0');
    assert_memory_equal(a->reg, before->reg, 1u << 12);
    assert_int_equal(lgn_hll_merge_base64(a, "@@@@", 4, NULL), -1);
    free(sb);
    free(sc);
    lgn_hll_free(a);
    lgn_hll_free(b);
    lgn_hll_free(c);
    lgn_hll_free(want);
    lgn_hll_free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_small), cmocka_unit_test(test_accuracy_100k),
        cmocka_unit_test(test_accuracy_range),  cmocka_unit_test(test_merge),
        cmocka_unit_test(test_reduce_exact),    cmocka_unit_test(test_merge_mixed_precision),
        cmocka_unit_test(test_base64),          cmocka_unit_test(test_base64_bad),
        cmocka_unit_test(test_keys_to_base64),  cmocka_unit_test(test_merge_base64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
