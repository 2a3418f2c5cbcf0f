/* jsonline.c: a JSON-lines access log record walked key by key: each
 * value gets the policy its key names, as an nginx variable of that name
 * would ("remote_user" user, "http_cookie" cookie, "request_body" body),
 * members of a headers object the policy of that header; nested objects
 * and arrays included. Read in place, no tree, no allocation. The
 * rewriter rewrites each value; lognym audit scans it. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonscan.h"

struct walk {
    struct lgn_scrub *s; /* the name rules that make a key a credential */
    const char *p;
    size_t n, i;
    lgn_json_visit visit;
    void *ctx;
    bool stop;       /* the visitor said so */
    bool body;       /* a request body: keys are names, not nginx variables */
    bool value_keys; /* the text has a "value" key: name/value pairs possible */
};

static void skip_ws(struct walk *w)
{
    w->i = lgn_jsonscan_ws(w->p, w->n, w->i);
}

/* A string at w->i: its contents [*s, *e), w->i after the closing quote. */
static bool string_at(struct walk *w, size_t *s, size_t *e)
{
    return lgn_jsonscan_string(w->p, w->n, &w->i, s, e);
}

/* The value [s, e) of policy vp: to the visitor. */
static void visit_at(struct walk *w, const struct lgn_value_policy *vp, size_t s, size_t e,
                     bool quoted)
{
    if (w->visit != NULL && w->visit(w->ctx, vp, s, e, quoted) != 0)
        w->stop = true;
}

static bool members(struct walk *w, char close, bool headers, int depth,
                    const struct lgn_value_policy *ruled);

/* A key whose value is replaced whole (a credential under a name rule, a
 * user name): its policy reaches every value nested under it. */
static bool is_ruled(const struct lgn_value_policy *vp)
{
    return vp != NULL &&
           ((vp->policy == LGN_P_CREDENTIAL && vp->rule >= 0) || vp->policy == LGN_P_USER);
}

static bool is_headers_key(const char *k, size_t n)
{
    return (n >= 7 && strncasecmp(k + n - 7, "headers", 7) == 0) ||
           (n == 6 && strncasecmp(k, "header", 6) == 0);
}

/* One value of key policy vp; `headers`: an object here holds headers. */
static bool value(struct walk *w, const struct lgn_value_policy *vp, bool headers, int depth)
{
    if (depth > LGN_JSON_MAX_DEPTH || w->stop)
        return false;
    skip_ws(w);
    if (w->i >= w->n)
        return false;
    char c = w->p[w->i];
    if (c == '{') {
        w->i++;
        return members(w, '}', headers, depth + 1, is_ruled(vp) ? vp : NULL);
    }
    if (c == '[') {
        w->i++;
        skip_ws(w);
        if (w->i < w->n && w->p[w->i] == ']') {
            w->i++;
            return true;
        }
        for (;;) {
            if (!value(w, vp, headers, depth + 1))
                return false;
            skip_ws(w);
            if (w->i < w->n && w->p[w->i] == ',') {
                w->i++;
                continue;
            }
            if (w->i < w->n && w->p[w->i] == ']') {
                w->i++;
                return true;
            }
            return false;
        }
    }
    size_t s, e;
    if (c == '"') {
        if (!string_at(w, &s, &e))
            return false;
        visit_at(w, vp, s, e, true);
        return !w->stop;
    }
    bool literal;
    s = w->i;
    e = w->i = lgn_jsonscan_scalar(w->p, w->n, s, &literal);
    if (e == s)
        return false;
    if (!literal)
        visit_at(w, vp, s, e, false);
    return !w->stop;
}

/* A key of letters, '_', '-' and '.' only ("remote_addr", "User-Agent",
 * "client.dsl.example.net") holds nothing a detector finds: kept without a
 * look. Caddy logs the client's own header names, so any other key is
 * free text ("198.51.100.7", "jane@example.com"). */
