/* test_logfmt.c: unit tests for logfmt.c (presets, Apache %, nginx $vars, compile errors). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "logfmt.h"

/* ---- helpers ---- */

static struct lgn_format *apache(const char *spec)
{
    struct lgn_err err = {0};
    struct lgn_format *f = lgn_format_apache("t", spec, &err);
    if (f == NULL)
        fail_msg("apache '%s': %s", spec, err.msg);
    return f;
}

static struct lgn_format *nginx(const char *spec)
{
    struct lgn_err err = {0};
    struct lgn_format *f = lgn_format_nginx("t", spec, &err);
    if (f == NULL)
        fail_msg("nginx '%s': %s", spec, err.msg);
    return f;
}

/* The n-th field op (0-based). */
static const struct lgn_op *field(const struct lgn_format *f, size_t n)
{
    for (size_t i = 0; i < f->n_ops; i++)
        if (f->ops[i].is_field && n-- == 0)
            return &f->ops[i];
    fail_msg("format has no field %zu", n);
    return NULL;
}

/* A format made of one directive/variable: its only field has `kind`. */
static void assert_single(char dialect, const char *spec, enum lgn_kind kind)
{
    struct lgn_format *f = dialect == 'a' ? apache(spec) : nginx(spec);
    assert_int_equal(f->n_fields, 1);
    if (field(f, 0)->kind != kind)
        fail_msg("'%s': kind %d, want %d", spec, (int)field(f, 0)->kind, (int)kind);
    lgn_format_free(f);
}

static void assert_lit(const struct lgn_op *op, const char *lit)
{
    assert_false(op->is_field);
    if (op->lit_len != strlen(lit) || memcmp(op->lit, lit, op->lit_len) != 0)
        fail_msg("literal '%.*s', want '%s'", (int)op->lit_len, op->lit, lit);
}

/* Compiling fails with a usage error whose message holds every needle. */
static void assert_error(char dialect, const char *spec, const char *needle1, const char *needle2)
{
    struct lgn_err err = {0};
    struct lgn_format *f =
        dialect == 'a' ? lgn_format_apache("t", spec, &err) : lgn_format_nginx("t", spec, &err);
    if (f != NULL)
        fail_msg("'%s' compiled; an error was expected", spec);
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
    if (strstr(err.msg, needle1) == NULL || (needle2 && strstr(err.msg, needle2) == NULL))
        fail_msg("'%s': message '%s' lacks '%s' / '%s'", spec, err.msg, needle1,
                 needle2 ? needle2 : "");
}

/* ---- presets ---- */

static void test_presets_compile(void **state)
{
    (void)state;
    const char *const *names = lgn_format_preset_names();
    size_t n = 0;
    for (; names[n] != NULL; n++) {
        struct lgn_err err = {0};
        struct lgn_format *f = lgn_format_preset(names[n], &err);
        if (f == NULL)
            fail_msg("preset %s: %s", names[n], err.msg);
        assert_string_equal(f->name, names[n]);
        assert_true(f->n_fields > 0);
        assert_non_null(lgn_format_preset_spec(names[n]));
        lgn_format_free(f);
    }
    assert_true(n >= 10);
    assert_string_equal(names[0], "combined"); /* preferred on ties */
}

