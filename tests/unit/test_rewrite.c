/* test_rewrite.c: unit tests for rewrite.c + record.c (anonymised fields, verbatim bytes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"
#include "config.h"
#include "detect.h"
#include "output.h"
#include "policy.h"
#include "record.h"
#include "rewrite.h"
#include "rules.h"
#include "scrub.h"
#include "textcache.h"
#include "testutil.h"

#define TIME "[10/Oct/2000:13:55:36 -0700]"
#define UA "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:49.0) Chrome/54.0.2840.59 Safari/537.36"

static struct lgn_record rec;
static struct lgn_formats formats;

static int setup(void **state)
{
    if (tu_tmpdir_setup(state) != 0)
        return -1;
    tu_formats(&formats, NULL);
    return 0;
}

static int teardown(void **state)
{
    lgn_formats_free(&formats);
    lgn_record_free(&rec);
    return tu_tmpdir_teardown(state);
}

/* ---- helpers ---- */

/* Matches line (auto-detected), rewrites it, emits it to a fresh file and
 * reads it back into out, without the newline. */
static const char *run_line(struct lgn_anon *a, struct lgn_textcache *seen, const char *line,
                            char *out, size_t cap)
{
    static unsigned serial;
    char name[32];
    snprintf(name, sizeof name, "out%u.log", serial++);
    const char *path = tu_path(name);
    if (lgn_formats_match(&formats, line, strlen(line), &rec) == NULL)
        fail_msg("no format matches: %s", line);
    assert_int_equal(lgn_rewrite_record(a, &rec, seen), 0);

    struct lgn_err err = {0};
    struct lgn_output_opts opts = {.mode = 0600};
    struct lgn_output *o = lgn_output_open(path, &opts, &err);
    if (o == NULL)
        fail_msg("lgn_output_open: %s", err.msg);
    assert_int_equal(lgn_record_emit(&rec, o, &err), 0);
    assert_int_equal(lgn_output_write(o, "\n", 1, &err), 0);
    assert_int_equal(lgn_output_close(o, &err), 0);

    size_t n;
    char *text = tu_read_file(path, &n);
    assert_true(n < cap);
    memcpy(out, text, n + 1);
    free(text);
    assert_true(n > 0 && out[n - 1] == '\n');
    out[n - 1] = '\0';
    assert_null(strchr(out, '\n'));
    return out;
}

static void assert_line(struct lgn_anon *a, const char *in, const char *want)
{
    char out[4096];
    run_line(a, NULL, in, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %s", in, want, out);
}

static const char *pseudonym(struct lgn_anon *a, const char *prefix, const char *text,
                             char out[LGN_ANON_MAX + 1])
{
    size_t n = lgn_anon_name(a, prefix, text, strlen(text), out);
    out[n] = '\0';
    return out;
}

static const char *anon_ip(struct lgn_anon *a, const char *text, char out[LGN_ANON_MAX + 1])
{
    struct lgn_ip ip;
    assert_true(lgn_ip_parse(text, strlen(text), &ip));
    size_t n = lgn_anon_ip(a, text, strlen(text), &ip, out);
    out[n] = '\0';
    return out;
}

/* ---- records ---- */

static void test_combined_truncate(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    char user[LGN_ANON_MAX + 1], want[1024];
    pseudonym(a, "user", "frank", user);
    snprintf(want, sizeof want,
             "203.0.113.0 - %s " TIME
             " \"GET /go?to=http://198.51.100.0:8080/x&v6=[2001:db8:abcd::]"
             " HTTP/1.1\" 200 2326 \"http://192.0.2.0/start.html\" \"" UA "\"",
             user);
    assert_line(a,
                "203.0.113.195 - frank " TIME " \"GET /go?to=http://198.51.100.23:8080/x&v6=[2001:"
                "db8:abcd:12::7] HTTP/1.1\" 200 2326 \"http://192.0.2.44/start.html\" \"" UA "\"",
                want);
    lgn_anon_free(a);
}

static void test_ipv6_and_mapped_clients(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    assert_line(a, "2001:db8:abcd:12::7 - - " TIME " \"GET / HTTP/1.1\" 200 1",
                "2001:db8:abcd:: - - " TIME " \"GET / HTTP/1.1\" 200 1");
    assert_line(a, "::ffff:203.0.113.195 - - " TIME " \"GET / HTTP/1.1\" 200 1",
                "::ffff:203.0.113.0 - - " TIME " \"GET / HTTP/1.1\" 200 1");
    lgn_anon_free(a);
}

/* A line with no address, user or name to replace comes out byte for byte. */
static void test_nothing_to_change(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS);
    const char *line = "- - - " TIME " \"GET /a\\\"b?v=1.2.3&t=11:05:07 HTTP/1.1\" 404 - "
                       "\"-\" \"UA \\\"x\\\"  \\\\ rv:49.0\"";
    assert_line(a, line, line);
    for (size_t i = 0; i < rec.fmt->n_fields; i++)
        assert_false(rec.out[i].dirty);
    lgn_anon_free(a);
}

