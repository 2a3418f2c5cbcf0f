/* freetext.c: every detector and every address over text no format explains. */
#include "freetext.h"

#include <stdlib.h>
#include <string.h>

#include "addrscan.h"
#include "anon.h"
#include "ip.h"

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

static bool is_boundary(char c)
{
    return c == ' ' || c == '"' || c == '\'' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* A client token of an access log line: an address (with brackets or a
 * port) or a host name with a dot. */
static bool client_token(const char *t, size_t n)
{
    struct lgn_ip_span span;
    if (n == 0)
        return false;
    if (lgn_ip_find(t, n, 0, &span) && span.start <= 1)
        return true;
    bool dot = false;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.'))
            return false;
        dot = dot || c == '.';
    }
    return dot;
}

/* Puts [p, p+n) as a pseudonym with this prefix, or as it is when it names
 * no one ('-', a pseudonym already). */
static int put_token(struct lgn_anon *a, const char *prefix, const char *p, size_t n,
                     struct lgn_arena *out)
{
    char buf[LGN_ANON_MAX];
    if ((n == 1 && p[0] == '-') || lgn_anon_is_name(prefix, p, n))
        return lgn_arena_put(out, p, n);
    size_t m = lgn_anon_name(a, prefix, p, n, buf);
    return lgn_arena_put(out, buf, m);
}

/* Access log lines inside free text (a Docker json-file "log" value, a
 * message field, two records run together): in "CLIENT IDENT USER
 * [dd/Mon/yyyy:" the ident and the user get pseudonyms, as in a parsed
 * line (no detector knows a bare name). Writes the text so changed to out
 * and returns 1, or 0 when there is none (-1: out of memory). */
static int embedded_users(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *out)
{
    size_t done = 0, off = out->len;
    for (const char *b = memchr(p, '[', n); b != NULL;
         b = memchr(b + 1, '[', n - (size_t)(b + 1 - p))) {
        size_t k = (size_t)(b - p), ue = k - 1, us = ue, is, cs;
        if (k < 6 || p[ue] != ' ' || n - k < 13 || p[k + 3] != '/' || p[k + 7] != '/' ||
            p[k + 12] != ':' || p[k + 1] < '0' || p[k + 1] > '9')
            continue;
        while (us > done && !is_boundary(p[us - 1]))
            us--;
        if (us == ue || us < 2 || p[us - 1] != ' ')
            continue;
        for (is = us - 1; is > done && !is_boundary(p[is - 1]);)
            is--;
        if (is == us - 1 || is < 2 || p[is - 1] != ' ')
            continue;
        for (cs = is - 1; cs > done && !is_boundary(p[cs - 1]);)
            cs--;
        if (!client_token(p + cs, is - 1 - cs))
            continue;
        if (lgn_arena_put(out, p + done, is - done) != 0 ||
            put_token(a, "ident", p + is, us - 1 - is, out) != 0 ||
            lgn_arena_put(out, " ", 1) != 0 || put_token(a, "user", p + us, ue - us, out) != 0)
            return -1;
        done = ue;
    }
    if (done == 0)
        return 0;
    if (lgn_arena_put(out, p + done, n - done) != 0)
        return -1;
    if (out->len - off == n && memcmp(out->buf + off, p, n) == 0) {
        out->len = off;
        return 0;
    }
    return 1;
}

int lgn_freetext(struct lgn_scrub *s, struct lgn_anon *a, const char *p, size_t n,
                 struct lgn_arena *out, bool *changed)
{
    lgn_scrub_found_reset(s);
    /* the text with its embedded lines' users pseudonymised, in a buffer
     * of its own (out grows while the scrubbed text is read) */
    struct lgn_arena users = {0};
    int emb = memchr(p, '[', n) != NULL ? embedded_users(a, p, n, &users) : 0;
    if (emb < 0) {
        free(users.buf);
        return -1;
    }
    if (emb == 1)
        p = users.buf, n = users.len;
    const char *q = p;
    size_t m = n;
    int rc = s != NULL ? lgn_scrub(s, LGN_SCRUB_TEXT, p, n, &q, &m) : 0;
    if (rc < 0 || lgn_freetext_addresses(a, s, q, m, false, out, changed) != 0 ||
        ((rc == 1 || emb == 1) && !*changed && lgn_arena_put(out, q, m) != 0)) {
        free(users.buf);
        return -1;
    }
    *changed = *changed || rc == 1 || emb == 1;
    free(users.buf);
    return 0;
}
