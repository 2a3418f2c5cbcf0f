/* test_report.c: unit tests for the report writers (JSON, text, CSV, HTML), the JSON reader, and
 * merge. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "report_write.h"
#include "stats.h"
#include "statsmerge.h"
#include "testutil.h"

#define T0 1709251200 /* 2024-03-01T00:00:00Z */

/* Secret visitor ids: none may appear in any output, in any base. */
static uint64_t vid(uint64_t i)
{
    return 0xfeedface00000000ULL + i * 0x100000001ULL;
}

/* A run: `n` visitors from `first`, each viewing /, then /p<i % 3> 30 s later,
 * from Google for even i; Android mobile for i % 4 == 0. */
static struct lgn_report *run(uint64_t first, uint64_t n, int64_t t0, unsigned k)
{
    struct lgn_stats_opts o = {0};
    o.min_visitors = k;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    for (uint64_t i = first; i < first + n; i++) {
        char path[8];
        snprintf(path, sizeof path, "/p%d", (int)(i % 3));
        struct lgn_hit h;
        memset(&h, 0, sizeof h);
        h.time = t0 + (int64_t)(i - first);
        h.visitor = vid(i);
        h.method = "GET";
        h.method_len = 3;
        h.status = 200;
        h.path = "/";
        h.path_len = 1;
        h.referrer = i % 2 == 0 ? "https://www.google.com/search?q=x" : "-";
        h.referrer_len = strlen(h.referrer);
        h.bytes = 1000;
        h.browser = i % 4 == 0 ? "Chrome Mobile" : "Firefox";
        h.browser_version = i % 4 == 0 ? "120" : "121";
        h.os = i % 4 == 0 ? "Android" : "Windows";
        h.os_version = i % 4 == 0 ? "14" : "10";
        h.device = i % 4 == 0 ? "mobile" : "desktop";
        memcpy(h.country, i % 5 == 0 ? "IR" : "SA", 3);
        assert_int_equal(lgn_stats_add(st, &h), 0);
        h.time += 30;
        h.path = path;
        h.path_len = strlen(path);
        h.referrer = "-";
        h.referrer_len = 1;
        assert_int_equal(lgn_stats_add(st, &h), 0);
    }
    /* One lonely visitor on a rare page (suppressed at k > 1) and a bot. */
    struct lgn_hit h;
    memset(&h, 0, sizeof h);
    h.time = t0 + 5;
    h.visitor = vid(999999);
    h.method = "GET";
    h.method_len = 3;
    h.status = 200;
    h.path = "/secret-rare-page";
    h.path_len = strlen(h.path);
    assert_int_equal(lgn_stats_add(st, &h), 0);
    h.is_bot = true;
    h.bot_family = "Googlebot";
    h.status = 404;
    assert_int_equal(lgn_stats_add(st, &h), 0);
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_non_null(r);
    lgn_stats_free(st);
    return r;
}

static void no_secrets(const char *text)
{
    char buf[64];
    for (uint64_t i = 0; i < 2000; i += 97) {
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)vid(i));
        assert_null(strstr(text, buf));
        snprintf(buf, sizeof buf, "%llx", (unsigned long long)vid(i));
        assert_null(strstr(text, buf));
    }
}