/* Times, status, sizes and methods are never touched, even in hash mode. */
static void test_time_status_untouched(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS);
    char ip[LGN_ANON_MAX + 1], want[1024];
    anon_ip(a, "192.0.2.1", ip);
    snprintf(want, sizeof want, "%s - - " TIME " \"GET /x HTTP/1.1\" 304 1234 \"-\" \"" UA "\"",
             ip);
    assert_line(a, "192.0.2.1 - - " TIME " \"GET /x HTTP/1.1\" 304 1234 \"-\" \"" UA "\"", want);
    lgn_anon_free(a);
}

static void test_xff_elementwise(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    assert_line(a,
                "192.0.2.10 - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" "
                "\"10.0.0.2, 10.0.0.1, 127.0.0.1\"",
                "192.0.2.0 - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" "
                "\"10.0.0.0, 10.0.0.0, 127.0.0.0\"");
    assert_line(a,
                "192.0.2.10 - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" "
                "\"unknown, [2001:db8:1:2::3]:443,10.1.2.3\"",
                "192.0.2.0 - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" "
                "\"unknown, [2001:db8:1::]:443,10.1.2.0\"");
    lgn_anon_free(a);

    /* Hash mode: each element gets its own pseudonym. */
    a = tu_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS);
    char x[LGN_ANON_MAX + 1], y[LGN_ANON_MAX + 1], z[LGN_ANON_MAX + 1], c[LGN_ANON_MAX + 1];
    char want[1024];
    anon_ip(a, "192.0.2.10", c);
    anon_ip(a, "10.0.0.2", x);
    anon_ip(a, "10.0.0.1", y);
    anon_ip(a, "2001:db8::1", z);
    snprintf(want, sizeof want,
             "%s - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" \"%s, %s, %s\"", c, x, y,
             z);
    assert_line(a,
                "192.0.2.10 - - " TIME " \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\" "
                "\"10.0.0.2, 10.0.0.1, 2001:db8::1\"",
                want);
    lgn_anon_free(a);
}

/* An address list in the client address field (xff_combined, a proxy's %h). */
static void test_address_field_list(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    assert_line(a, "10.0.0.2, 10.0.0.1, 127.0.0.1 - - " TIME " \"GET / HTTP/1.1\" 200 1",
                "10.0.0.0, 10.0.0.0, 127.0.0.0 - - " TIME " \"GET / HTTP/1.1\" 200 1");
    lgn_anon_free(a);
}

static void test_hostnames(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    char h1[LGN_ANON_MAX + 1], h2[LGN_ANON_MAX + 1], want[1024];
    pseudonym(a, "host", "client-7.example.com", h1);
    assert_int_equal(strlen(h1), 17);
    snprintf(want, sizeof want, "%s - - " TIME " \"GET / HTTP/1.1\" 200 1", h1);
    assert_line(a, "client-7.example.com - - " TIME " \"GET / HTTP/1.1\" 200 1", want);

    pseudonym(a, "host", "proxy.example.net", h2);
    snprintf(want, sizeof want, "%s, 10.0.0.0, %s - - " TIME " \"GET / HTTP/1.1\" 200 1", h2, h1);
    assert_line(a,
                "proxy.example.net, 10.0.0.1, client-7.example.com - - " TIME
                " \"GET / HTTP/1.1\" 200 1",
                want);
    lgn_anon_free(a);
}

