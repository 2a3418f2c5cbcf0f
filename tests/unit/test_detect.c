/* test_detect.c: unit tests for detect.c (set-up, per-line detection, wrappers, tails). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "detect.h"
#include "record.h"
#include "testutil.h"

#define COMBINED                                                                                   \
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "     \
    "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\""
#define COMMON                                                                                     \
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"
#define NGINX_MAIN                                                                                 \
    "192.0.2.10 - - [28/Jan/2022:16:04:05 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" "      \
    "\"curl/7.68.0\" \"10.0.0.2, 10.0.0.1\""
#define VHOST                                                                                      \
    "www.example.com:443 192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5120 " \
    "\"-\" \"curl/7.68.0\""
#define JSON "{\"remote_addr\":\"192.0.2.10\",\"status\":200}"
#define INGRESS                                                                                    \
    "192.168.1.1 - - [28/Jan/2022:16:04:05 +0000] \"GET /api HTTP/1.1\" 200 612 \"-\" "            \
    "\"curl/7.68.0\" 75 0.002 [default-web-80] [] 10.244.0.5:8080 612 0.002 200 "                  \
    "4f6c0d5e3f1b2a9c8d7e6f5a4b3c2d1e"

static struct lgn_record rec;

static int teardown(void **state)
{
    (void)state;
    lgn_record_free(&rec);
    return 0;
}

/* ---- helpers ---- */

/* Matches line; returns the name of the format, or NULL. */
static const char *match(struct lgn_formats *fs, const char *line)
{
    const struct lgn_format *f = lgn_formats_match(fs, line, strlen(line), &rec);
    if (f == NULL)
        return NULL;
    assert_ptr_equal(rec.fmt, f);
    assert_ptr_equal(rec.line, line);
    assert_int_equal(rec.len, strlen(line));
    return f->name;
}

static void assert_slice(struct lgn_slice s, const char *want)
{
    if (s.len != strlen(want) || memcmp(s.p, want, s.len) != 0)
        fail_msg("got '%.*s', want '%s'", (int)s.len, s.p, want);
}

static size_t index_of(const struct lgn_formats *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->list[i]->name, name) == 0)
            return i;
    fail_msg("no format %s", name);
    return 0;
}

/* ---- set-up ---- */

static void test_init_auto(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    assert_true(fs.automatic);
    size_t n = 0;
    for (const char *const *p = lgn_format_preset_names(); *p != NULL; p++, n++)
        assert_string_equal(fs.list[n]->name, *p);
    assert_int_equal(fs.n, n);
    assert_null(fs.first);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fs.matched[i], 0);
    lgn_formats_free(&fs);
    assert_null(fs.list);
}

static void test_init_given(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, "common");
    assert_false(fs.automatic);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.list[0]->name, "common");
    lgn_formats_free(&fs);

    struct lgn_config cfg;
    struct lgn_err err = {0};
    lgn_config_defaults(&cfg);
    cfg.apache_format = "%h %>s";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), 0);
    assert_false(fs.automatic);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.list[0]->name, "apache-format");
    assert_int_equal(fs.list[0]->n_fields, 2);
    lgn_formats_free(&fs);

    lgn_config_defaults(&cfg);
    cfg.nginx_format = "$remote_addr $status";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), 0);
    assert_false(fs.automatic);
    assert_string_equal(fs.list[0]->name, "nginx-format");
    lgn_formats_free(&fs);
}

static void test_init_errors(void **state)
{
    (void)state;
    struct lgn_formats fs;
    struct lgn_config cfg;
    struct lgn_err err = {0};
    lgn_config_defaults(&cfg);
    cfg.format = "nosuchformat";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "nosuchformat"));
    assert_null(fs.list);

    lgn_config_defaults(&cfg);
    cfg.apache_format = "%h %Z";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), -1);
    assert_non_null(strstr(err.msg, "column 4"));

    lgn_config_defaults(&cfg);
    cfg.nginx_format = "$remote_addr$status";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
}

/* ---- detection ---- */

