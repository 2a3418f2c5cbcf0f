/* utf8.h: UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), written once for the parsers, reports and pipeline. */
#ifndef LGN_UTF8_H
#define LGN_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1 to 4) of the valid UTF-8 sequence at s[0..n), n >= 1; 0 when the
 * bytes there are not one. */
size_t lgn_utf8_seq(const char *s, size_t n);
/* Whether s[0..n) is valid UTF-8 throughout. */
bool lgn_utf8_valid(const char *s, size_t n);

#endif
