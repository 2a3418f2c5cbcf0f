/* test_scrub.c: unit tests for scrub.c: actions, parameter order and
 * separators, nested URLs, free text, options, the fast path, and every
 * example of the shipped rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anon.h"
#include "rules.h"
#include "scrub.h"
#include "testutil.h"

static struct lgn_anon *anon;
static struct lgn_rules *defaults;

static int setup(void **state)
{
    (void)state;
    anon = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    defaults = tu_rules_dir("filters");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lgn_rules_free(defaults);
    lgn_anon_free(anon);
    return 0;
}

static struct lgn_scrub *scrubber(const struct lgn_rules *rs, const struct lgn_scrub_opts *o)
{
    struct lgn_err err = {0};
    struct lgn_scrub *s = lgn_scrub_new(rs, o, anon, &err);
    assert_non_null(s);
    return s;
}

/* Scrubs in as kind k and compares with want (NULL: unchanged). */
static void check(struct lgn_scrub *s, enum lgn_scrub_kind k, const char *in, const char *want)
{
    const char *out = NULL;
    size_t n = 0;
    int rc = lgn_scrub(s, k, in, strlen(in), &out, &n);
    assert_true(rc >= 0);
    if (want == NULL || strcmp(want, in) == 0) {
        if (rc != 0)
            fail_msg("\n  in:   %s\n  want: unchanged\n  got:  %.*s", in, (int)n, out);
        return;
    }
    if (rc != 1 || n != strlen(want) || memcmp(out, want, n) != 0)
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, want, rc == 1 ? (int)n : 9,
                 rc == 1 ? out : "unchanged");
}

/* Every `expect` line of filters/ holds (lognym filters --test prints them). */
static void test_default_examples(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    long failed = lgn_scrub_examples(s, f);
    fclose(f);
    if (failed != 0)
        fail_msg("%ld examples failed:\n%s", failed, buf);
    free(buf);
    lgn_scrub_free(s);
}

/* Innocent URLs come out byte for byte, whatever their encoding. */
static void test_innocent_untouched(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    const char *urls[] = {
        "/search?q=wool+return&page=2&utm_source=newsletter&utm_medium=email",
        "/api/v1/products/8890/reviews?page=1&per_page=50&sort=price_asc",
        "/img/9482/1.jpg?w=960&q=75",
        "/archive/2024-03-05/?date=2024-03-05&from=2024-01-01",
        "/orders/1234567890?id=4335",
        "/%7Euser%2Fx%3F?%ZZ=%&a=%2",
        "/fa/%D9%85%D8%AD%D8%B5%D9%88%D9%84%D8%A7%D8%AA?q=%DA%A9%D9%81%D8%B4",
        "/p?a=1&&b=&=c&d",
        "https://www.google.com/search?q=lognym&hl=en",
        "/static/js/app.c27e95aa.js",
        "/img/logo@2x.png",
        "/x.js?_=1700000000123",
        "/",
        "",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
        check(s, LGN_SCRUB_URL, urls[i], NULL);
    check(s, LGN_SCRUB_REQUEST, "GET /search?q=shoes&page=3 HTTP/1.1", NULL);
    check(s, LGN_SCRUB_QUERY, "?q=shoes", NULL);
    check(s, LGN_SCRUB_QUERY, "-", NULL);
    lgn_scrub_free(s);
}

static void test_request_and_query_fields(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_REQUEST, "GET /reset?token=abc&email=jane%40example.com HTTP/1.1",
          "GET /reset?token=%5Btoken%5D&email=%5Bemail%5D HTTP/1.1");
    check(s, LGN_SCRUB_REQUEST, "POST /u/jane@example.com", "POST /u/%5Bemail%5D");
    /* not a request line: free text, plain markers */
    check(s, LGN_SCRUB_REQUEST, "\\x16\\x03\\x01 jane@example.com", "\\x16\\x03\\x01 [email]");
    check(s, LGN_SCRUB_QUERY, "?password=x&a=1", "?password=%5Bpassword%5D&a=1");
    check(s, LGN_SCRUB_QUERY, "password=x&a=1", "password=%5Bpassword%5D&a=1");
    /* "&#64;" raw in a query field ($args) reads as a new parameter */
    check(s, LGN_SCRUB_QUERY, "x=jane&#64;example.com&page=15", "x=%5Bemail%5D&page=15");
    check(s, LGN_SCRUB_QUERY, "?x=jane&#x40;uni.example.ac.ir", "?x=%5Bemail%5D");
    check(s, LGN_SCRUB_URL, "https://shop.example/cb?code=1#id_token=abc&state=x",
          "https://shop.example/cb?code=1#id_token=%5Btoken%5D&state=x");
    check(s, LGN_SCRUB_URL, "https://bob:hunter2@example.com/", "https://%5Buser%5D@example.com/");
    lgn_scrub_free(s);
}

