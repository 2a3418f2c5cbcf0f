/* jsonscan.c: JSON lexing in place and the name/value pair shape, shared by
 * the JSON-lines walker and free text's pairs. */
#include "jsonscan.h"

#include <string.h>
#include <strings.h>

#include "rules.h"

size_t lgn_jsonscan_ws(const char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

bool lgn_jsonscan_string(const char *p, size_t n, size_t *i, size_t *s, size_t *e)
{
    if (*i >= n || p[*i] != '"')
        return false;
    size_t k = *i + 1;
    while (k < n && p[k] != '"')
        k += p[k] == '\\' ? 2 : 1;
    if (k >= n)
        return false;
    *s = *i + 1;
    *e = k;
    *i = k + 1;
    return true;
}

size_t lgn_jsonscan_scalar(const char *p, size_t n, size_t i, bool *literal)
{
    size_t e = i;
    while (e < n && p[e] != '\0' && strchr("+-.0123456789eEtruefalsn", p[e]))
        e++;
    *literal = (e - i == 4 && (memcmp(p + i, "true", 4) == 0 || memcmp(p + i, "null", 4) == 0)) ||
               (e - i == 5 && memcmp(p + i, "false", 5) == 0);
    return e;
}

/* A marker lognym writes for a bare value it replaced ("[key]", "[otp]"):
 * its end, else i. No JSON array starts with a letter, so it is no array. */
static size_t marker_end(const char *p, size_t n, size_t i)
{
    if (p[i] != '[' || i + 1 >= n || p[i + 1] < 'a' || p[i + 1] > 'z')
        return i;
    size_t k = i + 1;
    while (k < n && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9') || p[k] == '-' ||
                     p[k] == '_'))
        k++;
    return k < n && p[k] == ']' ? k + 1 : i;
}

/* The members of an object or the items of an array at *i, up to close. */
static bool items(const char *p, size_t n, size_t *i, char close, int depth, lgn_jsonscan_leaf leaf,
                  void *ctx)
{
    *i = lgn_jsonscan_ws(p, n, *i);
    if (*i < n && p[*i] == close) {
        ++*i;
        return true;
    }
    for (;;) {
        size_t ks, ke;
        if (close == '}') {
            *i = lgn_jsonscan_ws(p, n, *i);
            if (!lgn_jsonscan_string(p, n, i, &ks, &ke))
                return false;
            *i = lgn_jsonscan_ws(p, n, *i);
            if (*i >= n || p[*i] != ':')
                return false;
            ++*i;
        }
        if (!lgn_jsonscan_value(p, n, i, depth + 1, leaf, ctx))
            return false;
        *i = lgn_jsonscan_ws(p, n, *i);
        if (*i < n && p[*i] == ',') {
            ++*i;
            continue;
        }
        if (*i < n && p[*i] == close) {
            ++*i;
            return true;
        }
        return false;
    }
}

bool lgn_jsonscan_value(const char *p, size_t n, size_t *i, int depth, lgn_jsonscan_leaf leaf,
                        void *ctx)
{
    if (depth > LGN_JSON_MAX_DEPTH)
        return false;
    *i = lgn_jsonscan_ws(p, n, *i);
    if (*i >= n)
        return false;
    char c = p[*i];
    size_t m = marker_end(p, n, *i);
    if (m > *i) { /* "[key]": a bare value lognym replaced before, read as one */
        if (leaf != NULL)
            leaf(ctx, *i, m, false);
        *i = m;
        return true;
    }
    if (c == '{' || c == '[') {
        ++*i;
        return items(p, n, i, c == '{' ? '}' : ']', depth, leaf, ctx);
    }
    size_t s, e;
    if (c == '"') {
        if (!lgn_jsonscan_string(p, n, i, &s, &e))
            return false;
        if (leaf != NULL)
            leaf(ctx, s, e, true);
        return true;
    }
    bool literal;
    e = lgn_jsonscan_scalar(p, n, *i, &literal);
    if (e == *i)
        return false;
    if (!literal && leaf != NULL)
        leaf(ctx, *i, e, false);
    *i = e;
    return true;
}

bool lgn_jsonscan_has_value_key(const char *p, size_t n)
{
    for (const char *q = p; (q = memchr(q, 'v', (size_t)(p + n - q))) != NULL; q++)
        if (q > p && q[-1] == '"' && (size_t)(p + n - q) >= 6 && memcmp(q, "value\"", 6) == 0)
            return true;
    return false;
}

bool lgn_jsonscan_key_is(const char *k, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(k, word, n) == 0;
}

int lgn_jsonscan_pair_rule(struct lgn_scrub *s, const char *p, size_t n, size_t i, int depth,
                           size_t *name_at)
{
    int rule = -1;
    bool has_value = false;
    for (;;) {
        size_t ks, ke, vs, ve;
        i = lgn_jsonscan_ws(p, n, i);
        if (!lgn_jsonscan_string(p, n, &i, &ks, &ke))
            break;
        i = lgn_jsonscan_ws(p, n, i);
        if (i >= n || p[i] != ':')
            break;
        i = lgn_jsonscan_ws(p, n, i + 1);
        const char *k = p + ks;
        size_t kn = ke - ks, at = i;
        has_value |= lgn_jsonscan_key_is(k, kn, "value");
        if (rule < 0 &&
            (lgn_jsonscan_key_is(k, kn, "name") || lgn_jsonscan_key_is(k, kn, "key") ||
             lgn_jsonscan_key_is(k, kn, "field")) &&
            lgn_jsonscan_string(p, n, &i, &vs, &ve)) {
            /* a marker ("[name]": a name replaced before) names nothing */
            bool marker = ve > vs && p[vs] == '[' && p[ve - 1] == ']';
            int r = marker ? -1 : lgn_scrub_name_rule(s, p + vs, ve - vs);
            if (r >= 0 && lgn_scrub_rules(s)->v[r].action != LGN_ACT_KEEP) {
                rule = r;
                *name_at = at;
            }
        } else if (!lgn_jsonscan_value(p, n, &i, depth, NULL, NULL)) {
            break;
        }
        i = lgn_jsonscan_ws(p, n, i);
        if (i >= n || p[i] != ',')
            break;
        i++;
    }
    return has_value ? rule : -1;
}
