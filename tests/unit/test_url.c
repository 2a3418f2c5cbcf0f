/* test_url.c: unit tests for url.c: splitting, query parameters, and the decoder's offset map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "url.h"

static struct lgn_decoded dec;

static int teardown(void **state)
{
    (void)state;
    lgn_decoded_free(&dec);
    return 0;
}

/* Decodes s and checks the text; returns the decoded text NUL-terminated. */
static const char *decode(const char *s, unsigned flags, const char *want)
{
    static char buf[1024];
    assert_int_equal(lgn_decode(&dec, s, strlen(s), flags), 0);
    assert_true(dec.len < sizeof buf);
    memcpy(buf, dec.text, dec.len);
    buf[dec.len] = '\0';
    if (want != NULL && strcmp(buf, want) != 0)
        fail_msg("decode(%s): want '%s', got '%s'", s, want, buf);
    return buf;
}

static void test_decode_percent(void **state)
{
    (void)state;
    decode("jane.doe%40example.com", 0, "jane.doe@example.com");
    decode("a%2fb%2Fc", 0, "a/b/c");                       /* hex in either case */
    decode("jane%2540example.com", 0, "jane@example.com"); /* double */
    decode("jane%252540x.com", 0, "jane@x.com");           /* triple */
    decode("100%25", 0, "100%");
    decode("plain/text", 0, "plain/text");
    assert_null(dec.map); /* nothing to decode: the source itself */
}

static void test_decode_invalid_escapes(void **state)
{
    (void)state;
    decode("50%", 0, "50%");
    decode("%zz%4", 0, "%zz%4");
    decode("%%41", 0, "%A");
    decode("%", 0, "%");
    decode("a%0", 0, "a%0");
}

static void test_decode_plus(void **state)
{
    (void)state;
    decode("wool+return", LGN_DEC_PLUS, "wool return");
    decode("wool+return", 0, "wool+return");                  /* only in queries */
    decode("+989121234567", LGN_DEC_PLUS, "+989121234567");   /* starts a number */
    decode("4111+1111+1111", LGN_DEC_PLUS, "4111 1111 1111"); /* spaced digits */
    decode("call+%2B98", LGN_DEC_PLUS, "call +98");
    decode("jane+news@x.com", LGN_DEC_PLUS, "jane+news@x.com"); /* e-mail local part */
    decode("jane+news%40x.com", LGN_DEC_PLUS, "jane+news@x.com");
    decode("to+jane@x.com", LGN_DEC_PLUS, "to+jane@x.com");
    decode("a+b+c", LGN_DEC_PLUS, "a b c");
}

static void test_decode_escapes(void **state)
{
    (void)state;
    decode("a\\x22b", LGN_DEC_ESCAPES, "a\"b");
    decode("a\\x22b", 0, "a\\x22b");
    decode("\\u0026token=1", LGN_DEC_ESCAPES, "&token=1");
    decode("\\xZZ\\x4", LGN_DEC_ESCAPES, "\\xZZ\\x4");
    decode("\\u0123", LGN_DEC_ESCAPES, "\\u0123"); /* only \u00HH, and what fold() reads: */
    decode("jane\\uff20x\\uFF0Ecom", LGN_DEC_ESCAPES, "jane@x.com"); /* json.dumps */
    decode("\\u06f0\\u06F9\\u0661\\u00a0\\u202f2", LGN_DEC_ESCAPES, "091  2");
    decode("\\uff2", LGN_DEC_ESCAPES, "\\uff2");
}

static void test_decode_digits(void **state)
{
    (void)state;
    /* Persian 0912 as percent-encoded UTF-8, raw UTF-8, and \x escapes */
    decode("%DB%B0%DB%B9%DB%B1%DB%B2", 0, "0912");
    decode("\xDB\xB0\xDB\xB9\xDB\xB1\xDB\xB2", 0, "0912");
    decode("\\xDB\\xB0\\xdb\\xb9", LGN_DEC_ESCAPES, "09");
    /* Arabic-Indic */
    decode("%D9%A0%D9%A5%D9%A9", 0, "059");
    /* Other Arabic letters stay UTF-8 */
    decode("%D8%A7", 0, "\xD8\xA7");
    decode("x%DB", 0, "x\xDB");
}