#if 1 /* regression tests for bugs found in review */
/*
 * BUG: rewrite.c rewrite_addr: a host name in the address field that holds a dotted quad
 * (reverse-DNS names like "4.3.2.1.dsl.example.net" for client 1.2.3.4) has only the quad
 * replaced; the rest of the name passes through. In truncate mode "4.3.2.1.dsl.example.net"
 * becomes "4.3.2.0.dsl.example.net": it still holds the host octet (4) that truncation must
 * remove, plus the ISP domain. Expected "host-<12 hex>" for any token that is not exactly an
 * address.
 */
static void test_reverse_dns_hostname(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    char h[LGN_ANON_MAX + 1], want[1024];
    pseudonym(a, "host", "4.3.2.1.dsl.example.net", h);
    snprintf(want, sizeof want, "%s - - " TIME " \"GET / HTTP/1.1\" 200 1", h);
    assert_line(a, "4.3.2.1.dsl.example.net - - " TIME " \"GET / HTTP/1.1\" 200 1", want);
    lgn_anon_free(a);
}
#endif

/* Tokens that name no one stay as they are. */
static void test_kept_names(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS);
    const char *lines[] = {
        "- - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "unix: - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "unix:/run/app.sock - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "localhost - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "unknown - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "unix: - - [28/Jan/2022:16:04:05 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" \"-\"",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_line(a, lines[i], lines[i]);
        assert_false(rec.out[0].dirty);
    }
    lgn_anon_free(a);
}

static void test_users(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    char u[LGN_ANON_MAX + 1], id[LGN_ANON_MAX + 1], want[1024];
    assert_line(a, "10.0.0.1 - - " TIME " \"GET / HTTP/1.1\" 200 1",
                "10.0.0.0 - - " TIME " \"GET / HTTP/1.1\" 200 1");
    pseudonym(a, "user", "alice@example.com", u);
    assert_memory_equal(u, "user-", 5);
    snprintf(want, sizeof want, "10.0.0.0 - %s " TIME " \"GET / HTTP/1.1\" 200 1", u);
    assert_line(a, "10.0.0.1 - alice@example.com " TIME " \"GET / HTTP/1.1\" 200 1", want);
    /* %l (identd) too */
    pseudonym(a, "ident", "bob", id);
    snprintf(want, sizeof want, "10.0.0.0 %s %s " TIME " \"GET / HTTP/1.1\" 200 1", id, u);
    assert_line(a, "10.0.0.1 bob alice@example.com " TIME " \"GET / HTTP/1.1\" 200 1", want);
    lgn_anon_free(a);
}

/* The syslog head and trailing fields are scanned like any opaque text. */
static void test_head_and_tail(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    assert_line(a,
                "Sep 15 16:13:46 10.1.2.3 nginx[2869]: 10.0.0.1 - - " TIME
                " \"GET / HTTP/1.1\" 200 1 \"-\" \"curl\" rt=0.1 up=10.9.8.7:80",
                "Sep 15 16:13:46 10.1.2.0 nginx[2869]: 10.0.0.0 - - " TIME
                " \"GET / HTTP/1.1\" 200 1 \"-\" \"curl\" rt=0.1 up=10.9.8.0:80");
    assert_true(rec.out[LGN_REC_HEAD].dirty);
    assert_true(rec.out[LGN_REC_TAIL].dirty);
    assert_line(
        a, "2022-01-28T16:04:05.413656027Z stdout F 10.0.0.1 - - " TIME " \"GET / HTTP/1.1\" 200 1",
        "2022-01-28T16:04:05.413656027Z stdout F 10.0.0.0 - - " TIME " \"GET / HTTP/1.1\" 200 1");
    assert_false(rec.out[LGN_REC_HEAD].dirty);
    lgn_anon_free(a);
}

static void test_json_body(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    assert_line(a,
                "{\"remote_addr\":\"192.0.2.10\",\"xff\":\"10.0.0.2, 2001:db8:1:2::3\","
                "\"time\":\"2022-01-28T16:04:05+00:00\",\"status\":200}",
                "{\"remote_addr\":\"192.0.2.0\",\"xff\":\"10.0.0.0, 2001:db8:1::\","
                "\"time\":\"2022-01-28T16:04:05+00:00\",\"status\":200}");
    lgn_anon_free(a);
}

/* With a cache of clean values, a user agent or referer is scanned once; a
 * value holding an address is never remembered. */
