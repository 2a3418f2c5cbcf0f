/* freetext.c: every detector and every address over text no format explains. */
#include "freetext.h"

#include <string.h>

#include "addrscan.h"

bool lgn_is_product_version(const char *p, size_t n, const struct lgn_addr_hit *h)
{
    if (h->form != LGN_ADDR_PLAIN || h->ip.family != 4 || h->start < 2 || p[h->start - 1] != '/')
        return false;
    size_t e = h->start + h->len;
    if (e + 1 < n && p[e] == ':' && p[e + 1] >= '0' && p[e + 1] <= '9')
        return false;
    char c = p[h->start - 2];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int lgn_freetext_addresses(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                           bool versions, struct lgn_arena *out, bool *changed)
{
    struct lgn_addr_hit h;
    size_t done = 0, from = 0, off = out->len;
    *changed = false;
    while (lgn_addr_find(p, n, from, &h)) {
        from = h.start + h.len;
        if (versions && lgn_is_product_version(p, n, &h))
            continue;
        char buf[LGN_ADDR_OUT_MAX];
        size_t m = lgn_addr_anon(a, p, &h, buf);
        if (m == h.len && memcmp(buf, p + h.start, m) == 0)
            continue; /* already anonymised (a truncated or pseudonymous address) */
        if (s != NULL)
            lgn_scrub_found_add(s, "address");
        if (lgn_arena_put(out, p + done, h.start - done) != 0 || lgn_arena_put(out, buf, m) != 0)
            return -1;
        done = h.start + h.len;
        *changed = true;
    }
    if (*changed && lgn_arena_put(out, p + done, n - done) != 0)
        return -1;
    if (!*changed)
        out->len = off;
    return 0;
}

int lgn_freetext(struct lgn_scrub *s, struct lgn_anon *a, const char *p, size_t n,
                 struct lgn_arena *out, bool *changed)
{
    lgn_scrub_found_reset(s);
    const char *q = p;
    size_t m = n;
    int rc = s != NULL ? lgn_scrub(s, LGN_SCRUB_TEXT, p, n, &q, &m) : 0;
    if (rc < 0 || lgn_freetext_addresses(a, s, q, m, false, out, changed) != 0)
        return -1;
    if (rc == 1 && !*changed && lgn_arena_put(out, q, m) != 0)
        return -1;
    *changed = *changed || rc == 1;
    return 0;
}
