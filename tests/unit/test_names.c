/* test_names.c: unit tests for names.c: splitting parameter names into words
 * and matching word lists (the `words` of filters/ *.rules). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "names.h"

/* The words of name, joined by '|'. */
static const char *words_of(const char *name)
{
    static char buf[256];
    struct lgn_name_words w;
    lgn_name_words(name, strlen(name), &w);
    size_t k = 0;
    for (size_t i = 0; i < w.n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", i ? "|" : "", w.text + w.off[i]);
    buf[k] = '\0';
    return buf;
}

static void test_split(void **state)
{
    (void)state;
    assert_string_equal(words_of("reset_password_token"), "reset|password|token");
    assert_string_equal(words_of("apiToken"), "api|token");
    assert_string_equal(words_of("APIKey"), "api|key");
    assert_string_equal(words_of("X-Amz-Security-Token"), "x|amz|security|token");
    assert_string_equal(words_of("user[password]"), "user|password");
    assert_string_equal(words_of("_token"), "token");
    assert_string_equal(words_of("oauth2.signature"), "oauth|2|signature");
    assert_string_equal(words_of("csrfmiddlewaretoken"), "csrfmiddlewaretoken");
    assert_string_equal(words_of("--"), "");
}

static void test_match(void **state)
{
    (void)state;
    char w1[] = "token", w2[] = "apikey", w3[] = "password", w4[] = "pin";
    char *list[] = {w1, w2, w3, w4};
    const char *yes[] = {"api_token",    "x_api_key", "apiKey",   "api-key", "pass_word",
                         "userPassword", "PIN",       "card_pin", "Token"};
    const char *no[] = {"keyword",   "monkey",  "tokenizer", "passage", "compass",
                        "pinterest", "spinner", "api",       "key_api"};
    struct lgn_name_words w;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        lgn_name_words(yes[i], strlen(yes[i]), &w);
        if (!lgn_name_words_match(&w, list, 4))
            fail_msg("%s should match", yes[i]);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        lgn_name_words(no[i], strlen(no[i]), &w);
        if (lgn_name_words_match(&w, list, 4))
            fail_msg("%s should not match", no[i]);
    }
}

/* A name longer than the buffer is split as far as it fits, never past it. */
static void test_long(void **state)
{
    (void)state;
    char name[400];
    for (size_t i = 0; i < sizeof name - 1; i++)
        name[i] = i % 3 == 2 ? '_' : 'a';
    name[sizeof name - 1] = '\0';
    struct lgn_name_words w;
    lgn_name_words(name, strlen(name), &w);
    assert_false(w.complete);
    assert_true(w.n <= LGN_NAME_WORDS_MAX);
    lgn_name_words("a_b", 3, &w);
    assert_true(w.complete);
    assert_int_equal(w.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
