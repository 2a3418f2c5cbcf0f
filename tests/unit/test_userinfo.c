/* test_userinfo.c: unit tests for userinfo.c: user information of URLs in
 * decoded text, at every level of encoding, and innocent look-alikes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "url.h"
#include "userinfo.h"

static struct lgn_decoded dec;

static int teardown(void **state)
{
    (void)state;
    lgn_decoded_free(&dec);
    return 0;
}

/* The user information lgn_find_userinfo finds in src (decoded with flags)
 * from `from` on, as written in src; "" when none. */
static const char *find(const char *src, unsigned flags, size_t *from)
{
    static char buf[256];
    struct lgn_span ui;
    assert_int_equal(lgn_decode(&dec, src, strlen(src), flags), 0);
    if (!lgn_find_userinfo(src, &dec, *from, &ui))
        return "";
    *from = ui.off + ui.len;
    size_t s = lgn_decoded_src(&dec, ui.off), e = lgn_decoded_src(&dec, ui.off + ui.len);
    assert_true(e - s < sizeof buf);
    memcpy(buf, src + s, e - s);
    buf[e - s] = '\0';
    return buf;
}

/* The first user information in src, decoded with flags. */
static const char *first(const char *src, unsigned flags)
{
    size_t from = 0;
    return find(src, flags, &from);
}

static void test_schemes(void **state)
{
    (void)state;
    const char *t = "/go?url=http://admin:hunter2@192.168.1.1/ x ftp://u@[2001:db8::1]:21/";
    size_t from = 0;
    assert_string_equal(find(t, 0, &from), "admin:hunter2");
    assert_string_equal(find(t, 0, &from), "u");
    assert_string_equal(find(t, 0, &from), "");
    assert_string_equal(first("https://a:p@ss@h/", 0), "a:p@ss"); /* up to the last '@' */
    assert_string_equal(first("http://example.com/a@b http://@x/ mailto:jane@example.com", 0), "");
}

/* A delimiter encoded more deeply than the URL's "://" is data. */
static void test_encoded_delimiters(void **state)
{
    (void)state;
    assert_string_equal(first("http://user:p%20ss@host/", 0), "user:p%20ss");
    assert_string_equal(first("http://a:b%23c%3Fd%2Fe%22f@host/", 0), "a:b%23c%3Fd%2Fe%22f");
    /* encoded once: the URL's own delimiters are %XX, the password's %25XX */
    assert_string_equal(first("http%3A%2F%2Fuser%3Ap%2520ss%40host%2F", 0), "user%3Ap%2520ss");
    assert_string_equal(first("http%253A%252F%252Fu%253Ap%252520s%2540h%252F", 0),
                        "u%253Ap%252520s");
    /* at the URL's level, they end the authority */
    assert_string_equal(first("http%3A%2F%2Fhost%2Fa%40b", 0), "");
    assert_string_equal(first("http://host a:b@c", 0), "");
    /* a '+' that query decoding made a blank */
    assert_string_equal(first("http://user:p+ss@host/", LGN_DEC_PLUS), "user:p+ss");
}

static void test_apostrophes(void **state)
{
    (void)state;
    assert_string_equal(first("b=http://bob:o'neil@host/", 0), "bob:o'neil");
    assert_string_equal(first("'http://bob:o'neil@host/'", 0), "bob:o'neil");
    assert_string_equal(first("'http://host','bob@x'", 0), ""); /* closes the quotes */
}

static void test_scheme_relative(void **state)
{
    (void)state;
    assert_string_equal(first("//admin:hunter2@intranet/", 0), "admin:hunter2");
    assert_string_equal(first("c=//admin:hunter2@10.0.0.5:8080/", 0), "admin:hunter2");
    assert_string_equal(first("see //admin:pw@[2001:db8::1]/", 0), "admin:pw");
    assert_string_equal(first("%2F%2Fadmin%3Ahunter2%40intranet%2F", 0), "admin%3Ahunter2");
    /* innocent: a path after the host, no password, a time, inside a word */
    assert_string_equal(first("//cdn.example.com/@scope/pkg", 0), "");
    assert_string_equal(first("//logo@2x.png", 0), "");
    assert_string_equal(first("//12:30@cafe //1:30:15@x", 0), "");
    assert_string_equal(first("a//b:c@d x.//b:c@d", 0), "");
    /* a path segment holding one */
    assert_string_equal(first("/go///admin:pw@host/", 0), "admin:pw");
    assert_string_equal(first("//:pw@host", 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemes),
        cmocka_unit_test(test_encoded_delimiters),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_scheme_relative),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
