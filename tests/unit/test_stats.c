/* test_stats.c: unit tests for the statistics definitions on hand-computed fixtures
 * (docs/stats.md). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "stats.h"

/* 2024-03-01T00:00:00Z */
#define T0 1709251200

/* Visitor ids as the pipeline would make them (keyed hashes): any 64-bit values. */
#define VA 0x1111111111111111ULL
#define VB 0x2222222222222222ULL
#define VC 0x3333333333333333ULL
#define VD 0x4444444444444444ULL
#define VE 0x5555555555555555ULL
#define VF 0x6666666666666666ULL

static struct lgn_hit hit(int64_t t, uint64_t visitor, const char *method, int status,
                          const char *path)
{
    struct lgn_hit h;
    memset(&h, 0, sizeof h);
    h.time = t;
    h.visitor = visitor;
    h.method = method;
    h.method_len = strlen(method);
    h.status = status;
    h.path = path;
    h.path_len = strlen(path);
    h.referrer = "-";
    h.referrer_len = 1;
    h.host = "example.com";
    h.host_len = 11;
    h.bytes = 100;
    h.browser = "Firefox";
    h.browser_version = "120";
    h.os = "Linux";
    h.os_version = "";
    h.device = "desktop";
    memcpy(h.country, "DE", 3);
    return h;
}

static struct lgn_stats *new_stats(unsigned k)
{
    struct lgn_stats_opts o = {0};
    o.min_visitors = k;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    return st;
}

static void add(struct lgn_stats *st, struct lgn_hit h)
{
    assert_int_equal(lgn_stats_add(st, &h), 0);
}

static const struct lgn_report_row *row(const struct lgn_report *r, unsigned ti, const char *k0,
                                        const char *k1)
{
    const struct lgn_report_table *t = &r->t[ti];
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].key[0], k0) == 0 &&
            (k1 == NULL || strcmp(t->rows[i].key[1], k1) == 0))
            return &t->rows[i];
    return NULL;
}

static bool near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/*
 * The main fixture (all times from T0, time zone +0000, K = 1):
 *
 *  A  +0     GET  /            200  page view 1 of visit A1
 *  A  +5     GET  /style.css   200  asset
 *  A  +10    GET  /about       200  page view 2 -> time on "/" = 10
 *  A  +70    POST /contact     200  page view 3 -> time on "/about" = 60
 *  A  +100   GET  /missing     404  not a page view (status); last hit of A1
 *  A  +1901  GET  /            200  1801 s idle > 1800: visit A2, a bounce
 *  B  +50    GET  /about       200  visit B1, page view 1
 *  B  +1850  GET  /about       304  exactly 1800 s later: same visit; time on "/about" = 1800
 *  B  +1860  HEAD /            200  not a page view (method); last hit of B1
 *  C  +200   GET  /favicon.ico 200  asset
 *  C  +210   GET  /robots.txt  200  asset: C has no page view, so no visit, not a visitor
 *  D  +300   GET  /            200  bot (Googlebot)
 *  D  +400   GET  /about       200  bot
 *  E  +500   GET  /search?q=x  200  page view of "/search": visit E1
 *  E  +510   GET  /img/LOGO.PNG 200 asset (extension case-insensitive): E1 is a bounce lasting 10 s
 *  F  +600   GET  /about       301  not a page view (status)
 *  F  +601   GET  /about/      200  page view: visit F1 (bounce)
 *  F  +602   DELETE /x         200  not a page view (method)
 *
 * hits 18, bot hits 2; page views: A 4, B 2, E 1, F 1 = 8
 * visits A1 A2 B1 E1 F1 = 5; bounces A2 E1 F1 = 3 -> bounce rate 0.6
 * visitors A B E F = 4
 * actions: A1 5 + A2 1 + B1 3 + E1 2 + F1 3 = 14 -> 2.8 per visit; pages per visit 8/5 = 1.6
 * durations: A1 100 + A2 0 + B1 1810 + E1 10 + F1 2 = 1922 -> mean 384.4 s
 * time on page samples: 10, 60, 1800 -> mean 623.33 s, median 60 s; exit page views 5
 *   (8 page views = 3 samples + 5 exits)
 */
static struct lgn_report *main_fixture(void)
{
    struct lgn_stats *st = new_stats(1);
    struct lgn_hit bot1 = hit(T0 + 300, VD, "GET", 200, "/");
    struct lgn_hit bot2 = hit(T0 + 400, VD, "GET", 200, "/about");
    bot1.is_bot = bot2.is_bot = true;
    bot1.bot_family = bot2.bot_family = "Googlebot";
    /* In time order, as a log would have them. */
    add(st, hit(T0 + 0, VA, "GET", 200, "/"));
    add(st, hit(T0 + 5, VA, "GET", 200, "/style.css"));
    add(st, hit(T0 + 10, VA, "GET", 200, "/about"));
    add(st, hit(T0 + 50, VB, "GET", 200, "/about"));
    add(st, hit(T0 + 70, VA, "POST", 200, "/contact"));
    add(st, hit(T0 + 100, VA, "GET", 404, "/missing"));
    add(st, hit(T0 + 200, VC, "GET", 200, "/favicon.ico"));
    add(st, hit(T0 + 210, VC, "GET", 200, "/robots.txt"));
    add(st, bot1);
    add(st, bot2);
    add(st, hit(T0 + 500, VE, "GET", 200, "/search?q=x"));
    add(st, hit(T0 + 510, VE, "GET", 200, "/img/LOGO.PNG"));
    add(st, hit(T0 + 600, VF, "GET", 301, "/about"));
    add(st, hit(T0 + 601, VF, "GET", 200, "/about/"));
    add(st, hit(T0 + 602, VF, "DELETE", 200, "/x"));
    add(st, hit(T0 + 1850, VB, "GET", 304, "/about"));
    add(st, hit(T0 + 1860, VB, "HEAD", 200, "/"));
    add(st, hit(T0 + 1901, VA, "GET", 200, "/"));
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_non_null(r);
    assert_null(lgn_stats_report(st, &err)); /* only once */
    lgn_stats_free(st);
    return r;
}

