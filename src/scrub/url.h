/* url.h: URL pieces: split a request line and a URL, iterate query
 * parameters, and decode text for matching (percent-encoding, also double,
 * '+', \xHH escapes, Persian and Arabic-Indic digits) while remembering where
 * each decoded byte came from, so a match can be replaced in the raw text. */
#ifndef LGN_URL_H
#define LGN_URL_H

#include <stdbool.h>
#include <stddef.h>

/* A byte range by offsets (into whatever text the caller split). */
struct lgn_span {
    size_t off, len;
};

/* The parts of a URL: an absolute URL ("https://user@host/p?q#f"), a request
 * target ("/p?q#f") or anything else (then all of it is the path). */
struct lgn_url_parts {
    struct lgn_span userinfo; /* "user:pass" before '@' in the authority; len 0: none */
    struct lgn_span host;     /* the rest of the authority: "host:port" */
    struct lgn_span path;     /* from the end of the authority to '?' or '#' */
    bool has_query;
    struct lgn_span query; /* after '?', up to '#' */
    bool has_fragment;
    struct lgn_span fragment; /* after '#' */
};

void lgn_url_split(const char *p, size_t n, struct lgn_url_parts *u);

/* Finds the target in a request line "METHOD TARGET PROTOCOL" (or "METHOD
 * TARGET"). False when the field is not shaped like one. */
bool lgn_request_target(const char *p, size_t n, struct lgn_span *target);

/* One query parameter, by offsets into the query. */
struct lgn_param {
    size_t start, end;  /* the whole "name=value" */
    size_t name_end;    /* end of the name (at '=' or end) */
    bool has_eq;        /* there is a '=' */
    size_t value_start; /* after '=' (== end when there is none) */
};

/* Iterates the '&'-separated parameters of a query: *pos starts at 0.
 * Returns false after the last one. Empty parameters ("a&&b") are returned
 * with start == end. */
bool lgn_query_next(const char *q, size_t n, size_t *pos, struct lgn_param *prm);

/* Decoding flags. */
#define LGN_DEC_PLUS 1u    /* '+' is a space (query strings), unless a digit follows */
#define LGN_DEC_ESCAPES 2u /* \xHH (nginx, Apache) and \u00HH (JSON) escapes */
/* '+' between two digits is a space (free text: "4111+1111" of a URL written there) */
#define LGN_DEC_DIGIT_PLUS 4u

/* Decoded text. `text` may point into the source (nothing to decode); else
 * it is owned here. map[i] is the source offset where the bytes that gave
 * decoded byte i start, map[len] the source length; map is NULL when the
 * text is the source itself. */
struct lgn_decoded {
    const char *text;
    size_t len;
    const size_t *map;
    /* storage: two buffers used in turn by the decoding rounds */
    char *buf[2];
    size_t *maps[2];
    size_t cap;
};

/* Decodes [p, p+n): percent-escapes (case-insensitive hex; up to three
 * rounds, so double and triple encoding is seen through), the escapes the
 * flags name, then Persian (U+06F0..9) and Arabic-Indic (U+0660..9) digits
 * folded to ASCII. Invalid escapes stay as they are. Returns 0, or -1 when
 * out of memory. */
int lgn_decode(struct lgn_decoded *d, const char *p, size_t n, unsigned flags);

/* Source offset of decoded offset i (0 <= i <= len). */
static inline size_t lgn_decoded_src(const struct lgn_decoded *d, size_t i)
{
    return d->map ? d->map[i] : i;
}

/* True when lgn_decode would change these bytes. */
bool lgn_needs_decoding(const char *p, size_t n, unsigned flags);

void lgn_decoded_free(struct lgn_decoded *d); /* frees the storage; accepts NULL */

#endif
