/* pool.c: an ordered pool of worker threads over a ring of jobs. */
#include "pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

struct slot {
    void *job;
    bool done;
};

struct lgn_pool {
    pthread_mutex_t lock;
    pthread_cond_t work_cv; /* a job was queued, or stop */
    pthread_cond_t done_cv; /* a job finished */
    struct slot *ring;
    size_t cap;
    size_t head, next,
        tail; /* oldest in flight, next for a worker, next free: head <= next <= tail */
    bool stop;
    lgn_pool_work work;
    unsigned n_threads;
    pthread_t *threads;
    struct worker {
        struct lgn_pool *pool;
        void *ctx;
    } * workers;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct lgn_pool *p = w->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->next == p->tail && !p->stop)
            pthread_cond_wait(&p->work_cv, &p->lock);
        if (p->next == p->tail)
            break; /* stopping, and nothing left to do */
        struct slot *s = &p->ring[p->next++ % p->cap];
        pthread_mutex_unlock(&p->lock);
        p->work(w->ctx, s->job);
        pthread_mutex_lock(&p->lock);
        s->done = true;
        pthread_cond_broadcast(&p->done_cv);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void stop_and_join(struct lgn_pool *p, unsigned started)
{
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(p->threads[i], NULL);
}

static void pool_release(struct lgn_pool *p)
{
    pthread_cond_destroy(&p->done_cv);
    pthread_cond_destroy(&p->work_cv);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p->threads);
    free(p->ring);
    free(p);
}

struct lgn_pool *lgn_pool_new(unsigned n, lgn_pool_work work, void *const *ctxs, size_t max_jobs)
{
    struct lgn_pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->ring = calloc(max_jobs, sizeof *p->ring);
    p->threads = calloc(n, sizeof *p->threads);
    p->workers = calloc(n, sizeof *p->workers);
    bool allocated = p->ring != NULL && p->threads != NULL && p->workers != NULL;
    bool lock = allocated && pthread_mutex_init(&p->lock, NULL) == 0;
    bool work_cv = lock && pthread_cond_init(&p->work_cv, NULL) == 0;
    bool done_cv = work_cv && pthread_cond_init(&p->done_cv, NULL) == 0;
    if (!done_cv) {
        if (work_cv)
            pthread_cond_destroy(&p->work_cv);
        if (lock)
            pthread_mutex_destroy(&p->lock);
        free(p->workers);
        free(p->threads);
        free(p->ring);
        free(p);
        return NULL;
    }
    p->cap = max_jobs;
    p->work = work;
    p->n_threads = n;
    /* Workers block every signal, so SIGINT/SIGTERM/SIGHUP reach the
     * reading thread and interrupt its wait for input. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    unsigned started = 0;
    while (started < n) {
        p->workers[started] = (struct worker){.pool = p, .ctx = ctxs[started]};
        if (pthread_create(&p->threads[started], NULL, worker_main, &p->workers[started]) != 0)
            break;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started < n) {
        stop_and_join(p, started);
        pool_release(p);
        return NULL;
    }
    return p;
}

size_t lgn_pool_in_flight(const struct lgn_pool *p)
{
    return p->tail - p->head; /* only the submitting thread changes these two */
}

void lgn_pool_submit(struct lgn_pool *p, void *job)
{
    pthread_mutex_lock(&p->lock);
    p->ring[p->tail % p->cap] = (struct slot){.job = job, .done = false};
    p->tail++;
    pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->lock);
}

void *lgn_pool_take(struct lgn_pool *p)
{
    pthread_mutex_lock(&p->lock);
    void *job = NULL;
    if (p->head != p->tail) {
        struct slot *s = &p->ring[p->head % p->cap];
        while (!s->done)
            pthread_cond_wait(&p->done_cv, &p->lock);
        job = s->job;
        p->head++;
    }
    pthread_mutex_unlock(&p->lock);
    return job;
}

void lgn_pool_free(struct lgn_pool *p)
{
    if (p == NULL)
        return;
    stop_and_join(p, p->n_threads);
    pool_release(p);
}