static void test_drop_keeps_separators(void **state)
{
    (void)state;
    struct lgn_rules *rs = tu_rules_text("rule t\n name t\n action drop\n");
    struct lgn_scrub *s = scrubber(rs, NULL);
    check(s, LGN_SCRUB_URL, "/a?t=1&b=2", "/a?b=2");
    check(s, LGN_SCRUB_URL, "/a?b=2&t=1", "/a?b=2");
    check(s, LGN_SCRUB_URL, "/a?b=2&t=1&c=3", "/a?b=2&c=3");
    check(s, LGN_SCRUB_URL, "/a?t=1", "/a");
    check(s, LGN_SCRUB_URL, "/a?t=1&t=2#f", "/a#f");
    check(s, LGN_SCRUB_URL, "/a?b=%41&&t=1&c", "/a?b=%41&&c");
    check(s, LGN_SCRUB_QUERY, "t=1", "-");
    check(s, LGN_SCRUB_QUERY, "?t=1", "");
    /* a drop in a path or a nested URL is a redaction */
    check(s, LGN_SCRUB_URL, "/a;t=1/b", "/a;t=%5Bt%5D/b");
    lgn_scrub_free(s);
    lgn_rules_free(rs);
}

/* A drop by a value rule removes the parameter it is in, redaction nested. */
static void test_value_drop_and_hash(void **state)
{
    (void)state;
    struct lgn_rules *rs = tu_rules_text("rule d\n value secret-[0-9]+\n action drop\n"
                                         "rule h\n value ID[0-9]{4}\n action hash id\n");
    struct lgn_scrub *s = scrubber(rs, NULL);
    check(s, LGN_SCRUB_URL, "/a?x=secret-12&y=2", "/a?y=2");
    check(s, LGN_SCRUB_URL, "/a/secret-12/b", "/a/%5Bd%5D/b");
    char hash[LGN_ANON_MAX + 1], want[128];
    size_t m = lgn_anon_name(anon, "id", "ID1234", 6, hash);
    hash[m] = '\0';
    snprintf(want, sizeof want, "/u?n=%s&z=1", hash);
    check(s, LGN_SCRUB_URL, "/u?n=ID1234&z=1", want);
    snprintf(want, sizeof want, "/u?n=%s", hash);
    check(s, LGN_SCRUB_URL, "/u?n=ID%31234", want); /* the decoded text is hashed */
    lgn_scrub_free(s);
    lgn_rules_free(rs);
}

/* A keyed pseudonym is not hashed again: scrubbing twice changes nothing. */
static void test_idempotent(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    const char *in = "/login?user=jsmith&password=x&e=jane%40example.com&phone=09121234567";
    const char *out;
    size_t n;
    assert_int_equal(lgn_scrub(s, LGN_SCRUB_URL, in, strlen(in), &out, &n), 1);
    char once[256];
    assert_true(n < sizeof once);
    memcpy(once, out, n);
    once[n] = '\0';
    assert_non_null(strstr(once, "user=user-"));
    check(s, LGN_SCRUB_URL, once, NULL);
    lgn_scrub_free(s);
}

static void test_keep_rule_precedence(void **state)
{
    (void)state;
    struct lgn_rules *rs =
        tu_rules_text("rule k\n name utm_content\n action keep\n"
                      "rule safe\n value support@example\\.org\n action keep\n"
                      "rule e\n value [a-z]+@[a-z.]+\n action redact email\n"
                      "rule nv\n name q\n value [0-9]{5,}\n action redact num\n");
    struct lgn_scrub *s = scrubber(rs, NULL);
    check(s, LGN_SCRUB_URL, "/a?utm_content=a@b.com&x=a@b.com",
          "/a?utm_content=a@b.com&x=%5Bemail%5D");
    check(s, LGN_SCRUB_URL, "/a?x=support@example.org", NULL);
    /* a name+value rule: only where the name matches */
    check(s, LGN_SCRUB_URL, "/a?q=order+123456&id=123456", "/a?q=order+%5Bnum%5D&id=123456");
    lgn_scrub_free(s);
    lgn_rules_free(rs);
}

