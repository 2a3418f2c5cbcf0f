/* statsview.c: what the statistics read of a request, URL or referrer. */
#include "statsview.h"

#include <stdbool.h>
#include <string.h>

/* A query parameter the campaigns table reads (report.c: "campaigns"). */
static bool campaign_tag(const char *p, size_t n)
{
    static const char *const tags[] = {"utm_source=", "utm_medium=", "utm_campaign="};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t k = strlen(tags[i]);
        if (n >= k && memcmp(p, tags[i], k) == 0)
            return true;
    }
    return false;
}

/* "jane&#64;example.com": an HTML entity's '#' starts no fragment, and a
 * cut there would leave "jane&", which no rule reads as an address. */
static bool has_entity(const char *p, size_t n)
{
    for (const char *a = p; (a = memchr(a, '&', (size_t)(p + n - a))) != NULL; a++)
        if (a + 1 < p + n && a[1] == '#')
            return true;
    return false;
}

size_t lgn_statsview_url(const char *p, size_t n, size_t start, size_t end, char *out)
{
    const char *qm = memchr(p + start, '?', end - start), *hm = memchr(p + start, '#', end - start);
    if (qm == NULL && hm == NULL)
        return n; /* the usual page or asset: nothing to cut */
    if (hm != NULL && has_entity(p + start, end - start))
        return n; /* scrubbed whole, cut by the statistics after */
    size_t q = (size_t)((qm == NULL || (hm != NULL && hm < qm) ? hm : qm) - p);
    memcpy(out, p, q);
    size_t o = q;
    size_t stop = q; /* the fragment, when there is one, is never read */
    while (stop < end && p[stop] != '#')
        stop++;
    for (size_t i = q + (p[q] == '?'); i < stop;) {
        size_t j = i;
        while (j < stop && p[j] != '&')
            j++;
        if (campaign_tag(p + i, j - i)) {
            char sep = o == q ? '?' : '&';
            out[o++] = sep;
            memcpy(out + o, p + i, j - i);
            o += j - i;
        }
        i = j + 1;
    }
    memcpy(out + o, p + end, n - end);
    return o + (n - end);
}

size_t lgn_statsview_request(const char *p, size_t n, char *out)
{
    const char *sp = memchr(p, ' ', n);
    if (sp == NULL)
        return n;
    size_t start = (size_t)(sp - p) + 1;
    const char *sp2 = memchr(p + start, ' ', n - start);
    return lgn_statsview_url(p, n, start, sp2 != NULL ? (size_t)(sp2 - p) : n, out);
}

size_t lgn_statsview_referrer(const char *p, size_t n)
{
    /* as lgn_stats_referrer_domain reads it: a scheme within 32 bytes */
    size_t h = 0;
    for (size_t c = 0; c + 2 < n && c < 32; c++) {
        if (p[c] == ':' && p[c + 1] == '/' && p[c + 2] == '/') {
            h = c + 3;
            break;
        }
        char x = p[c];
        if (!((x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') ||
              x == '+' || x == '-' || x == '.'))
            break;
    }
    if (h == 0 && n >= 2 && p[0] == '/' && p[1] == '/')
        h = 2;
    while (h < n && p[h] != '/' && p[h] != '?' && p[h] != '#')
        h++;
    if (h < n && p[h] == '#' && has_entity(p, h + 1))
        return n;
    return h > 0 ? h : (n > 0 ? 1 : 0);
}
