/* record.h: one parsed line: field slices into the line, and rewritten values
 * kept in a per-line arena. The writer re-emits untouched bytes verbatim. */
#ifndef LGN_RECORD_H
#define LGN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "logfmt.h"
#include "output.h"
#include "slice.h"

/* A growable byte buffer reset for every line. Values are kept as offsets,
 * since growing may move the buffer. */
struct lgn_arena {
    char *buf;
    size_t len, cap;
};

struct lgn_field_value {
    bool dirty;
    size_t off, len; /* in the arena, when dirty */
};

/* Besides the format's fields, a record may have a head (a syslog or
 * container-runtime prefix the format is wrapped in) and a tail (fields a
 * server appended after a known format); both are treated as opaque text. */
#define LGN_REC_HEAD LGN_MAX_FIELDS
#define LGN_REC_TAIL (LGN_MAX_FIELDS + 1)

struct lgn_record {
    const struct lgn_format *fmt; /* NULL for a line that matched no format */
    const char *line;
    size_t len;
    struct lgn_slice in[LGN_MAX_FIELDS + 2];
    struct lgn_field_value out[LGN_MAX_FIELDS + 2];
    /* Bit i: field i is free text whatever its policy (a bad line's field
     * out of shape and glued to a neighbour, lgn_parse_leading). */
    uint64_t freetext;
    struct lgn_arena arena;
};

/* Starts a new line (keeps the arena's memory). */
void lgn_record_reset(struct lgn_record *r, const struct lgn_format *fmt, const char *line,
                      size_t len);
void lgn_record_free(struct lgn_record *r); /* frees the arena; the struct is the caller's */

/* Appends bytes to the arena; returns 0, or -1 when out of memory. */
int lgn_arena_put(struct lgn_arena *a, const char *p, size_t n);

/* Marks field i as rewritten to the arena bytes [off, arena.len). */
void lgn_record_set_from(struct lgn_record *r, size_t i, size_t off);

/* The current value of field i: rewritten or original. Valid until the arena grows. */
struct lgn_slice lgn_record_value(const struct lgn_record *r, size_t i);

/* Writes the line with rewritten fields in place of the originals (no newline). */
int lgn_record_emit(const struct lgn_record *r, struct lgn_output *out, struct lgn_err *err);

#endif
