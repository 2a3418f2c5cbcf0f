/* err.c: filling error values. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int lgn_err_set(struct lgn_err *err, int exit_code, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    err->exit_code = exit_code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap); /* truncation of a message is harmless */
    va_end(ap);
    return -1;
}
