/* test_freetext.c: the free-text scrubber (freetext.c) and the address
 * scanner it uses (addrscan.c): every detector, pairs in the three
 * spellings through the name rules, addresses in every spelling, the
 * findings, and innocent text left alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anon.h"
#include "freetext.h"
#include "rules.h"
#include "scrub.h"

static struct lgn_anon *anon;
static struct lgn_rules *defaults;
static struct lgn_scrub *scrub;

static int setup(void **state)
{
    (void)state;
    struct lgn_anon_opts o = {.mode = LGN_IP_TRUNCATE, .v4_prefix = 24, .v6_prefix = 48};
    struct lgn_err err = {0};
    if ((anon = lgn_anon_new(&o, &err)) == NULL || (defaults = lgn_rules_new(&err)) == NULL ||
        lgn_rules_load_dir(defaults, "filters", &err) != 0 ||
        (scrub = lgn_scrub_new(defaults, NULL, anon, &err)) == NULL) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lgn_scrub_free(scrub);
    lgn_rules_free(defaults);
    lgn_anon_free(anon);
    return 0;
}

/* Free-text scrubs in; want NULL means unchanged. "<hash>" in want stands
 * for 12 lowercase hex digits (the key is random). */
static void check(const char *in, const char *want)
{
    struct lgn_arena a = {0};
    bool changed;
    assert_int_equal(lgn_freetext(scrub, anon, in, strlen(in), &a, &changed), 0);
    const char *got = changed ? a.buf : in;
    size_t n = changed ? a.len : strlen(in);
    const char *w = want ? want : in;
    size_t i = 0;
    bool same = true;
    while (*w && same) {
        if (strncmp(w, "<hash>", 6) == 0) {
            for (int k = 0; k < 12 && same; k++, i++)
                same =
                    i < n && ((got[i] >= '0' && got[i] <= '9') || (got[i] >= 'a' && got[i] <= 'f'));
            w += 6;
        } else {
            same = i < n && got[i++] == *w++;
        }
    }
    same = same && i == n && (want != NULL || !changed);
    if (!same)
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, want ? want : "unchanged", (int)n,
                 got);
    free(a.buf);
}

static void test_header_pairs(void **state)
{
    (void)state;
    check("hdr Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln next",
          "hdr Authorization: Bearer [key] next");
    check("Proxy-Authorization: Basic YWxpOmh1bnRlcjI=", "Proxy-Authorization: Basic [key]");
    check("X-Api-Key: s3cr3t", "X-Api-Key: [key]");
    check("login failed, password: hunter2, retry", "login failed, password: [password], retry");
    /* a colon with no space after it is not a header pair */
    check("at 12:30 see http://example.com/a", NULL);
}

static void test_json_pairs(void **state)
{
    (void)state;
    check("{\"password\":\"hunter2\",\"mobile\":\"9121234567\",\"page\":\"2\"}",
          "{\"password\":\"[password]\",\"mobile\":\"[phone]\",\"page\":\"2\"}");
    check("{\"user_id\": \"jane\", \"n\": 3}", "{\"user_id\": \"user-<hash>\", \"n\": 3}");
    check("{\"headers\":{\"X-Api-Key\":[\"s3cr3t\",\"other\"]}}",
          "{\"headers\":{\"X-Api-Key\":[\"[key]\",\"[key]\"]}}");
    check("{\"http_authorization\":\"Basic YWxpOmh1bnRlcjI=\"}",
          "{\"http_authorization\":\"Basic [key]\"}");
    /* JSON inside a quoted log field, its quotes escaped */
    check("{\\\"password\\\":\\\"hunter2\\\"}", "{\\\"password\\\":\\\"[password]\\\"}");
    check("{\"pin\":1234}", "{\"pin\":[otp]}");
}

static void test_detectors(void **state)
{
    (void)state;
    check("mail jane.doe@example.com now", "mail [email] now");
    check("reset?email=jane.doe%40example.com&token=8f14e45fceea&phone=09121234567",
          "reset?email=[email]&token=[token]&phone=[phone]");
    check("call 09121234567", "call [phone]");
}

static void test_addresses(void **state)
{
    (void)state;
    check("GET /search?q=whois%20198.51.100.7", "GET /search?q=whois%20198.51.100.0");
    check("a \\x22198.51.100.7\\x22", "a \\x22198.51.100.0\\x22");
    check("[client 2001:db8:4f2a:17::c0de:54321] AH01617",
          "[client 2001:db8:4f2a:::54321] AH01617");
    check("/peer/ip:2001:db8:4f2a:17::c0de", "/peer/ip:2001:db8:4f2a::");
    check("to 2001:db8:4f2a::1.443", "to 2001:db8:4f2a::.443");
    check("9.113.0.203.in-addr.arpa", "0.113.0.203.in-addr.arpa");
    check("ec2-203-0-113-9.compute-1.amazonaws.com", "ec2-203-0-113-0.compute-1.amazonaws.com");
    check("203-0-113-9.static.isp.example", "203-0-113-0.static.isp.example");
    check("host-203.0.113.9", "host-203.0.113.0");
    check("e.d.0.c.0.0.0.0.0.0.0.0.7.1.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa",
          "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa");
}

/* What a log holds that names no one stays as it is. */
static void test_innocents(void **state)
{
    (void)state;
    check("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36", NULL);
    check("/products/1-2-3-4 order 2026-11-21 version 1.2.3", NULL);
    check("?utm_source=news&utm_medium=mail&q=red+shoes", NULL);
    check("upstream: \"http://127.0.0.1:8080/\"", "upstream: \"http://127.0.0.0:8080/\"");
}

static void test_findings(void **state)
{
    (void)state;
    const char *in = "jane@example.com 198.51.100.7 password: x 192.0.2.0";
    struct lgn_arena a = {0};
    bool changed;
    assert_int_equal(lgn_freetext(scrub, anon, in, strlen(in), &a, &changed), 0);
    assert_true(changed);
    const char *const *kinds;
    size_t n = lgn_scrub_found(scrub, &kinds);
    int email = 0, address = 0, password = 0;
    for (size_t i = 0; i < n; i++) {
        email += strcmp(kinds[i], "email") == 0;
        address += strcmp(kinds[i], "address") == 0;
        password += strcmp(kinds[i], "password") == 0;
    }
    /* 192.0.2.0 is already truncated: not a finding */
    assert_int_equal(email, 1);
    assert_int_equal(address, 1);
    assert_int_equal(password, 1);
    free(a.buf);
    /* the next call starts a new list */
    a = (struct lgn_arena){0};
    assert_int_equal(lgn_freetext(scrub, anon, "clean", 5, &a, &changed), 0);
    assert_false(changed);
    assert_int_equal(lgn_scrub_found(scrub, &kinds), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_pairs), cmocka_unit_test(test_json_pairs),
        cmocka_unit_test(test_detectors),    cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_innocents),    cmocka_unit_test(test_findings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
