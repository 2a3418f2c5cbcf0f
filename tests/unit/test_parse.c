/* test_parse.c: unit tests for parse.c (real-looking lines, quoting, lists, checks, prefixes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "logfmt.h"
#include "parse.h"

#define COMBINED                                                                                   \
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "     \
    "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\""
#define COMMON                                                                                     \
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"

/* ---- helpers ---- */

static struct lgn_format *preset(const char *name)
{
    struct lgn_err err = {0};
    struct lgn_format *f = lgn_format_preset(name, &err);
    if (f == NULL)
        fail_msg("preset %s: %s", name, err.msg);
    return f;
}

/* Parses line with preset `name`; fields must be `want` (n_fields of them). */
static void assert_parses(const char *name, const char *line, const char *const *want)
{
    struct lgn_format *f = preset(name);
    struct lgn_slice fields[LGN_MAX_FIELDS];
    size_t len = strlen(line);
    if (!lgn_parse(f, line, len, fields))
        fail_msg("%s does not parse: %s", name, line);
    for (size_t i = 0; i < f->n_fields; i++) {
        /* An exact slice of the line: no copy, no unescaping. */
        assert_true(fields[i].p >= line && fields[i].p + fields[i].len <= line + len);
        if (fields[i].len != strlen(want[i]) || memcmp(fields[i].p, want[i], fields[i].len) != 0)
            fail_msg("%s field %zu: got '%.*s', want '%s'", name, i, (int)fields[i].len,
                     fields[i].p, want[i]);
    }
    lgn_format_free(f);
}

static bool parses(const char *name, const char *line)
{
    struct lgn_format *f = preset(name);
    struct lgn_slice fields[LGN_MAX_FIELDS];
    bool ok = lgn_parse(f, line, strlen(line), fields);
    lgn_format_free(f);
    return ok;
}

static size_t prefix_len(const char *name, const char *line)
{
    struct lgn_format *f = preset(name);
    struct lgn_slice fields[LGN_MAX_FIELDS];
    size_t n = lgn_parse_prefix(f, line, strlen(line), fields);
    lgn_format_free(f);
    return n;
}

/* ---- presets on real-looking lines ---- */

static void test_combined(void **state)
{
    (void)state;
    const char *want[] = {"127.0.0.1",
                          "-",
                          "frank",
                          "10/Oct/2000:13:55:36 -0700",
                          "GET /apache_pb.gif HTTP/1.0",
                          "200",
                          "2326",
                          "http://www.example.com/start.html",
                          "Mozilla/4.08 [en] (Win98; I ;Nav)"};
    assert_parses("combined", COMBINED, want);

    /* Field slices point into the line itself. */
    struct lgn_format *f = preset("combined");
    struct lgn_slice fields[LGN_MAX_FIELDS];
    const char *line = COMBINED;
    assert_true(lgn_parse(f, line, strlen(line), fields));
    assert_ptr_equal(fields[0].p, line);
    assert_ptr_equal(fields[2].p, line + 12);
    assert_ptr_equal(fields[3].p, line + 19);
    assert_ptr_equal(fields[8].p + fields[8].len, line + strlen(line) - 1);
    lgn_format_free(f);
}

static void test_common(void **state)
{
    (void)state;
    const char *want[] = {
        "127.0.0.1", "-",   "frank", "10/Oct/2000:13:55:36 -0700", "GET /apache_pb.gif HTTP/1.0",
        "200",       "2326"};
    assert_parses("common", COMMON, want);
}

static void test_vhost_combined(void **state)
{
    (void)state;
    const char *line = "www.example.com:443 192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] "
                       "\"GET / HTTP/1.1\" 200 5120 \"-\" \"curl/7.68.0\"";
    const char *want[] = {
        "www.example.com", "443", "192.0.2.10", "-", "-",          "10/Oct/2000:13:55:36 -0700",
        "GET / HTTP/1.1",  "200", "5120",       "-", "curl/7.68.0"};
    assert_parses("vhost_combined", line, want);
}

static void test_nginx_main(void **state)
{
    (void)state;
    const char *line = "192.0.2.10 - alice [28/Jan/2022:16:04:05 +0000] \"GET /index.html "
                       "HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" "
                       "\"10.0.0.2, 10.0.0.1, 127.0.0.1\"";
    const char *want[] = {"192.0.2.10",
                          "alice",
                          "28/Jan/2022:16:04:05 +0000",
                          "GET /index.html HTTP/1.1",
                          "200",
                          "612",
                          "-",
                          "Mozilla/5.0 (X11; Linux x86_64)",
                          "10.0.0.2, 10.0.0.1, 127.0.0.1"};
    assert_parses("nginx_main", line, want);
}