static void test_summary(void **state)
{
    (void)state;
    struct lgn_report *r = main_fixture();
    const uint64_t *s = r->sum;
    assert_int_equal(s[LGN_S_HITS], 18);
    assert_int_equal(s[LGN_S_BOT_HITS], 2);
    assert_int_equal(s[LGN_S_BYTES], 1800);
    assert_int_equal(s[LGN_S_BOT_BYTES], 200);
    assert_int_equal(s[LGN_S_PAGE_VIEWS], 8);
    assert_int_equal(s[LGN_S_VISITS], 5);
    assert_int_equal(s[LGN_S_BOUNCES], 3);
    assert_int_equal(s[LGN_S_VISIT_HITS], 14);
    assert_int_equal(s[LGN_S_DURATION], 1922);
    assert_int_equal(s[LGN_S_TOP_N], 3);
    assert_int_equal(s[LGN_S_TOP_TOTAL], 1870);
    assert_int_equal(s[LGN_S_EXITS], 5);
    assert_int_equal(r->visitors, 4);
    assert_false(r->visitors_estimated);
    assert_true(near(lgn_report_summary(r, LGN_SD_BOUNCE_RATE), 0.6));
    assert_true(near(lgn_report_summary(r, LGN_SD_PAGES_PER_VISIT), 1.6));
    assert_true(near(lgn_report_summary(r, LGN_SD_ACTIONS_PER_VISIT), 2.8));
    assert_true(near(lgn_report_summary(r, LGN_SD_AVG_DURATION), 384.4));
    assert_true(near(lgn_report_summary(r, LGN_SD_AVG_TOP), 1870.0 / 3));
    assert_true(near(lgn_report_summary(r, LGN_SD_MEDIAN_TOP), 60));
    assert_true(r->has_time);
    assert_int_equal(r->first_time, T0);
    assert_int_equal(r->last_time, T0 + 1901);
    assert_int_equal(r->min_visitors, 1);
    assert_int_equal(r->visit_timeout_s, 1800);
    lgn_report_free(r);
}

/*
 * Pages (views, visitors, time-on-page samples, total):
 *   /         A1, A2          2 views, 1 visitor, 1 sample (10 s)
 *   /about    A1, B1, B1      3 views, 2 visitors, 2 samples (60 + 1800 = 1860, mean 930)
 *   /contact  1 view, no sample (exit); /search 1; /about/ 1
 * Entry pages (visits, bounces): / 2 (A2 bounced), /about 1, /search 1 (1), /about/ 1 (1)
 * Exit pages: /contact (A1), / (A2), /about (B1), /search (E1), /about/ (F1): 1 each
 */
static void test_pages(void **state)
{
    (void)state;
    struct lgn_report *r = main_fixture();
    const struct lgn_report_row *p;
    assert_int_equal(r->t[LGN_T_PAGES].n, 5);
    p = row(r, LGN_T_PAGES, "/", NULL);
    assert_non_null(p);
    assert_int_equal(p->v[0], 2);
    assert_int_equal(p->visitors, 1);
    assert_int_equal(p->v[1], 1);
    assert_int_equal(p->v[2], 10);
    p = row(r, LGN_T_PAGES, "/about", NULL);
    assert_int_equal(p->v[0], 3);
    assert_int_equal(p->visitors, 2);
    assert_int_equal(p->v[1], 2);
    assert_int_equal(p->v[2], 1860);
    assert_true(near(lgn_report_row_derived(&lgn_table_defs[LGN_T_PAGES], p, 0), 930));
    p = row(r, LGN_T_PAGES, "/contact", NULL);
    assert_int_equal(p->v[0], 1);
    assert_int_equal(p->v[1], 0);
    assert_non_null(row(r, LGN_T_PAGES, "/search", NULL)); /* the query is not part of the page */
    assert_non_null(row(r, LGN_T_PAGES, "/about/", NULL));
    /* Most viewed first. */
    assert_string_equal(r->t[LGN_T_PAGES].rows[0].key[0], "/about");

    assert_int_equal(r->t[LGN_T_ENTRY_PAGES].n, 4);
    p = row(r, LGN_T_ENTRY_PAGES, "/", NULL);
    assert_int_equal(p->v[0], 2);
    assert_int_equal(p->v[1], 1);
    assert_true(near(lgn_report_row_derived(&lgn_table_defs[LGN_T_ENTRY_PAGES], p, 0), 0.5));
    p = row(r, LGN_T_ENTRY_PAGES, "/about", NULL);
    assert_int_equal(p->v[0], 1);
    assert_int_equal(p->v[1], 0);

    assert_int_equal(r->t[LGN_T_EXIT_PAGES].n, 5);
    static const char *const exits[] = {"/contact", "/", "/about", "/search", "/about/"};
    for (size_t i = 0; i < 5; i++) {
        p = row(r, LGN_T_EXIT_PAGES, exits[i], NULL);
        assert_non_null(p);
        assert_int_equal(p->v[0], 1);
    }
    lgn_report_free(r);
}