static void test_json_parses(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 100, T0, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("a.json"), 0, &err), 0);
    size_t n;
    char *text = tu_read_file(tu_path("a.json"), &n);
    no_secrets(text);
    assert_null(strstr(text, "secret-rare-page")); /* one visitor: folded */
    struct lgn_json *doc = lgn_json_parse(text, n, &err);
    if (doc == NULL)
        fail_msg("%s", err.msg);
    assert_string_equal(lgn_json_str(lgn_json_get(doc, "schema")), "lognym-stats");
    uint64_t u;
    assert_true(lgn_json_u64(lgn_json_get(doc, "version"), &u));
    assert_int_equal(u, 1);
    assert_true(lgn_json_u64(lgn_json_get(doc, "min_visitors"), &u));
    assert_int_equal(u, 5);
    const struct lgn_json *sum = lgn_json_get(doc, "summary");
    static const char *const keys[] = {"hits",
                                       "bot_hits",
                                       "page_views",
                                       "visits",
                                       "visitors",
                                       "bounce_rate",
                                       "avg_time_on_page_s",
                                       "median_time_on_page_s",
                                       "avg_visit_duration_s",
                                       "pages_per_visit",
                                       "actions_per_visit"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(lgn_json_get(sum, keys[i]));
    /* 100 visitors x 2 hits + 1 + 1 bot = 202 hits; 201 page views; 101 visits; 1 bounce. */
    assert_true(lgn_json_u64(lgn_json_get(sum, "hits"), &u));
    assert_int_equal(u, 202);
    assert_true(lgn_json_u64(lgn_json_get(sum, "page_views"), &u));
    assert_int_equal(u, 201);
    assert_true(lgn_json_u64(lgn_json_get(sum, "visitors"), &u));
    assert_int_equal(u, 101);
    double x;
    assert_true(lgn_json_double(lgn_json_get(sum, "bounce_rate"), &x));
    assert_true(fabs(x - 1.0 / 101) < 1e-6);
    assert_true(x >= 0 && x <= 1);
    assert_true(lgn_json_double(lgn_json_get(sum, "median_time_on_page_s"), &x));
    assert_true(x == 30);
    /* Tables with the named fields. */
    const struct lgn_json *days = lgn_json_get(doc, "days");
    assert_int_equal(days->type, LGN_JSON_ARRAY);
    assert_int_equal(days->n, 1);
    assert_string_equal(lgn_json_str(lgn_json_get(days->items[0], "date")), "2024-03-01");
    static const char *const dkeys[] = {"visits", "visitors", "page_views", "bounce_rate"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(lgn_json_get(days->items[0], dkeys[i]));
    const struct lgn_json *dev = lgn_json_get(doc, "devices");
    assert_int_equal(dev->n, 3); /* desktop, mobile, and (other) for the lonely visitor */
    assert_string_equal(lgn_json_str(lgn_json_get(dev->items[0], "type")), "desktop");
    assert_true(lgn_json_u64(lgn_json_get(dev->items[0], "visits"), &u));
    assert_int_equal(u, 75);
    const struct lgn_json *os = lgn_json_get(doc, "os");
    assert_string_equal(lgn_json_str(lgn_json_get(os->items[1], "family")), "Android");
    assert_string_equal(lgn_json_str(lgn_json_get(os->items[1], "version")), "14");
    const struct lgn_json *br = lgn_json_get(doc, "browsers");
    assert_string_equal(lgn_json_str(lgn_json_get(br->items[0], "family")), "Firefox");
    const struct lgn_json *ref = lgn_json_get(doc, "referrers");
    assert_string_equal(lgn_json_str(lgn_json_get(ref->items[0], "domain")), "(direct)");
    assert_true(lgn_json_u64(lgn_json_get(ref->items[0], "visits"), &u));
    assert_int_equal(u, 51); /* the visits that came with no referrer */
    assert_string_equal(lgn_json_str(lgn_json_get(ref->items[1], "domain")), "Google");
    assert_true(lgn_json_u64(lgn_json_get(ref->items[1], "visits"), &u));
    assert_int_equal(u, 50);
    const struct lgn_json *pages = lgn_json_get(doc, "pages");
    const struct lgn_json *last = pages->items[pages->n - 1];
    assert_int_equal(lgn_json_get(last, "other")->type, LGN_JSON_TRUE);
    assert_string_equal(lgn_json_str(lgn_json_get(last, "path")), "(other)");
    const struct lgn_json *status = lgn_json_get(doc, "status");
    assert_int_equal(lgn_json_get(status->items[0], "code")->type, LGN_JSON_NUMBER);
    assert_non_null(lgn_json_get(doc, "countries"));
    assert_non_null(lgn_json_get(lgn_json_get(doc, "sketches"), "visitors"));
    lgn_json_free(doc);
    free(text);
    lgn_report_free(r);
}

static void test_json_roundtrip(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 60, T0, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("r.json"), 0, &err), 0);
    struct lgn_report *b = lgn_statsmerge_load(tu_path("r.json"), &err);
    if (b == NULL)
        fail_msg("%s", err.msg);
    assert_memory_equal(r->sum, b->sum, sizeof r->sum);
    assert_int_equal(r->visitors, b->visitors);
    assert_int_equal(r->first_time, b->first_time);
    assert_int_equal(r->last_time, b->last_time);
    assert_int_equal(r->min_visitors, b->min_visitors);
    assert_string_equal(r->assets, b->assets);
    assert_true(lgn_report_summary(r, LGN_SD_MEDIAN_TOP) ==
                lgn_report_summary(b, LGN_SD_MEDIAN_TOP));
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        assert_int_equal(r->t[ti].n, b->t[ti].n);
        assert_int_equal(r->t[ti].has_other, b->t[ti].has_other);
        for (size_t i = 0; i < r->t[ti].n; i++) {
            assert_string_equal(r->t[ti].rows[i].key[0], b->t[ti].rows[i].key[0]);
            assert_memory_equal(r->t[ti].rows[i].v, b->t[ti].rows[i].v, sizeof r->t[ti].rows[i].v);
            assert_int_equal(r->t[ti].rows[i].visitors, b->t[ti].rows[i].visitors);
        }
    }
    /* Writing what was read gives the same bytes. */
    assert_int_equal(lgn_report_save(b, LGN_REPORT_JSON, tu_path("r2.json"), 0, &err), 0);
    char *x = tu_read_file(tu_path("r.json"), NULL), *y = tu_read_file(tu_path("r2.json"), NULL);
    assert_string_equal(x, y);
    free(x);
    free(y);
    lgn_report_free(b);
    lgn_report_free(r);
}

