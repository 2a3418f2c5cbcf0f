/* hits.h: hit records (docs/hits.md): one privacy-safe line per hit with the
 * classified, scrubbed fields the statistics need, written by `lognym hits`
 * (the map step of lognym-dask) and read back by `lognym stats --from-hits`. */
#ifndef LGN_HITS_H
#define LGN_HITS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "output.h"
#include "record.h"
#include "reportable.h"
#include "stats.h"

/* The first field of every record: format name and version. */
#define LGN_HITS_TAG "h1"
#define LGN_HITS_FIELDS 18

struct lgn_ingest;

/* The order of a hit among all hits: its time in milliseconds, then where
 * it came from, its input (numbered from --source) and line: ties in time
 * are ordered as one pass over the inputs meets them. */
struct lgn_hit_key {
    int64_t time_ms; /* INT64_MIN: no time */
    uint64_t source, line;
};

/* Writes the record of one parsed, rewritten line to out (with '\n'): the
 * hit as g derives it for the statistics, from input `source`, line `line`.
 * 0, or -1 with err filled. */
int lgn_hits_write(struct lgn_ingest *g, const struct lgn_record *r, uint64_t source, uint64_t line,
                   struct lgn_output *out, struct lgn_err *err);

/* Parses one record in place (line[0..len) is modified: fields are
 * unescaped and NUL-terminated). Fills hit (its strings point into line)
 * and *key. 0, or -1 with err saying which field is wrong (never echoing
 * it). */
int lgn_hits_parse(char *line, size_t len, struct lgn_hit *hit, struct lgn_hit_key *key,
                   struct lgn_err *err);

/* The same again, over a record lgn_hits_parse has already parsed in place
 * (fields NUL-separated), the families and versions it reports also held
 * to the detectors of rep (reportable.h; NULL: none). 0, or -1 (only for a
 * record never parsed). */
int lgn_hits_parse_again(char *fields, struct lgn_reportable *rep, struct lgn_hit *hit,
                         struct lgn_hit_key *key);

/* Orders keys by time, source, line (for qsort). */
int lgn_hits_key_cmp(const struct lgn_hit_key *a, const struct lgn_hit_key *b);

#endif
