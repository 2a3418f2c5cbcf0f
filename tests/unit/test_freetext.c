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
#include "testutil.h"

static struct lgn_anon *anon;
static struct lgn_rules *defaults;
static struct lgn_scrub *scrub;

static int setup(void **state)
{
    (void)state;
    anon = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    defaults = tu_rules_dir("filters");
    struct lgn_err err = {0};
    if ((scrub = lgn_scrub_new(defaults, NULL, anon, &err)) == NULL) {
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

/* A pair inside brackets or parentheses keeps its closer (issue 11, G). */
static void test_bracketed_pairs(void **state)
{
    (void)state;
    check("x [token=abcdef123456] [password=hunter2xx] (password=abcdefg123)",
          "x [token=[token]] [password=[password]] (password=[password])");
    check("{password=hunter2} [password: hunter2]", "{password=[password]} [password: [password]]");
    /* a closer inside the value, not at its end, is part of it */
    check("(password=ab)cd) x", "(password=[password]) x");
    check("(password=ab)cd", "(password=[password]");
}

static void test_detectors(void **state)
{
    (void)state;
    check("mail jane.doe@example.com now", "mail [email] now");
    check("reset?email=jane.doe%40example.com&token=8f14e45fceea&phone=09121234567",
          "reset?email=[email]&token=[token]&phone=[phone]");
    check("call 09121234567", "call [phone]");
    /* a URL written as text: '+' between digit groups is a blank (issue 11, H) */
    check("GET /a?c=4111+1111+1111+1111 HTTP/1.1 junk", "GET /a?c=[card] HTTP/1.1 junk");
    check("n=007+622+9645 x", "n=[national-code] x");
    /* ids glued to a short word still go; a digit run inside a hex id does not */
    check("id=0076229645abc u0076229645", "id=[national-code]abc u[national-code]");
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
    /* a second reverse name in the same text (the search once stopped at the first) */
    check("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.1.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa - "
          "x=e.d.0.c.0.0.0.0.0.0.0.0.7.1.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa;y",
          "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa - "
          "x=0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa;y");
}

/* Reverse-DNS names that spell the address with dashes next to a word
 * (attack 7, finding 10): glued before a domain ("host198-51-100-7.", BT),
 * after "ip-"/"c-", before "-static"; over a sample of quads, each becomes
 * the truncated address in the same spelling. Dates, slugs, versions and
 * file names stay. The address pass alone (the detectors may take ten
 * digits with dashes for an identity number first). */
static void check_addresses(const char *in, const char *want)
{
    struct lgn_arena a = {0};
    bool changed;
    assert_int_equal(lgn_freetext_addresses(anon, NULL, in, strlen(in), false, &a, &changed), 0);
    const char *w = want ? want : in;
    if (changed != (want != NULL) || (changed && (a.len != strlen(w) || memcmp(a.buf, w, a.len))))
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, w, changed ? (int)a.len : 9,
                 changed ? a.buf : "unchanged");
    free(a.buf);
}

static void test_dashed_names(void **state)
{
    (void)state;
    static const char *const forms[][2] = {
        {"host", ".range198-51.btcentralplus.com"},
        {"ip-", ""},
        {"ip-", ".ec2.internal"},
        {"", "-static.example.net"},
        {"", "-static"},
        {"c-", ".hsd1.ma.comcast.net"},
        {"x host", ".example.net y"},
        {"dsl", ".pool.example.org"},
    };
    for (unsigned q = 0; q < 64; q++) {
        unsigned a = 1 + q * 37 % 255, b = q * 91 % 256, c = q * 53 % 256, d = q * 29 % 256;
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            char in[128], want[128];
            snprintf(in, sizeof in, "%s%u-%u-%u-%u%s", forms[f][0], a, b, c, d, forms[f][1]);
            snprintf(want, sizeof want, "%s%u-%u-%u-0%s", forms[f][0], a, b, c, forms[f][1]);
            check_addresses(in, d == 0 ? NULL : want);
        }
    }
    check_addresses("order 2026-11-21 on 2026-11-21-10", NULL);
    check_addresses("/p/1-2-3-4 /p/1-2-3-4-blue-shoes abc-1-2-3-4-5", NULL);
    check_addresses("v1-2-3-4 v1-2-3-4.tar.gz item12-3-4-5.jpg host198-51-100-7", NULL);
    check_addresses("x2host198-51-100-7.example.net 9ab1-2-3-4.example.net", NULL);
    check_addresses("verylongwordoverseventeen1-2-3-4.example.net", NULL);
    /* cut at every length: no byte past the end is read (ASan) */
    const char *name = "host198-51-100-7.range198-51.btcentralplus.com 198-51-100-7-static";
    for (size_t n = 0; n <= strlen(name); n++) {
        char *cut = malloc(n + 1);
        memcpy(cut, name, n);
        struct lgn_arena out = {0};
        bool changed;
        assert_int_equal(lgn_freetext_addresses(anon, NULL, cut, n, false, &out, &changed), 0);
        free(out.buf);
        free(cut);
    }
}

