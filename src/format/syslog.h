/* syslog.h: the syslog headers before a message, as nginx's syslog:
 * output, logger, syslog(3) and relays write them. */
#ifndef LGN_SYSLOG_H
#define LGN_SYSLOG_H

#include <stddef.h>

/* Length of the syslog header at the start of msg, or 0 when there is none:
 * RFC 3164 "<PRI>Mmm dd hh:mm:ss HOST TAG: " (nginx) or "<PRI>Mmm dd
 * hh:mm:ss TAG: " (logger, syslog(3)), or RFC 5424 "<PRI>1 TIMESTAMP HOST
 * APP PROCID MSGID SD " (logger --rfc5424, relays). */
size_t lgn_syslog_header_len(const char *msg, size_t len);

/* From m[i], after "<PRI>" or at a line's start (rsyslog files): the RFC
 * 3164 "Mmm dd hh:mm:ss [HOST] TAG: ", its end, or 0. */
size_t lgn_syslog_rfc3164_len(const char *m, size_t len, size_t i);

#endif
