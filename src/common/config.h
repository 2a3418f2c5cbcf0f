/* config.h: the run's settings, filled once from the command line, then read-only. */
#ifndef LGN_CONFIG_H
#define LGN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum lgn_ip_mode { LGN_IP_TRUNCATE, LGN_IP_HASH, LGN_IP_CRYPTOPAN };
enum lgn_ip_format { LGN_IPFMT_ADDRESS, LGN_IPFMT_TOKEN };

/* How addresses are anonymised (anon/anon.c). */
struct lgn_anon_opts {
    enum lgn_ip_mode mode;
    unsigned v4_prefix; /* truncate: bits kept, default 24 */
    unsigned v6_prefix; /* truncate: bits kept, default 48 */
    enum lgn_ip_format format;
    const char *key_file; /* NULL: a random key that lives only in memory */
    bool rotate_daily;    /* derive each log day's key from the master key */
};

enum lgn_bad_policy { LGN_BAD_SCRUB, LGN_BAD_DROP, LGN_BAD_FAIL };

#define LGN_MAX_FILTER_FILES 32

struct lgn_config {
    const char *output; /* NULL: stdout */
    bool gzip;
    bool line_buffered;
    unsigned threads;          /* worker threads; 0: one per core (at most 8), 1: none */
    const char *format;        /* preset name or "auto" */
    const char *apache_format; /* overrides format */
    const char *nginx_format;  /* overrides format */
    struct lgn_anon_opts anon;
    enum lgn_bad_policy bad_lines;
    bool quiet;
    bool progress; /* show the progress line even when stderr is not a terminal */
    bool in_place; /* rewrite the input files themselves (lognym rotate) */
    /* URL scrubbing (scrub.c, rules in filters/) */
    const char *filters_dir;                        /* --filters: replaces the default set */
    const char *filter_files[LGN_MAX_FILTER_FILES]; /* --filter, in the order given */
    size_t n_filter_files;
    bool no_filters;           /* no default set (--filter files still load) */
    bool drop_query;           /* --query drop */
    const char *keep_params;   /* --keep-params: allow-list of query parameters */
    const char *keep_cookies;  /* --keep-cookies: cookies whose values stay */
    bool explain_format;       /* --explain-format: print each field's policy and exit */
    bool drop_search;          /* --search-terms drop: search parameters become [search] */
    const char *search_params; /* --search-params: which those are (NULL: the default list) */
    /* statistics (ingest.c, stats.c): on when a report is asked for */
    const char *stats_json;   /* --stats / --json FILE */
    const char *stats_html;   /* --html FILE */
    const char *stats_csv;    /* --csv DIR */
    bool stats_text;          /* lognym stats: text summary on stdout */
    bool discard_output;      /* lognym stats: no anonymised log */
    unsigned min_visitors;    /* K: smaller rows fold into "(other)"; 0 = 5 */
    long long visit_timeout;  /* seconds; 0 = 1800 */
    long long reorder_window; /* seconds a line may be late; -1 = default (60) */
    bool partial;             /* a report for lognym merge: every row kept */
    const char *bot_list;     /* crawler-user-agents JSON; NULL = the installed one */
    const char *input_host;   /* the server the inputs come from; NULL = this machine */
    const char *assets;       /* asset extensions; NULL = the default list */
    const char *site_host;    /* own host names, excluded from referrers */
    const char *geoip;        /* MaxMind .mmdb for countries */
    const char *ua_regexes;   /* uap-core regexes.yaml; NULL = Debian's */
    unsigned top;             /* rows shown in text and HTML reports; 0 = default */
    /* lognym hits and stats --from-hits (hits.h, lognym-dask) */
    bool hits;            /* lognym hits: hit records on the output, no log */
    unsigned hits_source; /* --source: number of the first input in the records */
    bool from_hits;       /* stats --from-hits: the inputs are hit records */
    unsigned part_index;  /* --partition I/N: the visitors of partition I */
    unsigned part_count;  /* N; 0: no partition */
    const char *fold_as;  /* --fold-as REPORT: fold the rows REPORT folded (exact "(other)") */
    /* lognym audit (audit.h): the lines are scanned for personal data, not written */
    bool audit;
    bool audit_json;     /* the findings as JSON on stdout */
    char *const *inputs; /* "-" is stdin */
    size_t n_inputs;
};

void lgn_config_defaults(struct lgn_config *c);

#endif
