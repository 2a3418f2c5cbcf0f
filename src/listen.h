/* listen.h: lognym listen unix:PATH: receive nginx's syslog datagrams
 * (access_log syslog:server=unix:PATH), strip the syslog header, anonymise,
 * and write, so raw addresses never touch the disk. */
#ifndef LGN_LISTEN_H
#define LGN_LISTEN_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "summary.h"
#include "syslog.h"

/* Runs until SIGTERM/SIGINT; SIGHUP reopens the output. Returns an enum
 * lgn_exit value (err filled on failure). */
int lgn_listen_run(const struct lgn_config *cfg, const char *address, struct lgn_summary *sum,
                   void (*report)(bool error, const char *msg), struct lgn_err *err);

#endif
