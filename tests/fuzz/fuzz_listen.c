/* fuzz_listen.c: libFuzzer target for what `lognym listen` does to a
 * datagram before the line parser sees it: find the syslog header, RFC 3164
 * "<PRI>Mmm dd hh:mm:ss [HOST] TAG: " or RFC 5424 "<PRI>1 ... SD "
 * (lgn_syslog_header_len).
 * Input: one datagram.
 * Checks: no crash or out-of-bounds read (ASan); a header that is found lies
 * inside the datagram, starts with "<digits>" and ends with ": " after a
 * 16-byte time stamp (RFC 3164) or, after "<digits>1 ", with a space or a
 * UTF-8 BOM (RFC 5424), so a line never loses bytes to a header that is not one. */
#define _GNU_SOURCE /* memfd_create in fuzz.h */
#include <stdbool.h>
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
        bool rfc5424 = m[digits + 1] == '1' && m[digits + 2] == ' ';
        if (rfc5424 && m[h - 1] != ' ' && (h < 3 || memcmp(m + h - 3, "\xEF\xBB\xBF", 3) != 0))
            fail("RFC 5424 header not ended by a space or a BOM", m, size);
        if (!rfc5424 && (h < digits + 1 + 16 + 3 || m[h - 2] != ':' || m[h - 1] != ' '))
            fail("RFC 3164 header not ended by \"TAG: \"", m, size);
    }
    free(m);
    return 0;
}
