/* anon.h: the IP engine: turns an address (or a host/user name) into its
 * anonymised form under the configured mode, with a cache so a repeated
 * address costs a table lookup. Used by the pipeline and the URL scrubber. */
#ifndef LGN_ANON_H
#define LGN_ANON_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "err.h"
#include "ip.h"

/* Longest output of lgn_anon_ip / lgn_anon_name, without a terminator. */
#define LGN_ANON_MAX 48

struct lgn_anon;

struct lgn_anon *lgn_anon_new(const struct lgn_anon_opts *opts, struct lgn_err *err);
/* Another anonymiser with a's options and master key (so the same
 * pseudonyms, even for a random key) and a cache of its own: one per thread. */
struct lgn_anon *lgn_anon_clone(const struct lgn_anon *a, struct lgn_err *err);
void lgn_anon_free(struct lgn_anon *a);

/* Selects the key for the log day y-m-d when rotating daily (no-op otherwise,
 * or when the day is unchanged). Clears the cache on a change. */
int lgn_anon_set_day(struct lgn_anon *a, int y, int m, int d, struct lgn_err *err);

/* Anonymises the address written as [text, text+len), which parses as *ip.
 * Writes at most LGN_ANON_MAX bytes to out and returns their number. */
size_t lgn_anon_ip(struct lgn_anon *a, const char *text, size_t len, const struct lgn_ip *ip,
                   char out[LGN_ANON_MAX]);

/* A keyed pseudonym "PREFIX-<12 hex>" for a name (host name, user name). */
size_t lgn_anon_name(struct lgn_anon *a, const char *prefix, const char *text, size_t len,
                     char out[LGN_ANON_MAX]);

/* True when [p, p+n) is a pseudonym lgn_anon_name wrote with this prefix:
 * "PREFIX-<12 lower-case hex digits>". */
bool lgn_anon_is_name(const char *prefix, const char *p, size_t n);

/* True when ip could be what this anonymiser writes, so a check of a
 * finished log (lognym audit) need not report it: under truncate, an
 * address whose host bits are zero; under hash, one in the pseudonym ranges
 * (240.0.0.0/4, 100::/64); under cryptopan, every address (a pseudonym
 * cannot be told from an address). */
bool lgn_anon_is_output(const struct lgn_anon *a, const struct lgn_ip *ip);

/* True when [p, p+n) could be an address token this anonymiser writes
 * (--ip-format token: 16 lower-case hex digits). About one token in 1800
 * is all decimal digits, so sixteen digits (a card number's length) are
 * taken for a token too: lognym audit cannot tell them apart. */
bool lgn_anon_is_token(const struct lgn_anon *a, const char *p, size_t n);

/* Counts addresses anonymised so far (cache hits included). */
unsigned long long lgn_anon_count(const struct lgn_anon *a);

#endif
