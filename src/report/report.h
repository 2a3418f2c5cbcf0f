/* report.h: the statistics report as data (summary, tables, sketches), with
 * k-suppression, merging, and the writers (JSON, text, CSV, HTML). */
#ifndef LGN_REPORT_H
#define LGN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "hll.h"

/* The JSON schema this code writes and reads (docs/stats.md). */
#define LGN_REPORT_SCHEMA "lognym-stats"
#define LGN_REPORT_VERSION 1

/* K: rows with fewer distinct visitors are folded into "(other)". */
#define LGN_REPORT_DEFAULT_K 5
/* The label of the folded row in every table. */
#define LGN_REPORT_OTHER "(other)"

#define LGN_REPORT_MAXV 7

/* Most visitor partitions a report can be one of (lognym-dask). */
#define LGN_REPORT_MAX_PARTS 4096

/* Counters of the whole input. Names (JSON keys) in lgn_report_sum_names. */
enum lgn_sum_id {
    LGN_S_HITS,       /* parsed request lines, bots included */
    LGN_S_BOT_HITS,   /* of which from bots */
    LGN_S_BYTES,      /* response bytes, bots included */
    LGN_S_BOT_BYTES,  /* of which to bots */
    LGN_S_PAGE_VIEWS, /* page views (every one is in a visit) */
    LGN_S_VISITS,     /* visits with at least one page view */
    LGN_S_BOUNCES,    /* visits with exactly one page view */
    LGN_S_VISIT_HITS, /* hits (actions) in those visits */
    LGN_S_DURATION,   /* sum of visit durations, seconds */
    LGN_S_TOP_N,      /* page views with a successor: time-on-page samples */
    LGN_S_TOP_TOTAL,  /* sum of those times on page, seconds */
    LGN_S_EXITS,      /* page views without a successor, left out of time on page */
    LGN_S_COUNT
};
extern const char *const lgn_report_sum_names[LGN_S_COUNT];

/* Figures derived from the counters (JSON summary keys in lgn_report_derived_names). */
enum lgn_sumd_id {
    LGN_SD_BOUNCE_RATE,  /* bounces / visits, in [0, 1] */
    LGN_SD_AVG_TOP,      /* mean time on page, s */
    LGN_SD_MEDIAN_TOP,   /* median time on page, s (from the histogram) */
    LGN_SD_AVG_DURATION, /* mean visit duration, s */
    LGN_SD_PAGES_PER_VISIT,
    LGN_SD_ACTIONS_PER_VISIT,
    LGN_SD_COUNT
};
extern const char *const lgn_report_derived_names[LGN_SD_COUNT];

enum lgn_table_id {
    LGN_T_DAYS,
    LGN_T_HOURS,
    LGN_T_PAGES,
    LGN_T_ENTRY_PAGES,
    LGN_T_EXIT_PAGES,
    LGN_T_REFERRERS,
    LGN_T_COUNTRIES,
    LGN_T_DEVICES,
    LGN_T_OS,
    LGN_T_BROWSERS,
    LGN_T_STATUS,
    LGN_T_STATUS_CLASSES,
    LGN_T_BOTS,
    LGN_T_REQUESTS,
    LGN_T_WEEKDAYS,  /* key: ISO weekday, 1 Monday .. 7 Sunday */
    LGN_T_NOT_FOUND, /* 404 hits by path */
    LGN_T_CAMPAIGNS, /* visits by "utm_source / utm_medium / utm_campaign" */
    LGN_T_COUNT
};

/* A column computed from two counters: num / den (0 when den is 0). */
struct lgn_table_derived {
    const char *name;
    unsigned num, den;
};

/* The shape of one table: key columns, counter columns, derived columns. */
struct lgn_table_def {
    const char *name;  /* JSON member and CSV file name */
    const char *title; /* for the text and HTML reports */
    unsigned nkeys;
    const char *keys[2];
    bool key_numeric[2]; /* written as a JSON number (hour, status code) */
    unsigned nvals;
    const char *vals[LGN_REPORT_MAXV];
    unsigned nderived;
    struct lgn_table_derived derived[2];
    bool by_key;        /* a series: sorted by key, not by vals[0] descending */
    unsigned hll_p;     /* precision of the per-row visitor sketch */
    unsigned exact_cap; /* visitors counted exactly up to this many per row (0: always) */
    bool folds;         /* rows with fewer than K visitors fold (they could single
                           someone out); series and coarse classes never do */
};
extern const struct lgn_table_def lgn_table_defs[LGN_T_COUNT];

