/* session.h: visits rebuilt from hits that may arrive out of time order.
 *
 * Each active visitor keeps its recent hits in a small buffer sorted by
 * time. A hit is "settled" (handed to the caller, in time order) once the
 * log's newest time is more than the reorder window past it: a line up to
 * the window late still lands in its place. Settled hits form visits: a gap
 * longer than the timeout ends one. A visitor is closed once the log's time
 * is past its latest hit plus the timeout plus the window. */
#ifndef LGN_SESSION_H
#define LGN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LGN_SESSION_DEFAULT_WINDOW 60

/* One hit as the session keeps it: its time, a tie-breaker for hits in the
 * same second (so the order of the lines does not matter: stats.c uses the
 * hash of the path) and two caller pointers (stats.c: the page row, NULL
 * when the hit is not a page view, and the referrer row). */
struct lgn_visit_hit {
    int64_t time;
    uint64_t tie;
    void *page;
    void *ref;
    void *campaign; /* the page view's campaign row, or NULL */
};

/* The visit being built from a visitor's settled hits. session.c keeps
 * first, last and hits; the rest belongs to the caller and is zeroed when
 * a visit opens. */
struct lgn_visit {
    int64_t first, last; /* earliest and latest settled hit, UTC seconds */
    uint32_t hits;
    /* caller fields */
    uint32_t page_views;
    int64_t day;          /* local day number of the first hit */
    int64_t last_pv_time; /* time of the latest page view */
    void *last_page;      /* row of the latest page view */
    void *entry, *referrer;
    void *campaign; /* of the first page view */
};

/* One active visitor. */
struct lgn_visitor {
    uint64_t id;
    struct lgn_visit visit; /* hits == 0: none open */
    int64_t latest;         /* latest hit time seen, settled or not */
    /* caller fields, zeroed when the visitor becomes active */
    int tz_offset_min;
    bool any_pv;
    int64_t pv_day;
    void *rows[6];
    /* hits not settled yet: pend[pstart..npend), sorted by time */
    struct lgn_visit_hit *pend;
    uint32_t pstart, npend, pcap;
    struct lgn_visitor *prev, *next; /* by last activity, oldest first */
};

/* Called for each settled hit in time order (after visit first/last/hits
 * include it; visit.hits == 1 on a visit's first hit), and for each visit
 * as it closes. */
typedef void lgn_visit_hit_fn(void *ctx, struct lgn_visitor *who, const struct lgn_visit_hit *h);
typedef void lgn_visit_close_fn(void *ctx, struct lgn_visitor *who);

struct lgn_sessions;

/* timeout_s: the idle gap that ends a visit; window_s: how late a line may
 * be and still take its place (0: settled at once). NULL when out of
 * memory. lgn_sessions_free closes nothing (call lgn_sessions_close_all
 * first) and accepts NULL. */
struct lgn_sessions *lgn_sessions_new(int64_t timeout_s, int64_t window_s, lgn_visit_hit_fn *on_hit,
                                      lgn_visit_close_fn *on_close, void *ctx);
void lgn_sessions_free(struct lgn_sessions *s);

/* The active visitor `id`, made active when it is not (*is_new). NULL when
 * out of memory. Settles nothing: set caller fields, then lgn_sessions_add. */
struct lgn_visitor *lgn_sessions_visitor(struct lgn_sessions *s, uint64_t id, bool *is_new);

/* Adds a hit of `who`, settles what the window allows and closes visitors
 * idle long enough. A hit older than the visitor's settled hits (later than
 * the window) counts at the time of its latest settled hit. -1 when out of
 * memory (the hit is lost). */
int lgn_sessions_add(struct lgn_sessions *s, struct lgn_visitor *who,
                     const struct lgn_visit_hit *h);

/* Settles every hit and closes every visit (end of input). */
void lgn_sessions_close_all(struct lgn_sessions *s);

/* Active visitors now, and the most ever at once. */
size_t lgn_sessions_open(const struct lgn_sessions *s);
size_t lgn_sessions_peak(const struct lgn_sessions *s);

#endif
