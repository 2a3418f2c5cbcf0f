/* cookie.h: Cookie and Set-Cookie syntax (RFC 6265), shared by the cookie
 * policy of header fields (rewrite/policy.c) and the free-text scrubber,
 * which gives a cookie list found in text the same policy. */
#ifndef LGN_COOKIE_H
#define LGN_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

/* What a cookie's value becomes. */
#define LGN_COOKIE_MARK "[cookie]"

/* True when [p, p+n) is an RFC 6265 token (a cookie name): no blank, no
 * separator, no '@'. */
bool lgn_cookie_token(const char *p, size_t n);

/* True when [p, p+n) names a Set-Cookie attribute (Path, Expires, ...):
 * its value describes the cookie, not a person. */
bool lgn_cookie_attribute(const char *p, size_t n);

/* In a Set-Cookie value (one header, or several joined by ", "), true when
 * the comma at p[i] starts the next cookie (a "name=" follows it); the comma
 * in "Expires=Wed, 21 Oct 2026 ..." does not. */
bool lgn_cookie_next_at(const char *p, size_t i, size_t n);

/* A cookie list in free text ("sid=abc; theme=dark": at least two
 * name=value pairs, the names tokens, separated by ';' and blanks) that
 * starts at p[i]: its end (after the last value), else 0. A list starts
 * where a word does (at 0, or after a blank, a quote or a bracket). */
size_t lgn_cookie_list_at(const char *p, size_t n, size_t i);

/* The pair of a cookie list at p[i]: the '=' after its name (*eq) and the
 * end of its value (*end); false when no token '=' starts at i. */
bool lgn_cookie_pair_at(const char *p, size_t n, size_t i, size_t *eq, size_t *end);

/* A piece of a Cookie or Set-Cookie field: [start, end) without blanks;
 * eq the first '=' in it (end when none); attribute: a Set-Cookie
 * attribute (Path, Domain, ...) after the cookie's own pair. */
struct lgn_cookie_piece {
    size_t start, eq, end;
    bool attribute;
};

/* The piece at *pos: pairs split at ';', and in Set-Cookie also at
 * ", name=" (the next cookie, whose first pair is the cookie again); *first
 * says the next pair is a cookie's own (start it true). False when *pos is
 * at the end; a piece may be empty. */
bool lgn_cookie_piece_next(const char *p, size_t n, bool set_cookie, size_t *pos, bool *first,
                           struct lgn_cookie_piece *pc);

#endif
