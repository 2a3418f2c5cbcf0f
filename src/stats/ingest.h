/* ingest.h: the only stage that sees a raw address and a raw user agent:
 * it derives the visitor id (keyed, in memory), looks up the country and
 * classifies the user agent, then hands an anonymous hit to the statistics. */
#ifndef LGN_INGEST_H
#define LGN_INGEST_H

#include "config.h"
#include "err.h"
#include "record.h"
#include "stats.h"
#include "ua.h"

struct lgn_ingest;

/* The statistics options the config asks for. */
void lgn_ingest_stats_opts(const struct lgn_config *cfg, struct lgn_stats_opts *so);

/* NULL with err filled on failure (rules file, GeoIP database, key). */
struct lgn_ingest *lgn_ingest_new(const struct lgn_config *cfg, struct lgn_err *err);
void lgn_ingest_free(struct lgn_ingest *g);

/* An ingest for a worker thread: the same visitor key, user-agent rules
 * (shared, compiled once) and GeoIP database, and no statistics (only
 * lgn_ingest_extract). Free it before g. */
struct lgn_ingest *lgn_ingest_clone(const struct lgn_ingest *g, struct lgn_err *err);

/* The hit of one parsed, already rewritten record, not yet counted: its
 * strings point into r and *info (the user agent's classification). Its
 * visitor id is keyed by the day's visitor key with --key-rotate daily.
 * -1 when that key cannot be derived (OpenSSL). */
int lgn_ingest_extract(struct lgn_ingest *g, const struct lgn_record *r, struct lgn_hit *hit,
                       struct lgn_ua_info *info);
/* The statistics' definitions (page views, referring domains: hit records,
 * lgn_stats_derive); a clone's are its parent's, read only. */
const struct lgn_stats *lgn_ingest_stats(const struct lgn_ingest *g);

/* Counts a hit (from this ingest or a clone), in input order. -1 when out of memory. */
int lgn_ingest_add(struct lgn_ingest *g, const struct lgn_hit *hit);

/* Adds one parsed, already rewritten record of the run's input number
 * `input`: raw values are read from r->in, scrubbed ones through
 * lgn_record_value. -1 when out of memory or no day key. */
int lgn_ingest_record(struct lgn_ingest *g, const struct lgn_record *r, unsigned input);

/* Closes open visits and writes the reports the config asks for
 * (--stats/--json, --html, --csv, and the text summary to stdout for
 * lognym stats). 0 or -1 with err filled. */
int lgn_ingest_finish(struct lgn_ingest *g, struct lgn_err *err);

/* The hits the report counted (after lgn_ingest_finish). */
uint64_t lgn_ingest_hits(const struct lgn_ingest *g);

#endif