static bool listed(const char *name)
{
    for (const char *const *p = lgn_format_preset_names(); *p != NULL; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

static void test_preset_names(void **state)
{
    (void)state;
    const char *expected[] = {"combined", "common",        "vhost_combined", "nginx_main",
                              "json",     "ingress_nginx", "host_combined",  "xff_combined"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (!listed(expected[i]))
            fail_msg("preset %s not listed", expected[i]);
    /* Not auto-detected (same shape as combined), but usable by name. */
    assert_false(listed("nginx_combined"));
    struct lgn_err err = {0};
    struct lgn_format *f = lgn_format_preset("nginx_combined", &err);
    assert_non_null(f);
    assert_int_equal(f->n_fields, 8);
    lgn_format_free(f);
    /* "main" is nginx's own name for nginx_main. */
    f = lgn_format_preset("main", &err);
    assert_non_null(f);
    assert_string_equal(f->name, "nginx_main");
    lgn_format_free(f);
    assert_string_equal(lgn_format_preset_spec("common"), "%h %l %u %t \"%r\" %>s %b");
}

static void test_unknown_preset(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    assert_null(lgn_format_preset("nosuchformat", &err));
    assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "unknown format 'nosuchformat'"));
    assert_null(lgn_format_preset_spec("nosuchformat"));
    assert_null(lgn_format_preset("nosuchformat", NULL)); /* err is optional */
}

/* The whole op array of the combined preset. */
static void test_combined_ops(void **state)
{
    (void)state;
    struct lgn_err err = {0};
    struct lgn_format *f = lgn_format_preset("combined", &err);
    assert_non_null(f);
    assert_int_equal(f->n_fields, 9);
    assert_int_equal(f->n_ops, 18);
    const struct {
        enum lgn_kind kind;
        const char *name;
        bool quoted, spaces, lists;
        const char *lit_after;
    } want[] = {
        {LGN_K_ADDR, "%h", false, false, true, " "},
        {LGN_K_IDENT, "%l", false, false, false, " "},
        {LGN_K_USER, "%u", false, false, false, " ["},
        {LGN_K_TIME, "%t", false, true, false, "] \""},
        {LGN_K_REQUEST, "%r", true, false, false, "\" "},
        {LGN_K_STATUS, "%>s", false, false, false, " "},
        {LGN_K_NUMBER, "%b", false, false, true, " \""},
        {LGN_K_REFERER, "%{Referer}i", true, false, false, "\" \""},
        {LGN_K_UA, "%{User-Agent}i", true, false, false, "\""},
    };
    for (size_t i = 0; i < 9; i++) {
        const struct lgn_op *op = &f->ops[2 * i];
        assert_true(op->is_field);
        assert_int_equal(op->kind, want[i].kind);
        assert_string_equal(op->name, want[i].name);
        assert_int_equal(op->quoted, want[i].quoted);
        assert_int_equal(op->spaces, want[i].spaces);
        assert_int_equal(op->lists, want[i].lists);
        assert_lit(&f->ops[2 * i + 1], want[i].lit_after);
    }
    lgn_format_free(f);
}

/* ---- Apache ---- */

static void test_apache_directives(void **state)
{
    (void)state;
    const struct {
        const char *spec;
        enum lgn_kind kind;
    } cases[] = {
        {"%h", LGN_K_ADDR},
        {"%a", LGN_K_ADDR},
        {"%{c}a", LGN_K_ADDR},
        {"%l", LGN_K_IDENT},
        {"%u", LGN_K_USER},
        {"%t", LGN_K_TIME},
        {"%{%d/%b/%Y}t", LGN_K_TIME_OTHER},
        {"%{msec}t", LGN_K_TIME_OTHER},
        {"%r", LGN_K_REQUEST},
        {"%m", LGN_K_METHOD},
        {"%U", LGN_K_URL},
        {"%q", LGN_K_QUERY},
        {"%H", LGN_K_PROTOCOL},
        {"%s", LGN_K_STATUS},
        {"%>s", LGN_K_STATUS},
        {"%<s", LGN_K_STATUS},
        {"%b", LGN_K_NUMBER},
        {"%B", LGN_K_NUMBER},
        {"%O", LGN_K_NUMBER},
        {"%I", LGN_K_NUMBER},
        {"%D", LGN_K_NUMBER},
        {"%T", LGN_K_NUMBER},
        {"%p", LGN_K_PORT},
        {"%v", LGN_K_HOST},
        {"%V", LGN_K_HOST},
        {"%{Referer}i", LGN_K_REFERER},
        {"%{User-Agent}i", LGN_K_UA},
        {"%{user-agent}i", LGN_K_UA},
        {"%{X-Forwarded-For}i", LGN_K_ADDR_LIST},
        {"%{Forwarded}i", LGN_K_ADDR_LIST},
        {"%{X-Real-IP}i", LGN_K_ADDR_LIST},
        {"%{Host}i", LGN_K_HOST},
        {"%{Cookie}i", LGN_K_OPAQUE},
        {"%{X}o", LGN_K_OPAQUE},
        {"%{Origin}i", LGN_K_URL_HEADER},
        {"%{Location}o", LGN_K_URL_HEADER},
        {"%{X-Original-URL}i", LGN_K_URL_HEADER},
        {"%{Host}o", LGN_K_OPAQUE},
        {"%{X}e", LGN_K_OPAQUE},
        {"%{X}n", LGN_K_OPAQUE},
        {"%{X}C", LGN_K_OPAQUE},
        {"%{SSL_PROTOCOL}x", LGN_K_OPAQUE},
        {"%A", LGN_K_OPAQUE},
        {"%400,501{User-agent}i", LGN_K_UA},
        {"%!200r", LGN_K_REQUEST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_single('a', cases[i].spec, cases[i].kind);
}

/* %t writes its own brackets; a strftime %{...}t does not. */
static void test_apache_time(void **state)
{
    (void)state;
    struct lgn_format *f = apache("%t");
    assert_int_equal(f->n_ops, 3);
    assert_lit(&f->ops[0], "[");
    assert_true(f->ops[1].is_field);
    assert_true(f->ops[1].spaces);
    assert_lit(&f->ops[2], "]");
    lgn_format_free(f);

    f = apache("%{%d/%b/%Y}t %h");
    assert_true(f->ops[0].is_field);
    assert_false(f->ops[0].spaces);
    assert_string_equal(f->ops[0].name, "%{%d/%b/%Y}t");
    lgn_format_free(f);

    f = apache("%{%d/%b/%Y %T}t|%h"); /* a space inside the time */
    assert_true(f->ops[0].spaces);
    lgn_format_free(f);
}

static void test_apache_escapes(void **state)
{
    (void)state;
    struct lgn_format *f = apache("%h %% \\\"%r\\\"\\t%>s");
    assert_int_equal(f->n_fields, 3);
    assert_lit(&f->ops[1], " % \"");
    assert_true(f->ops[2].quoted);
    assert_lit(&f->ops[3], "\"\t");
    lgn_format_free(f);

    f = apache("$remote_addr %h"); /* '$' is literal in Apache formats */
    assert_int_equal(f->n_fields, 1);
    assert_lit(&f->ops[0], "$remote_addr ");
    lgn_format_free(f);
}

/* quoted needs a '"' on both sides; lists go with addresses and numbers. */
static void test_field_flags(void **state)
{
    (void)state;
    struct lgn_format *f = apache("\"%r %h \"%{Referer}i\" %{X-Forwarded-For}i %>s %D");
    assert_false(field(f, 0)->quoted); /* no closing quote */
    assert_false(field(f, 1)->quoted);
    assert_true(field(f, 2)->quoted);
    assert_true(field(f, 1)->lists);
    assert_true(field(f, 3)->lists);
    assert_false(field(f, 4)->lists);
    assert_true(field(f, 5)->lists);
    assert_false(field(f, 0)->lists);
    lgn_format_free(f);
}

/* ---- nginx ---- */

static void test_nginx_variables(void **state)
{
    (void)state;
    const struct {
        const char *spec;
        enum lgn_kind kind;
    } cases[] = {
        {"$remote_addr", LGN_K_ADDR},
        {"$realip_remote_addr", LGN_K_ADDR},
        {"$binary_remote_addr", LGN_K_ADDR},
        {"$remote_user", LGN_K_USER},
        {"$time_local", LGN_K_TIME},
        {"$time_iso8601", LGN_K_TIME_ISO},
        {"$msec", LGN_K_TIME_OTHER},
        {"$request", LGN_K_REQUEST},
        {"$request_method", LGN_K_METHOD},
        {"$request_uri", LGN_K_URL},
        {"$uri", LGN_K_URL},
        {"$document_uri", LGN_K_URL},
        {"$args", LGN_K_QUERY},
        {"$query_string", LGN_K_QUERY},
        {"$server_protocol", LGN_K_PROTOCOL},
        {"$status", LGN_K_STATUS},
        {"$body_bytes_sent", LGN_K_NUMBER},
        {"$bytes_sent", LGN_K_NUMBER},
        {"$request_length", LGN_K_NUMBER},
        {"$request_time", LGN_K_NUMBER},
        {"$server_port", LGN_K_PORT},
        {"$remote_port", LGN_K_PORT},
        {"$connection", LGN_K_NUMBER},
        {"$connection_requests", LGN_K_NUMBER},
        {"$upstream_response_time", LGN_K_NUMBER},
        {"$upstream_connect_time", LGN_K_NUMBER},
        {"$upstream_header_time", LGN_K_NUMBER},
        {"$upstream_response_length", LGN_K_NUMBER},
        {"$upstream_status", LGN_K_NUMBER},
        {"$http_referer", LGN_K_REFERER},
        {"$http_user_agent", LGN_K_UA},
        {"$http_x_forwarded_for", LGN_K_ADDR_LIST},
        {"$proxy_add_x_forwarded_for", LGN_K_ADDR_LIST},
        {"$upstream_addr", LGN_K_ADDR_LIST},
        {"$host", LGN_K_HOST},
        {"$http_host", LGN_K_HOST},
        {"$server_name", LGN_K_HOST},
        {"$hostname", LGN_K_HOST},
        {"$json_body", LGN_K_OPAQUE},
        /* other request headers go by the header table */
        {"$http_x_real_ip", LGN_K_ADDR_LIST},
        {"$http_forwarded", LGN_K_ADDR_LIST},
        {"$http_cf_connecting_ip", LGN_K_ADDR_LIST},
        {"$http_cookie", LGN_K_OPAQUE},
        {"$http_origin", LGN_K_URL_HEADER},
        {"$sent_http_location", LGN_K_URL_HEADER},
        {"$sent_http_content_location", LGN_K_URL_HEADER},
        {"$sent_http_x_forwarded_for", LGN_K_OPAQUE},
        /* unknown variables */
        {"$request_id", LGN_K_OPAQUE},
        {"$ssl_protocol", LGN_K_OPAQUE},
        {"$remote_addr_x", LGN_K_OPAQUE},
        {"$http_", LGN_K_OPAQUE},
        {"${remote_addr}", LGN_K_ADDR},
        {"${http_x_forwarded_for}", LGN_K_ADDR_LIST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_single('n', cases[i].spec, cases[i].kind);
}

static void test_nginx_syntax(void **state)
{
    (void)state;
    /* ${var} lets a variable run into text. */
    struct lgn_format *f = nginx("${remote_addr}abc $status");
    assert_int_equal(f->n_fields, 2);
    assert_string_equal(f->ops[0].name, "${remote_addr}");
    assert_lit(&f->ops[1], "abc ");
    lgn_format_free(f);

    /* A variable name ends at the first character that cannot be in one. */
    f = nginx("$remote_addr-$status");
    assert_string_equal(f->ops[0].name, "$remote_addr");
    assert_lit(&f->ops[1], "-");
    lgn_format_free(f);

    /* '%' is literal; \" is a quote; $time_local has no implicit brackets. */
    f = nginx("%h [$time_local] \\\"$request\\\"");
    assert_lit(&f->ops[0], "%h [");
    assert_true(f->ops[1].spaces);
    assert_lit(&f->ops[2], "] \"");
    assert_true(f->ops[3].quoted);
    lgn_format_free(f);

    /* The JSON body may hold spaces. */
    struct lgn_err err = {0};
    f = lgn_format_preset("json", &err);
    assert_non_null(f);
    assert_int_equal(f->n_ops, 3);
    assert_lit(&f->ops[0], "{");
    assert_true(f->ops[1].spaces);
    assert_lit(&f->ops[2], "}");
    lgn_format_free(f);
}

/* ---- errors ---- */

static void test_errors_apache(void **state)
{
    (void)state;
    /* The column is where the directive starts (its '%'). */
    assert_error('a', "%Z", "column 1", "'%Z'");
    assert_error('a', "%h %Z", "column 4", "unknown Apache directive");
    assert_error('a', "%h %>Z", "column 4", "'%Z'");
    assert_error('a', "%{Referer", "column 2", "'{'");
    assert_error('a', "%h \"%{Referer\"", "column 6", "closing '}'");
    assert_error('a', "%", "column 1", "at the end");
    assert_error('a', "%h %", "column 4", "at the end");
    assert_error('a', "%h %>", "column 4", "at the end");
    assert_error('a', "%h%l", "column 3", "%l directly follows another field");
    assert_error('a', "%h %u%r", "column 6", "directly follows");
    assert_error('a', "%i", "column 1", "needs a {name}");
    assert_error('a', "%h %o", "column 4", "needs a {name}");
    assert_error('a', "just text", "column 1", "no fields");
    assert_error('a', "", "column 1", "no fields");
    assert_error('a', "100%% literal", "column 1", "no fields");
}

static void test_errors_nginx(void **state)
{
    (void)state;
    assert_error('n', "$", "column 1", "not followed by a variable name");
    assert_error('n', "$remote_addr $", "column 14", "not followed by a variable name");
    assert_error('n', "$remote_addr $ x", "column 14", "variable name");
    assert_error('n', "${}", "column 1", "variable name");
    assert_error('n', "$status ${remote_addr", "column 9", "'${'");
    assert_error('n', "$remote_addr$remote_user", "column 13", "$remote_user directly follows");
    assert_error('n', "no variables here", "column 1", "no fields");
}

static void test_too_many_fields(void **state)
{
    (void)state;
    char spec[4 * (LGN_MAX_FIELDS + 1) + 1];
    size_t n = 0;
    for (int i = 0; i < LGN_MAX_FIELDS; i++) {
        memcpy(spec + n, "%h ", 3);
        n += 3;
    }
    spec[n] = '\0';
    struct lgn_format *f = apache(spec); /* exactly the maximum */
    assert_int_equal(f->n_fields, LGN_MAX_FIELDS);
    lgn_format_free(f);
    memcpy(spec + n, "%h", 3);
    char col[32];
    snprintf(col, sizeof col, "column %zu", n + 1);
    assert_error('a', spec, col, "more than 64 fields");
}

/* err may be NULL; lgn_format_free accepts NULL. */
static void test_null_err(void **state)
{
    (void)state;
    assert_null(lgn_format_apache("t", "%Z", NULL));
    assert_null(lgn_format_nginx("t", "$", NULL));
    lgn_format_free(NULL);
}

/* Each field's policy is decided when the format is compiled. */
static void test_policies(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        char dialect;
        enum lgn_policy policy;
        const char *subject;
    } cases[] = {
        {"%h", 'a', LGN_P_ADDRESS, ""},
        {"%{X-Forwarded-For}i", 'a', LGN_P_ADDRESS, "X-Forwarded-For"},
        {"%v", 'a', LGN_P_HOST, ""},
        {"%V", 'a', LGN_P_HOST, ""},
        {"%{Host}i", 'a', LGN_P_HOST, "Host"},
        {"%u", 'a', LGN_P_USER, ""},
        {"%l", 'a', LGN_P_USER, ""},
        {"%t", 'a', LGN_P_STRUCTURED, ""},
        {"%>s", 'a', LGN_P_STRUCTURED, ""},
        {"%{%Y-%m-%d}t", 'a', LGN_P_STRUCTURED, "%Y-%m-%d"},
        {"%r", 'a', LGN_P_URL, ""},
        {"%{Referer}i", 'a', LGN_P_URL, "Referer"},
        {"%{User-Agent}i", 'a', LGN_P_UA, "User-Agent"},
        {"%{Cookie}i", 'a', LGN_P_COOKIE, "Cookie"},
        {"%{Set-Cookie}o", 'a', LGN_P_COOKIE, "Set-Cookie"},
        {"%{sid}C", 'a', LGN_P_COOKIE, "sid"},
        {"%{Authorization}i", 'a', LGN_P_CREDENTIAL, "Authorization"},
        {"%{proxy-authorization}i", 'a', LGN_P_CREDENTIAL, "proxy-authorization"},
        {"%{X-Api-Key}i", 'a', LGN_P_CREDENTIAL, "X-Api-Key"},
        {"%{HTTP_AUTHORIZATION}e", 'a', LGN_P_CREDENTIAL, "HTTP_AUTHORIZATION"},
        {"%{SSL_CLIENT_S_DN}x", 'a', LGN_P_USER, "SSL_CLIENT_S_DN"},
        {"%{SSL_CLIENT_S_DN_CN}x", 'a', LGN_P_USER, "SSL_CLIENT_S_DN_CN"},
        {"%{OIDC_CLAIM_email}e", 'a', LGN_P_USER, "OIDC_CLAIM_email"},
        {"%{REMOTE_USER}e", 'a', LGN_P_USER, "REMOTE_USER"},
        {"%{UNIQUE_ID}e", 'a', LGN_P_FREETEXT, "UNIQUE_ID"},
        {"%{SSL_CIPHER}x", 'a', LGN_P_FREETEXT, "SSL_CIPHER"},
        {"%{foo}n", 'a', LGN_P_FREETEXT, "foo"},
        {"%f", 'a', LGN_P_FREETEXT, ""},
        {"$remote_addr", 'n', LGN_P_ADDRESS, "remote_addr"},
        {"$remote_user", 'n', LGN_P_USER, "remote_user"},
        {"$host", 'n', LGN_P_HOST, "host"},
        {"$http_host", 'n', LGN_P_HOST, "http_host"},
        {"$server_name", 'n', LGN_P_HOST, "server_name"},
        {"$request_uri", 'n', LGN_P_URL, "request_uri"},
        {"$arg_email", 'n', LGN_P_QUERY_VALUE, "email"},
        {"${arg_q}", 'n', LGN_P_QUERY_VALUE, "q"},
        {"$cookie_sid", 'n', LGN_P_COOKIE, "sid"},
        {"$http_cookie", 'n', LGN_P_COOKIE, "http_cookie"},
        {"$sent_http_set_cookie", 'n', LGN_P_COOKIE, "sent_http_set_cookie"},
        {"$http_authorization", 'n', LGN_P_CREDENTIAL, "http_authorization"},
        {"$http_x_auth_token", 'n', LGN_P_CREDENTIAL, "http_x_auth_token"},
        {"$http_x_auth_request_email", 'n', LGN_P_USER, "http_x_auth_request_email"},
        {"$ssl_client_s_dn", 'n', LGN_P_USER, "ssl_client_s_dn"},
        {"$request_body", 'n', LGN_P_BODY, "request_body"},
        {"$http_user_agent", 'n', LGN_P_UA, "http_user_agent"},
        {"$status", 'n', LGN_P_STRUCTURED, "status"},
        {"$request_time", 'n', LGN_P_STRUCTURED, "request_time"},
        {"$request_id", 'n', LGN_P_FREETEXT, "request_id"},
        {"$json_body", 'n', LGN_P_JSON, "json_body"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lgn_format *f =
            cases[i].dialect == 'a' ? apache(cases[i].spec) : nginx(cases[i].spec);
        const struct lgn_op *op = field(f, 0);
        if (op->policy != cases[i].policy)
            fail_msg("%s: policy %s, want %s", cases[i].spec, lgn_policy_name(op->policy),
                     lgn_policy_name(cases[i].policy));
        char sub[64];
        snprintf(sub, sizeof sub, "%.*s", op->subject_len, op->name + op->subject_off);
        if (strcmp(sub, cases[i].subject) != 0)
            fail_msg("%s: subject '%s', want '%s'", cases[i].spec, sub, cases[i].subject);
        assert_int_equal(op->rule, -1);
        lgn_format_free(f);
    }
    struct lgn_format *f = apache("%{Set-Cookie}o %{Cookie}i %{sid}C");
    assert_true(field(f, 0)->set_cookie);
    assert_false(field(f, 1)->set_cookie);
    assert_false(field(f, 1)->one_cookie);
    assert_true(field(f, 2)->one_cookie);
    lgn_format_free(f);
}

/* JSON keys and headers decide as nginx variables do. */
static void test_policy_of_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool header;
        enum lgn_policy policy;
    } cases[] = {
        {"remote_addr", false, LGN_P_ADDRESS},
        {"client_ip", false, LGN_P_ADDRESS},
        {"host", false, LGN_P_HOST},
        {"Host", true, LGN_P_HOST},
        {"remote_user", false, LGN_P_USER},
        {"user_id", false, LGN_P_USER},
        {"uri", false, LGN_P_URL},
        {"status", false, LGN_P_STRUCTURED},
        {"ts", false, LGN_P_STRUCTURED},
        {"http_cookie", false, LGN_P_COOKIE},
        {"request_body", false, LGN_P_BODY},
        {"http_authorization", false, LGN_P_CREDENTIAL},
        {"msg", false, LGN_P_FREETEXT},
        {"request_User-Agent", false, LGN_P_UA},
        {"User-Agent", true, LGN_P_UA},
        {"Cookie", true, LGN_P_COOKIE},
        {"Authorization", true, LGN_P_CREDENTIAL},
        {"X-Forwarded-For", true, LGN_P_ADDRESS},
        {"Accept", true, LGN_P_FREETEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lgn_name_policy np =
            lgn_policy_of_name(cases[i].name, strlen(cases[i].name), cases[i].header);
        if (np.policy != cases[i].policy)
            fail_msg("%s: policy %s, want %s", cases[i].name, lgn_policy_name(np.policy),
                     lgn_policy_name(cases[i].policy));
    }
    struct lgn_name_policy np = lgn_policy_of_name("cookie_sid", 10, false);
    assert_true(np.one_cookie);
    assert_int_equal(np.subject_off, 7);
    assert_int_equal(np.subject_len, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets_compile),   cmocka_unit_test(test_preset_names),
        cmocka_unit_test(test_unknown_preset),    cmocka_unit_test(test_combined_ops),
        cmocka_unit_test(test_apache_directives), cmocka_unit_test(test_apache_time),
        cmocka_unit_test(test_apache_escapes),    cmocka_unit_test(test_field_flags),
        cmocka_unit_test(test_nginx_variables),   cmocka_unit_test(test_nginx_syntax),
        cmocka_unit_test(test_errors_apache),     cmocka_unit_test(test_errors_nginx),
        cmocka_unit_test(test_too_many_fields),   cmocka_unit_test(test_null_err),
        cmocka_unit_test(test_policies),          cmocka_unit_test(test_policy_of_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
