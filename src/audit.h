/* audit.h: lognym audit: checks that logs hold no personal data (after
 * lognym rotate in a logrotate hook, or a data-protection officer checking
 * an archive), reporting per kind the count and the first lines, never a
 * value found. */
#ifndef LGN_AUDIT_H
#define LGN_AUDIT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "err.h"

/* Scans cfg->inputs (stdin when none; plain or gzip) with every detector in
 * free-text mode and the address scanner, leaving out lognym's own output
 * forms under the IP options in cfg, and writes the report (JSON when
 * `json`) to out (nothing when out is NULL). Returns 0 when clean, 1 when
 * something was found, or another exit code with err filled
 * (LGN_EXIT_INPUT: a file could not be read; the others are still
 * scanned). */
int lgn_audit(const struct lgn_config *cfg, bool json, FILE *out, struct lgn_err *err);

#endif