struct lgn_report_row {
    char *key[2]; /* owned; key[1] is NULL for one-key tables; NULL/NULL for "(other)" */
    uint64_t v[LGN_REPORT_MAXV];
    uint64_t visitors; /* distinct visitors (exact in one run up to exact_cap) */
    bool estimated;    /* visitors is a sketch's estimate, not an exact count */
    uint64_t *keys;    /* owned, in memory only: a run's exact visitor ids of a row that
                          may fold, so "(other)" is counted exactly too; NULL otherwise */
    size_t nkeys;
    char *hll; /* owned, may be NULL: the visitors as a mergeable sketch, in the
                  base64 form of hll.h (compact: decoded only to merge); NULL with
                  keys in a run's row that folds (its ids join the sketch of "(other)") */
};

struct lgn_report_table {
    struct lgn_report_row *rows;
    size_t n, cap;
    bool has_other;
    struct lgn_report_row other; /* the "(other)" row when has_other */
};

/* A report id and an input id: 32 lower-case hex digits (128 bits of SHA-256). */
#define LGN_REPORT_ID_LEN 32

/* One input a report was made from: an id derived from what the run saw of
 * it (hits, bytes, first and last time, server), never from its contents, so
 * the same file read twice has the same id; the server it was written on;
 * the period of its dated hits. */
struct lgn_report_input {
    char id[LGN_REPORT_ID_LEN + 1];
    char *host;    /* owned */
    uint64_t hits; /* lines counted (an input without any is never "shared") */
    bool has_time;
    int64_t first_time, last_time;
};

/* A whole report. Owned by whoever made it; lgn_report_free frees it all. */
struct lgn_report {
    unsigned min_visitors;          /* K applied */
    int64_t visit_timeout_s;        /* the visit definition used */
    int64_t reorder_window_s;       /* how late a line could be and still take its place */
    char *assets;                   /* the asset list used (owned) */
    char *site_hosts;               /* own host names excluded from referrers, or NULL (owned) */
    unsigned inputs;                /* 1 for a run; the number of reports merged */
    bool partial;                   /* --partial: every row kept, for lognym merge only */
    char id[LGN_REPORT_ID_LEN + 1]; /* lgn_report_set_id; "" when none */
    struct lgn_report_input *in;    /* the inputs read (owned) */
    size_t n_in;
    bool has_time;
    int64_t first_time, last_time; /* UTC seconds of the first and last dated hit */
    int first_tz, last_tz;         /* their time zones in the log, minutes east of UTC */
    char *geo_db;                  /* the country database: "name (built YYYY-MM-DD)", or NULL */
    uint64_t sum[LGN_S_COUNT];
    uint64_t visitors;            /* distinct visitors with a page view */
    bool visitors_estimated;      /* true after merge: from the sketch */
    struct lgn_hll *visitors_hll; /* owned, may be NULL */
    /* A report over visitor partitions (stats --from-hits --partition): it
     * counts the visitors whose id modulo parts is a bit set in held. 0: not
     * a partition. Reports over disjoint partitions of the same N merge
     * exactly: their visitor sets are disjoint. */
    unsigned parts;
    uint64_t held[LGN_REPORT_MAX_PARTS / 64];
    uint64_t *top_hist; /* top_hist[s]: time-on-page samples of s seconds (owned) */
    size_t top_hist_n;  /* entries in top_hist */
    struct lgn_report_table t[LGN_T_COUNT];
};

/* An empty report; NULL when out of memory. */
struct lgn_report *lgn_report_new(void);
void lgn_report_free(struct lgn_report *r);

/* Appends a row (keys copied; k1 NULL for one-key tables). NULL when out of memory. */
struct lgn_report_row *lgn_report_add_row(struct lgn_report_table *t, const char *k0,
                                          const char *k1);
/* Adds n samples of s seconds to the time-on-page histogram. 0 or -1 (memory). */
int lgn_report_add_top(struct lgn_report *r, uint64_t s, uint64_t n);

/* A derived summary figure. */
double lgn_report_summary(const struct lgn_report *r, enum lgn_sumd_id id);
/* A derived column of a row (d indexes def->derived). */
double lgn_report_row_derived(const struct lgn_table_def *def, const struct lgn_report_row *row,
                              unsigned d);

/* Folds every row with fewer than k visitors into the table's "(other)" row
 * in the tables that fold (counters add, sketches merge, visitors estimated
 * from the merged sketch), records k, and sorts each table. A partial
 * report (r->partial) keeps every row: it only records k and sorts.
 * 0, or -1 when out of memory. */
int lgn_report_suppress(struct lgn_report *r, unsigned k, struct lgn_err *err);

/* Rows folded into a table's "(other)" one at a time, as lgn_report_suppress
 * folds them, without a report row each: a run that knows which of its rows
 * fold (fewer than K visitors) folds them as it exports (stats.c). Begin
 * once "(other)" holds what it holds before folding; the rows may come in
 * any order. */
