/* policy.h: one value rewritten by the policy of the field (or JSON key) it
 * came from. The record rewriter (rewrite.c) and the JSON-lines walker
 * (jsonline.c) share these; the policies of their own are in policy.c. */
#ifndef LGN_POLICY_H
#define LGN_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "anon.h"
#include "logfmt.h"
#include "record.h"
#include "scrub.h"
#include "textcache.h"

/* The engines a value is rewritten with (borrowed; s and seen may be NULL). */
struct lgn_rewrite_ctx {
    struct lgn_anon *a;
    struct lgn_scrub *s;
    struct lgn_textcache *seen; /* user agents and referrers that needed nothing */
};

/* What decides how a value is rewritten: its field's policy and kind, the
 * name the policy reads (a query parameter, a cookie), the name rule a
 * credential's name matched (-1: none). */
struct lgn_value_policy {
    enum lgn_policy policy;
    enum lgn_kind kind;
    const char *subject;
    size_t subject_len;
    int rule;
    bool set_cookie;
    bool one_cookie;
    const struct lgn_timeshape *shape; /* a custom time's own shape, or NULL */
};

/* The value policy of a compiled field. */
struct lgn_value_policy lgn_value_policy_of(const struct lgn_op *op);

/* Rewrites [p, p+n) by vp. Appends the result to `out` and sets *changed
 * when anything was replaced; otherwise appends nothing. The bytes must not
 * live in `out` (it may move). Returns 0, or -1 when out of memory. */
int lgn_rewrite_value(const struct lgn_rewrite_ctx *c, const struct lgn_value_policy *vp,
                      const char *p, size_t n, struct lgn_arena *out, bool *changed);

/* The policies of policy.c, with the contract of lgn_rewrite_value. */
int lgn_rewrite_cookie(const struct lgn_rewrite_ctx *c, const struct lgn_value_policy *vp,
                       const char *p, size_t n, struct lgn_arena *out, bool *changed);
int lgn_rewrite_credential(const struct lgn_rewrite_ctx *c, int rule, const char *p, size_t n,
                           struct lgn_arena *out, bool *changed);
int lgn_rewrite_query_value(const struct lgn_rewrite_ctx *c, const char *name, size_t name_len,
                            const char *p, size_t n, struct lgn_arena *out, bool *changed);
int lgn_rewrite_body(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed);

/* A client address field's value (rewrite.c): each address anonymised, each
 * host name pseudonymised (host-<hex>, a port kept), "-", "unknown",
 * "localhost" and pseudonyms kept. */
int lgn_rewrite_client(struct lgn_anon *a, const char *p, size_t n, struct lgn_arena *out,
                       bool *changed);
/* Whether a client address field [p, p+n) that the anonymiser wrote with
 * a's options holds a host name it would give a pseudonym: a token that is
 * no address, no --ip-format token and not kept (for lognym audit). */
bool lgn_client_has_name(const struct lgn_anon *a, const char *p, size_t n);
/* Whether a user field's value stays as it is (rewrite.c): empty, "-", a
 * user-/ident-/host- pseudonym, "localhost", "unknown", a unix: path. */
bool lgn_rewrite_keeps_name(const char *p, size_t n);
/* A Host header, server name or virtual host (rewrite.c): an address
 * anonymised, a host name kept unless a detector flags it, else free text. */
int lgn_rewrite_host(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed);
/* A host field's text read label by label, as lgn_rewrite_host does when
 * the whole held nothing: a copy in `labels` with its dots as blanks. False
 * (nothing copied) when the text has no dot, has a blank, is longer than a
 * host name with a port, or holds an address (its digit groups, blanked,
 * would read as an id: "203.0.113.0:80"), so lognym audit, reading the
 * output, reads it as the anonymiser read the input. */
#define LGN_HOST_LABELS_MAX 260 /* a name of 253 bytes, ":65535" */
bool lgn_host_labels(const char *p, size_t n, char labels[LGN_HOST_LABELS_MAX]);
/* A Forwarded header (RFC 7239, forwarded.c), pair by pair. *valid is false
 * (nothing appended) when the value is not in its syntax. */
int lgn_rewrite_forwarded(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                          struct lgn_arena *out, bool *changed, bool *valid);

/* The policy of a JSON key (header: a member of a headers object): as the
 * nginx variable of that name; an unknown key that a name rule matches is a
 * credential under that rule. */
struct lgn_value_policy lgn_policy_of_key(struct lgn_scrub *s, const char *key, size_t n,
                                          bool header);

/* The policy of a key in a JSON request body: free text, or a credential
 * under the name rule the key matches. */
struct lgn_value_policy lgn_policy_of_body_key(struct lgn_scrub *s, const char *key, size_t n);

/* Called with each value [s, e) of a JSON-lines object (quoted: it was a
 * string) and the policy of its key; non-zero stops the walk. */
typedef int (*lgn_json_visit)(void *ctx, const struct lgn_value_policy *vp, size_t s, size_t e,
                              bool quoted);

/* Walks a JSON-lines object's members [p, p+n) (without the outer braces),
 * nested objects and arrays included, calling visit for each value (s: the
 * name rules that make a key a credential; may be NULL). *valid is false
 * when the text is not JSON (the values before the error were visited).
 * Returns 0, or -1 when the visitor stopped the walk. */
int lgn_json_walk(struct lgn_scrub *s, const char *p, size_t n, lgn_json_visit visit, void *ctx,
                  bool *valid);

/* Walks a JSON request body [p, p+n) (an object or an array, decoded) as
 * lgn_json_walk does, its keys taken as names (lgn_policy_of_body_key). */
int lgn_json_walk_body(struct lgn_scrub *s, const char *p, size_t n, lgn_json_visit visit,
                       void *ctx, bool *valid);

/* How a log field spells a JSON body: as it is (nginx escape=none), with
 * escape=json's backslashes (\" \\ \u00XX), or with the default
 * escape's \xHH. */
enum lgn_json_spelling { LGN_JSON_RAW, LGN_JSON_ESCAPED, LGN_JSON_HEX };

/* A body read as JSON: its decoded text, and for each text offset (and
 * the end) the raw offset it came from (NULL: the raw bytes themselves). */
struct lgn_json_body {
    enum lgn_json_spelling spelling;
    const char *text;
    size_t len;
    size_t *map;
    char *own; /* the decoded copy, when there is one */
};

/* Reads [p, p+n) as a JSON body in the first spelling that makes it valid
 * JSON; *valid false when none does. Returns 0, or -1 when out of memory.
 * The body borrows p; free it with lgn_json_body_free. */
int lgn_json_body_read(const char *p, size_t n, struct lgn_json_body *b, bool *valid);
void lgn_json_body_free(struct lgn_json_body *b);

/* Appends [p, p+n) to out in spelling sp; the quote mark in sp. */
int lgn_json_spell(enum lgn_json_spelling sp, const char *p, size_t n, struct lgn_arena *out);
const char *lgn_json_quote(enum lgn_json_spelling sp);

/* A JSON-lines object's members [p, p+n) (without the outer braces): each
 * value rewritten by its key's policy, nested objects and arrays included.
 * False in *valid (nothing appended) when the text is not JSON. */
int lgn_rewrite_json(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed, bool *valid);

/* A JSON request body, in any spelling (lgn_json_body_read), rewritten
 * like a JSON-lines object, its new bytes in the body's spelling. False in
 * *valid (nothing appended) when it is not JSON. */
int lgn_rewrite_json_body(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                          struct lgn_arena *out, bool *changed, bool *valid);

#endif
