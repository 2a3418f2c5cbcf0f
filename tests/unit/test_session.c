/* test_session.c: unit tests for visits rebuilt from hits: idle timeout, the
 * reorder window, closing, freeing, lines out of order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"

#define MAXREC 4096

/* What the callbacks saw: closed visits, and settled hits in order. */
struct seen {
    size_t n;
    uint64_t visitor[MAXREC];
    int64_t first[MAXREC], last[MAXREC];
    uint32_t hits[MAXREC];
    size_t nh;
    uint64_t hit_visitor[MAXREC];
    int64_t hit_time[MAXREC];
};

static void on_close(void *ctx, struct lgn_visitor *who)
{
    struct seen *c = ctx;
    if (c->n < MAXREC) {
        c->visitor[c->n] = who->id;
        c->first[c->n] = who->visit.first;
        c->last[c->n] = who->visit.last;
        c->hits[c->n] = who->visit.hits;
    }
    c->n++;
}

static void on_hit(void *ctx, struct lgn_visitor *who, const struct lgn_visit_hit *h)
{
    struct seen *c = ctx;
    if (c->nh < MAXREC) {
        c->hit_visitor[c->nh] = who->id;
        c->hit_time[c->nh] = h->time;
    }
    c->nh++;
}

static struct lgn_visitor *hit(struct lgn_sessions *s, uint64_t id, int64_t t, bool *is_new)
{
    struct lgn_visitor *v = lgn_sessions_visitor(s, id, is_new);
    assert_non_null(v);
    struct lgn_visit_hit h = {t, 0, NULL, NULL, NULL};
    assert_int_equal(lgn_sessions_add(s, v, &h), 0);
    return v;
}

/* Consecutive hits at most the timeout apart are one visit; one second more starts another. */
static void test_timeout_boundary(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 0, on_hit, on_close, c);
    bool is_new;
    struct lgn_visitor *v = hit(s, 7, 1000, &is_new);
    assert_true(is_new);
    v->visit.page_views = 3;      /* caller fields survive between hits of a visit */
    v = hit(s, 7, 2800, &is_new); /* exactly 1800 s later: same visit */
    assert_false(is_new);
    assert_int_equal(v->visit.page_views, 3);
    assert_int_equal(v->visit.hits, 2);
    v = hit(s, 7, 4601, &is_new); /* 1801 s later: a new visit, the same visitor */
    assert_false(is_new);
    assert_int_equal(v->visit.page_views, 0);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->first[0], 1000);
    assert_int_equal(c->last[0], 2800);
    assert_int_equal(c->hits[0], 2);
    assert_int_equal(lgn_sessions_open(s), 1);
    lgn_sessions_close_all(s);
    assert_int_equal(c->n, 2);
    assert_int_equal(c->first[1], 4601);
    assert_int_equal(lgn_sessions_open(s), 0);
    lgn_sessions_free(s);
    lgn_sessions_free(NULL);
    free(c);
}

/* Visitors are kept apart; idle ones close once time is past their latest
 * hit plus the timeout plus the window. */
static void test_sweep_closes_idle(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 60, on_hit, on_close, c);
    bool is_new;
    hit(s, 1, 0, &is_new);
    hit(s, 2, 100, &is_new);
    hit(s, 1, 200, &is_new);
    assert_int_equal(lgn_sessions_open(s), 2);
    hit(s, 3, 100 + 1800 + 60, &is_new); /* not past yet */
    assert_int_equal(c->n, 0);
    hit(s, 3, 100 + 1800 + 60 + 1, &is_new);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->visitor[0], 2);
    assert_int_equal(lgn_sessions_open(s), 2);
    lgn_sessions_close_all(s);
    assert_int_equal(c->n, 3);
    lgn_sessions_free(s);
    free(c);
}

/* A hit is settled only once the log's time is the window past it; hits of
 * a visitor are settled in time order whatever order they came in. */
static void test_window_orders_hits(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 60, on_hit, on_close, c);
    bool is_new;
    hit(s, 5, 1000, &is_new);
    hit(s, 5, 1030, &is_new);
    hit(s, 5, 990, &is_new);    /* 40 s late */
    assert_int_equal(c->nh, 0); /* nothing is 60 s old yet */
    hit(s, 5, 1060, &is_new);   /* settles up to 1060 - 60 = 1000 */
    assert_int_equal(c->nh, 2);
    assert_int_equal(c->hit_time[0], 990);
    assert_int_equal(c->hit_time[1], 1000);
    lgn_sessions_close_all(s);
    assert_int_equal(c->nh, 4);
    assert_int_equal(c->hit_time[2], 1030);
    assert_int_equal(c->hit_time[3], 1060);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->first[0], 990);
    assert_int_equal(c->last[0], 1060);
    assert_int_equal(c->hits[0], 4);
    lgn_sessions_free(s);
    free(c);
}

/* A line later than the window counts at its visitor's latest settled time:
 * never before what was already settled. */
static void test_later_than_window(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 10, on_hit, on_close, c);
    bool is_new;
    hit(s, 5, 1000, &is_new);
    hit(s, 5, 1100, &is_new); /* settles 1000 */
    assert_int_equal(c->nh, 1);
    hit(s, 5, 900, &is_new); /* 200 s late */
    assert_int_equal(c->nh, 2);
    assert_int_equal(c->hit_time[1], 1000); /* counted at 1000, not 900 */
    lgn_sessions_close_all(s);
    lgn_sessions_free(s);
    free(c);
}

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Property: hits shuffled within each minute give the visits and the hit
 * order of the sorted hits (window 60), for many random logs. */