struct lgn_report_fold {
    unsigned p;                  /* precision of the table's sketches */
    struct lgn_hll *acc;         /* "(other)"'s sketch and the rows', once one is folded */
    uint64_t v[LGN_REPORT_MAXV]; /* the rows' counters, summed */
    uint64_t vsum;               /* their visitors, summed (without sketches) */
    uint64_t *keys;              /* their visitor ids, for the exact count */
    size_t nkeys, cap, n;        /* n: rows folded */
    bool sketched, exact;        /* every row came with a sketch or ids; with ids */
    int rc;                      /* -1: out of memory or a malformed sketch */
};
/* 0, or -1 when "(other)"'s sketch cannot be read (out of memory). */
int lgn_report_fold_begin(struct lgn_report_fold *f, const struct lgn_table_def *def,
                          const struct lgn_report_table *t);
/* Folds a row: its nv counters, visitors, and its sketch (base64) or, NULL
 * then, its visitor ids (keys non-NULL even when nkeys is 0; NULL: unknown). */
void lgn_report_fold_add(struct lgn_report_fold *f, const uint64_t *v, unsigned nv,
                         uint64_t visitors, const char *hll, const uint64_t *keys, size_t nkeys);
/* Writes the folded rows into t's "(other)" and frees what f holds. 0, or
 * -1 when out of memory. */
int lgn_report_fold_finish(struct lgn_report_fold *f, struct lgn_report_table *t);

/* Folds, in the tables that fold, the rows `as` does not show into
 * "(other)" (`as`: the merged report over every visitor partition, which
 * decided what folds), counting "(other)" exactly from the rows' visitor ids;
 * takes K from `as` and sorts each table. The round after the merge in
 * lognym-dask: each partition's exact "(other)" visitors add up to those of
 * one run. 0, or -1 when out of memory. */
int lgn_report_fold_as(struct lgn_report *r, const struct lgn_report *as, struct lgn_err *err);

/* Adds `from` into `into`: counters add, sketches merge (visitors become
 * estimates), rows match on their keys, "(other)" rows add. Over disjoint
 * visitor partitions (parts), visitors add up exactly instead: a row's
 * count is the sum while that is within its table's exact_cap, else the
 * merged sketch's estimate, as one run over all the hits would count it.
 * Fails when the two used different visit timeouts or asset lists. Call
 * lgn_report_suppress afterwards. */
int lgn_report_merge(struct lgn_report *into, const struct lgn_report *from, struct lgn_err *err);

/* Report ids, inputs and overlaps (report_id.c). */

/* The id of an input from what a run saw of it. */
void lgn_report_input_id(uint64_t hits, uint64_t bytes, bool has_time, int64_t first, int64_t last,
                         const char *host, char out[LGN_REPORT_ID_LEN + 1]);
/* Appends an input (host copied). 0 or -1 (memory). */
int lgn_report_add_input(struct lgn_report *r, const struct lgn_report_input *in);
/* Sets r->id from its settings and its inputs' ids. 0 or -1 (library failure). */
int lgn_report_set_id(struct lgn_report *r);
/* Refuses to merge `from` into `into` when they share an input (the same
 * report twice, or two reports of one log). 0 or -1 with err. */
int lgn_report_check_distinct(const struct lgn_report *into, const struct lgn_report *from,
                              struct lgn_err *err);
/* When inputs from different servers overlap in time, writes a warning
 * naming them into msg (visit figures are then upper bounds) and returns
 * true. */
bool lgn_report_overlap(const struct lgn_report *r, char *msg, size_t msgsz);

/* "YYYY-MM-DDTHH:MM:SSZ" of a UTC time into out[21]. */
void lgn_report_iso_time(int64_t t, char out[21]);

/* "YYYY-MM-DDTHH:MM:SS+HH:MM" of a UTC time in a zone tz minutes east, into out[26]. */
void lgn_report_local_time(int64_t t, int tz, char out[26]);
/* Parses that form (or ...Z) into *t and *tz: 0, or -1 when malformed. */
int lgn_report_parse_local_time(const char *s, int64_t *t, int *tz);
/* A column name in words for people: "page_views" -> "page views". */
const char *lgn_report_label(const char *name);

/* Figures for people: "1,234,567"; "1.2 MB" (powers of 1000); "2m 05s", "12.3 s". */
void lgn_report_fmt_count(uint64_t n, char *out, size_t cap);
void lgn_report_fmt_bytes(uint64_t b, char *out, size_t cap);
void lgn_report_fmt_duration(double s, char *out, size_t cap);
/* A numeric key (hour, weekday, status code) as an int; -1 when it is not one. */
int lgn_report_key_int(const char *k);

/* "YYYY-MM-DD" of a day number (days since 1970-01-01) into out[11]. */
void lgn_report_date(int64_t day, char out[11]);
/* Day number of "YYYY-MM-DD" into *day: 0, or -1 when malformed. */
int lgn_report_parse_date(const char *s, int64_t *day);

#endif
