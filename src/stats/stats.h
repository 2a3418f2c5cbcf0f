/* stats.h: the statistics of one pass: hits in, visits and aggregates kept,
 * a k-suppressed report (report.h) out. Definitions: docs/stats.md. */
#ifndef LGN_STATS_H
#define LGN_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "report.h"

/* Default asset list: extensions, and whole file names (entries with a dot). */
#define LGN_STATS_DEFAULT_ASSETS                                                                   \
    "css,js,mjs,map,png,jpg,jpeg,gif,webp,avif,svg,ico,bmp,woff,woff2,ttf,otf,eot,mp3,mp4,webm,"   \
    "ogg,wav,robots.txt,favicon.ico"
#define LGN_STATS_DEFAULT_TIMEOUT 1800
#define LGN_STATS_DEFAULT_MAX_ROWS 100000

/* A hit without a usable time stamp: counted as a hit (status, bots, bytes),
 * left out of visits, days and hours. */
#define LGN_HIT_NO_TIME INT64_MIN

/* Whether a hit is a page view: decided by lgn_stats_add (the page-view test
 * of docs/stats.md), or already (lgn_stats_derive on a worker thread, or
 * where the hit record was written). */
enum lgn_hit_pv { LGN_PV_DERIVE, LGN_PV_YES, LGN_PV_NO };

/* One parsed line, filled by the pipeline. Every pointer is borrowed for the
 * duration of lgn_stats_add only; strings are (pointer, length) unless said
 * NUL-terminated. Nothing here may hold a raw IP, a raw user agent or an
 * unscrubbed URL. */
struct lgn_hit {
    int64_t time;      /* UTC unix seconds, or LGN_HIT_NO_TIME */
    unsigned input;    /* which of the run's inputs the line came from, 0-based */
    int tz_offset_min; /* the line's own UTC offset in minutes (+0330 -> 210), for days and hours */
    uint64_t visitor;  /* keyed hash of (raw IP, raw user agent); never output */
    const char *method;
    size_t method_len;
    int status; /* 0 when unknown */
    const char *path;
    size_t path_len; /* scrubbed request path; anything from '?' or '#' on is ignored */
    const char *referrer;
    size_t referrer_len; /* scrubbed Referer value (URL or bare host); "-" or empty: none */
    const char *host;
    size_t host_len; /* virtual host of the request (may carry ":port"); may be empty */
    uint64_t bytes;
    /* From the user-agent classification (ua.h), NUL-terminated, NULL or "" = unknown: */
    const char *browser;         /* family, e.g. "Chrome" */
    const char *browser_version; /* major, e.g. "120" */
    const char *os;              /* family, e.g. "Windows" */
    const char *os_version;      /* "major.minor" or "major", e.g. "10" */
    const char *device;          /* "desktop" "mobile" "tablet" "tv" "console" "wearable" "other" */
    bool is_bot;
    const char *bot_family; /* when is_bot, e.g. "Googlebot"; NULL or "" = "Other" */
    char country[3];        /* ISO 3166-1 alpha-2 from geo.h, or "" */
    /* Decided before lgn_stats_add (lgn_stats_derive, or a hit record's map step): */
    enum lgn_hit_pv pv;     /* LGN_PV_DERIVE (0): lgn_stats_add decides both fields */
    const char *ref_domain; /* NUL-terminated referring domain as reported ("" none),
                               holding no address (ipmask.h); read unless LGN_PV_DERIVE */
    uint64_t path_hash;     /* of the path as counted (lgn_stats_derive); 0: not known */
    size_t path_count_len;  /* 1 + the length of the path as counted (up to '?' or '#'),
                               from lgn_stats_derive; 0: not known */
};

struct lgn_stats_opts {
    int64_t visit_timeout_s;  /* idle gap that ends a visit; 0 = 1800 */
    int64_t reorder_window_s; /* how late a line may be and still take its place in its
                                 visit; 0 = LGN_SESSION_DEFAULT_WINDOW, negative = none */
    unsigned min_visitors;    /* K; 0 = LGN_REPORT_DEFAULT_K */
    const char *assets;       /* NULL = LGN_STATS_DEFAULT_ASSETS; "+a,b" adds to it */
    const char *site_hosts;   /* comma-separated own host names (referrers from them are
                                 internal); NULL = only each hit's own vhost */
    size_t max_rows;          /* rows per table before new keys go to "(other)"; 0 = default */
    bool partial;             /* keep every row (a report for lognym merge) */
    bool fold_ids;            /* partial, yet the rows under K keep their visitor ids
                                 (in memory) for lgn_report_fold_as */
    const char *input_host;   /* the server the inputs were written on (report sources) */
};

struct lgn_stats;

/* NULL on a bad option (err says which) or out of memory. Owned by the
 * caller; free with lgn_stats_free (accepts NULL). */
struct lgn_stats *lgn_stats_new(const struct lgn_stats_opts *opts, struct lgn_err *err);
void lgn_stats_free(struct lgn_stats *st);

/* Decides h->pv and h->ref_domain (written to dom, domsz >= 16) from the hit
 * alone, as lgn_stats_add would: a worker thread does it, so the thread that
 * counts need not. Reads only what lgn_stats_new set, so it may run on
 * another thread while this one counts. */
void lgn_stats_derive(const struct lgn_stats *st, struct lgn_hit *h, char *dom, size_t domsz);

/* Only a hint, for a run of hits derived (lgn_stats_derive) and counted in
 * turn: starts loading what counting h will read, in LGN_STATS_PREFETCH_STEPS
 * steps from far ahead to near, each reading what the one before loaded:
 * 0 its request row's bucket, 1 the row. Counts nothing. */
#define LGN_STATS_PREFETCH_STEPS 2
void lgn_stats_prefetch(const struct lgn_stats *st, const struct lgn_hit *h, int step);

/* Counts one hit. 0, or -1 when out of memory (the hit is then lost). */
int lgn_stats_add(struct lgn_stats *st, const struct lgn_hit *h);

/* Ends the input: closes every open visit and returns the report,
 * k-suppressed. Call once; afterwards only lgn_stats_free. Owned by the
 * caller (lgn_report_free). NULL when out of memory. */
struct lgn_report *lgn_stats_report(struct lgn_stats *st, struct lgn_err *err);

/* Visits open now and at most (for tests and the memory benchmark). */
size_t lgn_stats_open_visits(const struct lgn_stats *st);
size_t lgn_stats_peak_visits(const struct lgn_stats *st);

/* The page-view test of docs/stats.md, without the bot test. */
bool lgn_stats_is_page_view(const struct lgn_stats *st, const char *method, size_t method_len,
                            int status, const char *path, size_t path_len);

/* The referring domain of a Referer value as reported: lower case, port and
 * a leading "www." dropped, search engines grouped ("Google"), hosts that are
 * or hold an address or a pseudonym as "[ip]" (ipmask.h). Writes it NUL-terminated into out and
 * returns its length; returns 0 when there is none, or it is the site's own
 * host (vhost or a --site-host name), or it does not fit. */
size_t lgn_stats_referrer_domain(const struct lgn_stats *st, const char *ref, size_t ref_len,
                                 const char *vhost, size_t vhost_len, char *out, size_t outsz);

#endif
