/* ipmask.h: report rows hold no address and no pseudonym. A path segment or
 * a host that holds an address in any spelling, or any IP mode's output
 * form (truncated, hash pseudonym ranges and tokens, Crypto-PAn addresses,
 * the host-/user-/ident- name pseudonyms), is shown as "[ip]". */
#ifndef LGN_IPMASK_H
#define LGN_IPMASK_H

#include <stdbool.h>
#include <stddef.h>

#define LGN_IPMASK "[ip]"

/* True when p[0..n) holds an address or a pseudonym. */
bool lgn_ipmask_holds(const char *p, size_t n);

/* The size of an out buffer that lgn_ipmask_path always fits for n bytes. */
#define LGN_IPMASK_OUT(n) (2 * (n) + 8)

/* Writes p[0..n) to out with every '/'-separated segment that holds an
 * address or a pseudonym replaced by "[ip]" (out holds at least
 * LGN_IPMASK_OUT(n) bytes). Returns the length written, or 0 when nothing
 * was replaced (out then holds nothing useful). */
size_t lgn_ipmask_path(const char *p, size_t n, char *out);

#endif
