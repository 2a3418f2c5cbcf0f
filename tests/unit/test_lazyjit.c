/* test_lazyjit.c: a regex is JIT-compiled on its first match, not when it
 * is loaded; threads matching it at once share one compiled copy, and it
 * matches as the regex does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "lazyjit.h"

#define THREADS 4

static pcre2_code *compile(const char *pat)
{
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &ecode, &eoff, NULL);
    assert_non_null(re);
    return re;
}

static size_t jit_size(const pcre2_code *re)
{
    size_t n = 0;
    pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &n);
    return n;
}

static bool matches(const pcre2_code *re, const char *s)
{
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static void test_compiled_on_first_use(void **state)
{
    (void)state;
    struct lgn_lazyjit l;
    lgn_lazyjit_init(&l, compile("Firefox/(\\d+)"));
    /* Loading compiles no machine code. */
    assert_int_equal(jit_size(l.re), 0);
    assert_null(atomic_load(&l.ready));
    const pcre2_code *c = lgn_lazyjit_code(&l);
    assert_non_null(c);
    assert_ptr_equal(lgn_lazyjit_code(&l), c); /* once */
    uint32_t jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &jit);
    if (jit)
        assert_true(jit_size(c) > 0);
    assert_true(matches(c, "Mozilla/5.0 Firefox/120.0"));
    assert_false(matches(c, "Mozilla/5.0 Chrome/120.0"));
    lgn_lazyjit_free(&l);
}

struct race {
    struct lgn_lazyjit *l;
    pthread_barrier_t *go;
    const pcre2_code *got;
};

static void *first_use(void *arg)
{
    struct race *r = arg;
    pthread_barrier_wait(r->go);
    r->got = lgn_lazyjit_code(r->l);
    return NULL;
}

static void test_threads_share_one_copy(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        struct lgn_lazyjit l;
        lgn_lazyjit_init(&l, compile("(?i)bot|crawl|spider"));
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, THREADS);
        pthread_t t[THREADS];
        struct race r[THREADS];
        for (int i = 0; i < THREADS; i++) {
            r[i] = (struct race){&l, &go, NULL};
            assert_int_equal(pthread_create(&t[i], NULL, first_use, &r[i]), 0);
        }
        for (int i = 0; i < THREADS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < THREADS; i++) {
            assert_ptr_equal(r[i].got, atomic_load(&l.ready));
            assert_true(matches(r[i].got, "Googlebot/2.1"));
        }
        lgn_lazyjit_free(&l); /* the losers' copies were freed (valgrind, ASan) */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compiled_on_first_use),
        cmocka_unit_test(test_threads_share_one_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
