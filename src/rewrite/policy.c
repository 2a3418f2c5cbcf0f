/* policy.c: the field policies beyond the scrubber's kinds: cookies,
 * credentials, query values ($arg_NAME), request bodies; the name rules
 * bound to header and variable fields. */
#include "policy.h"

#include <ctype.h>
#include <string.h>

#include "cookie.h"
#include "freetext.h"
#include "rewrite.h"

static bool is_none(const char *p, size_t n)
{
    return n == 0 || (n == 1 && p[0] == '-');
}

/* ---- cookies ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

struct cookie_out {
    const struct lgn_rewrite_ctx *c;
    const char *p;
    struct lgn_arena *out;
    size_t done;
    bool changed;
};

/* Replaces [vs, ve) of the header by the cookie marker, or (a cookie kept
 * by --keep-cookies) by its value scrubbed as free text. */
static int cookie_value(struct cookie_out *co, size_t vs, size_t ve, bool keep)
{
    const char *v = co->p + vs;
    size_t vn = ve - vs;
    if (vn == 0 || (vn == strlen(LGN_COOKIE_MARK) && memcmp(v, LGN_COOKIE_MARK, vn) == 0))
        return 0;
    size_t mark = co->out->len;
    if (lgn_arena_put(co->out, co->p + co->done, vs - co->done) != 0)
        return -1;
    bool ch = true;
    if (keep ? lgn_freetext(co->c->s, co->c->a, v, vn, co->out, &ch) != 0
             : lgn_arena_put(co->out, LGN_COOKIE_MARK, strlen(LGN_COOKIE_MARK)) != 0)
        return -1;
    if (!ch) {
        co->out->len = mark;
        return 0;
    }
    co->done = ve;
    co->changed = true;
    return 0;
}

/* A cookie name is kept when it is an RFC 6265 token that free-text
 * scrubbing leaves as it is; a "name" with blanks or brackets is a cut line
 * or another field run in, and one holding an address or an e-mail address
 * is personal data: either way the whole pair becomes the marker. Sets
 * *safe; scratch is used past its end and left as it was. Returns 0 or -1. */
static int check_name(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                      struct lgn_arena *scratch, bool *safe)
{
    *safe = false;
    if (!lgn_cookie_token(p, n))
        return 0;
    size_t mark = scratch->len;
    bool ch = false;
    if (lgn_freetext(c->s, c->a, p, n, scratch, &ch) != 0)
        return -1;
    scratch->len = mark;
    *safe = !ch;
    return 0;
}

int lgn_rewrite_cookie(const struct lgn_rewrite_ctx *c, const struct lgn_value_policy *vp,
                       const char *p, size_t n, struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (is_none(p, n))
        return 0;
    size_t off = out->len;
    struct cookie_out co = {.c = c, .p = p, .out = out};
    if (vp->one_cookie) { /* $cookie_NAME: the value alone */
        if (cookie_value(&co, 0, n, lgn_scrub_keeps_cookie(c->s, vp->subject, vp->subject_len)) !=
            0)
            return -1;
    } else {
        bool first = true;
        struct lgn_cookie_piece pc;
        for (size_t i = 0; lgn_cookie_piece_next(p, n, vp->set_cookie, &i, &first, &pc);) {
            if (pc.end == pc.start)
                continue;
            size_t s = pc.start, eq = pc.eq, e = pc.end;
            bool attr = pc.attribute, named = eq < e;
            if (named && !attr && check_name(c, p + s, eq - s, out, &named) != 0)
                return -1;
            int rc;
            if (!named) /* no name: the whole piece is a value, or a flag (Secure) */
                rc = attr ? 0 : cookie_value(&co, s, e, false);
            else /* an attribute's value (Domain=...) is free text */
                rc = cookie_value(&co, eq + 1, e,
                                  attr || lgn_scrub_keeps_cookie(c->s, p + s, eq - s));
            if (rc != 0)
                return -1;
        }
    }
    if (!co.changed) {
        out->len = off;
        return 0;
    }
    *changed = true;
    return lgn_arena_put(out, p + co.done, n - co.done);
}

