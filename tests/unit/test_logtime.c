/* test_logtime.c: unit tests for the access-log time stamps: the remembering
 * readers (lgn_logtime_parse_memo, lgn_logtime_find with a memo) give what
 * the plain parser gives, whatever came before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logtime.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) /* xorshift64: a fixed, reproducible sequence */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A CLF stamp near the previous one (mostly the same minute, as in a log),
 * sometimes with one byte broken: a bad digit, separator, month or zone. */
static void next_stamp(char *s, int *sec)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Dec"};
    static const char *const zones[] = {"+0000", "-0700", "+0530", "+1400"};
    uint64_t r = rnd();
    if (r % 8 == 0 || s[0] == '\0') { /* another minute, day, month or zone */
        snprintf(s, 27, "%02d/%s/%04d:%02d:%02d:%02d %s", (int)(rnd() % 31) + 1, months[rnd() % 4],
                 1999 + (int)(rnd() % 3), (int)(rnd() % 24), (int)(rnd() % 60), *sec,
                 zones[rnd() % 4]);
    }
    *sec = (int)(rnd() % 62); /* 60 is a leap second, 61 is invalid */
    s[18] = (char)('0' + *sec / 10);
    s[19] = (char)('0' + *sec % 10);
    if (r % 16 == 1) { /* one byte broken, anywhere in the stamp */
        static const char junk[] = "9x:/ -+AZ\0";
        s[rnd() % 26] = junk[rnd() % (sizeof junk - 1)];
    }
}

/* 200,000 stamps in a row: the memo's answer is the plain parser's (both
 * whether it is a time and which), including right after a broken stamp. */
static void test_memo_same_as_parse(void **state)
{
    (void)state;
    struct lgn_logtime_memo memo = {0};
    char s[32] = "";
    int sec = 0;
    unsigned hits = 0, bad = 0;
    for (int i = 0; i < 200000; i++) {
        next_stamp(s, &sec);
        int64_t t1 = 0, t2 = 0;
        int z1 = 0, z2 = 0;
        bool ok1 = lgn_logtime_parse(s, 26, false, &t1, &z1);
        bool ok2 = lgn_logtime_parse_memo(&memo, s, 26, false, &t2, &z2);
        assert_int_equal(ok1, ok2);
        if (ok1) {
            assert_int_equal(t1, t2);
            assert_int_equal(z1, z2);
            hits++;
        } else {
            bad++;
        }
    }
    /* Both kinds were exercised. */
    assert_true(hits > 100000);
    assert_true(bad > 5000);
}

/* A memo filled by one stamp does not answer for a stamp that differs in
 * anything but its seconds: each field changed alone. */
static void test_memo_each_field(void **state)
{
    (void)state;
    const char *base = "10/Oct/2000:13:55:36 -0700";
    const char *changed[] = {
        "11/Oct/2000:13:55:36 -0700", "10/Nov/2000:13:55:36 -0700", "10/Oct/2001:13:55:36 -0700",
        "10/Oct/2000:14:55:36 -0700", "10/Oct/2000:13:56:36 -0700", "10/Oct/2000:13:55:36 +0700",
        "10/Oct/2000:13:55:36 -0730", "10/Oct/2000:13:55:36 -07x0", "10/Oct/2000:13:55:6x -0700",
        "10/Oct/2000:13:55:61 -0700", "10/Oct/2000:13:55:37 -0700", "10/Oct/2000:13:55:60 -0700",
    };
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        struct lgn_logtime_memo memo = {0};
        int64_t t1 = 0, t2 = 0;
        int z1 = 0, z2 = 0;
        assert_true(lgn_logtime_parse_memo(&memo, base, 26, false, &t1, &z1));
        bool ok1 = lgn_logtime_parse(changed[i], 26, false, &t1, &z1);
        bool ok2 = lgn_logtime_parse_memo(&memo, changed[i], 26, false, &t2, &z2);
        assert_int_equal(ok1, ok2);
        if (ok1) {
            assert_int_equal(t1, t2);
            assert_int_equal(z1, z2);
        }
    }
    int64_t t;
    int z;
    struct lgn_logtime_memo memo = {0};
    assert_true(lgn_logtime_parse_memo(&memo, base, 26, false, &t, &z));
    assert_int_equal(t, 971211336); /* 2000-10-10 20:55:36 UTC */
    assert_int_equal(z, -420);
    assert_true(lgn_logtime_parse_memo(&memo, "10/Oct/2000:13:55:37 -0700", 26, false, &t, &z));
    assert_int_equal(t, 971211337);
    assert_false(lgn_logtime_parse_memo(&memo, "10/Oct/2000:13:55:61 -0700", 26, false, &t, &z));
    assert_false(lgn_logtime_parse_memo(&memo, "10/Oct/2000:13:55:36 -0700", 25, false, &t, &z));
    /* ISO 8601 goes to the plain parser. */
    assert_true(lgn_logtime_parse_memo(&memo, "2000-10-10T20:55:36Z", 20, true, &t, &z));
    assert_int_equal(t, 971211336);
}

/* lgn_logtime_find with a memo finds what it finds without one, line after
 * line: CLF lines, ISO lines, lines with a false "[" first, none at all. */
static void test_find_with_memo(void **state)
{
    (void)state;
    const char *lines[] = {
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1",
        "1.2.3.4 - - [10/Oct/2000:13:55:59 -0700] \"GET / HTTP/1.1\" 200 1",
        "[x] 1.2.3.4 - - [10/Oct/2000:13:55:40 -0700] \"GET /[a] HTTP/1.1\" 200 1",
        "{\"time\":\"2000-10-10T20:56:00+00:00\",\"ip\":\"1.2.3.4\"}",
        "no time here [10/Oct/2000:13:55:3 -0700]",
        "1.2.3.4 - - [10/Oct/2000:13:55:61 -0700] \"GET / HTTP/1.1\" 200 1",
        "1.2.3.4 - - [10/Oct/2000:13:56:01 +0000] \"GET / HTTP/1.1\" 200 1",
        "1.2.3.4 - - [10/Oct/2000:13:56:02 +0000]",
    };
    struct lgn_logtime_memo memo = {0};
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
            int64_t t1 = -1, t2 = -1;
            bool ok1 = lgn_logtime_find(NULL, lines[i], strlen(lines[i]), &t1);
            bool ok2 = lgn_logtime_find(&memo, lines[i], strlen(lines[i]), &t2);
            assert_int_equal(ok1, ok2);
            if (ok1)
                assert_int_equal(t1, t2);
        }
    }
    int64_t t;
    assert_true(lgn_logtime_find(&memo, lines[1], strlen(lines[1]), &t));
    assert_int_equal(t, 971211359);
    assert_false(lgn_logtime_find(&memo, lines[4], strlen(lines[4]), &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_same_as_parse),
        cmocka_unit_test(test_memo_each_field),
        cmocka_unit_test(test_find_with_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
