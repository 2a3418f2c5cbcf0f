/* explain.h: lognym --explain-format. */
#ifndef LGN_EXPLAIN_H
#define LGN_EXPLAIN_H

#include <stdio.h>

#include "config.h"
#include "err.h"

/* Prints each field of the format in force (given, or detected from the
 * first lines of the inputs) with its policy. Returns an exit code: 0, 1
 * when no line matched a format, or another with err filled. */
int lgn_explain_format(const struct lgn_config *cfg, FILE *out, struct lgn_err *err);

#endif