/* ---- credentials ---- */

int lgn_rewrite_credential(const struct lgn_rewrite_ctx *c, int rule, const char *p, size_t n,
                           struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (is_none(p, n))
        return 0;
    const struct lgn_rules *rules = c->s != NULL ? lgn_scrub_rules(c->s) : NULL;
    const struct lgn_rule *r =
        rules != NULL && rule >= 0 && (size_t)rule < rules->n ? &rules->v[rule] : NULL;
    if (r != NULL && r->action == LGN_ACT_KEEP)
        return lgn_freetext(c->s, c->a, p, n, out, changed);
    size_t vs = lgn_credential_start(p, n); /* "Basic ", "Bearer " stay */
    const char *v = p + vs;
    size_t vn = n - vs;
    char buf[LGN_LABEL_MAX + LGN_ANON_MAX + 8];
    size_t m;
    if (r != NULL && r->action == LGN_ACT_HASH) {
        if (lgn_anon_is_name(r->label, v, vn))
            return 0; /* anonymised before */
        m = lgn_anon_name(c->a, r->label, v, vn, buf);
    } else {
        m = (size_t)snprintf(buf, sizeof buf, "[%s]", r != NULL ? r->label : LGN_CREDENTIAL_LABEL);
    }
    if (vn == m && memcmp(v, buf, m) == 0)
        return 0;
    *changed = true;
    return lgn_arena_put(out, p, vs) != 0 || lgn_arena_put(out, buf, m) != 0 ? -1 : 0;
}

/* ---- query values, bodies ---- */

int lgn_rewrite_query_value(const struct lgn_rewrite_ctx *c, const char *name, size_t name_len,
                            const char *p, size_t n, struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (is_none(p, n))
        return 0;
    /* Scrubbed as the parameter "NAME=VALUE" of a query: the name rules see
     * NAME. The pair is built at the end of `out` and taken back. */
    size_t off = out->len;
    const char *q = p;
    size_t m = n;
    int rc = 0;
    if (lgn_scrub_enabled(c->s)) {
        if (lgn_arena_put(out, name, name_len) != 0 || lgn_arena_put(out, "=", 1) != 0 ||
            lgn_arena_put(out, p, n) != 0)
            return -1;
        rc = lgn_scrub(c->s, LGN_SCRUB_QUERY, out->buf + off, out->len - off, &q, &m);
        out->len = off;
        if (rc < 0)
            return -1;
        if (rc == 0) {
            q = p, m = n;
        } else if (m > name_len && memcmp(q, name, name_len) == 0 && q[name_len] == '=') {
            q += name_len + 1, m -= name_len + 1;
        } else { /* the parameter was dropped */
            q = "-", m = 1;
        }
    }
    if (lgn_freetext_addresses(c->a, NULL, q, m, false, out, changed) != 0)
        return -1;
    if (rc == 1 && !*changed && lgn_arena_put(out, q, m) != 0)
        return -1;
    *changed = *changed || rc == 1;
    return 0;
}

/* A body as nginx logs it: JSON ('{' or '[', maybe escaped as \x7B \x5B)
 * or a form ("a=1&b=2"); anything else is free text. */
int lgn_rewrite_body(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed)
{
    *changed = false;
    if (is_none(p, n))
        return 0;
    size_t i = 0;
    while (i < n && is_space(p[i]))
        i++;
    bool json = i < n && (p[i] == '{' || p[i] == '[' ||
                          (n - i >= 4 && p[i] == '\\' && p[i + 1] == 'x' &&
                           (p[i + 2] == '7' || p[i + 2] == '5') && (p[i + 3] | 0x20) == 'b'));
    const char *eq = memchr(p, '=', n);
    if (json) { /* key by key when it is JSON, as a JSON-lines record is */
        bool valid;
        if (lgn_rewrite_json_body(c, p, n, out, changed, &valid) != 0)
            return -1;
        if (valid)
            return 0;
    }
    if (json || eq == NULL || memchr(p, ' ', (size_t)(eq - p)) != NULL)
        return lgn_freetext(c->s, c->a, p, n, out, changed);
    return lgn_rewrite_scrubbed_text(c->a, c->s, LGN_SCRUB_QUERY, p, n, out, changed);
}

