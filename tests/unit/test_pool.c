/* test_pool.c: the ordered worker pool: jobs come back in submission order
 * however long each takes, every worker is used, and workers block signals
 * (a stop signal must reach the thread that waits for input). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <pthread.h>

#include "pool.h"

#define WORKERS 4
#define JOBS 64

struct job {
    unsigned index;
    int worker;        /* which worker ran it */
    bool term_blocked; /* SIGTERM was blocked on that worker */
    bool done;
};

static void run_job(void *ctx, void *arg)
{
    struct job *j = arg;
    /* Jobs finish out of order: early ones take longer. */
    nanosleep(&(struct timespec){0, (long)(JOBS - j->index) * 20000L}, NULL);
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, NULL, &now);
    j->term_blocked = sigismember(&now, SIGTERM) == 1;
    j->worker = *(int *)ctx;
    j->done = true;
}

static void test_jobs_back_in_order(void **state)
{
    (void)state;
    int ids[WORKERS] = {0, 1, 2, 3};
    void *ctxs[WORKERS] = {&ids[0], &ids[1], &ids[2], &ids[3]};
    const size_t max_jobs = 2 * WORKERS + 1;
    struct lgn_pool *p = lgn_pool_new(WORKERS, run_job, ctxs, max_jobs);
    assert_non_null(p);
    static struct job jobs[JOBS];
    unsigned next_back = 0, used = 0;
    for (unsigned i = 0; i < JOBS; i++) {
        if (lgn_pool_in_flight(p) == max_jobs) {
            struct job *j = lgn_pool_take(p);
            assert_non_null(j);
            assert_int_equal(j->index, next_back++);
            assert_true(j->done);
        }
        jobs[i] = (struct job){.index = i, .worker = -1};
        lgn_pool_submit(p, &jobs[i]);
    }
    struct job *j;
    while ((j = lgn_pool_take(p)) != NULL) {
        assert_int_equal(j->index, next_back++);
        assert_true(j->done);
    }
    assert_int_equal(next_back, JOBS);
    assert_int_equal(lgn_pool_in_flight(p), 0);
    for (unsigned i = 0; i < JOBS; i++) {
        assert_true(jobs[i].term_blocked);
        assert_in_range(jobs[i].worker, 0, WORKERS - 1);
        used |= 1u << jobs[i].worker;
    }
    assert_true(__builtin_popcount(used) >= 2); /* the work was spread */
    lgn_pool_free(p);
}

static void test_free_finishes_jobs_in_flight(void **state)
{
    (void)state;
    int id = 0;
    void *ctxs[1] = {&id};
    struct lgn_pool *p = lgn_pool_new(1, run_job, ctxs, 4);
    assert_non_null(p);
    struct job jobs[3];
    for (unsigned i = 0; i < 3; i++) {
        jobs[i] = (struct job){.index = i, .worker = -1};
        lgn_pool_submit(p, &jobs[i]);
    }
    lgn_pool_free(p); /* joins after the queued jobs ran */
    for (unsigned i = 0; i < 3; i++)
        assert_true(jobs[i].done);
    lgn_pool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_back_in_order),
        cmocka_unit_test(test_free_finishes_jobs_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
