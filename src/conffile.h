/* conffile.h: the config file (-c FILE, default /etc/lognym/lognym.conf):
 * "option = value" lines using the long option names of the command line. */
#ifndef LGN_CONFFILE_H
#define LGN_CONFFILE_H

#include "config.h"
#include "err.h"

#define LGN_DEFAULT_CONFIG "/etc/lognym/lognym.conf"

/* Holds the values read from a file; cfg points into it. */
struct lgn_conffile;

/* Reads path into cfg. Blank lines and lines starting with '#' are ignored;
 * "gzip = yes" sets a flag. Unknown options and bad values are errors
 * "FILE:LINE: message" (LGN_EXIT_USAGE); a missing file is LGN_EXIT_INPUT.
 * On success *out owns the values (free after the run). */
int lgn_conffile_load(const char *path, struct lgn_config *cfg, struct lgn_conffile **out,
                      struct lgn_err *err);
void lgn_conffile_free(struct lgn_conffile *cf);

#endif