/* ---- names bound to rules ---- */

/* A field or key that is free text or a credential, named like a secret or
 * a person's data by a name rule (X-Api-Key, X-Auth-Token, email, mobile):
 * a credential under that rule (a `keep` rule leaves it free text). */
static void bind_rule(struct lgn_scrub *s, const char *name, size_t n, enum lgn_policy *policy,
                      int *rule)
{
    if (s == NULL || n == 0 || (*policy != LGN_P_FREETEXT && *policy != LGN_P_CREDENTIAL))
        return;
    int k = lgn_scrub_name_rule(s, name, n);
    if (k < 0 || lgn_scrub_rules(s)->v[k].action == LGN_ACT_KEEP)
        return;
    *policy = LGN_P_CREDENTIAL;
    *rule = k;
}

void lgn_policy_bind(struct lgn_format *f, struct lgn_scrub *s)
{
    for (size_t i = 0; i < f->n_ops; i++) {
        struct lgn_op *op = &f->ops[i];
        if (op->is_field)
            bind_rule(s, op->name + op->subject_off, op->subject_len, &op->policy, &op->rule);
    }
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* A key written in camelCase or with '-' or '.' ("remoteUser",
 * "remote-user", "sslClientSDn") as the nginx variable it names
 * ("remote_user", "ssl_client_s_dn"); 0 when it does not fit in out. */
static size_t snake_case(const char *k, size_t n, char *out, size_t cap)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        bool word = i > 0 && is_upper(c) &&
                    (!is_upper(k[i - 1]) || (i + 1 < n && k[i + 1] >= 'a' && k[i + 1] <= 'z'));
        if (m + 2 > cap)
            return 0;
        if (word && k[i - 1] != '-' && k[i - 1] != '.' && k[i - 1] != '_')
            out[m++] = '_';
        if (c == '-' || c == '.')
            c = '_';
        else if (is_upper(c))
            c = (char)tolower((unsigned char)c);
        out[m++] = c;
    }
    return m;
}

struct lgn_value_policy lgn_policy_of_key(struct lgn_scrub *s, const char *key, size_t n,
                                          bool header)
{
    struct lgn_name_policy np = lgn_policy_of_name(key, n, header);
    char var[69] = "http_", *snake = var + 5; /* room for a header's variable name */
    size_t m = header || np.policy != LGN_P_FREETEXT ? 0 : snake_case(key, n, snake, 64);
    if (m > 0) {
        struct lgn_name_policy as_variable = {.policy = LGN_P_FREETEXT};
        if (m != n || memcmp(snake, key, n) != 0)
            as_variable = lgn_policy_of_name(snake, m, false);
        if (as_variable.policy == LGN_P_FREETEXT) /* "cookie", "xForwardedFor" */
            as_variable = lgn_policy_of_name(var, m + 5, false);
        if (as_variable.policy != LGN_P_FREETEXT) /* the subject: the key as written */
            np = as_variable, np.subject_off = 0, np.subject_len = n;
    }
    struct lgn_value_policy vp = {.policy = np.policy,
                                  .kind = np.kind,
                                  .subject = key + np.subject_off,
                                  .subject_len = np.subject_len,
                                  .rule = -1,
                                  .set_cookie = np.set_cookie,
                                  .one_cookie = np.one_cookie};
    bind_rule(s, key, n, &vp.policy, &vp.rule);
    return vp;
}

struct lgn_value_policy lgn_policy_of_body_key(struct lgn_scrub *s, const char *key, size_t n)
{
    struct lgn_value_policy vp = {.policy = LGN_P_FREETEXT, .rule = -1};
    bind_rule(s, key, n, &vp.policy, &vp.rule);
    return vp;
}