/*
 * Merge: day 1 with visitors 0..599, day 2 with 400..999 (400 return).
 * Counts add; visitors come from the sketches: about 1000 (+ the two lonely
 * visitors, one per day, with the same id: 1001), not 1202.
 */
static void test_merge(void **state)
{
    (void)state;
    struct lgn_report *a = run(0, 600, T0, 5), *b = run(400, 600, T0 + 86400, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_save(a, LGN_REPORT_JSON, tu_path("d1.json"), 0, &err), 0);
    assert_int_equal(lgn_report_save(b, LGN_REPORT_JSON, tu_path("d2.json"), 0, &err), 0);
    const char *paths[] = {tu_path("d1.json"), tu_path("d2.json")};
    struct lgn_report *m = lgn_statsmerge(paths, 2, 0, false, &err);
    if (m == NULL)
        fail_msg("%s", err.msg);
    for (unsigned i = 0; i < LGN_S_COUNT; i++)
        assert_int_equal(m->sum[i], a->sum[i] + b->sum[i]);
    print_message("merged visitors: %llu (exact 1001)\n", (unsigned long long)m->visitors);
    assert_true(m->visitors_estimated);
    assert_true(m->visitors >= 981 && m->visitors <= 1021);
    assert_int_equal(m->inputs, 2);
    assert_int_equal(m->first_time, a->first_time);
    assert_int_equal(m->last_time, b->last_time);
    assert_int_equal(m->t[LGN_T_DAYS].n, 2);
    assert_true(lgn_report_summary(m, LGN_SD_MEDIAN_TOP) == 30);
    /* Rows add by key; their visitors merge through the sketches (/ : about 1000). */
    const struct lgn_report_table *p = &m->t[LGN_T_PAGES];
    assert_string_equal(p->rows[0].key[0], "/");
    assert_int_equal(p->rows[0].v[0], 1200);
    assert_true(p->rows[0].visitors > 950 && p->rows[0].visitors < 1050);
    /* "(other)" rows add. */
    assert_true(p->has_other);
    assert_int_equal(p->other.v[0], 2);
    /* K is kept, and a larger K asked for at merge applies. */
    assert_int_equal(m->min_visitors, 5);
    lgn_report_free(m);
    m = lgn_statsmerge(paths, 2, 500, false, &err);
    assert_int_equal(m->min_visitors, 500);
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++)
        for (size_t i = 0; i < m->t[ti].n && lgn_table_defs[ti].folds; i++)
            assert_true(m->t[ti].rows[i].visitors >= 500);
    lgn_report_free(m);
    lgn_report_free(a);
    lgn_report_free(b);
}