static void test_mixed_sequence(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    const char *lines[][2] = {
        {COMBINED, "combined"},    {COMMON, "common"}, {NGINX_MAIN, "nginx_main"},
        {VHOST, "vhost_combined"}, {JSON, "json"},     {INGRESS, "ingress_nginx"},
        {COMBINED, "combined"},    {COMMON, "common"}, {COMBINED, "combined"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        const char *got = match(&fs, lines[i][0]);
        if (got == NULL || strcmp(got, lines[i][1]) != 0)
            fail_msg("line %zu: got %s, want %s", i, got ? got : "(none)", lines[i][1]);
        assert_int_equal(rec.in[LGN_REC_HEAD].len, 0);
        assert_int_equal(rec.in[LGN_REC_TAIL].len, 0);
    }
    assert_int_equal(fs.matched[index_of(&fs, "combined")], 3);
    assert_int_equal(fs.matched[index_of(&fs, "common")], 2);
    assert_int_equal(fs.matched[index_of(&fs, "json")], 1);
    assert_string_equal(fs.first->name, "combined");
    assert_int_equal(fs.last, index_of(&fs, "combined"));
    lgn_formats_free(&fs);
}

static void test_fields_filled(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    assert_string_equal(match(&fs, NGINX_MAIN), "nginx_main");
    assert_slice(rec.in[0], "192.0.2.10");
    assert_slice(rec.in[2], "28/Jan/2022:16:04:05 +0000");
    assert_slice(rec.in[8], "10.0.0.2, 10.0.0.1");
    for (size_t i = 0; i < rec.fmt->n_fields; i++)
        assert_false(rec.out[i].dirty);
    lgn_formats_free(&fs);
}

static void test_no_match(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    assert_null(match(&fs, "this is not an access log line"));
    assert_null(match(&fs, ""));
    assert_null(match(&fs, "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /"));
    assert_null(fs.first);
    lgn_formats_free(&fs);
}

static void test_syslog_wrapped(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    const char *head = "Sep 15 16:13:46 web01 nginx[2869]: ";
    const char *line = "Sep 15 16:13:46 web01 nginx[2869]: " COMBINED;
    assert_string_equal(match(&fs, line), "combined");
    assert_ptr_equal(rec.in[LGN_REC_HEAD].p, line);
    assert_int_equal(rec.in[LGN_REC_HEAD].len, strlen(head));
    assert_int_equal(rec.in[LGN_REC_TAIL].len, 0);
    assert_ptr_equal(rec.in[0].p, line + strlen(head));
    assert_slice(rec.in[0], "127.0.0.1");
    assert_slice(rec.in[2], "frank");

    /* With a priority, a single-digit day, and a tag without a pid. */
    head = "<190>Sep  5 06:01:02 10.1.2.3 nginx: ";
    line = "<190>Sep  5 06:01:02 10.1.2.3 nginx: " NGINX_MAIN;
    assert_string_equal(match(&fs, line), "nginx_main");
    assert_int_equal(rec.in[LGN_REC_HEAD].len, strlen(head));
    assert_slice(rec.in[0], "192.0.2.10");

    /* Not a syslog header: the tag must end in ':'. */
    assert_null(match(&fs, "Sep 15 16:13:46 web01 nginx " COMBINED));
    lgn_formats_free(&fs);
}

static void test_cri_wrapped(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    const char *head = "2022-01-28T16:04:05.413656027Z stdout F ";
    const char *line = "2022-01-28T16:04:05.413656027Z stdout F " INGRESS;
    assert_string_equal(match(&fs, line), "ingress_nginx");
    assert_int_equal(rec.in[LGN_REC_HEAD].len, strlen(head));
    assert_slice(rec.in[0], "192.168.1.1");

    /* a partial record is a part of a line (the reader joins the parts): free text */
    line = "2022-01-28T16:04:05Z stderr P " COMMON;
    assert_null(match(&fs, line));
    assert_true(lgn_cri_partial(line, strlen(line)));

    assert_null(match(&fs, "2022-01-28T16:04:05Z stdlog F " COMMON));
    lgn_formats_free(&fs);
}

static void test_trailing_fields(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    const char *line = COMBINED " 0.123 upstream=10.0.0.9";
    assert_string_equal(match(&fs, line), "combined");
    assert_int_equal(rec.in[LGN_REC_HEAD].len, 0);
    assert_ptr_equal(rec.in[LGN_REC_TAIL].p, line + strlen(COMBINED));
    assert_slice(rec.in[LGN_REC_TAIL], " 0.123 upstream=10.0.0.9");
    assert_slice(rec.in[8], "Mozilla/4.08 [en] (Win98; I ;Nav)");

    /* A wrapper and a tail together. */
    line = "Sep 15 16:13:46 web01 nginx: " COMBINED " rt=0.1";
    assert_string_equal(match(&fs, line), "combined");
    assert_int_equal(rec.in[LGN_REC_HEAD].len, strlen("Sep 15 16:13:46 web01 nginx: "));
    assert_slice(rec.in[LGN_REC_TAIL], " rt=0.1");
    lgn_formats_free(&fs);
}

#if 1 /* regression tests for bugs found in review */
/*
 * BUG: detect.c lgn_formats_match, tails pass: the format that matched the previous line is tried
 * first and the first prefix match wins, so after a "common" line, a combined line with extra
 * trailing fields is parsed as common + tail: its referer and user agent end up in the opaque
 * tail. Expected "combined" with tail " 0.123"; actual "common" with tail "
 * \"http://www.example.com/start.html\" \"Mozilla/4.08 ...\" 0.123". The longest prefix match
 * should win.
 */
static void test_trailing_fields_after_common(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, NULL);
    assert_string_equal(match(&fs, COMMON), "common");
    assert_string_equal(match(&fs, COMBINED " 0.123"), "combined");
    assert_slice(rec.in[LGN_REC_TAIL], " 0.123");
    lgn_formats_free(&fs);
}
#endif