/* A later value rule's longer match takes in earlier value rules' matches
 * it holds whole (the longer reading wins); not a `keep` claim, not a match
 * it only crosses, not one of the same bytes, and not a name rule's value. */
static void test_longer_match_wins(void **state)
{
    (void)state;
    struct lgn_rules *rs =
        tu_rules_text("rule keep9\n value 9999\n action keep\n"
                      "rule short\n value (?<![0-9])[0-9]{4}(?![0-9])\n action redact short\n"
                      "rule same\n value 5555\n action redact same\n"
                      "rule pw\n name pw\n action redact pw\n"
                      "rule tail\n value 6789 z\n action redact tail\n"
                      "rule long\n value [0-9]{4}[ ][0-9]{4}\n action redact long\n");
    struct lgn_scrub *s = scrubber(rs, NULL);
    check(s, LGN_SCRUB_TEXT, "a 1234 5678 b", "a [long] b");
    check(s, LGN_SCRUB_TEXT, "a 9999 5678 b", "a 9999 [short] b");
    check(s, LGN_SCRUB_TEXT, "a 5555 b", "a [short] b");
    check(s, LGN_SCRUB_TEXT, "a 1234 6789 z", "a [short] [tail]"); /* long crosses tail */
    check(s, LGN_SCRUB_URL, "/x?pw=1234&q=1234+5678", "/x?pw=%5Bpw%5D&q=%5Blong%5D");
    lgn_scrub_free(s);
    lgn_rules_free(rs);
    /* the default rules: a card in Amex groups is no national code and a rest */
    s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_TEXT, "card 3782 822463 10005 ok", "card [card] ok");
    lgn_scrub_free(s);
}

static void test_nested(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    /* a secret by name inside a URL nested in a parameter, encoded once and twice */
    check(s, LGN_SCRUB_URL, "/login?next=%2Freset%3Ftoken%3Dabc123%26lang%3Dfa",
          "/login?next=%2Freset%3Ftoken%3D%5Btoken%5D%26lang%3Dfa");
    check(s, LGN_SCRUB_URL, "/r?u=https%253A%252F%252Fx%252Fa%253Fpassword%253Dhunter2",
          "/r?u=https%253A%252F%252Fx%252Fa%253Fpassword%253D%5Bpassword%5D");
    /* PHP-style array names; "&amp;" written by HTML */
    check(s, LGN_SCRUB_URL, "/s?user%5Bemail%5D=x&amp;phone=1",
          "/s?user%5Bemail%5D=%5Bemail%5D&amp;phone=%5Bphone%5D");
    lgn_scrub_free(s);
}

/* Lines that match no format: value rules and name=value pairs, plain markers. */
static void test_text(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_TEXT,
          "2022/04/05 13:25:31 [info] 8#8: *24790 client logged in, client: 174.233.1.144, "
          "server: 0.0.0.0:11587, to: \"admin@example.com\", upstream: 172.69.69.9:10025",
          "2022/04/05 13:25:31 [info] 8#8: *24790 client logged in, client: 174.233.1.144, "
          "server: 0.0.0.0:11587, to: \"[email]\", upstream: 172.69.69.9:10025");
    check(s, LGN_SCRUB_TEXT,
          "[error] 7#7: request: \"GET /a?token=s3cr3t&x=1 HTTP/1.1\", referrer: "
          "\"https://x/?session=abc\"",
          "[error] 7#7: request: \"GET /a?token=[token]&x=1 HTTP/1.1\", referrer: "
          "\"https://x/?session=[session]\"");
    check(s, LGN_SCRUB_TEXT,
          "{\"uri\":\"/x?a=1\\u0026password=pw\",\"t\":\"eyJhbGciOi.eyJzdWIi.sig\"}",
          "{\"uri\":\"/x?a=1\\u0026password=[password]\",\"t\":\"[jwt]\"}");
    lgn_scrub_free(s);
}

/* User and password of a URL at any depth go; the host stays. */
/* A name rule replaces a whole value inside which a scan of the whole URL
 * (read whole for its "&#" entity) found part of a card first: one edit,
 * not two overlapping ones (fuzz_scrub: a negative-size copy in render). */
