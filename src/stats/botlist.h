/* botlist.h: the crawler-user-agents list of bot patterns (MIT; the npm
 * package of that name, fetched at a pinned version by
 * scripts/install-deps.sh and installed by `make install`): loaded once and
 * compiled into one PCRE2 regex (JIT-compiled on its first match,
 * lazyjit.h), so a user agent costs one match, not one per pattern. */
#ifndef LGN_BOTLIST_H
#define LGN_BOTLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The pinned version (scripts/install-deps.sh fetches this one). */
#define LGN_BOTLIST_VERSION "1.60.0"
#define LGN_BOTLIST_FILE "crawler-user-agents.json"

struct lgn_botlist;

/* The installed list, found by lgn_datafile_find (this source tree's deps/
 * for binaries built here). Fills buf and returns it, or NULL when none is
 * there. */
const char *lgn_botlist_default_path(char *buf, size_t cap);

/* Loads and compiles a list (a JSON array of {"pattern": ..., ...}).
 * Patterns PCRE2 cannot compile are skipped and counted. NULL with err set
 * when the file is missing, is not such a list, or has no usable pattern.
 * Not thread-safe: one handle per thread (lgn_botlist_share). Free with lgn_botlist_free (accepts
 * NULL). */
struct lgn_botlist *lgn_botlist_load(const char *path, struct lgn_err *err);
/* A handle for another thread on the same compiled list (its own match
 * data): free it before b. NULL with err set when out of memory. */
struct lgn_botlist *lgn_botlist_share(const struct lgn_botlist *b, struct lgn_err *err);
void lgn_botlist_free(struct lgn_botlist *b);

/* Patterns compiled and skipped. */
size_t lgn_botlist_size(const struct lgn_botlist *b);
size_t lgn_botlist_skipped(const struct lgn_botlist *b);

/* The family of the first pattern that matches s[0..n) (a name made from
 * the pattern's own text, e.g. "Googlebot" for "Googlebot\/"; "other bot"
 * when the pattern has no usable name), or NULL when none matches. */
const char *lgn_botlist_match(struct lgn_botlist *b, const char *s, size_t n);

#endif
