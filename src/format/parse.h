/* parse.h: runs a compiled format over one line, giving zero-copy field slices. */
#ifndef LGN_PARSE_H
#define LGN_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfmt.h"
#include "slice.h"

/* Fills fields[0 .. fmt->n_fields) with slices of line and returns true when
 * the whole line matches the format. Nothing is allocated. */
bool lgn_parse(const struct lgn_format *fmt, const char *line, size_t len,
               struct lgn_slice *fields);

/* Like lgn_parse, but the line may go on after the format, from a space on:
 * returns the length matched (the tail starts there), or 0. */
size_t lgn_parse_prefix(const struct lgn_format *fmt, const char *line, size_t len,
                        struct lgn_slice *fields);

/* Like lgn_parse, but the values of fields between blanks, quotes or
 * brackets are not checked (a status that is not three digits, a time that
 * is not a time): the line has the format's literals and field boundaries. For bad lines, whose
 * fields then keep their policies (a structured field out of shape is free text). */
bool lgn_parse_loose(const struct lgn_format *fmt, const char *line, size_t len,
                     struct lgn_slice *fields);

/* How far a bad line lines up with a format (lgn_parse_leading). */
struct lgn_leading {
    size_t lined_up;   /* fields read with their own policy */
    uint64_t freetext; /* bit i: field i is free text (out of shape, glued to a neighbour) */
    size_t used;       /* the fields end here: the rest of the line is free text */
};

/* For a bad line that lgn_parse_loose refuses: reads the format's fields
 * from the start as far as the line keeps step with its literals. A field
 * out of shape between blanks, quotes or brackets keeps its place (as in a
 * loose match); one glued to a neighbour (":" in "%v:%p") is free text with
 * it; a user or ident may hold blanks; where a literal is missing, the
 * field before it and the rest of the line are free text; a line cut
 * inside an address, address list, user or ident field gives what is
 * there that field's policy. Fields after the stop are empty, at `used`.
 * Returns lead->lined_up. */
size_t lgn_parse_leading(const struct lgn_format *fmt, const char *line, size_t len,
                         struct lgn_slice *fields, struct lgn_leading *lead);

#endif
