/* json.h: a small, strict JSON reader (RFC 8259) into a tree, for `lognym merge`. */
#ifndef LGN_JSON_H
#define LGN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum lgn_json_type {
    LGN_JSON_NULL,
    LGN_JSON_FALSE,
    LGN_JSON_TRUE,
    LGN_JSON_NUMBER,
    LGN_JSON_STRING,
    LGN_JSON_ARRAY,
    LGN_JSON_OBJECT
};

/* One value. Strings are decoded (escapes resolved, NUL-terminated; len
 * excludes the NUL and may count embedded NULs from \u0000). A number keeps
 * its text so integers up to 2^64-1 are exact. Object members keep their
 * order; keys[i] names items[i]. */
struct lgn_json {
    enum lgn_json_type type;
    char *str;  /* STRING: the value; NUMBER: the literal text */
    size_t len; /* STRING/NUMBER: bytes in str */
    double num; /* NUMBER */
    size_t n;   /* ARRAY/OBJECT: number of items */
    struct lgn_json **items;
    char **keys; /* OBJECT only */
};

/* Parses text[0..len). Rejects anything but one JSON value surrounded by
 * whitespace, nesting deeper than 128, invalid UTF-8 in strings, lone
 * surrogates, control characters in strings. NULL on error: err holds
 * "line:column: what". Free with lgn_json_free (accepts NULL). */
struct lgn_json *lgn_json_parse(const char *text, size_t len, struct lgn_err *err);
void lgn_json_free(struct lgn_json *v);

/* Member `key` of an object (first match), or NULL (also when v is not an object). */
const struct lgn_json *lgn_json_get(const struct lgn_json *v, const char *key);
/* True and *out set when v is a number that is a non-negative integer < 2^64. */
bool lgn_json_u64(const struct lgn_json *v, uint64_t *out);
/* True and *out set when v is a number. */
bool lgn_json_double(const struct lgn_json *v, double *out);
/* The string, or NULL when v is not a string. */
const char *lgn_json_str(const struct lgn_json *v);

#endif
