/* rotate.h: anonymise log files in place (lognym rotate, --in-place): a temp
 * file in the same directory, fsync, rename; the original stays intact on
 * any error. */
#ifndef LGN_ROTATE_H
#define LGN_ROTATE_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "summary.h"

/* Rewrites one regular file (plain or gzip, written back the same way),
 * keeping its mode, owner, group and mtime. Symbolic links and non-regular
 * files are refused. A file this function already rewrote (marked with the
 * extended attribute user.lognym) is left as it is. Returns 0, or an enum
 * lgn_exit value with err filled; the original is then unchanged and no temp
 * file is left behind. */
int lgn_rotate_file(const struct lgn_config *cfg, const char *path, struct lgn_summary *sum,
                    void (*report)(bool error, const char *msg), struct lgn_err *err);

#endif