static void test_value_over_earlier_edit(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_URL,
          "/kyc?c=0076284790&sa=1000000008&card=4\"\"\"\"\"\"\"\"\"11&#10+111+111c",
          "/kyc?c=0076284790&sa=%5Bnational-id%5D&card=%5Bcard%5D&#10+111+111c");
    lgn_scrub_free(s);
    /* A match of the whole URL across the query's end ("&#64;" reads as a
     * fragment), then a query rebuilt or dropped over it: the edits merge,
     * nothing of the address comes back (fuzz_scrub: render's copy again). */
    struct lgn_scrub_opts o = {.keep_params = "keep"};
    s = scrubber(defaults, &o);
    check(s, LGN_SCRUB_URL, "/a?keep=1&drop=2&id=jane&#64;example.com", "/a?keep=1");
    lgn_scrub_free(s);
    o = (struct lgn_scrub_opts){.drop_query = true};
    s = scrubber(defaults, &o);
    check(s, LGN_SCRUB_URL, "/a?keep=1&id=jane&#64;example.com", "/a");
    lgn_scrub_free(s);
}

static void test_credentials(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_URL, "/go?url=http://admin:hunter2@192.168.1.1/",
          "/go?url=http://%5Buser%5D@192.168.1.1/");
    check(s, LGN_SCRUB_URL, "/go?url=http://admin:hunter2@intranet/x&y=1",
          "/go?url=http://%5Buser%5D@intranet/x&y=1");
    check(s, LGN_SCRUB_URL, "/go?url=http://admin:hunter2@localhost:8080/",
          "/go?url=http://%5Buser%5D@localhost:8080/");
    check(s, LGN_SCRUB_URL, "/go?url=http://admin:hunter2@[2001:db8::1]/",
          "/go?url=http://%5Buser%5D@[2001:db8::1]/");
    check(s, LGN_SCRUB_URL, "/go?url=http://admin:hunt!@example.com/",
          "/go?url=http://%5Buser%5D@example.com/");
    check(s, LGN_SCRUB_URL, "/go?url=http%3A%2F%2Fadmin%3Ahunter2%40example.com%2F",
          "/go?url=http%3A%2F%2F%5Buser%5D%40example.com%2F");
    check(s, LGN_SCRUB_URL, "/go?url=http%253A%252F%252Fadmin%253Ahunter2%2540example.com",
          "/go?url=http%253A%252F%252F%5Buser%5D%2540example.com");
    check(s, LGN_SCRUB_URL, "/r/ftp://anonymous:me@ftp.example.org/pub",
          "/r/ftp://%5Buser%5D@ftp.example.org/pub");
    check(s, LGN_SCRUB_URL, "https://u:p@example.com/a?next=https://v:q@example.org/",
          "https://%5Buser%5D@example.com/a?next=https://%5Buser%5D@example.org/");
    check(s, LGN_SCRUB_TEXT, "upstream failed: http://svc:s3cret@10.0.0.7:8080/health",
          "upstream failed: http://[user]@10.0.0.7:8080/health");
    check(s, LGN_SCRUB_URL, "/go?url=http://example.com/a@b", NULL);
    lgn_scrub_free(s);
}

/* Spellings in free text too: e-mails, phones, ids with separators. */
static void test_text_spellings(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_TEXT, "mail jane&#64;example.com or jane (at) example (dot) com",
          "mail [email] or [email]");
    check(s, LGN_SCRUB_TEXT, "call (021) 8877 6655 or +1 (415) 555-2671 now",
          "call [phone] or [phone] now");
    check(s, LGN_SCRUB_TEXT,
          "card 4111.1111.1111.1111 iban DE89-3704-0044-0532-0130-00 id 1012 345 672",
          "card [card] iban [iban] id [national-id]");
    check(s, LGN_SCRUB_TEXT, "user j\\xC3\\xA4ne@example.com", "user [email]");
    check(s, LGN_SCRUB_TEXT,
          "mobile 0912\\xC2\\xA0"
          "123\xE2\x80\xAF"
          "4567",
          "mobile [phone]");
    lgn_scrub_free(s);
}

/* An address that only decoding shows is anonymised here, written encoded. */
static void test_hidden_addresses(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    check(s, LGN_SCRUB_URL, "/geo?ip=2001%3Adb8%3Aabcd%3A12%3A%3A7&x=1",
          "/geo?ip=2001%3Adb8%3Aabcd%3A%3A&x=1");
    check(s, LGN_SCRUB_URL, "/geo?ip=192%2E0%2E2%2E77", "/geo?ip=192%2E0%2E2%2E0");
    check(s, LGN_SCRUB_URL, "/geo?ip=192.0.2.77", NULL); /* plain: the address scan's job */
    lgn_scrub_free(s);
}