static void test_seen_cache(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    struct lgn_textcache *seen = lgn_textcache_new();
    assert_non_null(seen);
    const char *in = "10.0.0.1 - - " TIME " \"GET / HTTP/1.1\" 200 1 \"http://192.0.2.9/\" "
                     "\"" UA "\"";
    const char *want = "10.0.0.0 - - " TIME " \"GET / HTTP/1.1\" 200 1 \"http://192.0.2.0/\" "
                       "\"" UA "\"";
    char out[4096];
    for (int i = 0; i < 3; i++) {
        assert_string_equal(run_line(a, seen, in, out, sizeof out), want);
        assert_true(rec.out[7].dirty);
        assert_false(rec.out[8].dirty);
    }
    assert_true(lgn_textcache_has(seen, LGN_SCRUB_UA, UA, strlen(UA)));
    assert_false(lgn_textcache_has(seen, LGN_SCRUB_URL, UA, strlen(UA)));
    assert_false(lgn_textcache_has(seen, LGN_SCRUB_URL, "http://192.0.2.9/", 17));
    lgn_textcache_free(seen);
    lgn_anon_free(a);
}

/* ---- lines that match no format ---- */

static void test_rewrite_text(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    struct lgn_arena arena = {0};
    bool changed = true;
    const char *bad = "garbage 203.0.113.195 and [2001:db8:1:2::3]:80 via fe80::1%eth0, "
                      "::ffff:10.1.2.3 at 11:05:07 (1.2.3)";
    const char *want = "garbage 203.0.113.0 and [2001:db8:1::]:80 via fe80::%eth0, "
                       "::ffff:10.1.2.0 at 11:05:07 (1.2.3)";
    assert_int_equal(lgn_arena_put(&arena, "kept:", 5), 0); /* appended after what is there */
    assert_int_equal(lgn_rewrite_text(a, bad, strlen(bad), &arena, &changed), 0);
    assert_true(changed);
    assert_int_equal(arena.len, 5 + strlen(want));
    assert_memory_equal(arena.buf, "kept:", 5);
    assert_memory_equal(arena.buf + 5, want, strlen(want));

    /* No address: nothing appended. */
    const char *clean = "no address at 11:05:07 in Chrome/54.0.2840.59";
    size_t before = arena.len;
    assert_int_equal(lgn_rewrite_text(a, clean, strlen(clean), &arena, &changed), 0);
    assert_false(changed);
    assert_int_equal(arena.len, before);
    free(arena.buf);
    lgn_anon_free(a);
}

/* Hash mode: every IPv4/IPv6 token of a bad line becomes a pseudonym. */
static void test_rewrite_text_hash(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_HASH, LGN_IPFMT_ADDRESS);
    struct lgn_arena arena = {0};
    bool changed = false;
    const char *bad = "x 198.51.100.7 y 2001:db8::42 z 198.51.100.7";
    assert_int_equal(lgn_rewrite_text(a, bad, strlen(bad), &arena, &changed), 0);
    assert_true(changed);
    char v4[LGN_ANON_MAX + 1], v6[LGN_ANON_MAX + 1], want[256];
    anon_ip(a, "198.51.100.7", v4);
    anon_ip(a, "2001:db8::42", v6);
    snprintf(want, sizeof want, "x %s y %s z %s", v4, v6, v4);
    assert_int_equal(arena.len, strlen(want));
    assert_memory_equal(arena.buf, want, arena.len);
    free(arena.buf);
    lgn_anon_free(a);
}

/* A bad line that reads like an access log line has its user (and ident)
 * pseudonymised (attack 7, finding 4); a text that merely starts with an
 * address keeps its words. Each case: the line, the ident and user it holds
 * (NULL: none), written "{I}" and "{U}" in the line. */
static void fill(char *out, size_t cap, const char *tmpl, const char *ident, const char *user)
{
    size_t o = 0;
    for (const char *p = tmpl; *p != '\0' && o + 1 < cap;) {
        const char *v = strncmp(p, "{I}", 3) == 0 ? ident : strncmp(p, "{U}", 3) == 0 ? user : NULL;
        if (v != NULL) {
            o += (size_t)snprintf(out + o, cap - o, "%s", v);
            p += 3;
        } else {
            out[o++] = *p++;
        }
    }
    out[o < cap ? o : cap - 1] = '\0';
}

