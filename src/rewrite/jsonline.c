/* jsonline.c: a JSON-lines access log record rewritten key by key: each
 * value gets the policy its key names, as an nginx variable of that name
 * would ("remote_user" user, "http_cookie" cookie, "request_body" body),
 * members of a headers object the policy of that header; nested objects
 * and arrays included. Read in place, no tree, no allocation. */
#include "policy.h"

#include <string.h>
#include <strings.h>

#define MAX_DEPTH 32

struct walk {
    const struct lgn_rewrite_ctx *c;
    const char *p;
    size_t n, i;
    struct lgn_arena *out;
    size_t done; /* bytes of p before this are in out (once changed) */
    bool changed, oom;
};

static void skip_ws(struct walk *w)
{
    while (w->i < w->n &&
           (w->p[w->i] == ' ' || w->p[w->i] == '\t' || w->p[w->i] == '\r' || w->p[w->i] == '\n'))
        w->i++;
}

/* A string at w->i: its contents [*s, *e), w->i after the closing quote. */
static bool string_at(struct walk *w, size_t *s, size_t *e)
{
    if (w->i >= w->n || w->p[w->i] != '"')
        return false;
    size_t i = w->i + 1;
    while (i < w->n && w->p[i] != '"')
        i += w->p[i] == '\\' ? 2 : 1;
    if (i >= w->n)
        return false;
    *s = w->i + 1;
    *e = i;
    w->i = i + 1;
    return true;
}

/* Rewrites the value [s, e) by vp; a replaced bare value (a number) becomes
 * a string, so the line stays JSON. */
static void rewrite_at(struct walk *w, const struct lgn_value_policy *vp, size_t s, size_t e,
                       bool quoted)
{
    size_t mark = w->out->len;
    bool changed;
    if (lgn_arena_put(w->out, w->p + w->done, s - w->done) != 0 ||
        (!quoted && lgn_arena_put(w->out, "\"", 1) != 0) ||
        lgn_rewrite_value(w->c, vp, w->p + s, e - s, w->out, &changed) != 0 ||
        (changed && !quoted && lgn_arena_put(w->out, "\"", 1) != 0)) {
        w->oom = true;
        return;
    }
    if (!changed) {
        w->out->len = mark;
        return;
    }
    w->done = e;
    w->changed = true;
}

static bool members(struct walk *w, char close, bool headers, int depth);

static bool is_headers_key(const char *k, size_t n)
{
    return (n >= 7 && strncasecmp(k + n - 7, "headers", 7) == 0) ||
           (n == 6 && strncasecmp(k, "header", 6) == 0);
}

/* One value of key policy vp; `headers`: an object here holds headers. */
static bool value(struct walk *w, const struct lgn_value_policy *vp, bool headers, int depth)
{
    if (depth > MAX_DEPTH || w->oom)
        return false;
    skip_ws(w);
    if (w->i >= w->n)
        return false;
    char c = w->p[w->i];
    if (c == '{') {
        w->i++;
        return members(w, '}', headers, depth + 1);
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
        rewrite_at(w, vp, s, e, true);
        return !w->oom;
    }
    s = w->i;
    while (w->i < w->n && w->p[w->i] != '\0' && strchr("+-.0123456789eEtruefalsn", w->p[w->i]))
        w->i++;
    e = w->i;
    if (e == s)
        return false;
    bool literal =
        (e - s == 4 && (memcmp(w->p + s, "true", 4) == 0 || memcmp(w->p + s, "null", 4) == 0)) ||
        (e - s == 5 && memcmp(w->p + s, "false", 5) == 0);
    if (!literal)
        rewrite_at(w, vp, s, e, false);
    return !w->oom;
}

/* The members of an object up to `close` (0: the end of the text). */
static bool members(struct walk *w, char close, bool headers, int depth)
{
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
        struct lgn_value_policy vp = lgn_policy_of_key(w->c->s, w->p + ks, ke - ks, headers);
        if (!value(w, &vp, is_headers_key(w->p + ks, ke - ks), depth))
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

int lgn_rewrite_json(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed, bool *valid)
{
    struct walk w = {.c = c, .p = p, .n = n, .out = out};
    size_t off = out->len;
    *valid = members(&w, 0, false, 0);
    *changed = false;
    if (w.oom)
        return -1;
    if (!*valid || !w.changed) {
        out->len = off;
        return 0;
    }
    *changed = true;
    return lgn_arena_put(out, p + w.done, n - w.done);
}
