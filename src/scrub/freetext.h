/* freetext.h: the free-text scrubber, for whatever no format explains (bad
 * lines, unknown variables, trailing fields, wrappers, JSON values): every
 * detector of the filter rules (e-mails, phones, national ids, cards, IBANs,
 * JWTs, ...), `name=value`, `name: value` and `"name":"value"` pairs through
 * the name rules, and every address in every spelling. One API for the
 * rewriter and for `lognym audit`. */
#ifndef LGN_FREETEXT_H
#define LGN_FREETEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "addrscan.h"
#include "anon.h"
#include "record.h"
#include "scrub.h"

/* Scrubs [p, p+n) as free text with the rules of s (NULL: addresses only)
 * and anonymises every address with a. When anything was replaced, appends
 * the result to `out` and sets *changed; otherwise appends nothing. The
 * kinds replaced are then lgn_scrub_found(s) ("address" for addresses; the
 * list is reset by each call). Returns 0, or -1 when out of memory. */
int lgn_freetext(struct lgn_scrub *s, struct lgn_anon *a, const char *p, size_t n,
                 struct lgn_arena *out, bool *changed);

/* The address pass alone, as above: every address in [p, p+n), in every
 * spelling (after %XX and \xXX escapes, after "word:", with a port,
 * reverse-DNS names, host names spelling an IPv4 address), rewritten in its
 * own spelling. With `versions`, "Name/1.2.3.4" product versions stay (user
 * agents). Findings are added to s (may be NULL). Returns 0 or -1. */
int lgn_freetext_addresses(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                           bool versions, struct lgn_arena *out, bool *changed);

/* In a user agent, "Chrome/120.0.0.0" is a product version, not an address:
 * a dotted quad (h, found in [p, p+n)) right after "Name/" (a URL's
 * "//1.2.3.4" is not), unless a port follows ("ip/203.0.113.9:8080" is an
 * address). For the rewriter and lognym audit alike. */
bool lgn_is_product_version(const char *p, size_t n, const struct lgn_addr_hit *h);

#endif
