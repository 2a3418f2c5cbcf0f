/* fromhits.h: `lognym stats --from-hits`: the reduce step of lognym-dask.
 * Hit records (hits.h) of any set of visitors, in any order, become one
 * partial report: every row kept, for lognym merge. */
#ifndef LGN_FROMHITS_H
#define LGN_FROMHITS_H

#include "config.h"
#include "err.h"

/* Reads the records of cfg->inputs (stdin when none), orders them by time
 * (then input and line: one visitor's hits in the order one pass would
 * meet them), counts them and writes the partial JSON report to
 * cfg->stats_json (stdout when NULL). With cfg->part_count, every visitor
 * id must fall in partition cfg->part_index, and the report says so.
 * Returns an enum lgn_exit value; err says why on failure. */
int lgn_fromhits_run(const struct lgn_config *cfg, struct lgn_err *err);

#endif