static void test_ingress_nginx(void **state)
{
    (void)state;
    const char *line =
        "192.168.1.1 - - [28/Jan/2022:16:04:05 +0000] \"GET /api/v1/items?id=7 HTTP/1.1\" 200 612 "
        "\"-\" \"curl/7.68.0\" 75 0.002 [default-web-80] [] 10.244.0.5:8080, 10.244.0.6:8080 "
        "612, 0 0.002, 0.001 200, 502 4f6c0d5e3f1b2a9c8d7e6f5a4b3c2d1e";
    const char *want[] = {"192.168.1.1",
                          "-",
                          "28/Jan/2022:16:04:05 +0000",
                          "GET /api/v1/items?id=7 HTTP/1.1",
                          "200",
                          "612",
                          "-",
                          "curl/7.68.0",
                          "75",
                          "0.002",
                          "default-web-80",
                          "",
                          "10.244.0.5:8080, 10.244.0.6:8080",
                          "612, 0",
                          "0.002, 0.001",
                          "200, 502",
                          "4f6c0d5e3f1b2a9c8d7e6f5a4b3c2d1e"};
    assert_parses("ingress_nginx", line, want);
}

static void test_json(void **state)
{
    (void)state;
    const char *line = "{\"time\":\"2022-01-28T16:04:05+00:00\",\"remote_addr\":\"192.0.2.10\","
                       "\"request\":\"GET / HTTP/1.1\",\"status\":200,\"ua\":\"a {b} c\"}";
    const char *want[] = {"\"time\":\"2022-01-28T16:04:05+00:00\",\"remote_addr\":\"192.0.2.10\","
                          "\"request\":\"GET / HTTP/1.1\",\"status\":200,\"ua\":\"a {b} c\""};
    assert_parses("json", line, want);
    const char *empty[] = {""};
    assert_parses("json", "{}", empty);
    assert_false(parses("json", "{\"a\":1} "));
    assert_false(parses("json", "[1,2]"));
    assert_false(parses("json", "{"));
}

/* ---- quoting ---- */

/* Apache writes \" and \\ inside quoted fields; the slice keeps them as written. */
static void test_apache_escapes(void **state)
{
    (void)state;
    const char *line = "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b HTTP/1.1\" 200 1 "
                       "\"-\" \"Agent \\\"quoted\\\" \\\\\"";
    const char *want[] = {
        "10.0.0.1", "-", "-", "10/Oct/2000:13:55:36 -0700", "GET /a\\\"b HTTP/1.1",
        "200",      "1", "-", "Agent \\\"quoted\\\" \\\\"};
    assert_parses("combined", line, want);
}

/* nginx writes a quote as \x22. */
static void test_nginx_escapes(void **state)
{
    (void)state;
    const char *line = "10.0.0.1 - - [28/Jan/2022:16:04:05 +0000] \"GET /a\\x22b HTTP/1.1\" 200 1 "
                       "\"-\" \"x\\x22 y\" \"-\"";
    const char *want[] = {
        "10.0.0.1", "-", "28/Jan/2022:16:04:05 +0000", "GET /a\\x22b HTTP/1.1", "200", "1", "-",
        "x\\x22 y", "-"};
    assert_parses("nginx_main", line, want);
}

static void test_empty_and_dash_request(void **state)
{
    (void)state;
    const char *line = "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"\" 400 0 \"-\" \"-\"";
    const char *want[] = {"10.0.0.1", "-", "-", "10/Oct/2000:13:55:36 -0700", "", "400",
                          "0",        "-", "-"};
    assert_parses("combined", line, want);

    struct lgn_format *f = preset("combined");
    struct lgn_slice fields[LGN_MAX_FIELDS];
    assert_true(lgn_parse(f, line, strlen(line), fields));
    assert_ptr_equal(fields[4].p, strstr(line, "\"\"") + 1); /* between the quotes */
    lgn_format_free(f);

    line = "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"-\" 408 - \"-\" \"-\"";
    const char *want2[] = {"10.0.0.1", "-", "-", "10/Oct/2000:13:55:36 -0700", "-", "408",
                           "-",        "-", "-"};
    assert_parses("combined", line, want2);
}

/* ---- lists ---- */

static void test_address_lists(void **state)
{
    (void)state;
    const char *line = "10.0.0.2, 10.0.0.1, 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "
                       "\"GET / HTTP/1.1\" 200 1 \"-\" \"-\"";
    const char *want[] = {"10.0.0.2, 10.0.0.1, 127.0.0.1",
                          "-",
                          "-",
                          "10/Oct/2000:13:55:36 -0700",
                          "GET / HTTP/1.1",
                          "200",
                          "1",
                          "-",
                          "-"};
    assert_parses("combined", line, want);

    /* A bare X-Forwarded-For list before the address. */
    line = "203.0.113.9, 10.0.0.1 192.0.2.10 - - [28/Jan/2022:16:04:05 +0000] \"GET / "
           "HTTP/1.1\" 200 1 \"-\" \"curl\"";
    const char *want2[] = {"203.0.113.9, 10.0.0.1",
                           "192.0.2.10",
                           "-",
                           "28/Jan/2022:16:04:05 +0000",
                           "GET / HTTP/1.1",
                           "200",
                           "1",
                           "-",
                           "curl"};
    assert_parses("xff_combined", line, want2);

    /* Only ", " continues a list: a lone space ends the field. */
    assert_false(parses("combined", "10.0.0.2 10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / "
                                    "HTTP/1.1\" 200 1 \"-\" \"-\""));
    /* Fields that are not lists stop at the space after a comma. */
    assert_false(parses("combined", "10.0.0.1 - a, b [10/Oct/2000:13:55:36 -0700] \"GET / "
                                    "HTTP/1.1\" 200 1 \"-\" \"-\""));
}