static void test_merge_errors(void **state)
{
    (void)state;
    struct lgn_err err;
    struct lgn_stats_opts o = {0};
    o.visit_timeout_s = 600;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    struct lgn_report *r = lgn_stats_report(st, &err);
    lgn_stats_free(st);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("t600.json"), 0, &err), 0);
    lgn_report_free(r);
    r = run(0, 10, T0, 5);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("t1800.json"), 0, &err), 0);
    lgn_report_free(r);
    const char *p1[] = {tu_path("t1800.json"), tu_path("t600.json")};
    assert_null(lgn_statsmerge(p1, 2, 0, false, &err));
    assert_non_null(strstr(err.msg, "visit timeouts"));
    assert_non_null(strstr(err.msg, "t600.json"));
    const char *p2[] = {tu_path("t1800.json"), tu_path("missing.json")};
    assert_null(lgn_statsmerge(p2, 2, 0, false, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_INPUT);
    tu_write_text(tu_path("bad.json"), "{\"schema\": \"something-else\", \"version\": 1}");
    const char *p3[] = {tu_path("bad.json")};
    assert_null(lgn_statsmerge(p3, 1, 0, false, &err));
    assert_non_null(strstr(err.msg, "not a lognym report"));
    tu_write_text(tu_path("v2.json"), "{\"schema\": \"lognym-stats\", \"version\": 2}");
    const char *p4[] = {tu_path("v2.json")};
    assert_null(lgn_statsmerge(p4, 1, 0, false, &err));
    assert_non_null(strstr(err.msg, "version 2"));
    tu_write_text(tu_path("trunc.json"),
                  "{\"schema\": \"lognym-stats\", \"version\": 1, \"summary\": {");
    const char *p5[] = {tu_path("trunc.json")};
    assert_null(lgn_statsmerge(p5, 1, 0, false, &err));
    assert_null(lgn_statsmerge(p5, 0, 0, false, &err));
}

static void test_text(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 100, T0, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_TEXT, tu_path("r.txt"), 5, &err), 0);
    char *t = tu_read_file(tu_path("r.txt"), NULL);
    assert_non_null(strstr(t, "fewer than 5 distinct visitors"));
    assert_non_null(strstr(t, "bounce rate"));
    assert_non_null(strstr(t, "unique visitors     101"));
    assert_non_null(strstr(t, "Google"));
    assert_non_null(strstr(t, "(other)"));
    no_secrets(t);
    free(t);
    lgn_report_free(r);
}

/* Keys with control bytes or markup cannot break the terminal, HTML or CSV. */
static void test_hostile_keys(void **state)
{
    (void)state;
    struct lgn_report *r = lgn_report_new();
    struct lgn_report_row *row =
        lgn_report_add_row(&r->t[LGN_T_PAGES], "/\x1b[31m<script>alert(1)</script>\"\xff", NULL);
    row->v[0] = 9;
    row->visitors = 9;
    row = lgn_report_add_row(&r->t[LGN_T_REFERRERS], "=HYPERLINK(\"x\")", NULL);
    row->visitors = 9;
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_TEXT, tu_path("h.txt"), 0, &err), 0);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_HTML, tu_path("h.html"), 0, &err), 0);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("h.json"), 0, &err), 0);
    assert_int_equal(lgn_report_write_csv(r, tu_path("hcsv"), &err), 0);
    char *t = tu_read_file(tu_path("h.txt"), NULL);
    assert_null(strchr(t, '\x1b'));
    free(t);
    t = tu_read_file(tu_path("h.html"), NULL);
    assert_null(strstr(t, "<script"));
    assert_non_null(strstr(t, "&lt;script&gt;"));
    free(t);
    size_t n;
    t = tu_read_file(tu_path("h.json"), &n);
    struct lgn_json *doc = lgn_json_parse(t, n, &err); /* invalid UTF-8 replaced: still valid */
    assert_non_null(doc);
    lgn_json_free(doc);
    free(t);
    t = tu_read_file(tu_path("hcsv/referrers.csv"), NULL);
    assert_non_null(strstr(t, "\"'=HYPERLINK(\"\"x\"\")\""));
    free(t);
    lgn_report_free(r);
}

/* A folded row of a numeric-key table: null in JSON, empty in CSV, flagged
 * by "other" in both; never the string "(other)" in a number column. */