static void test_shuffled_equals_sorted(void **state)
{
    (void)state;
    uint64_t rng = 88172645463325252ull;
    for (int round = 0; round < 50; round++) {
        enum { N = 600 };
        int64_t t[N];
        uint64_t id[N];
        int64_t now = 100000;
        for (int i = 0; i < N; i++) {
            now += (int64_t)(rng_next(&rng) % 40); /* gaps: some beyond a short timeout */
            t[i] = now;
            id[i] = 1 + rng_next(&rng) % 7;
        }
        struct seen *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        struct lgn_sessions *sa = lgn_sessions_new(120, 60, on_hit, on_close, a);
        bool is_new;
        for (int i = 0; i < N; i++)
            hit(sa, id[i], t[i], &is_new);
        lgn_sessions_close_all(sa);
        /* Shuffle within each minute. */
        for (int i = 0; i < N;) {
            int j = i;
            while (j < N && t[j] / 60 == t[i] / 60)
                j++;
            for (int k = j - 1; k > i; k--) {
                int r = i + (int)(rng_next(&rng) % (uint64_t)(k - i + 1));
                int64_t tt = t[k];
                uint64_t ii = id[k];
                t[k] = t[r], id[k] = id[r];
                t[r] = tt, id[r] = ii;
            }
            i = j;
        }
        struct lgn_sessions *sb = lgn_sessions_new(120, 60, on_hit, on_close, b);
        for (int i = 0; i < N; i++)
            hit(sb, id[i], t[i], &is_new);
        lgn_sessions_close_all(sb);
        /* Per visitor, the same settled times in the same order, and the
         * same visits. */
        assert_int_equal(a->nh, b->nh);
        assert_int_equal(a->n, b->n);
        for (uint64_t v = 1; v <= 7; v++) {
            size_t i = 0, j = 0;
            for (;;) {
                while (i < a->nh && a->hit_visitor[i] != v)
                    i++;
                while (j < b->nh && b->hit_visitor[j] != v)
                    j++;
                if (i == a->nh || j == b->nh)
                    break;
                assert_int_equal(a->hit_time[i], b->hit_time[j]);
                i++, j++;
            }
            assert_true(i == a->nh && j == b->nh);
            uint64_t suma = 0, sumb = 0, na = 0, nb = 0;
            for (size_t k = 0; k < a->n; k++)
                if (a->visitor[k] == v)
                    suma += (uint64_t)(a->last[k] - a->first[k]) + a->hits[k], na++;
            for (size_t k = 0; k < b->n; k++)
                if (b->visitor[k] == v)
                    sumb += (uint64_t)(b->last[k] - b->first[k]) + b->hits[k], nb++;
            assert_int_equal(na, nb);
            assert_int_equal(suma, sumb);
        }
        lgn_sessions_free(sa);
        lgn_sessions_free(sb);
        free(a);
        free(b);
    }
}

/* Memory: with time advancing, only visitors within timeout + window stay active. */
static void test_bounded_open_visits(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 60, NULL, on_close, c);
    bool is_new;
    for (uint64_t i = 0; i < 200000; i++) /* one new visitor per second */
        hit(s, i * 2654435761u + 1, (int64_t)i, &is_new);
    print_message("peak active visitors: %zu\n", lgn_sessions_peak(s));
    assert_true(lgn_sessions_peak(s) <= 1800 + 60 + 2);
    assert_int_equal(c->n + lgn_sessions_open(s), 200000);
    lgn_sessions_close_all(s);
    assert_int_equal(c->n, 200000);
    lgn_sessions_free(s);
    free(c);
}

/* Many visitors, removed in random order: every one is still found (hash
 * table deletion keeps probe chains intact). */
static void test_many_interleaved(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 0, NULL, on_close, c);
    bool is_new;
    for (int round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < 5000; i++) {
            struct lgn_visitor *v = hit(s, i % 7 == 0 ? i : i * 11400714819323198485u,
                                        round * 100 + (int64_t)(i % 50), &is_new);
            assert_int_equal(is_new, round == 0);
            assert_int_equal(v->visit.hits, (uint32_t)round + 1);
        }
    }
    assert_int_equal(c->n, 0);
    lgn_sessions_close_all(s);
    assert_int_equal(c->n, 5000);
    lgn_sessions_free(s);
    free(c);
}

/* A second input with older lines (time jumps back by days) starts afresh. */
static void test_restart_on_older_input(void **state)
{
    (void)state;
    struct seen *c = calloc(1, sizeof *c);
    struct lgn_sessions *s = lgn_sessions_new(1800, 60, NULL, on_close, c);
    bool is_new;
    int64_t day = 86400;
    hit(s, 1, 10 * day, &is_new);
    hit(s, 2, 2 * day, &is_new);
    hit(s, 2, 2 * day + 600, &is_new);
    hit(s, 2, 2 * day + 1200, &is_new);
    lgn_sessions_close_all(s);
    assert_int_equal(c->n, 2);
    assert_int_equal(c->hits[1], 3);
    lgn_sessions_free(s);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeout_boundary),
        cmocka_unit_test(test_sweep_closes_idle),
        cmocka_unit_test(test_window_orders_hits),
        cmocka_unit_test(test_later_than_window),
        cmocka_unit_test(test_shuffled_equals_sorted),
        cmocka_unit_test(test_bounded_open_visits),
        cmocka_unit_test(test_many_interleaved),
        cmocka_unit_test(test_restart_on_older_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
