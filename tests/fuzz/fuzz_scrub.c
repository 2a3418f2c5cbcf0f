/* fuzz_scrub.c: libFuzzer target for the URL scrubber (scrub.c, url.c) with
 * the shipped rules of filters/, and a privacy oracle.
 * Input: byte 0 picks the field kind (bits 0-1: request line, URL, query,
 * free text), the options (bit 2: --query drop, bit 3: --keep-params) and
 * the planted secret (bits 4-6); the rest is the field.
 * The harness appends "&x=SECRET&" to the field (inside the request target
 * for a request line) and checks:
 *  - no crash, leak or undefined behaviour, on any bytes;
 *  - the planted secret (an e-mail address, plain or %40, a card number, a
 *    JWT, an Iranian mobile in Persian digits, a password parameter) never
 *    appears in the output;
 *  - the output holds no more blanks, quotes, backslashes or newlines than
 *    the input (a log line must still parse);
 *  - scrubbing the output again changes nothing (URL kind, no options).
 * The free-text kind goes through lgn_freetext (freetext.c: what lognym does
 * with unknown fields, cookies, credentials, bodies, JSON values and bad
 * lines), with its own secrets: name: value, "name":"value", cookie and
 * credential pairs, an address after an escape, an e-mail, a card. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anon.h"
#include "freetext.h"
#include "record.h"
#include "rules.h"
#include "scrub.h"

#include "fuzz.h"

#define MAX_FIELD 4096

static struct lgn_anon *anon;
static struct lgn_rules *rules;
static struct lgn_scrub *scrubbers[4]; /* by option bits */

/* Each secret, and what must not survive of it. */
static const struct {
    const char *planted;
    const char *forbidden[2];
} secrets[8] = {
    {"x=jane.doe@example.com", {"jane.doe@example.com", NULL}},
    {"x=jane.doe%40example.com", {"jane.doe%40example.com", "doe%40example"}},
    {"x=4111111111111111", {"4111111111111111", NULL}},
    {"x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", {"eyJzdWIiOiIxIn0", NULL}},
    {"x=%DB%B0%DB%B9%DB%B1%DB%B2%DB%B1%DB%B2%DB%B3%DB%B4%DB%B5%DB%B6%DB%B7",
     {"%DB%B1%DB%B2%DB%B3%DB%B4", NULL}},
    {"password=hunter2secret", {"hunter2secret", NULL}},
    {"x=jane.doe%2540example.com", {"doe%2540example", NULL}},
    {"x=0912-123-4567", {"123-4567", NULL}},
};

/* Free text: each secret, planted as " SECRET " after the field, and what
 * must not survive of it. */
static const struct {
    const char *planted;
    const char *forbidden[2];
} text_secrets[8] = {
    {"password: hunter2secret", {"hunter2secret", NULL}},
    {"{\"api_key\":\"hunter2secret\"}", {"hunter2secret", NULL}},
    {"Cookie: PHPSESSID=hunter2secret; theme=dark", {"hunter2secret", NULL}},
    {"Authorization: Basic aHVudGVyMnNlY3JldA==", {"aHVudGVyMnNlY3JldA", NULL}},
    {"whois%20198.51.100.77", {"198.51.100.77", NULL}},
    {"mail jane.doe@example.com", {"jane.doe@example.com", NULL}},
    {"ip 2001:db8:4f2a:17::c0de:54321 x", {"c0de", NULL}},
    {"pay 4111111111111111", {"4111111111111111", NULL}},
};
static struct lgn_arena arena;

static void init(void)
{
    struct lgn_err err = {0};
    struct lgn_anon_opts ao = {.mode = LGN_IP_HASH, .v4_prefix = 24, .v6_prefix = 48};
    char buf[4096];
    const char *dir = lgn_rules_default_dir(buf, sizeof buf);
    if ((anon = lgn_anon_new(&ao, &err)) == NULL || (rules = lgn_rules_new(&err)) == NULL ||
        lgn_rules_load_dir(rules, dir ? dir : "filters", &err) != 0) {
        fprintf(stderr, "fuzz_scrub: %s\n", err.msg);
        abort();
    }
    for (int o = 0; o < 4; o++) {
        struct lgn_scrub_opts opts = {.drop_query = o & 1,
                                      .keep_params = (o & 2) ? "page,utm_*,x,password" : NULL};
        if ((scrubbers[o] = lgn_scrub_new(rules, &opts, anon, &err)) == NULL)
            abort();
    }
}