static void test_typed_other(void **state)
{
    (void)state;
    struct lgn_report *r = lgn_report_new();
    struct lgn_report_row *row = lgn_report_add_row(&r->t[LGN_T_HOURS], "9", NULL);
    row->v[0] = 7;
    row->visitors = 7;
    r->t[LGN_T_HOURS].has_other = true;
    r->t[LGN_T_HOURS].other.v[0] = 3;
    r->t[LGN_T_HOURS].other.visitors = 2;
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("typed.json"), 0, &err), 0);
    assert_int_equal(lgn_report_write_csv(r, tu_path("typed"), &err), 0);
    size_t n;
    char *t = tu_read_file(tu_path("typed.json"), &n);
    struct lgn_json *doc = lgn_json_parse(t, n, &err);
    assert_non_null(doc);
    const struct lgn_json *hours = lgn_json_get(doc, "hours");
    assert_int_equal(hours->n, 2);
    assert_int_equal(lgn_json_get(hours->items[0], "hour")->type, LGN_JSON_NUMBER);
    assert_null(lgn_json_get(hours->items[0], "other"));
    assert_int_equal(lgn_json_get(hours->items[1], "hour")->type, LGN_JSON_NULL);
    assert_int_equal(lgn_json_get(hours->items[1], "other")->type, LGN_JSON_TRUE);
    lgn_json_free(doc);
    free(t);
    t = tu_read_file(tu_path("typed/hours.csv"), NULL);
    assert_non_null(strstr(t, "\r\n9,7,0,0,0,7,false,false\r\n,3,0,0,0,2,false,true\r\n"));
    assert_null(strstr(t, "(other)"));
    free(t);
    lgn_report_free(r);
}

static void test_csv(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 100, T0, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_write_csv(r, tu_path("csv"), &err), 0);
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        char name[64];
        snprintf(name, sizeof name, "csv/%s.csv", lgn_table_defs[ti].name);
        char *t = tu_read_file(tu_path(name), NULL);
        assert_true(t[0] == '"');
        no_secrets(t);
        free(t);
    }
    char *t = tu_read_file(tu_path("csv/summary.csv"), NULL);
    assert_non_null(strstr(t, "\"min_visitors\",5\r\n"));
    assert_non_null(strstr(t, "\"visitors\",101\r\n"));
    free(t);
    t = tu_read_file(tu_path("csv/os.csv"), NULL);
    assert_non_null(
        strstr(t, "\"family\",\"version\",\"visits\",\"page_views\",\"visitors\",\"estimated\","
                  "\"other\"\r\n"));
    assert_non_null(strstr(t, "\"Windows\",\"10\",75,150,75,false,false\r\n"));
    free(t);
    assert_int_equal(lgn_report_write_csv(r, "/nonexistent/dir/x", &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_OUTPUT);
    lgn_report_free(r);
}

static void test_html(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 100, T0, 5);
    struct lgn_report *r2 = run(0, 50, T0 + 86400, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_merge(r, r2, &err), 0);
    assert_int_equal(lgn_report_suppress(r, 5, &err), 0);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_HTML, tu_path("r.html"), 0, &err), 0);
    char *t = tu_read_file(tu_path("r.html"), NULL);
    assert_true(strncmp(t, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(t, "</html>"));
    /* Self-contained: no script, no external reference. */
    assert_null(strstr(t, "<script"));
    assert_null(strstr(t, "http:"));
    assert_null(strstr(t, "https:"));
    assert_null(strstr(t, "src="));
    assert_null(strstr(t, "href="));
    /* Charts: hours (a one-day report), weekdays, devices, OS, browsers, referrers. */
    const char *p = t;
    int svgs = 0;
    while ((p = strstr(p, "<svg")) != NULL) {
        svgs++;
        p++;
    }
    assert_true(svgs >= 5);
    assert_non_null(strstr(t, "Device types"));
    assert_non_null(strstr(t, "Operating systems"));
    assert_non_null(strstr(t, "Browsers"));
    assert_non_null(strstr(t, "Referrers (visits)"));
    assert_non_null(strstr(t, "<figure id=\"chart-hours\">")); /* one day: by hour */
    assert_non_null(strstr(t, "id=\"k\">5<"));
    no_secrets(t);
    free(t);
    lgn_report_free(r);
    lgn_report_free(r2);
}

