/* config.c: default settings. */
#include "config.h"

#include <string.h>

void lgn_config_defaults(struct lgn_config *c)
{
    memset(c, 0, sizeof *c);
    c->format = "auto";
    c->anon.mode = LGN_IP_TRUNCATE;
    c->anon.v4_prefix = 24;
    c->anon.v6_prefix = 48;
    c->anon.format = LGN_IPFMT_ADDRESS;
    c->bad_lines = LGN_BAD_SCRUB;
    c->reorder_window = -1;
}
