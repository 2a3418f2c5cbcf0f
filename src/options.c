/* options.c: every option, how it is parsed and validated, and its help line. */
#include "options.h"

#include "conffile.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int bad_choice(const char *opt, const char *v, const char *const *choices,
                      struct lgn_err *err)
{
    char list[120] = "";
    size_t n = 0;
    for (int i = 0; choices[i] != NULL && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, " %s", choices[i]);
    return lgn_err_set(err, LGN_EXIT_USAGE, "--%s: '%s' is not one of:%s", opt, v, list);
}

/* Index of v in choices, or -1 with err filled. */
static int choose(const char *opt, const char *v, const char *const *choices, struct lgn_err *err)
{
    for (int i = 0; choices[i] != NULL; i++)
        if (strcmp(v, choices[i]) == 0)
            return i;
    return bad_choice(opt, v, choices, err);
}

static int number(const char *opt, const char *v, unsigned long max, unsigned *out,
                  struct lgn_err *err)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n > max || v[0] == '-' || v[0] == '+')
        return lgn_err_set(err, LGN_EXIT_USAGE, "--%s wants a number from 0 to %lu, not '%s'", opt,
                           max, v);
    *out = (unsigned)n;
    return 0;
}

/* A flag: on the command line value is NULL (on); in a config file yes/no. */
static int flag(const char *opt, const char *v, bool *out, struct lgn_err *err)
{
    static const char *const yes_no[] = {"yes", "no", "true", "false", "on", "off", NULL};
    if (v == NULL) {
        *out = true;
        return 0;
    }
    int i = choose(opt, v, yes_no, err);
    if (i < 0)
        return -1;
    *out = i % 2 == 0;
    return 0;
}

static int set_output(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->output = v;
    return 0;
}

static int set_gzip(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("gzip", v, &c->gzip, err);
}

static int set_line_buffered(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("line-buffered", v, &c->line_buffered, err);
}

static int set_threads(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return number("threads", v, 64, &c->threads, err);
}

static int set_format(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->format = v;
    return 0;
}

static int set_apache_format(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->apache_format = v;
    return 0;
}

static int set_nginx_format(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->nginx_format = v;
    return 0;
}

static int set_ip_mode(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const modes[] = {"truncate", "hash", "cryptopan", NULL};
    int i = choose("ip-mode", v, modes, err);
    if (i < 0)
        return -1;
    c->anon.mode = (enum lgn_ip_mode)i;
    return 0;
}

static int set_v4_prefix(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return number("ipv4-prefix", v, 32, &c->anon.v4_prefix, err);
}

static int set_v6_prefix(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return number("ipv6-prefix", v, 128, &c->anon.v6_prefix, err);
}

static int set_ip_format(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const formats[] = {"address", "token", NULL};
    int i = choose("ip-format", v, formats, err);
    if (i < 0)
        return -1;
    c->anon.format = (enum lgn_ip_format)i;
    return 0;
}

static int set_key_file(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->anon.key_file = v;
    return 0;
}

static int set_key_rotate(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const whens[] = {"none", "daily", NULL};
    int i = choose("key-rotate", v, whens, err);
    if (i < 0)
        return -1;
    c->anon.rotate_daily = i == 1;
    return 0;
}

static int set_bad_lines(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const policies[] = {"scrub", "drop", "fail", NULL};
    int i = choose("bad-lines", v, policies, err);
    if (i < 0)
        return -1;
    c->bad_lines = (enum lgn_bad_policy)i;
    return 0;
}

static int set_filters(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->filters_dir = v;
    return 0;
}

/* Repeatable: each --filter adds a file. */
static int set_filter(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    if (c->n_filter_files == LGN_MAX_FILTER_FILES)
        return lgn_err_set(err, LGN_EXIT_USAGE, "--filter: at most %d files (use --filters DIR)",
                           LGN_MAX_FILTER_FILES);
    c->filter_files[c->n_filter_files++] = v;
    return 0;
}

static int set_no_filters(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("no-filters", v, &c->no_filters, err);
}

static int set_query(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const modes[] = {"scrub", "drop", NULL};
    int i = choose("query", v, modes, err);
    if (i < 0)
        return -1;
    c->drop_query = i == 1;
    return 0;
}

static int set_keep_params(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->keep_params = v;
    return 0;
}