/* The HTML page in a real headless Chromium (Debian package chromium): it
 * loads, nothing is refused by its Content-Security-Policy, the figures show. */
static void test_html_chromium(void **state)
{
    (void)state;
    if (system("command -v chromium >/dev/null 2>&1") != 0) {
        print_message("chromium is missing (Debian package chromium): skipped\n");
        skip();
    }
    struct lgn_report *r = run(0, 100, T0, 5);
    struct lgn_err err;
    assert_int_equal(lgn_report_save(r, LGN_REPORT_HTML, tu_path("c.html"), 0, &err), 0);
    lgn_report_free(r);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
             "--user-data-dir='%s/chromium' --enable-logging=stderr --v=0 --dump-dom "
             "'file://%s' >'%s' 2>'%s'",
             tu_tmpdir(), tu_path("c.html"), tu_path("dom.html"), tu_path("chromium.err"));
    assert_int_equal(system(cmd), 0);
    char *dom = tu_read_file(tu_path("dom.html"), NULL);
    char *log = tu_read_file(tu_path("chromium.err"), NULL);
    assert_null(strstr(log, "Refused to"));
    assert_null(strstr(log, "Uncaught"));
    /* The DOM as Chromium built it holds the summary figures and the charts. */
    assert_non_null(strstr(dom, "<h1>lognym statistics</h1>"));
    assert_non_null(strstr(dom, "id=\"visits\">101<"));
    assert_non_null(strstr(dom, "id=\"unique-visitors\">101<"));
    assert_non_null(strstr(dom, "id=\"page-views\">201<"));
    assert_non_null(strstr(dom, "id=\"bounce-rate\">1.0%<"));
    assert_non_null(strstr(dom, "<figure id=\"chart-hours\">"));
    assert_non_null(strstr(dom, "Google"));
    free(dom);
    free(log);
}

static void test_save_atomic(void **state)
{
    (void)state;
    struct lgn_report *r = run(0, 10, T0, 5);
    struct lgn_err err;
    tu_write_text(tu_path("keep.json"), "old");
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, "/nonexistent/x.json", 0, &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_OUTPUT);
    assert_int_equal(lgn_report_save(r, LGN_REPORT_JSON, tu_path("keep.json"), 0, &err), 0);
    char *t = tu_read_file(tu_path("keep.json"), NULL);
    assert_true(t[0] == '{');
    free(t);
    lgn_report_free(r);
}

static void test_json_reader(void **state)
{
    (void)state;
    struct lgn_err err;
    static const char *const good[] = {
        "0",
        "-0",
        "1.5e3",
        "true",
        "null",
        "\"\"",
        "[]",
        "{}",
        " [1, [2, {\"a\": null}]] ",
        "\"\\u00e9\\ud83d\\ude00\\n\"",
        "\xef\xbb\xbf{}",
        "18446744073709551615",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct lgn_json *v = lgn_json_parse(good[i], strlen(good[i]), &err);
        if (v == NULL)
            fail_msg("%s: %s", good[i], err.msg);
        lgn_json_free(v);
    }
    static const char *const badj[] = {
        "",         "01",           "1.",    "-",       ".5",          "[1,]",        "{\"a\":1,}",
        "{a:1}",    "[1 2]",        "\"abc", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\t\"",
        "\"\xff\"", "\"\xc0\xaf\"", "[1]x",  "tru",     "{\"a\"}",     "nul",         "\"\\u12\"",
        "[\"\\",
    };
    for (size_t i = 0; i < sizeof badj / sizeof badj[0]; i++) {
        struct lgn_json *v = lgn_json_parse(badj[i], strlen(badj[i]), &err);
        if (v != NULL)
            fail_msg("accepted bad JSON #%zu: %s", i, badj[i]);
    }
    /* Depth limit. */
    char deep[600];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    assert_null(lgn_json_parse(deep, 600, &err));
    assert_non_null(strstr(err.msg, "deep"));
    /* Values decoded. */
    const char *s = "{\"a\": \"\\u00e9\\ud83d\\ude00\", \"n\": 18446744073709551615, \"m\": -1, "
                    "\"f\": 2.5, \"a\": 1}";
    struct lgn_json *v = lgn_json_parse(s, strlen(s), &err);
    assert_non_null(v);
    assert_string_equal(lgn_json_str(lgn_json_get(v, "a")), "\xc3\xa9\xf0\x9f\x98\x80");
    uint64_t u;
    assert_true(lgn_json_u64(lgn_json_get(v, "n"), &u));
    assert_true(u == UINT64_MAX);
    assert_false(lgn_json_u64(lgn_json_get(v, "m"), &u));
    assert_false(lgn_json_u64(lgn_json_get(v, "f"), &u));
    assert_null(lgn_json_get(v, "zz"));
    lgn_json_free(v);
    /* Errors say where. */
    assert_null(lgn_json_parse("{\n  \"a\": tru }", 14, &err));
    assert_non_null(strstr(err.msg, "2:"));
    lgn_json_free(NULL);
}