static void test_bad_line_users(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    static const struct {
        const char *line, *ident, *user;
    } cases[] = {
        {"192.0.2.1 - {U}", NULL, "jane"},
        {"192.0.2.1 - {U} [2", NULL, "jane"},
        {"192.0.2.1 - {U} ", NULL, "jane"},
        {"192.0.2.1 - {U} [", NULL, "jane"},
        {"192.0.2.1 - {U} 2026-11-21T09:12:01+01:00 \"GET /x HTTP/1.1\" 200 1", NULL, "jane.doe"},
        {"192.0.2.1 - {U} 21/Nov/2026:09:12:01 +0100 \"GET\"", NULL, "jane.doe"},
        {"192.0.2.1 - {U} 1700000000.123 x", NULL, "jane.doe"},
        {"192.0.2.1 - {U} [2026-11-21T09:12:01+01:00] x", NULL, "jane"},
        {"192.0.2.1 {U} [21/Nov/2026:09:12:01 +0100] \"GET / HTTP/1.1\" 200", NULL, "jane.doe"},
        {"192.0.2.1 {U} [2026-11-21 09:12:01] x", NULL, "jane.doe"},
        {"192.0.2.1 {I} {U} 2026-11-21 09:12:01 x", "jdoe", "jane"},
        {"192.0.2.1 {I} {U} [21/Nov/2026:09:12:01 +0100] \"GET /", "jdoe", "jane doe"},
        {"[2001:db8::1]:443 - {U}", NULL, "jane"},
        {"client.example.net - {U}", NULL, "jane"},
        {"2022-01-28T16:04:05Z stdout P 192.0.2.1 - {U}", NULL, "jane"},
        /* plain text that starts with an address: only the address changes */
        {"192.0.2.1 closed the connection", NULL, NULL},
        {"192.0.2.1 - connection reset by peer", NULL, NULL},
        {"192.0.2.1 failed login", NULL, NULL},
        {"192.0.2.1 -", NULL, NULL},
        {"192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] \"GET", NULL, NULL},
        {"worker - jane", NULL, NULL},
        {"192.0.2.1 says [hello]", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char in[512], want[512], id[LGN_ANON_MAX + 1], u[LGN_ANON_MAX + 1];
        const char *ident = cases[i].ident, *user = cases[i].user;
        fill(in, sizeof in, cases[i].line, ident, user);
        fill(want, sizeof want, cases[i].line, ident ? pseudonym(a, "ident", ident, id) : NULL,
             user ? pseudonym(a, "user", user, u) : NULL);
        char *ip = strstr(want, "192.0.2.1"); /* the address is truncated anyway */
        if (ip != NULL)
            ip[8] = '0';
        char *v6 = strstr(want, "[2001:db8::1]");
        if (v6 != NULL)
            memmove(v6 + 11, v6 + 12, strlen(v6 + 12) + 1);
        struct lgn_arena out = {0};
        bool changed;
        assert_int_equal(lgn_rewrite_bad_line(a, NULL, in, strlen(in), &out, &changed), 0);
        if (!changed)
            assert_int_equal(lgn_arena_put(&out, in, strlen(in)), 0);
        if (out.len != strlen(want) || memcmp(out.buf, want, out.len) != 0)
            fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, want, (int)out.len, out.buf);
        free(out.buf);
    }
    lgn_anon_free(a);
}

/* rewrite [p] by policy vp with the default filters; want NULL: unchanged. */
static void assert_value(const struct lgn_rewrite_ctx *c, enum lgn_policy policy,
                         enum lgn_kind kind, const char *in, const char *want)
{
    struct lgn_value_policy vp = {.policy = policy, .kind = kind, .rule = -1};
    struct lgn_arena out = {0};
    bool changed;
    assert_int_equal(lgn_rewrite_value(c, &vp, in, strlen(in), &out, &changed), 0);
    if (want == NULL && !changed) {
        free(out.buf); /* an unchanged value may still have been copied */
        return;
    }
    if (want == NULL || !changed || out.len != strlen(want) || memcmp(out.buf, want, out.len) != 0)
        fail_msg("\n  in:   %s\n  want: %s\n  got:  %.*s", in, want ? want : "(unchanged)",
                 changed ? (int)out.len : 9, changed ? out.buf : "unchanged");
    free(out.buf);
}

/* The host policy (finding 9): a port of at most 5 digits up to 65535,
 * labels through the detectors; host names and addresses as before. The
 * text cache remembers a clean host, never a scrubbed one. */