/*
 * Days: one day, 2024-03-01: hits 18, bot hits 2, bytes 1800, page views 8, visits 5,
 * bounces 3, visitors 4. Hours: all in hour 0.
 * Status: 200 x15, 301, 304, 404; classes 2xx 15, 3xx 2, 4xx 1.
 * Bots: Googlebot 2 hits, 1 visitor. Devices: desktop 5 visits, 8 page views, 4 visitors.
 */
static void test_tables(void **state)
{
    (void)state;
    struct lgn_report *r = main_fixture();
    const struct lgn_report_row *p;
    assert_int_equal(r->t[LGN_T_DAYS].n, 1);
    p = row(r, LGN_T_DAYS, "2024-03-01", NULL);
    assert_non_null(p);
    /* ua_ip_visitors: distinct ids over non-4xx hits, bots included: A B C D E F. */
    const uint64_t day[] = {18, 2, 1800, 8, 5, 3, 6};
    for (int i = 0; i < 7; i++)
        assert_int_equal(p->v[i], day[i]);
    assert_int_equal(p->visitors, 4);
    assert_true(near(lgn_report_row_derived(&lgn_table_defs[LGN_T_DAYS], p, 0), 0.6));
    assert_int_equal(r->t[LGN_T_HOURS].n, 1);
    p = row(r, LGN_T_HOURS, "0", NULL);
    assert_int_equal(p->v[0], 18);
    assert_int_equal(p->v[2], 8);

    assert_int_equal(row(r, LGN_T_STATUS, "200", NULL)->v[0], 15);
    assert_int_equal(row(r, LGN_T_STATUS, "301", NULL)->v[0], 1);
    assert_int_equal(row(r, LGN_T_STATUS, "304", NULL)->v[0], 1);
    assert_int_equal(row(r, LGN_T_STATUS, "404", NULL)->v[0], 1);
    assert_int_equal(row(r, LGN_T_STATUS, "200", NULL)->visitors, 5); /* people only: no bot */
    assert_int_equal(row(r, LGN_T_STATUS_CLASSES, "2xx", NULL)->v[0], 15);
    assert_int_equal(row(r, LGN_T_STATUS_CLASSES, "3xx", NULL)->v[0], 2);
    assert_int_equal(row(r, LGN_T_STATUS_CLASSES, "4xx", NULL)->v[0], 1);
    /* Series are sorted by key. */
    assert_string_equal(r->t[LGN_T_STATUS].rows[0].key[0], "200");
    assert_string_equal(r->t[LGN_T_STATUS].rows[3].key[0], "404");

    assert_int_equal(r->t[LGN_T_BOTS].n, 1);
    p = row(r, LGN_T_BOTS, "Googlebot", NULL);
    assert_int_equal(p->v[0], 2);
    assert_int_equal(p->v[1], 200);
    assert_int_equal(p->visitors, 1);

    p = row(r, LGN_T_DEVICES, "desktop", NULL);
    assert_int_equal(p->v[0], 5);
    assert_int_equal(p->v[1], 8);
    assert_int_equal(p->visitors, 4);
    p = row(r, LGN_T_OS, "Linux", "");
    assert_int_equal(p->v[0], 5);
    p = row(r, LGN_T_BROWSERS, "Firefox", "120");
    assert_int_equal(p->v[0], 5);
    p = row(r, LGN_T_COUNTRIES, "DE", NULL);
    assert_int_equal(p->v[0], 5);
    /* nobody came from elsewhere: every visit is direct */
    assert_int_equal(r->t[LGN_T_REFERRERS].n, 1);
    p = row(r, LGN_T_REFERRERS, "(direct)", NULL);
    assert_int_equal(p->v[0], r->sum[LGN_S_VISITS]);
    lgn_report_free(r);
}

/*
 * A visit belongs to the day of its first hit, in the log's own time zone.
 * G: 2024-03-01 23:50 UTC and 2024-03-02 00:05 UTC, both page views, one visit.
 *   +0000: visit on 03-01; page views 1 on each day; visitor G on both days; hours 23 and 0.
 *   -0100 (local 22:50 and 23:05): everything on 03-01, hours 22 and 23.
 *   +0330 (local 03:20 and 03:35 on 03-02): everything on 03-02, hour 3.
 */
/*
 * requests: every hit by path without the query string, bots, assets, every
 * method and status included: "/" A B D (4 hits), "/about" A B D F (5 hits),
 * nine paths with one hit each ("/search?q=x" as "/search"): 18 hits.
 * GoAccess's unique visitors per day: a visitor whose hits are all 4xx does
 * not count; a bot does.
 */