static void test_dates(void **state)
{
    (void)state;
    char d[11], t[21];
    lgn_report_date(0, d);
    assert_string_equal(d, "1970-01-01");
    lgn_report_date(19783, d);
    assert_string_equal(d, "2024-03-01");
    lgn_report_date(19782, d);
    assert_string_equal(d, "2024-02-29");
    lgn_report_iso_time(T0 + 3723, t);
    assert_string_equal(t, "2024-03-01T01:02:03Z");
    int64_t day;
    assert_int_equal(lgn_report_parse_date("2024-02-29", &day), 0);
    assert_int_equal(day, 19782);
    for (int64_t x = -1000; x < 30000; x += 7) {
        lgn_report_date(x, d);
        assert_int_equal(lgn_report_parse_date(d, &day), 0);
        assert_int_equal(day, x);
    }
    assert_int_equal(lgn_report_parse_date("2024-13-01", &day), -1);
    assert_int_equal(lgn_report_parse_date("2024-1-01", &day), -1);
    /* saved period times: what lgn_report_local_time writes reads back */
    for (int tz = -720; tz <= 840; tz += 45) {
        char lt[26];
        int64_t back;
        int zone;
        lgn_report_local_time(T0 + 3723 + tz, tz, lt);
        assert_int_equal(lgn_report_parse_local_time(lt, &back, &zone), 0);
        assert_int_equal(back, T0 + 3723 + tz);
        assert_int_equal(zone, tz);
    }
    int64_t tt;
    int zz;
    assert_int_equal(lgn_report_parse_local_time("2024-03-01T01:02:03Z", &tt, &zz), 0);
    assert_int_equal(tt, T0 + 3723);
    assert_int_equal(lgn_report_parse_local_time("2024-03-01T25:02:03Z", &tt, &zz), -1);
    assert_int_equal(lgn_report_parse_local_time("2024-13-01T01:02:03Z", &tt, &zz), -1);
    assert_int_equal(lgn_report_parse_local_time("2024-03-01 01:02:03Z", &tt, &zz), -1);
    assert_int_equal(lgn_report_parse_local_time("2024-03-01T01:02:03", &tt, &zz), -1);
    assert_int_equal(lgn_report_parse_local_time("2024-03-01T01:02:03+01:00x", &tt, &zz), -1);
}

/* Visitors 0..n-1 whose id modulo parts is part (parts 0: all): each views
 * "/" and one of `pages` rare pages, most of which end up under K. A
 * partition's report is partial and, with fold_as, folds as that report did. */
static struct lgn_report *partition_run(uint64_t n, unsigned pages, unsigned parts, unsigned part,
                                        const struct lgn_report *fold_as)
{
    struct lgn_stats_opts o = {0};
    o.partial = parts != 0;
    o.fold_ids = fold_as != NULL;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    for (uint64_t i = 0; i < n; i++) {
        if (parts != 0 && vid(i) % parts != part)
            continue;
        char path[16];
        snprintf(path, sizeof path, "/r%u",
                 (unsigned)(((i + 1) * 0x9e3779b97f4a7c15ULL >> 40) % pages));
        struct lgn_hit h;
        memset(&h, 0, sizeof h);
        h.time = T0 + (int64_t)i;
        h.visitor = vid(i);
        h.method = "GET";
        h.method_len = 3;
        h.status = 200;
        h.path = "/";
        h.path_len = 1;
        h.referrer = "-";
        h.referrer_len = 1;
        assert_int_equal(lgn_stats_add(st, &h), 0);
        h.time += 10;
        h.path = path;
        h.path_len = strlen(path);
        assert_int_equal(lgn_stats_add(st, &h), 0);
    }
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_non_null(r);
    lgn_stats_free(st);
    if (fold_as != NULL)
        assert_int_equal(lgn_report_fold_as(r, fold_as, &err), 0);
    if (parts != 0) {
        r->parts = parts;
        r->held[part / 64] |= UINT64_C(1) << (part % 64);
    }
    return r;
}

