/* statsmerge.h: `lognym merge`: several JSON reports read and combined into one. */
#ifndef LGN_STATSMERGE_H
#define LGN_STATSMERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "report.h"

/* Largest report file read (bytes). */
#define LGN_STATSMERGE_MAX_FILE (256u << 20)

/* Reads a JSON report from path ("-": standard input). NULL on error; err
 * says "path: what". Owned by the caller. */
struct lgn_report *lgn_statsmerge_load(const char *path, struct lgn_err *err);

/* Reads every report in paths[0..n) and merges them, then folds small rows
 * once, at the end, with K = the largest of min_visitors and the inputs' K
 * (min_visitors 0: the inputs' only); partial: no folding, the result is a
 * partial report again. Refuses reports that share an input. NULL on error
 * (err names the file). */
struct lgn_report *lgn_statsmerge(const char *const *paths, size_t n, unsigned min_visitors,
                                  bool partial, struct lgn_err *err);

#endif