static void test_requests_and_ua_ip_visitors(void **state)
{
    (void)state;
    struct lgn_report *r = main_fixture();
    const struct lgn_report_table *t = &r->t[LGN_T_REQUESTS];
    assert_int_equal(t->n, 11);
    assert_false(t->has_other);
    uint64_t total = 0;
    for (size_t i = 0; i < t->n; i++)
        total += t->rows[i].v[0];
    assert_int_equal(total, 18);
    const struct lgn_report_row *p = row(r, LGN_T_REQUESTS, "/about", NULL);
    assert_non_null(p);
    assert_int_equal(p->v[0], 5);
    assert_int_equal(p->v[1], 500);
    assert_int_equal(p->visitors, 3); /* A B F: the bot D does not count towards K */
    assert_string_equal(t->rows[0].key[0], "/about"); /* most hits first */
    p = row(r, LGN_T_REQUESTS, "/", NULL);
    assert_int_equal(p->v[0], 4);
    assert_int_equal(p->visitors, 2);
    p = row(r, LGN_T_REQUESTS, "/search", NULL);
    assert_non_null(p);
    assert_int_equal(p->v[0], 1);
    assert_null(row(r, LGN_T_REQUESTS, "/search?q=x", NULL));
    assert_non_null(row(r, LGN_T_REQUESTS, "/missing", NULL));
    assert_non_null(row(r, LGN_T_REQUESTS, "/x", NULL));
    lgn_report_free(r);

    /* K = 2: "/about" (4 visitors) and "/" (3) stay, the rest fold. */
    struct lgn_stats *st = new_stats(2);
    const uint64_t who[] = {VA, VB, VC, VD};
    for (int i = 0; i < 4; i++) {
        add(st, hit(T0 + i, who[i], "GET", 200, "/about"));
        add(st, hit(T0 + 10 + i, who[i], "GET", i < 2 ? 404 : 200, i < 3 ? "/" : "/only-d"));
    }
    /* The next day: A's page view, C's 404 only, a bot. */
    struct lgn_hit bot = hit(T0 + 86400 + 20, VD, "GET", 200, "/");
    bot.is_bot = true;
    add(st, hit(T0 + 86400, VA, "GET", 200, "/"));
    add(st, hit(T0 + 86400 + 10, VC, "GET", 404, "/nope"));
    add(st, bot);
    add(st, hit(T0 + 86400 + 30, VA, "GET", 200, "/"));
    struct lgn_err err;
    r = lgn_stats_report(st, &err);
    assert_non_null(r);
    lgn_stats_free(st);
    assert_int_equal(row(r, LGN_T_REQUESTS, "/about", NULL)->v[0], 4);
    assert_int_equal(row(r, LGN_T_REQUESTS, "/", NULL)->v[0], 6);
    assert_null(row(r, LGN_T_REQUESTS, "/only-d", NULL));
    assert_true(r->t[LGN_T_REQUESTS].has_other);
    assert_int_equal(r->t[LGN_T_REQUESTS].other.v[0], 2); /* "/only-d", "/nope" */
    p = row(r, LGN_T_DAYS, "2024-03-01", NULL);
    assert_non_null(p);
    assert_int_equal(p->v[6], 4); /* A and B also had 200s */
    /* 2024-03-02 has one page-view visitor (< K): days never fold. */
    p = row(r, LGN_T_DAYS, "2024-03-02", NULL);
    assert_non_null(p);
    assert_false(r->t[LGN_T_DAYS].has_other);
    assert_int_equal(p->v[6], 2); /* A and the bot; not C (404 only) */
    lgn_report_free(r);
}

static void test_day_of_visit(void **state)
{
    (void)state;
    static const int tz[] = {0, -60, 210};
    for (int z = 0; z < 3; z++) {
        struct lgn_stats *st = new_stats(1);
        struct lgn_hit a = hit(T0 + 86400 - 600, VA, "GET", 200, "/a");
        struct lgn_hit b = hit(T0 + 86400 + 300, VA, "GET", 200, "/b");
        a.tz_offset_min = b.tz_offset_min = tz[z];
        add(st, a);
        add(st, b);
        struct lgn_err err;
        struct lgn_report *r = lgn_stats_report(st, &err);
        assert_int_equal(r->sum[LGN_S_VISITS], 1);
        const struct lgn_report_row *d1 = row(r, LGN_T_DAYS, "2024-03-01", NULL);
        const struct lgn_report_row *d2 = row(r, LGN_T_DAYS, "2024-03-02", NULL);
        if (z == 0) {
            assert_int_equal(d1->v[4], 1);
            assert_int_equal(d2->v[4], 0);
            assert_int_equal(d1->v[3], 1);
            assert_int_equal(d2->v[3], 1);
            assert_int_equal(d1->visitors, 1);
            assert_int_equal(d2->visitors, 1);
            assert_non_null(row(r, LGN_T_HOURS, "23", NULL));
            assert_non_null(row(r, LGN_T_HOURS, "0", NULL));
        } else if (z == 1) {
            assert_null(d2);
            assert_int_equal(d1->v[4], 1);
            assert_int_equal(d1->v[3], 2);
            assert_non_null(row(r, LGN_T_HOURS, "22", NULL));
            assert_non_null(row(r, LGN_T_HOURS, "23", NULL));
        } else {
            assert_null(d1);
            assert_int_equal(d2->v[4], 1);
            assert_int_equal(row(r, LGN_T_HOURS, "3", NULL)->v[0], 2);
        }
        /* Series come in key order. */
        if (z == 0) {
            assert_string_equal(r->t[LGN_T_HOURS].rows[0].key[0], "0");
            assert_string_equal(r->t[LGN_T_HOURS].rows[1].key[0], "23");
        }
        lgn_report_free(r);
        lgn_stats_free(st);
    }
}

