/* test_rules.c: unit tests for rules.c: the rule file format, its errors
 * (exact "file:line: message"), directory loading, and the default set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"
#include "testutil.h"

/* Loads text as file "t.rules"; returns the rule set (or NULL, err filled). */
static struct lgn_rules *load(const char *text, struct lgn_err *err)
{
    struct lgn_rules *rs = lgn_rules_new(err);
    assert_non_null(rs);
    if (lgn_rules_load_text(rs, "t.rules", text, strlen(text), err) != 0) {
        lgn_rules_free(rs);
        return NULL;
    }
    return rs;
}

static void assert_error(const char *text, const char *want)
{
    struct lgn_err err = {0};
    struct lgn_rules *rs = load(text, &err);
    if (rs != NULL) {
        lgn_rules_free(rs);
        fail_msg("loaded, but wanted the error: %s", want);
    }
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
    if (strcmp(err.msg, want) != 0)
        fail_msg("\n  want: %s\n  got:  %s", want, err.msg);
}

static void test_parse_rule(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_rules *rs = load("# a comment\n"
                                "\n"
                                "rule secret-things\n"
                                "  name   pass|pwd\r\n"
                                "\taction redact pw\n"
                                "  expect /a?pass=1 => /a?pass=%5Bpw%5D\n"
                                "rule mails\n"
                                "  value  [a-z]+@[a-z]+\\.com # not a comment\n"
                                "  check  luhn\n"
                                "  min-digits 3\n"
                                "  contains @\n"
                                "  action keep\n",
                                &err);
    if (rs == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(rs->n, 2);
    const struct lgn_rule *r = &rs->v[0];
    assert_string_equal(r->id, "secret-things");
    assert_string_equal(r->file, "t.rules");
    assert_int_equal(r->line, 3);
    assert_string_equal(r->name_src, "pass|pwd");
    assert_null(r->value_re);
    assert_int_equal(r->action, LGN_ACT_REDACT);
    assert_string_equal(r->label, "pw");
    assert_int_equal(r->n_examples, 1);
    assert_string_equal(r->examples[0].input, "/a?pass=1");
    assert_string_equal(r->examples[0].output, "/a?pass=%5Bpw%5D");
    assert_int_equal(r->examples[0].line, 6);
    r = &rs->v[1];
    assert_string_equal(r->value_src, "[a-z]+@[a-z]+\\.com # not a comment");
    assert_int_equal(r->check, LGN_CHECK_LUHN);
    assert_int_equal(r->action, LGN_ACT_KEEP);
    assert_string_equal(r->label, "mails"); /* defaults to the rule's name */
    assert_int_equal(r->min_digits, 3);
    assert_string_equal(r->contains, "@");
    lgn_rules_free(rs);
}

/* Name patterns match whole names, whatever their case. */
static void test_name_anchored_caseless(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_rules *rs = load("rule p\n name pass|pwd\n action drop\n", &err);
    assert_non_null(rs);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    const char *yes[] = {"pass", "PASS", "Pwd"}, *no[] = {"passenger", "bypass", "pw", ""};
    for (size_t i = 0; i < 3; i++)
        assert_true(
            pcre2_match(rs->v[0].name_re, (PCRE2_SPTR)yes[i], strlen(yes[i]), 0, 0, md, NULL) >= 0);
    for (size_t i = 0; i < 4; i++)
        assert_true(
            pcre2_match(rs->v[0].name_re, (PCRE2_SPTR)no[i], strlen(no[i]), 0, 0, md, NULL) < 0);
    pcre2_match_data_free(md);
    lgn_rules_free(rs);
}

/* A check backtracks: the validator picks the match, not the greedy regex. */
static void test_check_callout(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_rules *rs = load(
        "rule card\n value (?<![0-9])[0-9 ]{13,40}(?![0-9])\n check luhn\n action redact\n", &err);
    assert_non_null(rs);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_callout(mc, lgn_rules_callout, NULL);
    const char *s = "x 4111 1111 1111 1111 99 y";
    int rc = pcre2_match(rs->v[0].value_re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, mc);
    assert_true(rc >= 0);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    assert_true(lgn_check_luhn(s + ov[0], ov[1] - ov[0]));
    const char *bad = "order 4111111111111112";
    assert_true(pcre2_match(rs->v[0].value_re, (PCRE2_SPTR)bad, strlen(bad), 0, 0, md, mc) < 0);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    lgn_rules_free(rs);
}

/* The prefilter PCRE2 gives: first bytes, a required byte, a minimum length. */
static void test_prefilter(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_rules *rs = load("rule e\n value x[0-9]{4}@\n action redact\n", &err);
    assert_non_null(rs);
    const struct lgn_rule *r = &rs->v[0];
    assert_int_equal(r->min_len, 6);
    assert_int_equal(r->required, '@');
    assert_true((r->first['x' >> 6] >> ('x' & 63)) & 1);
    assert_false((r->first['y' >> 6] >> ('y' & 63)) & 1);
    lgn_rules_free(rs);
}

static void test_errors(void **state)
{
    (void)state;
    assert_error("name x\n", "t.rules:1: 'name' before the first 'rule' line");
    assert_error(
        "rule a\n  nmae x\n  action drop\n",
        "t.rules:2: unknown keyword 'nmae' (rule, name, words, when, value, check, action, "
        "expect, min-digits, contains)");
    assert_error("rule a\n  action drop\n",
                 "t.rules:1: rule 'a' has neither 'name', 'words' nor 'value'");
    assert_error("rule a\n  words api_key\n  action drop\n",
                 "t.rules:2: 'words' wants lower-case letters and digits, e.g. 'token apikey'");
    assert_error("rule a\n  name x\n  when always\n  action drop\n",
                 "t.rules:3: unknown condition 'always'; known: oauth-callback");
    assert_error("rule a\n  value x\n  when oauth-callback\n  action drop\n",
                 "t.rules:1: rule 'a': 'when' is for name rules (without 'value')");
    assert_error("\nrule a\n  name x\n\nrule b\n name y\n action drop\n",
                 "t.rules:2: rule 'a' has no 'action'");
    assert_error("rule a\n  value (x\n  action drop\n",
                 "t.rules:1: value pattern: missing closing parenthesis at offset 2");
    assert_error("rule a\n  name [x\n  action drop\n",
                 "t.rules:1: name pattern: missing terminating ] for character class at offset 2");
    assert_error("rule a\n  value x\n  check lunh\n  action drop\n",
                 "t.rules:3: unknown check 'lunh'; known: luhn iban ir_national_code "
                 "ir_legal_id sa_national_id phone");
    assert_error("rule a\n  name x\n  check luhn\n  action drop\n",
                 "t.rules:1: rule 'a': 'check' needs a 'value' pattern");
    assert_error("rule a\n  name x\n  action delete\n",
                 "t.rules:3: unknown action 'delete' (drop, redact LABEL, hash LABEL or keep)");
    assert_error("rule a\n  name x\n  action drop now\n",
                 "t.rules:3: action 'drop' takes no label");
    assert_error("rule a\n  name x\n  action redact a b\n",
                 "t.rules:3: label 'a b': use up to 24 letters, digits, '_', '-' or '.'");
    assert_error("rule a\n  name x\n  action drop\n  action keep\n",
                 "t.rules:4: rule 'a' has a second 'action'");
    assert_error("rule a\n  name x\n  name y\n", "t.rules:3: rule 'a' has a second 'name'");
    assert_error("rule a\n  name x\n  action drop\n  expect /a?x=1\n",
                 "t.rules:4: 'expect' wants 'INPUT => OUTPUT'");
    assert_error("rule a\n  name x\n  action drop\n  expect  => /b\n",
                 "t.rules:4: 'expect' wants 'INPUT => OUTPUT'");
    assert_error("rule a b\n",
                 "t.rules:1: 'rule' wants a name of letters, digits, '_', '-' or '.'");
    assert_error("rule a\n  name x\n  action drop\nrule a\n  name y\n  action drop\n",
                 "t.rules:4: rule 'a' is already defined at t.rules:1");
    assert_error("rule a\n  value\n", "t.rules:2: 'value' needs a value");
    assert_error("rule a\n  value x\n  min-digits ten\n",
                 "t.rules:3: 'min-digits' wants a number from 0 to 1000");
    assert_error("rule a\n  name x\n  min-digits 3\n  action drop\n",
                 "t.rules:1: rule 'a': 'min-digits' and 'contains' need a 'value' pattern");
    assert_error("rule a\n  value x(?x)#\n  check luhn\n  action drop\n",
                 "t.rules:1: value pattern: the check cannot be attached (a trailing comment?)");
}

/* A file with an error adds none of its rules. */
static void test_error_loads_nothing(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_rules *rs = lgn_rules_new(&err);
    const char *good = "rule a\n name x\n action drop\n";
    const char *bad = "rule b\n name y\n action drop\nrule c\n name (\n action drop\n";
    assert_int_equal(lgn_rules_load_text(rs, "good.rules", good, strlen(good), &err), 0);
    assert_int_equal(lgn_rules_load_text(rs, "bad.rules", bad, strlen(bad), &err), -1);
    assert_int_equal(rs->n, 1);
    lgn_rules_free(rs);
}

static void test_load_dir(void **state)
{
    (void)state;
    tu_write_text(tu_path("20-b.rules"), "rule b\n name b\n action drop\n");
    tu_write_text(tu_path("10-a.rules"), "rule a\n name a\n action drop\n");
    tu_write_text(tu_path("README.md"), "not rules\n");
    tu_write_text(tu_path(".hidden.rules"), "junk\n");
    struct lgn_rules *rs = tu_rules_dir(tu_tmpdir());
    assert_int_equal(rs->n, 2);
    assert_string_equal(rs->v[0].id, "a"); /* sorted by file name */
    assert_string_equal(rs->v[1].id, "b");
    assert_int_equal(rs->n_files, 2);
    char want[256];
    snprintf(want, sizeof want, "%s/10-a.rules", tu_tmpdir());
    assert_string_equal(rs->v[0].file, want);

    lgn_rules_free(rs);

    /* a broken file: its path and line */
    tu_write_text(tu_path("30-c.rules"), "rule c\n  name x\n  check luhn\n  action drop\n");
    struct lgn_err err = {0};
    rs = lgn_rules_new(&err);
    assert_int_equal(lgn_rules_load_dir(rs, tu_tmpdir(), &err), -1);
    snprintf(want, sizeof want, "%s/30-c.rules:1: rule 'c': 'check' needs a 'value' pattern",
             tu_tmpdir());
    assert_string_equal(err.msg, want);
    lgn_rules_free(rs);

    rs = lgn_rules_new(&err);
    assert_int_equal(lgn_rules_load_file(rs, "/nonexistent/x.rules", &err), -1);
    assert_string_equal(err.msg, "/nonexistent/x.rules: No such file or directory");
    assert_int_equal(lgn_rules_load_dir(rs, "/nonexistent", &err), -1);
    assert_string_equal(err.msg, "/nonexistent: No such file or directory");
    const char *empty = tu_path("empty");
    assert_int_equal(mkdir(empty, 0700), 0);
    assert_int_equal(lgn_rules_load_dir(rs, empty, &err), -1);
    snprintf(want, sizeof want, "%s: no *.rules files in this directory", empty);
    assert_string_equal(err.msg, want);
    lgn_rules_free(rs);
}

/* The shipped rule set loads (the tests run from the project root). */
static void test_default_set_loads(void **state)
{
    (void)state;
    struct lgn_rules *rs = tu_rules_dir("filters");
    assert_true(rs->n >= 20);
    size_t examples = 0;
    for (size_t i = 0; i < rs->n; i++) {
        if (rs->v[i].n_examples == 0)
            fail_msg("rule %s has no example", rs->v[i].id);
        examples += rs->v[i].n_examples;
    }
    assert_true(examples >= 60);
    lgn_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rule),    cmocka_unit_test(test_name_anchored_caseless),
        cmocka_unit_test(test_check_callout), cmocka_unit_test(test_prefilter),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_error_loads_nothing),
        cmocka_unit_test(test_load_dir),      cmocka_unit_test(test_default_set_loads),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
