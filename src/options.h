/* options.h: the one table of options, shared by the command line, the
 * config file, --help, and the docs test (every option is documented). */
#ifndef LGN_OPTIONS_H
#define LGN_OPTIONS_H

#include <stddef.h>

#include "config.h"
#include "err.h"

enum lgn_option_kind {
    LGN_OPT_VALUE,  /* takes a value */
    LGN_OPT_FLAG,   /* on the command line: no value; in a config file: yes/no */
    LGN_OPT_ACTION, /* --help, --version, ...: command line only */
};

struct lgn_option {
    const char *name; /* long name, also the config-file key */
    char short_name;  /* 0 when none */
    enum lgn_option_kind kind;
    const char *metavar; /* for --help, e.g. "FILE" */
    const char *help;    /* one line; "\n" continues it in --help */
    const char *section; /* heading in --help */
    /* Sets the option; value is NULL for a flag given on the command line. */
    int (*set)(struct lgn_config *c, const char *value, struct lgn_err *err);
};

/* The table, in --help order; *n gets its length. */
const struct lgn_option *lgn_options(size_t *n);
/* The option with this long name, or NULL. */
const struct lgn_option *lgn_option_find(const char *name);

#endif