static bool plain_key(const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* A value skipped without a visit: w->i after it. */
static bool skip_value(struct walk *w, int depth)
{
    return lgn_jsonscan_value(w->p, w->n, &w->i, depth, NULL, NULL);
}

/* The members of an object up to `close` (0: the end of the text); ruled:
 * the policy of a name-ruled key the object is under (NULL: none). */
static bool members(struct walk *w, char close, bool headers, int depth,
                    const struct lgn_value_policy *ruled)
{
    size_t name_at = 0;
    int pair = ruled == NULL && w->value_keys && w->s != NULL && w->visit != NULL
                   ? lgn_jsonscan_pair_rule(w->s, w->p, w->n, w->i, depth, &name_at)
                   : -1;
    struct lgn_value_policy pair_vp = {.policy = LGN_P_CREDENTIAL, .rule = pair};
    skip_ws(w);
    if (close == 0 ? w->i == w->n : w->i < w->n && w->p[w->i] == close) {
        w->i += close != 0;
        return true;
    }
    for (;;) {
        size_t ks, ke;
        skip_ws(w);
        if (!string_at(w, &ks, &ke))
            return false;
        skip_ws(w);
        if (w->i >= w->n || w->p[w->i] != ':')
            return false;
        w->i++;
        static const struct lgn_value_policy text = {.policy = LGN_P_FREETEXT, .rule = -1};
        struct lgn_value_policy vp = ruled != NULL ? *ruled
                                     : w->body
                                         ? lgn_policy_of_body_key(w->s, w->p + ks, ke - ks)
                                         : lgn_policy_of_key(w->s, w->p + ks, ke - ks, headers);
        if (!plain_key(w->p + ks, ke - ks)) {
            visit_at(w, &text, ks, ke, true);
            if (w->stop)
                return false;
        }
        bool ok;
        if (pair >= 0)
            skip_ws(w);
        if (pair >= 0 && w->i == name_at) /* "password" of a pair names, it is no datum */
            ok = skip_value(w, depth);
        else if (pair >= 0 && lgn_jsonscan_key_is(w->p + ks, ke - ks, "value"))
            ok = value(w, &pair_vp, false, depth);
        else
            ok = value(w, &vp, !w->body && is_headers_key(w->p + ks, ke - ks), depth);
        if (!ok)
            return false;
        skip_ws(w);
        if (w->i < w->n && w->p[w->i] == ',') {
            w->i++;
            continue;
        }
        if (close == 0)
            return w->i == w->n;
        if (w->i < w->n && w->p[w->i] == close) {
            w->i++;
            return true;
        }
        return false;
    }
}

int lgn_json_walk(struct lgn_scrub *s, const char *p, size_t n, lgn_json_visit visit, void *ctx,
                  bool *valid)
{
    struct walk w = {.s = s, .p = p, .n = n, .visit = visit, .ctx = ctx};
    w.value_keys = lgn_jsonscan_has_value_key(p, n);
    *valid = members(&w, 0, false, 0, NULL);
    return w.stop ? -1 : 0;
}

int lgn_json_walk_body(struct lgn_scrub *s, const char *p, size_t n, lgn_json_visit visit,
                       void *ctx, bool *valid)
{
    static const struct lgn_value_policy text = {.policy = LGN_P_FREETEXT, .rule = -1};
    struct walk w = {.s = s, .p = p, .n = n, .visit = visit, .ctx = ctx, .body = true};
    w.value_keys = lgn_jsonscan_has_value_key(p, n);
    skip_ws(&w);
    *valid = w.i < n && (p[w.i] == '{' || p[w.i] == '[') && value(&w, &text, false, 0);
    skip_ws(&w);
    *valid = *valid && w.i == n;
    return w.stop ? -1 : 0;
}

/* The rewriter's visitor: each value of the text rewritten by its policy,
 * the raw bytes between them copied once something changed. The text is
 * the raw bytes themselves, or a body decoded from them (map: the raw
 * offset of each text offset; new bytes written in the body's spelling). */
struct rewrite {
    const struct lgn_rewrite_ctx *c;
    const char *text, *raw;
    const size_t *map;
    enum lgn_json_spelling spelling;
    struct lgn_arena *out;
    struct lgn_arena scratch; /* a decoded body's value, before it is spelled */
    size_t done;              /* raw bytes before this are in out (once changed) */
    bool changed;
};

/* Rewrites the value [s, e) by vp; a replaced bare value (a number) becomes
 * a string, so the text stays JSON. */
static int rewrite_at(void *ctx, const struct lgn_value_policy *vp, size_t s, size_t e, bool quoted)
{
    struct rewrite *w = ctx;
    size_t rs = w->map != NULL ? w->map[s] : s, re = w->map != NULL ? w->map[e] : e;
    const char *quote = quoted ? "" : lgn_json_quote(w->spelling);
    size_t mark = w->out->len;
    bool changed;
    struct lgn_arena *to = w->out;
    if (w->map != NULL) {
        to = &w->scratch;
        to->len = 0;
    }
    if (lgn_arena_put(w->out, w->raw + w->done, rs - w->done) != 0 ||
        (!quoted && lgn_arena_put(w->out, quote, strlen(quote)) != 0) ||
        lgn_rewrite_value(w->c, vp, w->text + s, e - s, to, &changed) != 0 ||
        (changed && to != w->out &&
         lgn_json_spell(w->spelling, w->scratch.buf, w->scratch.len, w->out) != 0) ||
        (changed && !quoted && lgn_arena_put(w->out, quote, strlen(quote)) != 0))
        return -1;
    if (!changed) {
        w->out->len = mark;
        return 0;
    }
    w->done = re;
    w->changed = true;
    return 0;
}

/* The walk's result: the rest of the raw bytes once something changed. */
static int rewrite_end(struct rewrite *w, size_t n, size_t off, bool *changed, bool valid)
{
    free(w->scratch.buf);
    if (!valid || !w->changed) {
        w->out->len = off;
        return 0;
    }
    *changed = true;
    return lgn_arena_put(w->out, w->raw + w->done, n - w->done);
}

int lgn_rewrite_json(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed, bool *valid)
{
    struct rewrite w = {.c = c, .text = p, .raw = p, .out = out};
    size_t off = out->len;
    *changed = false;
    if (lgn_json_walk(c->s, p, n, rewrite_at, &w, valid) != 0) {
        free(w.scratch.buf);
        return -1;
    }
    return rewrite_end(&w, n, off, changed, *valid);
}

int lgn_rewrite_json_body(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                          struct lgn_arena *out, bool *changed, bool *valid)
{
    struct lgn_json_body b;
    *changed = false;
    if (lgn_json_body_read(p, n, &b, valid) != 0)
        return -1;
    if (!*valid)
        return 0;
    struct rewrite w = {
        .c = c, .text = b.text, .raw = p, .map = b.map, .spelling = b.spelling, .out = out};
    size_t off = out->len;
    int rc = lgn_json_walk_body(c->s, b.text, b.len, rewrite_at, &w, valid);
    lgn_json_body_free(&b);
    if (rc != 0) {
        free(w.scratch.buf);
        return -1;
    }
    return rewrite_end(&w, n, off, changed, *valid);
}