/* Partition reports merged, through JSON as lognym-dask hands them over. */
static struct lgn_report *merge_parts(struct lgn_report **r, unsigned parts)
{
    const char *paths[8];
    struct lgn_err err;
    for (unsigned p = 0; p < parts; p++) {
        char name[32];
        snprintf(name, sizeof name, "part%u.json", p);
        paths[p] = tu_path(name);
        assert_int_equal(lgn_report_save(r[p], LGN_REPORT_JSON, paths[p], 0, &err), 0);
    }
    struct lgn_report *m = lgn_statsmerge(paths, parts, 0, false, &err);
    if (m == NULL)
        fail_msg("%s", err.msg);
    return m;
}

/* The second round of lognym-dask: partitions fold what the merged report
 * folded and count "(other)" exactly; merged, every "(other)" equals one
 * run's, also beyond the rows' exact range (4,096). */
static void test_fold_as(void **state)
{
    (void)state;
    const uint64_t n = 12000;
    const unsigned pages = 5000, parts = 3;
    struct lgn_report *one = partition_run(n, pages, 0, 0, NULL);
    const struct lgn_report_table *po = &one->t[LGN_T_PAGES];
    assert_true(po->has_other && !po->other.estimated && po->other.visitors > 4096);
    assert_true(po->n > 10); /* rows at K or more stay */
    struct lgn_report *r[3];
    for (unsigned p = 0; p < parts; p++)
        r[p] = partition_run(n, pages, parts, p, NULL);
    struct lgn_report *m = merge_parts(r, parts); /* first round: what folds */
    assert_true(m->t[LGN_T_PAGES].other.estimated);
    for (unsigned p = 0; p < parts; p++) {
        lgn_report_free(r[p]);
        r[p] = partition_run(n, pages, parts, p, m);
        assert_true(r[p]->t[LGN_T_PAGES].has_other);
        assert_false(r[p]->t[LGN_T_PAGES].other.estimated);
    }
    struct lgn_report *f = merge_parts(r, parts);
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_report_table *a = &one->t[ti], *b = &f->t[ti];
        assert_int_equal(a->n, b->n);
        assert_int_equal(a->has_other, b->has_other);
        for (size_t i = 0; i < a->n; i++) {
            assert_string_equal(a->rows[i].key[0], b->rows[i].key[0]);
            assert_int_equal(a->rows[i].visitors, b->rows[i].visitors);
        }
        if (a->has_other) {
            assert_int_equal(a->other.visitors, b->other.visitors);
            assert_int_equal(a->other.estimated, b->other.estimated);
            assert_memory_equal(a->other.v, b->other.v, sizeof a->other.v);
            assert_string_equal(a->other.hll, b->other.hll);
        }
    }
    assert_int_equal(f->visitors, one->visitors);
    print_message("(other) of pages: %llu visitors, exact after the second round\n",
                  (unsigned long long)f->t[LGN_T_PAGES].other.visitors);
    for (unsigned p = 0; p < parts; p++)
        lgn_report_free(r[p]);
    lgn_report_free(f);
    lgn_report_free(m);
    lgn_report_free(one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parses), cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_merge),       cmocka_unit_test(test_merge_errors),
        cmocka_unit_test(test_text),        cmocka_unit_test(test_hostile_keys),
        cmocka_unit_test(test_csv),         cmocka_unit_test(test_typed_other),
        cmocka_unit_test(test_html),        cmocka_unit_test(test_html_chromium),
        cmocka_unit_test(test_save_atomic), cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_fold_as),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
