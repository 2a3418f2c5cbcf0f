/* test_payload.c: unit tests for payload.c: finding base64 runs, decoding
 * base64 and base64url, and telling text from binary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "payload.h"

static void test_decode(void **state)
{
    (void)state;
    unsigned char out[64];
    long n = lgn_base64_decode("YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ==", 32, out);
    assert_int_equal(n, 22);
    assert_memory_equal(out, "ali.naderi@example.com", 22);
    n = lgn_base64_decode("YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ", 30, out); /* no padding */
    assert_int_equal(n, 22);
    n = lgn_base64_decode("-_-_", 4, out); /* base64url */
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 0xfb);
    assert_int_equal(lgn_base64_decode("abcde", 5, out), -1); /* 4k+1 characters */
    assert_int_equal(lgn_base64_decode("ab!d", 4, out), -1);
}

static void test_next(void **state)
{
    (void)state;
    size_t s, e;
    const char *q = "u=YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ==&x=1";
    assert_true(lgn_payload_next(q, strlen(q), 0, true, false, &s, &e));
    assert_int_equal(s, 2);
    assert_int_equal(e, 34);
    const char *path = "/u/YWxpLm5hZGVy/aUBleGFtcGxl/x";
    assert_false(lgn_payload_next(path, strlen(path), 0, false, false, &s, &e)); /* split by '/' */
    assert_true(lgn_payload_next(path, strlen(path), 0, true, false, &s, &e));
    const char *plain[] = {"/static/js/vendor.8b41d0f7.js", "/mechanical-keyboard-with-rgb",
                           "h=d41d8cd98f00b204e9800998ecf8427e", "ABCDEFGHIJKLMNOPQRSTUV", "short"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (lgn_payload_next(plain[i], strlen(plain[i]), 0, true, false, &s, &e))
            fail_msg("%s: no payload there", plain[i]);
    /* a blank is the '+' of query decoding, when asked */
    const char *sp = "x=abcdEFgh IJklMNop";
    assert_false(lgn_payload_next(sp, strlen(sp), 0, true, false, &s, &e));
    assert_true(lgn_payload_next(sp, strlen(sp), 0, true, true, &s, &e));
}

static void test_is_text(void **state)
{
    (void)state;
    assert_true(lgn_payload_is_text((const unsigned char *)"{\"e\":\"jane@x.com\"}", 18));
    assert_true(lgn_payload_is_text((const unsigned char *)"j\xC3\xA4ne ok", 8));
    const unsigned char bin[] = {0x8f, 0x14, 0xe4, 0x5f, 0xce, 0xea,
                                 0x16, 0x7a, 0x5a, 0x36, 0xde, 0xdd};
    assert_false(lgn_payload_is_text(bin, sizeof bin));
    assert_false(lgn_payload_is_text(bin, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_is_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