static void test_page_view_rule(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    struct {
        const char *m;
        int status;
        const char *path;
        bool pv;
    } cases[] = {
        {"GET", 200, "/", true},
        {"POST", 201, "/form", true},
        {"GET", 204, "/x", true},
        {"GET", 299, "/x", true},
        {"GET", 304, "/x", true},
        {"GET", 300, "/x", false},
        {"GET", 199, "/x", false},
        {"GET", 404, "/x", false},
        {"GET", 500, "/x", false},
        {"HEAD", 200, "/x", false},
        {"PUT", 200, "/x", false},
        {"get", 200, "/x", false}, /* methods are case-sensitive */
        {"GET", 200, "/a.css", false},
        {"GET", 200, "/a.CSS", false},
        {"GET", 200, "/app.min.js", false},
        {"GET", 200, "/a.woff2", false},
        {"GET", 200, "/a.webm", false},
        {"GET", 200, "/style.css?v=3", false},
        {"GET", 200, "/robots.txt", false},
        {"GET", 200, "/favicon.ico", false},
        {"GET", 200, "/notes.txt", true}, /* robots.txt is a name, not "txt" */
        {"GET", 200, "/robots.txt.html", true},
        {"GET", 200, "/v1.2/page", true}, /* a dot in a directory */
        {"GET", 200, "/page.html", true},
        {"GET", 200, "/index.php?x=a.css", true},
        {"GET", 200, "/css", true},
        {"GET", 200, "/.css", false},
        {"GET", 200, "", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool pv = lgn_stats_is_page_view(st, cases[i].m, strlen(cases[i].m), cases[i].status,
                                         cases[i].path, strlen(cases[i].path));
        if (pv != cases[i].pv)
            fail_msg("%s %d %s: expected %d", cases[i].m, cases[i].status, cases[i].path,
                     cases[i].pv);
    }
    lgn_stats_free(st);

    /* "+pdf" adds to the default list; a plain list replaces it. */
    struct lgn_stats_opts o = {0};
    struct lgn_err err;
    o.assets = "+pdf,.ZIP";
    st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/doc.pdf", 8));
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/a.zip", 6));
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/a.css", 6));
    lgn_stats_free(st);
    o.assets = "pdf";
    st = lgn_stats_new(&o, &err);
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/doc.pdf", 8));
    assert_true(lgn_stats_is_page_view(st, "GET", 3, 200, "/a.css", 6));
    lgn_stats_free(st);
    /* Only assets of a path's extension or name length are compared: long
     * ones (63 characters and more) share a bucket, still compared whole. */
    char ext63[64], ext70[71], list[160], path[96];
    memset(ext63, 'e', 63), ext63[63] = '\0';
    memset(ext70, 'e', 70), ext70[70] = '\0';
    snprintf(list, sizeof list, "%s,%s,js,ts,a.js", ext63, ext70);
    o.assets = list;
    st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    snprintf(path, sizeof path, "/x.%s", ext70);
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, path, strlen(path)));
    snprintf(path, sizeof path, "/x.%s", ext63);
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, path, strlen(path)));
    snprintf(path, sizeof path, "/x.%se", ext63); /* 64: no asset has that length */
    assert_true(lgn_stats_is_page_view(st, "GET", 3, 200, path, strlen(path)));
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/x.TS", 5));
    assert_true(lgn_stats_is_page_view(st, "GET", 3, 200, "/x.te", 5));
    assert_false(lgn_stats_is_page_view(st, "GET", 3, 200, "/d/A.JS", 7)); /* also "js" */
    assert_true(lgn_stats_is_page_view(st, "GET", 3, 200, "/b.jsx", 6));
    lgn_stats_free(st);
    o.assets = "css,bad/entry";
    assert_null(lgn_stats_new(&o, &err));
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
}

static void expect_ref(struct lgn_stats *st, const char *ref, const char *vhost, const char *want)
{
    char out[256];
    size_t n = lgn_stats_referrer_domain(st, ref, strlen(ref), vhost, vhost ? strlen(vhost) : 0,
                                         out, sizeof out);
    if (want == NULL) {
        if (n != 0)
            fail_msg("%s: expected none, got %s", ref, out);
    } else if (n == 0 || strcmp(out, want) != 0) {
        fail_msg("%s: expected %s, got %s", ref, want, n ? out : "(none)");
    }
}

static void test_referrers(void **state)
{
    (void)state;
    struct lgn_stats_opts o = {0};
    o.site_hosts = "Shop.Example, www.other-own.example";
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    expect_ref(st, "-", "example.com", NULL);
    expect_ref(st, "", "example.com", NULL);
    expect_ref(st, "https://www.google.co.uk/search?q=lognym", "example.com", "Google");
    expect_ref(st, "https://google.com/", NULL, "Google");
    expect_ref(st, "https://news.google.de/x", NULL, "Google");
    expect_ref(st, "https://www.bing.com/search?q=a", NULL, "Bing");
    expect_ref(st, "https://duckduckgo.com/", NULL, "DuckDuckGo");
    expect_ref(st, "https://search.yahoo.co.jp/", NULL, "Yahoo");
    expect_ref(st, "https://yandex.ru/search", NULL, "Yandex");
    expect_ref(st, "https://search.brave.com/search?q=x", NULL, "Brave Search");
    expect_ref(st, "https://googleusercontent.com/x", NULL, "googleusercontent.com");
    expect_ref(st, "https://google.evil.example.com/", NULL, "google.evil.example.com");
    expect_ref(st, "http://example.com/page", "example.com", NULL); /* own vhost */
    expect_ref(st, "https://www.example.com/", "Example.com:443", NULL);
    expect_ref(st, "https://shop.example/cart", "", NULL);    /* --site-host */
    expect_ref(st, "https://other-own.example/", NULL, NULL); /* www. dropped on both sides */
    expect_ref(st, "https://Blog.Example.ORG:8080/x?y", "example.com", "blog.example.org");
    expect_ref(st, "https://user:secret@evil.example/", NULL, "evil.example");
    expect_ref(st, "https://example.net./", NULL, "example.net");
    expect_ref(st, "https://192.0.2.1/x", NULL, "[ip]");
    expect_ref(st, "http://[2001:db8::1]:80/", NULL, "[ip]");
    expect_ref(st, "news.example.org/a/b", NULL, "news.example.org"); /* a bare host */
    expect_ref(st, "//cdn.example.org/a", NULL, "cdn.example.org");
    expect_ref(st, "https://bad host/", NULL, NULL);
    expect_ref(st, "https:///", NULL, NULL);
    lgn_stats_free(st);
}

