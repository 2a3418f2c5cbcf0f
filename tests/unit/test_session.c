/* test_session.c: unit tests for open visits: idle timeout, closing, freeing, out-of-order lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"

struct closed {
    size_t n;
    uint64_t visitor[64];
    int64_t first[64], last[64];
    uint32_t hits[64];
};

static void on_close(void *ctx, struct lgn_visit *v)
{
    struct closed *c = ctx;
    if (c->n < 64) {
        c->visitor[c->n] = v->visitor;
        c->first[c->n] = v->first;
        c->last[c->n] = v->last;
        c->hits[c->n] = v->hits;
    }
    c->n++;
}

/* Consecutive hits at most the timeout apart are one visit; one second more starts another. */
static void test_timeout_boundary(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    struct lgn_visit *v = lgn_sessions_hit(s, 7, 1000, &is_new);
    assert_true(is_new);
    v->page_views = 3;                         /* user fields survive between hits */
    v = lgn_sessions_hit(s, 7, 2800, &is_new); /* exactly 1800 s later: same visit */
    assert_false(is_new);
    assert_int_equal(v->page_views, 3);
    assert_int_equal(v->hits, 2);
    v = lgn_sessions_hit(s, 7, 4601, &is_new); /* 1801 s later: a new visit */
    assert_true(is_new);
    assert_int_equal(v->page_views, 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.first[0], 1000);
    assert_int_equal(c.last[0], 2800);
    assert_int_equal(c.hits[0], 2);
    assert_int_equal(lgn_sessions_open(s), 1);
    lgn_sessions_close_all(s);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.first[1], 4601);
    assert_int_equal(lgn_sessions_open(s), 0);
    lgn_sessions_free(s);
    lgn_sessions_free(NULL);
}

/* Visitors are kept apart; idle visits close as time advances. */
static void test_sweep_closes_idle(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    lgn_sessions_hit(s, 1, 0, &is_new);
    lgn_sessions_hit(s, 2, 100, &is_new);
    lgn_sessions_hit(s, 1, 200, &is_new);
    assert_int_equal(lgn_sessions_open(s), 2);
    /* Visitor 3 at 100 + 1800 + slack + 1: visitor 2 (last 100) is closed; 1 (last 200) not yet. */
    lgn_sessions_hit(s, 3, 100 + 1800 + LGN_SESSION_SLACK + 1, &is_new);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.visitor[0], 2);
    assert_int_equal(lgn_sessions_open(s), 2);
    lgn_sessions_close_all(s);
    assert_int_equal(c.n, 3);
    lgn_sessions_free(s);
}

/* A line a little out of order joins its visit; first/last stay min/max. */
static void test_out_of_order(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    lgn_sessions_hit(s, 5, 1000, &is_new);
    lgn_sessions_hit(s, 5, 1100, &is_new);
    struct lgn_visit *v = lgn_sessions_hit(s, 5, 990, &is_new);
    assert_false(is_new);
    assert_int_equal(v->first, 990);
    assert_int_equal(v->last, 1100);
    assert_int_equal(v->hits, 3);
    /* A hit far before the visit starts another. */
    v = lgn_sessions_hit(s, 5, 990 - 1801, &is_new);
    assert_true(is_new);
    assert_int_equal(c.n, 1);
    lgn_sessions_close_all(s);
    lgn_sessions_free(s);
}

/* Memory: with time advancing, only visits within the timeout stay open. */
static void test_bounded_open_visits(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    for (uint64_t i = 0; i < 200000; i++) /* one new visitor per second */
        assert_non_null(lgn_sessions_hit(s, i * 2654435761u + 1, (int64_t)i, &is_new));
    print_message("peak open visits: %zu\n", lgn_sessions_peak(s));
    assert_true(lgn_sessions_peak(s) <= 1800 + LGN_SESSION_SLACK + 2);
    assert_int_equal(c.n + lgn_sessions_open(s), 200000);
    lgn_sessions_close_all(s);
    assert_int_equal(c.n, 200000);
    lgn_sessions_free(s);
}

/* Many visitors, removed in random order: every one is still found (hash
 * table deletion keeps probe chains intact). */
static void test_many_interleaved(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    for (int round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < 5000; i++) {
            struct lgn_visit *v = lgn_sessions_hit(s, i % 7 == 0 ? i : i * 11400714819323198485u,
                                                   round * 100 + (int64_t)(i % 50), &is_new);
            assert_non_null(v);
            assert_int_equal(is_new, round == 0);
            assert_int_equal(v->hits, (uint32_t)round + 1);
        }
    }
    assert_int_equal(c.n, 0);
    lgn_sessions_close_all(s);
    assert_int_equal(c.n, 5000);
    lgn_sessions_free(s);
}

/* A second input with older lines (time jumps back by days) starts afresh. */
static void test_restart_on_older_input(void **state)
{
    (void)state;
    struct closed c = {0};
    struct lgn_sessions *s = lgn_sessions_new(1800, on_close, &c);
    bool is_new;
    int64_t day = 86400;
    lgn_sessions_hit(s, 1, 10 * day, &is_new);
    lgn_sessions_hit(s, 2, 2 * day, &is_new);
    lgn_sessions_hit(s, 2, 2 * day + 600, &is_new);
    struct lgn_visit *v = lgn_sessions_hit(s, 2, 2 * day + 1200, &is_new);
    assert_false(is_new);
    assert_int_equal(v->hits, 3);
    lgn_sessions_close_all(s);
    assert_int_equal(c.n, 2);
    lgn_sessions_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeout_boundary), cmocka_unit_test(test_sweep_closes_idle),
        cmocka_unit_test(test_out_of_order),     cmocka_unit_test(test_bounded_open_visits),
        cmocka_unit_test(test_many_interleaved), cmocka_unit_test(test_restart_on_older_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