/* With a format given, a line must match it exactly, no tails; syslog and
 * CRI wrappers are read (a custom format on Kubernetes keeps its policies). */
static void test_explicit_format_is_strict(void **state)
{
    (void)state;
    struct lgn_formats fs;
    tu_formats(&fs, "combined");
    assert_string_equal(match(&fs, COMBINED), "combined");
    assert_string_equal(match(&fs, "Sep 15 16:13:46 web01 nginx[2869]: " COMBINED), "combined");
    assert_int_equal(rec.in[LGN_REC_HEAD].len, strlen("Sep 15 16:13:46 web01 nginx[2869]: "));
    assert_string_equal(match(&fs, "2022-01-28T16:04:05.413656027Z stdout F " COMBINED), "combined");
    assert_string_equal(match(&fs, "<190>1 2026-12-04T10:00:00Z web nginx - - - " COMBINED), "combined");
    assert_null(match(&fs, "2022-01-28T16:04:05.413656027Z stdout P " COMBINED));
    assert_null(match(&fs, COMBINED " 0.123"));
    assert_null(match(&fs, COMMON));
    assert_null(match(&fs, NGINX_MAIN));
    assert_int_equal(fs.matched[0], 4);
    lgn_formats_free(&fs);

    struct lgn_config cfg;
    struct lgn_err err = {0};
    lgn_config_defaults(&cfg);
    cfg.nginx_format = "$remote_addr $status";
    assert_int_equal(lgn_formats_init(&fs, &cfg, &err), 0);
    assert_string_equal(match(&fs, "10.0.0.1 200"), "nginx-format");
    assert_string_equal(match(&fs, "Sep 15 16:13:46 web01 nginx: 10.0.0.1 200"), "nginx-format");
    assert_null(match(&fs, "10.0.0.1 200 extra"));
    lgn_formats_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_auto),
        cmocka_unit_test(test_init_given),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_mixed_sequence),
        cmocka_unit_test(test_fields_filled),
        cmocka_unit_test(test_no_match),
        cmocka_unit_test(test_syslog_wrapped),
        cmocka_unit_test(test_cri_wrapped),
        cmocka_unit_test(test_trailing_fields),
        cmocka_unit_test(test_explicit_format_is_strict),
#if 1 /* regression tests for bugs found in review */
        cmocka_unit_test(test_trailing_fields_after_common),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
