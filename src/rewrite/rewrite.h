/* rewrite.h: the anonymise stage: every address in a record (and in lines that
 * match no format) is replaced by its anonymised form; user names and host
 * names in address fields are replaced by keyed pseudonyms. */
#ifndef LGN_REWRITE_H
#define LGN_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "anon.h"
#include "record.h"
#include "scrub.h"
#include "textcache.h"

/* Rewrites the fields of a parsed record. `seen` (may be NULL) remembers
 * user agents and referrers that held no address. Returns -1 only when out
 * of memory. */
int lgn_rewrite_record(struct lgn_anon *a, struct lgn_record *r, struct lgn_textcache *seen);

/* The same, with the request, URL, query, referrer and JSON-body fields
 * first scrubbed by the filter rules of s (NULL: none). */
int lgn_rewrite_record_scrub(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                             struct lgn_textcache *seen);

/* Only the fields the statistics read (request, URL, query, referrer, host,
 * method), scrubbed and anonymised as above: for runs that write no log. */
int lgn_rewrite_for_stats(struct lgn_anon *a, struct lgn_scrub *s, struct lgn_record *r,
                          struct lgn_textcache *seen);

/* Scrubs [p, p+n) as `kind` (s may be NULL), then replaces every address;
 * appends the result to the arena when anything changed (*changed). For
 * lines that match no format. Returns -1 when out of memory. */
int lgn_rewrite_scrubbed_text(struct lgn_anon *a, struct lgn_scrub *s, enum lgn_scrub_kind kind,
                              const char *p, size_t n, struct lgn_arena *arena, bool *changed);

/* A line that matches no format: free text (lgn_freetext), except that a
 * line starting like the common formats ("ADDR IDENT USER [time") has its
 * ident and user pseudonymised, even when a later field breaks. */
int lgn_rewrite_bad_line(struct lgn_anon *a, struct lgn_scrub *s, const char *p, size_t n,
                         struct lgn_arena *out, bool *changed);

/* Binds the format's header and variable fields to the name rules of s,
 * once the rules are loaded: a field named like a secret or a person's data
 * (X-Api-Key, X-Auth-Token, $http_x_user_email) becomes a credential under
 * that rule. Call once per format before its lines are rewritten. */
void lgn_policy_bind(struct lgn_format *f, struct lgn_scrub *s);

/* Replaces every address in [p, p+n) and appends the result to the arena.
 * *changed tells whether anything was replaced (then the arena holds the text
 * from `off` on; otherwise nothing was appended). Returns -1 when out of memory. */
int lgn_rewrite_text(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *arena,
                     bool *changed);

#endif
