/* cookie.c: Cookie and Set-Cookie syntax (RFC 6265). */
#include "cookie.h"

#include <string.h>
#include <strings.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_tchar(unsigned char c)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           (c != '\0' && strchr(tchar, c) != NULL);
}

/* A cookie-octet, and bytes of UTF-8 text (servers log what clients send). */
static bool is_octet(unsigned char c)
{
    return c >= 0x80 || (c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
}

bool lgn_cookie_token(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_tchar((unsigned char)p[i]))
            return false;
    return n > 0;
}

bool lgn_cookie_attribute(const char *p, size_t n)
{
    static const char *const names[] = {"path",     "domain",  "expires",  "max-age",
                                        "samesite", "secure",  "httponly", "partitioned",
                                        "priority", "version", "comment"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(p, names[i], n) == 0)
            return true;
    return false;
}

bool lgn_cookie_next_at(const char *p, size_t i, size_t n)
{
    if (p[i] != ',')
        return false;
    for (i++; i < n && is_blank(p[i]); i++)
        ;
    size_t s = i;
    while (i < n && p[i] != '=' && p[i] != ';' && p[i] != ',' && !is_blank(p[i]))
        i++;
    return i > s && i < n && p[i] == '=';
}

bool lgn_cookie_pair_at(const char *p, size_t n, size_t i, size_t *eq, size_t *end)
{
    size_t k = i;
    while (k < n && is_tchar((unsigned char)p[k]))
        k++;
    if (k == i || k >= n || p[k] != '=')
        return false;
    *eq = k;
    if (k + 1 < n && p[k + 1] == '"') { /* a quoted value (RFC 6265): cookie octets in quotes */
        size_t q = k + 2;
        while (q < n && is_octet((unsigned char)p[q]))
            q++;
        if (q < n && p[q] == '"') {
            *end = q + 1;
            return true;
        }
    }
    for (k++; k < n && is_octet((unsigned char)p[k]);)
        k++;
    *end = k;
    return true;
}

/* A Forwarded header's "for=…;proto=…;by=…" (RFC 7239) is no cookie list:
 * its addresses have their own policy. */
static bool forwarded_at(const char *p, size_t n, size_t i)
{
    static const char *const names[] = {"for=", "by=", "proto=", "host="};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t l = strlen(names[k]);
        if (n - i >= l && strncasecmp(p + i, names[k], l) == 0)
            return true;
    }
    return false;
}

/* Content-Disposition's parameters ("form-data; name=\"a\"; filename=…")
 * are no cookie list: the type before them says so. */
static bool disposition_before(const char *p, size_t i)
{
    static const char *const types[] = {"form-data;", "attachment;", "inline;"};
    while (i > 0 && is_blank(p[i - 1]))
        i--;
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        size_t l = strlen(types[k]);
        if (i >= l && strncasecmp(p + i - l, types[k], l) == 0)
            return true;
    }
    return false;
}

size_t lgn_cookie_list_at(const char *p, size_t n, size_t i)
{
    if (i > 0 && !is_blank(p[i - 1]) && strchr("\"'([{,", p[i - 1]) == NULL)
        return 0;
    if (disposition_before(p, i))
        return 0;
    size_t pairs = 0, last = 0, eq, end;
    if (forwarded_at(p, n, i))
        return 0;
    while (lgn_cookie_pair_at(p, n, i, &eq, &end)) {
        pairs++;
        last = end;
        size_t k = end;
        while (k < n && is_blank(p[k]))
            k++;
        if (k >= n || p[k] != ';')
            break;
        for (k++; k < n && is_blank(p[k]); k++)
            ;
        i = k;
    }
    return pairs >= 2 ? last : 0;
}

bool lgn_cookie_piece_next(const char *p, size_t n, bool set_cookie, size_t *pos, bool *first,
                           struct lgn_cookie_piece *pc)
{
    size_t i = *pos;
    if (i >= n)
        return false;
    while (i < n && (is_blank(p[i]) || p[i] == ';'))
        i++;
    size_t s = i, eq = n;
    while (i < n && p[i] != ';' && !(set_cookie && lgn_cookie_next_at(p, i, n))) {
        if (p[i] == '=' && eq == n)
            eq = i;
        i++;
    }
    size_t e = i;
    while (e > s && is_blank(p[e - 1]))
        e--;
    *pc = (struct lgn_cookie_piece){.start = s, .eq = eq < e ? eq : e, .end = e};
    pc->attribute = set_cookie && !*first && lgn_cookie_attribute(p + s, pc->eq - s);
    *first = false;
    if (i < n && p[i] == ',') { /* the next Set-Cookie */
        *first = true;
        i++;
    }
    *pos = i;
    return true;
}