static int set_search_terms(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    static const char *const modes[] = {"scrub", "drop", NULL};
    int i = choose("search-terms", v, modes, err);
    if (i < 0)
        return -1;
    c->drop_search = i == 1;
    return 0;
}

static int set_search_params(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->search_params = v;
    return 0;
}

static int set_keep_cookies(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->keep_cookies = v;
    return 0;
}

static int set_explain_format(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("explain-format", v, &c->explain_format, err);
}

static int set_in_place(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("in-place", v, &c->in_place, err);
}

/* -c is read before the other options (see main.c); here it only has to be valid. */
static int set_config(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)c, (void)v, (void)err;
    return 0;
}

static int set_stats_json(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->stats_json = v;
    return 0;
}

static int set_stats_html(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->stats_html = v;
    return 0;
}

static int set_stats_csv(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->stats_csv = v;
    return 0;
}

static int set_text(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("text", v, &c->stats_text, err);
}

static int set_min_visitors(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    if (number("min-visitors", v, 1000000, &c->min_visitors, err) != 0 || c->min_visitors == 0)
        return lgn_err_set(err, LGN_EXIT_USAGE,
                           "--min-visitors wants a number from 1 to 1000000, not '%s'", v);
    return 0;
}

static int set_visit_timeout(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    unsigned s;
    if (number("visit-timeout", v, 7 * 86400, &s, err) != 0)
        return -1;
    if (s == 0)
        return lgn_err_set(err, LGN_EXIT_USAGE, "--visit-timeout must be at least 1 second");
    c->visit_timeout = s;
    return 0;
}

static int set_reorder_window(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    unsigned s = 0;
    if (number("reorder-window", v, 86400, &s, err) != 0)
        return -1;
    c->reorder_window = s;
    return 0;
}

static int set_partial(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("partial", v, &c->partial, err);
}

static int set_bot_list(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->bot_list = v;
    return 0;
}

static int set_input_host(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    if (v[0] == '\0' || strlen(v) > 253)
        return lgn_err_set(err, LGN_EXIT_USAGE, "--input-host wants a host name");
    c->input_host = v;
    return 0;
}

static int set_assets(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->assets = v;
    return 0;
}

static int set_site_host(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->site_host = v;
    return 0;
}

static int set_geoip(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->geoip = v;
    return 0;
}

static int set_ua_regexes(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->ua_regexes = v;
    return 0;
}

static int set_top(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return number("top", v, 100000, &c->top, err);
}

static int set_progress(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("progress", v, &c->progress, err);
}

static int set_quiet(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("quiet", v, &c->quiet, err);
}

static int set_source(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return number("source", v, 1000000000, &c->hits_source, err);
}

static int set_from_hits(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    return flag("from-hits", v, &c->from_hits, err);
}

/* "I/N": partition I of N (0 <= I < N <= LGN_REPORT_MAX_PARTS). */
static int set_partition(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    char *slash, *end;
    errno = 0;
    unsigned long i = strtoul(v, &slash, 10), n = 0;
    bool ok = errno == 0 && v[0] >= '0' && v[0] <= '9' && *slash == '/' && slash[1] >= '0' &&
              slash[1] <= '9';
    if (ok) {
        n = strtoul(slash + 1, &end, 10);
        ok = errno == 0 && *end == '\0' && n > 0 && n <= LGN_REPORT_MAX_PARTS && i < n;
    }
    if (!ok)
        return lgn_err_set(err, LGN_EXIT_USAGE,
                           "--partition wants I/N with 0 <= I < N <= %d, not '%s'",
                           LGN_REPORT_MAX_PARTS, v);
    c->part_index = (unsigned)i;
    c->part_count = (unsigned)n;
    return 0;
}

static int set_fold_as(struct lgn_config *c, const char *v, struct lgn_err *err)
{
    (void)err;
    c->fold_as = v;
    return 0;
}

