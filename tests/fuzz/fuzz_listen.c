/* fuzz_listen.c: libFuzzer target for what `lognym listen` does to a
 * datagram before the line parser sees it: find the RFC 3164 header
 * "<PRI>Mmm dd hh:mm:ss HOST TAG: " (lgn_syslog_header_len).
 * Input: one datagram.
 * Checks: no crash or out-of-bounds read (ASan); a header that is found lies
 * inside the datagram, starts with "<digits>" and ends with ": " after a
 * 16-byte time stamp, so a line never loses bytes to a header that is not one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen.h"

#include "fuzz.h"

static void fail(const char *why, const char *m, size_t len)
{
    fprintf(stderr, "fuzz_listen: %s\n", why);
    fz_dump("datagram", m, len);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so ASan sees a read past the datagram's end. */
    char *m = malloc(size ? size : 1);
    if (m == NULL)
        return 0;
    memcpy(m, data, size);
    size_t h = lgn_syslog_header_len(m, size);
    if (h > 0) {
        size_t digits = 1;
        while (digits < h && m[digits] >= '0' && m[digits] <= '9')
            digits++;
        if (h > size)
            fail("header longer than the datagram", m, size);
        if (m[0] != '<' || digits == 1 || digits > 5 || m[digits] != '>') /* 1 to 4 digits */
            fail("header without <PRI>", m, size);
        if (h < digits + 1 + 16 + 4 || m[h - 2] != ':' || m[h - 1] != ' ')
            fail("header not ended by \"TAG: \"", m, size);
        if (memchr(m + digits + 17, ' ', h - digits - 19) == NULL)
            fail("header without a host", m, size);
    }
    free(m);
    return 0;
}