/*
 * Referrers count visits by the referrer of their first page view:
 * H: /a from Google, then /b from our own site: Google 1 visit, 2 page views.
 * I: /a from news.example.org: 1 visit, 1 page view.
 * J: first page view without referrer, second from Bing: not a Bing visit.
 */
static void test_referrer_visits(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    struct lgn_hit h1 = hit(T0, VA, "GET", 200, "/a"), h2 = hit(T0 + 5, VA, "GET", 200, "/b");
    h1.referrer = "https://www.google.com/";
    h1.referrer_len = strlen(h1.referrer);
    h2.referrer = "https://example.com/a";
    h2.referrer_len = strlen(h2.referrer);
    struct lgn_hit i1 = hit(T0 + 1, VB, "GET", 200, "/a");
    i1.referrer = "https://news.example.org/story";
    i1.referrer_len = strlen(i1.referrer);
    struct lgn_hit j1 = hit(T0 + 2, VC, "GET", 200, "/a"), j2 = hit(T0 + 3, VC, "GET", 200, "/c");
    j2.referrer = "https://bing.com/";
    j2.referrer_len = strlen(j2.referrer);
    add(st, h1);
    add(st, i1);
    add(st, j1);
    add(st, j2);
    add(st, h2);
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->t[LGN_T_REFERRERS].n, 3); /* C's visit came with none: (direct) */
    assert_int_equal(row(r, LGN_T_REFERRERS, "(direct)", NULL)->v[0], 1);
    const struct lgn_report_row *g = row(r, LGN_T_REFERRERS, "Google", NULL);
    assert_int_equal(g->v[0], 1);
    assert_int_equal(g->v[1], 2);
    assert_int_equal(row(r, LGN_T_REFERRERS, "news.example.org", NULL)->v[0], 1);
    assert_null(row(r, LGN_T_REFERRERS, "Bing", NULL));
    lgn_report_free(r);
    lgn_stats_free(st);
}

/*
 * K-suppression, K = 5: /popular seen by 6 visitors, /rare1 by 2, /rare2 by 1.
 * Pages: /popular kept; "(other)" holds 3 views from 3 visitors.
 * Countries: DE 6 visitors kept; IR 3 visitors folded.
 */
static void test_k_suppression(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(5);
    for (uint64_t v = 1; v <= 6; v++)
        add(st, hit(T0 + (int64_t)v, v * 1000003, "GET", 200, "/popular"));
    for (uint64_t v = 7; v <= 9; v++) {
        struct lgn_hit h =
            hit(T0 + 10 + (int64_t)v, v * 1000003, "GET", 200, v == 9 ? "/rare2" : "/rare1");
        memcpy(h.country, "IR", 3);
        add(st, h);
    }
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->min_visitors, 5);
    const struct lgn_report_table *t = &r->t[LGN_T_PAGES];
    assert_int_equal(t->n, 1);
    assert_string_equal(t->rows[0].key[0], "/popular");
    assert_int_equal(t->rows[0].v[0], 6);
    assert_true(t->has_other);
    assert_int_equal(t->other.v[0], 3);
    assert_int_equal(t->other.visitors, 3);
    assert_int_equal(r->t[LGN_T_COUNTRIES].n, 1);
    assert_int_equal(r->t[LGN_T_COUNTRIES].other.v[0], 3);
    /* Every row left has at least K visitors. */
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++)
        for (size_t i = 0; i < r->t[ti].n; i++)
            assert_true(r->t[ti].rows[i].visitors >= 5);
    /* The summary is not suppressed. */
    assert_int_equal(r->visitors, 9);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* Bots are left out of visits, visitors, page views and device tables. */
static void test_bots_excluded(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    for (int i = 0; i < 10; i++) {
        struct lgn_hit h = hit(T0 + i, VA, "GET", 200, "/");
        h.is_bot = true;
        h.bot_family = i < 7 ? "curl" : NULL;
        add(st, h);
    }
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->sum[LGN_S_HITS], 10);
    assert_int_equal(r->sum[LGN_S_BOT_HITS], 10);
    assert_int_equal(r->sum[LGN_S_PAGE_VIEWS], 0);
    assert_int_equal(r->sum[LGN_S_VISITS], 0);
    assert_int_equal(r->visitors, 0);
    assert_int_equal(r->t[LGN_T_PAGES].n, 0);
    assert_int_equal(r->t[LGN_T_DEVICES].n, 0);
    assert_int_equal(row(r, LGN_T_BOTS, "curl", NULL)->v[0], 7);
    assert_int_equal(row(r, LGN_T_BOTS, "Other", NULL)->v[0], 3);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/*
 * Out of order: K at +0 /a, +100 /b, +90 /c (10 s late), all page views.
 * Ordered by time within the visit: /a, /c, /b. One visit lasting 100 s;
 * samples: /a 90, /c 10; exit /b.
 */