/* What people type for '@', '.', a blank between digit groups. */
static void test_decode_folds(void **state)
{
    (void)state;
    decode("jane&#64;x.com", 0, "jane@x.com");
    decode("jane&#x40;x&#46;com", 0, "jane@x.com");
    decode("jane%26%2364%3Bx.com", 0, "jane@x.com");
    decode("jane\xEF\xBC\xA0"
           "x\xEF\xBC\x8E"
           "com",
           0, "jane@x.com"); /* fullwidth, raw */
    decode("jane\\xEF\\xBC\\xA0x.com", LGN_DEC_ESCAPES, "jane@x.com");
    decode("jane%EF%BC%A0x.com", 0, "jane@x.com");
    decode("jane%5Cu0040x.com", LGN_DEC_ESCAPES, "jane@x.com");
    decode("jane%5Cu0040x.com", 0, "jane\\u0040x.com"); /* escapes only where asked */
    /* a doubled backslash (Apache's and JSON's spelling of a client's one) */
    decode("jane\\\\u0040x.com", LGN_DEC_ESCAPES, "jane@x.com");
    decode("198\\\\x2e51", LGN_DEC_ESCAPES, "198.51");
    decode("a\\\\\\\\x40b", LGN_DEC_ESCAPES, "a@b");
    decode("C:\\\\\\\\dir", LGN_DEC_ESCAPES, "C:\\\\\\\\dir"); /* backslashes alone stay */
    decode("jane (at) x (dot) com", 0, "jane@x.com");
    decode("jane &commat; x&period;com", 0, "jane @ x.com");
    decode("jane&#64x.com", 0, "jane@x.com");      /* no ';' */
    decode("x&#641", 0, "x&#641");                 /* a longer number: not 64 */
    decode("jane&amp;#64;x.com", 0, "jane@x.com"); /* encoded twice */
    decode("jane%u0040x.com", 0, "jane@x.com");
    decode("jane\xEF\xB9\xAB"
           "x\xE3\x80\x82"
           "com",
           0, "jane@x.com");                     /* U+FE6B, U+3002 */
    decode("\xEF\xBC\x90\xEF\xBC\x99", 0, "09"); /* fullwidth digits */
    decode("jane[AT]x[Dot]com", 0, "jane@x.com");
    decode("jane{at}x{dot}com", 0, "jane@x.com");
    decode("0912\xC2\xA0"
           "123",
           0, "0912 123");
    decode("0912\xE2\x80\xAF"
           "123\xE2\x80\x89"
           "456",
           0, "0912 123 456");
    decode("0912\\xC2\\xA0"
           "123",
           LGN_DEC_ESCAPES, "0912 123");
    /* look-alikes stay */
    decode("(attic) [dots] a&b &#1; &#x7f; &#64 (at", 0, "(attic) [dots] a&b &#1; &#x7f; &#64 (at");
    decode("\xE2\x80\x94", LGN_DEC_ESCAPES, "\xE2\x80\x94");
    /* the map points at the start of what was folded */
    const char *src = "a (at) b";
    decode(src, 0, "a@b");
    assert_int_equal(lgn_decoded_src(&dec, 1), 1);
    assert_int_equal(lgn_decoded_src(&dec, 2), 7);
    assert_true(lgn_needs_decoding("a(at)b", 6, 0));
    assert_false(lgn_needs_decoding("a at b", 6, 0));
}

/* The map leads from each decoded byte back to the source. */
static void test_decode_map(void **state)
{
    (void)state;
    const char *src = "e=j%40x.com&p=%2540";
    decode(src, LGN_DEC_PLUS, "e=j@x.com&p=@");
    assert_non_null(dec.map);
    assert_int_equal(lgn_decoded_src(&dec, 0), 0);
    assert_int_equal(lgn_decoded_src(&dec, 3), 3);   /* '@' from "%40" */
    assert_int_equal(lgn_decoded_src(&dec, 4), 6);   /* 'x' after it */
    assert_int_equal(lgn_decoded_src(&dec, 12), 14); /* '@' from "%2540" */
    assert_int_equal(lgn_decoded_src(&dec, dec.len), strlen(src));
    const char *fa = "n=%DB%B0%DB%B9x";
    decode(fa, 0, "n=09x");
    assert_int_equal(lgn_decoded_src(&dec, 2), 2);
    assert_int_equal(lgn_decoded_src(&dec, 3), 8);
    assert_int_equal(lgn_decoded_src(&dec, 4), 14);
    assert_int_equal(lgn_decoded_src(&dec, 5), strlen(fa));
    assert_true(lgn_needs_decoding("%41", 3, 0));
    assert_false(lgn_needs_decoding("a+b", 3, 0));
    assert_true(lgn_needs_decoding("a+b", 3, LGN_DEC_PLUS));
}

