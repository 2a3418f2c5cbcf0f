/* reportable.h: whether a string copied from a user agent (a browser or OS
 * family, a version) may be shown in a report or written to a hit record. */
#ifndef LGN_REPORTABLE_H
#define LGN_REPORTABLE_H

#include <stdbool.h>
#include <stddef.h>

/* Most digits a reportable string holds: every detector that looks for
 * digits in a user agent (phone, national id, card, IBAN: filters/, their
 * min-digits) needs 7 or more. */
#define LGN_REPORTABLE_DIGITS 6

/* Longest string judged: longer ones are not reportable. */
#define LGN_REPORTABLE_MAX 255

/* True when s[0..n), after %XX and \xXX escapes are decoded, holds at most
 * LGN_REPORTABLE_DIGITS digits (ASCII, Persian, Arabic-Indic, fullwidth),
 * no '@' (nor its fullwidth and small forms) and no address in any spelling
 * the anonymiser finds (lgn_addr_find): nothing the anonymiser scrubs in a
 * user agent, nor an e-mail address, fits in it. Real families and
 * versions pass ("Chrome Mobile", "120", "10.15", "XP", "17.1"). */
bool lgn_reportable(const char *s, size_t n);

#endif
