/* userinfo.c: the user information of URLs anywhere in decoded text. */
#include "userinfo.h"

#include <string.h>

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

static bool is_scheme_char(char c)
{
    return is_alnum(c) || c == '+' || c == '-' || c == '.';
}

/* How many source bytes gave decoded byte i: 1 when written as it is, 3
 * for "%XX", 5 for "%25XX", ...: how deeply it was encoded. */
static size_t width(const struct lgn_decoded *d, size_t i)
{
    return d->map ? d->map[i + 1] - d->map[i] : 1;
}

static bool ends_authority(char c)
{
    return c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '"' || c == '\'' ||
           c == '<' || c == '>' || c == '\\' || c == '\n' || c == '\r';
}

/* Bytes a "//" may follow and still start a scheme-relative URL: not part
 * of a word ("a//b") or a scheme ("http://"). A '/' may: "/go///user:pw@h/"
 * is a path segment holding one (the "user:password" it needs is rare in
 * innocent paths). */
static bool glued(char c)
{
    return is_alnum(c) || c == ':' || c == '.' || c == '-' || c == '_' || c == '~' || c == '%' ||
           c == '+' || c == '@' || c == '\\';
}

/* "12:30" or "12:30:45": a time of day, not "user:password". */
static bool time_like(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 2 && is_digit(p[i]))
        i++;
    if (i == 0)
        return false;
    while (i + 3 <= n && p[i] == ':' && is_digit(p[i + 1]) && is_digit(p[i + 2]))
        i += 3;
    return i == n && n > 2;
}

/* Does byte j (an authority delimiter) end the authority that a "://" or
 * "//" of encoding width `level` opened? `quoted`: the URL follows a '. */
static bool ends_here(const char *src, const struct lgn_decoded *d, size_t j, size_t level,
                      bool quoted)
{
    const char *t = d->text;
    if (width(d, j) > level)
        return false; /* encoded more deeply than the URL: data */
    if (t[j] == ' ' && src[d->map ? d->map[j] : j] == '+')
        return false; /* a '+' of the password that query decoding made a blank */
    if (t[j] == '\'')
        return quoted && !(j > 0 && is_alnum(t[j - 1]) && j + 1 < d->len && is_alnum(t[j + 1]));
    return true;
}

bool lgn_find_userinfo(const char *src, const struct lgn_decoded *d, size_t from,
                       struct lgn_span *ui)
{
    const char *t = d->text;
    size_t n = d->len;
    while (from + 2 < n) {
        const char *c = memchr(t + from, '/', n - from - 2);
        if (c == NULL)
            return false;
        size_t i = (size_t)(c - t), a = i + 2;
        from = i + 1;
        if (t[i + 1] != '/') { /* JSON's escaped "\/\/" */
            if (!(i > 0 && t[i - 1] == '\\' && t[i + 1] == '\\' && i + 2 < n && t[i + 2] == '/'))
                continue;
            a = i + 3, i--;
        }
        size_t start = i, level = width(d, i) > width(d, i + 1) ? width(d, i) : width(d, i + 1);
        /* "://" after any scheme-like word, even one that is no scheme
         * ("198.51.100.7://user:pw@nas/"): an authority follows */
        bool scheme = i >= 2 && t[i - 1] == ':' && (is_scheme_char(t[i - 2]) || t[i - 2] == ']');
        if (scheme) {
            start = i - 1;
            while (start > 0 && is_scheme_char(t[start - 1]))
                start--;
            level = width(d, i - 1) > level ? width(d, i - 1) : level;
        } else if (i > 0 && glued(t[i - 1])) {
            continue;
        }
        bool quoted = start > 0 && t[start - 1] == '\'';
        size_t at = (size_t)-1;
        for (size_t j = a; j < n; j++) {
            if (t[j] == '@')
                at = j;
            else if (ends_authority(t[j]) && ends_here(src, d, j, level, quoted))
                break;
        }
        if (at == (size_t)-1 || at == a)
            continue;
        if (!scheme &&
            (memchr(t + a, ':', at - a) == NULL || time_like(t + a, at - a) || t[a] == ':'))
            continue;
        *ui = (struct lgn_span){a, at - a};
        return true;
    }
    return false;
}