static void test_split(void **state)
{
    (void)state;
    struct lgn_url_parts u;
    const char *s = "https://bob:pw@example.com:8080/a/b?x=1&y=2#frag";
    lgn_url_split(s, strlen(s), &u);
    assert_int_equal(u.userinfo.len, 6);
    assert_memory_equal(s + u.userinfo.off, "bob:pw", 6);
    assert_int_equal(u.host.len, 16);
    assert_memory_equal(s + u.host.off, "example.com:8080", 16);
    assert_memory_equal(s + u.path.off, "/a/b", u.path.len);
    assert_true(u.has_query);
    assert_memory_equal(s + u.query.off, "x=1&y=2", u.query.len);
    assert_true(u.has_fragment);
    assert_memory_equal(s + u.fragment.off, "frag", u.fragment.len);

    s = "/p?q#";
    lgn_url_split(s, strlen(s), &u);
    assert_int_equal(u.userinfo.len, 0);
    assert_int_equal(u.path.len, 2);
    assert_int_equal(u.query.len, 1);
    assert_true(u.has_fragment);
    assert_int_equal(u.fragment.len, 0);

    s = "http://example.com?x=1"; /* no path */
    lgn_url_split(s, strlen(s), &u);
    assert_memory_equal(s + u.host.off, "example.com", u.host.len);
    assert_int_equal(u.path.len, 0);
    assert_memory_equal(s + u.query.off, "x=1", 3);

    s = "mailto-ish text"; /* not a URL: all path */
    lgn_url_split(s, strlen(s), &u);
    assert_int_equal(u.path.len, strlen(s));
    assert_false(u.has_query);
}

static void test_request_target(void **state)
{
    (void)state;
    struct lgn_span t;
    const char *r = "GET /a?b=c HTTP/1.1";
    assert_true(lgn_request_target(r, strlen(r), &t));
    assert_memory_equal(r + t.off, "/a?b=c", t.len);
    assert_int_equal(t.len, 6);
    r = "GET /x y HTTP/2.0"; /* a raw space in the target */
    assert_true(lgn_request_target(r, strlen(r), &t));
    assert_memory_equal(r + t.off, "/x y", 4);
    assert_int_equal(t.len, 4);
    r = "GET /old"; /* HTTP/0.9 */
    assert_true(lgn_request_target(r, strlen(r), &t));
    assert_int_equal(t.len, 4);
    assert_false(lgn_request_target("-", 1, &t));
    assert_false(lgn_request_target("\\x16\\x03\\x01", 12, &t));
    assert_false(lgn_request_target("HELP", 4, &t));
}

static void test_query_params(void **state)
{
    (void)state;
    const char *q = "a=1&&b&c=x=y&";
    size_t n = strlen(q), pos = 0;
    struct lgn_param p;
    assert_true(lgn_query_next(q, n, &pos, &p));
    assert_int_equal(p.start, 0);
    assert_int_equal(p.name_end, 1);
    assert_true(p.has_eq);
    assert_int_equal(p.value_start, 2);
    assert_int_equal(p.end, 3);
    assert_true(lgn_query_next(q, n, &pos, &p)); /* empty */
    assert_int_equal(p.start, p.end);
    assert_true(lgn_query_next(q, n, &pos, &p)); /* "b": no '=' */
    assert_false(p.has_eq);
    assert_int_equal(p.name_end, p.end);
    assert_true(lgn_query_next(q, n, &pos, &p)); /* "c=x=y": the first '=' splits */
    assert_int_equal(p.name_end - p.start, 1);
    assert_memory_equal(q + p.value_start, "x=y", 3);
    assert_true(lgn_query_next(q, n, &pos, &p)); /* trailing empty one */
    assert_int_equal(p.start, n);
    assert_false(lgn_query_next(q, n, &pos, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_percent), cmocka_unit_test(test_decode_invalid_escapes),
        cmocka_unit_test(test_decode_plus),    cmocka_unit_test(test_decode_escapes),
        cmocka_unit_test(test_decode_digits),  cmocka_unit_test(test_decode_map),
        cmocka_unit_test(test_split),          cmocka_unit_test(test_request_target),
        cmocka_unit_test(test_query_params),   cmocka_unit_test(test_decode_folds),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
