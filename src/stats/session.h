/* session.h: open visits by visitor id with an idle timeout; closed visits are handed back and
 * freed. */
#ifndef LGN_SESSION_H
#define LGN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds a line may arrive out of time order and still join its visit:
 * a visit is closed only once the newest time seen is this far past its
 * timeout. */
#define LGN_SESSION_SLACK 120

/* One open visit. session.c keeps visitor, first, last, hits and the list
 * links; the fields marked "user" belong to the caller (stats.c), zeroed
 * when the visit opens. */
struct lgn_visit {
    uint64_t visitor;
    int64_t first, last; /* earliest and latest hit time, UTC seconds */
    uint32_t hits;
    /* user fields */
    uint32_t page_views;
    int64_t day;          /* local day number of the first hit */
    int64_t last_pv_time; /* time of the latest page view */
    int64_t pv_day;       /* local day of the latest page view */
    void *last_page;      /* row of the latest page view */
    void *rows[8];        /* rows the visit is counted in when it closes */
    /* list links, oldest activity first */
    struct lgn_visit *prev, *next;
};

/* Called for each visit as it closes, before it is freed. */
typedef void lgn_visit_close_fn(void *ctx, struct lgn_visit *v);

struct lgn_sessions;

/* timeout_s: the idle gap that ends a visit. NULL when out of memory.
 * Owned by the caller; lgn_sessions_free closes nothing (call
 * lgn_sessions_close_all first) and accepts NULL. */
struct lgn_sessions *lgn_sessions_new(int64_t timeout_s, lgn_visit_close_fn *on_close, void *ctx);
void lgn_sessions_free(struct lgn_sessions *s);

/* The visit that a hit of `visitor` at time t belongs to: the open one when
 * t is within the timeout of it (in either direction), else a new one (the
 * old one is closed first). Updates first/last/hits and closes visits idle
 * for longer than timeout + LGN_SESSION_SLACK before the newest time seen.
 * *is_new tells whether the visit just opened. NULL when out of memory. */
struct lgn_visit *lgn_sessions_hit(struct lgn_sessions *s, uint64_t visitor, int64_t t,
                                   bool *is_new);

/* Closes every open visit (end of input). */
void lgn_sessions_close_all(struct lgn_sessions *s);

/* Visits open now, and the most ever open at once. */
size_t lgn_sessions_open(const struct lgn_sessions *s);
size_t lgn_sessions_peak(const struct lgn_sessions *s);

#endif
