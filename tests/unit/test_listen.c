/* test_listen.c: the syslog header `lognym listen` strips from a datagram:
 * the forms nginx, logger and relays send, and text that only looks like one
 * (a line never loses bytes to a header that is not one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "listen.h"

#define LINE "203.0.113.9 - - [10/Oct/2025:13:55:36 +0200] \"GET / HTTP/1.1\" 200 5"

/* The header length of head + LINE must be strlen(head). */
static void expect_header(const char *head)
{
    char m[512];
    size_t n = (size_t)snprintf(m, sizeof m, "%s%s", head, LINE);
    assert_int_equal(lgn_syslog_header_len(m, n), strlen(head));
}

static void expect_none(const char *m)
{
    assert_int_equal(lgn_syslog_header_len(m, strlen(m)), 0);
}

static void test_rfc3164_with_host(void **state)
{
    (void)state;
    expect_header("<190>Nov 22 10:58:21 web1 nginx: "); /* nginx */
    expect_header("<13>Nov  2 09:05:01 web1.example.com nginx[812]: ");
}

static void test_rfc3164_without_host(void **state)
{
    (void)state;
    expect_header("<13>Nov 22 10:58:21 root: "); /* logger, syslog(3) on /dev/log */
    expect_header("<14>Jan  1 00:00:00 apache2[77]: ");
}

static void test_rfc5424(void **state)
{
    (void)state;
    expect_header("<13>1 2026-11-22T10:58:21.123456+00:00 web1 root - - - ");
    expect_header("<13>1 2026-11-22T10:58:21Z web1 nginx 812 ID47 - \xEF\xBB\xBF");
    expect_header("<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 "
                  "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"][x@1 a=\"b\"] ");
}

static void test_not_a_header(void **state)
{
    (void)state;
    expect_none(LINE);
    expect_none("<13>" LINE);
    expect_none("<13>Nov 22 10:58:21 " LINE);            /* no tag: the address stays */
    expect_none("<13>Nov 22 10:58:21 2001:db8:: - - x"); /* an address is no tag */
    expect_none("<13>Nov 22 10:58:21 web1 " LINE);
    expect_none("<13>Nov 22 10:58:21 nginx:"); /* nothing after the tag */
    expect_none("<123456>Nov 22 10:58:21 web1 nginx: x");
    expect_none("<>Nov 22 10:58:21 web1 nginx: x");
    expect_none("<13>1 2026-11-22T10:58:21Z web1 root - -");         /* no SD */
    expect_none("<13>1 2026-11-22T10:58:21Z web1 root - - [open x"); /* SD never closed */
    expect_none("<13>1 2026-11-22T10:58:21Z web1 root - - [a@1 b=\"\\]");
    expect_none("<1");
    expect_none("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3164_with_host),
        cmocka_unit_test(test_rfc3164_without_host),
        cmocka_unit_test(test_rfc5424),
        cmocka_unit_test(test_not_a_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
