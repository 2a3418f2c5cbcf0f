/* ipmask.c: path segments and hosts holding an address or a pseudonym become "[ip]". */
#include "ipmask.h"

#include <string.h>

#include "addrscan.h"
#include "url.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool is_alnum(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Whether the 12 hex digits at p[start] follow "host-", "user-" or "ident-"
 * (a name pseudonym). */
static bool name_pseudonym(const char *p, size_t start)
{
    static const char *const prefixes[] = {"host-", "user-", "ident-"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t k = strlen(prefixes[i]);
        if (start >= k && memcmp(p + start - k, prefixes[i], k) == 0 &&
            (start == k || !is_alnum(p[start - k - 1])))
            return true;
    }
    return false;
}

/* A whole hex word of 16 digits (a hash-mode token, --ip-format token) or
 * a name pseudonym's 12, in p[0..n). */
static bool holds_token(const char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (!is_hex(p[i]) || (i > 0 && is_alnum(p[i - 1]))) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_hex(p[j]))
            j++;
        bool word = j == n || !is_alnum(p[j]);
        if (word && (j - i == 16 || (j - i == 12 && name_pseudonym(p, i))))
            return true;
        i = j;
    }
    return false;
}

static bool holds_plain(const char *p, size_t n)
{
    /* One pass decides whether any form can be there: every address has a
     * ':' or a digit before a '.' or '-'; tokens are long hex runs. */
    bool addr = false;
    size_t run = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ':' || (is_digit(c) && i + 1 < n && (p[i + 1] == '.' || p[i + 1] == '-')))
            addr = true;
        run = is_hex(c) ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    struct lgn_addr_hit h;
    if (addr && lgn_addr_find(p, n, 0, &h))
        return true;
    return longest >= 12 && holds_token(p, n);
}

/* An address percent-encoded twice in the log comes out of lognym with its
 * dots or colons still escaped ("0%2E60%2E61%2E0", "240%2E80%2E228%2E28"):
 * read the text again through the URL decoder (nested escapes, folded
 * digits). */
static bool holds_escaped(const char *p, size_t n)
{
    struct lgn_decoded d = {0};
    if (lgn_decode(&d, p, n, 0) != 0) {
        lgn_decoded_free(&d);
        return true; /* no memory to look: mask rather than show */
    }
    bool found = d.map != NULL && holds_plain(d.text, d.len);
    lgn_decoded_free(&d);
    return found;
}

bool lgn_ipmask_holds(const char *p, size_t n)
{
    return holds_plain(p, n) || (memchr(p, '%', n) != NULL && holds_escaped(p, n));
}

size_t lgn_ipmask_path(const char *p, size_t n, char *out)
{
    if (!lgn_ipmask_holds(p, n)) /* the usual case: one pass */
        return 0;
    size_t o = 0;
    bool any = false;
    for (size_t i = 0; i <= n;) {
        const char *slash = memchr(p + i, '/', n - i);
        size_t end = slash != NULL ? (size_t)(slash - p) : n;
        if (end > i && lgn_ipmask_holds(p + i, end - i)) {
            memcpy(out + o, LGN_IPMASK, sizeof LGN_IPMASK - 1);
            o += sizeof LGN_IPMASK - 1;
            any = true;
        } else {
            memcpy(out + o, p + i, end - i);
            o += end - i;
        }
        if (slash == NULL)
            break;
        out[o++] = '/';
        i = end + 1;
    }
    return any ? o : 0;
}