static void test_out_of_order(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    add(st, hit(T0, VA, "GET", 200, "/a"));
    add(st, hit(T0 + 100, VA, "GET", 200, "/b"));
    add(st, hit(T0 + 90, VA, "GET", 200, "/c"));
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->sum[LGN_S_VISITS], 1);
    assert_int_equal(r->sum[LGN_S_DURATION], 100);
    assert_int_equal(r->sum[LGN_S_TOP_N], 2);
    assert_int_equal(r->sum[LGN_S_TOP_TOTAL], 100);
    assert_int_equal(row(r, LGN_T_PAGES, "/a", NULL)->v[2], 90);
    assert_int_equal(row(r, LGN_T_PAGES, "/c", NULL)->v[2], 10);
    assert_int_equal(row(r, LGN_T_PAGES, "/b", NULL)->v[1], 0);
    assert_non_null(row(r, LGN_T_EXIT_PAGES, "/b", NULL));
    assert_null(row(r, LGN_T_EXIT_PAGES, "/c", NULL));
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* --visit-timeout changes the split: gaps of 600 s with a 300 s timeout make 3 visits. */
static void test_visit_timeout_option(void **state)
{
    (void)state;
    struct lgn_stats_opts o = {0};
    o.visit_timeout_s = 300;
    o.min_visitors = 1;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    for (int i = 0; i < 3; i++)
        add(st, hit(T0 + 600 * i, VA, "GET", 200, "/"));
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->sum[LGN_S_VISITS], 3);
    assert_int_equal(r->sum[LGN_S_BOUNCES], 3);
    assert_int_equal(r->sum[LGN_S_TOP_N], 0);
    assert_int_equal(r->visit_timeout_s, 300);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* Unique visitors per day and overall are exact in one run, for many visitors too. */
static void test_unique_visitors_exact(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    /* Day 1: visitors 0..29999; day 2: 20000..49999 (each once per day). */
    for (uint64_t v = 0; v < 30000; v++)
        add(st, hit(T0 + (int64_t)(v % 80000), v * 0x9e3779b97f4a7c15ULL, "GET", 200, "/"));
    for (uint64_t v = 20000; v < 50000; v++)
        add(st, hit(T0 + 86400 + (int64_t)(v % 80000), v * 0x9e3779b97f4a7c15ULL, "GET", 200, "/"));
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->visitors, 50000);
    assert_int_equal(row(r, LGN_T_DAYS, "2024-03-01", NULL)->visitors, 30000);
    assert_int_equal(row(r, LGN_T_DAYS, "2024-03-02", NULL)->visitors, 30000);
    /* The sketch for merging agrees within 2 %. */
    assert_true(fabs(lgn_hll_estimate(r->visitors_hll) - 50000) < 1000);
    print_message("peak open visits: %zu\n", lgn_stats_peak_visits(st));
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* Visits close and are freed as time advances: open visits stay bounded. */
static void test_memory_bounded(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(5);
    for (uint64_t i = 0; i < 300000; i++)
        add(st, hit(T0 + (int64_t)(i / 10), (i % 50000) * 7 + i / 10 * 1000003, "GET", 200, "/"));
    print_message("open visits now %zu, at most %zu\n", lgn_stats_open_visits(st),
                  lgn_stats_peak_visits(st));
    /* 10 new visitors a second, visits closed after 1800 + slack s. */
    assert_true(lgn_stats_peak_visits(st) <= 10 * (1800 + 120 + 2));
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(lgn_stats_open_visits(st), 0);
    assert_int_equal(r->sum[LGN_S_PAGE_VIEWS], 300000);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* Hits without a time, unknown UA fields and country, odd status codes. */
static void test_missing_fields(void **state)
{
    (void)state;
    struct lgn_stats *st = new_stats(1);
    struct lgn_hit h = hit(LGN_HIT_NO_TIME, VA, "GET", 200, "/");
    add(st, h);
    h = hit(T0, VB, "GET", 200, "/");
    h.browser = h.browser_version = h.os = h.os_version = h.device = NULL;
    h.country[0] = '\0';
    add(st, h);
    add(st, hit(T0 + 1, VC, "GET", 0, "/"));
    add(st, hit(T0 + 2, VC, "GET", 1234, "/"));
    struct lgn_err err;
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->sum[LGN_S_HITS], 4);
    assert_int_equal(r->sum[LGN_S_PAGE_VIEWS], 1);
    assert_int_equal(row(r, LGN_T_DAYS, "2024-03-01", NULL)->v[0], 3);
    assert_non_null(row(r, LGN_T_BROWSERS, "Other", ""));
    assert_non_null(row(r, LGN_T_OS, "Other", ""));
    assert_non_null(row(r, LGN_T_DEVICES, "other", NULL));
    assert_non_null(row(r, LGN_T_COUNTRIES, "(unknown)", NULL));
    assert_int_equal(row(r, LGN_T_STATUS, "0", NULL)->v[0], 2);
    assert_int_equal(row(r, LGN_T_STATUS_CLASSES, "other", NULL)->v[0], 2);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* --max-rows: keys past the cap go straight to "(other)". */
static void test_max_rows(void **state)
{
    (void)state;
    struct lgn_stats_opts o = {0};
    o.min_visitors = 1;
    o.max_rows = 3;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    char path[16];
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof path, "/p%d", i);
        add(st, hit(T0 + i, VA, "GET", 200, path));
    }
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_int_equal(r->t[LGN_T_PAGES].n, 3);
    assert_true(r->t[LGN_T_PAGES].has_other);
    assert_int_equal(r->t[LGN_T_PAGES].other.v[0], 7);
    assert_int_equal(r->sum[LGN_S_PAGE_VIEWS], 10);
    lgn_report_free(r);
    lgn_stats_free(st);
}