static const struct lgn_option table[] = {
    {"output", 'o', LGN_OPT_VALUE, "FILE",
     "append to FILE instead of writing to stdout;\ngzip when FILE ends in .gz", "Input and output",
     set_output},
    {"in-place", 0, LGN_OPT_FLAG, NULL, "rewrite each FILE itself, atomically (as lognym rotate)",
     "Input and output", set_in_place},
    {"gzip", 0, LGN_OPT_FLAG, NULL, "gzip the output", "Input and output", set_gzip},
    {"line-buffered", 0, LGN_OPT_FLAG, NULL, "flush every line (automatic for pipes and terminals)",
     "Input and output", set_line_buffered},
    {"threads", 'j', LGN_OPT_VALUE, "N",
     "worker threads (default 0: one per core, at most 8; 1: none);\nthe output keeps the input's "
     "order",
     "Input and output", set_threads},
    {"format", 'f', LGN_OPT_VALUE, "NAME", "auto (default: detect from the lines) or a preset",
     "Log format", set_format},
    {"apache-format", 0, LGN_OPT_VALUE, "STR",
     "an Apache LogFormat string, e.g. '%h %l %u %t \\\"%r\\\" %>s %b'", "Log format",
     set_apache_format},
    {"nginx-format", 0, LGN_OPT_VALUE, "STR",
     "an nginx log_format string, e.g. '$remote_addr - ...'", "Log format", set_nginx_format},
    {"list-formats", 0, LGN_OPT_ACTION, NULL, "list the presets and their format strings",
     "Log format", NULL},
    {"explain-format", 0, LGN_OPT_FLAG, NULL,
     "print each field of the format in force (detected from the\nfirst lines when not given) "
     "with how it is anonymised, and exit",
     "Log format", set_explain_format},
    {"ip-mode", 'm', LGN_OPT_VALUE, "MODE", "truncate (default), hash or cryptopan", "Addresses",
     set_ip_mode},
    {"ipv4-prefix", 0, LGN_OPT_VALUE, "BITS", "bits of IPv4 kept by truncate (default 24)",
     "Addresses", set_v4_prefix},
    {"ipv6-prefix", 0, LGN_OPT_VALUE, "BITS", "bits of IPv6 kept by truncate (default 48)",
     "Addresses", set_v6_prefix},
    {"ip-format", 0, LGN_OPT_VALUE, "FORMAT", "hash mode output: address (default) or token",
     "Addresses", set_ip_format},
    {"key-file", 'k', LGN_OPT_VALUE, "FILE",
     "32-byte key (raw or 64 hex digits), mode 0600;\nwithout it, a random key lives only in "
     "memory",
     "Addresses", set_key_file},
    {"key-rotate", 0, LGN_OPT_VALUE, "WHEN", "none (default) or daily: one key per log day",
     "Addresses", set_key_rotate},
    {"filters", 0, LGN_OPT_VALUE, "DIR",
     "load the scrubbing rules from DIR/*.rules instead of\nthe default set (see lognym filters "
     "list)",
     "URLs and personal data", set_filters},
    {"filter", 0, LGN_OPT_VALUE, "FILE", "add the rules in FILE (repeatable)",
     "URLs and personal data", set_filter},
    {"no-filters", 0, LGN_OPT_FLAG, NULL, "no default rules: anonymise addresses only",
     "URLs and personal data", set_no_filters},
    {"query", 0, LGN_OPT_VALUE, "MODE", "scrub (default: by the rules) or drop every query string",
     "URLs and personal data", set_query},
    {"keep-params", 0, LGN_OPT_VALUE, "LIST",
     "drop every query parameter not in LIST (a,b,utm_*);\nthe kept ones are still scrubbed",
     "URLs and personal data", set_keep_params},
    {"search-terms", 0, LGN_OPT_VALUE, "MODE",
     "scrub (default: the detectors run on search terms,\nthe words stay) or drop (search "
     "parameters become\n[search]: for sites whose visitors search for people)",
     "URLs and personal data", set_search_terms},
    {"search-params", 0, LGN_OPT_VALUE, "LIST",
     "the search parameters for --search-terms drop\n(default: q,query,search,s,keyword,term,k)",
     "URLs and personal data", set_search_params},
    {"keep-cookies", 0, LGN_OPT_VALUE, "LIST",
     "cookies whose values stay (a,b,consent_*); every other\ncookie value is replaced",
     "URLs and personal data", set_keep_cookies},
    {"bad-lines", 0, LGN_OPT_VALUE, "POLICY",
     "scrub (default: write with every address anonymised),\ndrop, or fail (stop with exit code "
     "1)",
     "Bad lines", set_bad_lines},
    {"stats", 0, LGN_OPT_VALUE, "FILE.json",
     "also write the statistics report (JSON) during the pass", "Statistics", set_stats_json},
    {"json", 0, LGN_OPT_VALUE, "FILE", "write the statistics report as JSON (same as --stats)",
     "Statistics", set_stats_json},
    {"html", 0, LGN_OPT_VALUE, "FILE", "write the statistics report as one HTML file", "Statistics",
     set_stats_html},
    {"csv", 0, LGN_OPT_VALUE, "DIR", "write the statistics tables as CSV files into DIR",
     "Statistics", set_stats_csv},
    {"text", 0, LGN_OPT_FLAG, NULL, "lognym merge: also write the text report to stdout",
     "Statistics", set_text},
    {"min-visitors", 0, LGN_OPT_VALUE, "K",
     "rows with fewer than K visitors fold into (other) (default 5)", "Statistics",
     set_min_visitors},
    {"visit-timeout", 0, LGN_OPT_VALUE, "SECONDS", "idle time that ends a visit (default 1800)",
     "Statistics", set_visit_timeout},
    {"reorder-window", 0, LGN_OPT_VALUE, "SECONDS",
     "how late a line may come and still take its place in its visit (default 60)", "Statistics",
     set_reorder_window},
    {"partial", 0, LGN_OPT_FLAG, NULL,
     "write a report for lognym merge: every row kept, not for publication", "Statistics",
     set_partial},
    {"bot-list", 0, LGN_OPT_VALUE, "FILE",
     "crawler-user-agents JSON list (default the installed one)", "Statistics", set_bot_list},
    {"input-host", 0, LGN_OPT_VALUE, "NAME",
     "the server the inputs were written on (default this machine's name)", "Statistics",
     set_input_host},
    {"assets", 0, LGN_OPT_VALUE, "LIST",
     "extensions and names that are not pages (+LIST adds to the default)", "Statistics",
     set_assets},
    {"site-host", 0, LGN_OPT_VALUE, "HOSTS", "the site's own host names, left out of referrers",
     "Statistics", set_site_host},
    {"geoip", 0, LGN_OPT_VALUE, "FILE.mmdb",
     "MaxMind database for countries (default: the ip-location-db\ncountry database when "
     "installed; none: no countries)",
     "Statistics", set_geoip},
    {"ua-regexes", 0, LGN_OPT_VALUE, "FILE",
     "ua-parser rules (default /usr/share/uap-core/regexes.yaml)", "Statistics", set_ua_regexes},
    {"top", 0, LGN_OPT_VALUE, "N", "rows shown per table in text and HTML reports", "Statistics",
     set_top},
    {"source", 0, LGN_OPT_VALUE, "N",
     "lognym hits: number the inputs from N in the records\n(their order where times tie)",
     "Hit records (lognym hits, lognym stats --from-hits)", set_source},
    {"from-hits", 0, LGN_OPT_FLAG, NULL,
     "lognym stats: the inputs are hit records; write a partial\nJSON report for lognym merge",
     "Hit records (lognym hits, lognym stats --from-hits)", set_from_hits},
    {"partition", 0, LGN_OPT_VALUE, "I/N",
     "with --from-hits: every visitor id modulo N is I (checked);\nreports of disjoint "
     "partitions merge exactly",
     "Hit records (lognym hits, lognym stats --from-hits)", set_partition},
    {"fold-as", 0, LGN_OPT_VALUE, "REPORT",
     "with --from-hits: fold the rows that REPORT (the merged report\nof every partition) "
     "folded; \"(other)\" counted exactly",
     "Hit records (lognym hits, lognym stats --from-hits)", set_fold_as},
    {"config", 'c', LGN_OPT_VALUE, "FILE",
     "read options from FILE first (default " LGN_DEFAULT_CONFIG
     " when present);\nthe command line overrides it",
     "Other", set_config},
    {"quiet", 'q', LGN_OPT_FLAG, NULL, "no summary, notices or progress line on stderr", "Other",
     set_quiet},
    {"progress", 0, LGN_OPT_FLAG, NULL,
     "show the progress line even when stderr is not a terminal\n(by default: shown on a "
     "terminal, for files of known size)",
     "Other", set_progress},
    {"help", 'h', LGN_OPT_ACTION, NULL, "show this help", "Other", NULL},
    {"version", 'V', LGN_OPT_ACTION, NULL, "show the version", "Other", NULL},
};

const struct lgn_option *lgn_options(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const struct lgn_option *lgn_option_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}
