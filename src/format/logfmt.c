/* logfmt.c: compiles Apache LogFormat and nginx log_format strings into ops. */
#include "logfmt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct preset {
    const char *name;
    char dialect; /* 'a' Apache, 'n' nginx */
    const char *spec;
};

/* Auto-detection tries these in order; ties go to the earlier one. */
static const struct preset presets[] = {
    {"combined", 'a', "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""},
    {"nginx_main", 'n',
     "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
     "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\""},
    {"common", 'a', "%h %l %u %t \"%r\" %>s %b"},
    {"vhost_combined", 'a', "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""},
    {"host_combined", 'n',
     "$host $remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
     "\"$http_referer\" \"$http_user_agent\""},
    {"host_main", 'n',
     "$host $remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
     "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\""},
    /* Behind a CDN or load balancer, some set-ups log the X-Forwarded-For
     * list before the address, bare or quoted. */
    {"xff_combined", 'n',
     "$http_x_forwarded_for $remote_addr - $remote_user [$time_local] \"$request\" $status "
     "$body_bytes_sent \"$http_referer\" \"$http_user_agent\""},
    {"quoted_xff_combined", 'n',
     "\"$http_x_forwarded_for\" $remote_addr - $remote_user [$time_local] \"$request\" $status "
     "$body_bytes_sent \"$http_referer\" \"$http_user_agent\""},
    {"host_xff_combined", 'n',
     "$host $http_x_forwarded_for $remote_addr - $remote_user [$time_local] \"$request\" "
     "$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""},
    {"host_quoted_xff_combined", 'n',
     "$host \"$http_x_forwarded_for\" $remote_addr - $remote_user [$time_local] \"$request\" "
     "$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""},
    {"ingress_nginx", 'n',
     "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
     "\"$http_referer\" \"$http_user_agent\" $request_length $request_time "
     "[$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr "
     "$upstream_response_length $upstream_response_time $upstream_status $req_id"},
    /* BunkerWeb's default: a request id between the ident dash and the user. */
    {"bunkerweb", 'n',
     "$host $remote_addr - $request_id $remote_user [$time_local] \"$request\" $status "
     "$body_bytes_sent \"$http_referer\" \"$http_user_agent\""},
    {"ssl_request", 'a', "%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\" %b"},
    {"json", 'n', "{$json_body}"},
    /* Not auto-detected: same shape as an earlier preset. */
    {"nginx_combined", 'n',
     "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
     "\"$http_referer\" \"$http_user_agent\""},
};
#define N_PRESETS (sizeof presets / sizeof presets[0])
#define N_AUTO (N_PRESETS - 1)

const char *const *lgn_format_preset_names(void)
{
    static const char *names[N_AUTO + 1];
    for (size_t i = 0; i < N_AUTO; i++)
        names[i] = presets[i].name;
    names[N_AUTO] = NULL;
    return names;
}

static const struct preset *find_preset(const char *name)
{
    if (strcmp(name, "main") == 0)
        name = "nginx_main";
    for (size_t i = 0; i < N_PRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

const char *lgn_format_preset_spec(const char *name)
{
    const struct preset *p = find_preset(name);
    return p ? p->spec : NULL;
}

/* ---- building the op array ---- */

struct builder {
    struct lgn_format *f;
    size_t cap_ops;
    size_t store_len; /* storage has room for strlen(spec) bytes: literals never grow */
    struct lgn_err *err;
};

static struct lgn_op *add_op(struct builder *b)
{
    if (b->f->n_ops == b->cap_ops) {
        size_t cap = b->cap_ops ? b->cap_ops * 2 : 16;
        struct lgn_op *ops = realloc(b->f->ops, cap * sizeof *ops);
        if (ops == NULL)
            return NULL;
        b->f->ops = ops;
        b->cap_ops = cap;
    }
    struct lgn_op *op = &b->f->ops[b->f->n_ops++];
    memset(op, 0, sizeof *op);
    return op;
}

/* Appends one literal byte, merging with a preceding literal. Literal pointers
 * are fixed up once all bytes are in storage (storage never moves). */
static int add_lit_byte(struct builder *b, char c)
{
    struct lgn_op *last = b->f->n_ops ? &b->f->ops[b->f->n_ops - 1] : NULL;
    b->f->storage[b->store_len] = c;
    if (last != NULL && !last->is_field) {
        last->lit_len++;
    } else {
        struct lgn_op *op = add_op(b);
        if (op == NULL)
            return -1;
        op->lit = b->f->storage + b->store_len;
        op->lit_len = 1;
    }
    b->store_len++;
    return 0;
}

static int add_field(struct builder *b, enum lgn_kind kind, const char *name, size_t name_len,
                     size_t col)
{
    if (b->f->n_ops && b->f->ops[b->f->n_ops - 1].is_field)
        return lgn_err_set(b->err, LGN_EXIT_USAGE,
                           "format column %zu: field %.*s directly follows another field; "
                           "lognym needs a separator between fields",
                           col, (int)name_len, name);
    if (b->f->n_fields == LGN_MAX_FIELDS)
        return lgn_err_set(b->err, LGN_EXIT_USAGE, "format column %zu: more than %d fields", col,
                           LGN_MAX_FIELDS);
    struct lgn_op *op = add_op(b);
    if (op == NULL)
        return lgn_err_set(b->err, LGN_EXIT_INTERNAL, "out of memory");
    op->is_field = true;
    op->kind = kind;
    if (name_len >= sizeof op->name)
        name_len = sizeof op->name - 1;
    memcpy(op->name, name, name_len);
    op->name[name_len] = '\0';
    b->f->n_fields++;
    return 0;
}

/* Header names as servers write them: any case, '_' for '-' (nginx). */
static bool header_is(const char *h, size_t n, const char *name)
{
    if (strlen(name) != n)
        return false;
    for (size_t j = 0; j < n; j++)
        if (!(h[j] == name[j] || (h[j] == '_' && name[j] == '-') || (h[j] | 0x20) == name[j]))
            return false;
    return true;
}

static enum lgn_kind header_kind(const char *h, size_t n)
{
    static const struct {
        const char *name;
        enum lgn_kind kind;
    } headers[] = {
        {"referer", LGN_K_REFERER},
        {"user-agent", LGN_K_UA},
        {"x-forwarded-for", LGN_K_ADDR_LIST},
        {"forwarded", LGN_K_ADDR_LIST},
        {"x-real-ip", LGN_K_ADDR_LIST},
        {"x-client-ip", LGN_K_ADDR_LIST},
        {"true-client-ip", LGN_K_ADDR_LIST},
        {"cf-connecting-ip", LGN_K_ADDR_LIST},
        {"host", LGN_K_HOST},
        {"origin", LGN_K_URL_HEADER},
        {"location", LGN_K_URL_HEADER},
        {"content-location", LGN_K_URL_HEADER},
        {"x-original-url", LGN_K_URL_HEADER},
        {"x-original-uri", LGN_K_URL_HEADER},
        {"x-rewrite-url", LGN_K_URL_HEADER},
        {"x-forwarded-uri", LGN_K_URL_HEADER},
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (header_is(h, n, headers[i].name))
            return headers[i].kind;
    return LGN_K_OPAQUE;
}

/* Headers whose policy is not their kind's: cookies, credentials, and the
 * identity headers of authenticating proxies (oauth2-proxy, Authelia). */
static bool header_policy(const char *h, size_t n, enum lgn_policy *policy)
{
    static const struct {
        const char *name;
        enum lgn_policy policy;
    } headers[] = {
        {"cookie", LGN_P_COOKIE},
        {"set-cookie", LGN_P_COOKIE},
        {"authorization", LGN_P_CREDENTIAL},
        {"proxy-authorization", LGN_P_CREDENTIAL},
        {"x-api-key", LGN_P_CREDENTIAL},
        {"api-key", LGN_P_CREDENTIAL},
        {"x-auth-token", LGN_P_CREDENTIAL},
        {"x-access-token", LGN_P_CREDENTIAL},
        {"x-csrf-token", LGN_P_CREDENTIAL},
        {"x-xsrf-token", LGN_P_CREDENTIAL},
        {"x-amz-security-token", LGN_P_CREDENTIAL},
        {"x-auth-request-email", LGN_P_USER},
        {"x-auth-request-user", LGN_P_USER},
        {"x-auth-request-preferred-username", LGN_P_USER},
        {"x-forwarded-user", LGN_P_USER},
        {"x-forwarded-email", LGN_P_USER},
        {"x-forwarded-preferred-username", LGN_P_USER},
        {"x-remote-user", LGN_P_USER},
        {"remote-user", LGN_P_USER},
        {"remote-email", LGN_P_USER},
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (header_is(h, n, headers[i].name)) {
            *policy = headers[i].policy;
            return true;
        }
    return false;
}

/* A response header (%{Location}o, $sent_http_location): a URL, or opaque. */
static enum lgn_kind response_header_kind(const char *h, size_t n)
{
    return header_kind(h, n) == LGN_K_URL_HEADER ? LGN_K_URL_HEADER : LGN_K_OPAQUE;
}

/* ---- Apache ---- */

/* What an Apache directive's letter logs. Some read their {name}: the time
 * with a strftime format is another time, a header's kind is its name's. */
enum apache_arg { ARG_NONE, ARG_NEEDED, ARG_TIME, ARG_REQUEST_HEADER, ARG_RESPONSE_HEADER };

static const struct apache_directive {
    char letter;
    enum lgn_kind kind;
    enum apache_arg arg;
} apache_directives[] = {
    {'h', LGN_K_ADDR, ARG_NONE},
    {'a', LGN_K_ADDR, ARG_NONE},
    {'A', LGN_K_OPAQUE, ARG_NONE},
    {'l', LGN_K_IDENT, ARG_NONE},
    {'u', LGN_K_USER, ARG_NONE},
    {'t', LGN_K_TIME, ARG_TIME},
    {'r', LGN_K_REQUEST, ARG_NONE},
    {'m', LGN_K_METHOD, ARG_NONE},
    {'U', LGN_K_URL, ARG_NONE},
    {'q', LGN_K_QUERY, ARG_NONE},
    {'H', LGN_K_PROTOCOL, ARG_NONE},
    {'s', LGN_K_STATUS, ARG_NONE},
    {'b', LGN_K_NUMBER, ARG_NONE},
    {'B', LGN_K_NUMBER, ARG_NONE},
    {'O', LGN_K_NUMBER, ARG_NONE},
    {'I', LGN_K_NUMBER, ARG_NONE},
    {'S', LGN_K_NUMBER, ARG_NONE},
    {'D', LGN_K_NUMBER, ARG_NONE},
    {'T', LGN_K_NUMBER, ARG_NONE},
    {'P', LGN_K_NUMBER, ARG_NONE},
    {'k', LGN_K_NUMBER, ARG_NONE},
    {'p', LGN_K_PORT, ARG_NONE},
    {'v', LGN_K_HOST, ARG_NONE},
    {'V', LGN_K_HOST, ARG_NONE},
    {'i', LGN_K_OPAQUE, ARG_REQUEST_HEADER},
    {'o', LGN_K_OPAQUE, ARG_RESPONSE_HEADER}, /* only the URL ones mean something here */
    {'e', LGN_K_OPAQUE, ARG_NEEDED},
    {'n', LGN_K_OPAQUE, ARG_NEEDED},
    {'C', LGN_K_OPAQUE, ARG_NEEDED},
    {'x', LGN_K_OPAQUE, ARG_NEEDED}, /* also %{name}^ti / ^to: trailers */
    {'X', LGN_K_OPAQUE, ARG_NONE},
    {'L', LGN_K_OPAQUE, ARG_NONE},
    {'R', LGN_K_OPAQUE, ARG_NONE},
    {'f', LGN_K_OPAQUE, ARG_NONE},
    {'M', LGN_K_OPAQUE, ARG_NONE},
};

static const struct apache_directive *find_apache_directive(char c)
{
    for (size_t i = 0; i < sizeof apache_directives / sizeof apache_directives[0]; i++)
        if (apache_directives[i].letter == c)
            return &apache_directives[i];
    return NULL;
}

/* The kind of directive d with its {name} arg (NULL when none). */
static enum lgn_kind apache_kind(const struct apache_directive *d, const char *arg, size_t arg_len)
{
    if (arg == NULL)
        return d->kind;
    switch (d->arg) {
    case ARG_TIME:
        return LGN_K_TIME_OTHER;
    case ARG_REQUEST_HEADER:
        return header_kind(arg, arg_len);
    case ARG_RESPONSE_HEADER:
        return response_header_kind(arg, arg_len);
    default:
        return d->kind;
    }
}

static int apache_directive(struct builder *b, const char *spec, size_t *i)
{
    size_t start = *i; /* at '%' */
    size_t j = start + 1;
    if (spec[j] == '%') {
        *i = j + 1;
        return add_lit_byte(b, '%');
    }
    /* Modifiers: '<' '>' (original/final request), status lists "400,501" or "!200". */
    while (spec[j] == '<' || spec[j] == '>' || spec[j] == '!' || spec[j] == ',' ||
           (spec[j] >= '0' && spec[j] <= '9'))
        j++;
    const char *arg = NULL;
    size_t arg_len = 0;
    if (spec[j] == '{') {
        const char *close = strchr(spec + j, '}');
        if (close == NULL)
            return lgn_err_set(b->err, LGN_EXIT_USAGE,
                               "format column %zu: '{' without a closing '}'", j + 1);
        arg = spec + j + 1;
        arg_len = (size_t)(close - arg);
        j = (size_t)(close - spec) + 1;
    }
    char c = spec[j];
    if (c == '^' && spec[j + 1] == 't' && (spec[j + 2] == 'i' || spec[j + 2] == 'o'))
        j += 2, c = 'x'; /* %{name}^ti / ^to: trailers, opaque */
    const struct apache_directive *d = c != '\0' ? find_apache_directive(c) : NULL;
    if (d == NULL) {
        if (c == '\0')
            return lgn_err_set(b->err, LGN_EXIT_USAGE,
                               "format column %zu: '%%' at the end of the format", start + 1);
        return lgn_err_set(b->err, LGN_EXIT_USAGE,
                           "format column %zu: unknown Apache directive '%%%c'", start + 1, c);
    }
    bool needs_arg =
        d->arg == ARG_NEEDED || d->arg == ARG_REQUEST_HEADER || d->arg == ARG_RESPONSE_HEADER;
    if (needs_arg && arg == NULL)
        return lgn_err_set(b->err, LGN_EXIT_USAGE, "format column %zu: %%%c needs a {name}",
                           start + 1, c);
    enum lgn_kind kind = apache_kind(d, arg, arg_len);
    *i = j + 1;
    /* %t writes its own brackets; keep them as literals so the field is the time. */
    bool brackets = c == 't' && arg == NULL;
    if (brackets && add_lit_byte(b, '[') != 0)
        return lgn_err_set(b->err, LGN_EXIT_INTERNAL, "out of memory");
    if (add_field(b, kind, spec + start, j + 1 - start, start + 1) != 0)
        return -1;
    if (kind == LGN_K_TIME_OTHER && arg != NULL && memchr(arg, ' ', arg_len) != NULL)
        b->f->ops[b->f->n_ops - 1].spaces = true;
    if (kind == LGN_K_TIME_OTHER && arg != NULL &&
        lgn_timeshape_compile(arg, arg_len, &b->f->ops[b->f->n_ops - 1].shape) != 0)
        return lgn_err_set(b->err, LGN_EXIT_INTERNAL, "out of memory");
    if (brackets && add_lit_byte(b, ']') != 0)
        return lgn_err_set(b->err, LGN_EXIT_INTERNAL, "out of memory");
    return 0;
}

/* ---- nginx ---- */

static enum lgn_kind nginx_kind(const char *v, size_t n)
{
    static const struct {
        const char *name;
        enum lgn_kind kind;
    } vars[] = {
        {"remote_addr", LGN_K_ADDR},
        {"realip_remote_addr", LGN_K_ADDR},
        {"binary_remote_addr", LGN_K_ADDR},
        {"remote_user", LGN_K_USER},
        {"time_local", LGN_K_TIME},
        {"time_iso8601", LGN_K_TIME_ISO},
        {"msec", LGN_K_TIME_OTHER},
        {"request", LGN_K_REQUEST},
        {"request_method", LGN_K_METHOD},
        {"request_uri", LGN_K_URL},
        {"uri", LGN_K_URL},
        {"document_uri", LGN_K_URL},
        {"args", LGN_K_QUERY},
        {"query_string", LGN_K_QUERY},
        {"server_protocol", LGN_K_PROTOCOL},
        {"status", LGN_K_STATUS},
        {"body_bytes_sent", LGN_K_NUMBER},
        {"bytes_sent", LGN_K_NUMBER},
        {"request_length", LGN_K_NUMBER},
        {"request_time", LGN_K_NUMBER},
        {"server_port", LGN_K_PORT},
        {"remote_port", LGN_K_PORT},
        {"connection", LGN_K_NUMBER},
        {"connection_requests", LGN_K_NUMBER},
        {"upstream_response_time", LGN_K_NUMBER},
        {"upstream_connect_time", LGN_K_NUMBER},
        {"upstream_header_time", LGN_K_NUMBER},
        {"upstream_response_length", LGN_K_NUMBER},
        {"upstream_status", LGN_K_NUMBER},
        {"http_referer", LGN_K_REFERER},
        {"http_user_agent", LGN_K_UA},
        {"http_x_forwarded_for", LGN_K_ADDR_LIST},
        {"proxy_add_x_forwarded_for", LGN_K_ADDR_LIST},
        {"upstream_addr", LGN_K_ADDR_LIST},
        {"host", LGN_K_HOST},
        {"http_host", LGN_K_HOST},
        {"server_name", LGN_K_HOST},
        {"hostname", LGN_K_HOST},
        {"json_body", LGN_K_OPAQUE},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (strlen(vars[i].name) == n && memcmp(vars[i].name, v, n) == 0)
            return vars[i].kind;
    if (n > 5 && memcmp(v, "http_", 5) == 0)
        return header_kind(v + 5, n - 5);
    if (n > 10 && memcmp(v, "sent_http_", 10) == 0)
        return response_header_kind(v + 10, n - 10);
    return LGN_K_OPAQUE;
}

static bool is_var_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int nginx_variable(struct builder *b, const char *spec, size_t *i)
{
    size_t start = *i, j = start + 1, name_start, name_end;
    if (spec[j] == '{') {
        name_start = j + 1;
        const char *close = strchr(spec + name_start, '}');
        if (close == NULL)
            return lgn_err_set(b->err, LGN_EXIT_USAGE,
                               "format column %zu: '${' without a closing '}'", start + 1);
        name_end = (size_t)(close - spec);
        j = name_end + 1;
    } else {
        name_start = j;
        while (is_var_char(spec[j]))
            j++;
        name_end = j;
    }
    if (name_end == name_start)
        return lgn_err_set(b->err, LGN_EXIT_USAGE,
                           "format column %zu: '$' is not followed by a variable name", start + 1);
    *i = j;
    enum lgn_kind kind = nginx_kind(spec + name_start, name_end - name_start);
    if (add_field(b, kind, spec + start, j - start, start + 1) != 0)
        return -1;
    if (name_end - name_start == 9 && memcmp(spec + name_start, "json_body", 9) == 0)
        b->f->ops[b->f->n_ops - 1].spaces = true;
    return 0;
}

/* ---- common ---- */

/* Whether a number field is the response's byte count, the one the
 * statistics add up. */
static bool is_byte_count(const char *name)
{
    static const char *const names[] = {"%b", "%B", "%O", "$body_bytes_sent", "$bytes_sent"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* ---- policies ---- */

const char *lgn_policy_name(enum lgn_policy p)
{
    static const char *const names[LGN_N_POLICIES] = {
        [LGN_P_FREETEXT] = "free text",
        [LGN_P_STRUCTURED] = "structured",
        [LGN_P_ADDRESS] = "address",
        [LGN_P_HOST] = "host",
        [LGN_P_USER] = "user",
        [LGN_P_URL] = "url",
        [LGN_P_QUERY_VALUE] = "query value",
        [LGN_P_COOKIE] = "cookie",
        [LGN_P_CREDENTIAL] = "credential",
        [LGN_P_BODY] = "body",
        [LGN_P_UA] = "user agent",
        [LGN_P_JSON] = "json",
    };
    return (unsigned)p < LGN_N_POLICIES ? names[p] : "free text";
}

static enum lgn_policy kind_policy(enum lgn_kind k)
{
    switch (k) {
    case LGN_K_ADDR:
    case LGN_K_ADDR_LIST:
        return LGN_P_ADDRESS;
    case LGN_K_HOST:
        return LGN_P_HOST;
    case LGN_K_USER:
    case LGN_K_IDENT:
        return LGN_P_USER;
    case LGN_K_TIME:
    case LGN_K_TIME_ISO:
    case LGN_K_TIME_OTHER:
    case LGN_K_METHOD:
    case LGN_K_PROTOCOL:
    case LGN_K_STATUS:
    case LGN_K_NUMBER:
    case LGN_K_PORT:
        return LGN_P_STRUCTURED;
    case LGN_K_REQUEST:
    case LGN_K_URL:
    case LGN_K_QUERY:
    case LGN_K_REFERER:
    case LGN_K_URL_HEADER:
        return LGN_P_URL;
    case LGN_K_UA:
        return LGN_P_UA;
    default:
        return LGN_P_FREETEXT;
    }
}

static bool starts_with(const char *p, size_t n, const char *prefix)
{
    size_t l = strlen(prefix);
    return n > l && strncasecmp(p, prefix, l) == 0;
}

static bool named(const char *p, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/* Server and environment variables (Apache %{NAME}e %{NAME}x, nginx
 * $ssl_client_s_dn, $jwt_claim_sub) that name the client: user; tokens
 * handed on by an OpenID Connect module: credential. */
static bool variable_policy(const char *v, size_t n, enum lgn_policy *policy)
{
    static const char *const users[] = {"remote_user",
                                        "redirect_remote_user",
                                        "ssl_client_s_dn",
                                        "ssl_client_san_",
                                        "ssl_client_cert",
                                        "ssl_client_raw_cert",
                                        "ssl_client_escaped_cert",
                                        "ssl_client_m_serial",
                                        "ssl_client_serial",
                                        "ssl_client_fingerprint",
                                        "ssl_client_email",
                                        "authenticate_",
                                        "oidc_claim_",
                                        "jwt_claim_",
                                        "remote_email"};
    static const char *const credentials[] = {"oidc_access_token", "oidc_id_token",
                                              "oidc_refresh_token", "http_authorization"};
    /* a proxy hands them on as headers: $http_x_ssl_client_s_dn */
    size_t skip = starts_with(v, n, "http_x_") ? 7 : starts_with(v, n, "http_") ? 5 : 0;
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        size_t l = strlen(users[i]);
        if ((n >= l && strncasecmp(v, users[i], l) == 0) ||
            (skip > 0 && n - skip >= l && strncasecmp(v + skip, users[i], l) == 0)) {
            *policy = LGN_P_USER;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof credentials / sizeof credentials[0]; i++)
        if (named(v, n, credentials[i])) {
            *policy = LGN_P_CREDENTIAL;
            return true;
        }
    if (named(v, n, "http_cookie") || named(v, n, "uid_got") || named(v, n, "uid_set") ||
        named(v, n, "uid_reset")) {
        *policy = LGN_P_COOKIE;
        return true;
    }
    return false;
}

/* Keys of JSON access logs that are no nginx variable (Caddy, Traefik). */
static enum lgn_kind json_key_kind(const char *k, size_t n)
{
    static const struct {
        const char *name;
        enum lgn_kind kind;
    } keys[] = {
        {"remote_ip", LGN_K_ADDR},
        {"client_ip", LGN_K_ADDR},
        {"ip", LGN_K_ADDR},
        {"clienthost", LGN_K_ADDR},
        {"clientaddr", LGN_K_ADDR},
        {"client_addr", LGN_K_ADDR},
        {"user", LGN_K_USER},
        {"user_id", LGN_K_USER},
        {"clientusername", LGN_K_USER},
        {"username", LGN_K_USER},
        {"uri", LGN_K_URL},
        {"path", LGN_K_URL},
        {"requestpath", LGN_K_URL},
        {"url", LGN_K_URL},
        {"referer", LGN_K_REFERER},
        {"referrer", LGN_K_REFERER},
        {"user_agent", LGN_K_UA},
        {"useragent", LGN_K_UA},
        {"method", LGN_K_METHOD},
        {"requestmethod", LGN_K_METHOD},
        {"proto", LGN_K_PROTOCOL},
        {"requestprotocol", LGN_K_PROTOCOL},
        {"size", LGN_K_NUMBER},
        {"bytes_read", LGN_K_NUMBER},
        {"duration", LGN_K_NUMBER},
        {"ts", LGN_K_TIME_OTHER},
        {"time", LGN_K_TIME_OTHER},
        {"timestamp", LGN_K_TIME_OTHER},
        {"@timestamp", LGN_K_TIME_OTHER},
        {"downstreamstatus", LGN_K_STATUS},
        {"originstatus", LGN_K_STATUS},
        {"host", LGN_K_HOST},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (named(k, n, keys[i].name))
            return keys[i].kind;
    return LGN_K_OPAQUE;
}

/* The policy of an nginx variable (or JSON key) v of kind `kind`. */
static struct lgn_name_policy nginx_policy(const char *v, size_t n, enum lgn_kind kind)
{
    struct lgn_name_policy np = {.kind = kind, .subject_len = n};
    if (starts_with(v, n, "arg_")) {
        np.policy = LGN_P_QUERY_VALUE;
        np.subject_off = 4;
    } else if (starts_with(v, n, "cookie_") || starts_with(v, n, "upstream_cookie_")) {
        np.policy = LGN_P_COOKIE;
        np.one_cookie = true;
        np.subject_off = v[0] == 'u' || v[0] == 'U' ? 16 : 7;
    }
    if (np.subject_off > 0) {
        np.subject_len = n - np.subject_off;
        return np;
    }
    static const char *const header_prefixes[] = {"http_", "sent_http_", "upstream_http_",
                                                  "request_", "downstream_"};
    for (size_t i = 0; i < sizeof header_prefixes / sizeof header_prefixes[0]; i++) {
        size_t l = strlen(header_prefixes[i]);
        if (starts_with(v, n, header_prefixes[i]) && header_policy(v + l, n - l, &np.policy)) {
            np.set_cookie = header_is(v + l, n - l, "set-cookie");
            return np;
        }
        if (kind == LGN_K_OPAQUE && i >= 3 && starts_with(v, n, header_prefixes[i]))
            np.kind = kind = header_kind(v + l, n - l); /* Traefik's request_User-Agent */
    }
    if (kind != LGN_K_OPAQUE)
        np.policy = kind_policy(kind);
    else if (named(v, n, "request_body"))
        np.policy = LGN_P_BODY;
    else if (named(v, n, "json_body"))
        np.policy = LGN_P_JSON;
    else if (!variable_policy(v, n, &np.policy))
        np.policy = LGN_P_FREETEXT;
    return np;
}

static enum lgn_kind nginx_kind(const char *v, size_t n);

struct lgn_name_policy lgn_policy_of_name(const char *name, size_t n, bool header)
{
    if (header) {
        struct lgn_name_policy np = {.kind = header_kind(name, n), .subject_len = n};
        if (!header_policy(name, n, &np.policy))
            np.policy = kind_policy(np.kind);
        np.set_cookie = header_is(name, n, "set-cookie");
        return np;
    }
    enum lgn_kind k = nginx_kind(name, n);
    return nginx_policy(name, n, k != LGN_K_OPAQUE ? k : json_key_kind(name, n));
}

/* The policy of an Apache directive: letter c, {arg} [a, a+an) (a NULL: none). */
static enum lgn_policy apache_policy(char c, const char *a, size_t an, enum lgn_kind kind,
                                     bool *set_cookie)
{
    enum lgn_policy p;
    *set_cookie = false;
    if (a == NULL)
        return kind_policy(kind);
    switch (c) {
    case 'i':
    case 'o':
        if (!header_policy(a, an, &p))
            return kind_policy(kind);
        *set_cookie = header_is(a, an, "set-cookie");
        return p;
    case 'C':
        return LGN_P_COOKIE;
    case 'e':
    case 'x':
    case 'n':
        if (starts_with(a, an, "HTTP_") && header_policy(a + 5, an - 5, &p))
            return p;
        return variable_policy(a, an, &p) ? p : LGN_P_FREETEXT;
    default:
        return kind_policy(kind);
    }
}

/* Sets op's policy and subject from its name ("$arg_email", "%{Cookie}i"). */
static void assign_policy(struct lgn_op *op)
{
    const char *name = op->name;
    size_t len = strlen(name);
    op->rule = -1;
    if (name[0] == '$') {
        size_t s = name[1] == '{' ? 2 : 1, e = len;
        if (s == 2 && e > s && name[e - 1] == '}')
            e--;
        struct lgn_name_policy np = nginx_policy(name + s, e - s, op->kind);
        op->policy = np.policy;
        op->set_cookie = np.set_cookie;
        op->one_cookie = np.one_cookie;
        op->subject_off = (unsigned char)(s + np.subject_off);
        op->subject_len = (unsigned char)np.subject_len;
        return;
    }
    const char *open = strchr(name, '{'), *close = open ? strchr(open, '}') : NULL;
    const char *a = open && close ? open + 1 : NULL;
    size_t an = a ? (size_t)(close - a) : 0;
    op->policy = apache_policy(name[len - 1], a, an, op->kind, &op->set_cookie);
    op->one_cookie = name[len - 1] == 'C';
    op->subject_off = (unsigned char)(a ? a - name : 0);
    op->subject_len = (unsigned char)an;
}

/* Decides which fields may hold spaces or lists and which is the byte count,
 * and lists the fields apart from the literals, once all ops are known. */
static void finish_fields(struct lgn_format *f)
{
    size_t fi = 0;
    for (size_t i = 0; i < f->n_ops; i++) {
        struct lgn_op *op = &f->ops[i];
        if (!op->is_field)
            continue;
        f->fields[fi++] = op;
        assign_policy(op);
        op->bytes = op->kind == LGN_K_NUMBER && is_byte_count(op->name);
        const struct lgn_op *prev = i > 0 ? &f->ops[i - 1] : NULL;
        const struct lgn_op *next = i + 1 < f->n_ops ? &f->ops[i + 1] : NULL;
        op->quoted = prev && prev->lit[prev->lit_len - 1] == '"' && next && next->lit[0] == '"';
        if (op->kind == LGN_K_TIME)
            op->spaces = true;
        if (op->kind == LGN_K_ADDR || op->kind == LGN_K_ADDR_LIST || op->kind == LGN_K_NUMBER)
            op->lists = true;
    }
}

static struct lgn_format *compile(const char *name, const char *spec, char dialect,
                                  struct lgn_err *err)
{
    struct lgn_format *f = calloc(1, sizeof *f);
    struct builder b = {.f = f, .err = err};
    if (f == NULL || (f->name = strdup(name)) == NULL ||
        (f->storage = malloc(strlen(spec) + 1)) == NULL) {
        lgn_format_free(f);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    int rc = 0;
    size_t i = 0;
    while (rc == 0 && spec[i] != '\0') {
        char c = spec[i];
        if (dialect == 'a' && c == '%') {
            rc = apache_directive(&b, spec, &i);
        } else if (dialect == 'n' && c == '$') {
            rc = nginx_variable(&b, spec, &i);
        } else if (c == '\\' && spec[i + 1] != '\0') {
            /* Escapes as written in apache2.conf / nginx.conf: \" \\ \t \n */
            char e = spec[i + 1];
            rc = add_lit_byte(&b, e == 't' ? '\t' : e == 'n' ? '\n' : e);
            i += 2;
        } else {
            rc = add_lit_byte(&b, c);
            i++;
        }
        if (rc != 0 && err != NULL && err->msg[0] == '\0')
            lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    if (rc == 0 && f->n_fields == 0)
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "format column 1: the format has no fields");
    if (rc != 0) {
        lgn_format_free(f);
        return NULL;
    }
    finish_fields(f);
    return f;
}

struct lgn_format *lgn_format_apache(const char *name, const char *spec, struct lgn_err *err)
{
    if (err)
        err->msg[0] = '\0';
    return compile(name, spec, 'a', err);
}

struct lgn_format *lgn_format_nginx(const char *name, const char *spec, struct lgn_err *err)
{
    if (err)
        err->msg[0] = '\0';
    return compile(name, spec, 'n', err);
}

struct lgn_format *lgn_format_preset(const char *name, struct lgn_err *err)
{
    const struct preset *p = find_preset(name);
    if (p == NULL) {
        lgn_err_set(err, LGN_EXIT_USAGE, "unknown format '%s' (see lognym --list-formats)", name);
        return NULL;
    }
    if (err)
        err->msg[0] = '\0';
    return compile(p->name, p->spec, p->dialect, err);
}

void lgn_format_free(struct lgn_format *f)
{
    if (f == NULL)
        return;
    free(f->name);
    for (size_t i = 0; f->ops != NULL && i < f->n_ops; i++)
        lgn_timeshape_free(f->ops[i].shape);
    free(f->ops);
    free(f->storage);
    free(f);
}
