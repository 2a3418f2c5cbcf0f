/* base64.h: the value of one base64 digit, for the sketch encoding (standard
 * alphabet) and the payload detector (either alphabet, and the blank that
 * query decoding makes of a '+'). Inline: the detector calls it per byte. */
#ifndef LGN_BASE64_H
#define LGN_BASE64_H

#include <stdbool.h>

/* 0-63, or -1 when c is not a digit; url also takes '-', '_' and ' '. */
static inline int lgn_base64_value(char c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || (url && (c == '-' || c == ' ')))
        return 62;
    if (c == '/' || (url && c == '_'))
        return 63;
    return -1;
}

#endif
