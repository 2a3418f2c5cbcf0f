/* err.h: error values. Modules fill a caller-supplied lgn_err; only main prints. */
#ifndef LGN_ERR_H
#define LGN_ERR_H

/* Exit codes, documented in README.md and lognym.1. */
enum lgn_exit {
    LGN_EXIT_OK = 0,
    LGN_EXIT_BAD_LINES = 1, /* --bad-lines fail met a bad line */
    LGN_EXIT_FOUND = 1,     /* lognym audit found personal data */
    LGN_EXIT_USAGE = 2,     /* bad option, format string, config */
    LGN_EXIT_INPUT = 3,     /* unreadable file, corrupt or truncated gzip */
    LGN_EXIT_OUTPUT = 4,    /* cannot write output (ENOSPC, EIO, permissions) */
    LGN_EXIT_KEY = 5,       /* missing, malformed or too widely readable key file */
    LGN_EXIT_INTERNAL = 70  /* out of memory, library failure */
};

struct lgn_err {
    int exit_code; /* an enum lgn_exit value */
    char msg[512];
};

/* Fills err (if not NULL) and returns -1, so callers can `return lgn_err_set(...)`. */
int lgn_err_set(struct lgn_err *err, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