static void test_host_policy(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    struct lgn_rules *rules = tu_rules_dir("filters");
    struct lgn_err err = {0};
    struct lgn_scrub *s = lgn_scrub_new(rules, NULL, a, &err);
    struct lgn_textcache *seen = lgn_textcache_new();
    assert_non_null(s);
    const struct lgn_rewrite_ctx c = {.a = a, .s = s, .seen = seen};
    for (int round = 0; round < 2; round++) { /* the second from the cache */
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "ex.com:4111111111111111", "ex.com:[card]");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "x.09121234567", "x.[phone]");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "09121234567.example.com", "[phone].example.com");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST,
                     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.abc123def456", "[jwt]");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "198.51.100.7:8080", "198.51.100.0:8080");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "ec2-198-51-100-7.compute-1.amazonaws.com",
                     "ec2-198-51-100-0.compute-1.amazonaws.com");
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "www.example.com", NULL);
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "localhost:8080", NULL);
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "ex.com:65535", NULL);
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "v1.2.3.example.com", NULL);
        assert_value(&c, LGN_P_HOST, LGN_K_HOST, "_", NULL);
    }
    lgn_textcache_free(seen);
    lgn_scrub_free(s);
    lgn_rules_free(rules);
    lgn_anon_free(a);
}

/* Forwarded (finding 10): for=/by= nodes as a client address field,
 * host= by the host policy, proto= kept, other pairs free text; not in its
 * syntax: free text. */
static void test_forwarded(void **state)
{
    (void)state;
    struct lgn_anon *a = tu_anon(LGN_IP_TRUNCATE, LGN_IPFMT_ADDRESS);
    struct lgn_rules *rules = tu_rules_dir("filters");
    struct lgn_err err = {0};
    struct lgn_scrub *s = lgn_scrub_new(rules, NULL, a, &err);
    assert_non_null(s);
    const struct lgn_rewrite_ctx c = {.a = a, .s = s};
    char h[LGN_ANON_MAX + 1], want[256];
    pseudonym(a, "host", "client.dsl.example.net", h);
    snprintf(want, sizeof want, "for=%s;host=x", h);
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=client.dsl.example.net;host=x", want);
    snprintf(want, sizeof want, "for=%s:8080, by=\\\"[2001:db8::]:80\\\"", h);
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST,
                 "for=client.dsl.example.net:8080, by=\\\"[2001:db8::1]:80\\\"", want);
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=192.0.2.60;proto=http;by=203.0.113.43",
                 "for=192.0.2.0;proto=http;by=203.0.113.0");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=\"[2001:db8:cafe::17]:4711\"",
                 "for=\"[2001:db8:cafe::]:4711\"");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=\\x22[2001:db8:cafe::17]:4711\\x22",
                 "for=\\x22[2001:db8:cafe::]:4711\\x22");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=unknown;by=_hidden;proto=https", NULL);
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=_09121234567", "for=_[phone]");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=unknown;host=x.09121234567",
                 "for=unknown;host=x.[phone]");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=unknown;secret=hunter2",
                 "for=unknown;secret=[key]");
    /* not Forwarded: free text as a whole */
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "for=\"jane@example.com", "for=\"[email]");
    assert_value(&c, LGN_P_ADDRESS, LGN_K_ADDR_LIST, "a=b=c 198.51.100.7", "a=b=c 198.51.100.0");
    lgn_scrub_free(s);
    lgn_rules_free(rules);
    lgn_anon_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combined_truncate),
        cmocka_unit_test(test_ipv6_and_mapped_clients),
        cmocka_unit_test(test_nothing_to_change),
        cmocka_unit_test(test_time_status_untouched),
        cmocka_unit_test(test_xff_elementwise),
        cmocka_unit_test(test_address_field_list),
        cmocka_unit_test(test_hostnames),
        cmocka_unit_test(test_kept_names),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_head_and_tail),
        cmocka_unit_test(test_json_body),
        cmocka_unit_test(test_seen_cache),
        cmocka_unit_test(test_rewrite_text),
        cmocka_unit_test(test_rewrite_text_hash),
        cmocka_unit_test(test_bad_line_users),
        cmocka_unit_test(test_host_policy),
        cmocka_unit_test(test_forwarded),
#if 1 /* regression tests for bugs found in review */
        cmocka_unit_test(test_reverse_dns_hostname),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