/* What a log holds that names no one stays as it is. */
static void test_innocents(void **state)
{
    (void)state;
    check("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36", NULL);
    check("/products/1-2-3-4 order 2026-11-21 version 1.2.3", NULL);
    check("?utm_source=news&utm_medium=mail&q=red+shoes", NULL);
    check("upstream: \"http://127.0.0.1:8080/\"", "upstream: \"http://127.0.0.0:8080/\"");
    /* a hex id whose digit runs pass a checksum (issue 11, M) */
    check("req 1132468094a18cf63d99b59e686f5b27 end", NULL);
    check("req a18cf63d99b59e686f5b2e1132468094 end", NULL);
    check("oid 507f1f77bcf86cd0076229645 x", NULL);
    /* a product version before spaced digit groups (issue 11, Q) */
    check("Mozilla/5.0 Edg/131.0.2903.86 5112 1776 7156 0597",
          "Mozilla/5.0 Edg/131.0.2903.86 [card]");
    check("Edg/131.0.2903.1 012 345 672 x Chrome/1.0076229645", NULL);
    check("Foo/1.2 4111 1111 1111 1111", "Foo/1.2 [card]");
    /* a Perl module, C++ names: not IPv6 */
    check("GET /perldoc/Data::Dumper std::vector File::Basename Text::CSV_XS", NULL);
    check("2+2=4, 1+1", NULL);
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

/* attack 7, finding 1: a scheme word and a credential in free text: the
 * word stays, the credential goes; prose stays. */
static void test_auth_schemes(void **state)
{
    (void)state;
    check("x Basic YWxpOmh1bnRlcjI= y", "x Basic [credential] y");
    check("\"Bearer s3cr3tOpaqueTok\"", "\"Bearer [credential]\"");
    check("bearer abcdef123456", "bearer [credential]");
    check("Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg", "Negotiate [credential]");
    check("Token abcdef123456, ApiKey sk_live_51H8xAbc", "Token [credential], ApiKey [credential]");
    check("Digest username=\"jane\", realm=\"x\", nonce=\"ab\" end", "Digest [credential] end");
    check("Digest username=\\\"jane\\\", response=\\\"66\\\"\"", "Digest [credential]\"");
    check("Hawk id=\"dh37fgj492je\", mac=\"6R4rV5iE+NPoym=\"", "Hawk [credential]");
    /* already scrubbed: unchanged; a pair keeps its rule's marker */
    check("x Basic [credential] y", NULL);
    check("Authorization: Basic YWxpOmh1bnRlcjI=", "Authorization: Basic [key]");
    /* prose, short words, a word glued before the scheme, text cut short */
    check("Basic plan, Bearer of news, Basic Authentication failed, Token ring", NULL);
    check("Digest of the week; Negotiate terms; Basic 12345678; Basic ABCDEFGHIJ", NULL);
    check("myBasic YWxpOmh1bnRlcjI= x-Bearer s3cr3tOpaqueTok", NULL);
    check("Basic ", NULL);
    check("Basic YWxpOmh", NULL); /* 7 bytes: too short */
    check("Basic abcdefgh1@example.com", "Basic [email]");
}

/* finding 1: a cookie list in free text gets the cookie policy. */
static void test_cookie_lists(void **state)
{
    (void)state;
    check("\"cart=c4rt1d; _ga=GA1.2.1234567.1700000000\"", "\"cart=[cookie]; _ga=[cookie]\"");
    check("a=1;b=2 x", "a=[cookie];b=[cookie] x");
    check("sid=abc; Path=/; Domain=example.com", "sid=[cookie]; Path=/; Domain=example.com");
    check("sid=[cookie]; theme=[cookie]", NULL);
    /* one pair, pairs after '&' or ';' in a path, blanks in a value: no list */
    check("width=100 x=1; lone", NULL);
    check("/a;x=1;y=2 q?a=1&b=2; c=3", NULL);
    check("msg=\"a b\"; level=info", NULL);
    /* --keep-cookies: the value stays, read by the value rules */
    struct lgn_err err = {0};
    struct lgn_scrub_opts o = {.keep_cookies = "sid,m*"};
    struct lgn_scrub *keep = lgn_scrub_new(defaults, &o, anon, &err);
    assert_non_null(keep);
    const char *in = "sid=abc123; theme=dark; mail=jane@example.com";
    struct lgn_arena a = {0};
    bool changed;
    assert_int_equal(lgn_freetext(keep, anon, in, strlen(in), &a, &changed), 0);
    assert_true(changed);
    const char *want = "sid=abc123; theme=[cookie]; mail=[email]";
    assert_int_equal(a.len, strlen(want));
    assert_memory_equal(a.buf, want, a.len);
    free(a.buf);
    lgn_scrub_free(keep);
}

/* finding 2: pair values quoted, glued to the colon, after spaces, Ruby's. */
static void test_quoted_pairs(void **state)
{
    (void)state;
    check("password=\"hunter2\" token='abc123'", "password=\"[password]\" token='[token]'");
    check("password=\\x22hunter2\\x22", "password=\\x22[password]\\x22");
    check("{\\\"msg\\\":\\\"password=\\\"hunter2\\\"\\\"}",
          "{\\\"msg\\\":\\\"password=\\\"[password]\\\"\\\"}");
    check("api_key:abc123def pass: 'hunter 2' password : hunter2",
          "api_key:[key] pass: '[password]' password : [password]");
    check("{\"user\"=>{\"password\"=>\"hunter2\"}} :pin => 1234",
          "{\"user\"=>{\"password\"=>\"[password]\"}} :pin => [otp]");
    /* an apostrophe is no quote; names no rule knows stay */
    check("pass: it's x", "pass: [password]'s x");
    check("at 12:30:45 http://example.com:8080/ msg=\"ok\" rv:109.0 \"a\"=>\"b\"", NULL);
}

/* finding 13: user agents: JWTs, URL credentials and pairs go; e-mail
 * addresses and product versions stay. */
static void check_ua(const char *in, const char *want)
{
    const char *out = in;
    size_t n = strlen(in);
    assert_true(lgn_scrub_ua_may_hold(in, n) || want == NULL);
    int rc = lgn_scrub(scrub, LGN_SCRUB_UA, in, n, &out, &n);
    assert_int_equal(rc, want != NULL);
    if (want != NULL && (n != strlen(want) || memcmp(out, want, n) != 0))
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, want, (int)n, out);
}

