/* pipeline.h: the per-line loop: read, match the format, anonymise, write. */
#ifndef LGN_PIPELINE_H
#define LGN_PIPELINE_H

#include "config.h"
#include "err.h"
#include "summary.h"

/* Processes every input into the output. Returns an enum lgn_exit value; on
 * failure err says why (for an input that could not be read, the others
 * were still processed). Informational messages (the detected format) go to
 * `info` unless it is NULL. */
int lgn_pipeline_run(const struct lgn_config *cfg, struct lgn_summary *sum, struct lgn_err *err,
                     void (*info)(const char *msg));

#endif
