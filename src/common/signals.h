/* signals.h: the only process-wide flags: stop (SIGTERM/SIGINT) and reopen (SIGHUP). */
#ifndef LGN_SIGNALS_H
#define LGN_SIGNALS_H

#include <stdbool.h>

/* Installs handlers without SA_RESTART, so a blocked read returns EINTR. */
void lgn_signals_install(void);
bool lgn_signal_stop_requested(void);
/* True once per SIGHUP received since the last call. */
bool lgn_signal_take_reopen(void);

#endif
