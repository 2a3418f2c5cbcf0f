/* parse.h: runs a compiled format over one line, giving zero-copy field slices. */
#ifndef LGN_PARSE_H
#define LGN_PARSE_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
