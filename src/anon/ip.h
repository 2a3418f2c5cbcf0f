/* ip.h: IPv4/IPv6 addresses: parse, print, truncate, and find them inside text. */
#ifndef LGN_IP_H
#define LGN_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest printed form we emit: IPv6 with embedded IPv4 is 45 chars. */
#define LGN_IP_STRLEN 46

struct lgn_ip {
    uint8_t family; /* 4 or 6 */
    uint8_t bytes[16];
};

/* Parses all of [p, p+len) as a dotted-quad IPv4 or an IPv6 address (no zone,
 * no brackets, no port). Returns true on success. */
bool lgn_ip_parse(const char *p, size_t len, struct lgn_ip *ip);

/* Writes the canonical text form (RFC 5952 for IPv6) into buf; returns its length. */
size_t lgn_ip_format(const struct lgn_ip *ip, char buf[LGN_IP_STRLEN]);

/* Clears every bit after the first `bits` bits. */
void lgn_ip_truncate(struct lgn_ip *ip, unsigned bits);

/* True for ::ffff:a.b.c.d; then *v4 holds a.b.c.d. */
bool lgn_ip_unmap_v4(const struct lgn_ip *ip, struct lgn_ip *v4);

/* One address found in text: [start, start+len) is the address proper; a zone
 * id (%eth0), port and brackets around it are not part of the span. */
struct lgn_ip_span {
    size_t start;
    size_t len;
    struct lgn_ip ip;
};

/* Finds the next IPv4 or IPv6 address in [p+from, p+len): any maximal run of
 * hex digits, '.' and ':' that parses as an address, or whose prefix before a
 * ':port' does. Returns false when there is none. */
bool lgn_ip_find(const char *p, size_t len, size_t from, struct lgn_ip_span *span);

#endif
