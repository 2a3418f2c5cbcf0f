/* addrscan.h: addresses in text in every spelling: plain (after escapes and
 * words, with ports), reverse-DNS names (in-addr.arpa, ip6.arpa) and host
 * names that spell an IPv4 address with dashes (ec2-203-0-113-9.compute-1
 * .amazonaws.com, 203-0-113-9.static.example); each is rewritten in its own
 * spelling. */
#ifndef LGN_ADDRSCAN_H
#define LGN_ADDRSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "anon.h"
#include "ip.h"

enum lgn_addr_form {
    LGN_ADDR_PLAIN,  /* 198.51.100.7, 2001:db8::1 */
    LGN_ADDR_REV4,   /* 7.100.51.198 before ".in-addr.arpa" */
    LGN_ADDR_REV6,   /* the nibbles before ".ip6.arpa" */
    LGN_ADDR_DASHED, /* 198-51-100-7 in a host name */
};

struct lgn_addr_hit {
    size_t start, len; /* the bytes replaced */
    enum lgn_addr_form form;
    struct lgn_ip ip; /* the address meant (reverse names: in forward order) */
};

/* Longest output of lgn_addr_anon: 32 nibbles with their dots. */
#define LGN_ADDR_OUT_MAX 72

/* Finds the next address in [p+from, p+n) in any form. */
bool lgn_addr_find(const char *p, size_t n, size_t from, struct lgn_addr_hit *h);

/* Writes the anonymised address of h in h's spelling; returns the length. */
size_t lgn_addr_anon(struct lgn_anon *a, const char *p, const struct lgn_addr_hit *h,
                     char out[LGN_ADDR_OUT_MAX]);

#endif
