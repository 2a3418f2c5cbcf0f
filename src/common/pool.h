/* pool.h: worker threads that take jobs in the order they were submitted and
 * hand them back, finished, in that same order (so output stays in input
 * order however the work is spread). */
#ifndef LGN_POOL_H
#define LGN_POOL_H

#include <stddef.h>

struct lgn_pool;

/* Runs one job on a worker; ctx is that worker's own context. */
typedef void (*lgn_pool_work)(void *ctx, void *job);

/* Starts n workers, worker i with ctxs[i]; at most max_jobs jobs in flight.
 * NULL when threads cannot be started (the caller then works alone). */
struct lgn_pool *lgn_pool_new(unsigned n, lgn_pool_work work, void *const *ctxs, size_t max_jobs);

/* Jobs submitted and not yet taken back with lgn_pool_take. */
size_t lgn_pool_in_flight(const struct lgn_pool *p);

/* Queues a job; the caller keeps in-flight jobs under max_jobs. */
void lgn_pool_submit(struct lgn_pool *p, void *job);

/* The oldest job in flight once it is finished (waiting for it), or NULL
 * when none is in flight. */
void *lgn_pool_take(struct lgn_pool *p);

/* Finishes the jobs in flight (their results are dropped by the caller),
 * stops and joins the workers. Accepts NULL. */
void lgn_pool_free(struct lgn_pool *p);

#endif