/* ---- validation ---- */

static void test_status_validation(void **state)
{
    (void)state;
    const char *statuses[] = {"20", "2000", "2x0", "-", "", "OK"};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" %s 1", statuses[i]);
        if (parses("common", line))
            fail_msg("status '%s' accepted", statuses[i]);
    }
    assert_true(
        parses("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 599 1"));
}

static void test_other_validation(void **state)
{
    (void)state;
    /* Sizes are numbers or "-". */
    assert_false(parses("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" "
                                  "200 abc"));
    assert_false(parses("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" "
                                  "200 "));
    /* The time must look like dd/Mon/yyyy:... */
    assert_false(parses("common", "10.0.0.1 - - [yesterday] \"GET / HTTP/1.1\" 200 1"));
    assert_false(parses("common", "10.0.0.1 - - [2000-10-10T13:55:36 -0700] \"GET / HTTP/1.1\" "
                                  "200 1"));
    /* The address may not be empty. */
    assert_false(parses("common", " - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1"));
    /* Unterminated quote, truncated line, empty line. */
    assert_false(parses("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1 "
                                  "200 1"));
    assert_false(parses("combined", "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /"));
    assert_false(parses("combined", ""));
    assert_false(parses("common", ""));
}

static bool parses_loose(const char *name, const char *line)
{
    struct lgn_format *f = preset(name);
    struct lgn_slice fields[LGN_MAX_FIELDS];
    bool ok = lgn_parse_loose(f, line, strlen(line), fields);
    lgn_format_free(f);
    return ok;
}

/* Loose: fenced fields take any value; the literals, the field boundaries
 * and ':'-fenced fields stay strict. */
static void test_loose(void **state)
{
    (void)state;
    const char *bad_time = "10.0.0.1 - jane [token=x] \"GET / HTTP/1.1\" 2OO abc";
    assert_false(parses("common", bad_time));
    assert_true(parses_loose("common", bad_time));
    assert_false(parses_loose("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /"));
    assert_false(parses_loose("common", "10.0.0.1 - - 10/Oct/2000 \"GET / HTTP/1.1\" 200 1"));
    const char *vhost = "fe80::1:80 192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] \"GET / HTTP/1.1\" "
                        "200 0 \"-\" \"-\"";
    assert_false(parses_loose("vhost_combined", vhost));
    assert_true(parses_loose("common", "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / "
                                       "HTTP/1.1\" 200 1"));
}

static void test_combined_is_not_common(void **state)
{
    (void)state;
    assert_true(parses("combined", COMBINED));
    assert_false(parses("common", COMBINED));
    assert_true(parses("common", COMMON));
    assert_false(parses("combined", COMMON));
    assert_false(parses("nginx_main", COMBINED));
    assert_false(parses("json", COMBINED));
}

/* ---- trailing text ---- */

static void test_prefix(void **state)
{
    (void)state;
    const char *tail = COMBINED " 0.123 upstream=10.0.0.9";
    assert_false(parses("combined", tail));
    assert_int_equal(prefix_len("combined", tail), strlen(COMBINED));
    assert_int_equal(tail[strlen(COMBINED)], ' ');

    /* The last field of common is a bare number: it stops at the space. */
    assert_int_equal(prefix_len("common", COMBINED), strlen(COMMON));

    /* No space after the format: no prefix match. A whole match is not a prefix. */
    assert_int_equal(prefix_len("combined", COMBINED "x"), 0);
    assert_int_equal(prefix_len("combined", COMBINED), 0);
    assert_int_equal(prefix_len("combined", COMMON), 0);

    /* The fields of a prefix match are filled. */
    struct lgn_format *f = preset("combined");
    struct lgn_slice fields[LGN_MAX_FIELDS];
    assert_true(lgn_parse_prefix(f, tail, strlen(tail), fields) > 0);
    assert_int_equal(fields[8].len, strlen("Mozilla/4.08 [en] (Win98; I ;Nav)"));
    lgn_format_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combined),
        cmocka_unit_test(test_common),
        cmocka_unit_test(test_vhost_combined),
        cmocka_unit_test(test_nginx_main),
        cmocka_unit_test(test_ingress_nginx),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_apache_escapes),
        cmocka_unit_test(test_nginx_escapes),
        cmocka_unit_test(test_empty_and_dash_request),
        cmocka_unit_test(test_address_lists),
        cmocka_unit_test(test_status_validation),
        cmocka_unit_test(test_other_validation),
        cmocka_unit_test(test_combined_is_not_common),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_loose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
