/* jsonscan.h: JSON read in place, without a tree or an allocation: the
 * lexing and the name/value pair shape that the JSON-lines walker
 * (rewrite/jsonline.c) and free text's "name":value pairs (scrub.c) share. */
#ifndef LGN_JSONSCAN_H
#define LGN_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "scrub.h"

#define LGN_JSON_MAX_DEPTH 32

/* The offset of the first byte at or after i that is no JSON blank. */
size_t lgn_jsonscan_ws(const char *p, size_t n, size_t i);

/* A string at p[*i] ('"'): its contents [*s, *e), *i moved past the
 * closing quote. False (nothing moved) when no string starts or closes. */
bool lgn_jsonscan_string(const char *p, size_t n, size_t *i, size_t *s, size_t *e);

/* A bare value at i (number, true, false, null): its end (i: none);
 * *literal is true for true, false and null. */
size_t lgn_jsonscan_scalar(const char *p, size_t n, size_t i, bool *literal);

/* A leaf of a value: a string's contents or a number, [s, e). */
typedef void (*lgn_jsonscan_leaf)(void *ctx, size_t s, size_t e, bool quoted);

/* Reads the value at *i (after blanks), nested objects and arrays included
 * up to LGN_JSON_MAX_DEPTH, calling leaf (when not NULL) for every string
 * and number in it but the member names (and lognym's own bare markers,
 * "[key]": a text it scrubbed before reads the same). *i ends after the
 * value. False when it is no JSON value (leaves up to there were visited). */
bool lgn_jsonscan_value(const char *p, size_t n, size_t *i, int depth, lgn_jsonscan_leaf leaf,
                        void *ctx);

/* Whether key k[0..n) is word, in any case. */
bool lgn_jsonscan_key_is(const char *k, size_t n, const char *word);

/* True when p holds a "value" key: only then can an object be a pair. */
bool lgn_jsonscan_has_value_key(const char *p, size_t n);

/* An object whose members start at i (after its '{') that is a name/value
 * pair ({"name":"password","value":…}; also "key" or "field" for "name"):
 * the name rule its name matches (-1: none, a keep rule, or no "value"
 * member), and in *name_at the offset of the name's string. */
int lgn_jsonscan_pair_rule(struct lgn_scrub *s, const char *p, size_t n, size_t i, int depth,
                           size_t *name_at);

#endif
