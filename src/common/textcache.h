/* textcache.h: a bounded set of field values already known to need no
 * rewriting (user agents and referrers repeat heavily), so they are scanned
 * once. Each value is remembered under a tag (the policy it was checked
 * by): a user agent that may keep an e-mail address is no clean referrer. */
#ifndef LGN_TEXTCACHE_H
#define LGN_TEXTCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct lgn_textcache;

struct lgn_textcache *lgn_textcache_new(void); /* NULL when out of memory */
void lgn_textcache_free(struct lgn_textcache *tc);

/* True when exactly these bytes were added before under the same tag
 * (compared in full, so a hash collision can never let an address through). */
bool lgn_textcache_has(const struct lgn_textcache *tc, unsigned tag, const char *p, size_t n);
/* Remembers these bytes under tag, replacing whatever shared their slot. */
void lgn_textcache_add(struct lgn_textcache *tc, unsigned tag, const char *p, size_t n);

#endif
