/* detect.h: the formats a run accepts: one given format, or (auto) every preset,
 * tried with the one that matched last first. */
#ifndef LGN_DETECT_H
#define LGN_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "logfmt.h"
#include "record.h"
#include "slice.h"

struct lgn_formats {
    struct lgn_format **list;
    unsigned long long *matched; /* lines matched, per format */
    size_t n;
    size_t last;                    /* index of the format that matched last */
    bool automatic;                 /* formats were not given: detect */
    const struct lgn_format *first; /* the first format that matched, NULL before */
};

int lgn_formats_init(struct lgn_formats *fs, const struct lgn_config *cfg, struct lgn_err *err);
void lgn_formats_free(struct lgn_formats *fs);

/* Finds the format the line matches and resets r to it (fields filled), or
 * returns NULL. In auto mode a line may also be wrapped in a syslog or
 * container-runtime prefix (r's head) or carry extra trailing fields (tail). */
/* True for a Kubernetes CRI partial record ("... stdout P ..."): the start
 * of a line the runtime split; the records after it continue it. */
bool lgn_cri_partial(const char *line, size_t len);

/* Length of the syslog or CRI wrapper before the access-log line, or 0. */
size_t lgn_wrapper_len(const char *line, size_t len);

const struct lgn_format *lgn_formats_match(struct lgn_formats *fs, const char *line, size_t len,
                                           struct lgn_record *r);

/* For a line lgn_formats_match refused: the given format, or the first
 * preset, whose literals and field boundaries the line has
 * (lgn_parse_loose); r is reset to it. NULL for a line with a carriage
 * return (joined records), a CRI partial record, or none that fits. The
 * format's match counts are not changed: the line stays a bad line. */
const struct lgn_format *lgn_formats_match_loose(struct lgn_formats *fs, const char *line,
                                                 size_t len, struct lgn_record *r);

/* For a line lgn_formats_match_loose refused (not a CRI partial record
 * here: it may be a cut line): the format whose leading fields the line
 * lines up with best (lgn_parse_leading; at least the address, ident, user
 * and time, or the whole of a shorter format); r is reset to it, with the
 * rest of the line as its tail (free text). NULL for a line with a carriage
 * return or none that fits. Match counts are not changed. */
const struct lgn_format *lgn_formats_match_leading(struct lgn_formats *fs, const char *line,
                                                   size_t len, struct lgn_record *r);

/* The format in force, for messages: "--format combined", "the
 * --apache-format string", "--format auto". */
void lgn_formats_describe(const struct lgn_config *cfg, char *out, size_t cap);

#endif
