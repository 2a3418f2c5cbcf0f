/* datafile.h: where lognym's installed data (filter rules, the bot list, the
 * country database) is found, looked up one way for all of them. */
#ifndef LGN_DATAFILE_H
#define LGN_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The first existing NAME (a directory when dir, else a regular file) of:
 * beside the executable, ../share/lognym/ from it, the source tree's
 * SOURCE_SUB/ (only for a binary under that tree, so `make` builds use what
 * scripts/install-deps.sh fetched) and the installed share directory.
 * Writes the path to buf and returns buf; NULL when none exists, with buf
 * listing the places looked at (for the error message). */
const char *lgn_datafile_find(const char *name, const char *source_sub, bool dir, char *buf,
                              size_t cap);

#endif