/* The same hits into a report that folds its rows as it exports them, and
 * into a partial one (every row, with the ids of those under K) folded
 * afterwards by lgn_report_suppress: the two must be the same. */
static struct lgn_report *fold_run(bool partial)
{
    struct lgn_stats_opts o = {0};
    o.min_visitors = 5;
    o.max_rows = 40; /* the table overflows: "(other)" holds rows before folding */
    o.partial = partial;
    o.fold_ids = partial;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    assert_non_null(st);
    char path[32];
    /* Path i is seen by (i % 9) visitors, from a pool of 12 that the paths
     * share; every fourth hit is a robot's (counted, not a visitor). */
    for (int i = 0; i < 60; i++) {
        snprintf(path, sizeof path, "/p%d", i);
        for (int j = 0; j < i % 9; j++) {
            struct lgn_hit h = hit(T0 + i * 10 + j, (uint64_t)((i + j) % 12 + 1) * 1000003ULL,
                                   "GET", j == 2 ? 404 : 200, path);
            h.is_bot = (i + j) % 4 == 0;
            h.bot_family = "Googlebot";
            add(st, h);
        }
    }
    struct lgn_report *r = lgn_stats_report(st, &err);
    assert_non_null(r);
    lgn_stats_free(st);
    if (partial) {
        r->partial = false;
        assert_int_equal(lgn_report_suppress(r, 5, &err), 0);
    }
    return r;
}

static void same_row(const struct lgn_report_row *a, const struct lgn_report_row *b)
{
    for (int k = 0; k < 2; k++)
        if (a->key[k] != NULL || b->key[k] != NULL)
            assert_string_equal(a->key[k], b->key[k]);
    assert_memory_equal(a->v, b->v, sizeof a->v);
    assert_int_equal(a->visitors, b->visitors);
    assert_int_equal(a->estimated, b->estimated);
    assert_true((a->hll == NULL) == (b->hll == NULL));
    if (a->hll != NULL)
        assert_string_equal(a->hll, b->hll);
}

static void test_fold_on_export(void **state)
{
    (void)state;
    struct lgn_report *now = fold_run(false), *later = fold_run(true);
    bool folded = false;
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_report_table *a = &now->t[ti], *b = &later->t[ti];
        assert_int_equal(a->n, b->n);
        for (size_t i = 0; i < a->n; i++)
            same_row(&a->rows[i], &b->rows[i]);
        assert_int_equal(a->has_other, b->has_other);
        if (a->has_other)
            same_row(&a->other, &b->other);
        folded = folded || (a->has_other && lgn_table_defs[ti].folds);
    }
    /* "(other)" of requests: the overflow and the rows under K, every
     * visitor once, counted exactly. */
    const struct lgn_report_row *o = &now->t[LGN_T_REQUESTS].other;
    assert_true(folded);
    assert_true(now->t[LGN_T_REQUESTS].has_other);
    assert_false(o->estimated);
    assert_true(o->visitors > 0 && o->visitors <= 12);
    lgn_report_free(now);
    lgn_report_free(later);
}

/* Paths holding an address count as one masked row ("/ip/[ip]") with every
 * visitor, the entry and exit pages too; the raw paths are in no row, and
 * they do not push the masked row into "(other)" when the table is small. */
static void test_masked_paths(void **state)
{
    (void)state;
    struct lgn_stats_opts o = {0};
    o.min_visitors = 1;
    o.max_rows = 4;
    struct lgn_err err;
    struct lgn_stats *st = lgn_stats_new(&o, &err);
    char path[40];
    for (int i = 0; i < 9; i++) {
        snprintf(path, sizeof path, "/ip/198.51.100.%d", i + 1);
        add(st, hit(T0 + i, VA + (uint64_t)i, "GET", 200, path));
        add(st, hit(T0 + i, VA + (uint64_t)i, "GET", 404, path));
    }
    struct lgn_report *r = lgn_stats_report(st, &err);
    static const unsigned tables[] = {LGN_T_PAGES, LGN_T_REQUESTS, LGN_T_NOT_FOUND,
                                      LGN_T_ENTRY_PAGES, LGN_T_EXIT_PAGES};
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        const struct lgn_report_table *t = &r->t[tables[k]];
        assert_int_equal(t->n, 1);
        assert_false(t->has_other);
        assert_string_equal(t->rows[0].key[0], "/ip/[ip]");
        assert_int_equal(t->rows[0].visitors, 9);
    }
    assert_int_equal(r->t[LGN_T_REQUESTS].rows[0].v[0], 18);
    assert_int_equal(r->t[LGN_T_PAGES].rows[0].v[0], 9);
    lgn_report_free(r);
    lgn_stats_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_requests_and_ua_ip_visitors),
        cmocka_unit_test(test_day_of_visit),
        cmocka_unit_test(test_page_view_rule),
        cmocka_unit_test(test_referrers),
        cmocka_unit_test(test_referrer_visits),
        cmocka_unit_test(test_k_suppression),
        cmocka_unit_test(test_bots_excluded),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_visit_timeout_option),
        cmocka_unit_test(test_unique_visitors_exact),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_missing_fields),
        cmocka_unit_test(test_max_rows),
        cmocka_unit_test(test_fold_on_export),
        cmocka_unit_test(test_masked_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
