/* pipeline.h: the per-line loop: read, match the format, anonymise, write. */
#ifndef LGN_PIPELINE_H
#define LGN_PIPELINE_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "summary.h"

/* Processes every input into the output. Returns an enum lgn_exit value; on
 * failure err says why. An input that cannot be read is passed to `report`
 * as an error and the others are still processed; notices (the detected
 * format) are passed with error = false. */
int lgn_pipeline_run(const struct lgn_config *cfg, struct lgn_summary *sum, struct lgn_err *err,
                     void (*report)(bool error, const char *msg));

#endif