static void test_user_agents(void **state)
{
    (void)state;
    check_ua("Mozilla/5.0 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.abc123def456",
             "Mozilla/5.0 [jwt]");
    check_ua("curl/8 http://admin:hunter2@host/", "curl/8 http://[user]@host/");
    check_ua("curl/8 password=hunter2 email=bot@example.com",
             "curl/8 password=[password] email=bot@example.com");
    check_ua("Bot/2.1 (+http://bot.example/; bot@example.com) Chrome/120.0.0.0", NULL);
    assert_false(lgn_scrub_ua_may_hold("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0",
                                       strlen("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0")));
}

/* The kinds found: credentials and cookies count. */
static void test_found_kinds(void **state)
{
    (void)state;
    const char *in = "Basic YWxpOmh1bnRlcjI= \"a=1; b=2\"";
    struct lgn_arena a = {0};
    bool changed;
    assert_int_equal(lgn_freetext(scrub, anon, in, strlen(in), &a, &changed), 0);
    const char *const *kinds;
    size_t n = lgn_scrub_found(scrub, &kinds);
    int credential = 0, cookie = 0;
    for (size_t i = 0; i < n; i++) {
        credential += strcmp(kinds[i], "credential") == 0;
        cookie += strcmp(kinds[i], "cookie") == 0;
    }
    assert_int_equal(credential, 1);
    assert_int_equal(cookie, 2);
    free(a.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_pairs),    cmocka_unit_test(test_json_pairs),
        cmocka_unit_test(test_bracketed_pairs), cmocka_unit_test(test_detectors),
        cmocka_unit_test(test_addresses),       cmocka_unit_test(test_innocents),
        cmocka_unit_test(test_findings),        cmocka_unit_test(test_dashed_names),
        cmocka_unit_test(test_auth_schemes),    cmocka_unit_test(test_cookie_lists),
        cmocka_unit_test(test_quoted_pairs),    cmocka_unit_test(test_user_agents),
        cmocka_unit_test(test_found_kinds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
