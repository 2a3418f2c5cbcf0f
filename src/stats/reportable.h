/* reportable.h: whether a string copied from a user agent (a browser or OS
 * family, a version) may be shown in a report or written to a hit record. */
#ifndef LGN_REPORTABLE_H
#define LGN_REPORTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "err.h"

/* Most digits a reportable string holds: every detector that looks for
 * digits in a user agent (phone, national id, card, IBAN: filters/, their
 * min-digits) needs 7 or more. */
#define LGN_REPORTABLE_DIGITS 6

/* Longest string judged: longer ones are not reportable. */
#define LGN_REPORTABLE_MAX 255

/* Longest plain product name (lgn_reportable_plain): uap-core's longest
 * family is 50 bytes. */
#define LGN_REPORTABLE_NAME_MAX 64

/* True when s[0..n), after %XX and \xXX escapes are decoded, holds at most
 * LGN_REPORTABLE_DIGITS digits (ASCII, Persian, Arabic-Indic, fullwidth),
 * no '@' (nor its fullwidth and small forms) and no address in any spelling
 * the anonymiser finds (lgn_addr_find): nothing the anonymiser scrubs in a
 * user agent, nor an e-mail address, fits in it. Real families and
 * versions pass ("Chrome Mobile", "120", "10.15", "XP", "17.1"). */
bool lgn_reportable(const char *s, size_t n);

/* True when s[0..n) is a plain product name: ASCII letters, digits, blanks,
 * '-', '_' and '.' only, at most LGN_REPORTABLE_NAME_MAX bytes ("" too).
 * What a report copies out of a user agent must have this shape: a name
 * that spells a pair ("sid=..."), an escape ("&#64;") or an obfuscated
 * e-mail ("jane(at)example.com") has not. */
bool lgn_reportable_plain(const char *s, size_t n);

/* The free-text detectors (the filter rules a run loads) for report
 * strings, with a cache of the strings found clean. One per thread. */
struct lgn_reportable;

/* Over the rules cfg loads (--filters, --filter, --no-filters), as the
 * anonymiser's scrubber; NULL with err filled. */
struct lgn_reportable *lgn_reportable_new(const struct lgn_config *cfg, struct lgn_err *err);
/* Another thread's checker on the same rules; free it before r. */
struct lgn_reportable *lgn_reportable_share(const struct lgn_reportable *r, struct lgn_err *err);
void lgn_reportable_free(struct lgn_reportable *r); /* accepts NULL */

/* lgn_reportable, and the free-text scrubber of r leaves s[0..n) as it is
 * (no JWT, payload, pair, e-mail in any spelling...). r NULL: lgn_reportable
 * alone. Out of memory: false. */
bool lgn_reportable_text(struct lgn_reportable *r, const char *s, size_t n);

/* A name copied from a user agent (not a fixed name of the rules or of a
 * bot list): lgn_reportable_plain and lgn_reportable_text. */
bool lgn_reportable_copied(struct lgn_reportable *r, const char *s, size_t n);

#endif
