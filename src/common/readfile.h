/* readfile.h: a whole file read into memory (reports, the bot list). */
#ifndef LGN_READFILE_H
#define LGN_READFILE_H

#include <stddef.h>

#include "err.h"

/* Reads path ("-": standard input) whole, at most max bytes, into a buffer
 * the caller frees (NUL-terminated; *len excludes the NUL). NULL with err
 * set ("path: why", LGN_EXIT_INPUT; out of memory: LGN_EXIT_INTERNAL). */
char *lgn_read_file(const char *path, size_t max, size_t *len, struct lgn_err *err);

#endif
