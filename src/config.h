/* config.h: the run's settings, filled once from the command line, then read-only. */
#ifndef LGN_CONFIG_H
#define LGN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "anon.h"

enum lgn_bad_policy { LGN_BAD_SCRUB, LGN_BAD_DROP, LGN_BAD_FAIL };

struct lgn_config {
    const char *output; /* NULL: stdout */
    bool gzip;
    bool line_buffered;
    const char *format;        /* preset name or "auto" */
    const char *apache_format; /* overrides format */
    const char *nginx_format;  /* overrides format */
    struct lgn_anon_opts anon;
    enum lgn_bad_policy bad_lines;
    bool quiet;
    bool progress; /* show the progress line even when stderr is not a terminal */
    bool in_place; /* rewrite the input files themselves (lognym rotate) */
    char *const *inputs; /* "-" is stdin */
    size_t n_inputs;
};

void lgn_config_defaults(struct lgn_config *c);

#endif
