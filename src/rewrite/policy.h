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

/* The policy of a JSON key (header: a member of a headers object): as the
 * nginx variable of that name; an unknown key that a name rule matches is a
 * credential under that rule. */
struct lgn_value_policy lgn_policy_of_key(struct lgn_scrub *s, const char *key, size_t n,
                                          bool header);

/* A JSON-lines object's members [p, p+n) (without the outer braces): each
 * value rewritten by its key's policy, nested objects and arrays included.
 * False in *valid (nothing appended) when the text is not JSON. */
int lgn_rewrite_json(const struct lgn_rewrite_ctx *c, const char *p, size_t n,
                     struct lgn_arena *out, bool *changed, bool *valid);

#endif
