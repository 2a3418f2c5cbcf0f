/* test_timeshape.c: a custom format's time (Apache %{FORMAT}t) against its
 * own strftime pattern: times Apache writes pass, text does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "timeshape.h"

static bool matches(const char *fmt, const char *value)
{
    struct lgn_timeshape *s;
    assert_int_equal(lgn_timeshape_compile(fmt, strlen(fmt), &s), 0);
    assert_non_null(s);
    bool ok = lgn_timeshape_match(s, value, strlen(value));
    lgn_timeshape_free(s);
    return ok;
}

static void test_times_pass(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"%Y-%m-%dT%H:%M:%S%z", "2026-11-21T09:12:01+0100"},
        {"%Y-%m-%dT%H:%M:%S%z", "2026-11-21T09:12:01-0330"},
        {"%d/%b/%Y:%H:%M:%S %z", "21/Nov/2026:09:12:01 +0100"},
        {"begin:%d/%b/%Y %T", "21/Nov/2026 09:12:01"},
        {"end:%F %T %Z", "2026-11-21 09:12:01 CEST"},
        {"%a %b %e %H:%M:%S %Y", "Sat Nov  7 09:12:01 2026"},
        {"%a %b %e %H:%M:%S %Y", "Sat Nov 21 09:12:01 2026"},
        {"%c", "Sat Nov 21 09:12:01 2026"},
        {"%A, %B %-d", "Saturday, November 7"},
        {"%s", "1700000000"},
        {"msec", "1700000000123"},
        {"usec_frac", "123456"},
        {"%j %p %%", "325 AM %"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!matches(cases[i][0], cases[i][1]))
            fail_msg("'%s' does not match %s", cases[i][1], cases[i][0]);
}

static void test_text_fails(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"%Y-%m-%dT%H:%M:%S%z", "DE04638233017040873268"},
        {"%Y-%m-%dT%H:%M:%S%z", "2026-11-21T09:12:01+0100 jane@example.com"},
        {"%Y-%m-%dT%H:%M:%S%z", "2026-11-21T09:12:01+0100sid=abc"},
        {"%Y-%m-%dT%H:%M:%S%z", "2026-11-21T09:12:0"},
        {"%Y-%m-%dT%H:%M:%S%z", "n=0501234567"},
        {"%d/%b/%Y:%H:%M:%S %z", "21/Nov/2026:09:12:01 UUUU0100"},
        {"%F %T %Z", "2026-11-21 09:12:01 jane.doe"},
        {"%s", "1700000000x"},
        {"usec_frac", "1234567"},
        {"%Y", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (matches(cases[i][0], cases[i][1]))
            fail_msg("'%s' matches %s", cases[i][1], cases[i][0]);
}

/* A conversion with no fixed output: no shape (the generic time check). */
static void test_unknown_conversion(void **state)
{
    (void)state;
    struct lgn_timeshape *s = (struct lgn_timeshape *)1;
    assert_int_equal(lgn_timeshape_compile("%Y %Q", 5, &s), 0);
    assert_null(s);
    assert_int_equal(lgn_timeshape_compile("%", 1, &s), 0);
    assert_non_null(s); /* a lone '%' at the end is a literal */
    assert_true(lgn_timeshape_match(s, "%", 1));
    lgn_timeshape_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_pass),
        cmocka_unit_test(test_text_fails),
        cmocka_unit_test(test_unknown_conversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