static size_t count(const char *p, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == c;
    return k;
}

static bool holds(const char *p, size_t n, const char *w)
{
    return memmem(p, n, w, strlen(w)) != NULL;
}

static void fail(const char *why, const char *in, size_t n, const char *out, size_t m)
{
    fprintf(stderr, "fuzz_scrub: %s\n", why);
    fz_dump("input", in, n);
    fz_dump("output", out, m);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (anon == NULL)
        init();
    if (size < 1 || size > MAX_FIELD)
        return 0;
    enum lgn_scrub_kind kind = (enum lgn_scrub_kind)(data[0] & 3);
    int opts = (data[0] >> 2) & 3;
    int which = (data[0] >> 4) & 7;
    const char *body = (const char *)data + 1;
    size_t bn = size - 1;

    static char field[MAX_FIELD + 256];
    size_t n = 0;
    if (kind == LGN_SCRUB_REQUEST) {
        memcpy(field, "GET /", 5);
        n = 5;
    }
    memcpy(field + n, body, bn);
    n += bn;
    n += (size_t)snprintf(field + n, sizeof field - n, "&%s&", secrets[which].planted);
    if (kind == LGN_SCRUB_REQUEST)
        n += (size_t)snprintf(field + n, sizeof field - n, " HTTP/1.1");

    struct lgn_scrub *s = scrubbers[opts];
    const char *out = field;
    size_t m = n;
    if (kind == LGN_SCRUB_TEXT && !(opts & 1)) {
        /* free text (lgn_freetext): a secret of its own list, after a blank;
         * with option bit 0 the text goes through lgn_scrub as before */
        n = bn;
        n += (size_t)snprintf(field + n, sizeof field - n, " %s ", text_secrets[which].planted);
        arena.len = 0;
        bool changed = false;
        if (lgn_freetext(s, anon, field, n, &arena, &changed) != 0)
            return 0;
        if (changed)
            out = arena.buf, m = arena.len;
        static char tcopy[3 * (MAX_FIELD + 256)];
        if (m > sizeof tcopy)
            fail("output longer than expected", field, n, out, m);
        memcpy(tcopy, out, m);
        for (int k = 0; k < 2; k++) {
            const char *w = text_secrets[which].forbidden[k];
            if (w != NULL && holds(tcopy, m, w) && !holds(body, bn, w))
                fail("the planted secret survived (free text)", field, n, tcopy, m);
        }
        if (count(tcopy, m, '\n') > count(field, n, '\n'))
            fail("the output holds a new newline", field, n, tcopy, m);
        return 0;
    }
    int rc = lgn_scrub(s, kind, field, n, &out, &m);
    if (rc < 0)
        return 0; /* out of memory under the fuzzer's limit */
    static char copy[3 * (MAX_FIELD + 256)];
    if (m > sizeof copy)
        fail("output longer than expected", field, n, out, m);
    memcpy(copy, out, m);

    for (int k = 0; k < 2; k++) {
        const char *w = secrets[which].forbidden[k];
        if (w != NULL && holds(copy, m, w) && !holds(body, bn, w))
            fail("the planted secret survived", field, n, copy, m);
    }
    static const char keep[] = " \"\\\n";
    for (size_t k = 0; k < sizeof keep - 1; k++)
        if (count(copy, m, keep[k]) > count(field, n, keep[k]))
            fail("the output holds a new blank, quote, backslash or newline", field, n, copy, m);
    if (kind == LGN_SCRUB_URL && opts == 0) {
        const char *again;
        size_t m2;
        if (lgn_scrub(s, kind, copy, m, &again, &m2) == 1 &&
            (m2 != m || memcmp(again, copy, m) != 0))
            fail("scrubbing twice changed the output", copy, m, again, m2);
    }
    return 0;
}
