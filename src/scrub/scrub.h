/* scrub.h: the scrub stage: applies the rules of filters/ to request lines,
 * URLs, query strings, referrers and (for bad lines and JSON bodies) free
 * text, so e-mail addresses, phone numbers, identity and card numbers,
 * secrets and identifying parameters never reach the output. */
#ifndef LGN_SCRUB_H
#define LGN_SCRUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "anon.h"
#include "config.h"
#include "err.h"
#include "rules.h"

enum lgn_scrub_kind {
    LGN_SCRUB_REQUEST, /* "METHOD TARGET PROTOCOL" (%r, $request) */
    LGN_SCRUB_URL,     /* a path, request target or absolute URL (%U, $request_uri, referers) */
    LGN_SCRUB_QUERY,   /* a query string, with or without its '?' (%q, $args) */
    LGN_SCRUB_TEXT,    /* free text: lines that match no format, JSON bodies */
    LGN_SCRUB_UA,      /* a user agent: the value detectors but e-mail (bots' contacts) */
};

struct lgn_scrub_opts {
    bool drop_query;           /* remove every query string */
    const char *keep_params;   /* comma-separated allow-list ("utm_*" for a prefix), or NULL */
    const char *keep_cookies;  /* cookies whose values stay (--keep-cookies), or NULL */
    bool drop_search;          /* search parameters' values become [search] */
    const char *search_params; /* which parameters search (as keep_params); NULL: the default */
};

/* The search parameters of --search-terms drop, unless --search-params says. */
#define LGN_SEARCH_PARAMS "q,query,search,s,keyword,term,k"

struct lgn_scrub;

/* A scrubber over `rules` (borrowed; may be NULL for none). The hash action
 * and addresses hidden by percent-encoding use `anon` (borrowed). */
struct lgn_scrub *lgn_scrub_new(const struct lgn_rules *rules, const struct lgn_scrub_opts *opts,
                                struct lgn_anon *anon, struct lgn_err *err);
/* Loads the rules the configuration asks for (--filters, --filter,
 * --no-filters, the default directory) and makes a scrubber that owns them.
 * Errors in rule files read "FILE:LINE: message" (exit code 2). */
struct lgn_scrub *lgn_scrub_open(const struct lgn_config *cfg, struct lgn_anon *anon,
                                 struct lgn_err *err);
void lgn_scrub_free(struct lgn_scrub *s); /* accepts NULL */

/* False when there is nothing to do (no rules, no query option). */
bool lgn_scrub_enabled(const struct lgn_scrub *s);
const struct lgn_rules *lgn_scrub_rules(const struct lgn_scrub *s);

/* Scrubs one field. Returns 1 when something was replaced (*out, *out_len:
 * the new bytes, owned by the scrubber, valid until its next call), 0 when
 * the field stays as it is, -1 when out of memory. The result holds no
 * space that the input did not, and stays a valid URL for the URL kinds. */
int lgn_scrub(struct lgn_scrub *s, enum lgn_scrub_kind kind, const char *p, size_t n,
              const char **out, size_t *out_len);

/* Finds what lgn_scrub would replace in one field, without replacing it:
 * calls found() with the kind of each finding (a rule's label such as
 * "email", or "user" for URL credentials, "address" for an address hidden
 * by encoding) and the bytes [start, end) of p it would replace, so that
 * the caller can tell lognym's own output from a finding. Returns the
 * number of findings, or -1 when out of memory. lognym audit uses it. */
int lgn_scrub_find(struct lgn_scrub *s, enum lgn_scrub_kind kind, const char *p, size_t n,
                   void (*found)(const char *kind, size_t start, size_t end, void *ctx), void *ctx);

/* Runs every rule's `expect` examples (each INPUT scrubbed as a URL must
 * give OUTPUT, where "<hash>" stands for 12 hex digits), writing "ok - ..."
 * or "not ok - ..." lines to out. Returns the number that failed, or -1 when
 * out of memory. */
long lgn_scrub_examples(struct lgn_scrub *s, FILE *out);

/* lognym filters: lists the rules the configuration loads, or (test) runs
 * their examples, writing to out. Returns an exit code: 0, 1 when an example
 * failed, or another with err filled. */
int lgn_scrub_command(const struct lgn_config *cfg, bool test, FILE *out, struct lgn_err *err);

/* How many values (parameters, e-mails, numbers, ...) were replaced or
 * dropped so far: the summary's "values scrubbed". */
unsigned long long lgn_scrub_replaced(const struct lgn_scrub *s);

/* How many times a value pattern was run (the prefilter skipped the others). */
unsigned long long lgn_scrub_regex_runs(const struct lgn_scrub *s);

/* The first name-only rule (index into lgn_scrub_rules) that a header,
 * variable or JSON key name matches, as servers write them (nginx's
 * "http_x_api_key" answers to "x-api-key"), or -1. Cached by name. */
int lgn_scrub_name_rule(struct lgn_scrub *s, const char *name, size_t n);

/* Whether a user agent may hold what LGN_SCRUB_UA replaces: a phone,
 * identity, card or account number (a long digit run), a JWT, a URL's
 * user information, a name=value pair. Most user agents hold none of them
 * and skip the detectors (the rewriter's and lognym audit's). */
bool lgn_scrub_ua_may_hold(const char *p, size_t n);

/* The label of a credential no rule names ("Basic [credential]"), in
 * credential fields and after an Authorization scheme word in free text. */
#define LGN_CREDENTIAL_LABEL "credential"

/* Where the credential of an Authorization-like value starts: after its
 * scheme word ("Basic ", "Bearer ") when it has one, else 0. */
size_t lgn_credential_start(const char *p, size_t n);

/* True when --keep-cookies lists this cookie name. */
bool lgn_scrub_keeps_cookie(const struct lgn_scrub *s, const char *name, size_t n);

/* Findings: the kind (a rule's label, or "address") of every value replaced
 * since the last reset, in order. lognym audit counts them; lgn_freetext
 * resets them on each call. */
void lgn_scrub_found_reset(struct lgn_scrub *s); /* accepts NULL */
void lgn_scrub_found_add(struct lgn_scrub *s, const char *kind);
size_t lgn_scrub_found(const struct lgn_scrub *s, const char *const **kinds);

#endif
