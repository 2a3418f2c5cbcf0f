/* forwarded.c: the Forwarded header (RFC 7239) rewritten pair by pair: the
 * nodes of "for=" and "by=" as a client address field (addresses
 * anonymised, host names pseudonymised, "unknown" kept; an obfuscated
 * "_id" kept unless a detector flags it), "host=" by the host policy,
 * "proto=" kept when it is a scheme, any other value free text. */
#include <string.h>
#include <strings.h>

#include "freetext.h"
#include "policy.h"

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* A token byte of RFC 7230, a parameter name's. */
static bool is_tchar(char c)
{
    return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The length of the quote at p[i]: '"', or as servers escape it in a log
 * ("\x22" nginx, "\"" Apache and JSON); 0 when there is none. */
static size_t quote_at(const char *p, size_t n, size_t i)
{
    if (i < n && p[i] == '"')
        return 1;
    if (i + 1 < n && p[i] == '\\' && p[i + 1] == '"')
        return 2;
    if (i + 3 < n && p[i] == '\\' && (p[i + 1] | 0x20) == 'x' && p[i + 2] == '2' && p[i + 3] == '2')
        return 4;
    return 0;
}

/* "https", "http": a URI scheme, kept as it is. */
static bool is_scheme(const char *v, size_t m)
{
    if (m == 0 || m > 32 || !((v[0] | 0x20) >= 'a' && (v[0] | 0x20) <= 'z'))
        return false;
    for (size_t i = 1; i < m; i++)
        if (!(is_alnum(v[i]) || v[i] == '+' || v[i] == '-' || v[i] == '.'))
            return false;
    return true;
}

/* An obfuscated node ("_hidden", "_hidden:_port"): letters, digits, '.',
 * '_', '-' after the '_'. */
static bool is_obfuscated(const char *v, size_t m)
{
    if (m < 2 || v[0] != '_')
        return false;
    for (size_t i = 1; i < m; i++)
        if (!(is_alnum(v[i]) || v[i] == '.' || v[i] == '_' || v[i] == '-' || v[i] == ':'))
            return false;
    return true;
}

static bool named(const char *name, size_t len, const char *want)
{
    return len == strlen(want) && strncasecmp(name, want, len) == 0;
}

/* Whether the value v[0..m) (without its quotes) of the parameter named
 * name[0..len) has a policy of its own (then it is rewritten into out),
 * or is free text with its name (name rules: "secret=..."). */
static bool value(const struct lgn_rewrite_ctx *c, const char *name, size_t len, const char *v,
                  size_t m, struct lgn_arena *out, bool *changed, int *rc)
{
    *changed = false;
    *rc = 0;
    bool node = named(name, len, "for") || named(name, len, "by");
    /* An empty value keeps its name only when the name is one of the four:
     * any other name may be the data itself ("198.51.100.7="). */
    if (m == 0)
        return node || named(name, len, "host") || named(name, len, "proto");
    if (memchr(v, '\\', m) != NULL)
        return false;
    if (node && is_obfuscated(v, m)) /* kept unless a detector flags it */
        *rc = lgn_freetext(c->s, c->a, v, m, out, changed);
    else if (node)
        *rc = lgn_rewrite_client(c->a, v, m, out, changed);
    else if (named(name, len, "host"))
        *rc = lgn_rewrite_host(c, v, m, out, changed);
    else if (!named(name, len, "proto") || !is_scheme(v, m))
        return false;
    return true;
}

/* Appends p[from, to), or its rewritten value. */
static int put(struct lgn_arena *out, const char *p, size_t from, size_t to, bool rewritten)
{
    return rewritten ? 0 : lgn_arena_put(out, p + from, to - from);
}

int lgn_rewrite_forwarded(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                          struct lgn_arena *out, bool *changed, bool *valid)
{
    size_t off = out->len, i = 0;
    *changed = false;
    *valid = false;
    while (i < n) {
        size_t s = i; /* blanks and the separators of elements and pairs */
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ',' || p[i] == ';'))
            i++;
        if (put(out, p, s, i, false) != 0)
            return -1;
        if (i == n)
            break;
        size_t name = i;
        while (i < n && is_tchar(p[i]))
            i++;
        if (i == name || i == n || p[i] != '=')
            goto not_forwarded;
        size_t len = i - name, q = quote_at(p, n, ++i), vs = i + q, ve;
        if (q > 0) { /* a quoted value ends at the same quote */
            for (ve = vs; ve < n && quote_at(p, n, ve) != q; ve++)
                ;
            if (ve == n)
                goto not_forwarded;
        } else {
            for (ve = vs; ve < n && !strchr(" \t,;\"", p[ve]);)
                ve++;
        }
        bool ch;
        int rc;
        size_t mark = out->len;
        if (put(out, p, name, vs, false) != 0)
            return -1;
        if (value(c, p + name, len, p + vs, ve - vs, out, &ch, &rc)) {
            if (rc != 0 || put(out, p, vs, ve, ch) != 0 || put(out, p, ve, ve + q, false) != 0)
                return -1;
        } else { /* the pair as free text */
            out->len = mark;
            if (lgn_freetext(c->s, c->a, p + name, ve + q - name, out, &ch) != 0 ||
                put(out, p, name, ve + q, ch) != 0)
                return -1;
        }
        *changed = *changed || ch;
        i = ve + q;
        if (i < n && !strchr(" \t,;", p[i]))
            goto not_forwarded;
    }
    *valid = true;
    if (!*changed)
        out->len = off;
    return 0;
not_forwarded:
    out->len = off;
    *changed = false;
    return 0;
}
