/* signals.c: SIGTERM/SIGINT ask for a clean stop, SIGHUP asks to reopen the output. */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t reopen_flag;

static void on_stop(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void on_hup(int sig)
{
    (void)sig;
    reopen_flag = 1;
}

void lgn_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL); /* a closed reader shows up as EPIPE on write */
}

bool lgn_signal_stop_requested(void)
{
    return stop_flag != 0;
}

bool lgn_signal_take_reopen(void)
{
    if (!reopen_flag)
        return false;
    reopen_flag = 0;
    return true;
}