static void test_options(void **state)
{
    (void)state;
    struct lgn_scrub_opts o = {.drop_query = true};
    struct lgn_scrub *s = scrubber(NULL, &o);
    assert_true(lgn_scrub_enabled(s));
    check(s, LGN_SCRUB_URL, "/a?x=1#f", "/a#f");
    check(s, LGN_SCRUB_URL, "/a", NULL);
    check(s, LGN_SCRUB_QUERY, "?x=1", "");
    check(s, LGN_SCRUB_QUERY, "x=1", "-");
    check(s, LGN_SCRUB_REQUEST, "GET /a?x=1 HTTP/1.1", "GET /a HTTP/1.1");
    lgn_scrub_free(s);

    o = (struct lgn_scrub_opts){.keep_params = "page,UTM_*,q"};
    s = scrubber(defaults, &o);
    check(s, LGN_SCRUB_URL, "/s?q=a%40b.co&sid=1&page=2&utm_source=x&ref=y",
          "/s?q=%5Bemail%5D&page=2&utm_source=x");
    check(s, LGN_SCRUB_URL, "/s?ref=y", "/s");
    lgn_scrub_free(s);

    s = scrubber(NULL, NULL);
    assert_false(lgn_scrub_enabled(s));
    check(s, LGN_SCRUB_URL, "/a?password=x", NULL);
    lgn_scrub_free(s);
}

/* A URL with no '?', '@', ';', digits run or escape runs no value regex. */
static void test_fast_path(void **state)
{
    (void)state;
    struct lgn_scrub *s = scrubber(defaults, NULL);
    const char *plain[] = {"/static/css/main.3f9a1c2e.css", "/blog/welcome-to-the-team/",
                           "/img/6404/2.jpg", "GET /favicon.ico HTTP/1.1", "/products/old-900"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        unsigned long long before = lgn_scrub_regex_runs(s);
        check(s, i == 3 ? LGN_SCRUB_REQUEST : LGN_SCRUB_URL, plain[i], NULL);
        if (lgn_scrub_regex_runs(s) != before)
            fail_msg("a value regex ran on %s", plain[i]);
    }
    unsigned long long before = lgn_scrub_regex_runs(s);
    check(s, LGN_SCRUB_URL, "/u/jane@example.com", "/u/%5Bemail%5D");
    assert_true(lgn_scrub_regex_runs(s) > before);
    lgn_scrub_free(s);
}

/* A pattern that backtracks for ever gives up; what it did not see goes. */
static void test_match_limit(void **state)
{
    (void)state;
    struct lgn_rules *rs = tu_rules_text("rule slow\n value (a|aa)+!!\n action redact slow\n");
    struct lgn_scrub *s = scrubber(rs, NULL);
    char url[200] = "/x?v=";
    memset(url + 5, 'a', 60);
    memcpy(url + 65, "!", 2);
    check(s, LGN_SCRUB_URL, url, "/x?v=%5Bslow%5D");
    lgn_scrub_free(s);
    lgn_rules_free(rs);
}

static void test_open_from_config(void **state)
{
    (void)state;
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    cfg.filters_dir = "filters";
    struct lgn_err err = {0};
    struct lgn_scrub *s = lgn_scrub_open(&cfg, anon, &err);
    if (s == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(lgn_scrub_rules(s)->n, defaults->n);
    lgn_scrub_free(s);
    cfg.no_filters = true;
    s = lgn_scrub_open(&cfg, anon, &err);
    assert_non_null(s);
    assert_false(lgn_scrub_enabled(s));
    lgn_scrub_free(s);
    cfg.filter_files[cfg.n_filter_files++] = "/nonexistent.rules";
    assert_null(lgn_scrub_open(&cfg, anon, &err));
    assert_string_equal(err.msg, "/nonexistent.rules: No such file or directory");
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_examples),
        cmocka_unit_test(test_innocent_untouched),
        cmocka_unit_test(test_request_and_query_fields),
        cmocka_unit_test(test_drop_keeps_separators),
        cmocka_unit_test(test_value_drop_and_hash),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_keep_rule_precedence),
        cmocka_unit_test(test_longer_match_wins),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_hidden_addresses),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_value_over_earlier_edit),
        cmocka_unit_test(test_text_spellings),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_fast_path),
        cmocka_unit_test(test_match_limit),
        cmocka_unit_test(test_open_from_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
